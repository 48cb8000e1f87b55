"""Where a published port really is, seen from the machine dkr runs on.

The Engine binds published ports on *its own* host. With a local Engine that is this machine; with a
tcp:// or ssh:// Engine elsewhere, dkr's loopback default (127.0.0.1) is the remote host's loopback, which
nothing on this machine reaches directly. This module says, for one binding and one Engine endpoint, where
`--wait` must probe it (directly, through the ssh connection, or nowhere from here) and what the user is
told. Pure: no I/O (whether a tcp:// host is this machine is decided by the caller, see PortsHost.of).
"""

from __future__ import annotations

import ipaddress
import shlex
from dataclasses import dataclass
from typing import Literal

from dkr.hosts import SshTarget
from dkr.models.run import PublishedPort

Kind = Literal["here", "tcp", "ssh"]

_WILDCARDS = ("", "0.0.0.0", "::")


def is_loopback(address: str) -> bool:
    """127.0.0.0/8, ::1 and "localhost" (the names a binding or a tcp:// host uses for loopback)."""
    if address.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


@dataclass(frozen=True)
class Reach:
    """How one published port is reached from here."""

    port: PublishedPort
    #: where to connect, or None when this machine cannot reach it at all (a remote host's loopback over tcp://)
    dial: tuple[str, int] | None
    #: True: connect through the ssh connection to the Engine's host (`ssh -W`), to `dial` as seen there
    via_ssh: bool
    #: the address a user opens (host:port), as this machine sees it
    shown: str
    #: what else the user must know (where the port is, how to reach it), or ""
    note: str = ""

    @property
    def url(self) -> str:
        """What the started message shows: an http:// URL for a TCP port this machine reaches."""
        return f"http://{self.shown}" if self.port.proto == "tcp" and self.dial is not None else self.shown


@dataclass(frozen=True)
class PortsHost:
    """The host whose interfaces an Engine's published ports are on: this machine ("here"), a tcp://
    Engine's host, or an ssh:// Engine's host."""

    kind: Kind
    #: the Engine's host name or address ("" here)
    host: str = ""
    ssh: SshTarget | None = None

    @classmethod
    def of(cls, url: str, ssh: SshTarget | None = None, *, tcp_host_is_here: bool = False) -> PortsHost:
        """From the Engine endpoint's URL. unix://, fd:// and npipe:// Engines are here; so is a tcp://
        Engine on a loopback address, or on an address the caller found is this machine's."""
        if url.startswith("ssh://") and ssh is not None:
            return cls("ssh", ssh.host, ssh)
        if url.startswith(("tcp://", "http://", "https://")):
            netloc = url.split("://", 1)[1].split("/", 1)[0]
            host = netloc.rsplit(":", 1)[0] if not netloc.endswith("]") else netloc
            host = host.strip("[]")
            if not (is_loopback(host) or tcp_host_is_here):
                return cls("tcp", host)
        return cls("here")

    def reach(self, port: PublishedPort) -> Reach:
        bound = port.host_ip
        remote_port = port.host_port
        if self.kind == "here":
            return Reach(port, (port.dial_host, remote_port), False, port.address)
        host = self.host
        if self.kind == "tcp":
            if bound in _WILDCARDS:
                return Reach(port, (host, remote_port), False, f"{_bracketed(host)}:{remote_port}")
            if is_loopback(bound):
                wide = f"-p 0.0.0.0:{remote_port}:{port.container_port}"
                return Reach(
                    port,
                    None,
                    False,
                    port.address,
                    f"on the loopback of the Engine's host {host}, not reachable from here (publish on its "
                    f"network with {wide}, or connect from {host})",
                )
            return Reach(port, (bound, remote_port), False, port.address)
        # ssh: every binding is probed through the ssh connection, at the address the remote host dials
        assert self.ssh is not None
        if bound in _WILDCARDS:
            shown = f"{_bracketed(host)}:{remote_port}"
            return Reach(port, (port.dial_host, remote_port), True, shown)
        if is_loopback(bound):
            forward = self.forward_command(port.dial_host, remote_port)
            return Reach(
                port,
                (port.dial_host, remote_port),
                True,
                f"127.0.0.1:{remote_port}",
                f"on {host}'s loopback: forward it with `{forward}`",
            )
        return Reach(port, (bound, remote_port), True, port.address)

    def forward_command(self, remote_host: str, remote_port: int) -> str:
        """`ssh -N -L PORT:HOST:PORT [-p P] [user@]host`: the same port number on this machine's loopback."""
        assert self.ssh is not None
        target = self.ssh
        port = ["-p", str(target.port)] if target.port is not None else []
        login = f"{target.user}@{target.host}" if target.user else target.host
        local = f"{remote_port}:{_bracketed(remote_host)}:{remote_port}"
        return shlex.join(["ssh", "-N", "-L", local, *port, login])
