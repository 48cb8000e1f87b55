"""dkr ps: list containers, as docker does, in one Engine request."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from dkr.commands.common import listing_format_option
from dkr.commands.fanout import engine_fields, listed
from dkr.errors import ExitCode

if TYPE_CHECKING:
    from dkr.engine.client import Engine
    from dkr.models.containers import Container


def ps(
    ctx: typer.Context,
    all: bool = typer.Option(False, "-a", "--all", help="Show all containers (default shows just running)."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Only display container IDs."),
    no_trunc: bool = typer.Option(False, "--no-trunc", help="Don't truncate output."),
    filter: list[str] = typer.Option(
        [], "-f", "--filter", metavar="KEY=VALUE", help="Filter output (name, label, status, ancestor, ...)."
    ),
    last: str = typer.Option(
        "-1", "-n", "--last", metavar="int", help="Show n last created containers (includes all states)."
    ),
    latest: bool = typer.Option(False, "-l", "--latest", help="Show the latest created container."),
    size: bool = typer.Option(False, "-s", "--size", help="Display total file sizes."),
    format: str = listing_format_option(),
) -> int:
    """List containers."""
    from dkr.cli import state
    from dkr.fields.containers import JSON_KEYS
    from dkr.options.filters import PS_FILTERS, PS_HEALTH, PS_STATUSES, parse_filters
    from dkr.options.formats import parse_format
    from dkr.options.numbers import INT64_MAX, INT64_MIN, parse_int

    # docker's int, as the Engine reads it too (strconv.Atoi); 0 or less lists them all
    limit = parse_int(last, "-n/--last", "ps", minimum=INT64_MIN, maximum=INT64_MAX)
    filters = parse_filters(filter, PS_FILTERS, "ps", {"status": PS_STATUSES, "health": PS_HEALTH})
    st = state(ctx)
    fmt = parse_format(format, "ps", ("table", "json"), template_fields=engine_fields(st, JSON_KEYS))
    if latest:
        limit = 1
    size = size or "Size" in fmt.fields_used  # as docker: a template that reads .Size asks for sizes

    def listing(engine: Engine) -> list[Container]:
        from dkr.engine.containers import list_containers

        return list_containers(engine, all=all, limit=limit, filters=filters, size=size)

    items, engines, failed = listed(st, listing)

    from dkr.render.containers import render_containers

    render_containers(items, fmt, quiet=quiet, trunc=not no_trunc, size=size, engines=engines)
    return ExitCode.FAILURE if failed else ExitCode.OK


def register(app: typer.Typer) -> None:
    app.command("ps")(ps)
