"""What the network commands get from the Engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Network:
    """One network as `GET /networks` describes it; `raw` is the Engine's object (`network inspect`)."""

    id: str
    name: str
    driver: str = ""
    scope: str = ""
    created: str = ""
    internal: bool = False
    ipv6: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Network:
        return cls(
            id=str(data.get("Id") or ""),
            name=str(data.get("Name") or ""),
            driver=str(data.get("Driver") or ""),
            scope=str(data.get("Scope") or ""),
            created=str(data.get("Created") or ""),
            internal=bool(data.get("Internal")),
            ipv6=bool(data.get("EnableIPv6")),
            labels={str(k): str(v) for k, v in (data.get("Labels") or {}).items()},
            raw=data,
        )


@dataclass(frozen=True)
class NetworkSpec:
    """`dkr network create`'s request, checked."""

    name: str
    driver: str = "bridge"
    internal: bool = False
    attachable: bool = False
    ipv6: bool = False
    subnet: str | None = None
    gateway: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
