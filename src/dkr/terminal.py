"""The local terminal of an interactive session (`run -it`, `exec -it`): raw mode, restored exactly on every
way out, and the window size as it is now and whenever it changes (SIGWINCH). Standard library only
(termios, tty, fcntl); no Engine call."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import struct
import termios
import threading
import time
import tty
from collections.abc import Callable, Iterator


def is_terminal(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def size(fd: int) -> tuple[int, int] | None:
    """(rows, columns) of the terminal on fd, or None when it has none (or reports 0 x 0)."""
    try:
        rows, cols, _, _ = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))
    except OSError:
        return None
    return (rows, cols) if rows and cols else None


@contextlib.contextmanager
def raw(fd: int) -> Iterator[None]:
    """The terminal on fd in raw mode (every byte goes to the container: Ctrl-C, Ctrl-D, arrows), its
    attributes restored exactly as they were when the block ends, whatever ends it (an exception, a
    SIGTERM turned into one by dkr.entry, the Engine going away)."""
    saved = termios.tcgetattr(fd)
    try:
        tty.setraw(fd, termios.TCSANOW)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


#: when the size is sent again after the session starts (seconds): before API 1.42 a container's terminal
#: cannot be sized at create (ConsoleSize), and a resize that reaches the Engine before the runtime has set
#: the terminal up is accepted and lost (measured on 20.10: `stty size` then says 0 0 now and then)
SETTLE_RESIZES = (0.1, 0.3, 1.0)


@contextlib.contextmanager
def on_resize(fd: int, resized: Callable[[int, int], None]) -> Iterator[None]:
    """Call resized(rows, columns) now (and a few times more while the container starts: SETTLE_RESIZES)
    and on every SIGWINCH while the block runs. The handler only wakes a thread: the Engine call never runs
    inside a signal handler."""
    wake = threading.Event()
    done = threading.Event()

    def follow() -> None:
        settle = list(SETTLE_RESIZES)
        started = time.monotonic()
        while not done.is_set():
            current = size(fd)
            if current:
                with contextlib.suppress(Exception):  # the session may be ending: a resize is best effort
                    resized(*current)
            timeout = settle.pop(0) - (time.monotonic() - started) if settle else None
            if wake.wait(max(timeout, 0) if timeout is not None else None):
                wake.clear()

    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGWINCH, lambda _s, _f: wake.set()) if main else None
    thread = threading.Thread(target=follow, name="dkr-winch", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        wake.set()
        if main:
            signal.signal(signal.SIGWINCH, previous)
