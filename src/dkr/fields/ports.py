"""Pure: PORTS as `docker ps` renders it (docker/cli formatter DisplayablePorts), and the IPv4/IPv6 twin
merge of dkr's human table. Apart from the `-p` grammar (dkr.grammars.ports), which `ps` never needs.

No I/O and standard library only.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping, Sequence

from dkr.models.containers import PortBinding


def join_host_port(host: str, port: str) -> str:
    """Go's net.JoinHostPort: brackets around a host that contains a colon (IPv6)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _ip_key(ip: str) -> tuple[int, int, str]:
    # docker orders by netip.Addr.Less: no address first, then IPv4 before IPv6, then numerically.
    if not ip:
        return (0, 0, "")
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return (3, 0, ip)
    return (addr.version, int(addr), "")


def _sort_key(p: PortBinding) -> tuple[int, tuple[int, int, str], int, str]:
    return (p.private_port, _ip_key(p.ip), p.public_port, p.type)


def _form_group(ip: str, proto: str, start: int, last: int) -> str:
    group = str(start) if start == last else f"{start}-{last}"
    if ip:
        group = f"{join_host_port(ip, group)}->{group}"
    return f"{group}/{proto}"


def displayable_ports(ports: Iterable[PortBinding]) -> str:
    """docker/cli's DisplayablePorts: sorted, consecutive ports collapsed into ranges where host = container
    port, host mappings to a different port listed last."""
    groups: dict[tuple[str, str], list[int]] = {}
    order: list[tuple[str, str]] = []
    result: list[str] = []
    host_mappings: list[str] = []
    for p in sorted(ports, key=_sort_key):
        current = p.private_port
        key = ("", p.type)
        if p.ip:
            if p.public_port != current:
                hp = join_host_port(p.ip, str(p.public_port))
                host_mappings.append(f"{hp}->{p.private_port}/{p.type}")
                continue
            key = (p.ip, p.type)
        group = groups.get(key)
        if group is None:
            groups[key] = [current, current]
            order.append(key)
            continue
        if current == group[1] + 1:
            group[1] = current
            continue
        result.append(_form_group(key[0], key[1], group[0], group[1]))
        groups[key] = [current, current]
    for key in order:
        first, last = groups[key]
        result.append(_form_group(key[0], key[1], first, last))
    result.extend(host_mappings)
    return ", ".join(result)


#: IPv4 address -> (its IPv6 twin, how the merged entry is shown)
_TWINS = {"0.0.0.0": ("::", "*"), "127.0.0.1": ("::1", "localhost")}


def merge_twins(ports: Sequence[PortBinding]) -> tuple[PortBinding, ...]:
    """For dkr's human table: a binding published on both 0.0.0.0 and :: (or 127.0.0.1 and ::1) with the same
    ports is one entry, shown on the pseudo-address `*` (or `localhost`)."""
    present = {(p.ip, p.public_port, p.private_port, p.type) for p in ports}
    out: list[PortBinding] = []
    for p in ports:
        twin = _TWINS.get(p.ip)
        if twin and (twin[0], p.public_port, p.private_port, p.type) in present:
            out.append(PortBinding(p.private_port, p.type, twin[1], p.public_port))
            continue
        if any(
            v6 == p.ip and (v4, p.public_port, p.private_port, p.type) in present
            for v4, (v6, _) in _TWINS.items()
        ):
            continue
        out.append(p)
    return tuple(out)


def _natural_key(line: str) -> list[int | str]:
    """docker port's order (fvbommel/sortorder NaturalLess): runs of digits compare as numbers. Every line
    starts with a port number, so the same position holds the same kind of run in every key."""
    return [int(part) if i % 2 else part for i, part in enumerate(re.split(r"(\d+)", line))]


def port_lines(ports: Mapping[str, Sequence[Mapping[str, str]] | None], private: str | None) -> list[str]:
    """`docker port`'s lines from NetworkSettings.Ports: `80/tcp -> 127.0.0.1:8080` for every published port,
    or for one PRIVATE_PORT[/PROTO] its host addresses alone (none: an empty list)."""
    if private is not None:
        port, _, proto = private.partition("/")
        bindings = ports.get(f"{port}/{proto or 'tcp'}") or ()
        return [join_host_port(b.get("HostIp", ""), b.get("HostPort", "")) for b in bindings]
    out = [
        f"{name} -> {join_host_port(b.get('HostIp', ''), b.get('HostPort', ''))}"
        for name, bindings in ports.items()
        for b in bindings or ()
    ]
    return sorted(out, key=_natural_key)
