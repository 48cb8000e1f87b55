"""dkr layers: what each layer of an image costs, and (for an image dkr built) whether it came from cache."""

from __future__ import annotations

import typer

from dkr.options.common import check_image
from dkr.options.formats import parse_format


def layers(
    ctx: typer.Context,
    image: str = typer.Argument(..., metavar="IMAGE", help="Image name, tag or id."),
    format: str = typer.Option("table", "--format", metavar="table|json", help="table, or one JSON object."),
) -> None:
    """Show an image's layers, oldest first: the instruction behind each, its size, the running total and its
    share of the image. The biggest layers are highlighted on a terminal; for an image dkr built, a CACHE
    column says which steps of the last build came from the layer cache."""
    from dkr.cli import state

    fmt = parse_format(format, "layers", ("table", "json"))
    check_image(image, "layers")  # as the Engine reads it: `/`, `.` or `//x` never reach other routes

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr.engine.layers import image_layers

    result = image_layers(engine, image)

    from dkr.render.layers import render_layers

    render_layers(result, fmt)


def register(app: typer.Typer) -> None:
    app.command("layers")(layers)
