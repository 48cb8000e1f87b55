"""Names for a shell's TAB: running or all containers, image names. One list request through the SDK, as
every Engine call (`Engine.quick_api`: the minimum API version instead of a negotiation round trip, a
deadline of about a second), and nothing on any failure: a TAB never hangs on a dead Engine and never prints
an error. ssh:// Engines offer nothing (starting ssh does not fit the deadline).

The SDK's import costs a TAB ~0.1 s; a second HTTP client beside the SDK, only for completion, would save
that at the price of a second way to reach the Engine (its own TLS, unix sockets, timeouts) to keep right.
"""

from __future__ import annotations

from typing import Any

from dkr.engine.client import Engine
from dkr.engine.errors import ENGINE_EXCEPTIONS
from dkr.errors import DkrError
from dkr.hosts import Endpoint

#: The request's deadline (connect and read), in seconds.
DEADLINE = 1.0
#: everything a TAB swallows
_FAILURES: tuple[type[BaseException], ...] = (*ENGINE_EXCEPTIONS, DkrError, OSError, ValueError)


def names(endpoint: Endpoint, kind: str, deadline: float = DEADLINE) -> list[str]:
    """The names of `kind` ("running", "containers", "images", "networks", "volumes") the Engine has; [] on
    any failure."""
    if kind not in ("running", "containers", "images", "networks", "volumes"):
        return []
    try:
        api = Engine(endpoint).quick_api(deadline)
        try:
            if kind == "networks":
                return [str(n["Name"]) for n in api.networks() if isinstance(n, dict) and n.get("Name")]
            if kind == "volumes":
                found = (api.volumes() or {}).get("Volumes") or []
                return [str(v["Name"]) for v in found if isinstance(v, dict) and v.get("Name")]
            items: Any = api.images() if kind == "images" else api.containers(all=kind == "containers")
        finally:
            api.close()
    except _FAILURES:
        return []
    if not isinstance(items, list):
        return []
    if kind == "images":
        return [
            tag
            for item in items
            if isinstance(item, dict)
            for tag in item.get("RepoTags") or ()
            if isinstance(tag, str) and tag != "<none>:<none>"
        ]
    return [
        name.lstrip("/")
        for item in items
        if isinstance(item, dict)
        for name in item.get("Names") or ()
        if isinstance(name, str) and name.count("/") == 1  # legacy links ("/a/b") are not names
    ]
