"""What the volume commands get from the Engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dkr.errors import DkrError


@dataclass(frozen=True)
class Volume:
    """One volume as `GET /volumes` and `GET /volumes/{name}` describe it; `raw` is the Engine's object, which
    `volume inspect` prints as docker does."""

    name: str
    driver: str = "local"
    mountpoint: str = ""
    scope: str = "local"
    labels: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Volume:
        return cls(
            name=str(data.get("Name") or ""),
            driver=str(data.get("Driver") or ""),
            mountpoint=str(data.get("Mountpoint") or ""),
            scope=str(data.get("Scope") or ""),
            labels={str(k): str(v) for k, v in (data.get("Labels") or {}).items()},
            raw=data,
        )


@dataclass(frozen=True)
class Outcome:
    """One argument of a command that acts on several objects (`volume rm a b`): done, or why not."""

    arg: str
    error: DkrError | None = None
