"""How a command's result is shown on stdout: its --format, parsed (dkr.options.formats)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from dkr.grammars.gotemplate import Template

#: table / text: for people (a table, compiler-style lines, a summary); json: for programs (one object, or
#: one per line for listings); template: a Go template over docker's field names
FormatKind = Literal["table", "text", "json", "template"]


@dataclass(frozen=True)
class OutputFormat:
    kind: FormatKind
    template: Template | None = None

    @property
    def json(self) -> bool:
        return self.kind == "json"

    @property
    def columns(self) -> tuple[str, ...]:
        return self.template.columns if self.template else ()

    @property
    def fields_used(self) -> tuple[str, ...]:
        return self.template.fields_used if self.template else ()
