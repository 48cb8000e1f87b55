"""Pure: option values several commands share, checked before any Engine call: container references, image
references, and how an error shows the value it refuses."""

from __future__ import annotations

import re
from collections.abc import Sequence

from dkr.errors import UsageError, printable

#: docker's container name grammar (validContainerNamePattern: `/?[a-zA-Z0-9][a-zA-Z0-9_.-]+`), from one
#: character on so that every id and id prefix fits too. Nothing outside it names a container, and a "/"
#: inside would reach other Engine routes: `rm ../images/x` is DELETE /images/x once the router cleans it.
_CONTAINER_REF = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*")
#: go-digest's Parse for the algorithms docker registers: what ParseAnyReference takes as a full digest
_FULL_DIGEST = re.compile(r"sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}")


#: how much of a refused value an error message quotes
SHOWN_MAX = 40


def shown(value: str, limit: int = SHOWN_MAX) -> str:
    """A value as an error quotes it, on one line: characters that are not printable escaped (a newline in an
    argument must not break the one-line error), and a long value cut to its first `limit` characters with
    its length, so a 100,000-character argument is not echoed whole."""
    cut = value if len(value) <= limit else value[:limit]
    text = printable(cut)
    if cut is value:
        return f"'{text}'"
    return f"'{text}…' ({len(value):,} characters)"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th ... 21st: which of a repeated option an error is about."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def check_container_refs(args: Sequence[str], command: str) -> None:
    """Container names, ids or id prefixes, as given (a leading "/" is the name's canonical form)."""
    for arg in args:
        ref = arg.strip("/")
        if not ref:
            raise UsageError(f"invalid container name {shown(arg)} (empty)", command)
        if not _CONTAINER_REF.fullmatch(ref):
            why = "names and ids use only letters, digits, '_', '.' and '-'"
            raise UsageError(f"invalid container name {shown(arg)} ({why})", command)


def check_image(image: str, command: str) -> str:
    """An IMAGE argument as docker/cli reads it before any Engine call (`docker run`/`create`:
    reference.ParseAnyReference): a full image id (64 hex, or `sha256:` and 64 hex), a full digest, or a
    reference that ParseNormalizedNamed takes, with a tag, a digest or both. A short id is one of those
    (`5d752f4cf217` reads as a repository name; the Engine resolves it). Anything else is docker's "invalid
    reference format" (or its more precise words): never a path such as `/` or `.`, which would reach other
    Engine routes (GET /images//json is the image listing)."""
    # imported here: stop, rm and logs import this module too, and their usage errors stay fast
    from dkr.grammars.reference import InvalidReference, is_image_id, parse_normalized

    if is_image_id(image) or _FULL_DIGEST.fullmatch(image):
        return image
    try:
        parse_normalized(image)
    except InvalidReference as exc:
        raise UsageError(f"invalid image {shown(image)}: {exc.reason}", command) from None
    return image
