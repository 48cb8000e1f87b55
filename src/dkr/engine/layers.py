"""An image's layers: its history in one Engine request, and dkr's record of its last build, if any."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dkr.build.dockerfile import KEYWORDS
from dkr.build.record import last_build
from dkr.engine.client import Engine
from dkr.models.build import BuildStep
from dkr.models.layers import ImageLayers, Layer


def image_layers(engine: Engine, image: str) -> ImageLayers:
    """GET /images/{image}/history (newest first from the Engine; returned oldest first), matched with the
    steps of dkr's last build of this image when one is on record. (On Podman, and only there, a second
    request, GET /images/{image}/json, for the image's id.)"""
    with engine.errors("read its layers"):
        payload: list[dict[str, Any]] = engine.api.history(image)
    layers = tuple(Layer.from_api(item) for item in reversed(payload))
    image_id = layers[-1].id if layers else ""
    if engine.podman:
        # Podman's history names the image that made each filesystem layer (its top entry: the last step
        # that changed files, not the image asked about): the image's own id takes a second request
        with engine.errors("read its layers"):
            image_id = str(engine.api.inspect_image(image).get("Id") or image_id)
    return ImageLayers(image, image_id, layers, match_steps(layers, last_build(image_id)))


def match_steps(layers: Sequence[Layer], steps: Sequence[BuildStep] | None) -> tuple[BuildStep | None, ...]:
    """The build step behind each layer (oldest first), or () when the record does not fit these layers.

    The classic builder commits one history entry per instruction after FROM, so the final stage's steps
    after its FROM (the LABEL steps --label adds included, last) are the newest entries, in order. Its FROM
    stands for the entry just older than those: the top of the image it builds on, which is what a FROM
    "from the cache" means (`dkr build` counts a FROM whose image was present as cached). FROM scratch has no
    entry. The base image's older entries have no step of this build."""
    if not steps:
        return ()
    final = list(steps)
    start: BuildStep | None = None
    for i in range(len(final) - 1, -1, -1):
        if final[i].keyword == "FROM":
            start, final = final[i], final[i + 1 :]
            break
    base = len(layers) - len(final)
    if base < 0:
        return ()
    for layer, step in zip(layers[base:], final, strict=True):
        kind = layer.instruction.split(" ", 1)[0]
        # an exec-form RUN is recorded as its bare command: only an instruction keyword can disagree
        if kind in KEYWORDS and kind != step.keyword:
            return ()  # not the build that made these layers (a stale or foreign record)
    matched: list[BuildStep | None] = [None] * base + final
    if start is not None and base > 0:
        matched[base - 1] = start
    return tuple(matched) if any(matched) else ()
