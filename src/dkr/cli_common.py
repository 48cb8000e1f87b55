"""Option values several commands share, checked before any Engine call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import typer

from dkr.template import Template, compile_template


def listing_format_option() -> Any:
    """The --format option of the listing commands (ps, images): a fresh typer.Option for each command."""
    return typer.Option(
        "table",
        "--format",
        metavar="table|json|TEMPLATE",
        help="table, json (one object per line), or a Go template.",
    )


@dataclass(frozen=True)
class OutputFormat:
    """--format: `table` (human), `json` (one object per line) or a Go template."""

    kind: str  # "table" | "json" | "template"
    template: Template | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return self.template.columns if self.template else ()


def output_format(value: str, known: Sequence[str], command: str) -> OutputFormat:
    if value in ("", "table"):
        return OutputFormat("table")
    if value == "json":
        return OutputFormat("json")
    return OutputFormat("template", compile_template(value, known, command))
