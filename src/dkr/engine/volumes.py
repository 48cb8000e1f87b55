"""Volumes: create, list, inspect and remove (`volume prune` is engine.system.prune_volumes)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from dkr.engine.client import Engine
from dkr.engine.objects import in_turn
from dkr.errors import DkrError
from dkr.models.volumes import Outcome, Volume


def create_volume(
    engine: Engine, name: str | None, *, driver: str, options: Mapping[str, str], labels: Mapping[str, str]
) -> str:
    """POST /volumes/create; the volume's name (the Engine's for an unnamed one)."""
    with engine.errors(f"create volume {name}" if name else "create a volume"):
        data: dict[str, Any] = engine.api.create_volume(
            name or None, driver=driver, driver_opts=dict(options) or None, labels=dict(labels) or None
        )
    return str(data.get("Name") or "")


def list_volumes(engine: Engine, *, filters: Mapping[str, list[str]]) -> list[Volume]:
    """GET /volumes, in one request."""
    with engine.errors("list volumes"):
        data: dict[str, Any] = engine.api.volumes(filters=dict(filters) or None)
    return [Volume.from_api(v) for v in data.get("Volumes") or ()]


def inspect_volumes(engine: Engine, names: Iterable[str]) -> Iterator[Volume | DkrError]:
    """GET /volumes/{name} for each, in order: the volume, or why it could not be read."""
    for _, got in in_turn(engine, names, "inspect volume", engine.api.inspect_volume):
        yield got if isinstance(got, DkrError) else Volume.from_api(got)


def remove_volumes(engine: Engine, names: Iterable[str], *, force: bool) -> Iterator[Outcome]:
    """DELETE /volumes/{name} for each, in order (docker removes them one after the other)."""
    for name, got in in_turn(
        engine, names, "remove volume", lambda n: engine.api.remove_volume(n, force=force)
    ):
        yield Outcome(name, got if isinstance(got, DkrError) else None)
