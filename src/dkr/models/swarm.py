"""What the swarm and node commands get from the Engine: nodes, tasks, and what a join needs."""

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
    """One node as `GET /nodes` describes it; `raw` is the Engine's object (`node inspect` prints it)."""

    id: str
    hostname: str = ""
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
        return cls(
            id=str(data.get("ID") or ""),
            hostname=str(desc.get("Hostname") or ""),
            state=str((data.get("Status") or {}).get("State") or ""),
            availability=str(spec.get("Availability") or ""),
            role=str(spec.get("Role") or ""),
            manager_status=status,
            engine_version=str((desc.get("Engine") or {}).get("EngineVersion") or ""),
            tls=TlsInfo.from_api(desc.get("TLSInfo")),
            raw=data,
        )


@dataclass(frozen=True)
class NodeList:
    """`node ls`: the nodes, this node's id and the cluster's TLS trust (both empty when not asked for)."""

    nodes: list[Node]
    self_id: str = ""
    cluster_tls: TlsInfo | None = None


@dataclass(frozen=True)
class PortStatus:
    published: int
    target: int
    protocol: str = "tcp"


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
    ports: tuple[PortStatus, ...] = ()

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Task:
        status = data.get("Status") or {}
        container = (data.get("Spec") or {}).get("ContainerSpec") or {}
        ports = ((status.get("PortStatus") or {}).get("Ports")) or ()
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
            ports=tuple(
                PortStatus(
                    int(p.get("PublishedPort") or 0),
                    int(p.get("TargetPort") or 0),
                    str(p.get("Protocol") or "tcp"),
                )
                for p in ports
            ),
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
