"""The container lifecycle: inspect (containers and images), start, restart, kill, pause, unpause, wait and
rename; the verbs on several containers run in parallel (dkr.engine.containers.in_parallel)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from dkr.engine import attach, sdk
from dkr.engine.client import Engine
from dkr.engine.containers import STOP_DEADLINE_MARGIN, in_parallel
from dkr.errors import DkrError, NoSuchContainer, NoSuchImage, NoSuchObject
from dkr.models.containers import Outcome
from dkr.models.run import Console

#: what start_attached returns when the user detached with the detach keys (the container runs on)
DETACHED = -1

#: what `inspect --type` takes
INSPECT_TYPES = ("container", "image")


def _inspect_one(engine: Engine, ref: str, kind: str | None, as_container: bool) -> Outcome:
    """One object: of `kind`, or (None) a container, else an image, as docker looks it up."""
    api = engine.api
    try:
        if kind == "container" or (kind is None and as_container):
            try:
                with engine.errors():
                    return Outcome(ref, value=api.inspect_container(ref.strip("/")))
            except NoSuchContainer:
                if kind == "container":
                    raise
        try:
            with engine.errors():
                return Outcome(ref, value=api.inspect_image(ref))
        except NoSuchImage:
            if kind == "image":
                raise
        raise NoSuchObject(ref, f"No such object: {ref}")
    except DkrError as exc:
        return Outcome(ref, error=exc)


def inspect_objects(engine: Engine, refs: Sequence[tuple[str, bool]], kind: str | None) -> Iterator[Outcome]:
    """Each (reference, may it name a container) as the Engine describes it, in argument order."""
    for ref, as_container in refs:
        yield _inspect_one(engine, ref, kind, as_container)


def _each(engine: Engine, args: Sequence[str], name: str, op: Callable[[str], Any]) -> Iterator[Outcome]:
    def one(arg: str) -> Outcome:
        try:
            with engine.errors():
                return Outcome(arg, value=op(arg.strip("/")))
        except DkrError as exc:
            return Outcome(arg, error=exc)

    return in_parallel(engine, args, one, name)


def start_many(engine: Engine, args: Sequence[str]) -> Iterator[Outcome]:
    return _each(engine, args, "start", engine.api.start)


def restart_many(engine: Engine, args: Sequence[str], timeout: int | None) -> Iterator[Outcome]:
    """Restart each; without a timeout the Engine's own (the container's StopTimeout, else 10 s) applies, and
    the HTTP deadline always exceeds the stop's."""
    params = {} if timeout is None else {"t": timeout}
    wait = 10 if timeout is None else timeout
    deadline = None if wait < 0 else wait + STOP_DEADLINE_MARGIN

    def restart(ref: str) -> None:
        sdk.post(engine.api, "/containers/{0}/restart", ref, params=params, timeout=deadline)

    return _each(engine, args, "restart", restart)


def kill_many(engine: Engine, args: Sequence[str], signal: str | None) -> Iterator[Outcome]:
    return _each(engine, args, "kill", lambda ref: engine.api.kill(ref, signal))


def pause_many(engine: Engine, args: Sequence[str]) -> Iterator[Outcome]:
    return _each(engine, args, "pause", engine.api.pause)


def unpause_many(engine: Engine, args: Sequence[str]) -> Iterator[Outcome]:
    return _each(engine, args, "unpause", engine.api.unpause)


def wait_many(engine: Engine, args: Sequence[str]) -> Iterator[Outcome]:
    """Each container's exit code once it stops (no deadline: waiting is the point)."""

    def wait(ref: str) -> int:
        answer: dict[str, Any] = sdk.post(
            engine.api, "/containers/{0}/wait", ref, params={"condition": "not-running"}, timeout=None
        ).json()
        return int(answer.get("StatusCode", 0))

    return _each(engine, args, "wait", wait)


def rename(engine: Engine, container: str, new_name: str) -> None:
    with engine.errors():
        engine.api.rename(container.strip("/"), new_name)


def published_ports(engine: Engine, container: str) -> dict[str, list[dict[str, str]] | None]:
    """The container's NetworkSettings.Ports: "80/tcp" -> its host bindings (None: exposed, not published)."""
    with engine.errors():
        info = engine.api.inspect_container(container.strip("/"))
    ports: dict[str, list[dict[str, str]] | None] = (info.get("NetworkSettings") or {}).get("Ports") or {}
    return ports


def start_attached(
    engine: Engine,
    container: str,
    interactive: bool,
    sink: attach.Sink,
    console_for: Callable[[bool], Console | None],
) -> int:
    """`start -a [-i]`: attach to the container's output (and stdin), start it, stream its output to `sink`
    and return its exit code. `console_for(tty)` gives the local side once the container's Tty is known."""
    api = engine.api
    with engine.errors():
        info = api.inspect_container(container.strip("/"))
    cid, tty = str(info["Id"]), bool((info.get("Config") or {}).get("Tty"))
    console = console_for(tty)
    params = {"stdin": int(interactive), "stdout": 1, "stderr": 1, "stream": 1, "logs": 0}
    with engine.errors("attach to the container"):
        session = attach.Session(sdk.hijacked(api.attach_socket(cid, params=params)), tty)
    try:
        with engine.errors(f"start {container}"):
            api.start(cid)  # an already running container is only attached to, as docker's
    except BaseException:
        session.close()
        raise
    resize = api.resize
    if attach.converse(
        session, console, sink, interactive=interactive, tty=tty,
        resize=lambda rows, cols: resize(cid, height=rows, width=cols),
    ):  # fmt: skip
        return DETACHED
    with engine.errors("wait for the container"):
        answer: dict[str, Any] = sdk.post(
            api, "/containers/{0}/wait", cid, params={"condition": "not-running"}, timeout=None
        ).json()
    return int(answer.get("StatusCode", 0))


def processes(engine: Engine, container: str, ps_args: str) -> tuple[list[str], list[list[str]]]:
    """GET /containers/{id}/top: ps's titles and one row per process (the Engine runs ps on its host)."""
    with engine.errors():
        answer: dict[str, Any] = engine.api.top(container.strip("/"), ps_args=ps_args or None)
    titles = [str(t) for t in answer.get("Titles") or []]
    return titles, [[str(cell) for cell in row] for row in answer.get("Processes") or []]


def stats_once(engine: Engine, args: Sequence[str], all: bool) -> Iterator[Outcome]:
    """One sample of each container's stats (the Engine waits for a second reading, for CPU %), in parallel;
    without arguments, every running container (with `all`, every container)."""
    if not args:
        with engine.errors("list containers"):
            listed = engine.api.containers(all=all, trunc=False)
        args = [str(c["Id"]) for c in listed]
    return _each(engine, args, "stats", lambda ref: engine.api.stats(ref, stream=False))
