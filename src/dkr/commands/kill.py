"""dkr kill: send a signal (SIGKILL by default) to containers in parallel; echo each argument once sent."""

from __future__ import annotations

import typer

from dkr.commands.common import containers_argument, on_each_container
from dkr.grammars.signals import parse_signal
from dkr.options.common import check_container_refs


def kill(
    ctx: typer.Context,
    containers: list[str] = containers_argument(),
    signal: str | None = typer.Option(None, "-s", "--signal", help="Signal to send (default: SIGKILL)."),
) -> int:
    """Kill one or more running containers, all at once."""
    check_container_refs(containers, "kill")
    sig = parse_signal(signal, "kill") if signal else None
    from dkr.engine.lifecycle import kill_many

    return on_each_container(ctx, "kill", containers, lambda engine, args: kill_many(engine, args, sig))


def register(app: typer.Typer) -> None:
    app.command("kill")(kill)
