"""dkr pause: freeze all processes of containers (the cgroup freezer), in parallel; echo each argument."""

from __future__ import annotations

import typer

from dkr.commands.common import containers_argument, on_each_container
from dkr.options.common import check_container_refs


def pause(ctx: typer.Context, containers: list[str] = containers_argument()) -> int:
    """Pause all processes within one or more containers."""
    check_container_refs(containers, "pause")
    from dkr.engine.lifecycle import pause_many

    return on_each_container(ctx, "pause", containers, pause_many)


def register(app: typer.Typer) -> None:
    app.command("pause")(pause)
