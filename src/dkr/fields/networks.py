"""Pure: docker's network listing fields (docker/cli formatter/network.go) for tables, JSON and templates."""

from __future__ import annotations

import re

from dkr.fields.containers import truncate_id
from dkr.models.networks import Network

#: `docker network ls --format json`'s keys (docker CLI 28)
COLUMNS = ("CreatedAt", "Driver", "ID", "IPv4", "IPv6", "Internal", "Labels", "Name", "Scope")
HEADERS = {
    "CreatedAt": "CREATED", "Driver": "DRIVER", "ID": "NETWORK ID", "IPv4": "IPV4", "IPv6": "IPV6",
    "Internal": "INTERNAL", "Labels": "LABELS", "Name": "NAME", "Scope": "SCOPE",
}  # fmt: skip
_RFC3339 = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)")


def go_time_string(rfc3339: str) -> str:
    """Go's time.Time.String() of a time the Engine sent as RFC 3339: `2006-01-02 15:04:05.999999999 -0700
    MST` (trailing zeros of the fraction dropped; UTC named UTC, another offset named by itself)."""
    match = _RFC3339.fullmatch(rfc3339)
    if not match:
        return rfc3339
    date, clock, fraction, zone = match.groups()
    fraction = (fraction or "").rstrip("0")
    offset = "+0000" if zone == "Z" else zone.replace(":", "")
    name = "UTC" if zone == "Z" else offset
    return f"{date} {clock}{'.' + fraction if fraction else ''} {offset} {name}"


def fields(network: Network, trunc: bool = True) -> dict[str, str]:
    """One network's values in docker's string forms."""
    return {
        "CreatedAt": go_time_string(network.created), "Driver": network.driver,
        "ID": truncate_id(network.id) if trunc else network.id,
        "IPv4": str(bool(network.raw.get("EnableIPv4"))).lower(),
        "IPv6": str(network.ipv6).lower(), "Internal": str(network.internal).lower(),
        "Labels": ",".join(f"{k}={v}" for k, v in sorted(network.labels.items())), "Name": network.name,
        "Scope": network.scope,
    }  # fmt: skip
