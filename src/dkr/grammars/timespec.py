"""Pure: the time values `docker logs --since/--until/--tail` take, read exactly as docker reads them.

`--since`/`--until` go through docker's `GetTimestamp` (moby api/types/time/timestamp.go) on the client: a Go
duration (`10m`, `1h30m`, `1.5h`) counts back from now; an RFC 3339 date or time (`2024-01-02`,
`2024-01-02T15:04`, `2024-01-02T15:04:05.123Z`, `...+02:00`) without a zone is local time; anything else
must be a Unix timestamp (`1700000000`, `1700000000.5`), passed through unchanged. The result is the string
the Engine's `since`/`until` parameter takes. Hand-written because Python has no parser for Go durations or
for Go's lenient layout rules (one-digit hours, `,` as decimal mark, nanoseconds), and the same input must
mean the same instant as with docker.
"""

from __future__ import annotations

import time

from dkr.errors import UsageError

_NS = 10**9
_INT64_MAX = (1 << 63) - 1
#: Go's time.ParseDuration units, in nanoseconds (`µs` is U+00B5, `μs` U+03BC: Go accepts both).
_UNITS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": _NS,
    "m": 60 * _NS,
    "h": 3600 * _NS,
}


class TimeSpecError(ValueError):
    """The value is not a duration, a timestamp or a date: the message says why."""


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def parse_go_duration(text: str) -> int:
    """Go's time.ParseDuration: `[-+]?([0-9]*(\\.[0-9]*)?[a-z]+)+` -> nanoseconds (rounding as Go does)."""
    s = text
    neg = False
    if s[:1] in ("-", "+"):
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if not s:
        raise TimeSpecError(f"invalid duration {text!r}")
    total = 0
    while s:
        if not (s[0] == "." or _is_digit(s[0])):
            raise TimeSpecError(f"invalid duration {text!r}")
        i = 0
        whole = 0
        while i < len(s) and _is_digit(s[i]):
            whole = whole * 10 + int(s[i])
            if whole > 1 << 63:
                raise TimeSpecError(f"invalid duration {text!r}")
            i += 1
        pre = i > 0
        s = s[i:]
        frac, scale, post = 0, 1.0, False
        if s[:1] == ".":
            s = s[1:]
            i = 0
            overflow = False
            while i < len(s) and _is_digit(s[i]):
                # like Go's leadingFraction: digits past int64 precision are read and dropped
                if not overflow:
                    nxt = frac * 10 + int(s[i])
                    if frac > _INT64_MAX // 10 or nxt > 1 << 63:
                        overflow = True
                    else:
                        frac, scale = nxt, scale * 10
                i += 1
            post = i > 0
            s = s[i:]
        if not pre and not post:
            raise TimeSpecError(f"invalid duration {text!r}")
        i = 0
        while i < len(s) and not (s[i] == "." or _is_digit(s[i])):
            i += 1
        unit_name, s = s[:i], s[i:]
        if not unit_name:
            raise TimeSpecError(f"missing unit in duration {text!r}")
        unit = _UNITS.get(unit_name)
        if unit is None:
            raise TimeSpecError(f"unknown unit {unit_name!r} in duration {text!r}")
        if whole > (1 << 63) // unit:
            raise TimeSpecError(f"invalid duration {text!r}")
        value = whole * unit
        if frac > 0:
            # Go computes the fraction in float64 and truncates: uint64(float64(f) * (float64(unit) / scale))
            value += int(float(frac) * (float(unit) / scale))
            if value > 1 << 63:
                raise TimeSpecError(f"invalid duration {text!r}")
        total += value
        if total > 1 << 63:
            raise TimeSpecError(f"invalid duration {text!r}")
    if neg:
        return -total
    if total > _INT64_MAX:
        raise TimeSpecError(f"invalid duration {text!r}")
    return total


def _go_parse_int(text: str) -> int:
    """Go's strconv.ParseInt(text, 10, 64)."""
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not digits or not all(_is_digit(c) for c in digits):
        raise TimeSpecError(f"invalid number {text!r}")
    value = int(text)
    if not -(1 << 63) <= value <= _INT64_MAX:
        raise TimeSpecError(f"number out of range {text!r}")
    return value


def _is_unix_timestamp(text: str) -> bool:
    """moby's parseTimestamp: `SECONDS[.NANOSECONDS]`, both Go integers."""
    seconds, dot, nanos = text.partition(".")
    try:
        _go_parse_int(seconds)
        if dot:
            _go_parse_int(nanos)
    except TimeSpecError:
        return False
    return True


def _days_in(month: int, year: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar (any year, unlike datetime)."""
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


class _Reader:
    """Reads a value the way Go's time.Parse walks its layout, one element at a time."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.rest = text

    def fail(self, why: str = "") -> TimeSpecError:
        return TimeSpecError(f"cannot parse {self.text!r} as a date or time" + (f": {why}" if why else ""))

    def literal(self, lit: str) -> None:
        if not self.rest.startswith(lit):
            raise self.fail()
        self.rest = self.rest[len(lit) :]

    def number(self, min_digits: int, max_digits: int) -> int:
        n = 0
        while n < max_digits and n < len(self.rest) and _is_digit(self.rest[n]):
            n += 1
        if n < min_digits:
            raise self.fail()
        value, self.rest = int(self.rest[:n]), self.rest[n:]
        return value

    def fraction(self) -> int:
        """An optional `.ddd` or `,ddd` after the seconds, in nanoseconds (digits past 9 ignored)."""
        if len(self.rest) < 2 or self.rest[0] not in ".," or not _is_digit(self.rest[1]):
            return 0
        n = 1
        while n < len(self.rest) and _is_digit(self.rest[n]):
            n += 1
        digits, self.rest = self.rest[1:n], self.rest[n:]
        return int(digits[:9].ljust(9, "0"))

    def zone(self) -> int:
        """Go's `Z07:00`: `Z`, or `±hh:mm`; the offset east of UTC in seconds."""
        if self.rest[:1] == "Z":
            self.rest = self.rest[1:]
            return 0
        r = self.rest
        if len(r) < 6 or r[3] != ":" or r[0] not in "+-" or not all(_is_digit(c) for c in r[1:3] + r[4:6]):
            raise self.fail()
        hours, minutes = int(r[1:3]), int(r[4:6])
        if hours > 24:
            raise self.fail("time zone offset hour out of range")
        if minutes > 60:
            raise self.fail("time zone offset minute out of range")
        self.rest = r[6:]
        offset = hours * 3600 + minutes * 60
        return -offset if r[0] == "-" else offset


def _parse_go_time(text: str, clock_parts: int, with_zone: bool, local_offset: int) -> tuple[int, int]:
    """Parse `2006-01-02[T15[:04[:05[.999999999]]]][Z07:00]` as Go's time.Parse reads that layout;
    clock_parts is how many of hour/minute/second the layout has. Returns (unix seconds, nanoseconds)."""
    r = _Reader(text)
    year = r.number(4, 4)
    r.literal("-")
    month = r.number(2, 2)
    r.literal("-")
    day = r.number(2, 2)
    hour = minute = second = nanos = 0
    if clock_parts:
        r.literal("T")
        hour = r.number(1, 2)  # Go's "15" takes one or two digits
        if clock_parts > 1:
            r.literal(":")
            minute = r.number(2, 2)
        if clock_parts > 2:
            r.literal(":")
            second = r.number(2, 2)
            nanos = r.fraction()
    offset = r.zone() if with_zone else local_offset
    if r.rest:
        raise r.fail(f"extra text {r.rest!r}")
    if not 1 <= month <= 12:
        raise r.fail("month out of range")
    if hour >= 24:
        raise r.fail("hour out of range")
    if minute >= 60:
        raise r.fail("minute out of range")
    if second >= 60:
        raise r.fail("second out of range")
    if not 1 <= day <= _days_in(month, year):
        raise r.fail("day out of range")
    seconds = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset
    return seconds, nanos


def get_timestamp(value: str, now_ns: int, local_offset: int) -> str:
    """docker's GetTimestamp(value, now): the Engine's `since`/`until` parameter for a user's value.

    now_ns is the reference time in Unix nanoseconds; local_offset the local zone's offset east of UTC
    (seconds) at that time, which docker uses as a fixed zone for values without one."""
    if value != "0":
        try:
            duration = parse_go_duration(value)
        except TimeSpecError:
            pass
        else:
            return str((now_ns - duration) // _NS)
    # moby: a Z, z or + anywhere, or three dashes (a negative offset), means the value carries its zone
    in_local = not (any(c in value for c in "zZ+") or value.count("-") == 3)
    if "." in value:
        clock_parts = 3
    elif "T" in value:
        colons = value.count(":")
        if not in_local and not any(c in value for c in "zZ") and colons > 0:
            colons -= 1  # the offset's own colon
        clock_parts = 1 + min(colons, 2)
    else:
        clock_parts = 0
    try:
        seconds, nanos = _parse_go_time(value, clock_parts, not in_local, local_offset)
    except TimeSpecError:
        if "-" in value:
            raise  # it looked like a date: say what is wrong with it
        if not _is_unix_timestamp(value):
            raise TimeSpecError(f"{value!r} is not a duration, a date or time, or a Unix timestamp") from None
        return value  # a Unix timestamp goes to the Engine as given
    return f"{seconds}.{nanos:09d}"


def time_param(value: str, option: str, command: str, now_ns: int | None = None) -> str:
    """A --since/--until value as the Engine's parameter; UsageError (exit 2) where docker rejects it."""
    if now_ns is None:
        now_ns = time.time_ns()
    local_offset = time.localtime(now_ns // _NS).tm_gmtoff
    try:
        return get_timestamp(value, now_ns, local_offset)
    except TimeSpecError as exc:
        raise UsageError(
            f"invalid {option} '{value}': {exc}",
            command,
            hint="Use a duration (10m, 1h30m), a date or time (2024-01-02, 2024-01-02T15:04:05Z) "
            "or a Unix timestamp.",
        ) from None


def tail_param(value: str, command: str) -> str:
    """--tail: a number of lines, or `all`."""
    text = value.strip()
    if text == "all" or (text.isascii() and text.isdigit()):
        return text if text == "all" else str(int(text))
    raise UsageError(f"invalid --tail '{value}' (expected a number of lines or 'all')", command)
