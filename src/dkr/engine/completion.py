"""Names for a shell's TAB: running or all containers, image names. One list request, with the standard
library's HTTP client (importing the SDK alone would cost a TAB ~100 ms), a deadline of about a second, and
nothing on any failure: a TAB never hangs on a dead Engine and never prints an error.

The request is unversioned (`GET /containers/json`): the Engine answers it at its own API version, and the
fields read here (`Names`, `RepoTags`) are the same in every version dkr speaks. unix:// and tcp:// (with
TLS) are asked; ssh:// is not (starting ssh for a TAB would not fit the deadline).
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import time
import urllib.parse
from typing import Any

from dkr.hosts import Endpoint

#: The whole request's deadline, in seconds.
DEADLINE = 1.0
#: What each kind asks the Engine.
_PATHS = {
    "running": "/containers/json",
    "containers": "/containers/json?all=1",
    "images": "/images/json",
}


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self._path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


def _connection(endpoint: Endpoint, timeout: float) -> http.client.HTTPConnection | None:
    url = urllib.parse.urlsplit(endpoint.url)
    if url.scheme == "unix":
        return _UnixConnection(url.path, timeout)
    if url.scheme != "tcp" or not url.hostname:
        return None
    port = url.port or 2375
    tls = endpoint.tls
    if tls is None:
        return http.client.HTTPConnection(url.hostname, port, timeout=timeout)
    context = ssl.create_default_context(cafile=tls.ca_cert if tls.verify else None)
    if not tls.verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if tls.client_cert:
        context.load_cert_chain(*tls.client_cert)
    return http.client.HTTPSConnection(url.hostname, port, timeout=timeout, context=context)


def names(endpoint: Endpoint, kind: str, deadline: float = DEADLINE) -> list[str]:
    """The names of `kind` ("running", "containers", "images") the Engine has; [] on any failure."""
    path = _PATHS.get(kind)
    if path is None:
        return []
    until = time.monotonic() + deadline
    try:
        conn = _connection(endpoint, deadline)
        if conn is None:
            return []
        try:
            conn.connect()
            conn.sock.settimeout(max(0.05, until - time.monotonic()))  # what is left of the deadline
            conn.request("GET", path)
            response = conn.getresponse()
            if response.status != 200:
                return []
            items: Any = json.loads(response.read())
        finally:
            conn.close()
    except (OSError, ValueError, http.client.HTTPException, ssl.SSLError):
        return []
    if not isinstance(items, list):
        return []
    if kind == "images":
        return [
            tag
            for item in items
            if isinstance(item, dict)
            for tag in item.get("RepoTags") or ()
            if isinstance(tag, str) and tag != "<none>:<none>"
        ]
    return [
        name.lstrip("/")
        for item in items
        if isinstance(item, dict)
        for name in item.get("Names") or ()
        if isinstance(name, str) and name.count("/") == 1  # legacy links ("/a/b") are not names
    ]
