"""What the service commands get from a Swarm manager: services, their tasks, and the nodes they run on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _ports(data: Any) -> tuple[PublishedPort, ...]:
    return tuple(PublishedPort.from_api(p) for p in data or ())


@dataclass(frozen=True)
class PublishedPort:
    """One swarm PortConfig: a target port, where it is published and how (`ingress` or `host`)."""

    target: int
    published: int = 0
    protocol: str = "tcp"
    mode: str = "ingress"

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> PublishedPort:
        return cls(
            target=int(data.get("TargetPort") or 0),
            published=int(data.get("PublishedPort") or 0),
            protocol=str(data.get("Protocol") or "tcp"),
            mode=str(data.get("PublishMode") or "ingress"),
        )


@dataclass(frozen=True)
class Service:
    """A service as `GET /services?status=true` describes it; `raw` is the Engine's object."""

    id: str
    name: str
    mode: str
    image: str
    replicas: int | None = None
    running: int = 0
    desired: int = 0
    ports: tuple[PublishedPort, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    version: int = 0
    health: bool = False
    update_state: str = ""
    update_message: str = ""
    #: the spec every current task must run (Spec.TaskTemplate, as the Engine renders a task's Spec)
    task_template: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Service:
        spec = data.get("Spec") or {}
        mode_spec = spec.get("Mode") or {}
        mode = next(
            (name for key, name in _MODES.items() if key in mode_spec), "replicated" if not mode_spec else ""
        )
        replicated = mode_spec.get("Replicated") or {}
        container = (spec.get("TaskTemplate") or {}).get("ContainerSpec") or {}
        status = data.get("ServiceStatus") or {}
        update = data.get("UpdateStatus") or {}
        health = (container.get("Healthcheck") or {}).get("Test") or []
        return cls(
            id=str(data.get("ID") or ""),
            name=str(spec.get("Name") or ""),
            mode=mode,
            image=str(container.get("Image") or ""),
            replicas=int(replicated.get("Replicas", 1)) if mode == "replicated" else None,
            running=int(status.get("RunningTasks") or 0),
            desired=int(status.get("DesiredTasks") or 0),
            ports=_ports(
                (data.get("Endpoint") or {}).get("Ports") or (spec.get("EndpointSpec") or {}).get("Ports")
            ),
            labels={str(k): str(v) for k, v in (spec.get("Labels") or {}).items()},
            version=int((data.get("Version") or {}).get("Index") or 0),
            health=bool(health) and health[0] != "NONE",
            update_state=str(update.get("State") or ""),
            update_message=str(update.get("Message") or ""),
            task_template=dict(spec.get("TaskTemplate") or {}),
            raw=data,
        )


#: the keys of a ServiceSpec's Mode and docker's names for them
_MODES = {
    "Replicated": "replicated",
    "Global": "global",
    "ReplicatedJob": "replicated-job",
    "GlobalJob": "global-job",
}


@dataclass(frozen=True)
class Task:
    """One task as `GET /tasks` describes it."""

    id: str
    service_id: str
    slot: int
    node_id: str
    desired_state: str
    state: str
    timestamp: str = ""
    created: str = ""
    error: str = ""
    message: str = ""
    image: str = ""
    container_id: str = ""
    ports: tuple[PublishedPort, ...] = ()
    #: the TaskSpec it was made from (a copy of its service's TaskTemplate then)
    spec: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Task:
        status = data.get("Status") or {}
        container = (data.get("Spec") or {}).get("ContainerSpec") or {}
        return cls(
            id=str(data.get("ID") or ""),
            service_id=str(data.get("ServiceID") or ""),
            slot=int(data.get("Slot") or 0),
            node_id=str(data.get("NodeID") or ""),
            desired_state=str(data.get("DesiredState") or ""),
            state=str(status.get("State") or ""),
            timestamp=str(status.get("Timestamp") or ""),
            created=str(data.get("CreatedAt") or ""),
            error=str(status.get("Err") or ""),
            message=str(status.get("Message") or ""),
            image=str(container.get("Image") or ""),
            container_id=str((status.get("ContainerStatus") or {}).get("ContainerID") or ""),
            ports=_ports((status.get("PortStatus") or {}).get("Ports")),
            spec=dict(data.get("Spec") or {}),
        )


@dataclass(frozen=True)
class Node:
    """A swarm node: its id, host name and the address other nodes (and dkr) reach it at."""

    id: str
    hostname: str
    addr: str = ""
    manager_addr: str = ""

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Node:
        manager = (data.get("ManagerStatus") or {}).get("Addr") or ""
        return cls(
            id=str(data.get("ID") or ""),
            hostname=str((data.get("Description") or {}).get("Hostname") or ""),
            addr=str((data.get("Status") or {}).get("Addr") or ""),
            manager_addr=str(manager).rpartition(":")[0] if manager else "",
        )

    @property
    def address(self) -> str:
        """Where the node is reached: its status address, else its manager address (0.0.0.0 means unknown)."""
        if self.addr and self.addr != "0.0.0.0":
            return self.addr
        return self.manager_addr
