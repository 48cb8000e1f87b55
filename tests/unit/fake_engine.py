"""A fake Engine API on a unix socket, for daemon-free tests of CLI wiring: it answers from recorded payloads
and records every request, so a test can also prove that no request was made."""

from __future__ import annotations

import json
import re
import socketserver
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import TracebackType
from typing import Any

Handler = Callable[[str, str, bytes], tuple[int, Any]]


class Truncated(bytes):
    """An answer that stops half-way: these bytes are sent under a Content-Length of `declared`, then the
    connection is closed, as an Engine that dies mid-answer leaves it."""

    declared: int

    def __new__(cls, data: bytes, declared: int) -> Truncated:
        obj = super().__new__(cls, data)
        obj.declared = declared
        return obj


class Streamed(list[Any]):
    """A streamed answer (pull, push, events): these JSON objects, each sent as its own chunk of a chunked
    body followed by the Engine's "\r\n", as the Engine writes a progress stream."""


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # dkr hanging up while the fake still writes (a failed build, a closed stream) is the client's
        # right; printed, it would land in whichever test's stderr is being captured then
        if not isinstance(sys.exc_info()[1], ConnectionResetError | BrokenPipeError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class FakeEngine:
    def __init__(self, sock: Path, api_version: str = "1.41") -> None:
        self.sock = sock
        self.url = f"unix://{sock}"
        self.requests: list[str] = []
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self.api_version = api_version
        #: False: answer like some other HTTP server (no Api-Version header, which dockerd always sends)
        self.is_engine = True
        #: more headers on every answer: {"Libpod-Api-Version": "4.3.1"} answers as Podman's API does
        self.headers: dict[str, str] = {}
        self.route("GET", r"/version", lambda m, p, b: (200, self.version_payload()))
        self.route("GET", r"/_ping", lambda m, p, b: (200, "OK"))

    def version_payload(self) -> dict[str, Any]:
        return {"Version": "99.0.0-fake", "ApiVersion": self.api_version, "MinAPIVersion": "1.12",
                "Os": "linux", "Arch": "amd64"}  # fmt: skip

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        """Answer `method` requests whose path (without the /vX.Y prefix) matches `pattern`."""
        self.routes.insert(0, (method, re.compile(pattern + r"$"), handler))

    def __enter__(self) -> FakeEngine:
        engine = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = re.sub(r"^/v\d+\.\d+", "", self.path.split("?", 1)[0])
                engine.requests.append(f"{self.command} {self.path}")
                for method, pattern, handler in engine.routes:
                    if method == self.command and pattern.match(path):
                        status, payload = handler(self.command, self.path, body)
                        break
                else:
                    status, payload = 404, {"message": f"page not found: {path}"}
                if isinstance(payload, Streamed):
                    return self._stream(status, payload)
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                if engine.is_engine:
                    self.send_header("Api-Version", engine.api_version)
                for key, value in engine.headers.items():
                    self.send_header(key, value)
                length = payload.declared if isinstance(payload, Truncated) else len(data)
                self.send_header("Content-Length", str(length))
                self.end_headers()
                if self.command != "HEAD":  # a HEAD answer has no body (the docker CLI pings with HEAD)
                    self.wfile.write(data)
                if isinstance(payload, Truncated):
                    self.wfile.flush()
                    self.close_connection = True

            def _stream(self, status: int, items: Streamed) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                if engine.is_engine:
                    self.send_header("Api-Version", engine.api_version)
                for key, value in engine.headers.items():
                    self.send_header(key, value)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for item in items:
                    piece = json.dumps(item).encode() + b"\r\n"
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.write(b"0\r\n\r\n")

            do_GET = do_POST = do_DELETE = do_HEAD = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def address_string(self) -> str:  # unix sockets have no client address
                return "fake"

        self._server = _Server(str(self.sock), H)
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()


def engine_calls(fake: FakeEngine) -> list[str]:
    """The requests a command made, without the client's handshake (`/_ping`, `/version`)."""
    return [r for r in fake.requests if "/_ping" not in r and "/version" not in r]
