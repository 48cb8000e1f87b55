"""dkr unpause: thaw the processes of paused containers, in parallel; echo each argument."""

from __future__ import annotations

import typer

from dkr.commands.common import containers_argument, on_each_container
from dkr.options.common import check_container_refs


def unpause(ctx: typer.Context, containers: list[str] = containers_argument()) -> int:
    """Unpause all processes within one or more containers."""
    check_container_refs(containers, "unpause")
    from dkr.engine.lifecycle import unpause_many

    return on_each_container(ctx, "unpause", containers, unpause_many)


def register(app: typer.Typer) -> None:
    app.command("unpause")(unpause)
