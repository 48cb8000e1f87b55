"""Pure: the swarm commands' option values, checked as the docker CLI checks them, before any Engine call."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from dkr.errors import UsageError, printable

#: `--listen-addr`'s default, and the port an address without one gets (docker/cli swarm/opts.go)
DEFAULT_LISTEN_ADDR = "0.0.0.0:2377"
JOIN_TOKEN_ROLES = ("worker", "manager")


def _split_host_port(addr: str) -> tuple[str, str] | None:
    """Go's net.SplitHostPort: `host:port` or `[host]:port`; None when it is not of that form."""
    if addr.startswith("["):
        end = addr.find("]")
        if end < 0 or not addr[end + 1 :].startswith(":"):
            return None
        host, port = addr[1:end], addr[end + 2 :]
    else:
        host, sep, port = addr.rpartition(":")
        if not sep or ":" in host:
            return None
    if any(ch in host for ch in "[]") or ":" in port:
        return None
    return host, port


def parse_node_addr(value: str, command: str, flag: str = "--listen-addr") -> str:
    """`--listen-addr` as docker/cli's NodeAddrOption reads it (opts.ParseTCPAddr over 0.0.0.0:2377):
    `IP`, `IP:PORT`, `:PORT`, `[v6]:PORT` or an interface name, the default host and port filled in;
    `host:port` back. Unlike Go's Atoi, the port must be digits up to 65535 (the Engine refuses the rest)."""
    default_host, default_port = DEFAULT_LISTEN_ADDR.split(":")
    if value in ("", "tcp://"):
        return DEFAULT_LISTEN_ADDR
    addr = value.removeprefix("tcp://")
    if "://" in addr or addr == "":
        raise UsageError(
            f"invalid argument '{printable(value)}' for {flag}: invalid proto, expected tcp", command
        )
    if addr.endswith("]:"):
        addr += default_port
    bad = UsageError(
        f"invalid argument '{printable(value)}' for {flag}: invalid bind address format", command
    )
    if "/" in addr or any(ch.isspace() for ch in addr):
        raise bad
    parts = _split_host_port(addr)
    if parts is None:
        # Go tries once more with the default port added (net.JoinHostPort brackets a host with a colon)
        parts = _split_host_port(f"[{addr}]:{default_port}" if ":" in addr else f"{addr}:{default_port}")
    if parts is None or not (
        parts[1] == "" or (parts[1].isascii() and parts[1].isdigit() and int(parts[1]) <= 65535)
    ):
        raise bad
    host, port = parts[0] or default_host, parts[1] or default_port
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def parse_addr_pools(values: Iterable[str], command: str) -> list[str]:
    """`--default-addr-pool CIDR` (repeatable, or comma-separated as pflag's IPNetSlice takes it): each
    network's address (host bits cleared, as net.ParseCIDR gives it) with its prefix length."""
    pools: list[str] = []
    for value in values:
        for item in value.split(","):
            try:
                if "/" not in item:  # net.ParseCIDR wants the prefix length; ip_network would take /32
                    raise ValueError(item)
                pools.append(str(ipaddress.ip_network(item.strip(), strict=False)))
            except ValueError:
                raise UsageError(
                    f"invalid argument '{printable(value)}' for --default-addr-pool: invalid CIDR address: "
                    f"{printable(item.strip())}",
                    command,
                ) from None
    return pools


def parse_pool_mask_length(value: int, command: str) -> int:
    """`--default-addr-pool-mask-length`: the subnet size carved out of the pools (docker's default 24)."""
    if not 0 <= value <= 32:
        raise UsageError(
            f"invalid --default-addr-pool-mask-length {value}: expected a prefix length from 0 to 32", command
        )
    return value


def parse_role(value: str, command: str) -> str:
    """`swarm join-token`'s argument: worker or manager (docker: "unknown role X")."""
    if value not in JOIN_TOKEN_ROLES:
        raise UsageError(f"unknown role {printable(value)} (expected worker or manager)", command)
    return value
