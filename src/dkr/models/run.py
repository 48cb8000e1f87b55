"""What `dkr run` publishes, creates and waits for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from dkr.models.reach import PortsHost, Reach

#: docker run --pull
PullPolicy = Literal["missing", "never", "always"]
PULL_POLICIES: tuple[PullPolicy, ...] = ("missing", "never", "always")
#: how --wait knew the container was ready
ReadyHow = Literal["healthy", "ports", "running"]


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
    pull: PullPolicy = "missing"
    init: bool = False
    workdir: str | None = None
    auto_remove: bool = False
    #: -i: keep stdin open and stream the local stdin to it
    interactive: bool = False
    #: -t: a pseudo-terminal in the container (raw output, the local terminal in raw mode)
    tty: bool = False
    #: --entrypoint: None keeps the image's; ("",) clears it (`--entrypoint ""`, as docker)
    entrypoint: tuple[str, ...] | None = None
    user: str = ""
    hostname: str = ""
    #: --restart: (policy name, maximum retry count)
    restart: tuple[str, int] | None = None
    #: -m in bytes, --cpus in billionths of a CPU (0: no limit)
    memory: int = 0
    nano_cpus: int = 0
    cap_add: tuple[str, ...] = ()
    cap_drop: tuple[str, ...] = ()
    read_only: bool = False
    stop_signal: str = ""
    stop_timeout: int | None = None
    #: --health-* / --no-healthcheck, as the create body's Healthcheck (None: the image's)
    healthcheck: Healthcheck | None = None
    platform: str | None = None

    #: -v: HostConfig.Binds (host paths already absolute) and the anonymous volumes' container paths
    binds: tuple[str, ...] = ()
    volumes: tuple[str, ...] = ()
    #: --mount, in order
    mounts: tuple[Mount, ...] = ()
    #: --tmpfs: container path -> the mount's options
    tmpfs: dict[str, str] = field(default_factory=dict)
    #: --network (None: the Engine's default bridge), --network-alias, --add-host (`HOST:IP`)
    network: str | None = None
    network_aliases: tuple[str, ...] = ()
    extra_hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Healthcheck:
    """The create body's Healthcheck: `test` empty keeps the image's command; durations in nanoseconds."""

    test: tuple[str, ...] = ()
    interval: int = 0
    timeout: int = 0
    start_period: int = 0
    retries: int = 0

    def to_api(self) -> dict[str, object]:
        body: dict[str, object] = {"Test": list(self.test)} if self.test else {}
        for key, value in (("Interval", self.interval), ("Timeout", self.timeout),
                           ("StartPeriod", self.start_period), ("Retries", self.retries)):  # fmt: skip
            if value:
                body[key] = value
        return body


@dataclass(frozen=True)
class ExecSpec:
    """What `dkr exec` asks of the Engine: a command in a running container, already validated."""

    container: str
    command: tuple[str, ...]
    env: tuple[str, ...] = ()
    workdir: str | None = None
    user: str = ""
    interactive: bool = False
    tty: bool = False
    detach: bool = False
    privileged: bool = False


@dataclass(frozen=True)
class Console:
    """The local side of an interactive run: the input's file descriptor, whether it is a terminal (raw
    mode, window size), and the detach keys' bytes (matched only with -t)."""

    fd: int
    terminal: bool
    detach_keys: bytes


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
    #: where the Engine's published ports are, seen from here (None: this machine)
    where: PortsHost | None = None

    @property
    def short_id(self) -> str:
        return self.id[:12]


@dataclass(frozen=True)
class Readiness:
    """What `--wait` saw before it returned."""

    #: "healthy" (the HEALTHCHECK said so), "ports" (every published TCP port answered) or "running" (nothing
    #: to wait for: no HEALTHCHECK and no published TCP port)
    how: ReadyHow
    seconds: float
    ports: tuple[PublishedPort, ...] = ()
    #: published ports this machine cannot reach, so --wait could not probe them (a remote Engine's loopback)
    unprobed: tuple[Reach, ...] = ()


@dataclass(frozen=True)
class Mount:
    """One `--mount`, as docker/cli's MountOpt makes it (the Engine API's `mount.Mount`). The `*_options`
    flags say whether docker would send that options object at all (it does once any of its keys is given)."""

    type: str
    target: str
    source: str = ""
    read_only: bool = False
    consistency: str = ""
    bind_options: bool = False
    propagation: str = ""
    non_recursive: bool = False
    volume_options: bool = False
    no_copy: bool = False
    volume_labels: tuple[tuple[str, str], ...] = ()
    volume_driver: str = ""
    volume_opts: tuple[tuple[str, str], ...] = ()
    tmpfs_options: bool = False
    tmpfs_size: int = 0
    tmpfs_mode: int = 0

    def body(self) -> dict[str, Any]:
        """The JSON docker sends: Go's `omitempty` (an empty field is left out; an options object, once made,
        is sent even when empty, and a volume's always with its `DriverConfig`)."""
        out: dict[str, Any] = {"Type": self.type}
        if self.source:
            out["Source"] = self.source
        out["Target"] = self.target
        if self.read_only:
            out["ReadOnly"] = True
        if self.consistency:
            out["Consistency"] = self.consistency
        if self.bind_options:
            out["BindOptions"] = _nonempty(Propagation=self.propagation, NonRecursive=self.non_recursive)
        if self.volume_options:
            driver = _nonempty(Name=self.volume_driver, Options=dict(self.volume_opts))
            out["VolumeOptions"] = {
                **_nonempty(NoCopy=self.no_copy, Labels=dict(self.volume_labels)), "DriverConfig": driver,
            }  # fmt: skip
        if self.tmpfs_options:
            out["TmpfsOptions"] = _nonempty(SizeBytes=self.tmpfs_size, Mode=self.tmpfs_mode)
        return out


def _nonempty(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value}
