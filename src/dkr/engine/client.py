"""A lazily connected Engine and the translation of SDK / HTTP exceptions into dkr errors."""

from __future__ import annotations

import errno
import http.client
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import docker
import docker.errors
import requests.exceptions

from dkr.errors import Conflict, DkrError, EngineError, EngineUnreachable, NotFound
from dkr.hosts import Endpoint, ssh_target

if TYPE_CHECKING:
    from dkr.engine.ssh import SshDialer

#: Time allowed to reach the Engine and negotiate the API version: an unreachable engine fails well within
#: the contract's 10 s.
CONNECT_TIMEOUT = 8.0
#: Default deadline for ordinary requests once connected. Long operations (stop, wait, build) pass their own.
REQUEST_TIMEOUT = 120.0
#: The oldest API dkr speaks: Engine 20.10.
MIN_API_VERSION = "1.41"


#: OpenSSL's names for the alerts a TLS server sends when it refuses the client's certificate.
_CLIENT_CERT_REFUSED = (
    "BAD_CERTIFICATE",
    "UNKNOWN_CA",
    "CERTIFICATE_UNKNOWN",
    "UNSUPPORTED_CERTIFICATE",
    "CERTIFICATE_EXPIRED",
    "ACCESS_DENIED",
)
#: What OpenSSL says when the other end answers the TLS handshake with something that is not TLS.
_NOT_TLS = ("WRONG_VERSION_NUMBER", "UNKNOWN_PROTOCOL", "PACKET_LENGTH_TOO_LONG", "RECORD_LAYER_FAILURE")

TLS_UNTRUSTED = "TLS: the Engine's certificate is not trusted"
TLS_CLIENT_CERT_REQUIRED = "TLS: the Engine requires a client certificate and none was presented"
TLS_CLIENT_CERT_REFUSED = "TLS: the Engine refused the client certificate"
TLS_NOT_TLS = "TLS handshake failed: the endpoint does not speak TLS"
TLS_CLOSED = "TLS handshake failed: the endpoint closed the connection"
CLOSED = "the connection was closed without an answer"
RESET = "connection reset"


def _tls_reason(exc: ssl.SSLError) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"{TLS_UNTRUSTED} ({exc.verify_message})"
    code = str(exc.reason or "")
    if "CERTIFICATE_REQUIRED" in code:
        return TLS_CLIENT_CERT_REQUIRED
    if any(alert in code for alert in _CLIENT_CERT_REFUSED):
        return f"{TLS_CLIENT_CERT_REFUSED} ({code.lower().replace('_', ' ')})"
    if code in _NOT_TLS:
        return TLS_NOT_TLS
    if isinstance(exc, ssl.SSLEOFError):
        return TLS_CLOSED
    return f"TLS error: {code.lower().replace('_', ' ') if code else exc}"


def _unreachable_reason(exc: BaseException) -> str:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ssl.SSLError):
            return _tls_reason(cur)
        if isinstance(cur, FileNotFoundError) or getattr(cur, "errno", None) == errno.ENOENT:
            return "no such socket"
        if isinstance(cur, PermissionError) or getattr(cur, "errno", None) == errno.EACCES:
            return "permission denied"
        if isinstance(cur, ConnectionRefusedError) or getattr(cur, "errno", None) == errno.ECONNREFUSED:
            return "connection refused"
        if isinstance(cur, http.client.RemoteDisconnected):  # a ConnectionResetError: test it first
            return CLOSED
        if isinstance(cur, ConnectionResetError) or getattr(cur, "errno", None) == errno.ECONNRESET:
            return RESET
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


def _hint(endpoint: Endpoint, reason: str) -> str:
    tls_files = "DOCKER_CERT_PATH" if not endpoint.source.startswith("context") else "the context's TLS files"
    if reason == "permission denied":
        return "Add your user to the 'docker' group (then log in again), or run with sudo."
    if reason.startswith(TLS_UNTRUSTED):
        ca = endpoint.tls.ca_cert if endpoint.tls and endpoint.tls.ca_cert else "the CA file"
        return f"Check {tls_files}: {ca} must be the CA that signed the Engine's certificate."
    if "client certificate" in reason:
        return f"Check {tls_files}: cert.pem and key.pem must be a client certificate from the Engine's CA."
    if reason == TLS_NOT_TLS:
        return "For a plain-HTTP Engine unset DOCKER_TLS_VERIFY and DOCKER_TLS; otherwise check the port."
    if endpoint.url.startswith("ssh://"):
        command = ssh_target(endpoint.url, endpoint.source).check_command()
        return f"Check that '{command}' works without a prompt (key authentication, known host key)."
    if endpoint.url.startswith("unix://"):
        return "Is dockerd running? Check -H/--host, DOCKER_HOST and the current docker context."
    return "Check that the Engine is up and reachable, and -H/--host, DOCKER_HOST or the docker context."


def unreachable(endpoint: Endpoint, exc: BaseException, reason: str | None = None) -> EngineUnreachable:
    """The one-line error for an Engine that cannot be reached; `reason` overrides what `exc` says (ssh's
    own message, for one)."""
    reason = reason or _unreachable_reason(exc)
    if endpoint.tls and not endpoint.tls.client_cert and reason in (TLS_CLOSED, CLOSED, RESET):
        # A TLS server that wants a client certificate sends an alert and hangs up; the alert is often lost
        # to the reset (the request was already on its way), so say what is most likely.
        reason = f"{TLS_CLOSED} (it may require a client certificate; none was presented)"
    return EngineUnreachable(
        f"cannot connect to the Docker Engine at {endpoint.describe()}: {reason}", _hint(endpoint, reason)
    )


def not_an_engine(endpoint: Endpoint, why: str) -> EngineUnreachable:
    """Some other HTTP server answered: 'no answer' would send the user looking for a dead daemon."""
    return EngineUnreachable(
        f"the server at {endpoint.describe()} is not a Docker Engine: {why}",
        "Check that -H/--host, DOCKER_HOST or the docker context name the Engine's socket or port "
        "(a TLS port also needs DOCKER_TLS_VERIFY).",
    )


def api_message(exc: docker.errors.APIError) -> str:
    explanation = exc.explanation
    if isinstance(explanation, bytes):
        explanation = explanation.decode(errors="replace")
    text = str(explanation or exc).strip()
    return text[0].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


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


class Engine:
    """One Engine endpoint; the HTTP client is created on first use."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._api: docker.APIClient | None = None
        self._ssh: SshDialer | None = None

    @property
    def api(self) -> docker.APIClient:
        if self._api is None:
            self._api = self._connect()
        return self._api

    def _tls(self) -> Any:
        tls = self.endpoint.tls
        if tls is None:
            return False
        for path in ([tls.ca_cert] if tls.verify and tls.ca_cert else []) + list(tls.client_cert or ()):
            try:
                with open(path, "rb"):
                    pass
            except OSError as exc:
                # docker says the same: `could not read CA certificate "…/ca.pem": open …: no such file`
                raise DkrError(
                    f"cannot read TLS file {path} for {self.endpoint.describe()}: {exc.strerror}",
                    "DOCKER_CERT_PATH (default ~/.docker) must hold ca.pem, cert.pem and key.pem.",
                ) from None
        return docker.tls.TLSConfig(
            client_cert=tls.client_cert,
            ca_cert=tls.ca_cert,
            verify=tls.ca_cert if tls.verify and tls.ca_cert else tls.verify,
        )

    def _connect(self) -> docker.APIClient:
        ep = self.endpoint
        tls = self._tls()
        base_url = ep.url
        if tls and base_url.startswith("tcp://"):
            base_url = "https://" + base_url[len("tcp://") :]
        ssh = base_url.startswith("ssh://")
        try:
            # The version is negotiated below (one place that tells "nothing there" from "not an Engine").
            # For ssh:// the SDK gets a placeholder socket URL and then dkr's ssh adapter in its place:
            # mounted at the same prefix, it serves every request (see dkr.engine.ssh for why not the SDK's).
            api = _APIClient(
                base_url="unix:///dkr-ssh-placeholder" if ssh else base_url,
                version=MIN_API_VERSION,
                timeout=CONNECT_TIMEOUT,
                tls=tls,
                # parallel commands (stop, rm) share one client: keep a connection per worker
                max_pool_size=32,
            )
        except docker.errors.DockerException as exc:
            raise unreachable(ep, exc) from exc
        if ssh:
            # ssh gives up connecting a second before dkr does, so its own message says what happened
            from dkr.engine.ssh import SshAdapter, SshDialer  # only ssh:// needs it

            self._ssh = SshDialer(ssh_target(ep.url, ep.source), int(CONNECT_TIMEOUT) - 1)
            api._custom_adapter = SshAdapter(self._ssh, CONNECT_TIMEOUT, max_pool_size=32)
            api.mount("http+docker://", api._custom_adapter)
        # What the SDK's own version=None does (APIClient.__init__ sets _version; there is no public
        # setter), with the failures told apart.
        api._version = self._negotiate(api)
        if docker.utils.version_lt(api.api_version, MIN_API_VERSION):
            raise DkrError(
                f"the Engine at {ep.describe()} speaks API {api.api_version}; dkr needs {MIN_API_VERSION} "
                "(Docker Engine 20.10) or newer"
            )
        api.timeout = REQUEST_TIMEOUT
        return api

    def _negotiate(self, api: docker.APIClient) -> str:
        """The Engine's API version from GET /_ping's Api-Version header, as the docker CLI negotiates: the
        SDK's own version=None asks GET /version, which the Engine answers an order of magnitude slower
        (it gathers component versions), and every dkr call pays for it."""
        ep = self.endpoint
        try:
            res = api._get(api._url("/_ping", versioned_api=False))
        except (requests.exceptions.RequestException, OSError) as exc:
            raise self.unreachable(exc) from exc
        except docker.errors.DockerException as exc:
            raise self.unreachable(exc) from exc
        version = res.headers.get("Api-Version")
        if res.status_code == 200 and version:
            return str(version)
        if "HTTP request to an HTTPS server" in res.text:
            # what dockerd (Go's net/http) answers a plain-HTTP request on its TLS port
            raise EngineUnreachable(
                f"cannot connect to the Docker Engine at {ep.describe()}: it expects TLS",
                "Set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH (the directory with ca.pem, cert.pem and "
                "key.pem), or use a docker context with TLS.",
            )
        if res.status_code != 200:
            raise not_an_engine(ep, f"it answered HTTP {res.status_code} to GET /_ping")
        raise not_an_engine(ep, "its answer to GET /_ping has no Api-Version header")

    def unreachable(self, exc: BaseException) -> EngineUnreachable:
        return unreachable(self.endpoint, exc, self._ssh.failure() if self._ssh else None)

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
            raise self.unreachable(exc) from exc
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
