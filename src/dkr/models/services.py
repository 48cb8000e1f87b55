"""What the service commands get from a Swarm manager: services (their tasks, nodes and ports are
dkr.models.swarm's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dkr.models.swarm import SwarmPort, swarm_ports


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
    ports: tuple[SwarmPort, ...] = ()
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
            ports=swarm_ports(
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
