"""Images as the Engine lists them, and what removing or pruning them did."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dkr.errors import DkrError


@dataclass(frozen=True)
class Image:
    """An image as the Engine's list endpoint describes it (one request for all of them)."""

    id: str
    repo_tags: tuple[str, ...] = ()
    repo_digests: tuple[str, ...] = ()
    created: int = 0
    size: int = 0
    #: -1 when the Engine did not compute it (docker shows N/A)
    shared_size: int = -1
    containers: int = -1
    parent_id: str = ""
    labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Image:
        def number(key: str, default: int) -> int:
            value = data.get(key)
            return default if value is None else int(value)

        return cls(
            id=str(data["Id"]),
            repo_tags=tuple(data.get("RepoTags") or ()),
            repo_digests=tuple(data.get("RepoDigests") or ()),
            created=int(data.get("Created") or 0),
            size=number("Size", 0),
            shared_size=number("SharedSize", -1),
            containers=number("Containers", -1),
            parent_id=str(data.get("ParentId") or ""),
            labels=dict(data.get("Labels") or {}),
        )


@dataclass(frozen=True)
class Removed:
    """What the Engine removed for one image argument (docker's `Untagged: …` / `Deleted: …` lines), or why it
    could not."""

    arg: str
    #: ("Untagged" | "Deleted", reference or id), in the Engine's order
    items: tuple[tuple[str, str], ...] = ()
    error: DkrError | None = None

    @classmethod
    def from_api(cls, arg: str, payload: list[dict[str, Any]] | None) -> Removed:
        return cls(arg, removal_items(payload))


def removal_items(payload: list[dict[str, Any]] | None) -> tuple[tuple[str, str], ...]:
    """The Engine's `[{"Untagged": ref}, {"Deleted": id}, ...]` as (kind, reference or id) pairs."""
    return tuple(
        (kind, str(entry[kind]))
        for entry in payload or ()
        for kind in ("Untagged", "Deleted")
        if entry.get(kind)
    )


@dataclass(frozen=True)
class Pruned:
    """What a prune removed (docker's `Deleted Images:` / `Deleted Containers:`) and the space reclaimed."""

    items: tuple[tuple[str, str], ...] = ()
    space: int = 0
