"""Pure: which Engines a call names. `-c/--context` may be repeated and takes comma lists (`-c a,b -c c`);
`--all-contexts` names every context in the docker CLI's store plus `default`. Checked before any Engine call.

docker's context names match `^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$`, so a comma never belongs to a name: it only
separates them. A name given twice counts once (the first place it was given is its place).
"""

from __future__ import annotations

from collections.abc import Sequence

from dkr.errors import UsageError

#: The context that stands for DOCKER_HOST or the local socket; it is always in the store.
DEFAULT_CONTEXT = "default"


def context_list(values: Sequence[str]) -> list[str]:
    """The names repeated `-c` options give, in order, each once; an empty name is a usage error."""
    names: list[str] = []
    for value in values:
        for name in value.split(","):
            if not name.strip():
                raise UsageError(f"invalid --context '{value}': empty context name")
            if name not in names:
                names.append(name)
    return names


def selected(
    host: str | None, contexts: Sequence[str], all_contexts: bool, store: Sequence[str]
) -> list[str] | None:
    """The context names a call works on, or None when it names none (docker's precedence then picks one:
    DOCKER_HOST, DOCKER_CONTEXT, the current context). `store` is the names `--all-contexts` expands to."""
    if host and (contexts or all_contexts):
        other = "--context" if contexts else "--all-contexts"
        raise UsageError(f"conflicting options: cannot specify both --host and {other}")
    if contexts and all_contexts:
        raise UsageError("conflicting options: cannot specify both --context and --all-contexts")
    if all_contexts:
        return [DEFAULT_CONTEXT, *sorted(n for n in set(store) if n != DEFAULT_CONTEXT)]
    return context_list(contexts) or None


def given_as(names: Sequence[str], all_contexts: bool) -> str:
    """How the call named its Engines, for a message: `-c a,b` or `--all-contexts`."""
    return "--all-contexts" if all_contexts else "-c " + ",".join(names)


def one_engine_only(command: str, names: Sequence[str], all_contexts: bool) -> UsageError:
    """The refusal of a command that works on one Engine when several were named."""
    return UsageError(
        f"dkr {command} works on one Engine; {len(names)} were given ({given_as(names, all_contexts)})",
        hint="Name one with -c NAME. ps, images, logs, stop, rm and version take several.",
    )
