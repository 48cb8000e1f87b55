"""Pure: the arguments of `dkr pull` and `dkr push`, checked as docker/cli checks them before any Engine call
(cli/command/image/pull.go, push.go: ParseNormalizedNamed, then the --all-tags rules), and `--platform`."""

from __future__ import annotations

import re

from dkr.errors import UsageError
from dkr.grammars.reference import InvalidReference, Reference, is_image_id, parse_normalized
from dkr.options.common import shown

#: containerd's platform specifier: os[/arch[/variant]] (or an architecture alone), each part of this set
_PLATFORM_PART = re.compile(r"[A-Za-z0-9_-]+")


def _parse(value: str, command: str) -> Reference:
    if is_image_id(value):
        raise UsageError(
            f"invalid reference {shown(value)}: an image id names a local image; {command} needs a "
            "repository name",
            command,
        )
    try:
        return parse_normalized(value)
    except InvalidReference as exc:
        raise UsageError(f"invalid reference {shown(value)}: {exc.reason}", command) from None


def pull_reference(value: str, all_tags: bool) -> Reference:
    """`NAME[:TAG|@DIGEST]`; with --all-tags a name alone. (Without a tag or digest the command pulls
    `:latest`, and says so, as docker.)"""
    ref = _parse(value, "pull")
    if all_tags and (ref.tag or ref.digest):
        raise UsageError("tag can't be used with --all-tags/-a", "pull")
    return ref


def push_reference(value: str, all_tags: bool) -> Reference:
    """`NAME[:TAG]` (a digest names content, not something to push); with --all-tags a name alone."""
    ref = _parse(value, "push")
    if ref.digest:
        raise UsageError(f"invalid reference {shown(value)}: cannot push a digest reference", "push")
    if all_tags and ref.tag:
        raise UsageError("tag can't be used with --all-tags/-a", "push")
    return ref


def parse_platform(value: str | None, command: str) -> str | None:
    """`--platform os[/arch[/variant]]`, lowered as containerd normalises it; None when not given."""
    if value is None:
        return None
    parts = value.split("/")
    if not value or len(parts) > 3 or not all(_PLATFORM_PART.fullmatch(p) for p in parts):
        raise UsageError(
            f"invalid --platform {shown(value)}: expected os[/arch[/variant]], e.g. linux/amd64", command
        )
    return value.lower()
