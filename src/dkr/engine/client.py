"""A lazily connected Engine: one endpoint, its HTTP client created on first use, and `errors()`, which turns
whatever the SDK raises inside it into dkr's typed errors (dkr.engine.errors)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import docker.errors
import requests.exceptions

from dkr.engine import sdk
from dkr.engine.errors import ENGINE_EXCEPTIONS, lost_or_unreachable, translated, unreachable
from dkr.errors import (
    DkrError,
    EngineFailure,
    EngineTooOld,
    EngineUnreachable,
    NotAnEngine,
    TlsFileUnreadable,
    Unreachable,
)
from dkr.hosts import Endpoint, ssh_target
from dkr.models.reach import PortsHost

if TYPE_CHECKING:
    from dkr.engine.ssh import SshDialer

#: Time allowed to reach the Engine and negotiate the API version: an unreachable engine fails well within
#: the contract's 10 s.
CONNECT_TIMEOUT = 8.0
#: Default deadline for ordinary requests once connected. Long operations (stop, wait, build) pass their own.
REQUEST_TIMEOUT = 120.0
#: The oldest API dkr speaks: Engine 20.10.
MIN_API_VERSION = "1.41"


class Engine:
    """One Engine endpoint; the HTTP client is created on first use."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._api: sdk.APIClient | None = None
        self._ssh: SshDialer | None = None
        #: Podman's version when the Engine is Podman's Docker-compatible API (its GET /_ping says so in a
        #: Libpod-Api-Version header), else "": set when the API version is negotiated, at no extra request
        self._podman = ""

    @property
    def api(self) -> sdk.APIClient:
        if self._api is None:
            self._api = self._connect()
        return self._api

    @property
    def podman(self) -> str:
        """Podman's version if the Engine is Podman (connects first if needed), else ""."""
        _ = self.api
        return self._podman

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
                raise TlsFileUnreadable(self.endpoint, path, str(exc.strerror or exc)) from None
        return sdk.tls_config(
            client_cert=tls.client_cert,
            ca_cert=tls.ca_cert,
            verify=tls.ca_cert if tls.verify and tls.ca_cert else tls.verify,
        )

    def quick_api(self, timeout: float) -> sdk.APIClient:
        """A client for one quick request (a shell's TAB): the minimum API version rather than a
        negotiation round trip, and `timeout` for connecting and reading. Not for ssh:// (starting ssh does
        not fit a TAB's deadline): raises EngineUnreachable there."""
        if self.endpoint.url.startswith("ssh://"):
            raise EngineUnreachable(self.endpoint, Unreachable.NO_ANSWER)
        base_url = self.endpoint.url
        tls = self._tls()
        if tls and base_url.startswith("tcp://"):
            base_url = "https://" + base_url[len("tcp://") :]
        try:
            return sdk.new_client(
                base_url=base_url, version=MIN_API_VERSION, timeout=timeout, tls=tls, max_pool_size=1
            )
        except docker.errors.DockerException as exc:
            raise unreachable(self.endpoint, exc) from exc

    def _connect(self) -> sdk.APIClient:
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
            api = sdk.new_client(
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
            from dkr.engine.ssh import SshDialer, ssh_adapter  # only ssh:// needs it

            self._ssh = SshDialer(ssh_target(ep.url, ep.source), int(CONNECT_TIMEOUT) - 1)
            sdk.mount_adapter(api, ssh_adapter(self._ssh, CONNECT_TIMEOUT, max_pool_size=32))
        # What the SDK's own version=None does, with the failures told apart.
        sdk.set_api_version(api, self._negotiate(api))
        if sdk.version_lt(api.api_version, MIN_API_VERSION):
            raise EngineTooOld(ep, api.api_version, MIN_API_VERSION)
        api.timeout = REQUEST_TIMEOUT
        return api

    def _negotiate(self, api: sdk.APIClient) -> str:
        """The Engine's API version from GET /_ping's Api-Version header, as the docker CLI negotiates: the
        SDK's own version=None asks GET /version, which the Engine answers an order of magnitude slower
        (it gathers component versions), and every dkr call pays for it."""
        ep = self.endpoint
        try:
            res = sdk.ping(api)
        except (requests.exceptions.RequestException, OSError) as exc:
            raise self.unreachable(exc) from exc
        except docker.errors.DockerException as exc:
            raise self.unreachable(exc) from exc
        version = res.headers.get("Api-Version")
        if res.status_code == 200 and version:
            self._podman = str(res.headers.get("Libpod-Api-Version") or "")
            return str(version)
        if "HTTP request to an HTTPS server" in res.text:
            # what dockerd (Go's net/http) answers a plain-HTTP request on its TLS port
            raise EngineUnreachable(ep, Unreachable.EXPECTS_TLS)
        if res.status_code != 200:
            raise NotAnEngine(ep, f"it answered HTTP {res.status_code} to GET /_ping")
        raise NotAnEngine(ep, "its answer to GET /_ping has no Api-Version header")

    def unreachable(self, exc: BaseException) -> EngineUnreachable:
        return unreachable(self.endpoint, exc, self._ssh.failure() if self._ssh else None)

    def _failed(self, exc: BaseException, operation: str, cut: bool) -> EngineFailure:
        return lost_or_unreachable(
            self.endpoint,
            exc,
            operation,
            answered=self._api is not None,
            cut=cut,
            ssh_failure=self._ssh.failure() if self._ssh else None,
        )

    @contextmanager
    def errors(self, operation: str = "") -> Iterator[None]:
        """Turn SDK and HTTP exceptions raised inside into dkr's typed errors; `operation` says what dkr was
        doing ("list containers"), for the error's words."""
        with translated(self.endpoint, operation, self._failed):
            yield

    @contextmanager
    def best_effort(self) -> Iterator[None]:
        """Clean-up that may fail without failing the command (the object is already gone, the Engine went
        away): whatever the Engine or the transport raises inside is dropped."""
        try:
            yield
        except ENGINE_EXCEPTIONS:
            pass
        except DkrError:  # translated already (a nested engine.errors())
            pass

    def ports_host(self) -> PortsHost:
        """Where this Engine's published ports are, seen from here (dkr.models.reach)."""
        url = self.endpoint.url
        if url.startswith("ssh://"):
            return PortsHost.of(url, ssh_target(url, self.endpoint.source))
        here = PortsHost.of(url)
        if here.kind == "tcp" and _is_this_machine(here.host):
            return PortsHost.of(url, tcp_host_is_here=True)
        return here

    def version(self) -> dict[str, Any]:
        with self.errors("ask the Engine's version"):
            result: dict[str, Any] = self.api.version()
        return result


def _is_this_machine(host: str) -> bool:
    """Whether `host` names an address of this machine (a tcp:// Engine on one of its own addresses
    publishes its ports here): an address of this machine is one a socket can bind to."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return False
    for family, _, _, _, addr in infos:
        try:
            with socket.socket(family, socket.SOCK_STREAM) as s:
                s.bind((addr[0], 0))
                return True
        except OSError:
            continue
    return False
