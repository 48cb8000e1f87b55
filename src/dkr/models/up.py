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
