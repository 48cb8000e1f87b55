"""The Engine as a whole: its disk usage (one `GET /system/df`) and `system prune`, step by step."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dkr.engine.client import Engine
from dkr.engine.images import prune_containers, prune_images
from dkr.models.images import Pruned
from dkr.models.system import DiskUsage, PruneStep

Filters = Mapping[str, list[str]]


def disk_usage(engine: Engine) -> DiskUsage:
    """One GET /system/df: images, containers, volumes and build cache with their sizes."""
    with engine.errors("get the disk usage"):
        data: dict[str, Any] = engine.api.df()
    return DiskUsage.from_api(data)


def _deleted(data: dict[str, Any], key: str) -> Pruned:
    items = tuple(("Deleted", str(name)) for name in data.get(key) or ())
    return Pruned(items, int(data.get("SpaceReclaimed") or 0))


def prune_networks(engine: Engine, *, filters: Filters) -> Pruned:
    """POST /networks/prune: every network no container uses (the predefined ones never)."""
    with engine.errors("prune networks"):
        data: dict[str, Any] = engine.api.prune_networks(filters=dict(filters) or None)
    return _deleted(data, "NetworksDeleted")


def prune_volumes(engine: Engine, *, filters: Filters) -> Pruned:
    """POST /volumes/prune: every volume no container uses (API 1.41: named ones too)."""
    with engine.errors("prune volumes"):
        data: dict[str, Any] = engine.api.prune_volumes(filters=dict(filters) or None)
    return _deleted(data, "VolumesDeleted")


def prune_build_cache(engine: Engine, *, all: bool, filters: Filters) -> Pruned:
    """POST /build/prune: dangling build cache, or all of it that is unused with `all`. The Engine accepts
    label filters here but ignores them (moby's builder: "TODO: handle label"): callers must not send one."""
    with engine.errors("prune the build cache"):
        data: dict[str, Any] = engine.api.prune_builds(filters=dict(filters) or None, all=all or None)
    return _deleted(data, "CachesDeleted")


def prune_system(
    engine: Engine, *, all: bool, volumes: bool, build_cache: bool, filters: Filters
) -> Iterator[PruneStep]:
    """docker's `system prune`, in its order: containers, networks, volumes (if asked), images (dangling, or
    every unused one with `all`), build cache (if asked). Yields each step once the Engine has done it, so
    what was removed is reported even if a later step fails."""
    yield PruneStep("Containers", prune_containers(engine, filters=filters))
    yield PruneStep("Networks", prune_networks(engine, filters=filters))
    if volumes:
        yield PruneStep("Volumes", prune_volumes(engine, filters=filters))
    yield PruneStep("Images", prune_images(engine, all=all, filters=filters))
    if build_cache:
        yield PruneStep("build cache objects", prune_build_cache(engine, all=all, filters=filters))
