"""Pure: `dkr build` option values checked before any Engine call: image references for `-t` (docker's
reference grammar) and `KEY=VALUE` lists for `--build-arg` and `--label`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from dkr.errors import UsageError

# distribution/reference's grammar, as the docker CLI checks `-t` (reference.ParseNormalizedNamed)
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_TAG = r"[\w][\w.-]{0,127}"
_REFERENCE = re.compile(
    rf"^(?P<name>(?:(?P<domain>{_DOMAIN})/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*)(?::(?P<tag>{_TAG}))?$"
)
_HEX64 = re.compile(r"^[a-f0-9]{64}$")
NAME_MAX = 255


def parse_tag(value: str, command: str = "build") -> str:
    """An image name for `-t`: `name`, `name:tag`, `registry:5000/team/name:tag`. No digest."""
    ref = value.strip()
    if "@" in ref:
        raise UsageError(f"invalid tag '{value}': a build tag cannot contain a digest", command)
    if _HEX64.match(ref):
        raise UsageError(f"invalid tag '{value}': 64 hexadecimal characters look like an image id", command)
    match = _REFERENCE.match(ref)
    if not match:
        if _REFERENCE.match(ref.lower()):
            raise UsageError(f"invalid tag '{value}': repository names must be lowercase", command)
        raise UsageError(f"invalid tag '{value}': invalid reference format", command)
    if len(match.group("name")) > NAME_MAX:
        raise UsageError(f"invalid tag '{value}': repository name longer than {NAME_MAX} characters", command)
    return ref


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
    Unlike docker, a bare KEY that is not set there is an error rather than silently nothing."""
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item and item.strip() and item in environ:
            out[item] = environ[item]
            continue
        if "=" not in item:
            raise UsageError(
                f"invalid --build-arg '{item}' (expected KEY=VALUE, or a KEY set in the environment)", command
            )
        out.update(parse_key_values([item], "--build-arg", command))
    return out
