"""Pure: inspect's references, which may name a container or an image."""

from __future__ import annotations

from collections.abc import Sequence

from dkr.errors import UsageError
from dkr.options.common import check_container_refs, check_image


def check_refs(names: Sequence[str], kind: str | None, command: str) -> list[tuple[str, bool]]:
    """Each name with whether it may name a container; one that is neither a container reference nor an
    image reference (of the --type asked for) is a usage error."""
    refs = []
    for name in names:
        as_container = True
        try:
            check_container_refs([name], command)
        except UsageError:
            if kind == "container":
                raise
            as_container = False
        if kind == "image" or not as_container:
            check_image(name, command)
        refs.append((name, as_container))
    return refs
