"""Pure: when is a service ready? The state function `dkr service create|update|scale --wait` calls on each
look at the service and its tasks, and the ports it must probe first.

docker waits for tasks to be "running". dkr also wants every published port to answer: a host-mode port at
the node that runs the task, an ingress port through the published port; or, when the service has a
HEALTHCHECK, the task to be running (Swarm starts a task with a health check as `starting` and only calls it
`running` once healthy). A new task that fails or is rejected, or an update that pauses or rolls back, is a
failure at once, named by its task, node and error. No I/O: the Engine's answers and the probes' results are
handed in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from dkr.models.services import Service
from dkr.models.swarm import Node, Task

#: task states that end a task without it running (swarm's TaskState)
FAILED_STATES = ("failed", "rejected", "orphaned")
#: a target to probe: (host, port)
Target = tuple[str, int]


@dataclass(frozen=True)
class TaskLine:
    """One task of the live view: its name, node, state and what dkr still waits for."""

    task_id: str
    name: str
    node: str
    state: str
    waiting_for: str = ""
    error: str = ""


@dataclass(frozen=True)
class Progress:
    """One look at the service: ready, failed (`failure` says which task and why) or still converging."""

    running: int
    wanted: int
    lines: tuple[TaskLine, ...] = ()
    done: bool = False
    failure: TaskLine | None = None
    #: the update's own words when it paused or rolled back
    update_message: str = ""

    def blocking(self) -> TaskLine | None:
        """The first task not ready yet (what a timeout names)."""
        return next((line for line in self.lines if line.waiting_for), None)


def _node_name(task: Task, nodes: Mapping[str, Node]) -> str:
    node = nodes.get(task.node_id)
    return node.hostname if node else (task.node_id or "no node")


def _name(service: Service, task: Task) -> str:
    return f"{service.name}.{task.slot}" if task.slot else f"{service.name}.{task.node_id}"


#: what a task copies from its service's TaskTemplate and the Engine renders alike on both (the template has
#: more: the manager adds `Runtime`, for one)
_COMPARED = ("ContainerSpec", "ForceUpdate")


def _previous_spec(task: Task, service: Service) -> bool:
    """The task was made from an older spec than the service's: an update will replace it."""
    return any(task.spec.get(key) != service.task_template.get(key) for key in _COMPARED)


def current_tasks(tasks: Iterable[Task]) -> list[Task]:
    """The tasks the orchestrator wants running (older ones are being shut down)."""
    return sorted((t for t in tasks if t.desired_state == "running"), key=lambda t: (t.slot, t.node_id))


def probe_targets(service: Service, tasks: Sequence[Task], nodes: Mapping[str, Node]) -> list[Target]:
    """What must answer before the service is ready: each running task's host-mode ports at its node's
    address, and each ingress port at a manager's. None when a HEALTHCHECK decides."""
    if service.health:
        return []
    targets: list[Target] = []
    for task in current_tasks(tasks):
        node = nodes.get(task.node_id)
        if task.state != "running" or node is None or not node.address:
            continue
        targets += [
            (node.address, p.published) for p in task.ports if p.mode == "host" and p.protocol == "tcp"
        ]
    return list(dict.fromkeys(targets + _ingress(service, nodes)))


def _ingress(service: Service, nodes: Mapping[str, Node]) -> list[Target]:
    """The service's ingress ports, at a manager's address (the routing mesh answers on every node)."""
    manager = next((n.address for n in nodes.values() if n.manager_addr), "")
    if not manager:
        return []
    return [
        (manager, p.published)
        for p in service.ports
        if p.mode == "ingress" and p.protocol == "tcp" and p.published
    ]


def assess(
    service: Service,
    tasks: Sequence[Task],
    nodes: Mapping[str, Node],
    before: Collection[str],
    answering: Collection[Target],
    rollback: bool = False,
) -> Progress:
    """Where the service stands. `before`: the ids of the tasks that existed before dkr's request (their
    failures are old news); `answering`: the probe targets that answered; `rollback`: dkr asked for a
    rollback (then a rolled-back update is the goal, not a failure)."""
    current = current_tasks(tasks)
    wanted = service.replicas if service.replicas is not None else (service.desired or len(current))
    manager = next((n.address for n in nodes.values() if n.manager_addr), "")
    ingress = [
        (manager, p.published)
        for p in service.ports
        if p.mode == "ingress" and p.protocol == "tcp" and p.published
    ]
    lines: list[TaskLine] = []
    running = 0
    for task in current:
        node = nodes.get(task.node_id)
        waiting = ""
        if task.spec and service.task_template and _previous_spec(task, service):
            # right after an update the manager has not started replacing it yet (no UpdateStatus either)
            waiting = "its replacement (it runs the previous spec)"
        elif task.state != "running":
            waiting = task.state or "new"
        elif not service.health:
            host = node.address if node else ""
            silent = [
                f"{host}:{p.published}"
                for p in task.ports
                if p.mode == "host" and p.protocol == "tcp" and (host, p.published) not in answering
            ]
            silent += [f"{h}:{port} (ingress)" for h, port in ingress if (h, port) not in answering]
            if silent:  # a host-mode port is listed once per address family: named once
                waiting = "port " + ", ".join(dict.fromkeys(silent)) + " to answer"
        if not waiting:
            running += 1
        # a pending task says why in its message ("no suitable node (...)"): an error of sorts
        note = task.error or (task.message if task.state in ("pending", "assigned") else "")
        lines.append(
            TaskLine(task.id, _name(service, task), _node_name(task, nodes), task.state, waiting, note)
        )
    failed = sorted(
        (t for t in tasks if t.id not in before and t.state in FAILED_STATES),
        key=lambda t: t.timestamp,
    )
    failure = None
    if failed:
        t = failed[0]
        failure = TaskLine(t.id, _name(service, t), _node_name(t, nodes), t.state, "", t.error or t.message)
    update = service.update_state
    message = ""
    if update in ("paused", "rollback_paused") or (update.startswith("rollback") and not rollback):
        message = service.update_message or f"update {update.replace('_', ' ')}"
        if failure is None:
            failure = TaskLine("", service.name, "", update, "", message)
    settled = update in ("", "completed") or (rollback and update == "rollback_completed")
    done = failure is None and settled and running == wanted and len(current) == wanted
    return Progress(running, wanted, tuple(lines), done, failure, message)
