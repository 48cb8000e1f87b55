"""dkr swarm init|join|join-token|leave: make a swarm, add nodes to it, leave it (docker's, thin).

Unlike docker, what is said for people goes to stderr: `init` and `join` print the node's id on stdout (a
result a script keeps), `leave` prints nothing there; `join-token` prints docker's instructions (or, -q, the
token) on stdout, as they are its result."""

from __future__ import annotations

import typer

from dkr.commands.common import command_group, repeated

_LISTEN_HELP = 'Listen address (format: "<ip|interface>[:port]"; default 0.0.0.0:2377).'
_ADVERTISE_HELP = 'Advertised address (format: "<ip|interface>[:port]").'


def init(
    ctx: typer.Context,
    listen_addr: str = typer.Option("", "--listen-addr", metavar="node-addr", help=_LISTEN_HELP),
    advertise_addr: str = typer.Option("", "--advertise-addr", metavar="string", help=_ADVERTISE_HELP),
    default_addr_pool: list[str] = repeated(
        "--default-addr-pool", metavar="CIDR", help="Default address pool for overlay networks."
    ),
    default_addr_pool_mask_length: int = typer.Option(
        24, "--default-addr-pool-mask-length", metavar="uint32", help="Subnet size taken from the pools."
    ),
    force_new_cluster: bool = typer.Option(
        False, "--force-new-cluster", help="Force create a new cluster from current state."
    ),
) -> None:
    """Initialize a swarm; prints this node's id (the join instructions go to stderr)."""
    from dkr.cli import state
    from dkr.options.swarm import parse_addr_pools, parse_node_addr, parse_pool_mask_length

    listen = parse_node_addr(listen_addr, "swarm init")
    pools = parse_addr_pools(default_addr_pool, "swarm init")
    mask = parse_pool_mask_length(default_addr_pool_mask_length, "swarm init")
    engine = state(ctx).engine
    from dkr import render
    from dkr.engine.swarm import init_swarm, join_info
    from dkr.fields.swarm import init_message

    node_id = init_swarm(
        engine,
        listen_addr=listen,
        advertise_addr=advertise_addr,
        default_addr_pool=pools,
        subnet_size=mask,
        force_new_cluster=force_new_cluster,
    )
    render.result(node_id)
    render.note(init_message(join_info(engine, node_id)))


def join(
    ctx: typer.Context,
    remote: str = typer.Argument(..., metavar="HOST:PORT", help="A manager's address."),
    token: str = typer.Option("", "--token", metavar="string", help="Token for entry into the swarm."),
    listen_addr: str = typer.Option("", "--listen-addr", metavar="node-addr", help=_LISTEN_HELP),
    advertise_addr: str = typer.Option("", "--advertise-addr", metavar="string", help=_ADVERTISE_HELP),
) -> None:
    """Join a swarm as a node and/or manager; prints this node's id."""
    from dkr.cli import state
    from dkr.options.swarm import parse_node_addr

    listen = parse_node_addr(listen_addr, "swarm join")
    engine = state(ctx).engine
    from dkr import render
    from dkr.engine.swarm import join_swarm

    node_id, manager = join_swarm(
        engine, remote, token=token, listen_addr=listen, advertise_addr=advertise_addr
    )
    render.result(node_id)
    render.note(f"This node joined a swarm as a {'manager' if manager else 'worker'}.")


def join_token(
    ctx: typer.Context,
    role: str = typer.Argument(..., metavar="(worker|manager)", help="Whose token: worker or manager."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Only display token."),
) -> None:
    """Manage join tokens: show how a worker or a manager joins this swarm."""
    from dkr.cli import state
    from dkr.options.swarm import parse_role

    role = parse_role(role, "swarm join-token")
    engine = state(ctx).engine
    from dkr import render
    from dkr.engine.swarm import join_info
    from dkr.fields.swarm import join_instructions

    info = join_info(engine)
    if quiet:
        render.result(info.manager_token if role == "manager" else info.worker_token)
    else:
        render.result(join_instructions(info, role))


def leave(
    ctx: typer.Context,
    force: bool = typer.Option(
        False, "-f", "--force", help="Force this node to leave the swarm, ignoring warnings."
    ),
) -> None:
    """Leave the swarm."""
    from dkr.cli import state

    engine = state(ctx).engine
    from dkr import render
    from dkr.engine.swarm import leave_swarm

    leave_swarm(engine, force=force)
    render.note("Node left the swarm.")


def register(app: typer.Typer) -> None:
    group = command_group(app, "swarm", "Manage the swarm: init, join, join-token, leave.")
    group.command("init")(init)
    group.command("join")(join)
    group.command("join-token")(join_token)
    group.command("leave")(leave)
