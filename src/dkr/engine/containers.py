"""Containers: list (one request), stop and remove (in parallel), logs (streamed)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import docker.errors
import requests.exceptions

from dkr.engine import sdk
from dkr.engine.client import Engine
from dkr.errors import ContainerActive, DkrError, StreamBroken
from dkr.models.containers import Container, RemoveResult, StopResult

R = TypeVar("R")
T = TypeVar("T")

#: Seconds the HTTP deadline of a stop exceeds the stop timeout (the Engine kills, then reports).
STOP_DEADLINE_MARGIN = 30.0
#: The Engine's default stop timeout when neither -t nor the container's StopTimeout says otherwise.
ENGINE_DEFAULT_STOP_TIMEOUT = 10


def list_containers(
    engine: Engine,
    *,
    all: bool = False,
    limit: int = -1,
    filters: Mapping[str, list[str]] | None = None,
    size: bool = False,
) -> list[Container]:
    """One GET /containers/json for the whole listing. (The SDK's high-level `containers.list()` inspects
    every container afterwards; the low-level call does not.)"""
    with engine.errors("list containers"):
        payload: list[dict[str, Any]] = engine.api.containers(
            all=all, limit=limit, size=size, filters=dict(filters or {}) or None, trunc=False
        )
    return [Container.from_api(item) for item in payload]


def _is_kill(signal: str | int | None) -> bool:
    if signal is None:
        return False
    s = str(signal).upper().removeprefix("SIG")
    return s in ("KILL", "9")


def _stop_one(engine: Engine, arg: str, timeout: int | None, signal: str | None) -> StopResult:
    api = engine.api
    try:
        with engine.errors():
            info = api.inspect_container(arg)
            cid = info["Id"]
            running = bool(info["State"].get("Running"))
            config = info.get("Config") or {}
            stop_signal = signal or config.get("StopSignal") or "SIGTERM"
            effective = timeout
            if effective is None:
                effective = config.get("StopTimeout")
            if effective is None or (timeout is None and effective == 0 and engine.podman):
                # Podman (4.3) records StopTimeout 0 for a container created through its Docker API without
                # one, where Docker records none, and then kills at once (measured): dkr stop gives it the
                # grace Docker gives, 10 s, and says so to Podman (README: Podman)
                effective = ENGINE_DEFAULT_STOP_TIMEOUT
            deadline = None if effective < 0 else effective + STOP_DEADLINE_MARGIN
            if signal and sdk.version_lt(api.api_version, "1.42"):
                killed = _stop_by_signal(engine, cid, running, signal, effective, deadline)
                return StopResult(arg, killed_after_timeout=killed, timeout=effective)
            params: dict[str, Any] = {}
            if timeout is not None or engine.podman:
                params["t"] = effective
            if signal:
                params["signal"] = signal
            # The SDK's stop() caps its HTTP deadline at its own default; dkr sets one above the stop timeout,
            # so a slow stop is never reported as a failure while the Engine is still waiting.
            sdk.post(api, "/containers/{0}/stop", cid, params=params, timeout=deadline)
            killed = False
            if running and not _is_kill(stop_signal):
                after = api.inspect_container(cid)
                killed = after["State"].get("ExitCode") == 137 and not after["State"].get("OOMKilled")
            return StopResult(arg, killed_after_timeout=killed, timeout=effective)
    except DkrError as exc:
        return StopResult(arg, error=exc)


def _stop_by_signal(
    engine: Engine, cid: str, running: bool, signal: str, timeout: int, deadline: float | None
) -> bool:
    """`stop -s` on Engines before API 1.42 (no signal parameter): send the signal, wait up to the timeout,
    then SIGKILL, which is what newer Engines do server-side. Returns True if it had to kill."""
    api = engine.api
    if not running:
        return False
    api.kill(cid, signal)
    if _is_kill(signal):
        api.wait(cid, timeout=deadline, condition="not-running")
        return False
    try:
        api.wait(cid, timeout=None if timeout < 0 else timeout, condition="not-running")
        return False
    except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
        try:
            api.kill(cid, "SIGKILL")
        except docker.errors.APIError as exc:
            if exc.status_code != 409:  # it exited in the meantime
                raise
        api.wait(cid, timeout=STOP_DEADLINE_MARGIN, condition="not-running")
        return True


def in_parallel(engine: Engine | None, args: Sequence[T], op: Callable[[T], R], name: str) -> Iterator[R]:
    """Run op on every argument at once; yield the results in argument order as soon as each is known
    (docker's parallelOperation). op reports failures in its result rather than raising. With an `engine`,
    it is connected first, so an unreachable Engine fails once rather than per container."""
    if engine is not None:
        _ = engine.api
    slots = threading.BoundedSemaphore(32)  # the Engine client keeps 32 connections
    results: list[tuple[R] | BaseException | None] = [None] * len(args)
    done = [threading.Event() for _ in args]

    def work(i: int, arg: T) -> None:
        with slots:
            try:
                results[i] = (op(arg),)
            except BaseException as exc:  # handed to the caller below, in argument order
                results[i] = exc
            finally:
                done[i].set()

    # Daemon threads, not a pool: on Ctrl-C the caller returns at once (a pool joins its workers first, so a
    # `stop -t 60` would hold the terminal for a minute) and the Engine finishes what it was asked.
    for i, arg in enumerate(args):
        threading.Thread(target=work, args=(i, arg), name=f"dkr-{name}-{i}", daemon=True).start()
    for i in range(len(args)):
        done[i].wait()  # interruptible: Ctrl-C lands here
        outcome = results[i]
        if isinstance(outcome, BaseException):
            raise outcome
        assert outcome is not None
        yield outcome[0]


def stop_many(
    engine: Engine, args: Sequence[str], timeout: int | None = None, signal: str | None = None
) -> Iterator[StopResult]:
    """Stop every container in parallel; yield the results in argument order as soon as each is known."""
    return in_parallel(engine, args, lambda arg: _stop_one(engine, arg, timeout, signal), "stop")


def on_their_engines(
    args: Sequence[str],
    where: Sequence[Engine | DkrError],
    act: Callable[[Engine, str], R],
    failed: Callable[[str, DkrError], R],
    name: str,
) -> Iterator[R]:
    """An operation over several Engines: each argument acted on where `where` says (dkr.engine.fanout.
    locate), in parallel, or reported with why it is acted on nowhere; results in argument order."""

    def one(i: int) -> R:
        target = where[i]
        return failed(args[i], target) if isinstance(target, DkrError) else act(target, args[i])

    return in_parallel(None, range(len(args)), one, name)


def stop_across(
    args: Sequence[str], where: Sequence[Engine | DkrError], timeout: int | None, signal: str | None
) -> Iterator[StopResult]:
    """stop_many over several Engines, each container on the Engine that has it."""
    return on_their_engines(
        args,
        where,
        lambda engine, arg: _stop_one(engine, arg, timeout, signal),
        lambda arg, error: StopResult(arg, error=error),
        "stop",
    )


def _active_state(engine: Engine, ref: str) -> str | None:
    """The state (running, paused, restarting) in which the Engine refuses removal without force, or None."""
    state = None
    with engine.best_effort():
        state = engine.api.inspect_container(ref)["State"]
    if state is None:
        return None
    if state.get("Paused"):
        return "paused"
    if state.get("Restarting"):
        return "restarting"
    return "running" if state.get("Running") else None


def _remove_one(engine: Engine, arg: str, force: bool, volumes: bool) -> RemoveResult:
    ref = arg.strip("/")  # as docker: `/name` is the name's canonical form
    try:
        with engine.errors():
            try:
                engine.api.remove_container(ref, v=volumes, force=force)
            except docker.errors.APIError as exc:
                # The Engine's own wording changes between versions; dkr says the same thing on all of them.
                # (Podman 4.3 answers 500 "…cannot be removed without force: container state improper".)
                refused = exc.status_code == 409 or "container state improper" in str(exc.explanation)
                state = _active_state(engine, ref) if refused and not force else None
                if state is None:
                    raise
                raise ContainerActive(ref, state) from exc
        return RemoveResult(arg)
    except DkrError as exc:
        return RemoveResult(arg, error=exc)


def remove_many(
    engine: Engine, args: Sequence[str], *, force: bool = False, volumes: bool = False
) -> Iterator[RemoveResult]:
    """Remove every container in parallel; yield the results in argument order as soon as each is known."""
    return in_parallel(engine, args, lambda arg: _remove_one(engine, arg, force, volumes), "rm")


def remove_across(
    args: Sequence[str], where: Sequence[Engine | DkrError], *, force: bool = False, volumes: bool = False
) -> Iterator[RemoveResult]:
    """remove_many over several Engines, each container on the Engine that has it."""
    return on_their_engines(
        args,
        where,
        lambda engine, arg: _remove_one(engine, arg, force, volumes),
        lambda arg, error: RemoveResult(arg, error=error),
        "rm",
    )


#: A batch of log output as it arrived: (1 for stdout or 2 for stderr, bytes) pairs.
LogBatch = list[tuple[int, bytes]]


class Demuxer:
    """Splits the Engine's multiplexed stream (8-byte header: stream, 3 zero bytes, big-endian length) into
    (stream, payload) pairs, as docker's stdcopy does. Hand-written because the SDK's logs() drops which
    stream a frame came from and its frame readers need a raw socket, not an HTTP response body."""

    def __init__(self) -> None:
        self._buf = bytearray()
        #: set when the stream carried an error: the frames before it are still returned first
        self.error: StreamBroken | None = None

    def feed(self, data: bytes) -> LogBatch:
        self._buf += data
        buf = self._buf
        frames: LogBatch = []
        # read at an offset, then drop what was read once: deleting each frame from the front moved the rest
        # of the buffer every time (quadratic in the frames one read brings: a fast writer's thousands)
        at = 0
        while self.error is None and len(buf) - at >= 8:
            kind, size = buf[at], int.from_bytes(buf[at + 4 : at + 8], "big")
            if len(buf) - at < 8 + size:
                break
            payload = bytes(buf[at + 8 : at + 8 + size])
            at += 8 + size
            if kind == 3:  # the Engine's own error, sent in-band once streaming has begun
                self.error = StreamBroken(payload.decode(errors="replace").strip(), "read the log stream")
            elif kind not in (0, 1, 2):
                self.error = StreamBroken(
                    f"unrecognized stream {kind} (not a multiplexed stream?)", "read the log stream"
                )
            elif payload:
                frames.append((2 if kind == 2 else 1, payload))
        del buf[:at]
        return frames


def open_logs(
    engine: Engine,
    container: str,
    *,
    follow: bool = False,
    tail: str = "all",
    since: str | None = None,
    until: str | None = None,
    timestamps: bool = False,
) -> Iterator[LogBatch]:
    """A container's logs as batches of (stream, bytes), as they arrive. The container is looked up and the
    request made before this returns, so "no such container" is raised here, before any output."""
    api = engine.api
    with engine.errors():
        info = api.inspect_container(container)
        tty = bool((info.get("Config") or {}).get("Tty"))
        params: dict[str, Any] = {
            "stdout": 1,
            "stderr": 1,
            "follow": int(follow),
            "timestamps": int(timestamps),
            "tail": tail,
        }
        if since:
            params["since"] = since
        if until:
            params["until"] = until
        # with -f a quiet container is not a timeout
        res = sdk.get_stream(api, "/containers/{0}/logs", info["Id"], params=params, no_deadline=follow)
    return read_logs(engine, res, tty)


def read_logs(engine: Engine, res: requests.Response, tty: bool) -> Iterator[LogBatch]:
    demux = None if tty else Demuxer()
    try:
        with engine.errors("read the log stream"):
            # a chunked body yields each chunk as the Engine flushes it: live output for -f
            for data in sdk.body_pieces(res):
                batch = [(1, data)] if demux is None else demux.feed(data)
                if batch:
                    yield batch
                if demux is not None and demux.error is not None:
                    raise demux.error
    finally:
        res.close()
