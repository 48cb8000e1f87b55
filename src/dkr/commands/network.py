"""dkr network create|ls|inspect|rm|connect|disconnect|prune: docker's network commands."""

from __future__ import annotations

import ipaddress

import typer

from dkr.commands.common import command_group, filter_option, force_option, listing_format_option, repeated
from dkr.commands.common import prune as start_prune
from dkr.errors import UsageError
from dkr.fields.networks import COLUMNS
from dkr.options.common import shown
from dkr.options.filters import parse_filters

#: `docker network ls --filter` keys (the Engine's network filters)
NETWORK_FILTERS = frozenset({"dangling", "driver", "id", "label", "name", "scope", "type"})


def _check_pool(subnet: str | None, gateway: str | None) -> None:
    """--subnet and --gateway as docker/cli checks them: a gateway needs a subnet, and must be inside it."""
    if gateway is not None and subnet is None:
        raise UsageError("every ip-range or gateway must have a corresponding subnet", "network create")
    if subnet is None:
        return
    try:
        pool = ipaddress.ip_network(subnet, strict=False)
    except ValueError:
        raise UsageError(
            f"invalid --subnet {shown(subnet)}: expected a range, as 10.1.0.0/16", "network create"
        ) from None
    if gateway is not None:
        try:
            inside = ipaddress.ip_address(gateway) in pool
        except ValueError:
            inside = False
        if not inside:
            raise UsageError(f"no matching subnet for gateway {shown(gateway)}", "network create")


def create(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NETWORK", help="Its name."),
    driver: str = typer.Option("bridge", "-d", "--driver", metavar="DRIVER", help="The network driver."),
    label: list[str] = repeated("--label", metavar="K=V", help="Set a label."),
    opt: list[str] = repeated("-o", "--opt", metavar="K=V", help="Set a driver option."),
    internal: bool = typer.Option(False, "--internal", help="Restrict external access to the network."),
    attachable: bool = typer.Option(False, "--attachable", help="Let standalone containers attach."),
    ipv6: bool = typer.Option(False, "--ipv6", help="Enable IPv6 networking."),
    subnet: str | None = typer.Option(None, "--subnet", metavar="CIDR", help="The network's address range."),
    gateway: str | None = typer.Option(None, "--gateway", metavar="IP", help="Its gateway (needs --subnet)."),
) -> None:
    """Create a network; prints its id."""
    from dkr.cli import state
    from dkr.models.networks import NetworkSpec
    from dkr.options.run import parse_driver_options, parse_labels

    if not name.strip():
        raise UsageError("invalid network name '': name the network", "network create")
    _check_pool(subnet, gateway)
    spec = NetworkSpec(
        name=name, driver=driver, internal=internal, attachable=attachable, ipv6=ipv6, subnet=subnet,
        gateway=gateway, options=parse_driver_options(opt, "network create"),
        labels=parse_labels(label, "network create"),
    )  # fmt: skip
    engine = state(ctx).engine
    from dkr import render
    from dkr.engine.networks import create_network

    render.result(create_network(engine, spec))


def ls(
    ctx: typer.Context,
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Only display network ids."),
    no_trunc: bool = typer.Option(False, "--no-trunc", help="Do not truncate the ids."),
    filter: list[str] = repeated(
        "-f",
        "--filter",
        metavar="KEY=VALUE",
        help="Filter: dangling=, driver=, id=, label=, name=, scope=, type=.",
    ),
    format: str = listing_format_option(),
) -> None:
    """List networks."""
    from dkr.cli import state
    from dkr.options.formats import parse_format

    checked = parse_filters(filter, NETWORK_FILTERS, "network ls", {"type": ("custom", "builtin")})
    fmt = parse_format(format, "network ls", ("table", "json"), template_fields=COLUMNS)
    engine = state(ctx).engine
    from dkr.engine.networks import list_networks
    from dkr.render.networks import render_networks

    render_networks(list_networks(engine, filters=checked), fmt, quiet, trunc=not no_trunc)


def inspect(
    ctx: typer.Context,
    networks: list[str] = typer.Argument(..., metavar="NETWORK...", help="Network names or ids."),
) -> int:
    """Display detailed information on one or more networks (docker's JSON array)."""
    from dkr.cli import state

    engine = state(ctx).engine
    from dkr.engine.networks import inspect_networks
    from dkr.models.networks import Network
    from dkr.render.listing import inspect_report

    return inspect_report(n.raw if isinstance(n, Network) else n for n in inspect_networks(engine, networks))


def rm(
    ctx: typer.Context,
    networks: list[str] = typer.Argument(..., metavar="NETWORK...", help="Network names or ids."),
) -> int:
    """Remove one or more networks; echoes each once removed."""
    from dkr.cli import state

    engine = state(ctx).engine
    from dkr.engine.networks import remove_networks
    from dkr.render.listing import removal_report

    return removal_report(remove_networks(engine, networks))


def connect(
    ctx: typer.Context,
    network: str = typer.Argument(..., metavar="NETWORK", help="The network."),
    container: str = typer.Argument(..., metavar="CONTAINER", help="The container."),
    alias: list[str] = repeated("--alias", metavar="NAME", help="Another name for the container there."),
) -> None:
    """Connect a container to a network."""
    from dkr.cli import state
    from dkr.options.common import check_container_refs

    check_container_refs([container], "network connect")
    if "" in alias:
        raise UsageError("invalid --alias '': an alias is a host name", "network connect")
    engine = state(ctx).engine
    from dkr.engine.networks import connect as attach

    attach(engine, network, container, alias)


def disconnect(
    ctx: typer.Context,
    network: str = typer.Argument(..., metavar="NETWORK", help="The network."),
    container: str = typer.Argument(..., metavar="CONTAINER", help="The container."),
    force: bool = typer.Option(False, "-f", "--force", help="Force the container to disconnect."),
) -> None:
    """Disconnect a container from a network."""
    from dkr.cli import state
    from dkr.options.common import check_container_refs

    check_container_refs([container], "network disconnect")
    engine = state(ctx).engine
    from dkr.engine.networks import disconnect as detach

    detach(engine, network, container, force)


def prune(ctx: typer.Context, filter: list[str] = filter_option(), force: bool = force_option()) -> None:
    """Remove all custom networks not used by at least one container. Asks first on a terminal; -f without
    one."""
    warning = "This will remove all custom networks not used by at least one container."
    engine, filters = start_prune(ctx, "network prune", filter, force, warning, "networks")
    from dkr import render
    from dkr.engine.system import prune_networks
    from dkr.render.images import pruned_lines

    # docker's network prune reports no reclaimed space: networks take none
    render.results(pruned_lines(prune_networks(engine, filters=filters), "Networks"))


def register(app: typer.Typer) -> None:
    group = command_group(
        app, "network", "Manage networks: create, ls, inspect, rm, connect, disconnect, prune."
    )
    for name, command in (
        ("create", create), ("ls", ls), ("inspect", inspect), ("rm", rm), ("connect", connect),
        ("disconnect", disconnect), ("prune", prune),
    ):  # fmt: skip
        group.command(name)(command)
