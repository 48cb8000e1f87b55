"""Image listings: the human table (rich on a terminal), JSON lines, templates, ids."""

from __future__ import annotations

import time
from collections.abc import Sequence

from dkr import render
from dkr.fields.images import DEFAULT_COLUMNS, DIGEST_COLUMNS, TABLE_HEADERS, image_fields, image_rows
from dkr.models.images import Image
from dkr.models.output import OutputFormat
from dkr.render.listing import render_listing


def render_images(
    items: Sequence[Image], fmt: OutputFormat, *, quiet: bool, trunc: bool, digests: bool = False
) -> None:
    # docker: rows carry digests when --digests asks for them or the template shows {{.Digest}}
    need_digest = digests or "Digest" in fmt.columns
    rows = [row for img in items for row in image_rows(img, show_digests=digests, need_digest=need_digest)]
    now = time.time()
    if quiet and fmt.kind == "table":
        # as docker: -q gives way to an explicit --format, and an image with two tags is listed twice
        render.results(image_fields(row, trunc, now)["ID"] for row in rows)
        return
    render_listing(
        [(image_fields(row, trunc, now), row.image.labels) for row in rows],
        fmt,
        TABLE_HEADERS,
        DIGEST_COLUMNS if digests else DEFAULT_COLUMNS,
    )
