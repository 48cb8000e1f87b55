"""dkr node ls|inspect|ps: docker's node commands (on a swarm manager)."""

from __future__ import annotations

from collections.abc import Iterable

import typer

from dkr.commands.common import command_group, listing_format_option, repeated
from dkr.errors import DkrError, UsageError
from dkr.fields.swarm import NODE_COLUMNS, TASK_COLUMNS
from dkr.options.filters import parse_filters

#: `docker node ls --filter` keys (the Engine's node filters)
NODE_FILTERS = frozenset({"id", "label", "membership", "name", "node.label", "role"})
#: `docker node ps --filter` keys (the Engine's task filters; `node` is the command's own)
TASK_FILTERS = frozenset({"desired-state", "id", "label", "name", "service"})


def ls(
    ctx: typer.Context,
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Only display IDs."),
    filter: list[str] = repeated(
        "-f",
        "--filter",
        metavar="KEY=VALUE",
        help="Filter: id=, label=, node.label=, membership=accepted|pending, name=, role=manager|worker.",
    ),
    format: str = listing_format_option(),
) -> None:
    """List nodes in the swarm (on a manager); `*` marks the node dkr is talking to."""
    from dkr.cli import state
    from dkr.options.formats import parse_format

    checked = parse_filters(
        filter,
        NODE_FILTERS,
        "node ls",
        {"role": ("manager", "worker"), "membership": ("accepted", "pending")},
    )
    fmt = parse_format(format, "node ls", ("table", "json"), template_fields=NODE_COLUMNS)
    engine = state(ctx).engine
    from dkr.engine.swarm import list_nodes
    from dkr.render.swarm import render_nodes

    render_nodes(list_nodes(engine, filters=checked, with_self=not quiet), fmt, quiet)


def inspect(
    ctx: typer.Context,
    nodes: list[str] = typer.Argument(..., metavar="self|NODE...", help="Node ids, hostnames, or self."),
    format: str = typer.Option(
        "", "-f", "--format", metavar="json|TEMPLATE", help="json (the default) or a Go template."
    ),
    pretty: bool = typer.Option(False, "--pretty", help="Print the information in a human friendly format."),
) -> int:
    """Display detailed information on one or more nodes (docker's JSON array)."""
    from dkr.cli import state
    from dkr.options.formats import parse_format

    if pretty and format:
        raise UsageError("--pretty and --format cannot be used together", "node inspect")
    output = parse_format(format, "node inspect", ("json",), default="json", object_template=True)
    engine = state(ctx).engine
    from dkr.engine.swarm import inspect_nodes
    from dkr.models.containers import Outcome
    from dkr.render.inspect import show

    found = [
        Outcome(ref, error=got) if isinstance(got, Exception) else Outcome(ref, value=got.raw)
        for ref, got in inspect_nodes(engine, nodes)
    ]
    raise_swarm_refusal(res.error for res in found)
    if not pretty:
        return show(found, output)
    from dkr.render.swarm import show_pretty

    return show_pretty(found)


def ps(
    ctx: typer.Context,
    nodes: list[str] = typer.Argument(
        None, metavar="[NODE...]", help="Node ids or hostnames (default: self)."
    ),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Only display task IDs."),
    no_trunc: bool = typer.Option(False, "--no-trunc", help="Do not truncate output."),
    no_resolve: bool = typer.Option(False, "--no-resolve", help="Do not map IDs to Names."),
    filter: list[str] = repeated(
        "-f",
        "--filter",
        metavar="KEY=VALUE",
        help="Filter: desired-state=running|shutdown|accepted, id=, label=, name=, service=.",
    ),
    format: str = listing_format_option(),
) -> int:
    """List tasks running on one or more nodes, defaults to current node."""
    from dkr.cli import state
    from dkr.options.formats import parse_format

    checked = parse_filters(
        filter, TASK_FILTERS, "node ps", {"desired-state": ("running", "shutdown", "accepted")}
    )
    fmt = parse_format(format, "node ps", ("table", "json"), template_fields=TASK_COLUMNS)
    engine = state(ctx).engine
    from dkr import render
    from dkr.engine.swarm import node_tasks
    from dkr.errors import ExitCode
    from dkr.render.errors import message
    from dkr.render.swarm import render_tasks

    listing, failed = node_tasks(engine, nodes or ["self"], filters=checked, resolve=not no_resolve)
    raise_swarm_refusal(failed)
    if not failed or listing.tasks:
        render_tasks(listing, fmt, quiet, trunc=not no_trunc)
    for exc in failed:
        render.error(message(exc))
    return ExitCode.FAILURE if failed else ExitCode.OK


def raise_swarm_refusal(errors: Iterable[DkrError | None]) -> None:
    """A refusal for the node's swarm state (not a manager, ...) is the command's failure, with its hint,
    not one line per node."""
    from dkr.errors import SwarmRefused

    for exc in errors:
        if isinstance(exc, SwarmRefused):
            raise exc


def register(app: typer.Typer) -> None:
    group = command_group(app, "node", "Manage swarm nodes: ls, inspect, ps.")
    group.command("ls")(ls)
    group.command("inspect")(inspect)
    group.command("ps")(ps)
