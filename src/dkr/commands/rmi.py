"""dkr rmi (and dkr image rm): remove images in parallel, printing docker's Untagged / Deleted lines."""

from __future__ import annotations

import typer

from dkr.errors import ExitCode
from dkr.options.common import check_image


def rmi(
    ctx: typer.Context,
    images: list[str] = typer.Argument(..., metavar="IMAGE...", help="Names, tags or ids."),
    force: bool = typer.Option(False, "-f", "--force", help="Force removal of the image."),
    no_prune: bool = typer.Option(False, "--no-prune", help="Do not delete untagged parents."),
) -> int:
    """Remove one or more images, all at once."""
    from dkr.cli import state

    for image in images:
        check_image(image, "rmi")

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr.engine.images import remove_images
    from dkr.render.images import removed

    failed = 0
    for res in remove_images(engine, images, force=force, prune=not no_prune):
        failed += not removed(res)
    return ExitCode.FAILURE if failed else ExitCode.OK


def register(app: typer.Typer) -> None:
    app.command("rmi")(rmi)
