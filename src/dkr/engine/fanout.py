"""Several Engines at once (-c a,b, --all-contexts): the same request to each in parallel, one thread and one
client per Engine; an Engine that fails is an answer with its error, never the end of the others.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from dkr.engine.client import Engine
from dkr.engine.containers import LogBatch, in_parallel, open_logs
from dkr.errors import DkrError, NoSuchObject
from dkr.models.fanout import Answer, placed

V = TypeVar("V")


@dataclass(frozen=True)
class Named:
    """An Engine with the context name it was given by (the ENGINE column, the prefix of its log lines)."""

    name: str
    engine: Engine


def on_each(engines: Sequence[Named], op: Callable[[Engine], V]) -> list[Answer[V]]:
    """op on every Engine at once; the answers in the order the Engines were named. A DkrError is that
    Engine's answer; anything else (a bug, Ctrl-C) is raised."""

    def one(named: Named) -> Answer[V]:
        try:
            return Answer(named.name, op(named.engine))
        except DkrError as exc:
            return Answer(named.name, error=exc)

    return list(in_parallel(None, engines, one, "engines"))


def connected(engines: Sequence[Named]) -> tuple[list[Named], list[Answer[object]]]:
    """The Engines that answer (connected, API version negotiated, all at once), and the failures of the
    others."""
    answers = on_each(engines, lambda engine: engine.api)
    up = [named for named, answer in zip(engines, answers, strict=True) if answer.error is None]
    return up, [answer for answer in answers if answer.error is not None]


def _look_up(engine: Engine, ref: str) -> DkrError | None:
    try:
        with engine.errors():
            engine.api.inspect_container(ref.strip("/"))
        return None
    except DkrError as exc:
        return exc


def locate(engines: Sequence[Named], args: Sequence[str]) -> list[Engine | DkrError]:
    """Each argument's Engine, looked up on every Engine at once (one inspect per Engine and argument), or
    why it is acted on nowhere (dkr.models.fanout.placed). The Engines must answer (`connected`)."""
    pairs = [(named, arg) for named in engines for arg in args]
    found = list(in_parallel(None, pairs, lambda pair: _look_up(pair[0].engine, pair[1]), "locate"))
    looked = {named.name: found[i * len(args) : (i + 1) * len(args)] for i, named in enumerate(engines)}
    by_name = {named.name: named.engine for named in engines}
    return [by_name[where] if isinstance(where, str) else where for where in placed(args, looked)]


#: What following several Engines' logs yields: (Engine name, a batch of output), or (Engine name, the error
#: that ended its stream), or (Engine name, None) when its stream ended.
LogEvent = tuple[str, LogBatch | DkrError | None]


def logs_across(
    engines: Sequence[Named], container: str, **options: Any
) -> tuple[list[Answer[object]], Iterator[LogEvent]]:
    """Open `container`'s logs on every Engine that has it (in parallel), then read them all at once. Returns
    the failures (Engines that did not answer; "no such container" if no Engine has it) and the events in
    the order they arrive. Readers are daemon threads: on Ctrl-C the caller returns at once."""
    opened = on_each(engines, lambda engine: open_logs(engine, container, **options))
    failures: list[Answer[object]] = [
        Answer(a.name, error=a.error)
        for a in opened
        if a.error is not None and not isinstance(a.error, NoSuchObject)
    ]
    streams = [(a.name, a.value) for a in opened if a.value is not None]
    if not streams and not failures:
        missing = next(a for a in opened if a.error is not None)
        failures.append(Answer("", error=missing.error))
    events: queue.Queue[LogEvent] = queue.Queue(maxsize=64)

    def read(name: str, batches: Iterator[LogBatch]) -> None:
        try:
            for batch in batches:
                events.put((name, batch))
            events.put((name, None))
        except DkrError as exc:
            events.put((name, exc))

    for name, batches in streams:
        assert batches is not None
        threading.Thread(target=read, args=(name, batches), name=f"dkr-logs-{name}", daemon=True).start()

    def drain() -> Iterator[LogEvent]:
        running = len(streams)
        while running:
            event = events.get()
            if not isinstance(event[1], list):
                running -= 1
            yield event

    return failures, drain()
