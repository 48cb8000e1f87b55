"""What `dkr up` is asked to do and what it did."""

from __future__ import annotations

from dataclasses import dataclass

from dkr.models.build import BuildRequest, BuildResult
from dkr.models.run import RunResult, RunSpec


@dataclass(frozen=True)
class UpRequest:
    """`dkr up`: build this, then replace the container `run.name` with one of the new image."""

    build: BuildRequest
    #: the container to start; its image is the build's tag. `publish` empty: every port the image EXPOSEs
    #: is published on `publish_ip` (a port the replaced container published keeps its host port)
    run: RunSpec
    #: also replace a container of that name that dkr up did not create
    replace: bool = False
    #: seconds to wait for the new container to answer
    wait_timeout: float = 60.0


@dataclass(frozen=True)
class UpResult:
    build: BuildResult
    container: RunResult
    #: the id of the container it replaced, if any
    replaced: str | None = None


@dataclass(frozen=True)
class SwarmUpRequest:
    """`dkr up --replicas N` (or `dkr up` of a service it made): build this, push it to `registry` under a
    tag derived from the image id, then create or roll the Swarm service `name` to it and wait."""

    build: BuildRequest
    name: str
    registry: str
    #: None: keep the service's count (1 for a new one)
    replicas: int | None
    #: `-p` as docker service create reads it; empty: every EXPOSEd port in mode=host (on create only)
    publish: tuple[str, ...]
    labels: dict[str, str]
    init: bool
    wait_timeout: float


@dataclass(frozen=True)
class SwarmUpResult:
    build: BuildResult
    service_id: str
    #: the image the service now runs, pinned by digest (`REGISTRY/NAME:TAG@sha256:...`)
    image: str
    #: it was created (not updated)
    created: bool
    #: where it answers: each running task's node address and published host-mode port
    endpoints: tuple[tuple[str, int], ...]
    ports: tuple[dict[str, object], ...] = ()
