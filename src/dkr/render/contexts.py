"""`dkr context ls`'s output: docker's table (` *` after the current context), JSON lines or a template."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dkr import render
from dkr.fields.contexts import COLUMNS, HEADERS
from dkr.models.output import OutputFormat
from dkr.render.listing import render_listing
from dkr.render.tables import Fit

#: the table's columns: NAME and DOCKER ENDPOINT stay whole, DESCRIPTION and ERROR give way first
TABLE = ("Name", "Description", "DockerEndpoint", "Error")
FITS = (Fit(3), Fit(1, "cut", min_width=11), Fit(2), Fit(0, "cut", min_width=5))


def render_contexts(rows: Sequence[dict[str, Any]], fmt: OutputFormat, quiet: bool) -> None:
    if quiet:
        render.results(r["Name"] for r in rows)
    elif fmt.kind == "table":
        cells = [[r["Name"] + (" *" if r["Current"] else ""), *(r[c] for c in TABLE[1:])] for r in rows]
        render.table([HEADERS[c] for c in TABLE], cells, list(FITS))
    else:
        render_listing([(r, {}) for r in rows], fmt, HEADERS, COLUMNS, {})
