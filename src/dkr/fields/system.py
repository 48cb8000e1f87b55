"""Pure: docker's disk usage forms (docker/cli formatter/disk_usage.go, volume.go, buildcache.go): the
`system df` summary rows and the rows of its -v tables, each value in docker's exact string form.

docker computes the summary on the client from the one `GET /system/df` answer; so does dkr.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
import time
from typing import Any

from dkr.fields.containers import container_fields, truncate_id
from dkr.fields.images import NONE, ImageRow, image_fields, is_dangling, parse_reference
from dkr.grammars.units import human_duration, human_size
from dkr.models.system import BuildCacheRecord, DiskUsage, Volume

#: The summary's fields, as docker's JSON writer sorts them, and their column titles.
SUMMARY_HEADERS = {
    "Active": "ACTIVE",
    "Reclaimable": "RECLAIMABLE",
    "Size": "SIZE",
    "TotalCount": "TOTAL",
    "Type": "TYPE",
}
SUMMARY_COLUMNS = ("Type", "TotalCount", "Active", "Size", "Reclaimable")

#: The -v tables' columns (docker's defaultDiskUsage*TableFormat).
IMAGE_COLUMNS = ("Repository", "Tag", "ID", "CreatedSince", "Size", "SharedSize", "UniqueSize", "Containers")
CONTAINER_COLUMNS = ("ID", "Image", "Command", "LocalVolumes", "Size", "RunningFor", "Status", "Names")
VOLUME_COLUMNS = ("Name", "Links", "Size")
VOLUME_HEADERS = {"Name": "VOLUME NAME", "Links": "LINKS", "Size": "SIZE"}
BUILD_CACHE_COLUMNS = ("ID", "CacheType", "Size", "CreatedSince", "LastUsedSince", "UsageCount", "Shared")
BUILD_CACHE_HEADERS = {
    "ID": "CACHE ID",
    "CacheType": "CACHE TYPE",
    "Size": "SIZE",
    "CreatedSince": "CREATED",
    "LastUsedSince": "LAST USED",
    "UsageCount": "USAGE",
    "Shared": "SHARED",
}

_ACTIVE_STATES = ("running", "paused", "restarting")


def _size(n: int) -> str:
    """go-units HumanSize: 4 significant digits."""
    return human_size(n, 4)


def _with_percent(reclaimable: int, total: int) -> str:
    """`SIZE (N%)`, the percentage truncated as Go's integer division does."""
    if total <= 0:
        return _size(reclaimable)
    percent = abs(reclaimable) * 100 // total * (-1 if reclaimable < 0 else 1)
    return f"{_size(reclaimable)} ({percent}%)"


def _row(kind: str, total: int, active: int, size: str, reclaimable: str) -> dict[str, str]:
    return {"Active": str(active), "Reclaimable": reclaimable, "Size": size, "TotalCount": str(total),
            "Type": kind}  # fmt: skip


def builder_size(du: DiskUsage) -> int:
    """docker's build cache size: the records not shared with another."""
    return sum(bc.size for bc in du.build_cache if not bc.shared)


def summary_rows(du: DiskUsage) -> list[dict[str, str]]:
    """The four rows of `docker system df`: Images, Containers, Local Volumes, Build Cache."""
    used = sum(
        i.size - i.shared_size
        for i in du.images
        if i.containers != 0 and i.size != -1 and i.shared_size != -1
    )
    images = _row(
        "Images",
        len(du.images),
        sum(1 for i in du.images if i.containers > 0),
        _size(du.layers_size),
        _with_percent(du.layers_size - used, du.layers_size),
    )
    active = [any(s in c.state for s in _ACTIVE_STATES) for c in du.containers]
    total = sum(c.size_rw for c in du.containers)
    idle = sum(c.size_rw for c, on in zip(du.containers, active, strict=True) if not on)
    containers = _row("Containers", len(du.containers), sum(active), _size(total), _with_percent(idle, total))
    sized = [v for v in du.volumes if v.size is not None and v.size != -1]
    vol_total = sum(v.size or 0 for v in sized)
    vol_free = sum(v.size or 0 for v in sized if not v.ref_count)
    volumes = _row(
        "Local Volumes",
        len(du.volumes),
        sum(1 for v in du.volumes if (v.ref_count or 0) > 0),
        _size(vol_total),
        _with_percent(vol_free, vol_total),
    )
    bsz = builder_size(du)
    in_use = sum(bc.size for bc in du.build_cache if bc.in_use and not bc.shared)
    cache = _row(
        "Build Cache",
        len(du.build_cache),
        sum(1 for bc in du.build_cache if bc.in_use),
        _size(bsz),
        _size(bsz - in_use),  # docker shows no percentage here
    )
    return [images, containers, volumes, cache]


def image_rows(du: DiskUsage, trunc: bool, now: float | None = None) -> list[dict[str, str]]:
    """-v: one row per image, under its first tag only (docker skips an image whose tag does not parse)."""
    now = time.time() if now is None else now
    rows = []
    for img in du.images:
        repo = tag = NONE
        if img.repo_tags and not is_dangling(img):
            ref = parse_reference(img.repo_tags[0])
            if ref is None:
                continue
            if ref.tag:
                repo, tag = ref.familiar_name, ref.tag
        rows.append(image_fields(ImageRow(img, repo, tag, ""), trunc, now))
    return rows


def container_rows(du: DiskUsage, trunc: bool, now: float | None = None) -> list[dict[str, str | None]]:
    """-v: the containers as `docker ps` shows them, without the virtual size."""
    return [container_fields(dataclasses.replace(c, size_root_fs=0), trunc, now) for c in du.containers]


def volume_fields(v: Volume) -> dict[str, str]:
    """docker's volume fields (a local Engine has no cluster volumes: those fields are N/A)."""
    return {
        "Availability": "N/A",
        "Driver": v.driver,
        "Group": "N/A",
        # docker joins a Go map, in no fixed order; sorted here
        "Labels": ",".join(sorted(f"{k}={val}" for k, val in v.labels.items())),
        "Links": "N/A" if v.ref_count is None else str(v.ref_count),
        "Mountpoint": v.mountpoint,
        "Name": v.name,
        "Scope": v.scope,
        "Size": "N/A" if v.size is None else _size(v.size),
        "Status": "N/A",
    }


_RFC3339 = re.compile(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def parse_time(text: str) -> tuple[float, str] | None:
    """An RFC 3339 time -> (Unix seconds, Go's time.Time.String() of it)."""
    m = _RFC3339.match(text)
    if not m:
        return None
    day, clock, frac, zone = m.groups()
    frac = (frac or "").rstrip("0").rstrip(".")
    stamp = _dt.datetime.fromisoformat(f"{day}T{clock}{'+00:00' if zone == 'Z' else zone}").timestamp()
    stamp += float(f"0{frac}") if frac else 0.0
    offset = "+0000 UTC" if zone == "Z" else f"{zone.replace(':', '')} {zone.replace(':', '')}"
    return stamp, f"{day} {clock}{frac} {offset}"


def _since(text: str | None, now: float) -> str:
    parsed = parse_time(text or "")
    return "" if parsed is None else human_duration(now - parsed[0]) + " ago"


def _go_string(text: str | None) -> str:
    parsed = parse_time(text or "")
    return "" if parsed is None else parsed[1]


def sort_build_cache(records: tuple[BuildCacheRecord, ...]) -> list[BuildCacheRecord]:
    """docker's order: never used first, then least recently used; ties by id."""

    def key(bc: BuildCacheRecord) -> tuple[int, float, str]:
        parsed = parse_time(bc.last_used_at or "")
        return (0, 0.0, bc.id) if parsed is None else (1, parsed[0], bc.id)

    return sorted(records, key=key)


def build_cache_fields(bc: BuildCacheRecord, trunc: bool, now: float | None = None) -> dict[str, str]:
    now = time.time() if now is None else now
    parent = ", ".join(bc.parents)
    return {
        "CacheType": bc.type,
        "CreatedAt": _go_string(bc.created_at),
        "CreatedSince": _since(bc.created_at, now),
        "Description": bc.description,
        "ID": (truncate_id(bc.id) if trunc else bc.id) + ("*" if bc.in_use else ""),
        "InUse": "true" if bc.in_use else "false",
        "LastUsedAt": _go_string(bc.last_used_at),
        "LastUsedSince": _since(bc.last_used_at, now),
        "Parent": truncate_id(parent) if trunc else parent,
        "Shared": "true" if bc.shared else "false",
        "Size": human_size(bc.size, 3),
        "UsageCount": str(bc.usage_count),
    }


def verbose_document(du: DiskUsage, now: float | None = None) -> dict[str, Any]:
    """`docker system df -v --format json`: one object, its lists in docker's struct order, untruncated."""
    now = time.time() if now is None else now
    return {
        "Images": image_rows(du, False, now),
        "Containers": container_rows(du, False, now),
        "Volumes": [volume_fields(v) for v in du.volumes],
        "BuildCache": [build_cache_fields(bc, False, now) for bc in sort_build_cache(du.build_cache)],
    }
