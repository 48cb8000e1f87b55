"""A unix-socket proxy between dkr and the real Engine that can make the Engine "die" at a chosen point, or
hold an answer, so a fault lands exactly where a test wants it.

- `kill_on(pattern)`: as soon as an answer from the Engine contains `pattern` (bytes), every connection is
  reset and new ones are refused: from dkr's side the Engine died mid-stream (the socket also goes away).
- `hold_answer(request_pattern, seconds)`: the request is forwarded, its answer held back for `seconds`, so
  a signal can be sent to dkr while that request is in flight; `in_flight` is set when it is.

Only this proxy's own socket and the Engine's are touched; the Engine itself is never disturbed.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import struct
import threading
import time
from pathlib import Path
from types import TracebackType

from tests.integration.proxy import ENGINE_SOCKET, CountingProxy

_REQUEST = re.compile(rb"^(GET|POST|PUT|DELETE|HEAD) (\S+) HTTP/1\.[01]\r\n", re.M)


class FaultProxy(CountingProxy):
    """CountingProxy's socket and accept loop, with faults on the way."""

    def __init__(self, path: Path, upstream: str = ENGINE_SOCKET) -> None:
        super().__init__(path, upstream)
        self.url = f"unix://{path}"
        self.killed = threading.Event()
        self.in_flight = threading.Event()
        self._kill_pattern: bytes | None = None
        self._hold: tuple[re.Pattern[bytes], float] | None = None
        self._sockets: list[socket.socket] = []

    def kill_on(self, pattern: bytes) -> FaultProxy:
        self._kill_pattern = pattern
        return self

    def hold_answer(self, request_pattern: bytes, seconds: float) -> FaultProxy:
        self._hold = (re.compile(request_pattern), seconds)
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._stop.set()
        self.kill()

    def kill(self) -> None:
        """The Engine dies: every open connection is cut and the socket is gone. The socket goes first, so
        that no connection dkr opens in the meantime (to clean up, say) can still reach the Engine."""
        self.killed.set()
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            self._server.close()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for s in sockets:
            with contextlib.suppress(OSError):
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            # shutdown first: close() alone would not wake a thread blocked in recv() on it, and the
            # connection would stay up until that recv returned
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                s.close()

    def _accept(self) -> None:
        while not self._stop.is_set() and not self.killed.is_set():
            try:
                client, _ = self._server.accept()
            except (TimeoutError, OSError):
                continue
            with self._lock:
                if self.killed.is_set():  # accepted as the Engine died: it never answers
                    client.close()
                    continue
                upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                upstream.connect(self.upstream)
                self._sockets += [client, upstream]
            held = threading.Event()
            held.set()
            threading.Thread(target=self._requests, args=(client, upstream, held), daemon=True).start()
            threading.Thread(target=self._answers, args=(upstream, client, held), daemon=True).start()

    def _requests(self, src: socket.socket, dst: socket.socket, held: threading.Event) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                if self._hold and any(self._hold[0].search(m.group(2)) for m in _REQUEST.finditer(data)):
                    held.clear()  # its answer waits
                    threading.Timer(self._hold[1], held.set).start()
                    self.in_flight.set()
                dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)

    def _answers(self, src: socket.socket, dst: socket.socket, held: threading.Event) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                while not held.wait(0.05):
                    if self.killed.is_set():
                        return
                if self._kill_pattern is not None and self._kill_pattern in data:
                    cut = data.index(self._kill_pattern)
                    dst.sendall(data[:cut])  # half of the answer, then the Engine is gone
                    time.sleep(0.05)
                    self.kill()
                    return
                dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)
