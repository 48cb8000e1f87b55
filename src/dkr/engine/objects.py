"""Named objects acted on one after the other (`volume rm a b`, `network inspect a b`), as docker does: each
argument's result, or the typed error that says why not, in argument order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from dkr.engine.client import Engine
from dkr.errors import DkrError

T = TypeVar("T")


def in_turn(
    engine: Engine, names: Iterable[str], verb: str, call: Callable[[str], T]
) -> Iterator[tuple[str, T | DkrError]]:
    """`call(name)` for each name inside `engine.errors(f"{verb} {name}")`: (name, its result or its
    error)."""
    for name in names:
        try:
            with engine.errors(f"{verb} {name}"):
                yield name, call(name)
        except DkrError as exc:
            yield name, exc
