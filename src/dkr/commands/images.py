"""dkr images: list images, as docker does, in one Engine request."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from dkr.commands.common import listing_format_option
from dkr.commands.fanout import engine_fields, listed
from dkr.errors import ExitCode
from dkr.fields.images import IMAGE_FILTER_VALUES, IMAGE_FILTERS, JSON_KEYS
from dkr.options.filters import parse_filters
from dkr.options.formats import parse_format

if TYPE_CHECKING:
    from dkr.engine.client import Engine
    from dkr.models.images import Image


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
) -> int:
    """List images."""
    from dkr.cli import state

    filters = parse_filters(filter, IMAGE_FILTERS, "images", IMAGE_FILTER_VALUES)
    if repository:
        filters.setdefault("reference", []).append(repository)
    if digests and format.startswith("table") and format != "table" and "{{.Digest}}" not in format:
        format += "\t{{.Digest}}"  # docker adds the column to a table template when --digests asks for it
    st = state(ctx)
    fmt = parse_format(format, "images", ("table", "json"), template_fields=engine_fields(st, JSON_KEYS))

    def listing(engine: Engine) -> list[Image]:
        from dkr.engine.images import list_images

        return list_images(engine, all=all, filters=filters)

    items, engines, failed = listed(st, listing)

    from dkr.render.images import render_images

    render_images(items, fmt, quiet=quiet, trunc=not no_trunc, digests=digests, engines=engines)
    return ExitCode.FAILURE if failed else ExitCode.OK


def register(app: typer.Typer) -> None:
    app.command("images")(images)
