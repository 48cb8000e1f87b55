"""Pure: numeric option values, checked before any Engine call (UsageError, exit 2).

**Integers** (`stop -t`, `ps -n`) are pflag ints in docker: Go's `strconv.ParseInt(value, 0, 64)` (spf13/pflag
int.go), so ASCII only, an optional sign, and the int64 range. dkr reads the plain decimal part of that
grammar, `[+-]?(0|[1-9][0-9]*)`, and reads it as docker does. What typer's int took and docker refuses is
refused: other scripts' digits (Arabic-Indic, full-width: Python's int() reads them), surrounding blanks,
and values out of range (Python has no int64: `-n 99999999999999999999` reached the Engine, and `-t` of that
size an OverflowError).
Base 0 also reads `0x10`, `0o17`, `0b11`, `1_000` and, with a leading zero, octal (`-t 010` is 8 seconds to
docker, 10 to Python's int()); dkr refuses those forms and says what docker would read, so a number never
means one thing to dkr and another to docker.

**Seconds** (`--wait-timeout`) are dkr's own flag (docker run has none, so there is no docker grammar to
follow): a plain positive decimal, `[0-9]+(\\.[0-9]*)?` or `\\.[0-9]+`. No sign, no exponent, no `inf` or
`nan` (which Python's float() and Go's ParseFloat both read, and which made --wait wait forever): nobody
writes a wait in scientific notation, and a finite maximum keeps every deadline dkr computes in range.
"""

from __future__ import annotations

import math
import re

from dkr.errors import UsageError
from dkr.options.common import shown

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
#: Go's longest time.Duration in whole seconds (292 years). The Engine turns a stop timeout into
#: `time.Duration(seconds) * time.Second`, which wraps around beyond this: 9,223,372,037 s is a negative
#: Duration, and a stop that kills at once.
GO_DURATION_MAX_SECONDS = INT64_MAX // 10**9

_DECIMAL = re.compile(r"[+-]?(?:0|[1-9][0-9]*)", re.ASCII)
#: the rest of Go's base-0 integer syntax (strconv.ParseInt with base 0, underscoreOK): prefixed hex, octal
#: and binary, a leading zero meaning octal, `_` between digits and after a prefix
_GO_BASE_0 = re.compile(
    r"[+-]?(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?[0-7])*|[1-9](?:_?[0-9])*)",
    re.ASCII,
)
_SECONDS = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+", re.ASCII)
#: the most decimal digits an int64 has, without leading zeros: a longer number is out of range, said without
#: converting it (Python's int() refuses decimal strings of over 4,300 digits)
_INT64_DIGITS = 19


def _flag_names(flag: str) -> str:
    """`-t/--time` as click names an option in its own errors: `'-t' / '--time'`."""
    return " / ".join(f"'{name}'" for name in flag.split("/"))


def go_parse_int(value: str) -> int | None:
    """What docker's pflag int reads `value` as (strconv.ParseInt(value, 0, 64)), or None where docker refuses
    it (not Go's syntax, or outside int64)."""
    if not _GO_BASE_0.fullmatch(value):
        return None
    sign = -1 if value.startswith("-") else 1
    body = value.lstrip("+-").replace("_", "")
    prefix = body[:2].lower()
    if prefix in ("0x", "0o", "0b"):
        number = int(body[2:], {"0x": 16, "0o": 8, "0b": 2}[prefix])
    elif body.startswith("0"):
        number = int(body, 8)
    elif len(body) > _INT64_DIGITS:
        return None
    else:
        number = int(body)
    number *= sign
    return number if INT64_MIN <= number <= INT64_MAX else None


def parse_int(value: str, flag: str, command: str, *, minimum: int, maximum: int) -> int:
    """An integer option as docker reads it (see the module's docstring), within [minimum, maximum].
    `flag` is the option's names, `-t/--time`."""

    def refuse(why: str) -> UsageError:
        return UsageError(f"invalid value for {_flag_names(flag)}: {shown(value)} {why}", command)

    if not _DECIMAL.fullmatch(value):
        docker_reads = go_parse_int(value)
        if docker_reads is not None:
            raise refuse(f"is not a decimal integer (docker would read {docker_reads})")
        raise refuse("is not an integer")
    if len(value.lstrip("+-")) > _INT64_DIGITS:  # beyond any int64: no need to convert a huge string
        raise refuse(
            f"is out of range (at least {minimum})"
            if value.startswith("-")
            else f"is out of range (at most {maximum})"
        )
    number = int(value)
    if number < minimum:
        raise refuse(f"is out of range (at least {minimum})")
    if number > maximum:
        raise refuse(f"is out of range (at most {maximum})")
    return number


def parse_seconds(value: str, flag: str, command: str, *, maximum: float) -> float:
    """A positive, finite number of seconds written as a plain decimal (`30`, `2.5`, `.5`), at most
    `maximum`. `flag` is the option's names, `--wait-timeout`."""

    def refuse(why: str) -> UsageError:
        return UsageError(f"invalid value for {_flag_names(flag)}: {shown(value)} {why}", command)

    if value.startswith("-") and _SECONDS.fullmatch(value[1:]):
        raise refuse("is not above 0")
    if not _SECONDS.fullmatch(value):
        raise refuse("is not a number of seconds (a decimal number such as 30 or 2.5)")
    seconds = float(value)  # a few hundred digits and more read as inf: above any maximum
    if seconds > maximum or not math.isfinite(seconds):
        limit = f"{maximum:.0f}" if float(maximum).is_integer() else f"{maximum}"
        raise refuse(f"is out of range (at most {limit} seconds)")
    if seconds <= 0:  # also a value so small it rounds to 0
        raise refuse("is not above 0")
    return seconds
