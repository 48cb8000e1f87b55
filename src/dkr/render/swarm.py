"""The swarm and node commands' output: docker's `node ls` and `node ps` tables, JSON lines or templates; and
the words dkr says when a swarm publishes a port (`published_port_notice`, pure: the service commands call
it), since a swarm cannot hold dkr's loopback default."""

from __future__ import annotations

from collections.abc import Sequence

from dkr import render
from dkr.fields.swarm import (
    NODE_HEADERS,
    TASK_HEADERS,
    TASK_TABLE,
    node_fields,
    node_pretty,
    node_table_id,
    sorted_nodes,
    task_rows,
)
from dkr.models.containers import Outcome
from dkr.models.output import OutputFormat
from dkr.models.swarm import NodeList, SwarmPort, TaskList
from dkr.render.listing import render_listing
from dkr.render.tables import Fit

#: docker's default `node ls` table
NODE_TABLE = ("ID", "Hostname", "Status", "Availability", "ManagerStatus", "EngineVersion")
#: an id or a hostname stays whole; the states may go on a narrow terminal
NODE_FITS = {
    "ID": Fit(6), "Hostname": Fit(5), "Status": Fit(4), "Availability": Fit(2), "ManagerStatus": Fit(3),
    "EngineVersion": Fit(1),
}  # fmt: skip
TASK_FITS = {
    "ID": Fit(8), "Name": Fit(7), "Image": Fit(5, "cut", min_width=12), "Node": Fit(6),
    "DesiredState": Fit(2), "CurrentState": Fit(4, "cut", min_width=13), "Error": Fit(1, "cut", min_width=8),
    "Ports": Fit(3, "wrap", sep=","),
}  # fmt: skip


def render_nodes(listing: NodeList, fmt: OutputFormat, quiet: bool) -> None:
    """`docker node ls`: sorted by hostname; `*` after this node's id in the table; -q the ids alone."""
    nodes = sorted_nodes(listing.nodes)
    if quiet:
        render.results(n.id for n in nodes)
        return
    rows = [node_fields(n, listing.self_id, listing.cluster_tls) for n in nodes]
    if fmt.kind == "table":
        rows = [{**row, "ID": node_table_id(row)} for row in rows]
    render_listing([(row, {}) for row in rows], fmt, NODE_HEADERS, NODE_TABLE, NODE_FITS)


def render_tasks(listing: TaskList, fmt: OutputFormat, quiet: bool, trunc: bool) -> None:
    """`docker node ps`: sorted by task name, the older tasks of a slot indented in a table; -q the ids."""
    table = fmt.kind == "table" or bool(fmt.template and fmt.template.table)
    rows = task_rows(listing, trunc=trunc, table=table)
    if quiet:
        render.results(row["ID"] for row in rows)
        return
    render_listing([(row, {}) for row in rows], fmt, TASK_HEADERS, TASK_TABLE, TASK_FITS)


def show_pretty(found: Sequence[Outcome]) -> int:
    """`docker node inspect --pretty`: each node found as docker's text, then a line for each not found."""
    from dkr.errors import ExitCode
    from dkr.render.errors import message

    render.results(node_pretty(res.value) for res in found if res.error is None)
    failed = [res.error for res in found if res.error is not None]
    for exc in failed:
        render.error(message(exc))
    return ExitCode.FAILURE if failed else ExitCode.OK


# --- publishing a port on a swarm (issue 15, item 4) --------------------------------------------------------


def _port(port: SwarmPort) -> str:
    published = str(port.published) if port.published else "a port the swarm picks"
    return f"{published} -> {port.target}/{port.protocol}"


def published_port_notice(ports: Sequence[SwarmPort]) -> tuple[str, str] | None:
    """Pure: what dkr says (a note line and a hint line, for stderr) when a swarm service publishes `ports`,
    or None when it publishes none. A swarm cannot bind a published port to one address: whatever address
    was asked for, the port is reachable on every interface of every node (routing mesh, `mode=ingress`) or
    of every node that runs a task (`mode=host`); dkr's loopback default cannot hold there, so dkr says so
    rather than let it pass for safe, and says what keeps a port private."""
    if not ports:
        return None
    asked = sorted({p.requested_ip for p in ports if p.requested_ip})
    ingress = [p for p in ports if p.mode != "host"]
    host = [p for p in ports if p.mode == "host"]
    where = []
    if ingress:
        where.append(
            f"{', '.join(map(_port, ingress))} on every interface of every node in the swarm (routing mesh)"
        )
    if host:
        where.append(
            f"{', '.join(map(_port, host))} on every interface of each node that runs a task (mode=host)"
        )
    note = (
        "a swarm cannot bind a published port to one address"
        + (f" (not {', '.join(asked)})" if asked else ", so dkr's 127.0.0.1 default does not apply")
        + ": published "
        + "; and ".join(where)
        + "."
    )
    hint = (
        "To keep it private: publish with mode=host and close the port with a firewall on the nodes, or put "
        "the service on an internal overlay network (dkr network create -d overlay --internal) and publish "
        "no port."
    )
    return note, hint
