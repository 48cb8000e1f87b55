"""The ssh:// transport: every HTTP connection is an `ssh ... docker system dial-stdio` process.

Hand-written rather than the SDK's, because the SDK's cannot serve here: docker.transport.sshconn imports
paramiko at module level, so without paramiko (and its cryptography stack, a heavy import on every call)
the SDK refuses ssh:// even with use_ssh_client=True; and its shell-out socket reads through a buffered pipe,
so socket timeouts never apply (a silent host hangs instead of failing within the contract's 10 s).

This does what the docker CLI does (cli/connhelper: run ssh, speak HTTP over its stdin/stdout), with the
process's stdin/stdout on one end of a socketpair: the other end is a real socket, so timeouts, the
SDK's hijacked streams (attach, logs -f) and half-close all work as they do over the unix socket.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import socket
import subprocess
import tempfile
import threading
import time
from typing import IO

import urllib3
import urllib3.connection
import urllib3.connectionpool

from dkr.engine import sdk
from dkr.hosts import SshTarget


class SshDialer:
    """Starts one ssh process per connection and remembers why one failed."""

    def __init__(self, target: SshTarget, connect_timeout: int, argv: list[str] | None = None) -> None:
        self.target = target
        #: the Engine's `docker system dial-stdio` by default; `forward_argv` for a port on the Engine's host
        self.argv = argv or target.argv(connect_timeout)
        self._lock = threading.Lock()
        self._procs: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []
        self._dial_error: str | None = None

    def dial(self, timeout: float | None) -> socket.socket:
        ours, theirs = socket.socketpair()
        stderr = tempfile.TemporaryFile()  # noqa: SIM115  # lives as long as the connection; close() closes it
        try:
            with theirs:
                # A new session: no controlling terminal (ssh cannot stop the CLI with a prompt; BatchMode
                # makes it fail instead) and no SIGINT from the terminal's Ctrl-C, so that dkr's own Ctrl-C
                # handling (stop the container it runs) still has a connection. docker-py ignores SIGINT in
                # its ssh child for the same reason.
                fd = theirs.fileno()
                proc = subprocess.Popen(self.argv, stdin=fd, stdout=fd, stderr=stderr, start_new_session=True)
        except OSError as exc:
            ours.close()
            stderr.close()
            missing = isinstance(exc, FileNotFoundError)
            with self._lock:
                self._dial_error = "no ssh client on PATH" if missing else f"cannot run ssh: {exc}"
            raise
        with self._lock:
            self._procs.append((proc, stderr))
        ours.settimeout(timeout)
        return ours

    def failure(self) -> str | None:
        """ssh's own message (its last stderr line) if a connection's ssh exited with an error: refused,
        authentication, host key, no docker CLI on the remote machine, ..."""
        with self._lock:
            if self._dial_error:
                return self._dial_error
            procs = list(self._procs)
        for proc, stderr in reversed(procs):
            # The socket reports EOF as the process exits: give the exit status a moment to arrive.
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=0.5)
            if proc.returncode:
                stderr.seek(0)
                lines = [ln.strip() for ln in stderr.read().decode(errors="replace").splitlines()]
                lines = [ln for ln in lines if ln]
                return lines[-1] if lines else f"ssh exited with status {proc.returncode}"
        return None

    def close(self) -> None:
        with self._lock:
            procs, self._procs = self._procs, []
        for proc, stderr in procs:
            if proc.poll() is None:
                proc.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=2)
            stderr.close()


class _SshConnection(urllib3.connection.HTTPConnection):
    def __init__(self, dialer: SshDialer, timeout: float | None) -> None:
        super().__init__("localhost", timeout=timeout)
        self._dialer = dialer
        self._dial_timeout = timeout

    def connect(self) -> None:
        self.sock = self._dialer.dial(self._dial_timeout)


class _SshPool(urllib3.connectionpool.HTTPConnectionPool):
    def __init__(self, dialer: SshDialer, timeout: float | None, maxsize: int) -> None:
        super().__init__("localhost", timeout=timeout, maxsize=maxsize)
        self._dialer = dialer
        self._conn_timeout = timeout

    def _new_conn(self) -> _SshConnection:
        return _SshConnection(self._dialer, self._conn_timeout)


def ssh_adapter(dialer: SshDialer, timeout: float | None, max_pool_size: int) -> sdk.PoolAdapter:
    """A requests adapter whose one pool dials through ssh (mounted like the SDK's unix-socket adapter);
    closing it ends the ssh processes."""
    return sdk.PoolAdapter(_SshPool(dialer, timeout, max_pool_size), dialer.close)


#: what `ssh -vv` logs once the remote host has connected a `-W` forward (channel open confirmation)
_FORWARD_OPEN = "open confirm"


def probe_port(target: SshTarget, host: str, port: int, connect_timeout: int, settle: float) -> bool:
    """Whether something answers on HOST:PORT *as the ssh host sees it* (its loopback for 127.0.0.1), with
    the semantics of dkr.engine.run.probe: connected, and neither closed nor reset within `settle` seconds.
    `ssh -W` carries the connection; its `-vv` log says when the remote connect succeeded ("open confirm")
    or failed (ssh exits), which the stream alone cannot tell from a server that stays quiet."""
    argv = target.forward_argv(host, port, connect_timeout)
    ours, theirs = socket.socketpair()
    with ours:
        try:
            with theirs:
                fd = theirs.fileno()
                proc = subprocess.Popen(
                    [argv[0], "-vv", *argv[1:]],
                    stdin=fd,
                    stdout=fd,
                    stderr=subprocess.PIPE,
                    start_new_session=True,
                )
        except OSError:
            return False
        try:
            if not _forward_opened(proc, connect_timeout + 1.0):
                return False
            ours.settimeout(settle)
            try:
                return bool(ours.recv(1, socket.MSG_PEEK))  # a greeting: a server; b"": hung up at once
            except TimeoutError:
                return True  # open and quiet: a server waiting for its client to speak
            except OSError:
                return False
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            assert proc.stderr is not None
            proc.stderr.close()


def _forward_opened(proc: subprocess.Popen[bytes], timeout: float) -> bool:
    """Read ssh's log until the forward is open (True), or ssh exits or `timeout` passes (False)."""
    assert proc.stderr is not None
    deadline = time.monotonic() + timeout
    pending = b""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stderr, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if not sel.select(left):
                continue
            chunk = os.read(proc.stderr.fileno(), 65536)
            if not chunk:
                return False  # ssh exited: refused, unreachable, authentication
            pending = (pending + chunk)[-4096:]
            if _FORWARD_OPEN.encode() in pending:
                return True
    return False
