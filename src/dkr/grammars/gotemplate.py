"""Pure: the part of Go's text/template that `docker ps --format` users write, plus docker's tabwriter.

Hand-written because no maintained Python package implements Go templates; dkr supports the forms docker's
documentation shows: `{{.Field}}`, `{{json .}}`, `{{json .Field}}`, `{{.Label "key"}}`, `{{upper|lower|title
.Field}}`, `{{printf "%s" .Field}}`-free text, the `table` prefix and `\\t`/`\\n` escapes. Over a whole Engine
object (`inspect`: no list of known fields) also paths `{{.State.Status}}` and `{{index .Config.Labels "k"}}`.
Anything else is a usage error, found before the Engine is asked.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dkr.errors import UsageError

# Go's trim markers "{{- " and " -}}" (a dash with white space beside it) eat the text's white space
_ACTION = re.compile(r"{{(?P<ltrim>-(?=[ \t\r\n]))?(?P<body>.*?)(?P<rtrim>(?<=[ \t\r\n])-)?}}", re.S)
_SPACE = " \t\r\n"
_FIELD = re.compile(r"^\.([A-Za-z_][A-Za-z0-9_]*)$")
_LABEL = re.compile(r'^\.Label\s+"([^"]*)"$')
_FUNC = re.compile(r"^(json|upper|lower|title)\s+(\.|\.[A-Za-z_][A-Za-z0-9_]*)$")
# over a whole object (inspect): a path of fields, `index PATH "key"`, a function of a path
_NAME = r"\.[A-Za-z_][A-Za-z0-9_]*"
_PATH = re.compile(rf"^(\.|(?:{_NAME})+)$")
_INDEX = re.compile(rf'^index\s+(\.|(?:{_NAME})+)\s+"([^"\\]*)"$')
_PATH_FUNC = re.compile(rf"^(json|upper|lower|title)\s+(\.|(?:{_NAME})+)$")

Part = Callable[[Mapping[str, Any], Mapping[str, str]], str]
#: How a part reads in a table's header line, given each field's column title.
HeaderPart = Callable[[Mapping[str, str]], str]


def _literal(text: str) -> Part:
    return lambda fields, labels: text


def _literal_header(text: str) -> HeaderPart:
    return lambda titles: text


def _title(name: str) -> HeaderPart:
    return lambda titles: titles.get(name, name.upper())


def _label_title(key: str) -> str:
    """docker's header for {{.Label "com.example.build-tier"}}: the key's last part, "-" and "_" as spaces."""
    return key.rsplit(".", 1)[-1].replace("-", " ").replace("_", " ")


def _go_title(text: str) -> str:
    """Go's strings.Title (docker's `title`): upper-case each word's first letter and leave the rest as it is;
    ASCII letters, digits and "_" (and any Unicode letter or digit) continue a word. str.title() differs."""
    out = []
    boundary = True
    for ch in text:
        out.append(ch.upper() if boundary else ch)
        if ch.isascii():
            boundary = not (ch.isalnum() or ch == "_")
        else:
            boundary = not (ch.isalpha() or ch.isdigit()) and ch.isspace()
    return "".join(out)


def _json(value: Any) -> str:
    """docker's template function `json` on one field: encoding/json with SetEscapeHTML(false), so of <>&,
    U+2028 and U+2029 only the last two are escaped (`{{json .Ports}}` keeps `->`)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _json_row(fields: Mapping[str, Any]) -> str:
    """`{{json .}}`: the whole row goes through docker's MarshalJSON (json.Marshal), which escapes <>& (`->`
    is `-\\u003e`, as docker 28.2.2's recorded `--format json` output shows); the encoder keeps that."""
    from dkr.fields.containers import go_json

    return go_json(dict(fields))


def _text(value: Any) -> str:
    if value is None:
        return "<nil>"
    if isinstance(value, bool):  # a bool field (node ls's Self) prints as Go prints it
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class Template:
    parts: tuple[Part, ...]
    columns: tuple[str, ...]
    table: bool
    #: the parts as a table's header line renders them (docker's HeaderFunctions: functions leave titles be)
    header_parts: tuple[HeaderPart, ...] = ()
    #: every field the template reads (docker's FieldsUsed): `{{json .}}` reads them all
    fields_used: tuple[str, ...] = ()

    def render(self, fields: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> str:
        return "".join(p(fields, labels or {}) for p in self.parts)

    def header(self, titles: Mapping[str, str]) -> str:
        """The header line of a `table` template, given each field's column title."""
        return "".join(p(titles) for p in self.header_parts)


def compile_template(source: str, known: Sequence[str] | None, command: str) -> Template:
    """Parse a --format TEMPLATE against the known field names (None: any path into an Engine object, as
    `inspect` reads it); a bad one is a UsageError for `command`."""
    # as docker's Context.preFormat: a "table" prefix (no space needed), then spaces trimmed at both ends;
    # inspect parses the template as given (its `table` and `\\t` are text)
    table = known is not None and source.startswith("table")
    if table:
        source = source[len("table") :]
    if known is not None:
        source = source.strip(" ").replace("\\t", "\t").replace("\\n", "\n")
    parts: list[Part] = []
    header_parts: list[HeaderPart] = []
    columns: list[str] = []
    used: list[str] = []
    pos = 0
    trim_next = False
    for m in _ACTION.finditer(source):
        text = source[pos : m.start()]
        if trim_next:
            text = text.lstrip(_SPACE)
        if m.group("ltrim"):
            text = text.rstrip(_SPACE)
        if text:
            parts.append(_literal(text))
            header_parts.append(_literal_header(text))
        pos = m.end()
        trim_next = bool(m.group("rtrim"))
        body = m.group("body")
        expr = body.strip(_SPACE)
        if known is None:  # over an Engine object: an execution error names where in the source it failed
            at = m.start("body") + len(body) - len(body.lstrip(_SPACE))
            part, header_part = _object_action(expr, command, _Where(source, at)), _literal_header("")
        else:
            part, header_part = _compile_action(expr, known, command, columns, used)
        parts.append(part)
        header_parts.append(header_part)
    tail = source[pos:]
    if trim_next:
        tail = tail.lstrip(_SPACE)
    if "{{" in tail or "}}" in tail:
        raise UsageError(f"invalid --format template: unclosed action in {source!r}", command)
    if tail:
        parts.append(_literal(tail))
        header_parts.append(_literal_header(tail))
    fields_used = tuple(dict.fromkeys(used))
    return Template(tuple(parts), tuple(columns), table, tuple(header_parts), fields_used)


def _compile_action(
    expr: str, known: Sequence[str], command: str, columns: list[str], used: list[str]
) -> tuple[Part, HeaderPart]:

    def check(name: str) -> None:
        if name not in known:
            raise UsageError(
                f"invalid --format template: no field '.{name}' (fields: {', '.join(sorted(known))})", command
            )

    if m := _FIELD.match(expr):
        name = m.group(1)
        check(name)
        columns.append(name)
        used.append(name)
        return (lambda fields, labels: _text(fields.get(name))), _title(name)
    if m := _LABEL.match(expr):
        key = m.group(1)
        columns.append(f"Label {key}")
        return (lambda fields, labels: labels.get(key, "")), (lambda titles: _label_title(key))
    if m := _FUNC.match(expr):
        func, arg = m.group(1), m.group(2)
        if arg == ".":
            if func != "json":
                raise UsageError(f"invalid --format template: {func} needs a field", command)
            used.extend(known)
            # docker's header json takes a string, not the whole header: the header line stays empty
            return (lambda fields, labels: _json_row(fields)), (lambda titles: "")
        name = arg[1:]
        check(name)
        columns.append(name)
        used.append(name)
        conv: Callable[[Any], str] = {
            "json": _json,
            "upper": lambda v: _text(v).upper(),
            "lower": lambda v: _text(v).lower(),
            "title": lambda v: _go_title(_text(v)),
        }[func]
        return (lambda fields, labels: conv(fields.get(name))), _title(name)
    raise UsageError(f"invalid --format template: unsupported action '{{{{{expr}}}}}'", command)


class TemplateExecError(Exception):
    """A template that cannot be executed on this object (Go's "executing ... at <.X>: ..."); dkr's commands
    turn it into their own failure."""


@dataclass(frozen=True)
class _Where:
    """Where an action starts in the template, for Go's `template: :LINE:COL: executing ...` words."""

    source: str
    at: int

    def error(self, expr: str, offset: int, why: str) -> TemplateExecError:
        pos = self.at + offset
        line = self.source.count("\n", 0, pos) + 1
        col = pos - (self.source.rfind("\n", 0, pos) + 1)
        return TemplateExecError(f'template: :{line}:{col}: executing "" at <{expr}>: {why}')


def _path(expr: str, start: int) -> tuple[tuple[str, int], ...]:
    """A path's names, each with its offset in the action's expression (the path starts at `start`)."""
    return tuple((m.group(1), start + m.start()) for m in re.finditer(r"\.([A-Za-z_][A-Za-z0-9_]*)", expr))


def _lookup(obj: Any, path: tuple[tuple[str, int], ...], expr: str, where: _Where) -> Any:
    """The value at `path` in a decoded JSON object, as docker's inspect reads it: an absent struct field,
    or a field of nil, is an execution error; an absent key of a map is <no value>."""
    for name, offset in path:
        if obj is None:
            raise where.error(expr, offset, f"nil pointer evaluating interface {{}}.{name}")
        if not isinstance(obj, dict):
            raise where.error(expr, offset, f"can't evaluate field {name} in type {_go_type(obj)}")
        if name not in obj:
            if not _is_struct(obj):
                return _NO_VALUE  # a map of the Engine's (Labels): Go's missing key prints <no value>
            raise where.error(expr, offset, f'map has no entry for key "{name}"')
        obj = obj[name]
    return obj


#: what Go prints for a key absent from a map of the Engine's types (missingkey=default)
_NO_VALUE = "<no value>"
_GO_FIELD = re.compile(r"[A-Z][A-Za-z0-9]*")


def _is_struct(obj: dict[str, Any]) -> bool:
    """Whether an object is one of the Engine's structs (docker's CLI decodes it into a typed struct, where an
    unknown field is an error), not one of its maps (Labels, Ports: a missing key is <no value>): struct
    fields are Go's exported CamelCase names; a map's keys are anything, and an empty one is a map."""
    return bool(obj) and all(_GO_FIELD.fullmatch(key) for key in obj)


def _go_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "[]interface {}"
    return "float64" if isinstance(value, (int, float)) else "interface {}"


def go_value(value: Any) -> str:
    """Go's %v of a decoded JSON value: maps as map[k:v] with sorted keys, lists as [a b], nil as <nil>."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_value(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_value(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)


def _object_action(expr: str, command: str, where: _Where) -> Part:
    if m := _PATH.match(expr):
        path = _path(m.group(1), m.start(1))
        return lambda obj, labels: go_value(_lookup(obj, path, expr, where))
    if m := _INDEX.match(expr):
        path, key = _path(m.group(1), m.start(1)), m.group(2)

        def index(obj: Mapping[str, Any], labels: Mapping[str, str]) -> str:
            found = _lookup(obj, path, expr, where)
            if found is None:
                return ""  # Go's index of a nil map: the zero value
            if not isinstance(found, dict):
                raise where.error(expr, 0, f"error calling index: can't index item of type {_go_type(found)}")
            return go_value(found.get(key, ""))

        return index
    if m := _PATH_FUNC.match(expr):
        func, path = m.group(1), _path(m.group(2), m.start(2))
        conv: Callable[[Any], str] = {
            "json": _json,
            "upper": lambda v: go_value(v).upper(),
            "lower": lambda v: go_value(v).lower(),
            "title": lambda v: _go_title(go_value(v)),
        }[func]
        return lambda obj, labels: conv(_lookup(obj, path, expr, where))
    raise UsageError(f"invalid --format template: unsupported action '{{{{{expr}}}}}'", command)


def rune_width(ch: str) -> int:
    """A character's width in terminal columns as go-runewidth counts it (docker's tabwriter fork and
    Ellipsis): wide East Asian runes take two columns, combining marks none."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _width(text: str) -> int:
    return sum(rune_width(ch) for ch in text)


def tabwrite(rows: Sequence[Sequence[str]], minwidth: int = 10, padding: int = 3) -> str:
    """docker's tabwriter (its fork of Go's text/tabwriter, minwidth 10, tabwidth 1, padding 3, spaces, no
    flags): every cell but the last of a row belongs to a column; a column is a block of consecutive rows
    having that cell, as wide as its widest cell plus padding (at least minwidth)."""
    if not rows:
        return ""
    widths = [[0] * max(len(r) - 1, 0) for r in rows]
    for col in range(max(len(r) for r in rows) - 1):
        i = 0
        while i < len(rows):
            if len(rows[i]) - 1 <= col:
                i += 1
                continue
            start, width = i, minwidth
            while i < len(rows) and len(rows[i]) - 1 > col:
                width = max(width, _width(rows[i][col]) + padding)
                i += 1
            for k in range(start, i):
                widths[k][col] = width
    lines = []
    for r, ws in zip(rows, widths, strict=True):
        cells = [cell + " " * (w - _width(cell)) for cell, w in zip(r[:-1], ws, strict=True)]
        cells.append(r[-1] if r else "")
        lines.append("".join(cells))
    return "\n".join(lines) + "\n"
