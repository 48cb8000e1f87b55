"""dkr layers' output: a table (the biggest layers highlighted and share bars on a terminal) or one JSON
object; a one-line tally on stderr."""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

from dkr import render
from dkr.fields.containers import ellipsis, truncate_id
from dkr.grammars.units import human_size
from dkr.models.layers import ImageLayers
from dkr.models.output import OutputFormat
from dkr.render.tables import Fit

#: how many of the biggest layers are highlighted on a terminal
HIGHLIGHT = 3
#: ...among the layers holding at least this share of the image (a 16-byte layer is never "big")
MIN_SHARE = 0.05
INSTRUCTION_WIDTH = 60

#: How the table gives way on a narrow terminal (render.tables), the most important first: a layer's SIZE
#: and the instruction that made it (CREATED BY, cut after a word) are what the command is for; the layer's
#: number (#) and, after a dkr build, whether it came from the CACHE come next; SHARE keeps its percentage
#: and loses its bar before CUMULATIVE, a running total the SIZE column already gives, is dropped first.
FITS = {
    "SIZE": Fit(9, right=True),
    "CREATED BY": Fit(8, "cut", min_width=16),
    "#": Fit(7, right=True),
    "CACHE": Fit(6),
    "SHARE": Fit(5, "crop", min_width=6),
    "CUMULATIVE": Fit(4, right=True),
}


def layer_rows(result: ImageLayers) -> list[dict[str, Any]]:
    """One dict per layer, oldest first: the JSON rows, and the source of the table."""
    total = result.total_size
    cumulative = 0
    rows = []
    for i, layer in enumerate(result.layers):
        cumulative += layer.size
        step = result.steps[i] if result.steps else None
        rows.append(
            {
                "index": i + 1,
                "id": layer.id,
                "created": _dt.datetime.fromtimestamp(layer.created, _dt.timezone.utc).strftime(
                    "%Y-%m-%dT%H:%M:%SZ"
                ),
                "created_by": layer.created_by,
                "instruction": layer.instruction,
                "size": layer.size,
                "cumulative": cumulative,
                "percent": round(100 * layer.size / total, 1) if total else 0.0,
                "comment": layer.comment,
                "step": step.index if step else None,
                "cached": step.cached if step else None,
            }
        )
    return rows


def layers_json(result: ImageLayers) -> dict[str, Any]:
    return {"image": result.image, "id": result.id, "size": result.total_size, "layers": layer_rows(result)}


def biggest(result: ImageLayers, n: int = HIGHLIGHT) -> list[int]:
    """Indexes (0-based) of the n biggest layers, among those holding at least MIN_SHARE of the image."""
    floor = max(1, MIN_SHARE * result.total_size)
    ranked = sorted(range(len(result.layers)), key=lambda i: -result.layers[i].size)
    return [i for i in ranked[:n] if result.layers[i].size >= floor]


def render_layers(result: ImageLayers, fmt: OutputFormat) -> None:
    if fmt.json:
        render.result(json.dumps(layers_json(result), ensure_ascii=False))
        return
    rows = layer_rows(result)
    with_cache = result.has_build_record
    headers = ["#", "CREATED BY", "SIZE", "CUMULATIVE", "SHARE", *(["CACHE"] if with_cache else [])]
    s = render.streams()
    tty = s.out_tty

    def cells(row: dict[str, Any]) -> list[str]:
        share = f"{row['percent']:.1f}%"
        if tty:
            share = f"{share:>6} " + "█" * round(row["percent"] / 10)
        cache = "" if row["cached"] is None else "cached" if row["cached"] else "ran"
        return [
            str(row["index"]),
            ellipsis(row["instruction"], INSTRUCTION_WIDTH),
            human_size(row["size"]),
            human_size(row["cumulative"]),
            share,
            *([cache or "base"] if with_cache else []),
        ]

    top = biggest(result)
    render.table(
        headers,
        [cells(r) for r in rows],
        [FITS[h] for h in headers],
        ["bold yellow" if i in top else None for i in range(len(rows))] if tty else None,
    )
    render.note(_tally(result, top))


def _tally(result: ImageLayers, top: list[int]) -> str:
    n = len(result.layers)
    size = human_size(result.total_size)
    line = f"{result.image} ({truncate_id(result.id)}): {size} in {n} layer{'s' * (n != 1)}"
    if top:
        share = sum(result.layers[i].size for i in top) / (result.total_size or 1)
        which = ", ".join(f"#{i + 1}" for i in top)
        line += f"; the biggest ({which}) hold {100 * share:.0f}%"
    steps = [step for step in result.steps if step is not None]
    if steps:
        line += f"; last dkr build: {sum(st.cached for st in steps)} of {len(steps)} steps from the cache"
    return line
