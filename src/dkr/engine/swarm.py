"""Swarm and nodes: init, join, join tokens, leave; list, inspect and the tasks on nodes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from dkr.engine import sdk
from dkr.engine.client import Engine
from dkr.engine.objects import in_turn
from dkr.errors import DkrError, EngineError
from dkr.models.swarm import JoinInfo, Node, NodeList, Task, TaskList, TlsInfo


def _info(engine: Engine) -> dict[str, Any]:
    with engine.errors("read the Engine's swarm state"):
        info: dict[str, Any] = engine.api.info()
    return info


def self_id(engine: Engine) -> str:
    """This node's id (docker/cli node.Reference("self")): from GET /info; a node that is not a manager
    gets the Engine's own refusal of a manager's request."""
    node_id = str((_info(engine).get("Swarm") or {}).get("NodeID") or "")
    if not node_id:
        with engine.errors("list nodes"):
            engine.api.nodes()  # the Engine says why: not in a swarm, a worker, ...
        raise EngineError("node ID not found in /info", "find this node")
    return node_id


def init_swarm(
    engine: Engine,
    *,
    listen_addr: str,
    advertise_addr: str | None,
    default_addr_pool: Sequence[str],
    subnet_size: int | None,
    force_new_cluster: bool,
) -> str:
    """POST /swarm/init; the new manager's node id."""
    with engine.errors("initialize a swarm"):
        node_id = engine.api.init_swarm(
            advertise_addr=advertise_addr or None,
            listen_addr=listen_addr,
            force_new_cluster=force_new_cluster,
            default_addr_pool=list(default_addr_pool) or None,
            subnet_size=subnet_size if default_addr_pool else None,
        )
    return str(node_id)


def join_info(engine: Engine, node_id: str | None = None) -> JoinInfo:
    """The tokens and the address a new node joins at: this manager's (docker's printJoinCommand)."""
    node_id = node_id or self_id(engine)
    with engine.errors("read the swarm's join tokens"):
        swarm: dict[str, Any] = engine.api.inspect_swarm()
        node: dict[str, Any] = engine.api.inspect_node(node_id)
    tokens = swarm.get("JoinTokens") or {}
    return JoinInfo(
        node_id=node_id,
        manager_addr=str((node.get("ManagerStatus") or {}).get("Addr") or ""),
        worker_token=str(tokens.get("Worker") or ""),
        manager_token=str(tokens.get("Manager") or ""),
    )


def join_swarm(
    engine: Engine, remote: str, *, token: str, listen_addr: str, advertise_addr: str | None
) -> tuple[str, bool]:
    """POST /swarm/join (the Engine answers once the node has joined); (this node's id, whether it joined
    as a manager)."""
    with engine.errors("join the swarm"):
        engine.api.join_swarm([remote], token, listen_addr=listen_addr, advertise_addr=advertise_addr or None)
    swarm = _info(engine).get("Swarm") or {}
    return str(swarm.get("NodeID") or ""), bool(swarm.get("ControlAvailable"))


def leave_swarm(engine: Engine, *, force: bool) -> None:
    """POST /swarm/leave. Not the SDK's leave_swarm: with force it hides the Engine's "not part of a swarm",
    which docker reports."""
    with engine.errors("leave the swarm"):
        sdk.post(engine.api, "/swarm/leave", params={"force": "1" if force else "0"})


def list_nodes(engine: Engine, *, filters: Mapping[str, list[str]], with_self: bool) -> NodeList:
    """GET /nodes; with `with_self` (a table or JSON, not -q), GET /info as well for this node's id and the
    cluster's TLS trust, as docker asks only then and only when there are nodes."""
    with engine.errors("list nodes"):
        data: list[dict[str, Any]] = engine.api.nodes(filters=dict(filters) or None)
    nodes = [Node.from_api(n) for n in data]
    if not (with_self and nodes):
        return NodeList(nodes)
    swarm = _info(engine).get("Swarm") or {}
    cluster = swarm.get("Cluster")
    return NodeList(
        nodes,
        str(swarm.get("NodeID") or ""),
        TlsInfo.from_api(cluster.get("TLSInfo")) if cluster else None,
    )


def inspect_nodes(engine: Engine, refs: Iterable[str]) -> Iterator[tuple[str, Node | DkrError]]:
    """GET /nodes/{ref} for each, in order (`self`: this node): the node, or why it could not be read."""
    me = ""

    def inspect(ref: str) -> Node:
        nonlocal me
        if ref == "self":
            me = me or self_id(engine)
            ref = me
        data: dict[str, Any] = engine.api.inspect_node(ref)
        return Node.from_api(data)

    yield from in_turn(engine, refs, "inspect node", inspect)


def node_tasks(
    engine: Engine, refs: Sequence[str], *, filters: Mapping[str, list[str]], resolve: bool
) -> tuple[TaskList, list[DkrError]]:
    """`node ps`: for each node (`self`: this one) GET /nodes/{ref}, then GET /tasks?filters={node: id};
    with `resolve`, the names that the NAME and NODE columns show, from one GET /services and one GET
    /nodes (docker asks once per id). What failed is returned beside what did not, as docker prints both."""
    tasks: list[Task] = []
    failed: list[DkrError] = []
    for ref, node in inspect_nodes(engine, refs):
        if isinstance(node, DkrError):
            failed.append(node)
            continue
        try:
            with engine.errors(f"list the tasks of node {ref}"):
                found: list[dict[str, Any]] = engine.api.tasks(filters={**filters, "node": [node.id]})
        except DkrError as exc:
            failed.append(exc)
            continue
        tasks.extend(Task.from_api(t) for t in found)
    if not resolve or not tasks:
        return TaskList(tasks), failed
    with engine.errors("list services"):
        services: list[dict[str, Any]] = engine.api.services()
    with engine.errors("list nodes"):
        nodes: list[dict[str, Any]] = engine.api.nodes()
    return (
        TaskList(
            tasks,
            service_names={str(s.get("ID")): str((s.get("Spec") or {}).get("Name") or "") for s in services},
            node_names={
                str(n.get("ID")): str((n.get("Description") or {}).get("Hostname") or "") for n in nodes
            },
        ),
        failed,
    )
