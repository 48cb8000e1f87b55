"""Which Engine to talk to: -H, --context, DOCKER_HOST, DOCKER_CONTEXT, the docker CLI's current context.

Pure resolution (files and environment only, no Engine call), so it is unit-tested without a daemon. Written
with the standard library rather than the SDK's ContextAPI so that resolving an endpoint never imports the
SDK (that import is the main start-up cost of a CLI call) and so that the precedence is exactly docker's:
-H, then --context, then DOCKER_HOST, then DOCKER_CONTEXT, then config.json's currentContext, then the socket.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dkr.errors import DkrError, UsageError

DEFAULT_HOST = "unix:///var/run/docker.sock"
#: What docker's ParseTCPAddr fills in for a tcp:// address that leaves them out.
DEFAULT_TCP_HOST = "127.0.0.1"
DEFAULT_TCP_PORT = 2375
_SCHEMES = ("unix://", "tcp://", "ssh://", "npipe://", "http://", "https://", "fd://")


@dataclass(frozen=True)
class TLS:
    verify: bool
    ca_cert: str | None = None
    client_cert: tuple[str, str] | None = None
    #: the folder the files were looked for in (DOCKER_CERT_PATH, ~/.docker or the context's TLS folder), so
    #: an error can say what was presented and where a missing file should be
    folder: str | None = None


@dataclass(frozen=True)
class Endpoint:
    url: str
    #: where the choice came from, for error messages: "--host", "DOCKER_HOST", "context 'x'", "default"
    source: str
    tls: TLS | None = None

    def describe(self) -> str:
        return f"{self.url} (from {self.source})" if self.source != "default" else self.url


def docker_config_dir(env: Mapping[str, str]) -> Path:
    configured = env.get("DOCKER_CONFIG")
    if configured:
        return Path(configured)
    return Path(env.get("HOME", str(Path.home()))) / ".docker"


def normalize_host(url: str, source: str) -> str:
    """Validate a host URL the way docker's -H does (a bare path or host:port is accepted too)."""
    url = url.strip()
    if not url:
        raise UsageError(f"invalid host from {source}: empty")
    if url.startswith("/"):
        return "unix://" + url
    if "://" not in url:
        # docker accepts "host:port" and ":port" as tcp
        if ":" in url:
            host, _, port = url.rpartition(":")
            if not port.isdigit():
                raise UsageError(f"invalid host '{url}' from {source}: bad port")
            return f"tcp://{host or '127.0.0.1'}:{port}"
        raise UsageError(
            f"invalid host '{url}' from {source}",
            hint="Use unix:///path, tcp://host:port or ssh://user@host.",
        )
    if not url.startswith(_SCHEMES):
        raise UsageError(
            f"invalid host '{url}' from {source}: unsupported scheme",
            hint="Use unix:///path, tcp://host:port or ssh://user@host.",
        )
    if url.startswith("npipe://") and os.name != "nt":
        raise UsageError(
            f"invalid host '{url}' from {source}: npipe:// is Windows' transport",
            hint="Use unix:///path, tcp://host:port or ssh://user@host.",
        )
    if url.startswith(("tcp://", "http://", "https://", "ssh://")):
        return _network_address(url, source)
    return url


def _network_address(url: str, source: str) -> str:
    """Check a tcp/http(s)/ssh URL's host and port here, as docker's ParseHost does, rather than let the SDK
    fail on them later with a bare ValueError; tcp:// gets docker's defaults (localhost, port 2375)."""

    def bad(why: str) -> UsageError:
        return UsageError(
            f"invalid host '{url}' from {source}: {why}",
            hint="Use unix:///path, tcp://host:port or ssh://user@host.",
        )

    scheme, rest = url.split("://", 1)
    if "://" in rest:
        raise bad("two schemes")
    try:
        parts = urllib.parse.urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError as exc:  # unclosed "[", a port that is not a number or above 65535
        raise bad("bad port" if "port" in str(exc).lower() else "bad address") from None
    if any(c.isspace() for c in parts.netloc):
        raise bad("bad address")
    if scheme == "ssh":
        ssh_target(url, source)  # docker's ssh URL rules, checked before ssh is ever started
    if scheme != "tcp":
        return url
    host = host or DEFAULT_TCP_HOST
    shown = f"[{host}]" if ":" in host else host
    return f"tcp://{shown}:{DEFAULT_TCP_PORT if port is None else port}{parts.path}"


@dataclass(frozen=True)
class SshTarget:
    """`ssh://[user@]host[:port][/socket/path]`, read as docker's connhelper/ssh reads it."""

    host: str
    user: str | None = None
    port: int | None = None
    #: the Engine socket on the remote machine; empty: the remote docker CLI's own default
    socket_path: str = ""

    def argv(self, connect_timeout: int) -> list[str]:
        """The ssh command line that connects to the remote Engine, as docker builds it (connhelper.go):
        `ssh -T -l USER -p PORT -- HOST docker system dial-stdio` (with `--host=unix://PATH` for a path).
        Unlike docker, BatchMode: dkr starts ssh without a terminal, so a password or host-key prompt could
        never be answered - it fails at once instead (with ssh's own message)."""
        return [*self._ssh(connect_timeout), "--", self.host, *self._docker("system", "dial-stdio")]

    def forward_argv(self, host: str, port: int, connect_timeout: int) -> list[str]:
        """`ssh ... -W HOST:PORT -- HOST`: the remote machine connects to HOST:PORT (as it sees them: its
        own loopback for 127.0.0.1) and ssh's stdin/stdout carry that connection - how dkr probes a port
        published on the Engine's host."""
        target = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        return [*self._ssh(connect_timeout), "-W", target, "--", self.host]

    def _ssh(self, connect_timeout: int) -> list[str]:
        args = ["ssh", "-o", f"ConnectTimeout={connect_timeout}", "-o", "BatchMode=yes", "-T"]
        if self.user:
            args += ["-l", self.user]
        if self.port is not None:
            args += ["-p", str(self.port)]
        return args

    def check_command(self) -> str:
        """A command that shows by hand what ssh says when dkr cannot get through."""
        port = ["-p", str(self.port)] if self.port is not None else []
        login = f"{self.user}@{self.host}" if self.user else self.host
        return shlex.join(["ssh", *port, login, *self._docker("version")])

    def _docker(self, *args: str) -> list[str]:
        # ssh hands the words to the remote shell: the socket path is quoted for it
        if self.socket_path.strip("/"):
            return ["docker", "--host=" + shlex.quote("unix://" + self.socket_path), *args]
        return ["docker", *args]


def ssh_target(url: str, source: str = "--host") -> SshTarget:
    """Parse an ssh:// host URL; docker's ssh.ParseURL rejects the same things (a password, a query, a
    fragment, no host name)."""
    parts = urllib.parse.urlsplit(url)
    try:
        port, problem = parts.port, None
    except ValueError:
        port, problem = None, "bad port"
    if parts.password is not None:
        problem = "a password in the URL is not supported (use an ssh key)"
    elif parts.query or parts.fragment:
        problem = "query parameters and fragments are not allowed"
    elif not parts.hostname:
        problem = "no host name"
    if problem:
        raise UsageError(
            f"invalid host '{url}' from {source}: {problem}", hint="Use ssh://[user@]host[:port]."
        )
    assert parts.hostname is not None
    return SshTarget(parts.hostname, parts.username or None, port, parts.path)


def _tls_from_env(env: Mapping[str, str]) -> TLS | None:
    """The docker CLI's reading (cli/flags): DOCKER_TLS_VERIFY set to anything (even 0) means TLS with
    verification, DOCKER_TLS set to anything means TLS; DOCKER_CERT_PATH alone only says where the files
    are."""
    verify = env.get("DOCKER_TLS_VERIFY", "") != ""
    if not verify and env.get("DOCKER_TLS", "") == "":
        return None
    cert_path = env.get("DOCKER_CERT_PATH")
    base = Path(cert_path) if cert_path else docker_config_dir(env)
    ca = base / "ca.pem"
    cert, key = base / "cert.pem", base / "key.pem"
    return TLS(
        verify=verify,
        ca_cert=str(ca) if verify else None,
        client_cert=(str(cert), str(key)) if cert.exists() and key.exists() else None,
        folder=str(base),
    )


def _context_endpoint(name: str, env: Mapping[str, str], source: str) -> Endpoint:
    if name == "default":
        host = env.get("DOCKER_HOST")
        if host:
            return Endpoint(normalize_host(host, "DOCKER_HOST"), "DOCKER_HOST", _tls_from_env(env))
        return Endpoint(DEFAULT_HOST, "default")
    config_dir = docker_config_dir(env)
    # byte for byte as given (argv that is not UTF-8 arrives as surrogate escapes), as docker hashes it
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()
    meta_file = config_dir / "contexts" / "meta" / digest / "meta.json"
    try:
        meta = json.loads(meta_file.read_text())
    except FileNotFoundError:
        raise DkrError(
            f"context '{name}' not found ({source})", hint="List contexts with 'docker context ls'."
        ) from None
    except (OSError, ValueError) as exc:
        raise DkrError(f"cannot read context '{name}' from {meta_file}: {exc}") from None
    docker_ep = (meta.get("Endpoints") or {}).get("docker") or {}
    host = docker_ep.get("Host")
    if not host:
        raise DkrError(f"context '{name}' has no docker endpoint ({meta_file})")
    tls_dir = config_dir / "contexts" / "tls" / digest / "docker"
    tls: TLS | None = None
    # as docker's tlsConfig: TLS files, or skip-tls-verify alone (TLS that accepts any server certificate)
    if tls_dir.is_dir() or docker_ep.get("SkipTLSVerify", False):
        ca, cert, key = tls_dir / "ca.pem", tls_dir / "cert.pem", tls_dir / "key.pem"
        verify = not docker_ep.get("SkipTLSVerify", False)
        tls = TLS(
            verify=verify,
            ca_cert=str(ca) if verify and ca.exists() else None,
            client_cert=(str(cert), str(key)) if cert.exists() and key.exists() else None,
            folder=str(tls_dir),
        )
    return Endpoint(normalize_host(host, f"context '{name}'"), f"context '{name}'", tls)


def context_names(env: Mapping[str, str]) -> list[str]:
    """The names `--context` accepts: "default" and every context the docker CLI keeps (for completion)."""
    found = {"default"}
    for meta in (docker_config_dir(env) / "contexts" / "meta").glob("*/meta.json"):
        try:
            name = json.loads(meta.read_text()).get("Name")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(name, str) and name:
            found.add(name)
    return sorted(found)


def current_context(env: Mapping[str, str]) -> str | None:
    """The context the docker CLI would use: DOCKER_CONTEXT, else config.json's currentContext."""
    if env.get("DOCKER_CONTEXT"):
        return env["DOCKER_CONTEXT"]
    config = docker_config_dir(env) / "config.json"
    try:
        data = json.loads(config.read_text())
    except (OSError, ValueError):
        return None
    name = data.get("currentContext") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name else None


def resolve(host: str | None, context: str | None, env: Mapping[str, str] | None = None) -> Endpoint:
    """Pick the Engine endpoint with docker's precedence."""
    env = os.environ if env is None else env
    if host and context:
        raise UsageError("conflicting options: cannot specify both --host and --context")
    if host:
        return Endpoint(normalize_host(host, "--host"), "--host", _tls_from_env(env))
    if context:
        return _context_endpoint(context, env, "--context")
    if env.get("DOCKER_HOST"):
        return Endpoint(normalize_host(env["DOCKER_HOST"], "DOCKER_HOST"), "DOCKER_HOST", _tls_from_env(env))
    name = current_context(env)
    if name and name != "default":
        source = "DOCKER_CONTEXT" if env.get("DOCKER_CONTEXT") else "config.json currentContext"
        return _context_endpoint(name, env, source)
    return Endpoint(DEFAULT_HOST, "default")
