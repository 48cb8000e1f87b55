"""What `GET /system/df` reports (images, containers, volumes, build cache), and what system prune removed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dkr.models.containers import Container
from dkr.models.images import Image, Pruned


@dataclass(frozen=True)
class Volume:
    """A volume with the usage the Engine computed for df (None where it did not: docker shows N/A)."""

    name: str
    driver: str = ""
    scope: str = ""
    mountpoint: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    #: containers using it, and its size in bytes (-1: not computed)
    ref_count: int | None = None
    size: int | None = None

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Volume:
        usage = data.get("UsageData")
        return cls(
            name=str(data.get("Name") or ""),
            driver=str(data.get("Driver") or ""),
            scope=str(data.get("Scope") or ""),
            mountpoint=str(data.get("Mountpoint") or ""),
            labels=dict(data.get("Labels") or {}),
            ref_count=None if usage is None else int(usage.get("RefCount") or 0),
            size=None if usage is None else int(usage.get("Size") or 0),
        )


@dataclass(frozen=True)
class BuildCacheRecord:
    """One BuildKit cache record; times as the Engine wrote them (RFC 3339)."""

    id: str
    parents: tuple[str, ...] = ()
    type: str = ""
    description: str = ""
    in_use: bool = False
    shared: bool = False
    size: int = 0
    created_at: str = ""
    last_used_at: str | None = None
    usage_count: int = 0

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> BuildCacheRecord:
        # API 1.42 replaced Parent with Parents; 20.10 (1.41) sends Parent alone
        parents = tuple(data.get("Parents") or ()) or ((str(data["Parent"]),) if data.get("Parent") else ())
        return cls(
            id=str(data.get("ID") or ""),
            parents=parents,
            type=str(data.get("Type") or ""),
            description=str(data.get("Description") or ""),
            in_use=bool(data.get("InUse")),
            shared=bool(data.get("Shared")),
            size=int(data.get("Size") or 0),
            created_at=str(data.get("CreatedAt") or ""),
            last_used_at=str(data["LastUsedAt"]) if data.get("LastUsedAt") else None,
            usage_count=int(data.get("UsageCount") or 0),
        )


@dataclass(frozen=True)
class DiskUsage:
    """The Engine's disk usage report, as one `GET /system/df` returns it."""

    layers_size: int = 0
    images: tuple[Image, ...] = ()
    containers: tuple[Container, ...] = ()
    volumes: tuple[Volume, ...] = ()
    build_cache: tuple[BuildCacheRecord, ...] = ()

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> DiskUsage:
        return cls(
            layers_size=int(data.get("LayersSize") or 0),
            images=tuple(Image.from_api(i) for i in data.get("Images") or ()),
            containers=tuple(Container.from_api(c) for c in data.get("Containers") or ()),
            volumes=tuple(Volume.from_api(v) for v in data.get("Volumes") or ()),
            build_cache=tuple(BuildCacheRecord.from_api(b) for b in data.get("BuildCache") or ()),
        )


@dataclass(frozen=True)
class PruneStep:
    """One of system prune's steps and what it removed: `noun` as docker's `Deleted <noun>:` names it."""

    noun: str
    result: Pruned
