"""What integration tests share: this run's session id and labels, unique names, and the dkr runner."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

#: One id per test run (inherited by subprocesses so that every piece agrees on it).
SESSION = os.environ.get("DKR_TEST_SESSION") or uuid.uuid4().hex[:10]
LABELS = {"dkr.test": "1", "dkr.test.session": SESSION}
LABEL_ARGS = [arg for k, v in LABELS.items() for arg in ("-l", f"{k}={v}")]
SESSION_FILTER = {"label": [f"dkr.test.session={SESSION}"]}
BUSYBOX = Path("/bin/busybox")
HERE = Path(__file__).parent
_names = itertools.count()

os.environ.setdefault("DKR_TEST_SESSION", SESSION)


def unique(prefix: str = "c") -> str:
    """A name no other test, run or user object has."""
    return f"dkrtest-{SESSION}-{prefix}-{next(_names)}"


def dkr(
    *args: str, timeout: float = 120, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """Run the installed entry point (`python -m dkr`) as a user would, in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "dkr", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        **kwargs,
    )


def free_port() -> int:
    """A TCP port free on the loopback interface right now (for tests that need a fixed host port)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port
