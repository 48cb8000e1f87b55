"""The console script and `python -m dkr`: install dkr's signal handling, import the CLI, run it.

A module of its own so that a Ctrl-C during the imports (typer, about 100 ms of a call) ends dkr as one at any
later instant does (quietly, 130), not with the interpreter's traceback.

Ctrl-C and SIGTERM become exceptions where the program is, so that every clean-up runs (dkr removes what it
created). One exception to "where it is": a signal that lands inside the import machinery (a module lock's
clean-up callback, say) would be swallowed there, printed as "Exception ignored", and lost; such a signal is
sent again a moment later, once the import is done.
"""

from __future__ import annotations

import os
import signal
import threading
from types import FrameType

#: how long a signal that landed inside the import machinery waits before it is sent again
RESEND_AFTER = 0.02


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that every clean-up a Ctrl-C runs runs for it too."""


def _in_import_machinery(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def raise_for(signum: int, frame: FrameType | None) -> None:
    """The handler of SIGINT (KeyboardInterrupt) and SIGTERM (Terminated)."""
    if _in_import_machinery(frame):
        threading.Timer(RESEND_AFTER, os.kill, (os.getpid(), signum)).start()
        return
    raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt


def run() -> None:
    signal.signal(signal.SIGINT, raise_for)
    signal.signal(signal.SIGTERM, raise_for)
    try:
        from dkr.cli import run as run_cli
    except KeyboardInterrupt as exc:  # nothing has been done yet: nothing to clean up
        os._exit(143 if isinstance(exc, Terminated) else 130)
    run_cli()
