"""Pure: `dkr run`'s rules. Option values checked as docker/cli checks them (before any Engine call), and the
create request they make. (The Engine's create/start refusals are read in dkr.engine.errors.)

Standard library only, no I/O: the command reads env files and hands their bytes in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dkr.errors import UsageError
from dkr.grammars.mounts import check_distinct, parse_mount, parse_tmpfs, parse_volumes
from dkr.grammars.ports import (
    exposed_ports,
    is_ip,
    parse_publish_specs,
    port_bindings,
    publish_all,
    publish_ip,
    with_default_ip,
)
from dkr.models.run import PULL_POLICIES, ExecSpec, Healthcheck, ImageInfo, PullPolicy, RunSpec
from dkr.options.common import check_container_refs, check_image, ordinal, shown
from dkr.options.numbers import parse_int

#: moby's validContainerNamePattern (daemon/names): at least two characters
_NAME = re.compile(r"/?[a-zA-Z0-9][a-zA-Z0-9_.-]+")
_WHITESPACE = " \t"
_BOM = b"\xef\xbb\xbf"
#: bufio.Scanner's default limit (bufio.MaxScanTokenSize): docker fails on a longer env-file line
_MAX_LINE = 64 * 1024
#: --wait-timeout when none is given, and the longest one (about 31 years: finite, so every deadline dkr
#: computes from it stays in range, and longer than anyone waits)
DEFAULT_WAIT_SECONDS = 60.0
MAX_WAIT_SECONDS = 1e9
#: The longest first word of COMMAND, in UTF-8 bytes: Linux's PATH_MAX (4096 with the final NUL). A longer
#: path can never be executed (execve fails with ENAMETOOLONG), and asking the Engine to try can hang it:
#: runc's "exec: <name>: executable file not found" error, with the name in it, is written to a pipe that
#: the containerd shim reads only once runc has exited, so a name near 64 KiB (the pipe's buffer) deadlocks
#: the start, leaves runc blocked and the container unremovable (moby/moby#37525, containerd#4434). docker
#: has no limit and hangs there.
MAX_EXECUTABLE_BYTES = 4095


def check_env(
    value: str, lookup: Callable[[str], str | None], position: int = 1, command: str = "run"
) -> str:
    """docker/cli opts.ValidateEnv: `K=V` as given; a bare `K` takes its value from dkr's environment, or
    stays bare (the Engine then leaves it unset); an empty name is an error, which names the `position`-th
    -e rather than echo its value (a secret, often)."""
    key, sep, _ = value.partition("=")
    if key == "":
        raise UsageError(f"invalid -e/--env (the {ordinal(position)}): no variable name before '='", command)
    if sep:
        return value
    found = lookup(key)
    return f"{key}={found}" if found is not None else value


def parse_env_file(path: str, data: bytes, lookup: Callable[[str], str | None]) -> list[str]:
    """docker/cli pkg/kvfile: UTF-8, BOM dropped, leading whitespace dropped, `#` comments and blank lines
    skipped, `KEY=VALUE` kept as-is (quotes and trailing spaces included), a bare `KEY` looked up in dkr's
    environment and dropped if unset. An error names the line by its number and the variable by its name,
    never a value (docker echoes the whole line)."""
    out: list[str] = []
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    # bufio.ScanLines: split on \n only and drop one trailing \r
    for number, raw in enumerate((line.removesuffix(b"\r") for line in lines), start=1):
        if len(raw) > _MAX_LINE:
            raise UsageError(f"invalid env file {path}: line {number} is longer than 64 KiB", "run")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"invalid env file {path}: invalid UTF-8 at line {number}", "run") from None
        if number == 1:
            text = text.removeprefix(_BOM.decode())
        line = text.lstrip()
        if not line or line.startswith("#"):
            continue
        key, sep, _ = line.partition("=")
        if key == "":
            raise UsageError(f"invalid env file {path}: no variable name on line {number}", "run")
        if any(ch in key for ch in _WHITESPACE):
            # without "=" the line is no KEY=VALUE at all (a stray value, perhaps): only its number is shown
            what = f"variable {shown(key)} on line {number}" if sep else f"the variable name on line {number}"
            raise UsageError(f"invalid env file {path}: {what} contains whitespace", "run")
        if sep:
            out.append(line)
            continue
        found = lookup(line)
        if found is not None:
            out.append(f"{key}={found}")
    return out


def parse_labels(values: Iterable[str], command: str = "run") -> dict[str, str]:
    """docker/cli opts.ValidateLabel then ConvertKVStringsToMap: `K=V`, a bare `K` is `K=""`, last wins."""
    labels: dict[str, str] = {}
    for value in values:
        key, _, val = value.partition("=")
        if key.lstrip(_WHITESPACE) == "":
            raise UsageError(f"invalid label '{value}' (empty name)", command)
        if any(ch in key.lstrip(_WHITESPACE) for ch in _WHITESPACE):
            raise UsageError(f"invalid label '{value}' (the name contains whitespace)", command)
        labels[key] = val
    return labels


def parse_driver_options(items: Iterable[str], command: str) -> dict[str, str]:
    """-o/--opt KEY=VALUE of volume and network create (docker's MapOpts): the last one for a key wins."""
    options = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"invalid -o/--opt {shown(item)} (expected KEY=VALUE)", command)
        options[key] = value
    return options


def check_name(name: str | None, command: str = "run") -> str | None:
    """The Engine's container-name rule, checked here so a bad name is a usage error (exit 2)."""
    if name is None:
        return None
    if not _NAME.fullmatch(name):
        raise UsageError(
            f"invalid container name '{name}' "
            "(two or more of [a-zA-Z0-9_.-], starting with a letter or digit)",
            command,
        )
    return name.removeprefix("/")


def check_workdir(workdir: str | None, command: str = "run") -> str | None:
    """The Engine wants an absolute path (`the working directory 'x' is invalid`); say so before asking."""
    if workdir is None:
        return None
    if not workdir.startswith("/"):
        raise UsageError(f"invalid working directory {shown(workdir)} (it must be an absolute path)", command)
    return workdir


def check_command(command: tuple[str, ...], name: str = "run") -> tuple[str, ...]:
    """COMMAND's first word, when it is the executable, is a path: at most MAX_EXECUTABLE_BYTES."""
    if command:
        size = len(command[0].encode("utf-8", "surrogatepass"))
        if size > MAX_EXECUTABLE_BYTES:
            limit = f"an executable's path is at most {MAX_EXECUTABLE_BYTES:,} bytes (Linux's PATH_MAX)"
            raise UsageError(f"the command {shown(command[0])} is too long: {limit}", name)
    return command


#: --network values that are not a user-defined network (docker/cli's container.NetworkMode checks)
BUILTIN_NETWORKS = ("bridge", "host", "none", "default")


def parse_add_host(value: str, command: str = "run") -> str:
    """docker/cli opts.ValidateExtraHost: `HOST:IP` or `HOST=IP`, the IP in brackets or not, or
    `host-gateway`; sent as `HOST:IP` (brackets dropped, the address as written)."""
    host, sep, ip = value.partition("=")
    if not sep:
        host, sep, ip = value.partition(":")
    if not sep or host == "" or ":" in host:
        raise UsageError(f"invalid --add-host {shown(value)}: expected HOST:IP", command)
    if ip != "host-gateway":
        if len(ip) > 2 and ip[0] == "[" and ip[-1] == "]":
            ip = ip[1:-1]
        if not is_ip(ip.strip(" \t\n\r\v\f")):
            raise UsageError(f"invalid --add-host {shown(value)}: {shown(ip)} is not an IP address", command)
    return f"{host}:{ip}"


def check_network(
    networks: Iterable[str], aliases: Iterable[str], command: str = "run"
) -> tuple[str | None, tuple[str, ...]]:
    """--network (one: Engine API 1.41 connects a new container to one network; `dkr network connect` adds
    more) and --network-alias, which docker allows only on a user-defined network."""
    given = list(networks)
    names = tuple(dict.fromkeys(aliases))
    if len(given) > 1:
        raise UsageError(
            "one --network only: connect the container to more with 'dkr network connect NETWORK CONTAINER'",
            command,
        )
    network = given[0] if given else None
    if network == "":
        raise UsageError("invalid --network '': name a network, or bridge, host or none", command)
    if "" in names:
        raise UsageError("invalid --network-alias '': an alias is a host name", command)
    user_defined = (
        network is not None and network not in BUILTIN_NETWORKS and not network.startswith("container:")
    )
    if names and not user_defined:
        raise UsageError("network-scoped aliases are only supported for user-defined networks", command)
    return network, names


def check_pull(value: str) -> PullPolicy:
    for policy in PULL_POLICIES:
        if value == policy:
            return policy
    raise UsageError(f"invalid --pull '{value}' (expected missing, never or always)", "run")


def run_spec(
    image: str,
    command: Iterable[str] = (),
    *,
    environ: Mapping[str, str],
    publish: Iterable[str] = (),
    publish_all: bool = False,
    name: str | None = None,
    rm: bool = False,
    env: Iterable[str] = (),
    env_files: Iterable[tuple[str, bytes]] = (),
    labels: Iterable[str] = (),
    pull: str = "missing",
    init: bool = False,
    workdir: str | None = None,
    interactive: bool = False,
    tty: bool = False,
    volumes: Iterable[str] = (),
    mounts: Iterable[str] = (),
    tmpfs: Iterable[str] = (),
    cwd: str = "/",
    networks: Iterable[str] = (),
    network_aliases: Iterable[str] = (),
    add_hosts: Iterable[str] = (),
    more: MoreFlags | None = None,
) -> RunSpec:
    """Every `dkr run` option checked and turned into a RunSpec; a bad one raises UsageError (exit 2).
    `environ` is dkr's own environment (bare `-e K` lookups and DKR_PUBLISH_IP); `cwd` the folder a host path
    starting with `.` is taken from."""
    image = check_image(image, "run")
    binds, anonymous = parse_volumes(volumes, cwd)
    mount_list = tuple(parse_mount(value, cwd) for value in mounts)
    check_distinct(binds, mount_list)
    network, aliases = check_network(networks, network_aliases)
    ip = publish_ip(environ)
    lookup = environ.get
    variables = [v for path, data in env_files for v in parse_env_file(path, data, lookup)]
    variables += [check_env(v, lookup, n) for n, v in enumerate(env, start=1)]
    return RunSpec(
        image=image,
        command=check_command(tuple(command)),
        name=check_name(name),
        publish=with_default_ip(parse_publish_specs(publish), ip),
        publish_all=publish_all,
        publish_ip=ip,
        env=tuple(variables),
        labels=parse_labels(labels),
        pull=check_pull(pull),
        init=init,
        workdir=check_workdir(workdir),
        auto_remove=rm,
        interactive=interactive,
        tty=tty,
        binds=binds,
        volumes=anonymous,
        mounts=mount_list,
        tmpfs=parse_tmpfs(tmpfs),
        network=network,
        network_aliases=aliases,
        extra_hosts=tuple(parse_add_host(h) for h in add_hosts),
        **(more or MoreFlags()).checked(rm),
    )


@dataclass(frozen=True)
class MoreFlags:
    """The rest of `docker run`'s everyday flags, as typed (checked by `checked`)."""

    entrypoint: str | None = None
    user: str | None = None
    hostname: str | None = None
    restart: str | None = None
    memory: str | None = None
    cpus: str | None = None
    cap_add: tuple[str, ...] = ()
    cap_drop: tuple[str, ...] = ()
    read_only: bool = False
    stop_signal: str | None = None
    stop_timeout: str | None = None
    health_cmd: str | None = None
    health_interval: str | None = None
    health_timeout: str | None = None
    health_start_period: str | None = None
    health_retries: str | None = None
    no_healthcheck: bool = False
    platform: str | None = None

    def checked(self, rm: bool) -> dict[str, Any]:
        """RunSpec's fields for these flags; UsageError (exit 2) with docker's reason for a bad one."""
        from dkr.grammars.signals import parse_signal
        from dkr.options.registry import parse_platform

        out: dict[str, Any] = {
            "user": self.user or "",
            "hostname": check_hostname(self.hostname),
            **dict(zip(("cap_add", "cap_drop"), effective_caps(self.cap_add, self.cap_drop), strict=True)),
            "read_only": self.read_only,
            "platform": parse_platform(self.platform, "run"),
        }
        if self.entrypoint is not None:
            out["entrypoint"] = (self.entrypoint,)  # `--entrypoint ""` clears the image's: [""]
        if self.restart is not None:
            out["restart"] = parse_restart(self.restart, rm)
        if self.memory is not None:
            out["memory"] = parse_memory(self.memory)
        if self.cpus is not None:
            out["nano_cpus"] = parse_cpus(self.cpus)
        if self.stop_signal is not None:
            parse_signal(self.stop_signal, "run")  # checked here; sent as typed, as docker sends it
            out["stop_signal"] = self.stop_signal
        if self.stop_timeout is not None:
            out["stop_timeout"] = parse_int(
                self.stop_timeout, "--stop-timeout", "run", minimum=-(2**31), maximum=2**31 - 1
            )
        out["healthcheck"] = self._health()
        return out

    def _health(self) -> Healthcheck | None:
        durations = {
            "--health-interval": self.health_interval,
            "--health-timeout": self.health_timeout,
            "--health-start-period": self.health_start_period,
        }
        given = self.health_cmd is not None or self.health_retries is not None
        given = given or any(v is not None for v in durations.values())
        if self.no_healthcheck:
            if given:
                raise UsageError("--no-healthcheck conflicts with --health-* options", "run")
            return Healthcheck(test=("NONE",))
        if not given:
            return None
        ns = {flag: parse_duration_ns(value, flag) for flag, value in durations.items()}
        retries = 0
        if self.health_retries is not None:
            retries = parse_int(
                self.health_retries, "--health-retries", "run", minimum=-(2**31), maximum=2**31 - 1
            )
            if retries < 0:
                raise UsageError("--health-retries cannot be negative", "run")
        return Healthcheck(
            test=("CMD-SHELL", self.health_cmd) if self.health_cmd else (),
            interval=ns["--health-interval"], timeout=ns["--health-timeout"],
            start_period=ns["--health-start-period"], retries=retries,
        )  # fmt: skip


def effective_caps(add: Iterable[str], drop: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """--cap-add/--cap-drop as the docker CLI sends them (measured with docker 28 on this Engine): each name
    upper-cased with the CAP_ prefix (ALL stays ALL), each list without repeats and sorted; a capability in
    both lists stays in both (the Engine decides)."""

    def normal(caps: Iterable[str]) -> tuple[str, ...]:
        names = {cap.strip().upper() for cap in caps}
        return tuple(sorted(n if n == "ALL" or n.startswith("CAP_") else "CAP_" + n for n in names))

    return normal(add), normal(drop)


#: docker's restart policies (opts.ParseRestartPolicy)
RESTART_POLICIES = ("no", "always", "on-failure", "unless-stopped")


def parse_restart(value: str, rm: bool) -> tuple[str, int]:
    """`no`, `always`, `unless-stopped`, `on-failure[:N]` -> (name, maximum retries)."""
    name, sep, count = value.partition(":")
    if name not in RESTART_POLICIES:
        raise UsageError(
            f"invalid restart policy {shown(value)}: expected one of {', '.join(RESTART_POLICIES)}", "run"
        )
    retries = 0
    if sep:
        if name != "on-failure":
            raise UsageError(f"maximum retry count cannot be used with restart policy '{name}'", "run")
        retries = parse_int(count, "--restart", "run", minimum=0, maximum=2**31 - 1)
    if rm and name != "no":
        raise UsageError("conflicting options: --restart and --rm", "run")
    return name, retries


def parse_memory(value: str) -> int:
    """-m/--memory: go-units RAMInBytes (`512m`, `1g`); the Engine wants at least 6 MB."""
    from dkr.grammars.units import ram_in_bytes

    try:
        size = ram_in_bytes(value)
    except ValueError as exc:
        raise UsageError(f"invalid -m/--memory {shown(value)}: {exc}", "run") from None
    if 0 < size < 6 * 1024 * 1024:
        raise UsageError(f"invalid -m/--memory {shown(value)}: the minimum memory limit is 6MB", "run")
    return size


def parse_cpus(value: str) -> int:
    """--cpus: a decimal number of CPUs -> NanoCpus (docker's opts.NanoCPUs: at most 9 decimals)."""
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(value.strip()) if value.strip().isascii() else Decimal("nan")
    except InvalidOperation:
        number = Decimal("nan")
    if not number.is_finite() or number < 0 or number * 1_000_000_000 >= 2**63:
        raise UsageError(f"invalid --cpus {shown(value)}: expected a number of CPUs, e.g. 1.5", "run")
    nano = number * 1_000_000_000
    if nano != nano.to_integral_value():
        raise UsageError(f"invalid --cpus {shown(value)}: value is too precise", "run")
    return int(nano)


def parse_duration_ns(value: str | None, flag: str) -> int:
    """A --health-* duration (Go's ParseDuration), never negative."""
    if value is None:
        return 0
    from dkr.grammars.timespec import TimeSpecError, parse_go_duration

    try:
        ns = parse_go_duration(value)
    except TimeSpecError as exc:
        raise UsageError(f"invalid {flag} {shown(value)}: {exc}", "run") from None
    if ns < 0:
        raise UsageError(f"{flag} cannot be negative", "run")
    return ns


def check_hostname(value: str | None) -> str:
    """-h/--hostname: what the Engine would refuse later (a blank, a space) refused here."""
    if value is None:
        return ""
    if not value or len(value) > 253 or any(c.isspace() for c in value):
        raise UsageError(f"invalid -h/--hostname {shown(value)}", "run")
    return value


def detach_keys(value: str | None, command: str) -> bytes:
    """--detach-keys (default docker's ctrl-p,ctrl-q) as the bytes a terminal sends for them."""
    from dkr.grammars.keys import DEFAULT, InvalidKeys, to_bytes

    try:
        return to_bytes(DEFAULT if value is None else value)
    except InvalidKeys as exc:
        raise UsageError(f"invalid --detach-keys {shown(value or '')}: {exc}", command) from None


def container_config(spec: RunSpec, image: ImageInfo, attach: bool) -> dict[str, object]:
    """The body of POST /containers/create, as docker run builds it for these options (dkr's bindings and
    -P computed here rather than by the Engine, so they land on dkr's default address)."""
    mappings = spec.publish
    if spec.publish_all:
        mappings = publish_all(mappings, image.exposed, spec.publish_ip)
    host: dict[str, object] = {"PortBindings": port_bindings(mappings), "AutoRemove": spec.auto_remove}
    if spec.init:
        host["Init"] = True
    if spec.restart is not None:
        host["RestartPolicy"] = {"Name": spec.restart[0], "MaximumRetryCount": spec.restart[1]}
    if spec.memory:
        host["Memory"] = spec.memory
    if spec.nano_cpus:
        host["NanoCpus"] = spec.nano_cpus
    if spec.cap_add:
        host["CapAdd"] = list(spec.cap_add)
    if spec.cap_drop:
        host["CapDrop"] = list(spec.cap_drop)
    if spec.read_only:
        host["ReadonlyRootfs"] = True
    extra: dict[str, object] = {}
    if spec.entrypoint is not None:
        extra["Entrypoint"] = list(spec.entrypoint)
    if spec.user:
        extra["User"] = spec.user
    if spec.hostname:
        extra["Hostname"] = spec.hostname
    if spec.stop_signal:
        extra["StopSignal"] = spec.stop_signal
    if spec.stop_timeout is not None:
        extra["StopTimeout"] = spec.stop_timeout
    if spec.healthcheck is not None:
        extra["Healthcheck"] = spec.healthcheck.to_api()
    # as docker run: -v with a source is a Bind, without one an anonymous volume in Config.Volumes
    if spec.binds:
        host["Binds"] = list(spec.binds)
    if spec.mounts:
        host["Mounts"] = [m.body() for m in spec.mounts]
    if spec.tmpfs:
        host["Tmpfs"] = dict(spec.tmpfs)
    config: dict[str, object] = {"Volumes": {v: {} for v in spec.volumes}} if spec.volumes else {}
    if spec.extra_hosts:
        host["ExtraHosts"] = list(spec.extra_hosts)
    if spec.network is not None:
        host["NetworkMode"] = spec.network
        if spec.network_aliases:
            endpoint = {"Aliases": list(spec.network_aliases)}
            config["NetworkingConfig"] = {"EndpointsConfig": {spec.network: endpoint}}
    return {
        **extra,
        **config,
        "Image": spec.image,
        "Cmd": list(spec.command) or None,
        "Env": list(spec.env),
        "Labels": dict(spec.labels),
        "WorkingDir": spec.workdir or "",
        "ExposedPorts": exposed_ports(mappings),
        "AttachStdin": attach and spec.interactive,
        "AttachStdout": attach,
        "AttachStderr": attach,
        # as docker run: -i keeps stdin open; attached, it closes when the client's input ends
        "OpenStdin": spec.interactive,
        "StdinOnce": attach and spec.interactive,
        "Tty": spec.tty,
        "HostConfig": host,
    }


def exec_spec(
    container: str,
    command: Iterable[str],
    *,
    environ: Mapping[str, str],
    env: Iterable[str] = (),
    env_files: Iterable[tuple[str, bytes]] = (),
    workdir: str | None = None,
    user: str | None = None,
    interactive: bool = False,
    tty: bool = False,
    detach: bool = False,
    privileged: bool = False,
) -> ExecSpec:
    """`dkr exec`'s options checked (docker/cli's exec: a container and a command are required)."""
    check_container_refs([container], "exec")
    cmd = check_command(tuple(command), "exec")
    if not cmd:
        raise UsageError("exec needs a command to run in the container", "exec")
    lookup = environ.get
    variables = [v for path, data in env_files for v in parse_env_file(path, data, lookup)]
    variables += [check_env(v, lookup, n, "exec") for n, v in enumerate(env, start=1)]
    if user is not None and (not user or any(c.isspace() for c in user)):
        raise UsageError(f"invalid -u/--user {shown(user)}: expected USER[:GROUP] or UID[:GID]", "exec")
    return ExecSpec(
        container=container, command=cmd, env=tuple(variables), workdir=check_workdir(workdir, "exec"),
        user=user or "", interactive=interactive, tty=tty, detach=detach, privileged=privileged,
    )  # fmt: skip
