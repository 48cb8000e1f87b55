"""`system df` (the summary, its -v tables and JSON) and `system prune`'s report, as docker prints them."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence

from dkr import render
from dkr.fields import containers as container_fields
from dkr.fields import images as image_fields
from dkr.fields.containers import go_json
from dkr.fields.system import (
    BUILD_CACHE_COLUMNS,
    BUILD_CACHE_HEADERS,
    CONTAINER_COLUMNS,
    IMAGE_COLUMNS,
    SUMMARY_COLUMNS,
    SUMMARY_HEADERS,
    VOLUME_COLUMNS,
    VOLUME_HEADERS,
    build_cache_fields,
    builder_size,
    container_rows,
    image_rows,
    sort_build_cache,
    summary_rows,
    verbose_document,
    volume_fields,
)
from dkr.grammars.units import human_size
from dkr.models.output import OutputFormat
from dkr.models.system import DiskUsage, PruneStep
from dkr.render.containers import FITS as CONTAINER_FITS
from dkr.render.images import FITS as IMAGE_FITS
from dkr.render.images import pruned_lines, reclaimed
from dkr.render.listing import render_listing
from dkr.render.tables import Fit

#: How system df's tables give way on a narrow terminal (render.tables), the most important first. The
#: summary: the TYPE, then its SIZE and what is RECLAIMABLE (what df is asked for), then the counts. The -v
#: images and containers tables rank their columns as `images` and `ps` do; a volume's NAME (64 hex digits
#: for an anonymous one) and SIZE stay whole and LINKS goes first; a build cache record keeps its CACHE ID,
#: SIZE and CACHE TYPE, then SHARED, USAGE, LAST USED and CREATED, dropped in that order from the last.
SUMMARY_FITS = {
    "Type": Fit(9),
    "Size": Fit(8),
    "Reclaimable": Fit(7),
    "TotalCount": Fit(6),
    "Active": Fit(5),
}
VOLUME_FITS = {"Name": Fit(9), "Size": Fit(8), "Links": Fit(7)}
BUILD_CACHE_FITS = {
    "ID": Fit(9),
    "Size": Fit(8),
    "CacheType": Fit(7),
    "Shared": Fit(6),
    "UsageCount": Fit(5),
    "LastUsedSince": Fit(4, "cut", min_width=9),
    "CreatedSince": Fit(3, "cut", min_width=7),
}


def render_df(du: DiskUsage, fmt: OutputFormat, *, verbose: bool) -> None:
    """The summary (a table, JSON lines or a template); with -v docker's four tables, or one JSON object."""
    if not verbose:
        render_listing(
            [(row, {}) for row in summary_rows(du)], fmt, SUMMARY_HEADERS, SUMMARY_COLUMNS, SUMMARY_FITS
        )
        return
    now = time.time()
    if fmt.json:
        render.result(go_json(verbose_document(du, now)))
        return
    sections: list[
        tuple[str, Mapping[str, str], Sequence[str], Sequence[Mapping[str, str | None]], Mapping[str, Fit]]
    ] = [
        (
            "Images space usage:",
            image_fields.TABLE_HEADERS,
            IMAGE_COLUMNS,
            image_rows(du, True, now),
            IMAGE_FITS,
        ),
        (
            "Containers space usage:",
            container_fields.TABLE_HEADERS,
            CONTAINER_COLUMNS,
            container_rows(du, True, now),
            CONTAINER_FITS,
        ),
        (
            "Local Volumes space usage:",
            VOLUME_HEADERS,
            VOLUME_COLUMNS,
            list(map(volume_fields, du.volumes)),
            VOLUME_FITS,
        ),
        (
            f"Build cache usage: {human_size(builder_size(du), 4)}",
            BUILD_CACHE_HEADERS,
            BUILD_CACHE_COLUMNS,
            [build_cache_fields(bc, True, now) for bc in sort_build_cache(du.build_cache)],
            BUILD_CACHE_FITS,
        ),
    ]
    for i, (title, headers, columns, rows, fits) in enumerate(sections):
        render.results([*([""] if i else []), title, ""])
        render.table(
            [headers[c] for c in columns],
            [[row[c] or "" for c in columns] for row in rows],
            [fits[c] for c in columns],
        )


def system_pruned(steps: Iterable[PruneStep]) -> None:
    """Each step's section as soon as it is done (stdout), then the space reclaimed by all of them."""
    total = 0
    for step in steps:
        render.results(pruned_lines(step.result, step.noun))
        total += step.result.space
    render.result(reclaimed(total))
