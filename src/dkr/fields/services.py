"""Pure: docker's service listing forms (docker/cli formatter/service.go and task.go, service/logs.go): the
fields of `service ls` (`service ps`'s rows are fields.swarm's task_rows), and the task prefix of
`service logs`."""

from __future__ import annotations

from collections.abc import Iterable

from dkr.fields.containers import truncate_id
from dkr.fields.volumes import natural_key
from dkr.models.services import Service
from dkr.models.swarm import SwarmPort, Task

#: `docker service ls --format json`'s keys
SERVICE_COLUMNS = ("ID", "Image", "Mode", "Name", "Ports", "Replicas")
SERVICE_HEADERS = {
    "ID": "ID", "Image": "IMAGE", "Mode": "MODE", "Name": "NAME", "Ports": "PORTS", "Replicas": "REPLICAS",
}  # fmt: skip
# `service ps` has `node ps`'s columns and rows (docker/cli's task formatter serves both): fields.swarm


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


def _port_range(first: SwarmPort, last: SwarmPort) -> str:
    if first.published == last.published:
        return f"*:{first.published}->{first.target}/{first.protocol}"
    return f"*:{first.published}-{last.published}->{first.target}-{last.target}/{first.protocol}"


def service_ports(ports: Iterable[SwarmPort]) -> str:
    """`service ls`'s PORTS: the ingress ports, sorted by protocol then published port, consecutive ones as a
    range (`*:8080-8081->80-81/tcp`); host-mode ports are the tasks' (service ps)."""
    ordered = sorted(ports, key=lambda p: (p.protocol, p.published))
    out: list[str] = []
    first: SwarmPort | None = None
    last: SwarmPort | None = None
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
