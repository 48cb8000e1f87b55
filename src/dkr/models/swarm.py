"""What the swarm, node and service commands get from the Engine: nodes, tasks and the ports they publish,
and what a join needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TlsInfo:
    """A node's (or the cluster's) TLS trust: `node ls` compares the two for TLS STATUS."""

    trust_root: str = ""
    issuer_subject: str = ""  # base64, as the Engine's JSON carries it
    issuer_public_key: str = ""

    @classmethod
    def from_api(cls, data: dict[str, Any] | None) -> TlsInfo:
        data = data or {}
        return cls(
            str(data.get("TrustRoot") or ""),
            str(data.get("CertIssuerSubject") or ""),
            str(data.get("CertIssuerPublicKey") or ""),
        )

    @property
    def empty(self) -> bool:
        return not (self.trust_root or self.issuer_subject or self.issuer_public_key)


@dataclass(frozen=True)
class Node:
    """One node as `GET /nodes` describes it; `raw` is the Engine's object (`node inspect` prints it). `addr`
    and `manager_addr` are where other nodes (and dkr) reach it (see `address`)."""

    id: str
    hostname: str = ""
    addr: str = ""
    manager_addr: str = ""
    state: str = ""
    availability: str = ""
    role: str = ""
    #: None unless a manager: "Leader", else its reachability ("reachable", "unreachable")
    manager_status: str | None = None
    engine_version: str = ""
    tls: TlsInfo = field(default_factory=TlsInfo)
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Node:
        desc = data.get("Description") or {}
        spec = data.get("Spec") or {}
        manager = data.get("ManagerStatus")
        status = None
        if manager is not None:
            status = "Leader" if manager.get("Leader") else str(manager.get("Reachability") or "")
        manager_addr = (manager or {}).get("Addr") or ""
        return cls(
            id=str(data.get("ID") or ""),
            hostname=str(desc.get("Hostname") or ""),
            addr=str((data.get("Status") or {}).get("Addr") or ""),
            manager_addr=str(manager_addr).rpartition(":")[0] if manager_addr else "",
            state=str((data.get("Status") or {}).get("State") or ""),
            availability=str(spec.get("Availability") or ""),
            role=str(spec.get("Role") or ""),
            manager_status=status,
            engine_version=str((desc.get("Engine") or {}).get("EngineVersion") or ""),
            tls=TlsInfo.from_api(desc.get("TLSInfo")),
            raw=data,
        )

    @property
    def address(self) -> str:
        """Where the node is reached: its status address, else its manager address (0.0.0.0 means unknown)."""
        if self.addr and self.addr != "0.0.0.0":
            return self.addr
        return self.manager_addr


@dataclass(frozen=True)
class NodeList:
    """`node ls`: the nodes, this node's id and the cluster's TLS trust (both empty when not asked for)."""

    nodes: list[Node]
    self_id: str = ""
    cluster_tls: TlsInfo | None = None


@dataclass(frozen=True)
class SwarmPort:
    """A port a swarm service publishes, as its spec asks for it: `published` 0 for one the swarm picks;
    `mode` ingress (the routing mesh) or host; `requested_ip` the address the user asked it bound to, if
    any (a swarm cannot honour one)."""

    target: int
    published: int = 0
    protocol: str = "tcp"
    mode: str = "ingress"
    requested_ip: str = ""

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> SwarmPort:
        """From a PortConfig as the Engine writes it (a service's endpoint, a task's PortStatus)."""
        return cls(
            target=int(data.get("TargetPort") or 0),
            published=int(data.get("PublishedPort") or 0),
            protocol=str(data.get("Protocol") or "tcp"),
            mode=str(data.get("PublishMode") or "ingress"),
        )


def swarm_ports(data: Any) -> tuple[SwarmPort, ...]:
    """A list of PortConfigs (or None) as SwarmPorts."""
    return tuple(SwarmPort.from_api(p) for p in data or ())


@dataclass(frozen=True)
class Task:
    """One task as `GET /tasks` describes it."""

    id: str
    service_id: str = ""
    slot: int = 0
    node_id: str = ""
    image: str = ""
    desired_state: str = ""
    state: str = ""
    #: RFC 3339 with nanoseconds, as the Engine writes it: when the task reached its current state
    timestamp: str = ""
    created_at: str = ""
    error: str = ""
    message: str = ""
    container_id: str = ""
    ports: tuple[SwarmPort, ...] = ()
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
            image=str(container.get("Image") or ""),
            desired_state=str(data.get("DesiredState") or ""),
            state=str(status.get("State") or ""),
            timestamp=str(status.get("Timestamp") or ""),
            created_at=str(data.get("CreatedAt") or ""),
            error=str(status.get("Err") or ""),
            message=str(status.get("Message") or ""),
            container_id=str((status.get("ContainerStatus") or {}).get("ContainerID") or ""),
            ports=swarm_ports((status.get("PortStatus") or {}).get("Ports")),
            spec=dict(data.get("Spec") or {}),
        )


@dataclass(frozen=True)
class TaskList:
    """`node ps`: the tasks, and the names NAME and NODE show (service id -> name, node id -> hostname)."""

    tasks: list[Task]
    service_names: dict[str, str] = field(default_factory=dict)
    node_names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class JoinInfo:
    """What `swarm init` and `swarm join-token` show: a node's id, the manager address to join at, tokens."""

    node_id: str
    manager_addr: str
    worker_token: str
    manager_token: str
