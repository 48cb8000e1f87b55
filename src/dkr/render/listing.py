"""Listings (ps, images): one row source rendered as docker does it: a table, JSON lines or a template."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dkr import render
from dkr.fields.containers import go_json
from dkr.grammars.gotemplate import tabwrite
from dkr.models.output import OutputFormat
from dkr.render.tables import Fit

#: One row: its fields (docker's keys and value forms) and the labels `{{.Label "k"}}` reads.
Row = tuple[Mapping[str, Any], Mapping[str, str]]


def render_listing(
    rows: Sequence[Row],
    fmt: OutputFormat,
    headers: Mapping[str, str],
    columns: Sequence[str],
    fits: Mapping[str, Fit],
) -> None:
    """`--format json`: one object per line; a template: one line per row (with `table`, a header and
    docker's tabwriter columns); otherwise the human table of `columns`, fitted to a terminal as `fits`
    (by field) rank them."""
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
