"""Swarm services on a manager: create, list, inspect, update (scale, rollback), remove; their tasks and
nodes; their merged logs; and the wait until a service is ready (dkr.convergence decides, this module asks
the Engine and probes the ports)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dkr.convergence import Progress, assess, probe_targets
from dkr.engine import sdk
from dkr.engine.client import Engine
from dkr.engine.containers import LogBatch, read_logs
from dkr.engine.objects import in_turn
from dkr.engine.run import probe
from dkr.errors import DkrError, NoSuchService, ServiceNotReady
from dkr.models.services import Service
from dkr.models.swarm import Node, Task
from dkr.models.volumes import Outcome

#: how often the wait looks at the tasks again
POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Changed:
    """What create or update did: the service's id, the Engine's warnings, and the tasks that were there
    before (their old failures are not this change's)."""

    id: str
    name: str
    warnings: tuple[str, ...] = ()
    before: frozenset[str] = frozenset()


def create_service(engine: Engine, body: dict[str, Any], registry_auth: bool) -> Changed:
    """POST /services/create with the ServiceSpec docker/cli would send; with `registry_auth` the
    credentials the docker config holds for the image's registry go along (X-Registry-Auth)."""
    name = str(body.get("Name") or "")
    with engine.errors(f"create service {name}".rstrip()):
        answer = sdk.post_json(engine.api, "/services/create", body=body, registry_auth=registry_auth)
    return Changed(str(answer.get("ID") or ""), name or str(answer.get("ID") or ""), _warnings(answer))


def _warnings(answer: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(w) for w in answer.get("Warnings") or ())


def list_services(engine: Engine, filters: Mapping[str, list[str]]) -> list[Service]:
    """GET /services?status=true: every service with its running and desired task counts, one request."""
    with engine.errors("list services"):
        data: list[dict[str, Any]] = engine.api.services(filters=dict(filters) or None, status=True)
    return [Service.from_api(s) for s in data or ()]


def inspect_service(engine: Engine, ref: str) -> Service:
    """GET /services/{ref}; a missing one is docker's `no such service: REF`."""
    try:
        with engine.errors():
            return Service.from_api(engine.api.inspect_service(ref))
    except NoSuchService:
        raise NoSuchService(ref, "") from None


def inspect_services(engine: Engine, refs: Iterable[str]) -> Iterator[dict[str, Any] | DkrError]:
    for ref, got in in_turn(engine, refs, "inspect service", engine.api.inspect_service):
        # docker's inspect says `no such service: REF` (the Engine: "service REF not found")
        yield NoSuchService(ref, "") if isinstance(got, NoSuchService) else got


def remove_services(engine: Engine, refs: Iterable[str]) -> Iterator[Outcome]:
    for ref, got in in_turn(engine, refs, "remove service", engine.api.remove_service):
        yield Outcome(ref, got if isinstance(got, DkrError) else None)


def list_tasks(engine: Engine, filters: Mapping[str, list[str]]) -> list[Task]:
    with engine.errors("list tasks"):
        data: list[dict[str, Any]] = engine.api.tasks(filters=dict(filters))
    return [Task.from_api(t) for t in data or ()]


def list_nodes(engine: Engine) -> dict[str, Node]:
    with engine.errors("list nodes"):
        data: list[dict[str, Any]] = engine.api.nodes()
    return {n.id: n for n in (Node.from_api(d) for d in data or ())}


def update_service(
    engine: Engine,
    ref: str,
    change: Callable[[dict[str, Any]], dict[str, Any]] | None,
    *,
    rollback: bool = False,
    registry_auth: bool = False,
) -> Changed:
    """POST /services/{id}/update at the version just read, with `change(spec)` (or, for a rollback, the
    current spec and `rollback=previous`, as docker's service rollback sends it)."""
    with engine.errors():
        current = engine.api.inspect_service(ref)
    service_id = str(current.get("ID") or ref)
    name = str((current.get("Spec") or {}).get("Name") or ref)
    before = frozenset(t.id for t in list_tasks(engine, {"service": [service_id]}))
    spec = current.get("Spec") or {}
    body = spec if change is None else change(spec)
    params: dict[str, Any] = {"version": int((current.get("Version") or {}).get("Index") or 0)}
    if rollback:
        params["rollback"] = "previous"
    with engine.errors(f"{'roll back' if rollback else 'update'} service {name}"):
        answer = sdk.post_json(
            engine.api,
            "/services/{0}/update",
            service_id,
            body=body,
            params=params,
            registry_auth=registry_auth,
        )
    return Changed(service_id, name, _warnings(answer), before)


# --- waiting ------------------------------------------------------------------------------------------------


def wait_ready(
    engine: Engine,
    changed: Changed,
    timeout: float,
    show: Callable[[Progress], None],
    *,
    rollback: bool = False,
) -> Progress:
    """Look at the service and its tasks every POLL_SECONDS, probing its ports, until dkr.convergence says it
    is ready (returned), a task fails or the update pauses (ServiceNotReady), or `timeout` passes
    (ServiceNotReady naming the first task not ready). `show` gets each look."""
    deadline = time.monotonic() + timeout
    nodes = list_nodes(engine)
    while True:
        service = inspect_service(engine, changed.id)
        tasks = list_tasks(engine, {"service": [changed.id]})
        if any(t.node_id and t.node_id not in nodes for t in tasks):
            nodes = list_nodes(engine)
        answered = _answering(probe_targets(service, tasks, nodes))
        progress = assess(service, tasks, nodes, changed.before, answered, rollback)
        show(progress)
        if progress.done:
            return progress
        if progress.failure is not None:
            f = progress.failure
            raise ServiceNotReady(
                service.name, "failed", task=f.name if f.task_id else "", node=f.node, state=f.state,
                error=f.error, running=progress.running, wanted=progress.wanted,
            )  # fmt: skip
        left = deadline - time.monotonic()
        if left <= 0:
            line = progress.blocking()
            raise ServiceNotReady(
                service.name, "timeout", task=line.name if line else "", node=line.node if line else "",
                state=line.state if line else "", error=line.error if line else "",
                waiting_for=line.waiting_for if line else "", timeout=timeout, running=progress.running,
                wanted=progress.wanted,
            )  # fmt: skip
        time.sleep(min(POLL_SECONDS, left))


def keep_if_ready(
    engine: Engine, changed: Changed, wait: Callable[[], object], notify: Callable[[str], None]
) -> None:
    """`wait()` for a service just created; nothing left behind: a wait that fails, or Ctrl-C (SIGTERM)
    during it, removes the service (`notify` says so on Ctrl-C)."""
    try:
        wait()
    except ServiceNotReady as exc:
        with engine.best_effort():
            list(remove_services(engine, [changed.id]))
        raise exc.after_removal() from None
    except KeyboardInterrupt:
        with engine.best_effort():
            list(remove_services(engine, [changed.id]))
        notify(f"interrupted: removed service {changed.name}")
        raise


def _answering(targets: list[tuple[str, int]]) -> set[tuple[str, int]]:
    """The (host, port) targets that answer (engine.run's probe), probed at once."""
    if not targets:
        return set()
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(16, len(targets)), thread_name_prefix="dkr-probe") as pool:
        return {t for t, ok in zip(targets, pool.map(lambda t: probe(*t), targets), strict=True) if ok}


# --- logs ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogSource:
    """What `service logs` reads: the service (its name and replica count, for the prefix's padding) and
    the stream."""

    service: Service
    batches: Iterator[LogBatch]


def open_service_logs(
    engine: Engine, ref: str, *, follow: bool, tail: str, since: str | None, timestamps: bool
) -> LogSource:
    """GET /services/{id}/logs with details (the task, node and service ids of each line)."""
    service = inspect_service(engine, ref)
    params: dict[str, Any] = {"stdout": 1, "stderr": 1, "details": 1, "follow": int(follow),
                              "timestamps": int(timestamps), "tail": tail}  # fmt: skip
    if since:
        params["since"] = since
    with engine.errors(f"read the logs of service {service.name}"):
        res = sdk.get_stream(engine.api, "/services/{0}/logs", service.id, params=params, no_deadline=follow)
    return LogSource(service, read_logs(engine, res, tty=False))


def task_and_node(engine: Engine, task_id: str, nodes: dict[str, Node]) -> tuple[Task, str]:
    """A task (GET /tasks/{id}) and its node's host name, for a log line's prefix."""
    with engine.errors("inspect task"):
        task = Task.from_api(engine.api.inspect_task(task_id))
    if task.node_id not in nodes:
        nodes.update(list_nodes(engine))
    node = nodes.get(task.node_id)
    return task, node.hostname if node else task.node_id


def tasks_of(engine: Engine, refs: Sequence[str]) -> tuple[list[Task], dict[str, str], dict[str, Node]]:
    """`service ps`: the tasks of the services named (each looked up first: a missing one is an error), the
    services' names by id, and the nodes."""
    names: dict[str, str] = {}
    for ref in refs:
        service = inspect_service(engine, ref)
        names[service.id] = service.name
    tasks = list_tasks(engine, {"service": list(names)}) if names else []
    return tasks, names, list_nodes(engine)
