"""Pure: --format, one vocabulary for every command. A command names the words it takes (`table` or `text`
for people, `json`) and whether a Go template over its fields is allowed; anything else is a usage error
(exit 2) before any Engine call."""

from __future__ import annotations

from collections.abc import Sequence

from dkr.errors import UsageError
from dkr.models.output import FormatKind, OutputFormat


def parse_format(
    value: str,
    command: str,
    accepted: Sequence[FormatKind],
    *,
    default: FormatKind = "table",
    template_fields: Sequence[str] | None = None,
    object_template: bool = False,
) -> OutputFormat:
    """`value` as `command` reads it: "" is `default`; a word from `accepted`; with `template_fields`, any
    other text is a Go template over those fields (ps, images); with `object_template`, a Go template over
    a whole Engine object (inspect: any path)."""
    if value == "":
        return OutputFormat(default)
    for kind in accepted:
        if value == kind:
            return OutputFormat(kind)
    if template_fields is not None or object_template:
        from dkr.grammars.gotemplate import compile_template  # only a template needs it: keeps errors fast

        return OutputFormat("template", compile_template(value, template_fields, command))
    expected = " or ".join(accepted) if len(accepted) <= 2 else ", ".join(accepted)
    raise UsageError(f"invalid --format '{value}' (expected {expected})", command)
