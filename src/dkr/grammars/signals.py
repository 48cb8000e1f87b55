"""Pure: signal names and numbers as docker's -s/--signal accepts them."""

from __future__ import annotations

import signal as _signal

from dkr.errors import UsageError

_NAMES = {s.name.removeprefix("SIG"): int(s) for s in _signal.Signals if not s.name.startswith("SIG_")}


def parse_signal(value: str, command: str) -> str:
    """`TERM`, `SIGTERM`, `sigterm`, `15` -> the form the Engine takes (`SIGTERM` or `15`)."""
    text = value.strip()
    if text.isdigit():
        if not 0 < int(text) < 65:
            raise UsageError(f"invalid signal '{value}' (numbers go from 1 to 64)", command)
        return text
    name = text.upper().removeprefix("SIG")
    if name.startswith("RTMIN") or name.startswith("RTMAX") or name in _NAMES:
        return "SIG" + name
    raise UsageError(f"invalid signal '{value}' (e.g. SIGTERM, SIGINT, SIGKILL or a number)", command)
