"""dkr up's core: build, then replace the container of that name with one of the new image, and wait until
it answers. Made of dkr build's and dkr run's cores (`build`, `ensure_image`, `run_detached`) and the
containers' `stop_many`; what is new here is the order and the rule of which container may be replaced."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dkr.convergence import Progress, assess, probe_targets
from dkr.engine.build import EventHandler, build
from dkr.engine.client import Engine
from dkr.engine.containers import stop_many
from dkr.engine.registry import push
from dkr.engine.run import Notify, ensure_image, remove_container, run_detached
from dkr.engine.services import (
    POLL_SECONDS,
    Changed,
    create_service,
    inspect_service,
    keep_if_ready,
    list_nodes,
    list_tasks,
    update_service,
    wait_ready,
)
from dkr.errors import (
    DkrError,
    EngineError,
    ExitCode,
    NameTaken,
    NoSuchContainer,
    NotSwarmManager,
    RolledBack,
    ServiceNotReady,
    StopFailed,
)
from dkr.grammars.reference import parse as parse_reference
from dkr.models.build import BuildResult
from dkr.models.run import PublishedPort
from dkr.models.services import Service
from dkr.models.transfer import TransferEvent
from dkr.models.up import SwarmUpRequest, SwarmUpResult, UpRequest, UpResult
from dkr.options.up import (
    UP_LABEL,
    content_tag,
    default_publish,
    pinned,
    service_body,
    service_change,
    unpinned,
)


@dataclass(frozen=True)
class _Holder:
    """The container that holds the name now."""

    id: str
    running: bool
    #: dkr up created it
    ours: bool
    image: str
    #: what it publishes: the live bindings if it runs, else the ones it asked for
    ports: tuple[PublishedPort, ...]

    @property
    def short_id(self) -> str:
        return self.id[:12]


def _holder(engine: Engine, name: str) -> _Holder | None:
    try:
        with engine.errors(f"inspect container {name}"):
            info = engine.api.inspect_container(name)
    except NoSuchContainer:
        return None
    if str(info.get("Name") or "").removeprefix("/") != name:
        return None  # the Engine matched an id prefix: no container has this name
    running = bool((info.get("State") or {}).get("Running"))
    ports = PublishedPort.from_api(
        (info.get("NetworkSettings") or {}).get("Ports")
        if running
        else (info.get("HostConfig") or {}).get("PortBindings")
    )
    return _Holder(
        id=str(info["Id"]),
        running=running,
        ours=UP_LABEL in ((info.get("Config") or {}).get("Labels") or {}),
        image=str(info.get("Image") or ""),
        ports=ports,
    )


def _check_replaceable(holder: _Holder | None, name: str, replace: bool) -> None:
    if holder is None or holder.ours or replace:
        return
    raise NameTaken(name, holder.id)


def up(
    engine: Engine,
    request: UpRequest,
    *,
    on_event: EventHandler,
    on_built: Callable[[BuildResult], None],
    notify: Notify,
    on_killed: Callable[[str, float | None], None],
) -> UpResult:
    """Build, then (only if the build succeeded) stop and remove the container of that name and start one of
    the new image, waiting until it answers. A failed or interrupted build leaves the old container as it
    was. Raises DkrError (exit 1), NotReady, or KeyboardInterrupt."""
    name = request.run.name or ""
    holder = _holder(engine, name)
    _check_replaceable(holder, name, request.replace)  # before the build: fail fast
    try:
        built = build(engine, request.build, on_event)
    except (DkrError, KeyboardInterrupt):
        if holder is not None and holder.running:
            notify(f"{name} ({holder.short_id}) still runs its previous image: nothing was replaced")
        raise
    try:
        on_built(built)
        holder = _holder(engine, name)
        _check_replaceable(holder, name, request.replace)
        image = ensure_image(engine, built.id, "never")  # by id: the tag may move under a concurrent build
        spec = request.run
        if not spec.publish:
            previous = holder.ports if holder is not None else ()
            spec = dataclasses.replace(
                spec, publish=default_publish(image.exposed, previous, spec.publish_ip)
            )
        if holder is not None:
            _retire(engine, holder, name, notify, on_killed)
        try:
            started = run_detached(engine, spec, image, wait_timeout=request.wait_timeout, notify=notify)
        except DkrError as exc:
            # docker run's 125-127 are run's own; for dkr up a container that does not start is a failure (1)
            if exc.exit_code == ExitCode.FAILURE:
                raise
            raise exc.with_exit_code(ExitCode.FAILURE) from exc.__cause__
    except BaseException:
        # This build will not run (it lost a race for the name, its container did not start, Ctrl-C): if it
        # is no longer tagged (another up moved the tag), nothing names or uses it, so it goes.
        _prune(engine, built.id)
        raise
    if holder is not None and holder.image != image.id:
        _prune(engine, holder.image)
    return UpResult(built, started, holder.id if holder is not None else None)


def _retire(
    engine: Engine,
    holder: _Holder,
    name: str,
    notify: Notify,
    on_killed: Callable[[str, float | None], None],
) -> None:
    """Stop the container (its own stop signal and timeout, as dkr stop) and remove it."""
    notify(f"replacing {name} ({holder.short_id})")
    if holder.running:
        stopped = next(iter(stop_many(engine, [holder.id])))
        if stopped.error:
            raise StopFailed(name, holder.id, stopped.error)
        if stopped.killed_after_timeout:
            on_killed(name, stopped.timeout)
    remove_container(engine, holder.id)


def _prune(engine: Engine, image: str) -> None:
    """Remove the replaced container's image if dkr up built it and nothing names or uses it any more (the
    tag moved to the new build), so that a day of edits leaves no pile of untagged images. Its layers that
    the new image shares stay: the Engine removes only what no other image needs."""
    with engine.best_effort():
        info = engine.api.inspect_image(image)
        labels = (info.get("Config") or {}).get("Labels") or {}
        if info.get("RepoTags") or UP_LABEL not in labels:
            return
        engine.api.remove_image(image)  # refused (409) while another container still uses it


# --- dkr up --replicas: a Swarm service ---------------------------------------------------------------------


@dataclass(frozen=True)
class SwarmHandlers:
    """Where `up_swarm` reports: the build's events and summary, the push's events, plain notes, and each
    look at the converging service."""

    on_event: EventHandler
    on_built: Callable[[BuildResult], None]
    on_push: Callable[[TransferEvent], None]
    notify: Notify
    show: Callable[[Progress], None]


def swarm_service(engine: Engine, name: str) -> dict[str, Any] | None:
    """The service `name` if this Engine is a Swarm manager and it exists (plain `dkr up` rolls it then),
    else None. One request; an Engine in no swarm answers 503, a worker too."""
    try:
        with engine.errors(f"inspect service {name}"):
            data: dict[str, Any] = engine.api.inspect_service(name)
    except EngineError:  # no such service, or not a manager
        return None
    return data if (data.get("Spec") or {}).get("Name") == name else None


def _require_manager(engine: Engine) -> None:
    with engine.errors("read the Engine's swarm state"):
        swarm = engine.api.info().get("Swarm") or {}
    if not swarm.get("ControlAvailable"):
        raise NotSwarmManager(str(swarm.get("LocalNodeState") or ""))


def up_swarm(
    engine: Engine, request: SwarmUpRequest, handlers: SwarmHandlers, *, replace: bool = False
) -> SwarmUpResult:
    """Build; only if that succeeded, tag the image REGISTRY/NAME:<its id's first 12 hex digits> and push it;
    then create the service (removed again if it never gets ready) or update its image, pinned by digest,
    and wait until every task runs and answers. An update that fails is rolled back by the Engine
    (update-failure-action rollback): then, once the old version answers again, RolledBack. A failed build
    pushes nothing and leaves the service as it was."""
    _require_manager(engine)
    current = swarm_service(engine, request.name)
    _check_ours(current, request.name, replace)  # before the build: fail fast
    built = build(engine, request.build, handlers.on_event)
    handlers.on_built(built)
    tag = content_tag(request.registry, request.name, built.id)
    ref = parse_reference(tag)
    with engine.errors(f"tag {tag}"):
        engine.api.tag(built.id, ref.name, ref.tag)
    handlers.notify(f"pushing {tag}")
    pushed = push(engine, ref, on_event=handlers.on_push)
    image = pinned(tag, pushed[0].digest)
    handlers.notify(f"pushed {tag} ({pushed[0].digest})")
    deadline = time.monotonic() + request.wait_timeout
    current = swarm_service(engine, request.name)
    _check_ours(current, request.name, replace)
    if current is None:
        changed = _create(engine, request, built, image, handlers, deadline)
        created = True
    else:
        changed = _roll(engine, request, current, image, handlers, deadline)
        created = False
    service = inspect_service(engine, changed.id)
    targets = probe_targets(service, list_tasks(engine, {"service": [changed.id]}), list_nodes(engine))
    ports = tuple(((service.raw.get("Spec") or {}).get("EndpointSpec") or {}).get("Ports") or ())
    return SwarmUpResult(built, changed.id, image, created, tuple(targets), ports)


def _check_ours(current: dict[str, Any] | None, name: str, replace: bool) -> None:
    if current is None or replace:
        return
    if UP_LABEL not in ((current.get("Spec") or {}).get("Labels") or {}):
        raise NameTaken(name, str(current.get("ID") or ""), "service")


def _left(deadline: float) -> float:
    return max(deadline - time.monotonic(), 0.1)


def _create(
    engine: Engine,
    request: SwarmUpRequest,
    built: BuildResult,
    image: str,
    handlers: SwarmHandlers,
    deadline: float,
) -> Changed:
    """Create the service and wait; nothing left behind: a wait that fails (or Ctrl-C) removes it."""
    with engine.errors(f"inspect image {built.id[:19]}"):
        exposed = list(((engine.api.inspect_image(built.id).get("Config") or {}).get("ExposedPorts")) or ())
    body = service_body(request, image, exposed)
    changed = create_service(engine, body, registry_auth=False)
    handlers.notify(f"created service {changed.name} ({changed.id[:12]}) of {unpinned(image)}")
    keep_if_ready(
        engine, changed, lambda: wait_ready(engine, changed, _left(deadline), handlers.show), handlers.notify
    )
    return changed


def _roll(
    engine: Engine,
    request: SwarmUpRequest,
    current: dict[str, Any],
    image: str,
    handlers: SwarmHandlers,
    deadline: float,
) -> Changed:
    """Update the service to `image` (and the replicas and ports asked for) and wait; when the Engine rolls
    the update back, wait until the old version answers again and raise RolledBack."""
    name = request.name
    old = str(Service.from_api(current).image)
    change = service_change(request, image)
    if change(current.get("Spec") or {}) == current.get("Spec"):
        # the same content (and settings) as it runs: no update; it still has to answer
        handlers.notify(f"service {name} already runs {unpinned(image)}: nothing to roll out")
        state = str((current.get("UpdateStatus") or {}).get("State") or "")
        tasks = frozenset(t.id for t in list_tasks(engine, {"service": [str(current["ID"])]}))
        changed = Changed(str(current["ID"]), name, (), tasks)
        wait_ready(engine, changed, _left(deadline), handlers.show, rollback=state.startswith("rollback"))
        return changed
    changed = update_service(engine, str(current["ID"]), change)
    handlers.notify(f"rolling {name} from {unpinned(old)} to {unpinned(image)}, one task at a time")
    try:
        wait_ready(engine, changed, _left(deadline), handlers.show)
    except ServiceNotReady as exc:
        _rolled_back(engine, changed, exc, handlers, deadline)
        raise
    except KeyboardInterrupt:
        # the update is the Engine's now: it carries on (and rolls back on a failure) without dkr
        handlers.notify(
            f"interrupted: the Engine carries on the rollout of {name}; dkr service rollback {name} undoes it"
        )
        raise
    return changed


#: the update states in which the Engine is done deciding (swarmkit's UpdateStatus.State)
_SETTLED = ("completed", "paused", "rollback_completed", "rollback_paused")


def _rolled_back(
    engine: Engine, changed: Changed, exc: ServiceNotReady, handlers: SwarmHandlers, deadline: float
) -> None:
    """After a failed wait: if the Engine rolls the update back, wait for the rollback to finish and the old
    tasks to answer, then raise RolledBack naming the old image and the failure; else return (the caller
    re-raises the wait's error)."""
    service = inspect_service(engine, changed.id)
    while service.update_state not in _SETTLED and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        service = inspect_service(engine, changed.id)
    if service.update_state != "rollback_completed":
        return  # not rolled back (paused, or a rollback that itself paused or did not finish in time)
    nodes = list_nodes(engine)
    tasks = list_tasks(engine, {"service": [changed.id]})
    failure = assess(service, tasks, nodes, changed.before, ()).failure
    handlers.notify(f"{service.name}: the update failed and the Engine rolled it back; waiting for it")
    settled = Changed(changed.id, changed.name, (), frozenset(t.id for t in tasks))
    wait_ready(engine, settled, _left(deadline), handlers.show, rollback=True)
    task = failure if failure is not None and failure.task_id else None
    raise RolledBack(
        service.name,
        unpinned(service.image),
        task=task.name if task else exc.task,
        node=task.node if task else exc.node,
        error=task.error if task else exc.error,
        reason=service.update_message,
    ) from None
