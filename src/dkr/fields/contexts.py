"""Pure: docker's `context ls` fields (docker/cli formatter/context.go) for tables, JSON and templates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dkr.contexts import DEFAULT_DESCRIPTION, Context
from dkr.fields.containers import ellipsis
from dkr.fields.volumes import natural_key
from dkr.grammars.contexts import DEFAULT_CONTEXT

#: `docker context ls --format json`'s keys (docker CLI 28)
COLUMNS = ("Current", "Description", "DockerEndpoint", "Error", "Name")
HEADERS = {"Current": "CURRENT", "Description": "DESCRIPTION", "DockerEndpoint": "DOCKER ENDPOINT",
           "Error": "ERROR", "Name": "NAME"}  # fmt: skip
#: docker cuts the error of a context it cannot load to this many cells
MAX_ERROR = 45


def row(context: Context | None, name: str, current: bool, error: str = "") -> dict[str, Any]:
    """One context's values (`Current` a bool, as docker's JSON has it). `context` None: a current context
    that is not in the store, shown with why (`error`)."""
    description, endpoint = "", ""
    if context is not None:
        ep, why = context.docker_endpoint()
        description = DEFAULT_DESCRIPTION if name == DEFAULT_CONTEXT else context.description
        endpoint = str(ep.get("Host", "")) if ep else ""
        error = error or why
    return {"Current": current, "Description": description, "DockerEndpoint": endpoint,
            "Error": ellipsis(error, MAX_ERROR), "Name": name}  # fmt: skip


def rows(
    default: Context, stored: Sequence[Context], current: str, missing_error: str
) -> list[dict[str, Any]]:
    """docker's listing: the implicit context and the stored ones, sorted by name as docker sorts them; a
    current context that is not there gets a row of its own with `missing_error`."""
    out = [row(c, c.name, c.name == current) for c in (default, *stored)]
    if not any(r["Current"] for r in out):
        out.append(row(None, current, True, missing_error))
    return sorted(out, key=lambda r: natural_key(r["Name"]))
