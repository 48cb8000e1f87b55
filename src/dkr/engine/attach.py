"""Interactive sessions (`run -i/-t`, `exec -i/-t`): the hijacked connection to a container's stdio, the local
stdin pumped into it, and its output read back.

Without a TTY the Engine multiplexes stdout and stderr in 8-byte-headed frames (stream, 0, 0, 0, size as a
big-endian uint32); with one, the output is the terminal's raw bytes. Local input is copied as it comes, and
its EOF half-closes the connection so the container's stdin ends too (`echo hi | dkr run -i img cat` prints
`hi` and returns). The detach keys are matched here, on the client, as the docker CLI's escape proxy does:
bytes that start the sequence are held back until it is complete (detach) or broken (sent after all).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Callable, Iterator

from dkr import terminal
from dkr.engine.containers import Demuxer
from dkr.models.run import Console

#: receives the container's output: (1 stdout | 2 stderr, bytes)
Sink = Callable[[int, bytes], None]
#: bytes read from the local stdin, or from the connection, at a time
CHUNK = 32 * 1024


class Session:
    """A hijacked connection: `send` to the container's stdin, `output()` its streams."""

    def __init__(self, sock: socket.socket, tty: bool) -> None:
        self.sock = sock
        self.tty = tty
        self.detached = threading.Event()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def close_write(self) -> None:
        """EOF on the container's stdin (the connection stays open for its output)."""
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            self.sock.close()

    def output(self) -> Iterator[tuple[int, bytes]]:
        """(1 stdout | 2 stderr, bytes) until the container closes its side, or the connection is closed
        (detached, or the Engine went away): with a TTY the raw bytes, else the frames split as `logs`
        splits them (one Demuxer for both)."""
        demux = None if self.tty else Demuxer()
        try:
            while data := self.sock.recv(CHUNK):
                if demux is None:
                    yield 1, data
                    continue
                yield from demux.feed(data)
                if demux.error is not None:
                    return  # not docker's framing: the caller learns what happened from the exit code
        except OSError:
            return


class _Escape:
    """docker's escape proxy: finds the detach sequence in the input, across reads."""

    def __init__(self, keys: bytes) -> None:
        self.keys = keys
        self.held = b""

    def feed(self, data: bytes) -> tuple[bytes, bool]:
        """What to send now, and whether the whole sequence was typed (then nothing after it is sent)."""
        if not self.keys:
            return data, False
        out = bytearray()
        for byte in data:
            candidate = self.held + bytes([byte])
            if self.keys.startswith(candidate):
                self.held = candidate
                if candidate == self.keys:
                    return bytes(out), True
                continue
            out += candidate  # the sequence broke: what was held goes out after all
            self.held = b""
        return bytes(out), False


def pump(read: Callable[[], bytes], session: Session, detach_keys: bytes, close_at_eof: bool = True) -> None:
    """Copy local input into the session until EOF (then half-close) or the detach keys (then close the
    connection and set session.detached). Runs on its own thread."""
    escape = _Escape(detach_keys)
    try:
        while data := read():
            send, detach = escape.feed(data)
            if send:
                session.send(send)
            if detach:
                session.detached.set()
                session.close()
                return
    except OSError:
        return  # the connection closed under us (the container ended): nothing left to send to
    if close_at_eof:
        session.close_write()


def fd_reader(fd: int) -> Callable[[], bytes]:
    """Reads whatever is available on fd, up to CHUNK bytes (a terminal gives each keystroke at once)."""
    return lambda: os.read(fd, CHUNK)


def start_pump(read: Callable[[], bytes], session: Session, detach_keys: bytes) -> threading.Thread:
    thread = threading.Thread(
        target=pump, args=(read, session, detach_keys), name="dkr-stdin", daemon=True
    )  # a daemon: a read blocked on the terminal must not keep dkr alive once the session is over
    thread.start()
    return thread


@contextlib.contextmanager
def local_side(
    session: Session,
    console: Console | None,
    *,
    interactive: bool,
    tty: bool,
    resize: Callable[[int, int], None],
) -> Iterator[None]:
    """While a session runs: the local stdin pumped in (-i), and with -t on a terminal, the terminal in raw
    mode (restored on every way out) and its size sent with `resize(rows, columns)` (at start, SIGWINCH)."""
    if console is None:
        yield
        return
    with contextlib.ExitStack() as stack:
        if tty and console.terminal:
            stack.enter_context(terminal.raw(console.fd))
            stack.enter_context(terminal.on_resize(console.fd, resize))
        if interactive:
            start_pump(fd_reader(console.fd), session, console.detach_keys if tty else b"")
        yield


def converse(
    session: Session,
    console: Console | None,
    sink: Sink,
    *,
    interactive: bool,
    tty: bool,
    resize: Callable[[int, int], None],
) -> bool:
    """A whole session: the local side (local_side) while the output goes to `sink` until it ends; the
    connection closed on every way out. True if the user detached with the detach keys."""
    try:
        with local_side(session, console, interactive=interactive, tty=tty, resize=resize):
            for stream, data in session.output():
                sink(stream, data)
    finally:
        session.close()
    return session.detached.is_set()
