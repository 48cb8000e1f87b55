"""Option values several commands share, checked before any Engine call."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer

from dkr.errors import UsageError

if TYPE_CHECKING:
    from dkr.grammars.gotemplate import Template

#: docker's container name grammar (validContainerNamePattern: `/?[a-zA-Z0-9][a-zA-Z0-9_.-]+`), from one
#: character on so that every id and id prefix fits too. Nothing outside it names a container, and a "/"
#: inside would reach other Engine routes: `rm ../images/x` is DELETE /images/x once the router cleans it.
_CONTAINER_REF = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*")


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

    @property
    def fields_used(self) -> tuple[str, ...]:
        return self.template.fields_used if self.template else ()


def output_format(value: str, known: Sequence[str], command: str) -> OutputFormat:
    if value in ("", "table"):
        return OutputFormat("table")
    if value == "json":
        return OutputFormat("json")
    from dkr.grammars.gotemplate import compile_template  # only a template needs it: keeps usage errors fast

    return OutputFormat("template", compile_template(value, known, command))


def check_container_refs(args: Sequence[str], command: str) -> None:
    """Container names, ids or id prefixes, as given (a leading "/" is the name's canonical form)."""
    for arg in args:
        ref = arg.strip("/")
        if not ref:
            raise UsageError(f"invalid container name '{arg}' (empty)", command)
        if not _CONTAINER_REF.fullmatch(ref):
            raise UsageError(
                f"invalid container name '{arg}' (names and ids use only letters, digits, '_', '.' and '-')",
                command,
            )
