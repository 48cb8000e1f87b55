"""Images on screen: listings (table, JSON lines, templates, ids), what rmi removed, prune reports."""

from __future__ import annotations

import time
from collections.abc import Sequence

from dkr import render
from dkr.fields.images import DEFAULT_COLUMNS, DIGEST_COLUMNS, TABLE_HEADERS, image_fields, image_rows
from dkr.grammars.units import human_size
from dkr.models.images import Image, Pruned, Removed
from dkr.models.output import OutputFormat
from dkr.render.errors import message
from dkr.render.listing import render_listing
from dkr.render.tables import Fit

#: How the images table gives way on a narrow terminal (render.tables), the most important first: the
#: REPOSITORY, the IMAGE ID and the TAG name the image (what `run`, `rmi` and `tag` take), then its SIZE:
#: all four stay whole. The DIGEST (--digests) is only useful whole, so it is dropped rather than cut, before
#: them; CREATED is cut, then dropped, first. SHARED SIZE, UNIQUE SIZE and CONTAINERS (system df -v) go
#: between the DIGEST and CREATED.
FITS: dict[str, Fit] = {
    "Repository": Fit(9),
    "ID": Fit(8),
    "Tag": Fit(7),
    "Size": Fit(6),
    "Digest": Fit(5),
    "UniqueSize": Fit(4),
    "SharedSize": Fit(3),
    "Containers": Fit(3),
    "CreatedSince": Fit(2, "cut", min_width=7),
}


def render_images(
    items: Sequence[Image],
    fmt: OutputFormat,
    *,
    quiet: bool,
    trunc: bool,
    digests: bool = False,
    engines: Sequence[str] | None = None,
) -> None:
    """The listing; `engines` beside each image the name of its Engine (the ENGINE column)."""
    # docker: rows carry digests when --digests asks for them or the template shows {{.Digest}}
    need_digest = digests or "Digest" in fmt.columns
    rows, row_engines = [], []
    for i, img in enumerate(items):
        for row in image_rows(img, show_digests=digests, need_digest=need_digest):
            rows.append(row)
            row_engines.append(engines[i] if engines is not None else "")
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
        FITS,
        row_engines if engines is not None else None,
    )


def removed(res: Removed) -> bool:
    """One image argument's outcome as docker prints it (`Untagged: …`, `Deleted: …` on stdout), or its
    error on stderr. True if it was removed."""
    if res.error is not None:
        render.error(f"cannot remove image '{res.arg}': {message(res.error)}")
        return False
    render.results(f"{kind}: {ref}" for kind, ref in res.items)
    return True


def pruned_lines(result: Pruned, noun: str) -> list[str]:
    """One prune's section as docker prints it: `Deleted <noun>:`, what went, a blank line (nothing if
    nothing was deleted)."""
    if not result.items:
        return []
    lines = [f"Deleted {noun}:"]
    lines.extend(f"{kind.lower()}: {ref}" if noun == "Images" else ref for kind, ref in result.items)
    lines.append("")
    return lines


def reclaimed(space: int) -> str:
    """docker's last line of a prune (go-units HumanSize: 4 significant digits)."""
    return f"Total reclaimed space: {human_size(space, 4)}"


def pruned(result: Pruned, noun: str) -> None:
    """docker's prune report: what was deleted (stdout), then the space reclaimed."""
    render.results([*pruned_lines(result, noun), reclaimed(result.space)])
