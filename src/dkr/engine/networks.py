"""Networks: create, list, inspect, remove, connect and disconnect (`network prune` is
engine.system.prune_networks)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from dkr.engine.client import Engine
from dkr.engine.objects import in_turn
from dkr.errors import DkrError
from dkr.models.networks import Network, NetworkSpec
from dkr.models.volumes import Outcome


def create_network(engine: Engine, spec: NetworkSpec) -> str:
    """POST /networks/create as docker sends it (CheckDuplicate; one IPAM pool with --subnet); the id."""
    from docker.types import IPAMConfig, IPAMPool

    ipam = None
    if spec.subnet:
        ipam = IPAMConfig(pool_configs=[IPAMPool(subnet=spec.subnet, gateway=spec.gateway)])
    with engine.errors(f"create network {spec.name}"):
        data: dict[str, Any] = engine.api.create_network(
            spec.name, driver=spec.driver, options=dict(spec.options) or None, ipam=ipam,
            check_duplicate=True, internal=spec.internal, labels=dict(spec.labels) or None,
            enable_ipv6=spec.ipv6, attachable=spec.attachable,
        )  # fmt: skip
    return str(data.get("Id") or "")


def list_networks(engine: Engine, *, filters: Mapping[str, list[str]]) -> list[Network]:
    """GET /networks, in one request."""
    with engine.errors("list networks"):
        data: list[dict[str, Any]] = engine.api.networks(filters=dict(filters) or None)
    return [Network.from_api(n) for n in data or ()]


def inspect_networks(engine: Engine, names: Iterable[str]) -> Iterator[Network | DkrError]:
    """GET /networks/{name} for each, in order."""
    for _, got in in_turn(engine, names, "inspect network", engine.api.inspect_network):
        yield got if isinstance(got, DkrError) else Network.from_api(got)


def remove_networks(engine: Engine, names: Iterable[str]) -> Iterator[Outcome]:
    """DELETE /networks/{name} for each, in order."""
    for name, got in in_turn(engine, names, "remove network", engine.api.remove_network):
        yield Outcome(name, got if isinstance(got, DkrError) else None)


def connect(engine: Engine, network: str, container: str, aliases: Iterable[str]) -> None:
    """POST /networks/{network}/connect."""
    with engine.errors(f"connect {container} to network {network}"):
        engine.api.connect_container_to_network(container, network, aliases=list(aliases) or None)


def disconnect(engine: Engine, network: str, container: str, force: bool) -> None:
    """POST /networks/{network}/disconnect."""
    with engine.errors(f"disconnect {container} from network {network}"):
        engine.api.disconnect_container_from_network(container, network, force=force)
