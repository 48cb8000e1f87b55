"""dkr start: start stopped containers in parallel (echo each argument), or one with -a/-i attached to its
output (and stdin), whose exit code is dkr's."""

from __future__ import annotations

import typer

from dkr.commands.common import containers_argument, on_each_container
from dkr.errors import UsageError
from dkr.options.common import check_container_refs


def start(
    ctx: typer.Context,
    containers: list[str] = containers_argument(),
    attach: bool = typer.Option(False, "-a", "--attach", help="Attach its stdout and stderr; its exit code."),
    interactive: bool = typer.Option(False, "-i", "--interactive", help="Attach its STDIN."),
    detach_keys: str | None = typer.Option(
        None, "--detach-keys", metavar="KEYS", help="Keys that detach from -ai (default ctrl-p,ctrl-q)."
    ),
) -> int:
    """Start one or more stopped containers."""
    from dkr.cli import state
    from dkr.options.run import detach_keys as parse_keys

    check_container_refs(containers, "start")
    keys = parse_keys(detach_keys, "start")
    if not (attach or interactive):
        from dkr.engine.lifecycle import start_many

        return on_each_container(ctx, "start", containers, start_many)
    if len(containers) > 1:
        raise UsageError("you cannot start and attach multiple containers at once", "start")  # docker's

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr import render
    from dkr.commands.run import console_for
    from dkr.engine.lifecycle import DETACHED, start_attached
    from dkr.render.logs import ContainerOutput

    code = start_attached(
        engine,
        containers[0],
        interactive,
        ContainerOutput(),
        lambda tty: console_for(interactive, tty, False, keys),
    )
    if code == DETACHED:
        render.note("read escape sequence")
        return 0
    return code


def register(app: typer.Typer) -> None:
    app.command("start")(start)
