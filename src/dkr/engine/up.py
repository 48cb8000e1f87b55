"""dkr up's core: build, then replace the container of that name with one of the new image, and wait until
it answers. Made of dkr build's and dkr run's cores (`build`, `ensure_image`, `run_detached`) and the
containers' `stop_many`; what is new here is the order and the rule of which container may be replaced."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from dkr.engine.build import EventHandler, build
from dkr.engine.client import Engine
from dkr.engine.containers import stop_many
from dkr.engine.run import Notify, ensure_image, remove_container, run_detached
from dkr.errors import DkrError, ExitCode, NameTaken, NoSuchContainer, StopFailed
from dkr.models.build import BuildResult
from dkr.models.run import PublishedPort
from dkr.models.up import UpRequest, UpResult
from dkr.options.up import UP_LABEL, default_publish


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
