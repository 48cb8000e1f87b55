"""Listings (ps, images): one row source rendered as docker does it: a table, JSON lines or a template."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dkr import render
from dkr.errors import DkrError, ExitCode
from dkr.fields.containers import go_json
from dkr.grammars.gotemplate import tabwrite
from dkr.models.output import OutputFormat
from dkr.models.volumes import Outcome
from dkr.render.tables import Fit

#: One row: its fields (docker's keys and value forms) and the labels `{{.Label "k"}}` reads.
Row = tuple[Mapping[str, Any], Mapping[str, str]]


def render_listing(
    rows: Sequence[Row],
    fmt: OutputFormat,
    headers: Mapping[str, str],
    columns: Sequence[str],
    fits: Mapping[str, Fit],
    engines: Sequence[str] | None = None,
) -> None:
    """`--format json`: one object per line; a template: one line per row (with `table`, a header and
    docker's tabwriter columns); otherwise the human table of `columns`, fitted to a terminal as `fits`
    (by field) rank them. `engines`, beside each row the name of its Engine when several were asked: the
    ENGINE column first, the `Engine` key in JSON."""
    if engines is not None:
        from dkr.render.fanout import with_engine

        rows, headers, columns, fits = with_engine(rows, engines, headers, columns, fits)
    if fmt.kind == "json":
        render.results(go_json(dict(fields)) for fields, _ in rows)
        return
    if fmt.kind == "template" and fmt.template is not None:
        tmpl = fmt.template
        lines = [tmpl.render(fields, labels) for fields, labels in rows]
        if tmpl.table:
            cells = [line.split("\t") for line in (tmpl.header(headers), *lines)]
            render.streams().out.write(tabwrite(cells))
            render.streams().out.flush()
        else:
            render.results(lines)
        return
    render.table(
        [headers[col] for col in columns],
        [[fields[col] or "" for col in columns] for fields, _ in rows],
        [fits[col] for col in columns],
    )


def go_indented(value: Any) -> str:
    """Go's json.MarshalIndent(value, "", "    ") as docker's inspect prints it: HTML characters escaped."""
    text = json.dumps(value, ensure_ascii=False, indent=4)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return text


def render_inspect(objects: Iterable[dict[str, Any]]) -> None:
    """docker's `inspect` output: one JSON array of the Engine's objects, 4-space indented."""
    render.result(go_indented(list(objects)))


def inspect_report(found: Iterable[dict[str, Any] | DkrError]) -> int:
    """docker's `inspect` of several objects: the array of those found on stdout, a line on stderr for each
    not found; exit 1 if any was not."""
    from dkr.render.errors import message

    objects, failed = [], 0
    for item in found:
        if isinstance(item, DkrError):
            failed += 1
            render.error(message(item))
        else:
            objects.append(item)
    render_inspect(objects)
    return ExitCode.FAILURE if failed else ExitCode.OK


def removal_report(outcomes: Iterable[Outcome]) -> int:
    """docker's `rm` of several objects: each name on stdout once removed, a line on stderr for each that
    could not be (it names the object); exit 1 if any could not."""
    from dkr.render.errors import message

    failed = 0
    for res in outcomes:
        if res.error is None:
            render.result(res.arg)
        else:
            failed += 1
            render.error(message(res.error))
    return ExitCode.FAILURE if failed else ExitCode.OK
