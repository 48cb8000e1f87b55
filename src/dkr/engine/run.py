"""dkr run's core: the image (pulled only as asked), create, attach, start, readiness, and the foreground run.

These are the building blocks `dkr up` reuses: `ensure_image`, `run_detached`, `wait_until_ready`,
`run_foreground`, `remove_container`. They take an Engine and a validated RunSpec, report progress through
callbacks (the renderer draws it) and raise dkr errors carrying docker's exit codes.
"""

from __future__ import annotations

import codecs
import collections
import contextlib
import dataclasses
import secrets
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import docker.errors
import requests.exceptions

from dkr.engine import attach, registry, sdk
from dkr.engine.client import Engine
from dkr.engine.errors import api_message, create_error, start_error
from dkr.errors import (
    DkrError,
    ImageNotLocal,
    ImageRefused,
    ImageStillMissing,
    NotFound,
    NotReady,
    PullFailed,
    RunFailure,
    TransferFailed,
    WaitFailed,
)
from dkr.grammars.reference import InvalidReference, is_image_id, parse_normalized
from dkr.models.run import Console, ImageInfo, PublishedPort, Readiness, ReadyHow, RunResult, RunSpec
from dkr.models.transfer import TransferEvent
from dkr.options.run import container_config

#: receives each event of a pull (and dkr's own "Unable to find image" line, in the same shape)
Progress = Callable[[TransferEvent], None]
#: receives the container's output: (1 stdout | 2 stderr, bytes)
Sink = Callable[[int, bytes], None]
#: receives one line for the user's stderr
Notify = Callable[[str], None]

#: what run_foreground returns when the user detached with the detach keys (the container runs on)
DETACHED = -1
#: how many of the container's last log lines a failed --wait shows
LOG_TAIL = 20
#: seconds between two readiness checks
POLL_INTERVAL = 0.25
#: after connecting, how long a probe watches for the connection being closed under it. docker's userland
#: proxy accepts on the host port even when nothing listens in the container, then closes the connection at
#: once (it dials the container, is refused, and hangs up within milliseconds). An open, quiet connection
#: is a server waiting for its client. Measured here: the proxy hangs up within 3 ms; 0.15 s leaves a wide
#: margin without making every --wait pay half a second.
PROBE_SETTLE = 0.15
#: on Ctrl-C the container first gets SIGINT (docker's sig-proxy); if it is still running after this many
#: seconds dkr stops it (its stop signal, then SIGKILL after its stop timeout)
INTERRUPT_GRACE = 3.0


@contextlib.contextmanager
def _translated(engine: Engine, translate: Callable[[str], RunFailure]) -> Iterator[None]:
    """The Engine's refusals -> `translate(its message)`; connection trouble as engine.errors() reports it."""
    with engine.errors():
        try:
            yield
        except docker.errors.APIError as exc:
            raise translate(api_message(exc)) from exc


# --- the image --------------------------------------------------------------------------------------------


def _full_ref(ref: str) -> str:
    """`busybox` -> `busybox:latest`, as docker names what it pulls (TagNameOnly)."""
    try:
        return parse_normalized(ref).with_default_tag().familiar_string
    except InvalidReference:
        return ref  # the Engine says what is wrong with it


def pull_image(
    engine: Engine, ref: str, progress: Progress | None = None, platform: str | None = None
) -> None:
    """Pull `ref`, reporting every event; a failure is docker's exit 125."""
    try:
        reference = parse_normalized(ref).with_default_tag()
    except InvalidReference as exc:
        raise PullFailed(ref, exc.reason) from None  # the Engine would say the same, with no pull
    try:
        registry.pull(engine, reference, on_event=progress, platform=platform)
    except TransferFailed as exc:
        raise PullFailed(_full_ref(ref), exc.engine_message) from exc


def _inspect_image(engine: Engine, ref: str) -> dict[str, Any] | None:
    """The image's inspect payload, or None when it is not here. Any other refusal (a malformed reference)
    is docker's exit 125."""

    def refused(message: str) -> ImageRefused:
        return ImageRefused(ref, message)

    with _translated(engine, refused):
        try:
            data: dict[str, Any] = engine.api.inspect_image(ref)
        except docker.errors.NotFound:
            return None
    return data


def ensure_image(
    engine: Engine,
    ref: str,
    policy: str = "missing",
    progress: Progress | None = None,
    platform: str | None = None,
) -> ImageInfo:
    """The image to run, as docker's --pull says: `always` pulls, `missing` pulls only when it is not here
    (and only a named image, never an id), `never` fails with exit 125."""
    if policy == "always":
        pull_image(engine, ref, progress, platform)
    data = _inspect_image(engine, ref)
    if data is None:
        if policy != "missing" or is_image_id(ref):
            raise ImageNotLocal(ref, policy)
        if progress:
            progress(TransferEvent(f"Unable to find image '{_full_ref(ref)}' locally"))
        pull_image(engine, ref, progress, platform)
        data = _inspect_image(engine, ref)
        if data is None:
            raise ImageStillMissing(ref)
    return ImageInfo.from_api(ref, data)


# --- create, start, remove --------------------------------------------------------------------------------


#: The label that finds a container dkr asked for when the Engine's answer never reached dkr (Ctrl-C while
#: the create request was in flight, a lost connection): a random token per create.
CREATE_TOKEN_LABEL = "dkr.create-token"


class Owned:
    """The container a command creates, from before the create request is sent until it is handed over.
    Leaving the block by any exception (a failed start or wait, Ctrl-C or SIGTERM at any instant, an answer
    that never came) removes it: by id when the create's answer arrived, else by the token label given to
    it. A Ctrl-C during that clean-up is noted; a second one gives up and says what is left and how to
    remove it."""

    def __init__(self, engine: Engine, notify: Notify | None = None) -> None:
        self.engine = engine
        self.notify = notify or (lambda _line: None)
        self.token = secrets.token_hex(12)
        self.id: str | None = None
        self._kept = False
        #: set once the container was removed on the way out
        self.removed = False

    def __enter__(self) -> Owned:
        return self

    def keep(self, deliver: Callable[[], None] | None = None) -> None:
        """Hand it over: it is the user's from now on. `deliver` tells the user (prints its id); Ctrl-C and
        SIGTERM are held back while it does, so that the container is either removed or reported, never
        kept without the user having been told."""
        if deliver is None:
            self._kept = True
            return
        held = {signal.SIGINT, signal.SIGTERM}
        blocking = threading.current_thread() is threading.main_thread()
        if blocking:
            signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            self._kept = True
            deliver()
        finally:
            if blocking:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, held)  # a held Ctrl-C lands now

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if exc_type is None or self._kept:
            return
        with _clean_up_signals(self.notify):
            try:
                self._remove()
                self.removed = True
            except (KeyboardInterrupt, DkrError):  # a second Ctrl-C, or the Engine is gone: say what is left
                pass
        if not self.removed:
            left = self.id[:12] if self.id else f"the one labelled {CREATE_TOKEN_LABEL}={self.token}"
            ref = self.id[:12] if self.id else f"$(dkr ps -aq -f label={CREATE_TOKEN_LABEL}={self.token})"
            self.notify(f"dkr: warning: container {left} was left behind: remove it with dkr rm -f {ref}")

    def _remove(self) -> None:
        if self.id is not None:
            remove_container(self.engine, self.id)
            return
        with self.engine.errors("find the container dkr created"):
            found = self.engine.api.containers(
                all=True, quiet=True, filters={"label": f"{CREATE_TOKEN_LABEL}={self.token}"}
            )
        for item in found:
            remove_container(self.engine, str(item["Id"]))


@contextlib.contextmanager
def _clean_up_signals(notify: Notify) -> Iterator[None]:
    """While dkr removes what it created: the first Ctrl-C (or SIGTERM) is noted, the next one interrupts."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    presses = [0]

    def handle(_signum: int, _frame: object) -> None:
        presses[0] += 1
        if presses[0] == 1:
            notify("removing the container dkr created (press Ctrl-C again to leave it)")
            return
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _to_the_end(request: Callable[[], dict[str, Any]], notify: Notify) -> dict[str, Any]:
    """Make `request` in a thread and wait for it. Ctrl-C (or SIGTERM) while it is in flight does not cut it
    off: the Engine may already be creating the container, and only its answer says which one to remove. So
    dkr waits (a bounded time, a second Ctrl-C gives up) for the answer, then lets the interrupt go on."""
    outcome: list[Any] = []
    done = threading.Event()

    def make() -> None:
        try:
            outcome.append(("ok", request()))
        except BaseException as exc:  # handed over below
            outcome.append(("error", exc))
        finally:
            done.set()

    # An Event, not Thread.join(): a join that Ctrl-C interrupts can leave the thread looking finished, and a
    # second join would then return before the answer came.
    worker = threading.Thread(target=make, name="dkr-create", daemon=True)
    try:
        worker.start()  # its wait for the thread to begin is interruptible too
        done.wait()  # interruptible
    except KeyboardInterrupt as interrupt:
        if worker.ident is not None:  # it began: its request may be with the Engine
            with _clean_up_signals(notify), contextlib.suppress(KeyboardInterrupt):
                done.wait(CREATE_ANSWER_WAIT)
        if outcome and outcome[0][0] == "ok":
            raise _Interrupted(outcome[0][1], interrupt) from None
        raise
    kind, value = outcome[0]
    if kind == "error":
        raise value
    result: dict[str, Any] = value
    return result


#: How long an interrupted create may still take to answer (a create takes well under a second).
CREATE_ANSWER_WAIT = 10.0


class _Interrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM: `interrupt`) during a create whose answer then arrived: `answer` names the
    container to remove."""

    def __init__(self, answer: dict[str, Any], interrupt: KeyboardInterrupt) -> None:
        super().__init__()
        self.answer = answer
        self.interrupt = interrupt


def create_container(
    engine: Engine,
    spec: RunSpec,
    image: ImageInfo,
    owned: Owned,
    *,
    attach: bool = False,
    notify: Notify | None = None,
) -> str:
    """Create the container, labelled with `owned`'s token (so it can be found if the answer is lost); a
    refusal is docker's exit 125 (126/127 for a command the Engine already knows it cannot run), naming the
    container that holds a name already in use."""
    body = container_config(spec, image, attach)
    body["Labels"] = {**body["Labels"], CREATE_TOKEN_LABEL: owned.token}  # type: ignore[dict-item]
    api = engine.api
    try:
        with _translated(engine, lambda message: create_error(message, spec.command)):
            res = _to_the_end(
                lambda: api.create_container_from_config(body, name=spec.name, platform=spec.platform),
                owned.notify,
            )
    except _Interrupted as exc:
        owned.id = str(exc.answer["Id"])  # so that Owned removes exactly this one
        raise exc.interrupt from None
    owned.id = str(res["Id"])
    for warning in res.get("Warnings") or ():
        if notify:
            notify(f"dkr: warning: {warning}")
    return owned.id


def remove_container(engine: Engine, cid: str) -> None:
    """Force-remove a container dkr created; tolerate it being gone or already on its way out (AutoRemove),
    and return only once it is gone, so that nothing is left behind when dkr exits."""
    api = engine.api
    with engine.errors(f"remove container {cid[:12]}"):
        try:
            api.remove_container(cid, force=True, v=True)
        except docker.errors.NotFound:
            return
        except docker.errors.APIError as exc:
            if exc.status_code != 409:  # 409: removal already in progress
                raise
            with engine.best_effort():
                api.wait(cid, timeout=30, condition="removed")


def start_container(engine: Engine, cid: str, spec: RunSpec) -> None:
    """Start it; a refusal is docker's exit code with the cause: the host port, the command. (The caller's
    Owned removes the container: docker leaves a dead one behind.)"""
    with _translated(engine, lambda message: start_error(message, spec.command)):
        engine.api.start(cid)


class _Output:
    """The container's output stream, attached BEFORE start as docker run does, so no line is missed."""

    def __init__(self, engine: Engine, cid: str) -> None:
        with engine.errors("attach to the container"):
            self._stream = engine.api.attach(
                cid, stdout=True, stderr=True, stream=True, logs=False, demux=True
            )

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        try:
            for out, err in self._stream:
                if out:
                    yield 1, out
                if err:
                    yield 2, err
        except sdk.STREAM_ERRORS:
            return  # closed under us (close() from another thread), a cut frame, or the Engine went away

    def close(self) -> None:
        with contextlib.suppress(Exception):  # already closed, or an SSH transport that cannot cancel
            self._stream.close()


class _LogTail:
    """Keeps the last lines of the container's output while --wait watches it (read from a stream attached
    before start, so the lines survive even if --rm removes the container when it exits)."""

    def __init__(self, engine: Engine, cid: str, size: int = LOG_TAIL) -> None:
        self._output = _Output(engine, cid)
        self._lines: collections.deque[str] = collections.deque(maxlen=size)
        self._partial = {1: "", 2: ""}
        self._decoders = {n: codecs.getincrementaldecoder("utf-8")("replace") for n in (1, 2)}
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._read, name="dkr-log-tail", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        for stream, data in self._output:
            text = self._partial[stream] + self._decoders[stream].decode(data)
            *lines, self._partial[stream] = text.split("\n")
            with self._lock:
                self._lines.extend(line.rstrip("\r") for line in lines)

    def lines(self, settle: float = 0.5) -> tuple[str, ...]:
        self._thread.join(settle)  # an exited container's stream ends on its own: take its last words
        with self._lock:
            tail = list(self._lines)
            tail.extend(p for p in self._partial.values() if p)
        return tuple(tail[-(self._lines.maxlen or LOG_TAIL) :])

    def close(self) -> None:
        self._output.close()
        self._thread.join(2.0)


class _ExitWaiter:
    """POST /containers/{id}/wait, sent before start: the Engine answers the headers once the wait is
    registered and the body when the container exits (or, with AutoRemove, is removed), so a container that
    exits at once is never missed. This is how docker run learns the exit code."""

    def __init__(self, engine: Engine, cid: str, removed: bool) -> None:
        api = engine.api
        self._engine = engine
        with engine.errors("wait for the container"):
            condition = "removed" if removed else "next-exit"
            # no deadline: a foreground container runs as long as it runs
            self._res = sdk.post(
                api, "/containers/{0}/wait", cid, params={"condition": condition}, stream=True, timeout=None
            )

    def result(self) -> int:
        with self._engine.errors("read the container's exit code"):
            data = self._res.json()
        error = (data.get("Error") or {}).get("Message")
        if error:
            raise WaitFailed(str(error))
        return int(data.get("StatusCode") or 0)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._res.close()


# --- detached ---------------------------------------------------------------------------------------------


def _started(engine: Engine, cid: str, spec: RunSpec, image: ImageInfo) -> RunResult:
    try:
        with engine.errors("inspect the container"):
            info = engine.api.inspect_container(cid)
    except NotFound:  # --rm and it already exited: docker run -d succeeds all the same
        return RunResult(cid, spec.name or "", image)
    return RunResult(
        id=cid,
        name=str(info.get("Name") or "").removeprefix("/"),
        image=image,
        ports=PublishedPort.from_api((info.get("NetworkSettings") or {}).get("Ports")),
    )


def run_detached(
    engine: Engine,
    spec: RunSpec,
    image: ImageInfo | None = None,
    *,
    wait_timeout: float | None = None,
    notify: Notify | None = None,
    progress: Progress | None = None,
    deliver: Callable[[RunResult], None] | None = None,
) -> RunResult:
    """`docker run -d`: the image, create, start. With `wait_timeout`, also wait until it is ready (the result
    says how); if it is not, remove it and raise NotReady with its last log lines. Nothing is left behind on
    any failure. `deliver` shows the result to the user as the container is handed over (see Owned.keep)."""
    image = image or ensure_image(engine, spec.image, spec.pull, progress, spec.platform)
    tail: _LogTail | None = None
    exit_waiter: _ExitWaiter | None = None
    owned = Owned(engine, notify)
    try:
        with owned:  # a failed start or wait, Ctrl-C at any instant: what dkr created is removed
            try:
                cid = create_container(engine, spec, image, owned, notify=notify)
                if wait_timeout is not None:
                    tail = _LogTail(engine, cid)
                    # registered before start: the exit code is known even if --rm removes the container first
                    exit_waiter = _ExitWaiter(engine, cid, removed=False)
                start_container(engine, cid, spec)
                result = _started(engine, cid, spec, image)
                if wait_timeout is not None:
                    ready = wait_until_ready(engine, result, wait_timeout, tail=tail, exit_waiter=exit_waiter)
                    result = dataclasses.replace(result, ready=ready)
            finally:
                _close(tail, exit_waiter)
            owned.keep((lambda: deliver(result)) if deliver is not None else None)
    except NotReady as exc:
        if owned.removed:
            raise exc.after_removal() from exc.__cause__
        raise
    return result


def _close(*watchers: _LogTail | _ExitWaiter | None) -> None:
    for watcher in watchers:
        if watcher is not None:
            watcher.close()


# --- readiness --------------------------------------------------------------------------------------------


def probe(host: str, port: int, connect_timeout: float = 1.0, settle: float = PROBE_SETTLE) -> bool:
    """True if something answers on host:port: the connection is accepted and NOT closed or reset right
    away (see PROBE_SETTLE: docker's userland proxy accepts before the app listens)."""
    try:
        with socket.create_connection((host, port), timeout=connect_timeout) as conn:
            conn.settimeout(settle)
            try:
                data = conn.recv(1, socket.MSG_PEEK)
            except TimeoutError:
                return True  # open and quiet: a server waiting for its client to speak
            except OSError:
                return False  # reset
            return bool(data)  # a greeting means a server; b"" means hung up at once
    except OSError:
        return False


def _answering(targets: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The targets that answer, probed at once: each successful probe waits PROBE_SETTLE."""
    if len(targets) <= 1:
        return [t for t in targets if probe(*t)]
    with ThreadPoolExecutor(max_workers=min(16, len(targets)), thread_name_prefix="dkr-probe") as pool:
        answers = list(pool.map(lambda t: probe(*t), targets))
    return [t for t, ok in zip(targets, answers, strict=True) if ok]


def _logs(engine: Engine, cid: str, tail: _LogTail | None) -> tuple[str, ...]:
    if tail is not None:
        return tail.lines()
    raw = b""
    with engine.best_effort():
        raw = engine.api.logs(cid, stdout=True, stderr=True, tail=LOG_TAIL)
    return tuple(bytes(raw).decode(errors="replace").splitlines()[-LOG_TAIL:])


def wait_until_ready(
    engine: Engine,
    container: RunResult,
    timeout: float,
    *,
    tail: _LogTail | None = None,
    exit_waiter: _ExitWaiter | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Readiness:
    """Wait until the container is ready: its HEALTHCHECK says healthy if it has one, else every published
    TCP port answers on its host address (127.0.0.1 for a 0.0.0.0 binding). Raises NotReady, with the last
    log lines, if it exits, turns unhealthy, or `timeout` seconds pass first."""
    start = clock()
    deadline = start + timeout
    name = container.name or container.short_id
    targets = {(p.dial_host, p.host_port): p for p in container.ports if p.proto == "tcp"}
    pending = dict(targets)
    while True:
        try:
            with engine.errors("inspect the container"):
                state = engine.api.inspect_container(container.id).get("State") or {}
        except NotFound:
            state = {"Running": False, "ExitCode": None}
        health = (state.get("Health") or {}).get("Status")
        if not state.get("Running"):
            code = state.get("ExitCode")
            if code is None and exit_waiter is not None:  # already removed (--rm): ask the waiter
                with contextlib.suppress(DkrError):
                    code = exit_waiter.result()
            raise NotReady(name, "exited", exit_code=code, logs=_logs(engine, container.id, tail))
        if health == "healthy":
            return Readiness("healthy", clock() - start)
        if health == "unhealthy":
            raise NotReady(name, "unhealthy", logs=_logs(engine, container.id, tail))
        if health is None:
            for key in _answering(list(pending)):
                del pending[key]
            if not pending:
                how: ReadyHow = "ports" if targets else "running"
                return Readiness(how, clock() - start, tuple(targets.values()))
        if clock() >= deadline:
            raise NotReady(
                name,
                "timeout",
                logs=_logs(engine, container.id, tail),
                timeout=timeout,
                health=health,
                pending=tuple(p.address for p in pending.values()),
            )
        time.sleep(max(0.0, min(POLL_INTERVAL, deadline - clock())))


# --- foreground -------------------------------------------------------------------------------------------


class _Interrupts:
    """Ctrl-C (and SIGTERM) while a foreground container runs: the first forwards the signal to the
    container (docker's sig-proxy) and, if it is still running INTERRUPT_GRACE seconds later, stops it (its
    stop signal, then SIGKILL after its stop timeout); the next one kills it. The handler only counts and
    hands the work to a thread, so it never writes to a stream the main thread may be writing to."""

    def __init__(self, engine: Engine, cid: str, name: str, notify: Notify | None) -> None:
        self.engine = engine
        self.cid = cid
        self.name = name
        self.notify = notify or (lambda _line: None)
        self.count = 0

    def _handle(self, signum: int, _frame: object) -> None:
        self.count += 1
        threading.Thread(
            target=self._act, args=(self.count, signum), name="dkr-interrupt", daemon=True
        ).start()

    def _act(self, count: int, signum: int) -> None:
        api = self.engine.api
        with self.engine.best_effort():
            if count > 1:
                self.notify(f"killing {self.name}")
                api.kill(self.cid, "SIGKILL")
                return
            self.notify(f"stopping {self.name} (press Ctrl-C again to kill it)")
            api.kill(self.cid, signal.Signals(signum).name)
            try:
                api.wait(self.cid, timeout=INTERRUPT_GRACE, condition="not-running")
            except requests.exceptions.RequestException:  # still running after the grace: stop it
                api.stop(self.cid)

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self._handle) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


class _Attached:
    """An attach with stdin (-i) or a TTY (-t), hijacked before start as docker run does: the same
    (stream, bytes) iteration as _Output, from a Session the local stdin is pumped into."""

    def __init__(self, engine: Engine, cid: str, spec: RunSpec) -> None:
        params = {"stdin": int(spec.interactive), "stdout": 1, "stderr": 1, "stream": 1, "logs": 0}
        with engine.errors("attach to the container"):
            sock = sdk.hijacked(engine.api.attach_socket(cid, params=params))
        self.session = attach.Session(sock, tty=spec.tty)

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        return self.session.output()

    def close(self) -> None:
        self.session.close()


def _console(engine: Engine, cid: str, spec: RunSpec, console: Console | None, output: Any) -> Any:
    """The local side of an attached run (attach.local_side); nothing for a run without -i/-t."""
    if not isinstance(output, _Attached):
        return contextlib.nullcontext()
    resize = engine.api.resize
    return attach.local_side(
        output.session, console, interactive=spec.interactive, tty=spec.tty,
        resize=lambda rows, cols: resize(cid, rows, cols),
    )  # fmt: skip


def run_foreground(
    engine: Engine,
    spec: RunSpec,
    sink: Sink,
    image: ImageInfo | None = None,
    *,
    notify: Notify | None = None,
    progress: Progress | None = None,
    console: Console | None = None,
) -> int:
    """`docker run` without -d: attach, start, stream stdout/stderr to `sink` live, and return the
    container's exit code. Ctrl-C stops the container (see _Interrupts) and still returns its code. With
    -i/-t, `console` is the local side: its input goes to the container; the detach keys leave it running
    (then the result is DETACHED)."""
    image = image or ensure_image(engine, spec.image, spec.pull, progress, spec.platform)
    output: _Output | _Attached | None = None
    waiter: _ExitWaiter | None = None
    with Owned(engine, notify) as owned:  # until it runs: nothing is left behind on any way out
        try:
            cid = create_container(engine, spec, image, owned, attach=True, notify=notify)
            output = _Attached(engine, cid, spec) if spec.interactive or spec.tty else _Output(engine, cid)
            waiter = _ExitWaiter(engine, cid, removed=spec.auto_remove)
            start_container(engine, cid, spec)
        except BaseException:
            for part in (output, waiter):
                if part is not None:
                    part.close()
            raise
        interrupts = _Interrupts(engine, cid, spec.name or cid[:12], notify)
        with interrupts.installed():
            owned.keep()  # it runs, and from here Ctrl-C is the container's (see _Interrupts)
            try:
                with _console(engine, cid, spec, console, output):
                    for stream, data in output:
                        sink(stream, data)
            except BaseException:
                # dkr cannot deliver the output (`dkr run img yes | head -1` closed the pipe): end the
                # container as SIGPIPE would end a local producer, rather than leave it running unseen
                output.close()
                waiter.close()
                with engine.best_effort():
                    engine.api.kill(cid)
                raise
            if isinstance(output, _Attached) and output.session.detached.is_set():
                waiter.close()
                return DETACHED
            code = waiter.result()
    if interrupts.count and notify:
        notify(f"{spec.name or cid[:12]} stopped (exit code {code})")
    return code
