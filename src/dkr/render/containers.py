"""Container listings: the human table (rich on a terminal), JSON lines, templates, ids."""

from __future__ import annotations

import time
from collections.abc import Sequence

from dkr import render
from dkr.cli_common import OutputFormat
from dkr.fields import DEFAULT_COLUMNS, TABLE_HEADERS, container_fields, go_json, truncate_id
from dkr.models import Container
from dkr.ports import displayable_ports, merge_twins


def render_containers(
    items: Sequence[Container], fmt: OutputFormat, *, quiet: bool, trunc: bool, size: bool = False
) -> None:
    if quiet:
        render.results(truncate_id(c.id) if trunc else c.id for c in items)
        return
    now = time.time()
    if fmt.kind == "json":
        render.results(go_json(container_fields(c, trunc, now)) for c in items)
        return
    if fmt.kind == "template" and fmt.template is not None:
        tmpl = fmt.template
        lines = [tmpl.render(container_fields(c, trunc, now), c.labels) for c in items]
        if tmpl.table:
            headers = [TABLE_HEADERS.get(col, col.upper()) for col in tmpl.columns]
            header_line = tmpl.render(dict(zip(tmpl.columns, headers, strict=True)))
            from dkr.template import tabwrite

            cells = [line.split("\t") for line in (header_line, *lines)]
            render.streams().out.write(tabwrite(cells))
            render.streams().out.flush()
        else:
            render.results(lines)
        return
    columns = [*DEFAULT_COLUMNS, "Size"] if size else list(DEFAULT_COLUMNS)
    rows = []
    for c in items:
        fields = container_fields(c, trunc, now)
        # dkr's human table shows a binding published on IPv4 and IPv6 once
        fields["Ports"] = displayable_ports(merge_twins(c.ports))
        rows.append([fields[col] or "" for col in columns])
    render.table([TABLE_HEADERS[col] for col in columns], rows)
