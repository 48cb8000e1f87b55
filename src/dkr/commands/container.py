"""dkr container prune: the container management command docker groups under `docker container`."""

from __future__ import annotations

import typer

from dkr.commands.common import command_group, filter_option, force_option
from dkr.commands.common import prune as start_prune


def prune(ctx: typer.Context, filter: list[str] = filter_option(), force: bool = force_option()) -> None:
    """Remove all stopped containers. Asks first on a terminal; -f without one."""
    engine, filters = start_prune(
        ctx, "container prune", filter, force, "This will remove all stopped containers.", "containers"
    )
    from dkr.engine.images import prune_containers
    from dkr.render.images import pruned

    pruned(prune_containers(engine, filters=filters), "Containers")


def register(app: typer.Typer) -> None:
    group = command_group(app, "container", "Manage containers: prune.")
    group.command("prune")(prune)
