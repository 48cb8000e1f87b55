"""dkr stop: stop containers in parallel; echo each argument once it is stopped."""

from __future__ import annotations

import typer

from dkr.errors import ExitCode
from dkr.grammars.signals import parse_signal
from dkr.options.common import check_container_refs


def stop(
    ctx: typer.Context,
    containers: list[str] = typer.Argument(
        ..., metavar="CONTAINER...", help="Names, ids or unique id prefixes."
    ),
    time: int | None = typer.Option(
        None,
        "-t",
        "--time",
        "--timeout",
        help="Seconds to wait before killing (default: the container's, else 10).",
    ),
    signal: str | None = typer.Option(
        None, "-s", "--signal", help="Signal to send (default: the container's, else SIGTERM)."
    ),
) -> int:
    """Stop one or more running containers, all at once."""
    from dkr.cli import state

    check_container_refs(containers, "stop")
    sig = parse_signal(signal, "stop") if signal is not None else None

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr import render
    from dkr.engine.containers import stop_many
    from dkr.render.errors import message
    from dkr.render.stop import kill_hint, killed_after_timeout

    failed = 0
    killed = []
    for res in stop_many(engine, containers, time, sig):
        if res.error:
            failed += 1
            render.error(f"cannot stop '{res.arg}': {message(res.error)}")
            continue
        render.result(res.arg)
        if res.killed_after_timeout:
            killed.append(res)
    for res in killed:
        killed_after_timeout(f"'{res.arg}'", res.timeout)
    if killed:
        kill_hint()
    return ExitCode.FAILURE if failed else ExitCode.OK


def register(app: typer.Typer) -> None:
    app.command("stop")(stop)
