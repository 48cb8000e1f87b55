"""Pure: docker's volume listing fields (docker/cli formatter/volume.go) for tables, JSON and templates."""

from __future__ import annotations

import re

from dkr.models.volumes import Volume

#: `docker volume ls --format json`'s keys (docker CLI 28; the cluster fields are N/A on a local Engine)
COLUMNS = (
    "Availability",
    "Driver",
    "Group",
    "Labels",
    "Links",
    "Mountpoint",
    "Name",
    "Scope",
    "Size",
    "Status",
)
HEADERS = {**{column: column.upper() for column in COLUMNS}, "Name": "VOLUME NAME"}


def natural_key(text: str) -> list[int | str]:
    """sortorder.NaturalLess as a key: runs of digits compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def fields(volume: Volume) -> dict[str, str]:
    """One volume's values in docker's string forms."""
    labels = ",".join(f"{k}={v}" for k, v in sorted(volume.labels.items()))
    known = {
        "Driver": volume.driver, "Labels": labels, "Mountpoint": volume.mountpoint, "Name": volume.name,
        "Scope": volume.scope,
    }  # fmt: skip
    return {column: known.get(column, "N/A") for column in COLUMNS}
