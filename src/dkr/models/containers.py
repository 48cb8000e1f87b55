"""Containers as the Engine lists them, and the outcome of stopping, removing or otherwise acting on one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dkr.errors import DkrError, NoSuchObject


@dataclass(frozen=True)
class PortBinding:
    """One entry of a container list's `Ports`: a container port, and where it is published (if it is)."""

    private_port: int
    type: str = "tcp"
    ip: str = ""
    public_port: int = 0

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> PortBinding:
        return cls(
            private_port=int(data.get("PrivatePort") or 0),
            type=str(data.get("Type") or "tcp"),
            ip=str(data.get("IP") or ""),
            public_port=int(data.get("PublicPort") or 0),
        )


@dataclass(frozen=True)
class Mount:
    name: str
    source: str
    driver: str

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Mount:
        return cls(str(data.get("Name") or ""), str(data.get("Source") or ""), str(data.get("Driver") or ""))


@dataclass(frozen=True)
class Container:
    """A container as the Engine's list endpoint describes it (one request for all of them)."""

    id: str
    names: tuple[str, ...]
    image: str
    image_id: str
    command: str
    created: int
    state: str
    status: str
    ports: tuple[PortBinding, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    mounts: tuple[Mount, ...] = ()
    networks: tuple[str, ...] = ()
    size_rw: int = 0
    size_root_fs: int = 0

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Container:
        nets = ((data.get("NetworkSettings") or {}).get("Networks")) or {}
        return cls(
            id=str(data["Id"]),
            names=tuple(data.get("Names") or ()),
            image=str(data.get("Image") or ""),
            image_id=str(data.get("ImageID") or ""),
            command=str(data.get("Command") or ""),
            created=int(data.get("Created") or 0),
            state=str(data.get("State") or ""),
            status=str(data.get("Status") or ""),
            ports=tuple(PortBinding.from_api(p) for p in data.get("Ports") or ()),
            labels=dict(data.get("Labels") or {}),
            mounts=tuple(Mount.from_api(m) for m in data.get("Mounts") or ()),
            networks=tuple(nets),
            size_rw=int(data.get("SizeRw") or 0),
            size_root_fs=int(data.get("SizeRootFs") or 0),
        )

    @property
    def name(self) -> str:
        """The primary name, as docker shows it (without the leading slash, not a legacy link name)."""
        for n in self.names:
            n = n.removeprefix("/")
            if "/" not in n:
                return n
        return self.names[0].removeprefix("/") if self.names else ""


@dataclass(frozen=True)
class StopResult:
    """The outcome of stopping one container argument."""

    arg: str
    #: why it could not be stopped (words: dkr.render.errors)
    error: DkrError | None = None
    #: True when the container ignored the stop signal and the Engine killed it after the timeout
    killed_after_timeout: bool = False
    timeout: float | None = None


@dataclass(frozen=True)
class RemoveResult:
    """The outcome of removing one container argument."""

    arg: str
    #: why it could not be removed (words: dkr.render.errors)
    error: DkrError | None = None

    @property
    def not_found(self) -> bool:
        """The container does not exist (with -f docker reports it but does not fail)."""
        return isinstance(self.error, NoSuchObject)


@dataclass(frozen=True)
class Outcome:
    """The outcome of one lifecycle operation (inspect, start, kill, wait ...) on one argument."""

    arg: str
    #: why it failed (words: dkr.render.errors)
    error: DkrError | None = None
    #: what the Engine answered, where it says something: the inspected object, wait's exit code
    value: Any = None
