"""Engine endpoints for the transport tests, all on 127.0.0.1 and all torn down by their context managers.

- `Forwarder`: a TCP listener piping each connection to the Engine's unix socket, optionally terminating TLS
  (client certificate required) - the same wire a `dockerd -H tcp://... --tlsverify` serves.
- `Blackhole`: a listening socket that never accepts nor answers; `not_docker()`: an HTTP server that is not
  the Engine API.
- `make_tls()`: a CA, a server certificate for 127.0.0.1/localhost and a client certificate, with the
  `openssl` CLI (the `cryptography` package is not among dkr's dependencies, and openssl ships everywhere
  docker does).
- `PrivateSshd`: OpenSSH's sshd on its own port with temporary host key, config and authorized key, plus a
  PATH shim that makes `ssh` use a temporary client config: the user's ~/.ssh is neither read nor written
  (OpenSSH finds ~/.ssh through the passwd entry, not $HOME, so a temp HOME would not do).
"""

from __future__ import annotations

import contextlib
import getpass
import http.server
import os
import select
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from tests.integration.proxy import ENGINE_SOCKET

LOOPBACK = "127.0.0.1"
#: the variables that choose the docker CLI's (and dkr's) Engine; the endpoint tests clear them all
ENGINE_VARIABLES = ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_TLS", "DOCKER_CERT_PATH")
SSHD = Path("/usr/sbin/sshd")


class Forwarder:
    """127.0.0.1:<free port> -> the Engine's unix socket; with `tls`, a TLS server that requires a client
    certificate signed by the given CA. `handshake_errors` records what the TLS server rejected."""

    def __init__(self, tls: ssl.SSLContext | None = None, upstream: str = ENGINE_SOCKET) -> None:
        self.tls = tls
        self.upstream = upstream
        self.handshake_errors: list[str] = []
        #: connections that reached the Engine through this forwarder (proof a route really went this way)
        self.forwarded = 0
        self._listener = socket.create_server((LOOPBACK, 0), backlog=32)
        self._listener.settimeout(0.2)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"tcp://{LOOPBACK}:{self.port}"
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> Forwarder:
        self._spawn(self._accept)
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._stop.set()
        self._listener.close()
        for t in self._threads:
            t.join(timeout=2)

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        t = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(t)
        t.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            self._spawn(self._serve, conn)

    def _serve(self, conn: socket.socket) -> None:
        with contextlib.ExitStack() as stack:
            stack.callback(conn.close)
            if self.tls is not None:
                conn.settimeout(5)
                if _looks_like_http(conn):
                    # What dockerd answers (Go's net/http, server.go) when plain HTTP reaches its TLS port.
                    # The request is read first: closing with it unread would reset the connection, and
                    # over loopback the reset overtakes the answer.
                    conn.recv(65536)
                    conn.sendall(
                        b"HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"
                    )
                    conn.shutdown(socket.SHUT_WR)
                    return
                try:
                    conn = self.tls.wrap_socket(conn, server_side=True)
                except (ssl.SSLError, OSError) as exc:
                    self.handshake_errors.append(str(exc))
                    return
                stack.callback(conn.close)
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            stack.callback(upstream.close)
            upstream.connect(self.upstream)
            with self._lock:
                self.forwarded += 1
            _pump(conn, upstream, self._stop)


def _looks_like_http(conn: socket.socket) -> bool:
    with contextlib.suppress(OSError):
        return conn.recv(5, socket.MSG_PEEK) in (b"GET /", b"HEAD ", b"POST ", b"PUT /", b"DELET", b"OPTIO")
    return False


def _pump(a: socket.socket, b: socket.socket, stop: threading.Event) -> None:
    """Copy bytes both ways until either side closes. One thread per connection (not one per direction):
    an SSLSocket must not be read and written from two threads at once."""
    a.settimeout(5)
    b.settimeout(5)
    peer = {a: b, b: a}
    with contextlib.suppress(OSError):
        while not stop.is_set():
            pending = [s for s in (a,) if isinstance(s, ssl.SSLSocket) and s.pending()]
            readable = pending or select.select([a, b], [], [], 0.2)[0]
            for src in readable:
                data = src.recv(65536)
                if not data:
                    return
                peer[src].sendall(data)


class Blackhole:
    """A listening socket on 127.0.0.1 that never accepts: connecting works (the kernel completes the
    handshake), and then nothing ever answers."""

    def __init__(self) -> None:
        self._sock = socket.create_server((LOOPBACK, 0), backlog=8)
        self.port: int = self._sock.getsockname()[1]
        self.url = f"tcp://{LOOPBACK}:{self.port}"

    def __enter__(self) -> Blackhole:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._sock.close()


@contextlib.contextmanager
def not_docker(status: int, body: bytes, content_type: str) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 that answers every request with `status` and `body`."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_HEAD = do_POST = do_GET  # http.server dispatches on these names

        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

    server = http.server.ThreadingHTTPServer((LOOPBACK, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"tcp://{LOOPBACK}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=2)


# --- TLS material -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TlsFiles:
    """docker's file names: `DOCKER_CERT_PATH=client_dir` holds ca.pem, cert.pem and key.pem."""

    client_dir: Path
    ca: Path
    cert: Path
    key: Path
    server_cert: Path
    server_key: Path

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.server_cert, self.server_key)
        ctx.load_verify_locations(self.ca)
        ctx.verify_mode = ssl.CERT_REQUIRED  # dockerd --tlsverify: a client certificate from this CA
        return ctx


def _openssl(*args: str | Path, cwd: Path) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("the openssl CLI is missing (Debian: apt-get install openssl)")
    subprocess.run([openssl, *map(str, args)], cwd=cwd, check=True, capture_output=True, timeout=30)


def _ca(d: Path, name: str) -> tuple[Path, Path]:
    key, cert = d / f"{name}-key.pem", d / f"{name}.pem"
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key, "-out", cert, "-days", "2", "-subj", f"/CN=dkr test {name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        cwd=d,
    )  # fmt: skip
    return cert, key


def _leaf(d: Path, name: str, ca: tuple[Path, Path], cn: str, ext: str) -> tuple[Path, Path]:
    key, csr, cert = d / f"{name}-key.pem", d / f"{name}.csr", d / f"{name}-cert.pem"
    extfile = d / f"{name}.ext"
    extfile.write_text(
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
        f"subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n{ext}\n"
    )
    _openssl(
        "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key, "-out", csr, "-subj", f"/CN={cn}",
        cwd=d,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", csr, "-CA", ca[0], "-CAkey", ca[1], "-CAcreateserial",
        "-out", cert, "-days", "2", "-extfile", extfile,
        cwd=d,
    )  # fmt: skip
    return cert, key


def make_tls(d: Path) -> TlsFiles:
    """A CA, a server certificate (SAN 127.0.0.1 and localhost) and a client certificate, in `d`; the
    client's three files also under d/client with docker's names."""
    ca = _ca(d, "ca")
    server = _leaf(d, "server", ca, "localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                   "extendedKeyUsage=serverAuth")  # fmt: skip
    client = _leaf(d, "client", ca, "dkr-test-client", "extendedKeyUsage=clientAuth")
    client_dir = d / "client"
    client_dir.mkdir()
    shutil.copy(ca[0], client_dir / "ca.pem")
    shutil.copy(client[0], client_dir / "cert.pem")
    shutil.copy(client[1], client_dir / "key.pem")
    return TlsFiles(
        client_dir, client_dir / "ca.pem", client_dir / "cert.pem", client_dir / "key.pem", *server
    )


def make_other_ca(d: Path) -> Path:
    """A CA that signed nothing the server presents."""
    d.mkdir(parents=True, exist_ok=True)
    return _ca(d, "other-ca")[0]


# --- a private sshd ---------------------------------------------------------------------------------------


def _wait_listening(
    port: int, proc: subprocess.Popen[bytes], log: Path, deadline: float = 10, address: str = LOOPBACK
) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"sshd exited with {proc.returncode}: {log.read_text().strip()}")
        with contextlib.suppress(OSError), socket.create_connection((address, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"sshd did not listen on {address}:{port} within {deadline} s: {log.read_text()}")


class PrivateSshd:
    """sshd on 127.0.0.1:`port` (or `address` in network namespace `netns`), key authentication only, for
    the current user; `env` puts a `ssh` first on PATH that uses this run's client key, known_hosts and
    config (and nothing from ~/.ssh)."""

    def __init__(self, d: Path, port: int, address: str = LOOPBACK, netns: str | None = None) -> None:
        self.dir = d
        self.port = port
        self.address = address
        self.netns = netns
        self.user = getpass.getuser()
        self.url = f"ssh://{self.user}@{address}:{port}"
        self.log = d / "sshd.log"
        self._proc: subprocess.Popen[bytes] | None = None
        self._made_privsep_dir = False

    @property
    def env(self) -> dict[str, str]:
        return {"PATH": f"{self.dir / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}

    def sessions(self) -> int:
        """How many logins this sshd accepted so far."""
        return self.log.read_text(errors="replace").count("Accepted publickey for")

    def assert_no_ssh_left(self, wait: float = 3) -> None:
        """No ssh client of this run outlives the dkr that started it (they exit on EOF of their stdin)."""
        marker = b"-F\0" + str(self.dir / "ssh_config").encode() + b"\0"  # the shim's ssh and only it
        end = time.monotonic() + wait
        while True:
            left = []
            for proc in Path("/proc").iterdir():
                with contextlib.suppress(OSError):
                    cmdline = (proc / "cmdline").read_bytes()
                    if proc.name.isdigit() and marker in cmdline:
                        left.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
            if not left or time.monotonic() > end:
                break
            time.sleep(0.1)
        assert not left, left

    def __enter__(self) -> PrivateSshd:
        d = self.dir
        keygen = shutil.which("ssh-keygen")
        ssh = shutil.which("ssh")
        if keygen is None or ssh is None:
            raise RuntimeError("the OpenSSH client is missing (Debian: apt-get install openssh-client)")
        for name in ("host_ed25519", "id_ed25519"):
            subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-C", "dkr-test", "-f", d / name],
                           check=True, timeout=30)  # fmt: skip
        (d / "authorized_keys").write_text((d / "id_ed25519.pub").read_text())
        host_key = (d / "host_ed25519.pub").read_text().split()[:2]
        (d / "known_hosts").write_text(f"[{self.address}]:{self.port} {' '.join(host_key)}\n")
        (d / "sshd_config").write_text(
            f"Port {self.port}\nListenAddress {self.address}\nHostKey {d / 'host_ed25519'}\n"
            f"PidFile {d / 'sshd.pid'}\nUsePAM no\nAuthenticationMethods publickey\n"
            "PubkeyAuthentication yes\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
            f"AuthorizedKeysFile {d / 'authorized_keys'}\nAllowUsers {self.user}\n"
            # the temp dir lives under the world-writable /tmp, which StrictModes refuses
            "StrictModes no\nPermitRootLogin prohibit-password\nUseDNS no\nPrintMotd no\n"
            "PrintLastLog no\nLogLevel INFO\n"
        )
        (d / "ssh_config").write_text(
            f"Host *\n  IdentityFile {d / 'id_ed25519'}\n  IdentitiesOnly yes\n  IdentityAgent none\n"
            f"  UserKnownHostsFile {d / 'known_hosts'}\n  GlobalKnownHostsFile /dev/null\n"
            "  StrictHostKeyChecking yes\n  UpdateHostKeys no\n  ControlMaster no\n  LogLevel ERROR\n"
        )
        bin_dir = d / "bin"
        bin_dir.mkdir()
        shim = bin_dir / "ssh"
        shim.write_text(f'#!/bin/sh\nexec {ssh} -F {d / "ssh_config"} "$@"\n')
        shim.chmod(0o755)
        # sshd refuses to start without its privilege-separation directory (systemd's tmpfiles makes it at
        # boot; a container has none).
        privsep = Path("/run/sshd")
        if not privsep.exists():
            privsep.mkdir(mode=0o755)
            self._made_privsep_dir = True
        with self.log.open("wb") as log:
            enter = ["nsenter", f"--net=/run/netns/{self.netns}"] if self.netns else []
            self._proc = subprocess.Popen(
                [*enter, str(SSHD), "-D", "-e", "-f", str(d / "sshd_config")],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        try:
            _wait_listening(self.port, self._proc, self.log, address=self.address)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._made_privsep_dir:
            with contextlib.suppress(OSError):
                Path("/run/sshd").rmdir()
