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
