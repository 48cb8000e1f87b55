"""Pure: the part of Go's text/template that `docker ps --format` users write, plus docker's tabwriter.

Hand-written because no maintained Python package implements Go templates; dkr supports the forms docker's
documentation shows: `{{.Field}}`, `{{json .}}`, `{{json .Field}}`, `{{.Label "key"}}`, `{{upper|lower|title
.Field}}`, `{{printf "%s" .Field}}`-free text, the `table` prefix and `\\t`/`\\n` escapes. Anything else is a
usage error, found before the Engine is asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dkr.errors import UsageError

_ACTION = re.compile(r"{{-?\s*(.*?)\s*-?}}", re.S)
_FIELD = re.compile(r"^\.([A-Za-z_][A-Za-z0-9_]*)$")
_LABEL = re.compile(r'^\.Label\s+"([^"]*)"$')
_FUNC = re.compile(r"^(json|upper|lower|title)\s+(\.|\.[A-Za-z_][A-Za-z0-9_]*)$")

Part = Callable[[Mapping[str, Any], Mapping[str, str]], str]


def _literal(text: str) -> Part:
    return lambda fields, labels: text


def _json(value: Any) -> str:
    from dkr.fields import go_json

    return go_json(value)


def _text(value: Any) -> str:
    if value is None:
        return "<nil>"
    return str(value)


@dataclass(frozen=True)
class Template:
    parts: tuple[Part, ...]
    columns: tuple[str, ...]
    table: bool

    def render(self, fields: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> str:
        return "".join(p(fields, labels or {}) for p in self.parts)


def compile_template(source: str, known: Sequence[str], command: str) -> Template:
    """Parse a --format TEMPLATE against the known field names; a bad one is a UsageError for `command`."""
    table = False
    if source.startswith("table ") or source == "table":
        table = True
        source = source[len("table") :].lstrip(" ")
    source = source.replace("\\t", "\t").replace("\\n", "\n")
    parts: list[Part] = []
    columns: list[str] = []
    pos = 0
    for m in _ACTION.finditer(source):
        if m.start() > pos:
            parts.append(_literal(source[pos : m.start()]))
        pos = m.end()
        expr = m.group(1)
        parts.append(_compile_action(expr, known, command, columns))
    tail = source[pos:]
    if "{{" in tail or "}}" in tail:
        raise UsageError(f"invalid --format template: unclosed action in {source!r}", command)
    if tail:
        parts.append(_literal(tail))
    return Template(tuple(parts), tuple(columns), table)


def _compile_action(expr: str, known: Sequence[str], command: str, columns: list[str]) -> Part:
    def check(name: str) -> None:
        if name not in known:
            raise UsageError(
                f"invalid --format template: no field '.{name}' (fields: {', '.join(sorted(known))})", command
            )

    if m := _FIELD.match(expr):
        name = m.group(1)
        check(name)
        columns.append(name)
        return lambda fields, labels: _text(fields.get(name))
    if m := _LABEL.match(expr):
        key = m.group(1)
        columns.append(f"Label {key}")
        return lambda fields, labels: labels.get(key, "")
    if m := _FUNC.match(expr):
        func, arg = m.group(1), m.group(2)
        if arg == ".":
            if func != "json":
                raise UsageError(f"invalid --format template: {func} needs a field", command)
            return lambda fields, labels: _json(dict(fields))
        name = arg[1:]
        check(name)
        columns.append(name)
        conv: Callable[[Any], str] = {
            "json": _json,
            "upper": lambda v: _text(v).upper(),
            "lower": lambda v: _text(v).lower(),
            "title": lambda v: _text(v).title(),
        }[func]
        return lambda fields, labels: conv(fields.get(name))
    raise UsageError(f"invalid --format template: unsupported action '{{{{{expr}}}}}'", command)


def tabwrite(rows: Sequence[Sequence[str]], minwidth: int = 10, padding: int = 3) -> str:
    """Go's text/tabwriter as docker configures it (minwidth 10, padding 3, spaces): every cell but the last
    of a row is padded to its column's width."""
    if not rows:
        return ""
    ncols = max(len(r) for r in rows)
    widths = [minwidth] * ncols
    for r in rows:
        for i, cell in enumerate(r[:-1]):
            widths[i] = max(widths[i], len(cell) + padding)
    lines = []
    for r in rows:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(r[:-1])]
        cells.append(r[-1] if r else "")
        lines.append("".join(cells))
    return "\n".join(lines) + "\n"
