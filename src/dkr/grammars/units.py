"""Pure: docker's human units (go-units HumanDuration and HumanSizeWithPrecision), for every command that
shows a size or an age, and RAMInBytes for run's -m. Standard library only, and nothing else imported, so
the build's progress can use it without loading the container field formatters.
"""

from __future__ import annotations

import re


def human_duration(seconds: float) -> str:
    """go-units HumanDuration."""
    s = int(seconds)
    if s < 1:
        return "Less than a second"
    if s == 1:
        return "1 second"
    if s < 60:
        return f"{s} seconds"
    minutes = int(seconds / 60)
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    # Go's math.Round rounds half away from zero
    hours = int(seconds / 3600 + 0.5)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{int(seconds / 3600) // 24 // 365} years"


def _custom_size(size: float, base: float, units: tuple[str, ...], precision: int) -> str:
    """go-units CustomSize: divide by base while it fits, then %.{precision}g and the unit."""
    i = 0
    while size >= base and i < len(units) - 1:
        size /= base
        i += 1
    return f"{size:.{precision}g}{units[i]}"


def human_size(size: float, precision: int = 3) -> str:
    """go-units HumanSizeWithPrecision (decimal units)."""
    return _custom_size(size, 1000, ("B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"), precision)


def bytes_size(size: float) -> str:
    """go-units BytesSize: binary units, four significant digits ("320KiB", "23.54GiB")."""
    return _custom_size(size, 1024, ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"), 4)


#: go-units' sizeRegex: a number (digits, then groups of `.digits`), an optional space, an optional unit
#: letter, an optional `i`, an optional `b` (any case)
_SIZE = re.compile(r"(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?", re.ASCII)


class InvalidSize(ValueError):
    pass


def ram_in_bytes(text: str) -> int:
    """go-units RAMInBytes (binary units: `512m`, `1.5GiB`, `64 kb`, `100`): what docker's -m takes."""
    match = _SIZE.fullmatch(text)
    if match is None:
        raise InvalidSize(f"invalid size: '{text}'")
    number, unit = match.groups()
    if number.count(".") > 1:  # the regexp takes `1.2.3`; Go's ParseFloat then refuses it
        raise InvalidSize(f'strconv.ParseFloat: parsing "{number}": invalid syntax')
    scale = 1024 ** "kmgtp".index(unit.lower()) * 1024 if unit else 1
    return int(float(number) * scale)
