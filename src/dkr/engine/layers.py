"""An image's layers: its history in one Engine request, and dkr's record of its last build, if any."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dkr.dockerfile import KEYWORDS
from dkr.engine.client import Engine
from dkr.errors import NotFound
from dkr.models import BuildStep, ImageLayers, Layer


def image_layers(engine: Engine, image: str) -> ImageLayers:
    """GET /images/{image}/history (newest first from the Engine; returned oldest first), matched with the
    steps of dkr's last build of this image when one is on record."""
    try:
        with engine.errors():
            payload: list[dict[str, Any]] = engine.api.history(image)
    except NotFound as exc:
        raise NotFound(exc.message, "dkr layers reads local images: build or pull it first.") from exc
    layers = tuple(Layer.from_api(item) for item in reversed(payload))
    image_id = layers[-1].id if layers else ""
    return ImageLayers(image, image_id, layers, match_steps(layers, last_build(image_id)))


def cache_dir() -> Path:
    """$DKR_CACHE_DIR, else $XDG_CACHE_HOME/dkr, else ~/.cache/dkr."""
    if os.environ.get("DKR_CACHE_DIR"):
        return Path(os.environ["DKR_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dkr"


def build_record_path(image_id: str) -> Path:
    """Where `dkr build` keeps its last build of an image: builds/<id without 'sha256:'>.json, holding the
    object `dkr build --format json` prints ({"id", "steps": [{"index", "instruction", "cached"}], ...})."""
    return cache_dir() / "builds" / f"{image_id.removeprefix('sha256:')}.json"


def last_build(image_id: str) -> list[BuildStep] | None:
    """The steps of dkr's last build of this image, or None: no record, or one that does not read (a record
    is a convenience, never a reason to fail)."""
    if not image_id.startswith("sha256:"):
        return None
    try:
        data = json.loads(build_record_path(image_id).read_text(encoding="utf-8"))
        if data.get("id") != image_id:
            return None
        return [BuildStep.from_json(step) for step in data["steps"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def match_steps(layers: Sequence[Layer], steps: Sequence[BuildStep] | None) -> tuple[BuildStep | None, ...]:
    """The build step behind each layer. The classic builder commits one history entry per instruction after
    FROM, so the final stage's steps (those after its FROM, labels from --label included) are the newest
    entries, in order; older entries come from the base image."""
    if not steps:
        return ()
    final = list(steps)
    for i in range(len(final) - 1, -1, -1):
        if final[i].instruction.split(" ", 1)[0].upper() == "FROM":
            final = final[i + 1 :]
            break
    if not final or len(final) > len(layers):
        return ()
    matched = (None,) * (len(layers) - len(final)) + tuple(final)
    for layer, step in zip(layers, matched, strict=True):
        kind = layer.instruction.split(" ", 1)[0]
        # an exec-form RUN is recorded as its bare command: only an instruction keyword can disagree
        if step is not None and kind in KEYWORDS and kind != step.instruction.split(" ", 1)[0].upper():
            return ()  # not the build that made these layers (a stale or foreign record)
    return matched
