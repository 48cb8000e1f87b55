"""dkr image rm|prune: the image management commands docker groups under `docker image`."""

from __future__ import annotations

import typer

from dkr.commands.common import command_group, filter_option, force_option
from dkr.commands.common import prune as start_prune
from dkr.commands.rmi import rmi


def prune(
    ctx: typer.Context,
    all: bool = typer.Option(False, "-a", "--all", help="Remove all unused images, not just dangling ones."),
    filter: list[str] = filter_option(),
    force: bool = force_option(),
) -> None:
    """Remove unused images (dangling ones unless -a). Asks first on a terminal; -f without one."""
    what = "images without at least one container associated to them" if all else "dangling images"
    engine, filters = start_prune(
        ctx, "image prune", filter, force, f"This will remove all {what}.", "images"
    )
    from dkr.engine.images import prune_images
    from dkr.render.images import pruned

    pruned(prune_images(engine, all=all, filters=filters), "Images")


def register(app: typer.Typer) -> None:
    group = command_group(app, "image", "Manage images: rm, prune.")
    group.command("rm", help="Remove one or more images, all at once.")(rmi)
    group.command("prune")(prune)
