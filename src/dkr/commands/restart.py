"""dkr restart: restart containers in parallel; echo each argument once restarted."""

from __future__ import annotations

import typer

from dkr.commands.common import containers_argument, on_each_container, stop_time_option
from dkr.commands.stop import MAX_STOP_TIMEOUT
from dkr.options.common import check_container_refs
from dkr.options.numbers import INT64_MIN, parse_int


def restart(
    ctx: typer.Context,
    containers: list[str] = containers_argument(),
    time: str | None = stop_time_option(),
) -> int:
    """Restart one or more containers, all at once."""
    check_container_refs(containers, "restart")
    timeout = None
    if time is not None:
        timeout = parse_int(time, "-t/--time", "restart", minimum=INT64_MIN, maximum=MAX_STOP_TIMEOUT)
    from dkr.engine.lifecycle import restart_many

    return on_each_container(
        ctx, "restart", containers, lambda engine, args: restart_many(engine, args, timeout)
    )


def register(app: typer.Typer) -> None:
    app.command("restart")(restart)
