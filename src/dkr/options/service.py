"""`dkr service` options checked before any Engine call (UsageError, exit 2), and the Engine API bodies they
make: a ServiceSpec for `service create` as docker/cli's service opts build it (cli/command/service/opts.go),
and the changes `service update` and `service scale` make to a service's current spec (what dkr says about
a published port is render.swarm's published_port_notice).

Pure: no I/O, standard library only.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dkr.errors import DkrError, UsageError
from dkr.options.common import shown

#: `--mode`'s values (docker/cli's service modes)
MODES = ("replicated", "global", "replicated-job", "global-job")
FAILURE_ACTIONS = ("pause", "continue", "rollback")
ROLLBACK_FAILURE_ACTIONS = ("pause", "continue")
ORDERS = ("stop-first", "start-first")
ENDPOINT_MODES = ("vip", "dnsrr")
#: `dkr service create|update|scale --wait-timeout`'s default, in seconds
DEFAULT_WAIT_SECONDS = 120.0
_UINT64_MAX = 2**64 - 1


def _choice(value: str, flag: str, choices: Sequence[str], command: str) -> str:
    if value not in choices:
        raise UsageError(f"invalid {flag} {shown(value)}: expected one of {', '.join(choices)}", command)
    return value


def parse_duration(value: str, flag: str, command: str) -> int:
    """A Go duration (`10s`, `1m30s`, `500ms`) in nanoseconds, never negative (docker's DurationOpt and
    PositiveDurationOpt)."""
    from dkr.grammars.timespec import TimeSpecError, parse_go_duration

    try:
        ns = parse_go_duration(value)
    except TimeSpecError as exc:
        raise UsageError(f"invalid {flag} {shown(value)}: {exc}", command) from None
    if ns < 0:
        raise UsageError(f"invalid {flag} {shown(value)}: duration cannot be negative", command)
    return ns


def parse_replicas(value: str, command: str, flag: str = "--replicas") -> int:
    from dkr.options.numbers import parse_int

    return parse_int(value, flag, command, minimum=0, maximum=_UINT64_MAX)


def _ratio(value: str, flag: str, command: str) -> float:
    try:
        ratio = float(value) if value.strip() and value.isascii() else float("nan")
    except ValueError:
        ratio = float("nan")
    if not 0.0 <= ratio <= 1.0:  # NaN fails too
        raise UsageError(f"invalid {flag} {shown(value)}: expected a fraction between 0 and 1", command)
    return ratio


@dataclass(frozen=True)
class RolloutFlags:
    """`--update-*` or `--rollback-*`, as typed (None: not given)."""

    parallelism: str | None = None
    delay: str | None = None
    failure_action: str | None = None
    monitor: str | None = None
    max_failure_ratio: str | None = None
    order: str | None = None

    def given(self) -> bool:
        return any(v is not None for v in vars(self).values())

    def config(self, prefix: str, command: str, base: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The UpdateConfig / RollbackConfig body: docker's defaults (parallelism 1, pause, stop-first) for
        what `base` (the current config, for update) does not set, the flags over them."""
        defaults = {"Parallelism": 1, "FailureAction": "pause", "Order": "stop-first"}
        out: dict[str, Any] = dict(base if base is not None else defaults)
        actions = ROLLBACK_FAILURE_ACTIONS if prefix == "--rollback" else FAILURE_ACTIONS
        if self.parallelism is not None:
            out["Parallelism"] = parse_replicas(self.parallelism, command, f"{prefix}-parallelism")
        if self.delay is not None:
            out["Delay"] = parse_duration(self.delay, f"{prefix}-delay", command)
        if self.failure_action is not None:
            out["FailureAction"] = _choice(self.failure_action, f"{prefix}-failure-action", actions, command)
        if self.monitor is not None:
            out["Monitor"] = parse_duration(self.monitor, f"{prefix}-monitor", command)
        if self.max_failure_ratio is not None:
            out["MaxFailureRatio"] = _ratio(self.max_failure_ratio, f"{prefix}-max-failure-ratio", command)
        if self.order is not None:
            out["Order"] = _choice(self.order, f"{prefix}-order", ORDERS, command)
        return out


@dataclass(frozen=True)
class HealthFlags:
    """`--health-*` and `--no-healthcheck`, as typed."""

    cmd: str | None = None
    interval: str | None = None
    timeout: str | None = None
    retries: str | None = None
    start_period: str | None = None
    none: bool = False

    def config(self, command: str) -> dict[str, Any] | None:
        """ContainerSpec.Healthcheck as docker sends it, or None when no flag was given."""
        from dkr.options.numbers import parse_int

        durations = {"--health-interval": self.interval, "--health-timeout": self.timeout,
                     "--health-start-period": self.start_period}  # fmt: skip
        given = (
            self.cmd is not None or self.retries is not None or any(v is not None for v in durations.values())
        )
        if self.none:
            if given:
                raise UsageError("--no-healthcheck conflicts with --health-* options", command)
            return {"Test": ["NONE"]}
        if not given:
            return None
        out: dict[str, Any] = {}
        if self.cmd:
            out["Test"] = ["CMD-SHELL", self.cmd]
        for flag, key in (("--health-interval", "Interval"), ("--health-timeout", "Timeout"),
                          ("--health-start-period", "StartPeriod")):  # fmt: skip
            value = durations[flag]
            if value is not None:
                out[key] = parse_duration(value, flag, command)
        if self.retries is not None:
            out["Retries"] = parse_int(
                self.retries, "--health-retries", command, minimum=0, maximum=2**31 - 1
            )
        return out


@dataclass(frozen=True)
class ServiceOptions:
    """`dkr service create`'s flags and arguments, as typed; `spec()` checks them and builds the body."""

    image: str
    args: tuple[str, ...] = ()
    name: str | None = None
    mode: str = "replicated"
    replicas: str | None = None
    publish: tuple[str, ...] = ()
    env: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    container_labels: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    mounts: tuple[str, ...] = ()
    workdir: str | None = None
    user: str | None = None
    stop_grace_period: str | None = None
    endpoint_mode: str | None = None
    update: RolloutFlags = RolloutFlags()
    rollback: RolloutFlags = RolloutFlags()
    health: HealthFlags = HealthFlags()

    def spec(self, lookup: Callable[[str], str | None] = os.environ.get, cwd: str = "/") -> dict[str, Any]:
        """The ServiceSpec body of POST /services/create."""
        from dkr.grammars.mounts import parse_mount
        from dkr.grammars.ports import parse_service_publish
        from dkr.options.common import check_image
        from dkr.options.run import check_env, parse_labels

        command = "service create"
        check_image(self.image, command)
        if self.name is not None and not self.name.strip():
            raise UsageError("invalid --name '': name the service", command)
        mode = _choice(self.mode, "--mode", MODES, command)
        if self.replicas is not None and mode not in ("replicated", "replicated-job"):
            raise UsageError("replicas can only be used with replicated or replicated-job mode", command)
        container: dict[str, Any] = {"Image": self.image}
        if self.args:
            container["Args"] = list(self.args)
        if self.env:
            container["Env"] = [check_env(e, lookup, i, command) for i, e in enumerate(self.env, start=1)]
        if self.container_labels:
            container["Labels"] = parse_labels(self.container_labels, command)
        if self.workdir:
            container["Dir"] = self.workdir
        if self.user:
            container["User"] = self.user
        if self.mounts:
            container["Mounts"] = [parse_mount(m, cwd, command).body() for m in self.mounts]
        if self.stop_grace_period is not None:
            container["StopGracePeriod"] = parse_duration(
                self.stop_grace_period, "--stop-grace-period", command
            )
        health = self.health.config(command)
        if health is not None:
            container["Healthcheck"] = health
        task: dict[str, Any] = {"ContainerSpec": container, "ForceUpdate": 0}
        if self.constraints:
            task["Placement"] = {"Constraints": list(self.constraints)}
        if self.networks:
            task["Networks"] = [network_attachment(n, command) for n in self.networks]
        replicas = parse_replicas(self.replicas, command) if self.replicas is not None else 1
        body: dict[str, Any] = {
            "Labels": parse_labels(self.labels, command),
            "TaskTemplate": task,
            "Mode": mode_body(mode, replicas),
            "UpdateConfig": self.update.config("--update", command),
            "RollbackConfig": self.rollback.config("--rollback", command),
        }
        if self.name:
            body["Name"] = self.name
        endpoint: dict[str, Any] = {
            "Mode": _choice(self.endpoint_mode or "vip", "--endpoint-mode", ENDPOINT_MODES, command)
        }
        ports = [p for spec in self.publish for p in parse_service_publish(spec, command)]
        if ports:
            endpoint["Ports"] = ports
        body["EndpointSpec"] = endpoint
        return body


def mode_body(mode: str, replicas: int) -> dict[str, Any]:
    if mode == "global":
        return {"Global": {}}
    if mode == "global-job":
        return {"GlobalJob": {}}
    if mode == "replicated-job":
        return {"ReplicatedJob": {"MaxConcurrent": replicas, "TotalCompletions": replicas}}
    return {"Replicated": {"Replicas": replicas}}


def network_attachment(value: str, command: str) -> dict[str, Any]:
    """`--network NAME` or docker's long form `name=NAME,alias=A,alias=B`."""
    if "=" not in value:
        if not value.strip():
            raise UsageError("invalid --network '': name the network", command)
        return {"Target": value}
    out: dict[str, Any] = {}
    for field in value.split(","):
        key, _, val = field.partition("=")
        key = key.strip().lower()
        if key == "name":
            out["Target"] = val
        elif key == "alias":
            out.setdefault("Aliases", []).append(val)
        elif key == "driver-opt":
            k, _, v = val.partition("=")
            out.setdefault("DriverOpts", {})[k] = v
        else:
            raise UsageError(f"invalid --network {shown(value)}: invalid field key {key}", command)
    if not out.get("Target"):
        raise UsageError(f"invalid --network {shown(value)}: network name is required", command)
    return out


# --- service scale and update: changes to the current spec --------------------------------------------------


def parse_scale(args: Iterable[str]) -> list[tuple[str, int]]:
    """`SERVICE=REPLICAS...` as docker's scale reads them."""
    out: list[tuple[str, int]] = []
    for arg in args:
        name, sep, count = arg.partition("=")
        if not sep or not name:
            raise UsageError(
                f"invalid scale specifier {shown(arg)}: expected SERVICE=REPLICAS", "service scale"
            )
        if not count.isascii() or not count.isdigit():
            raise UsageError(
                f"invalid replicas value {shown(count)}: must be a positive integer", "service scale"
            )
        out.append((name, parse_replicas(count, "service scale", "REPLICAS")))
    return out


@dataclass(frozen=True)
class UpdateOptions:
    """`dkr service update`'s flags, as typed."""

    image: str | None = None
    replicas: str | None = None
    env_add: tuple[str, ...] = ()
    env_rm: tuple[str, ...] = ()
    label_add: tuple[str, ...] = ()
    label_rm: tuple[str, ...] = ()
    publish_add: tuple[str, ...] = ()
    publish_rm: tuple[str, ...] = ()
    args: str | None = None
    force: bool = False
    stop_grace_period: str | None = None
    update: RolloutFlags = RolloutFlags()
    rollback: RolloutFlags = RolloutFlags()

    def check(
        self, lookup: Callable[[str], str | None] = os.environ.get
    ) -> Callable[[dict[str, Any]], dict[str, Any]]:
        """Check every flag now (exit 2 before any Engine call); returns the change to make to the current
        ServiceSpec (a new dict; the current one is left as it is)."""
        from dkr.grammars.ports import parse_service_publish
        from dkr.options.common import check_image
        from dkr.options.run import check_env, parse_labels

        command = "service update"
        if self.image is not None:
            check_image(self.image, command)
        replicas = parse_replicas(self.replicas, command) if self.replicas is not None else None
        env_add = [check_env(e, lookup, i, command) for i, e in enumerate(self.env_add, start=1)]
        labels = parse_labels(self.label_add, command)
        ports_add = [p for spec in self.publish_add for p in parse_service_publish(spec, command)]
        ports_rm = [_publish_target(spec, command) for spec in self.publish_rm]
        grace = None
        if self.stop_grace_period is not None:
            grace = parse_duration(self.stop_grace_period, "--stop-grace-period", command)
        update = self.update.config("--update", command, {}) if self.update.given() else None
        rollback = self.rollback.config("--rollback", command, {}) if self.rollback.given() else None

        def change(current: dict[str, Any]) -> dict[str, Any]:
            spec = copy.deepcopy(current)
            task = spec.setdefault("TaskTemplate", {})
            container = task.setdefault("ContainerSpec", {})
            if self.image is not None:
                container["Image"] = self.image
            if self.args is not None:
                import shlex

                container["Args"] = shlex.split(self.args)
            if env_add or self.env_rm:
                container["Env"] = update_env(container.get("Env") or [], env_add, self.env_rm)
            if labels or self.label_rm:
                kept = {k: v for k, v in (spec.get("Labels") or {}).items() if k not in self.label_rm}
                spec["Labels"] = {**kept, **labels}
            if grace is not None:
                container["StopGracePeriod"] = grace
            if replicas is not None:
                if "Replicated" not in (spec.get("Mode") or {}):
                    # known only once the service is read: the Engine's refusal of sorts, exit 1
                    raise DkrError(
                        f"{spec.get('Name') or 'the service'}: replicas can only be used with replicated mode"
                    )
                spec["Mode"]["Replicated"]["Replicas"] = replicas
            if ports_add or ports_rm:
                endpoint = spec.setdefault("EndpointSpec", {})
                endpoint["Ports"] = update_ports(endpoint.get("Ports") or [], ports_add, ports_rm)
            if update is not None:
                spec["UpdateConfig"] = {**(spec.get("UpdateConfig") or {}), **update}
            if rollback is not None:
                spec["RollbackConfig"] = {**(spec.get("RollbackConfig") or {}), **rollback}
            if self.force:
                task["ForceUpdate"] = int(task.get("ForceUpdate") or 0) + 1
            return spec

        return change


def _publish_target(spec: str, command: str) -> tuple[int, str]:
    """`--publish-rm TARGET[/PROTO]` (or the long form's target and protocol)."""
    if "=" in spec:
        from dkr.grammars.ports import parse_service_publish

        port = parse_service_publish(spec, command)[0]
        return int(port["TargetPort"]), str(port["Protocol"])
    number, _, proto = spec.partition("/")
    if not number.isascii() or not number.isdigit() or not 0 < int(number) <= 65535:
        raise UsageError(
            f"invalid --publish-rm {shown(spec)}: expected a target port, as 80 or 80/udp", command
        )
    return int(number), (proto or "tcp").lower()


def update_env(current: Sequence[str], add: Sequence[str], remove: Iterable[str]) -> list[str]:
    """docker's updateEnvironment: removed names go, added ones replace a variable of the same name."""
    gone = set(remove) | {e.partition("=")[0] for e in add}
    return [e for e in current if e.partition("=")[0] not in gone] + list(add)


def update_ports(
    current: Sequence[Mapping[str, Any]], add: Sequence[Mapping[str, Any]], remove: Iterable[tuple[int, str]]
) -> list[dict[str, Any]]:
    """docker's updatePorts: --publish-rm drops a target port (and protocol); --publish-add adds or replaces
    the port published at the same place."""
    removed = set(remove)
    kept = [
        dict(p)
        for p in current
        if (int(p.get("TargetPort") or 0), str(p.get("Protocol") or "tcp")) not in removed
    ]
    for port in add:
        key = (port.get("PublishedPort"), port.get("Protocol"), port.get("PublishMode"))
        kept = [
            p
            for p in kept
            if (p.get("PublishedPort"), p.get("Protocol"), p.get("PublishMode")) != key or not key[0]
        ]
        kept.append(dict(port))
    return kept
