"""Frozen data that the core returns and the renderer shows. Built from Engine API payloads; no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


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
    error: str | None = None
    #: True when the container ignored the stop signal and the Engine killed it after the timeout
    killed_after_timeout: bool = False
    timeout: float | None = None


# --- dkr lint ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One lint finding on a Dockerfile: which rule fired, where, why, and what to do instead."""

    rule: str  # "DKR001"
    name: str  # "cache-order"
    severity: str  # "error" | "warning" | "info"
    line: int
    message: str
    fix: str

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "line": self.line,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class LintReport:
    """The outcome for one linted file: its findings, or why it could not be read or parsed."""

    path: str
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    #: the line the parse error is on (0: the file as a whole)
    error_line: int = 0


# --- dkr layers --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    """One entry of an image's history (GET /images/{name}/history): the step that made a layer."""

    id: str  # the image id of that step, or "<missing>" for steps of a pulled base image
    created: int
    created_by: str
    size: int
    comment: str = ""
    tags: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Layer:
        return cls(
            id=str(data.get("Id") or "<missing>"),
            created=int(data.get("Created") or 0),
            created_by=str(data.get("CreatedBy") or ""),
            size=int(data.get("Size") or 0),
            comment=str(data.get("Comment") or ""),
            tags=tuple(data.get("Tags") or ()),
        )

    @property
    def instruction(self) -> str:
        """The instruction that made the layer, on one line, without the builder's wrapping (see
        instruction_of)."""
        return instruction_of(self.created_by)


_SHELL_RUN = "/bin/sh -c "
_NOP = "/bin/sh -c #(nop) "


def instruction_of(created_by: str) -> str:
    """A history entry's CreatedBy as the instruction it came from, on one line.

    The classic builder records `/bin/sh -c #(nop) WORKDIR /app` for instructions that run nothing and
    `/bin/sh -c npm ci` for a RUN, prefixed by `|N K=V...` when N build args were in scope; BuildKit writes
    `RUN /bin/sh -c npm ci # buildkit`. All are shown as `WORKDIR /app` and `RUN npm ci`."""
    text = created_by.strip().removesuffix("# buildkit").strip()
    prefix = ""
    if text.startswith("RUN "):
        prefix, text = "RUN ", text[len("RUN ") :].lstrip()
    args = re.match(r"^\|(\d+) (.*)$", text, re.S)
    if args:
        at = args.group(2).find(_SHELL_RUN)
        text = args.group(2)[at:] if at >= 0 else args.group(2).split(" ", int(args.group(1)))[-1]
    if text.startswith(_NOP):
        text = text[len(_NOP) :]
    elif text.startswith(_SHELL_RUN):
        text = "RUN " + text[len(_SHELL_RUN) :]
    else:
        text = prefix + text
    # the classic builder names copied content by its full digest (`COPY file:73e2…(64 hex) in /bin/`): 12
    # characters identify it, as docker's short ids do
    text = re.sub(r"\b(file|dir|multi):([0-9a-f]{12})[0-9a-f]{52}\b", r"\1:\2", text)
    # one line for the table: a heredoc script's lines joined as the shell would chain them
    return "; ".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


# --- dkr build ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildRequest:
    """What to build: the core's input, from `dkr build` options or a compose file's `build:` section."""

    #: the context folder
    context: str = "."
    #: the Dockerfile, relative to the current folder as `docker build -f` takes it (compose's `dockerfile:`
    #: is relative to the context: join the two first); None = `Dockerfile` in the context
    dockerfile: str | None = None
    tags: tuple[str, ...] = ()
    build_args: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    no_cache: bool = False
    pull: bool = False
    #: build up to this stage of a multi-stage Dockerfile
    target: str | None = None


@dataclass(frozen=True)
class BuildStep:
    """A step of a build, as `dkr build --format json` reports it (index, instruction, cached), and what else
    dkr build saw of it while it ran (the other fields; a step read back from a record has only the first)."""

    index: int
    #: the instruction as the builder echoes it (`COPY . /app`)
    instruction: str
    #: True when the layer came from the cache (a FROM counts as cached unless its image had to be pulled)
    cached: bool
    #: the M of the builder's `Step N/M`
    total: int = 0
    seconds: float = 0.0
    #: the layer (image) id the step produced, short form as echoed, "" if none
    layer_id: str = ""
    #: the last lines the step printed (at most buildlog.OUTPUT_KEPT of them)
    output: tuple[str, ...] = ()
    #: how many lines it printed in all
    output_lines: int = 0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BuildStep:
        return cls(int(data["index"]), str(data["instruction"]), bool(data["cached"]))

    @property
    def keyword(self) -> str:
        return self.instruction.split(None, 1)[0].upper() if self.instruction.strip() else ""

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "instruction": self.instruction,
            "cached": self.cached,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class ImageLayers:
    """An image's layers, oldest first, and for each the build step that made it when dkr's last build of
    this image is on record (None for the base image's layers, or when there is no record)."""

    image: str
    id: str
    layers: tuple[Layer, ...]
    steps: tuple[BuildStep | None, ...] = ()

    @property
    def total_size(self) -> int:
        return sum(layer.size for layer in self.layers)

    @property
    def has_build_record(self) -> bool:
        return any(step is not None for step in self.steps)


@dataclass(frozen=True)
class CacheExplanation:
    """Where the layer cache broke in a build, and why."""

    #: the first step that ran
    step: BuildStep
    #: no-cache | files-changed | instruction-changed | new-step | build-args | base-changed | pulled |
    #: no-record | unknown
    reason: str
    #: the reason in words, e.g. "1 file changed (server.js)"
    detail: str
    #: steps after it that ran as well
    reran_after: tuple[int, ...] = ()
    changed_files: tuple[str, ...] = ()
    #: advice on ordering the Dockerfile so the cache survives, if any
    advice: str | None = None


@dataclass(frozen=True)
class BuildResult:
    id: str
    tags: tuple[str, ...]
    steps: tuple[BuildStep, ...]
    total_steps: int
    seconds: float = 0.0
    explanation: CacheExplanation | None = None
    context_files: int = 0
    context_bytes: int = 0
    warnings: tuple[str, ...] = ()
    #: what `dkr build` prints as hints after its summary (dkr.buildhints), without the `hint: ` prefix
    hints: tuple[str, ...] = ()

    @property
    def cached_steps(self) -> int:
        return sum(1 for s in self.steps if s.cached)

    @property
    def first_miss(self) -> int | None:
        return next((s.index for s in self.steps if not s.cached), None)

    def to_json(self) -> dict[str, Any]:
        """The contract's shape: `{"id", "tags", "steps", "total_steps", "cached_steps", "first_miss"}`."""
        return {
            "id": self.id,
            "tags": list(self.tags),
            "steps": [s.to_json() for s in self.steps],
            "total_steps": self.total_steps,
            "cached_steps": self.cached_steps,
            "first_miss": self.first_miss,
        }


# --- dkr rm ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemoveResult:
    """The outcome of removing one container argument."""

    arg: str
    error: str | None = None
    #: the container does not exist (with -f docker reports it but does not fail)
    not_found: bool = False


# --- dkr images --------------------------------------------------------------------------------------------


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


# --- dkr run ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortMapping:
    """One published container port as docker's `-p` parser yields it (go-connections `nat.PortMapping`).

    `host_port` is kept as the Engine takes it: "" (any free port), "8080", or "8000-8010" (any free port in
    that range, for a single container port). `host_ip` "" means "no address given".
    """

    port: str  # "80/tcp": nat.Port
    host_ip: str = ""
    host_port: str = ""

    @property
    def container_port(self) -> int:
        return int(self.port.partition("/")[0])

    @property
    def proto(self) -> str:
        return self.port.partition("/")[2] or "tcp"

    def spec(self) -> str:
        """The spec that parses back to this mapping (nat's PortMapping.String: net.JoinHostPort)."""
        rest = f"{self.host_port}:{self.port}"
        return f"[{self.host_ip}]:{rest}" if ":" in self.host_ip else f"{self.host_ip}:{rest}"


@dataclass(frozen=True)
class PublishedPort:
    """A binding the Engine made for a started container (`NetworkSettings.Ports`)."""

    container_port: int
    proto: str
    host_ip: str
    host_port: int

    @classmethod
    def from_api(cls, ports: dict[str, Any] | None) -> tuple[PublishedPort, ...]:
        out: list[PublishedPort] = []
        for key, bindings in (ports or {}).items():
            number, _, proto = key.partition("/")
            for b in bindings or ():
                if b.get("HostPort"):
                    out.append(
                        cls(int(number), proto or "tcp", str(b.get("HostIp") or ""), int(b["HostPort"]))
                    )
        return tuple(sorted(out, key=lambda p: (p.container_port, p.proto, ":" in p.host_ip, p.host_port)))

    @property
    def dial_host(self) -> str:
        """Where a client on this machine reaches the binding: the bound address, or loopback for the
        wildcard addresses (a connection to 0.0.0.0 / :: is not portable)."""
        if self.host_ip in ("", "0.0.0.0"):
            return "127.0.0.1"
        if self.host_ip == "::":
            return "::1"
        return self.host_ip

    @property
    def address(self) -> str:
        host = f"[{self.dial_host}]" if ":" in self.dial_host else self.dial_host
        return f"{host}:{self.host_port}"

    @property
    def target(self) -> str:
        return f"{self.container_port}/{self.proto}"


@dataclass(frozen=True)
class RunSpec:
    """Everything `dkr run` (and later `dkr up`) asks of the Engine for one container, already validated."""

    image: str
    command: tuple[str, ...] = ()
    name: str | None = None
    #: bindings as parsed from -p, the default host address already applied
    publish: tuple[PortMapping, ...] = ()
    #: -P: also publish every port the image EXPOSEs, on `publish_ip`
    publish_all: bool = False
    publish_ip: str = "127.0.0.1"
    env: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    pull: str = "missing"  # missing | never | always
    init: bool = False
    workdir: str | None = None
    auto_remove: bool = False


@dataclass(frozen=True)
class ImageInfo:
    """What `dkr run` needs to know about the image before it creates the container."""

    id: str
    ref: str
    exposed: tuple[str, ...] = ()  # "80/tcp", in the Engine's order
    healthcheck: bool = False

    @classmethod
    def from_api(cls, ref: str, data: dict[str, Any]) -> ImageInfo:
        config = data.get("Config") or {}
        test = (config.get("Healthcheck") or {}).get("Test") or []
        return cls(
            id=str(data.get("Id") or ""),
            ref=ref,
            exposed=tuple(config.get("ExposedPorts") or ()),
            healthcheck=bool(test) and test[0] != "NONE",
        )


@dataclass(frozen=True)
class RunResult:
    """A container `dkr run -d` started."""

    id: str
    name: str
    image: ImageInfo
    ports: tuple[PublishedPort, ...] = ()
    #: what --wait saw, when it was asked to wait
    ready: Readiness | None = None

    @property
    def short_id(self) -> str:
        return self.id[:12]


@dataclass(frozen=True)
class Readiness:
    """What `--wait` saw before it returned."""

    #: "healthy" (the HEALTHCHECK said so), "ports" (every published TCP port answered) or "running" (nothing
    #: to wait for: no HEALTHCHECK and no published TCP port)
    how: str
    seconds: float
    ports: tuple[PublishedPort, ...] = ()


# --- dkr up -----------------------------------------------------------------------------------------------


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
