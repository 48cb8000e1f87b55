"""Every use of the docker SDK's internals, in one place.

dkr drives the SDK's low-level `APIClient` through its public methods wherever they do what docker does.
Where they do not, dkr needs a few of its internals: raw requests with their own deadline (stop, wait and
logs, whose public methods cap the deadline or drop which stream a frame came from), the negotiated API
version set without its slow GET /version, a transport adapter mounted in the SDK's place (ssh://), and
the response hook that lets Ctrl-C close a build. They are private, so a new SDK release may move them:
pyproject pins the SDK below its next major version, and this module is the one to read when it moves.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import docker
import docker.tls
import docker.utils
import requests
from docker.transport.basehttpadapter import BaseHTTPAdapter
from docker.utils.socket import SocketError

#: What reading an attached or hijacked stream raises when it is cut, closed under us, or the Engine goes
#: away (on top of the HTTP stack's own exceptions).
STREAM_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    SocketError,
    docker.errors.DockerException,
    requests.exceptions.RequestException,
)

APIClient = docker.APIClient


class _APIClient(docker.APIClient):  # type: ignore[misc]  # docker ships no type hints
    def merge_environment_settings(
        self, url: str, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> dict[str, Any]:
        settings: dict[str, Any] = super().merge_environment_settings(url, proxies, stream, verify, cert)
        if verify is None and self.verify is not True:
            # requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE replace the session's CA, so a machine-wide
            # bundle silently defeats DOCKER_CERT_PATH's ca.pem (docker/docker-py#2433, still open). The
            # docker CLI never reads those variables: the Engine's own CA (or verify=False) wins here too.
            settings["verify"] = self.verify
        return settings


def new_client(base_url: str, version: str, timeout: float, tls: Any, max_pool_size: int) -> docker.APIClient:
    """The SDK's client, without the SDK's version negotiation (dkr negotiates with GET /_ping)."""
    return _APIClient(
        base_url=base_url, version=version, timeout=timeout, tls=tls, max_pool_size=max_pool_size
    )


def tls_config(client_cert: tuple[str, str] | None, ca_cert: str | None, verify: bool | str) -> Any:
    return docker.tls.TLSConfig(client_cert=client_cert, ca_cert=ca_cert, verify=verify)


def mount_adapter(api: docker.APIClient, adapter: BaseHTTPAdapter) -> None:
    """Serve every request through `adapter`, as the SDK mounts its own unix-socket adapter."""
    api._custom_adapter = adapter
    api.mount("http+docker://", adapter)


def set_api_version(api: docker.APIClient, version: str) -> None:
    """What the SDK's own version=None does (APIClient.__init__ sets _version; there is no public setter)."""
    api._version = version


def version_lt(version: str, other: str) -> bool:
    return bool(docker.utils.version_lt(version, other))


def ping(api: docker.APIClient) -> requests.Response:
    """GET /_ping, unversioned, answered as it comes (the caller reads the status and the headers)."""
    response: requests.Response = api._get(api._url("/_ping", versioned_api=False))
    return response


def post(
    api: docker.APIClient,
    path: str,
    *args: str,
    params: dict[str, Any] | None = None,
    timeout: float | None = None,
    stream: bool = False,
) -> requests.Response:
    """POST to `path` (`{0}` placeholders filled from args, quoted) with this request's own deadline
    (None: none); an error status raises the SDK's APIError."""
    res: requests.Response = api._post(api._url(path, *args), params=params, timeout=timeout, stream=stream)
    api._raise_for_status(res)
    return res


def get_stream(
    api: docker.APIClient, path: str, *args: str, params: dict[str, Any], no_deadline: bool = False
) -> requests.Response:
    """GET a streamed body; `no_deadline` when a quiet stream is not a failure (logs -f)."""
    extra: dict[str, Any] = {"timeout": None} if no_deadline else {}
    res: requests.Response = api._get(api._url(path, *args), params=params, stream=True, **extra)
    api._raise_for_status(res)
    return res


@contextmanager
def responses(api: docker.APIClient) -> Iterator[list[requests.Response]]:
    """The HTTP responses of the requests made inside (the SDK's build() returns only the decoded stream;
    the response lets Ctrl-C close it)."""
    kept: list[requests.Response] = []

    def keep(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        kept.append(response)

    api.hooks["response"].append(keep)
    try:
        yield kept
    finally:
        api.hooks["response"].remove(keep)


class PoolAdapter(BaseHTTPAdapter):  # type: ignore[misc]  # docker ships no type hints
    """A requests adapter with one connection pool, mounted in the SDK's place (dkr.engine.ssh's)."""

    def __init__(self, pool: Any, on_close: Any) -> None:
        self._pool = pool
        self._on_close = on_close
        super().__init__()

    def get_connection(self, url: str, proxies: Any = None) -> Any:
        return self._pool

    def request_url(self, request: Any, proxies: Any) -> str:
        # the host part is a placeholder; proxies make no sense here (as in the SDK's unix adapter)
        path: str = request.path_url
        return path

    def close(self) -> None:
        super().close()
        self._pool.close()
        self._on_close()


def hijacked(what: Any) -> socket.socket:
    """The socket under what attach_socket() and exec_start(socket=True) return (a SocketIO over the unix or
    tcp socket, the TLS socket itself), with no read deadline: an interactive session may stay quiet."""
    sock: socket.socket = getattr(what, "_sock", what)
    sock.settimeout(None)
    return sock


class _Dechunker:
    """HTTP/1.1 chunked transfer coding, decoded from whatever bytes arrive: `feed` returns the body bytes
    they complete (possibly none), `done` once the last chunk is read. Trailers are not used by the Engine
    and are skipped."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._left = 0  # bytes of the current chunk still to come (then its CRLF)
        self._crlf = False
        self.done = False

    def feed(self, data: bytes) -> bytes:
        buf = self._buf
        buf += data
        view = memoryview(buf)
        parts: list[memoryview] = []
        at, end_of_data = 0, len(buf)
        left, crlf = self._left, self._crlf
        try:
            while not self.done:
                if left:
                    take = min(left, end_of_data - at)
                    if not take:
                        break
                    parts.append(view[at : at + take])
                    at += take
                    left -= take
                    if left:
                        break
                    crlf = True
                if crlf:
                    if end_of_data - at < 2:
                        break
                    at += 2
                    crlf = False
                end = buf.find(b"\r\n", at)
                if end < 0:
                    break
                header = buf[at:end]
                semi = header.find(b";")
                size = int(header if semi < 0 else header[:semi], 16)
                at = end + 2
                if size == 0:
                    self.done = True
                    break
                left = size
            out = b"".join(parts)
        finally:
            parts.clear()
            view.release()
        self._left, self._crlf = left, crlf
        del buf[:at]
        return out


def body_pieces(res: requests.Response, size: int = 1 << 18) -> Iterator[bytes]:
    """A streamed body's bytes as they arrive, in pieces as large as what has arrived (up to `size`):
    read straight from the connection's buffer, a chunked body decoded here. urllib3 hands out one HTTP
    chunk at a time, and the Engine writes a log line per chunk: `logs` of a fast writer spent most of its
    time on that. Falls back to urllib3's reader for a body that is not chunked."""
    fp = getattr(getattr(res.raw, "_fp", None), "fp", None)
    if not getattr(res.raw._fp, "chunked", False) or fp is None or not hasattr(fp, "read1"):
        yield from res.raw.stream(size, decode_content=False)
        return
    dechunk = _Dechunker()
    while not dechunk.done:
        data = fp.read1(size)
        if not data:
            raise requests.exceptions.ChunkedEncodingError("the connection closed inside a chunked body")
        body = dechunk.feed(data)
        if body:
            yield body


def stat_path(api: docker.APIClient, container: str, path: str) -> dict[str, Any] | None:
    """HEAD /containers/{id}/archive: the stat of a path in the container (name, size, mode, linkTarget), or
    None when the path does not exist (ask after the container is known: the answer has no body to tell)."""
    url = api._url("/containers/{0}/archive", container)
    res: requests.Response = api.head(url, params={"path": path}, timeout=api.timeout)
    if res.status_code == 404:
        return None
    api._raise_for_status(res)
    header = res.headers.get("X-Docker-Container-Path-Stat")
    return docker.utils.decode_json_header(header) if header else {}


def put_archive(api: docker.APIClient, container: str, path: str, data: Any, copy_uid_gid: bool) -> None:
    """PUT /containers/{id}/archive with cp -a's copyUIDGID (the SDK's put_archive has no such field)."""
    params = {"path": path, "copyUIDGID": "1" if copy_uid_gid else "0"}
    res: requests.Response = api._put(
        api._url("/containers/{0}/archive", container), params=params, data=data
    )
    api._raise_for_status(res)


def post_json(
    api: docker.APIClient,
    path: str,
    *args: str,
    body: dict[str, Any],
    params: dict[str, Any] | None = None,
    registry_auth: bool = False,
) -> dict[str, Any]:
    """POST a JSON body to `path` and return the JSON answer; `registry_auth` sends the docker config's
    credentials for the image's registry (X-Registry-Auth), as `docker service create --with-registry-auth`
    does."""
    headers: dict[str, str] = {}
    image = ((body.get("TaskTemplate") or {}).get("ContainerSpec") or {}).get("Image")
    if registry_auth and image:
        from docker import auth

        registry, _ = auth.resolve_repository_name(image)
        header = auth.get_config_header(api, registry)
        if header:
            headers["X-Registry-Auth"] = header
    res = api._post_json(api._url(path, *args), data=body, params=params, headers=headers)
    api._raise_for_status(res)
    answer: dict[str, Any] = res.json() if res.content else {}
    return answer
