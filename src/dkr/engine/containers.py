"""Containers: list (one request) and stop (in parallel)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import docker.errors
import docker.utils
import requests.exceptions

from dkr.engine.client import Engine
from dkr.errors import DkrError
from dkr.models import Container, StopResult

R = TypeVar("R")

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
    with engine.errors("cannot list containers"):
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
            if effective is None:
                effective = ENGINE_DEFAULT_STOP_TIMEOUT
            deadline = None if effective < 0 else effective + STOP_DEADLINE_MARGIN
            if signal and docker.utils.version_lt(api.api_version, "1.42"):
                killed = _stop_by_signal(engine, cid, running, signal, effective, deadline)
                return StopResult(arg, killed_after_timeout=killed, timeout=effective)
            params: dict[str, Any] = {}
            if timeout is not None:
                params["t"] = timeout
            if signal:
                params["signal"] = signal
            # The SDK's stop() caps its HTTP deadline at its own default; dkr sets one above the stop timeout,
            # so a slow stop is never reported as a failure while the Engine is still waiting.
            res = api._post(api._url("/containers/{0}/stop", cid), params=params, timeout=deadline)
            api._raise_for_status(res)
            killed = False
            if running and not _is_kill(stop_signal):
                after = api.inspect_container(cid)
                killed = after["State"].get("ExitCode") == 137 and not after["State"].get("OOMKilled")
            return StopResult(arg, killed_after_timeout=killed, timeout=effective)
    except DkrError as exc:
        return StopResult(arg, error=exc.message)


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


def in_parallel(engine: Engine, args: Sequence[str], op: Callable[[str], R], name: str) -> Iterator[R]:
    """Run op on every argument at once; yield the results in argument order as soon as each is known
    (docker's parallelOperation). op reports failures in its result rather than raising."""
    _ = engine.api  # connect once, so an unreachable Engine fails once rather than per container
    workers = max(1, min(32, len(args)))  # the Engine client keeps 32 connections
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"dkr-{name}") as pool:
        futures = [pool.submit(op, arg) for arg in args]
        for future in futures:
            yield future.result()


def stop_many(
    engine: Engine, args: Sequence[str], timeout: int | None = None, signal: str | None = None
) -> Iterator[StopResult]:
    """Stop every container in parallel; yield the results in argument order as soon as each is known."""
    return in_parallel(engine, args, lambda arg: _stop_one(engine, arg, timeout, signal), "stop")
