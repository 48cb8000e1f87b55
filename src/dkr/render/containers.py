"""Container listings: the human table (rich on a terminal), JSON lines, templates, ids."""

from __future__ import annotations

import time
from collections.abc import Sequence

from dkr import render
from dkr.fields.containers import DEFAULT_COLUMNS, TABLE_HEADERS, container_fields, truncate_id
from dkr.fields.ports import displayable_ports, merge_twins
from dkr.models.containers import Container
from dkr.models.output import OutputFormat
from dkr.render.listing import Row, render_listing
from dkr.render.tables import Fit

#: How ps's columns give way on a narrow terminal (render.tables), the most important first: NAMES, the
#: CONTAINER ID and PORTS are what a user types or connects to, so they stay whole (PORTS wraps between its
#: mappings, NAMES between a container's names) and go last; IMAGE is cut before them; STATUS keeps its
#: state word ("Exited…", "Up 6…") while its details go; SIZE (-s) and LOCAL VOLUMES (system df -v) are
#: dropped next; CREATED and COMMAND, which docker already truncates, are cut and dropped first.
FITS: dict[str, Fit] = {
    "Names": Fit(9, "wrap", sep=","),
    "ID": Fit(8),
    "Ports": Fit(7, "wrap"),
    "Image": Fit(6, "cut", min_width=12),
    "Status": Fit(5, "cut", min_width=7),
    "Size": Fit(4),
    "LocalVolumes": Fit(3),
    "RunningFor": Fit(2, "cut", min_width=7),
    "Command": Fit(1, "cut", min_width=7),
}


def render_containers(
    items: Sequence[Container],
    fmt: OutputFormat,
    *,
    quiet: bool,
    trunc: bool,
    size: bool = False,
    engines: Sequence[str] | None = None,
) -> None:
    """The listing; `engines` beside each container the name of its Engine (the ENGINE column)."""
    if quiet:
        render.results(truncate_id(c.id) if trunc else c.id for c in items)
        return
    now = time.time()
    rows: list[Row] = []
    for c in items:
        fields = container_fields(c, trunc, now)
        if fmt.kind == "table":
            # dkr's human table shows a binding published on IPv4 and IPv6 once
            fields["Ports"] = displayable_ports(merge_twins(c.ports))
        rows.append((fields, c.labels))
    columns = [*DEFAULT_COLUMNS, "Size"] if size else list(DEFAULT_COLUMNS)
    render_listing(rows, fmt, TABLE_HEADERS, columns, FITS, engines)
