"""dkr tag: give an image another name, as docker tag does."""

from __future__ import annotations

import typer

from dkr.options.common import check_image


def tag(
    ctx: typer.Context,
    source: str = typer.Argument(..., metavar="SOURCE_IMAGE[:TAG]", help="The image: name, tag or id."),
    target: str = typer.Argument(..., metavar="TARGET_IMAGE[:TAG]", help="The new name (and tag)."),
) -> None:
    """Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE."""
    from dkr.cli import state
    from dkr.options.build import parse_tag

    check_image(source, "tag")
    parse_tag(target, "tag")

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr.engine.images import tag_image

    tag_image(engine, source, target)


def register(app: typer.Typer) -> None:
    app.command("tag")(tag)
