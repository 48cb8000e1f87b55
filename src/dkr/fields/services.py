"""Pure: docker's service listing forms (docker/cli formatter/service.go and task.go, service/logs.go): the
fields of `service ls` and `service ps`, and the task prefix of `service logs`."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence

from dkr.fields.containers import truncate_id
from dkr.fields.swarm import MAX_ERROR_LENGTH
from dkr.fields.system import parse_time
from dkr.fields.volumes import natural_key
from dkr.grammars.units import human_duration
from dkr.models.services import Node, PublishedPort, Service, Task

#: `docker service ls --format json`'s keys
SERVICE_COLUMNS = ("ID", "Image", "Mode", "Name", "Ports", "Replicas")
SERVICE_HEADERS = {
    "ID": "ID", "Image": "IMAGE", "Mode": "MODE", "Name": "NAME", "Ports": "PORTS", "Replicas": "REPLICAS",
}  # fmt: skip
# `service ps` has `node ps`'s columns (docker/cli's task formatter serves both)


def display_image(image: str) -> str:
    """The image as docker lists it: the digest a manager pinned dropped, the tag kept
    (`127.0.0.1:5000/app:1`), and the familiar name (`busybox:1.36` for
    `docker.io/library/busybox:1.36@sha256:…`)."""
    from dkr.grammars.reference import parse_normalized

    try:
        ref = parse_normalized(image)
    except ValueError:
        return image
    if not ref.tag:
        return image
    return ref.familiar_name + ":" + ref.tag


def _port_range(first: PublishedPort, last: PublishedPort) -> str:
    if first.published == last.published:
        return f"*:{first.published}->{first.target}/{first.protocol}"
    return f"*:{first.published}-{last.published}->{first.target}-{last.target}/{first.protocol}"


def service_ports(ports: Iterable[PublishedPort]) -> str:
    """`service ls`'s PORTS: the ingress ports, sorted by protocol then published port, consecutive ones as a
    range (`*:8080-8081->80-81/tcp`); host-mode ports are the tasks' (service ps)."""
    ordered = sorted(ports, key=lambda p: (p.protocol, p.published))
    out: list[str] = []
    first: PublishedPort | None = None
    last: PublishedPort | None = None
    for p in ordered:
        if p.mode != "ingress":
            continue
        if first is not None and last is not None:
            is_range = last.target != first.target
            if not (
                p.protocol != last.protocol
                or p.published - last.published > 1
                or p.target - last.target > 1
                or (is_range and p.target <= last.target)
            ):
                last = p
                continue
            if first.published > 0:
                out.append(_port_range(first, last))
        first = last = p
    if first is not None and last is not None and first.published > 0:
        out.append(_port_range(first, last))
    return ", ".join(out)


def replicas(service: Service) -> str:
    """REPLICAS: running/desired (the manager's ServiceStatus)."""
    return f"{service.running}/{service.desired}"


def service_fields(service: Service, trunc: bool = True) -> dict[str, str]:
    return {
        "ID": truncate_id(service.id) if trunc else service.id,
        "Image": display_image(service.image),
        "Mode": service.mode,
        "Name": service.name,
        "Ports": service_ports(service.ports),
        "Replicas": replicas(service),
    }


def sorted_services(services: Iterable[Service]) -> list[Service]:
    """docker sorts `service ls` by name."""
    return sorted(services, key=lambda s: natural_key(s.name))


def pretty_state(state: str) -> str:
    """docker's command.PrettyPrint: the first letter upper-cased."""
    return state[:1].upper() + state[1:]


def task_name(task: Task, service_name: str) -> str:
    """`web.3`, or `web.<node id>` for a global service's task."""
    return f"{service_name}.{task.slot}" if task.slot else f"{service_name}.{task.node_id}"


def task_ports(task: Task) -> str:
    return ",".join(f"*:{p.published}->{p.target}/{p.protocol}" for p in task.ports)


def task_error(task: Task, trunc: bool = True) -> str:
    err = task.error
    if trunc and len(err) > MAX_ERROR_LENGTH:
        err = err[: MAX_ERROR_LENGTH - 1] + "\u2026"
    return f'"{err}"' if err else ""


def ordered_tasks(tasks: Iterable[Task], names: Mapping[str, str]) -> list[Task]:
    """docker's order: by task name (natural order), then the newest first."""
    newest_first = sorted(tasks, key=lambda t: parse_time(t.created) or (0.0, ""), reverse=True)
    return sorted(
        newest_first, key=lambda t: natural_key(task_name(t, names.get(t.service_id, t.service_id)))
    )


def task_rows(
    tasks: Sequence[Task],
    service_names: Mapping[str, str],
    nodes: Mapping[str, Node],
    trunc: bool = True,
    now: float | None = None,
) -> list[dict[str, str]]:
    """`service ps`'s rows, in docker's order: the older tasks of a slot under its newest, as ` \\_ web.1`."""
    now = time.time() if now is None else now
    rows = []
    previous = ""
    for task in ordered_tasks(tasks, service_names):
        name = task_name(task, service_names.get(task.service_id, task.service_id))
        shown = f" \\_ {name}" if name == previous else name
        previous = name
        since = parse_time(task.timestamp)
        node = nodes.get(task.node_id)
        rows.append(
            {
                "CurrentState": pretty_state(task.state)
                + (f" {human_duration(now - since[0])} ago" if since else ""),
                "DesiredState": pretty_state(task.desired_state),
                "Error": task_error(task, trunc),
                "ID": truncate_id(task.id) if trunc else task.id,
                "Image": display_image(task.image) if trunc else task.image,
                "Name": shown,
                "Node": node.hostname if node else task.node_id,
                "Ports": task_ports(task),
            }
        )
    return rows


def log_prefix(
    service_name: str, task: Task, node_name: str, padding: int, trunc: bool = True, task_ids: bool = True
) -> str:
    """`service logs`' prefix of a task's line, before `    | `: `web.1.abcdef123456@node1`, the slot padded
    to the width of the service's replica count (docker/cli service/logs.go's taskFormatter)."""
    name = f"{service_name}.{task.slot}"
    if task_ids:
        name += "." + (truncate_id(task.id) if trunc else task.id)
    return name + "@" + node_name + " " * max(0, padding - len(str(task.slot)))


def parse_log_details(text: str) -> dict[str, str]:
    """docker/cli's logs.ParseLogDetails: `k=v,k=v`, each part URL-unescaped."""
    from urllib.parse import unquote

    out: dict[str, str] = {}
    if not text:
        return out
    for pair in text.split(","):
        key, sep, value = pair.partition("=")
        if not sep:
            raise ValueError("invalid details format")
        out[unquote(key)] = unquote(value)
    return out
