"""Pure: `dkr build` option values checked before any Engine call: image references for `-t` (docker's
reference grammar, dkr.grammars.reference) and `KEY=VALUE` lists for `--build-arg` and `--label`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dkr.errors import UsageError
from dkr.models.build import PROGRESS, Progress
from dkr.options.common import ordinal, shown


def parse_tag(value: str, command: str = "build") -> str:
    """An image name for `-t`: `name`, `name:tag`, `registry:5000/team/name:tag` (ParseNormalizedNamed in
    dkr.grammars.reference). No digest: the Engine would refuse to tag with one."""
    from dkr.grammars.reference import (
        NAME_CONTAINS_UPPERCASE,
        NAME_TOO_LONG,
        REFERENCE_INVALID_FORMAT,
        InvalidReference,
        is_image_id,
        parse_normalized,
    )

    ref = value.strip()
    if "@" in ref:
        raise UsageError(f"invalid tag '{value}': a build tag cannot contain a digest", command)
    if is_image_id(ref):
        raise UsageError(f"invalid tag '{value}': 64 hexadecimal characters look like an image id", command)
    try:
        parse_normalized(ref)
    except InvalidReference as exc:
        if exc.reason.endswith("must be lowercase") or exc.reason == NAME_CONTAINS_UPPERCASE:
            why = "repository names must be lowercase"
        elif exc.reason == NAME_TOO_LONG:
            why = "repository name longer than 255 characters"
        else:
            why = REFERENCE_INVALID_FORMAT
        raise UsageError(f"invalid tag '{value}': {why}", command) from None
    return ref


def parse_progress(value: str, command: str = "build") -> Progress:
    for mode in PROGRESS:
        if value == mode:
            return mode
    raise UsageError(f"invalid --progress '{value}' (expected auto, plain or tty)", command)


def parse_key_values(items: Iterable[str], flag: str, command: str = "build") -> dict[str, str]:
    """`["A=1", "B=x=y", "C="]` -> `{"A": "1", "B": "x=y", "C": ""}`; a later KEY wins, as in docker."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise UsageError(
                f"invalid {flag} '{item}' (expected KEY=VALUE; use '{item}=' for an empty value)", command
            )
        if not key.strip():
            raise UsageError(f"invalid {flag} '{item}' (empty key)", command)
        out[key] = value
    return out


def parse_build_args(
    items: Iterable[str], environ: Mapping[str, str], command: str = "build"
) -> dict[str, str]:
    """`--build-arg KEY=VALUE`; as in docker, a bare `--build-arg KEY` takes KEY's value from the environment.
    Unlike docker, a bare KEY that is not set there is an error rather than silently nothing. An error names
    the build arg, or its position when it has no name, never its value (a token, often)."""
    out: dict[str, str] = {}
    for position, item in enumerate(items, start=1):
        key, sep, value = item.partition("=")
        if not sep and item.strip() and item in environ:
            out[item] = environ[item]
            continue
        if not sep:
            raise UsageError(
                f"invalid --build-arg {shown(item)} (expected KEY=VALUE, or a KEY set in the environment)",
                command,
            )
        if not key.strip():
            raise UsageError(f"invalid --build-arg (the {ordinal(position)}): no name before '='", command)
        out[key] = value
    return out
