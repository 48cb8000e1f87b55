"""Several Engines on screen: one line per Engine that failed, the ENGINE column of listings, and log lines
prefixed with their Engine as docker-compose prefixes its services'."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dkr import render
from dkr.errors import DkrError
from dkr.render.tables import Fit

#: The ENGINE column: first, never cut nor dropped (without it two Engines' rows cannot be told apart).
ENGINE = "Engine"
ENGINE_HEADER = "ENGINE"
ENGINE_FIT = Fit(10)


def failure_line(name: str, url: str, exc: DkrError) -> str:
    """The one line for an Engine that failed: its context name, its endpoint (unless the words name it
    already) and dkr's usual words for the failure."""
    from dkr.render.errors import message

    words = message(exc)
    if not name:  # nothing to name: a failure of the whole call ("no such container" on every Engine)
        return words
    return f"Engine '{name}': {words}" if url in words else f"Engine '{name}' at {url}: {words}"


def failures(answers: Iterable[Any], urls: Mapping[str, str]) -> int:
    """Print one error line per answer that carries an error (hints left out: one line per Engine); return
    how many there were."""
    n = 0
    for answer in answers:
        if answer.error is not None:
            n += 1
            render.error(failure_line(answer.name, urls.get(answer.name, ""), answer.error))
    return n


Fields = Mapping[str, Any]


def with_engine(
    rows: Sequence[tuple[Fields, Mapping[str, str]]],
    engines: Sequence[str],
    headers: Mapping[str, str],
    columns: Sequence[str],
    fits: Mapping[str, Fit],
) -> tuple[list[tuple[Fields, Mapping[str, str]]], dict[str, str], list[str], dict[str, Fit]]:
    """A listing's rows, headers, columns and fits with the ENGINE column first; each row's fields gain the
    `Engine` key first (JSON lines, `{{.Engine}}` in templates)."""
    if len(rows) != len(engines):
        raise ValueError(f"{len(rows)} rows but {len(engines)} Engine names")
    pairs = zip(rows, engines, strict=True)
    tagged: list[tuple[Fields, Mapping[str, str]]] = [
        ({ENGINE: name, **fields}, labels) for (fields, labels), name in pairs
    ]
    return (
        tagged,
        {**headers, ENGINE: ENGINE_HEADER},
        [ENGINE, *columns],
        {**fits, ENGINE: ENGINE_FIT},
    )


class Prefixer:
    """Whole lines of several streams, each prefixed `name | ` with the names padded to one width
    (docker-compose's log view). A stream's bytes are held until their line ends; `end(key)` hands out what
    is left of a stream as a last line."""

    def __init__(self, names: Iterable[str]) -> None:
        width = max((len(n) for n in names), default=0)
        self._width = width
        self._pending: dict[tuple[str, int], bytes] = {}

    def _prefix(self, name: str) -> bytes:
        return f"{name.ljust(self._width)} | ".encode(errors="surrogateescape")

    def feed(self, name: str, stream: int, data: bytes) -> bytes:
        """The complete lines `data` finishes for (name, stream), each prefixed; the rest is held."""
        key = (name, stream)
        buf = self._pending.pop(key, b"") + data
        head, sep, tail = buf.rpartition(b"\n")
        if tail:
            self._pending[key] = tail
        if not sep:
            return b""
        prefix = self._prefix(name)
        return b"".join(prefix + line + b"\n" for line in head.split(b"\n"))

    def end(self, name: str) -> list[tuple[int, bytes]]:
        """What is left of `name`'s streams (a last line without its newline), prefixed and ended."""
        out = []
        for stream in (1, 2):
            rest = self._pending.pop((name, stream), b"")
            if rest:
                out.append((stream, self._prefix(name) + rest + b"\n"))
        return out
