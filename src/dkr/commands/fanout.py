"""What the commands that take several Engines (ps, images, logs, stop, rm, version) share: one Engine as
always, or the same call on every Engine named with each failure one line (dkr.engine.fanout)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from dkr.cli import AppState
    from dkr.engine.client import Engine
    from dkr.engine.fanout import Named
    from dkr.errors import DkrError
    from dkr.models.fanout import Answer

I = TypeVar("I")  # noqa: E741 - an item of a listing
V = TypeVar("V")


def engine_fields(st: AppState, keys: Sequence[str]) -> tuple[str, ...]:
    """The fields a --format template may read: with several Engines, `Engine` too."""
    return (*keys, "Engine") if st.several else tuple(keys)


def reported(answers: Sequence[Answer[V]], engines: Sequence[Named]) -> int:
    """One error line per Engine that failed (its context name and endpoint); how many failed."""
    from dkr.render.fanout import failures

    return failures(answers, {n.name: n.engine.endpoint.url for n in engines})


def on_each(st: AppState, op: Callable[[Engine], V]) -> tuple[list[Answer[V]], int]:
    """op on every Engine named, in parallel: the answers (in the order named), each failure reported."""
    from dkr.engine.fanout import on_each as each

    engines = st.engines
    answers = each(engines, op)
    return answers, reported(answers, engines)


def listed(st: AppState, op: Callable[[Engine], list[I]]) -> tuple[list[I], list[str] | None, int]:
    """A listing from one Engine (its failure raised, as always), or from every Engine named: the items,
    beside each its Engine's name (None for one Engine: no ENGINE column), and how many Engines failed."""
    if not st.several:
        return op(st.engine), None, 0
    from dkr.models.fanout import merged

    answers, failed = on_each(st, op)
    items, names = merged(answers)
    return items, names, failed


def located(st: AppState, args: Sequence[str]) -> tuple[list[Engine | DkrError], int]:
    """Where each container argument is among the Engines named (looked up on all at once): its Engine, or
    why it is acted on nowhere (on two Engines, on none); the Engines that do not answer are reported, one
    line each, and counted."""
    from dkr.engine.fanout import connected, locate

    engines = st.engines
    up, down = connected(engines)
    return locate(up, args), reported(down, engines)
