"""dkr images: list images, as docker does, in one Engine request."""

from __future__ import annotations

import typer

from dkr.commands.common import listing_format_option
from dkr.fields.images import IMAGE_FILTER_VALUES, IMAGE_FILTERS, JSON_KEYS
from dkr.options.filters import parse_filters
from dkr.options.formats import parse_format


def images(
    ctx: typer.Context,
    repository: str | None = typer.Argument(
        None, metavar="REPOSITORY[:TAG]", help="Only images whose reference matches (globs allowed)."
    ),
    all: bool = typer.Option(False, "-a", "--all", help="Show all images (default hides intermediate ones)."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Only show image IDs."),
    no_trunc: bool = typer.Option(False, "--no-trunc", help="Don't truncate output."),
    digests: bool = typer.Option(False, "--digests", help="Show digests."),
    filter: list[str] = typer.Option(
        [],
        "-f",
        "--filter",
        metavar="KEY=VALUE",
        help="Filter output (dangling, label, before, since, reference).",
    ),
    format: str = listing_format_option(),
) -> None:
    """List images."""
    from dkr.cli import state

    filters = parse_filters(filter, IMAGE_FILTERS, "images", IMAGE_FILTER_VALUES)
    if repository:
        filters.setdefault("reference", []).append(repository)
    if digests and format.startswith("table") and format != "table" and "{{.Digest}}" not in format:
        format += "\t{{.Digest}}"  # docker adds the column to a table template when --digests asks for it
    fmt = parse_format(format, "images", ("table", "json"), template_fields=JSON_KEYS)

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr.engine.images import list_images

    items = list_images(engine, all=all, filters=filters)

    from dkr.render.images import render_images

    render_images(items, fmt, quiet=quiet, trunc=not no_trunc, digests=digests)


def register(app: typer.Typer) -> None:
    app.command("images")(images)
