"""Images: list (one request)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dkr.engine.client import Engine
from dkr.models.images import Image


def list_images(
    engine: Engine, *, all: bool = False, filters: Mapping[str, list[str]] | None = None
) -> list[Image]:
    """One GET /images/json for the whole listing, in the Engine's order (newest first)."""
    with engine.errors("list images"):
        payload: list[dict[str, Any]] = engine.api.images(all=all, filters=dict(filters or {}) or None)
    return [Image.from_api(item) for item in payload]
