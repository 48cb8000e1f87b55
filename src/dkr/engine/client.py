"""A lazily connected Engine and the translation of SDK / HTTP exceptions into dkr errors."""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import docker
import docker.errors
import requests.exceptions

from dkr.errors import Conflict, DkrError, EngineError, EngineUnreachable, NotFound
from dkr.hosts import Endpoint

#: Time allowed to reach the Engine and negotiate the API version: an unreachable engine fails well within
#: the contract's 10 s.
CONNECT_TIMEOUT = 8.0
#: Default deadline for ordinary requests once connected. Long operations (stop, wait, build) pass their own.
REQUEST_TIMEOUT = 120.0
#: The oldest API dkr speaks: Engine 20.10.
MIN_API_VERSION = "1.41"


def _unreachable_reason(exc: BaseException) -> str:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, FileNotFoundError) or getattr(cur, "errno", None) == errno.ENOENT:
            return "no such socket"
        if isinstance(cur, PermissionError) or getattr(cur, "errno", None) == errno.EACCES:
            return "permission denied"
        if isinstance(cur, ConnectionRefusedError) or getattr(cur, "errno", None) == errno.ECONNREFUSED:
            return "connection refused"
        if isinstance(cur, socket.timeout | TimeoutError | requests.exceptions.Timeout):
            return "timed out"
        if isinstance(cur, socket.gaierror):
            return "unknown host"
        for arg in getattr(cur, "args", ()):
            if isinstance(arg, BaseException):
                inner = _unreachable_reason(arg)
                if inner != "no answer":
                    return inner
        cur = cur.__cause__ or cur.__context__
    text = str(exc)
    for needle, reason in (
        ("No such file", "no such socket"),
        ("Permission denied", "permission denied"),
        ("Connection refused", "connection refused"),
        ("timed out", "timed out"),
    ):
        if needle in text:
            return reason
    return "no answer"


def _not_an_engine(exc: BaseException) -> str | None:
    """Why the server that answered the version request is not a Docker Engine, or None if none answered
    (the SDK wraps what went wrong in a DockerException; the cause tells)."""
    cur: BaseException | None = exc
    for _ in range(5):
        if cur is None:
            return None
        if isinstance(cur, requests.exceptions.HTTPError) and cur.response is not None:
            return f"it answered HTTP {cur.response.status_code} to GET /version"
        if isinstance(cur, ValueError):  # requests' JSONDecodeError is one
            return "its answer to GET /version is not JSON"
        if isinstance(cur, KeyError):
            return "its answer to GET /version has no ApiVersion"
        cur = cur.__cause__ or cur.__context__
    return None


def unreachable(endpoint: Endpoint, exc: BaseException) -> EngineUnreachable:
    why = _not_an_engine(exc)
    if why is not None:
        return EngineUnreachable(
            f"the server at {endpoint.describe()} is not a Docker Engine: {why}",
            "Check that -H/--host, DOCKER_HOST or the docker context name the Engine's socket or port "
            "(a TLS port also needs DOCKER_TLS_VERIFY).",
        )
    reason = _unreachable_reason(exc)
    if reason == "permission denied":
        hint = "Add your user to the 'docker' group (then log in again), or run with sudo."
    elif endpoint.url.startswith("unix://"):
        hint = "Is dockerd running? Check -H/--host, DOCKER_HOST and the current docker context."
    else:
        hint = "Check that the Engine is up and reachable, and -H/--host, DOCKER_HOST or the docker context."
    return EngineUnreachable(f"cannot connect to the Docker Engine at {endpoint.describe()}: {reason}", hint)


def api_message(exc: docker.errors.APIError) -> str:
    explanation = exc.explanation
    if isinstance(explanation, bytes):
        explanation = explanation.decode(errors="replace")
    text = str(explanation or exc).strip()
    return text[0].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


class Engine:
    """One Engine endpoint; the HTTP client is created on first use."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._api: docker.APIClient | None = None

    @property
    def api(self) -> docker.APIClient:
        if self._api is None:
            self._api = self._connect()
        return self._api

    def _connect(self) -> docker.APIClient:
        ep = self.endpoint
        tls: Any = False
        if ep.tls is not None:
            tls = docker.tls.TLSConfig(
                client_cert=ep.tls.client_cert,
                ca_cert=ep.tls.ca_cert,
                verify=ep.tls.ca_cert if ep.tls.verify and ep.tls.ca_cert else ep.tls.verify,
            )
        base_url = ep.url
        if tls and base_url.startswith("tcp://"):
            base_url = "https://" + base_url[len("tcp://") :]
        try:
            # version=None makes the SDK negotiate: it asks the Engine's /version first.
            api = docker.APIClient(
                base_url=base_url,
                version=None,
                timeout=CONNECT_TIMEOUT,
                tls=tls,
                use_ssh_client=base_url.startswith("ssh://"),
                # parallel commands (stop, rm) share one client: keep a connection per worker
                max_pool_size=32,
            )
        except docker.errors.DockerException as exc:
            raise unreachable(ep, exc) from exc
        except (requests.exceptions.RequestException, OSError) as exc:
            raise unreachable(ep, exc) from exc
        if docker.utils.version_lt(api.api_version, MIN_API_VERSION):
            raise DkrError(
                f"the Engine at {ep.describe()} speaks API {api.api_version}; dkr needs {MIN_API_VERSION} "
                "(Docker Engine 20.10) or newer"
            )
        api.timeout = REQUEST_TIMEOUT
        return api

    @contextmanager
    def errors(self, what: str = "") -> Iterator[None]:
        """Turn SDK and HTTP exceptions raised inside into dkr errors; `what` prefixes the message."""
        prefix = f"{what}: " if what else ""
        try:
            yield
        except DkrError:
            raise
        except docker.errors.NotFound as exc:
            raise NotFound(prefix + api_message(exc)) from exc
        except docker.errors.APIError as exc:
            status = exc.status_code or 0
            cls = Conflict if status == 409 else EngineError
            raise cls(prefix + api_message(exc)) from exc
        except requests.exceptions.ConnectionError as exc:
            raise unreachable(self.endpoint, exc) from exc
        except requests.exceptions.Timeout as exc:
            raise EngineError(
                f"{prefix}the Engine at {self.endpoint.describe()} did not answer in time"
            ) from exc
        except docker.errors.DockerException as exc:
            raise EngineError(prefix + str(exc)) from exc

    def version(self) -> dict[str, Any]:
        with self.errors("version"):
            result: dict[str, Any] = self.api.version()
        return result
