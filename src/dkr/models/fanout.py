"""Several Engines at once (-c a,b): what each answered, and on which Engine each container argument is.

Pure: the Engine calls are made in dkr.engine.fanout; these are the answers and the decisions on them, so
they are unit-tested with made-up answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from dkr.errors import DkrError, NoSuchObject, OnSeveralEngines

V = TypeVar("V")
I = TypeVar("I")  # noqa: E741 - an item of a listing


@dataclass(frozen=True)
class Answer(Generic[V]):
    """One Engine's answer: its value, or why it gave none."""

    name: str
    value: V | None = None
    error: DkrError | None = None


def merged(answers: Sequence[Answer[list[I]]]) -> tuple[list[I], list[str]]:
    """The items of every Engine that answered, Engine by Engine in the order they were named (each Engine's
    own order kept: ps newest first), and beside each item the name of its Engine."""
    items: list[I] = []
    names: list[str] = []
    for answer in answers:
        if answer.error is None and answer.value is not None:
            items.extend(answer.value)
            names.extend([answer.name] * len(answer.value))
    return items, names


def placed(args: Sequence[str], looked: Mapping[str, Sequence[DkrError | None]]) -> list[str | DkrError]:
    """For each argument, the one Engine that has it, or why it is acted on nowhere. `looked` holds, for each
    Engine that answered (in the order named), what looking each argument up there gave: None where it was
    found, NoSuchObject where it is not there, another error where the look-up failed.

    Found on one Engine: that Engine's name. On several: OnSeveralEngines naming them (acting on one of them
    would be a guess). On none: the first failure that was not "no such container", else the first Engine's
    "no such container" (today's words)."""
    out: list[str | DkrError] = []
    for i, arg in enumerate(args):
        found = [name for name, outcomes in looked.items() if outcomes[i] is None]
        errors = [outcomes[i] for outcomes in looked.values() if outcomes[i] is not None]
        if len(found) == 1:
            out.append(found[0])
        elif found:
            out.append(OnSeveralEngines(arg, found))
        else:
            failures = [e for e in errors if e is not None and not isinstance(e, NoSuchObject)]
            nowhere = failures or [e for e in errors if e is not None]
            out.append(nowhere[0] if nowhere else DkrError(f"no Engine answered for '{arg}'"))
    return out
