"""Pure: `-f KEY=VALUE` filters as docker's list commands take them, checked before any Engine call."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dkr.errors import UsageError

PS_FILTERS = frozenset(
    {
        "ancestor", "before", "expose", "exited", "health", "id", "isolation", "is-task", "label", "name",
        "network", "publish", "since", "status", "volume",
    }
)  # fmt: skip
PS_STATUSES = ("created", "restarting", "running", "removing", "paused", "exited", "dead")
PS_HEALTH = ("starting", "healthy", "unhealthy", "none")


def parse_filters(
    items: Iterable[str],
    allowed: frozenset[str],
    command: str,
    values: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, list[str]]:
    """`["status=exited", "label=a=b"]` -> `{"status": ["exited"], "label": ["a=b"]}` (docker's form)."""
    out: dict[str, list[str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip().lower()
        if not sep or not key:
            raise UsageError(f"bad format of filter '{item}' (expected name=value)", command)
        if key not in allowed:
            raise UsageError(f"invalid filter '{key}' (valid: {', '.join(sorted(allowed))})", command)
        choices = tuple((values or {}).get(key, ()))
        if choices and value not in choices:
            raise UsageError(f"invalid filter '{key}={value}' (valid values: {', '.join(choices)})", command)
        if key == "exited" and not value.lstrip("-").isdigit():
            raise UsageError(f"invalid filter 'exited={value}' (expected an exit code)", command)
        out.setdefault(key, []).append(value)
    return out


#: `image prune --filter` and `container prune --filter` (docker's prune filters)
PRUNE_FILTERS = frozenset({"until", "label", "label!"})
