"""Pure: docker's human units (go-units HumanDuration and HumanSizeWithPrecision), for every command that
shows a size or an age, and RAMInBytes for run's -m. Standard library only, and nothing else imported, so
the build's progress can use it without loading the container field formatters.
"""

from __future__ import annotations


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


#: go-units binaryMap: RAMInBytes' suffixes (1k is 1024)
_BINARY = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}
_INT64_MAX = (1 << 63) - 1


def _go_decimal(text: str) -> float:
    """strconv.ParseFloat(text, 64) for the decimal forms go-units hands it (digits, '.', an exponent and a
    sign; Python's float() would also take blanks, '_' and words such as 'nan')."""
    body = text[1:] if text[:1] in "+-" else text
    mantissa, _, exponent = body.lower().partition("e")
    whole, _, fraction = mantissa.partition(".")
    if not (whole + fraction).isascii() or not (whole + fraction).isdigit():
        raise ValueError(f"invalid syntax: {text!r}")
    digits = exponent[1:] if exponent[:1] in "+-" else exponent
    if "e" in body.lower() and not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"invalid syntax: {text!r}")
    return float(text)


def ram_in_bytes(text: str) -> int:
    """go-units RAMInBytes (v0.5.0's parseSize with binary units): `512`, `1.5k`, `1m`, `1MB`, `1 GiB`.
    Raises ValueError. A size past int64 (which Go would wrap) is refused rather than sent."""
    cut = max(text.rfind(ch) for ch in "0123456789. ")
    if cut == -1:
        raise ValueError(f"invalid size: '{text}'")
    number, suffix = (text[: cut + 1], text[cut + 1 :]) if text[cut] != " " else (text[:cut], text[cut + 1 :])
    size = _go_decimal(number)
    if size < 0:
        raise ValueError(f"invalid size: '{text}'")
    lower = suffix.lower()
    if lower in ("", "b"):
        pass
    elif len(lower) <= 3 and lower[:1] in _BINARY and lower[1:] in ("", "b", "ib"):
        size *= _BINARY[lower[0]]
    else:
        raise ValueError(f"invalid suffix: '{lower}'")
    if size >= _INT64_MAX + 1:
        raise ValueError(f"invalid size: '{text}' (larger than 8 EiB)")
    return int(size)
