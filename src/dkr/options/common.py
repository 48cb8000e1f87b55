"""Pure: option values several commands share, checked before any Engine call: container references."""

from __future__ import annotations

import re
from collections.abc import Sequence

from dkr.errors import UsageError

#: docker's container name grammar (validContainerNamePattern: `/?[a-zA-Z0-9][a-zA-Z0-9_.-]+`), from one
#: character on so that every id and id prefix fits too. Nothing outside it names a container, and a "/"
#: inside would reach other Engine routes: `rm ../images/x` is DELETE /images/x once the router cleans it.
_CONTAINER_REF = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*")


def check_container_refs(args: Sequence[str], command: str) -> None:
    """Container names, ids or id prefixes, as given (a leading "/" is the name's canonical form)."""
    for arg in args:
        ref = arg.strip("/")
        if not ref:
            raise UsageError(f"invalid container name '{arg}' (empty)", command)
        if not _CONTAINER_REF.fullmatch(ref):
            raise UsageError(
                f"invalid container name '{arg}' (names and ids use only letters, digits, '_', '.' and '-')",
                command,
            )
