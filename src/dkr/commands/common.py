"""Option declarations several commands share (typer objects; the values are checked in dkr.options)."""

from __future__ import annotations

from typing import Any

import typer


def listing_format_option() -> Any:
    """The --format option of the listing commands (ps, images): a fresh typer.Option for each command."""
    return typer.Option(
        "table",
        "--format",
        metavar="table|json|TEMPLATE",
        help="table, json (one object per line), or a Go template.",
    )


def filter_option() -> Any:
    """--filter of the prunes: a fresh typer.Option for each command."""
    return typer.Option(
        [], "--filter", metavar="KEY=VALUE", help="Provide filter values (until=…, label=…, label!=…)."
    )


def force_option() -> Any:
    return typer.Option(False, "-f", "--force", help="Do not prompt for confirmation.")


def prune(ctx: typer.Context, command: str, filters: list[str], force: bool, warning: str, what: str) -> Any:
    """What every prune does first: check --filter, resolve the Engine, and unless -f ask (refusing without
    a terminal). Returns the Engine and the filters for the prune call itself."""
    from dkr.cli import state
    from dkr.options.filters import PRUNE_FILTERS, parse_filters

    checked = parse_filters(filters, PRUNE_FILTERS, command)
    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    if not force:
        from dkr import render

        render.confirm(warning, what, command)
    return engine, checked
