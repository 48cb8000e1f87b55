"""Pure: docker's node and task fields (docker/cli node/formatter.go, task/formatter.go and task/print.go) for
`node ls`, `node ps` and `node inspect --pretty`, and the words `swarm init` and `swarm join-token` print."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from dkr.fields.containers import ellipsis, truncate_id
from dkr.fields.system import parse_time
from dkr.fields.volumes import natural_key
from dkr.grammars.reference import InvalidReference, parse_normalized
from dkr.grammars.units import bytes_size, human_duration
from dkr.models.swarm import JoinInfo, Node, Task, TaskList, TlsInfo

#: `docker node ls --format json`'s keys
NODE_COLUMNS = (
    "Availability",
    "EngineVersion",
    "Hostname",
    "ID",
    "ManagerStatus",
    "Self",
    "Status",
    "TLSStatus",
)
NODE_HEADERS = {
    "Availability": "AVAILABILITY", "EngineVersion": "ENGINE VERSION", "Hostname": "HOSTNAME", "ID": "ID",
    "ManagerStatus": "MANAGER STATUS", "Self": "", "Status": "STATUS", "TLSStatus": "TLS STATUS",
}  # fmt: skip
#: `docker node ps --format json`'s keys
TASK_COLUMNS = ("CurrentState", "DesiredState", "Error", "ID", "Image", "Name", "Node", "Ports")
TASK_HEADERS = {
    "CurrentState": "CURRENT STATE", "DesiredState": "DESIRED STATE", "Error": "ERROR", "ID": "ID",
    "Image": "IMAGE", "Name": "NAME", "Node": "NODE", "Ports": "PORTS",
}  # fmt: skip
#: docker's default `node ps` table
TASK_TABLE = ("ID", "Name", "Image", "Node", "DesiredState", "CurrentState", "Error", "Ports")
#: how long an error may be in `node ps` before it is cut (task/formatter.go maxErrLength)
MAX_ERROR_LENGTH = 30


def pretty(value: str) -> str:
    """formatter.PrettyPrint: the first letter upper-cased, the rest lower-cased."""
    if len(value) <= 1:
        return value.lower()
    return value[0].upper() + value[1:].lower()


# --- node ls ------------------------------------------------------------------------------------------------


def tls_status(node: Node, cluster: TlsInfo | None) -> str:
    if cluster is None or cluster.empty or node.tls.empty:
        return "Unknown"
    return "Ready" if node.tls == cluster else "Needs Rotation"


def node_fields(node: Node, self_id: str = "", cluster: TlsInfo | None = None) -> dict[str, Any]:
    """One node's values in docker's forms (`Self` a bool, as docker's JSON has it)."""
    return {
        "Availability": pretty(node.availability), "EngineVersion": node.engine_version,
        "Hostname": node.hostname, "ID": node.id, "ManagerStatus": pretty(node.manager_status or ""),
        "Self": node.id == self_id, "Status": pretty(node.state), "TLSStatus": tls_status(node, cluster),
    }  # fmt: skip


def node_table_id(fields: Mapping[str, Any]) -> str:
    """The first column of docker's table: `{{.ID}} {{if .Self}}*{{else}} {{ end }}`."""
    return f"{fields['ID']} {'*' if fields['Self'] else ' '}"


def sorted_nodes(nodes: list[Node]) -> list[Node]:
    """As docker lists them: by hostname, in natural order."""
    return sorted(nodes, key=lambda n: natural_key(n.hostname))


# --- node ps ------------------------------------------------------------------------------------------------


def _image(image: str, trunc: bool) -> str:
    """A task's image; truncated, a name:tag without its digest (as docker shows a pinned image)."""
    if not trunc:
        return image
    try:
        ref = parse_normalized(image)
    except InvalidReference:
        return image
    if not ref.tag:
        return image
    return f"{ref.familiar_name}:{ref.tag}"


def _current_state(task: Task, now: float) -> str:
    parsed = parse_time(task.timestamp)
    since = now - parsed[0] if parsed else now  # Go's zero time: long ago
    return f"{pretty(task.state)} {human_duration(since).lower()} ago"


def _error(task: Task, trunc: bool) -> str:
    text = ellipsis(task.error, MAX_ERROR_LENGTH) if trunc else task.error
    return f'"{text}"' if text else ""


def _ports(task: Task) -> str:
    return ",".join(f"*:{p.published}->{p.target}/{p.protocol}" for p in task.ports)


def task_name(task: Task, names: TaskList) -> str:
    """`SERVICE.SLOT`, or `SERVICE.NODE-ID` for a global service's task (task/print.go generateTaskNames);
    an id that did not resolve stands for its name."""
    service = names.service_names.get(task.service_id) or task.service_id
    return f"{service}.{task.slot}" if task.slot else f"{service}.{task.node_id}"


def task_rows(
    listing: TaskList, *, trunc: bool = True, table: bool = True, now: float | None = None
) -> list[dict[str, str]]:
    """docker's `node ps` rows: sorted by name (natural order), the newest first within a slot, and in a
    table the older tasks of a slot indented under the newest (` \\_ `)."""
    now = time.time() if now is None else now

    def created(task: Task) -> float:
        parsed = parse_time(task.created_at)
        return parsed[0] if parsed else 0.0

    named = [(task_name(t, listing), t) for t in listing.tasks]
    named.sort(key=lambda pair: (natural_key(pair[0]), -created(pair[1])))
    rows, previous = [], None
    for name, task in named:
        node = listing.node_names.get(task.node_id) or task.node_id
        shown = f" \\_ {name}" if table and name == previous else name
        previous = name
        rows.append(
            {
                "CurrentState": _current_state(task, now), "DesiredState": pretty(task.desired_state),
                "Error": _error(task, trunc), "ID": truncate_id(task.id) if trunc else task.id,
                "Image": _image(task.image, trunc), "Name": shown, "Node": node, "Ports": _ports(task),
            }
        )  # fmt: skip
    return rows


# --- node inspect --pretty ----------------------------------------------------------------------------------


def _labels(labels: Mapping[str, str]) -> list[str]:
    return [f" - {k}={v}" if v else f" - {k}" for k, v in sorted(labels.items())]


def node_pretty(node: Mapping[str, Any]) -> str:
    """docker's `node inspect --pretty` text of one node (node/formatter.go nodeInspectPrettyTemplate)."""
    spec, desc = node.get("Spec") or {}, node.get("Description") or {}
    status, manager = node.get("Status") or {}, node.get("ManagerStatus")
    platform, resources = desc.get("Platform") or {}, desc.get("Resources") or {}
    engine, tls = desc.get("Engine") or {}, desc.get("TLSInfo") or {}
    lines = [f"ID:\t\t\t{node.get('ID') or ''}"]
    if spec.get("Name"):
        lines.append(f"Name:\t\t\t{spec['Name']}")
    if spec.get("Labels"):
        lines += ["Labels:", *_labels(spec["Labels"])]
    joined = parse_time(str(node.get("CreatedAt") or ""))
    lines += [
        f"Hostname:              \t{desc.get('Hostname') or ''}",
        f"Joined at:             \t{pretty(joined[1]) if joined else '0001-01-01 00:00:00 +0000 utc'}",
        "Status:",
        f" State:\t\t\t{pretty(str(status.get('State') or ''))}",
    ]
    if status.get("Message"):
        lines.append(f" Message:              \t{pretty(str(status['Message']))}")
    lines.append(f" Availability:         \t{pretty(str(spec.get('Availability') or ''))}")
    if status.get("Addr"):
        lines.append(f" Address:\t\t{status['Addr']}")
    if manager is not None:
        lines += [
            "Manager Status:",
            f" Address:\t\t{manager.get('Addr') or ''}",
            f" Raft Status:\t\t{pretty(str(manager.get('Reachability') or ''))}",
            f" Leader:\t\t{'Yes' if manager.get('Leader') else 'No'}",
        ]
    memory = int(resources.get("MemoryBytes") or 0)
    lines += [
        "Platform:",
        f" Operating System:\t{platform.get('OS') or ''}",
        f" Architecture:\t\t{platform.get('Architecture') or ''}",
        "Resources:",
        f" CPUs:\t\t\t{int(resources.get('NanoCPUs') or 0) // 1_000_000_000}",
        f" Memory:\t\t{bytes_size(memory) if memory else ''}",
    ]
    plugins: dict[str, list[str]] = {}
    for plugin in engine.get("Plugins") or ():
        plugins.setdefault(str(plugin.get("Type") or ""), []).append(str(plugin.get("Name") or ""))
    if plugins:
        lines.append("Plugins:")
        for kind, names in sorted(plugins.items()):
            joined_names = ", ".join(names)
            lines.append(f" {kind}:\t\t{joined_names}" if joined_names else f" {kind}:")
    lines.append(f"Engine Version:\t\t{engine.get('EngineVersion') or ''}")
    if engine.get("Labels"):
        lines += ["Engine Labels:", *_labels(engine["Labels"])]
    if not TlsInfo.from_api(tls).empty:
        lines += [
            "TLS Info:",
            " TrustRoot:",
            str(tls.get("TrustRoot") or ""),
            f" Issuer Subject:\t{tls.get('CertIssuerSubject') or ''}",
            f" Issuer Public Key:\t{tls.get('CertIssuerPublicKey') or ''}",
        ]
    return "\n".join(lines)


# --- swarm init, join-token ---------------------------------------------------------------------------------


def join_command(info: JoinInfo, role: str) -> str:
    token = info.manager_token if role == "manager" else info.worker_token
    return f"dkr swarm join --token {token} {info.manager_addr}"


def join_instructions(info: JoinInfo, role: str) -> str:
    """docker's printJoinCommand, naming dkr: how to add a worker (or a manager) to this swarm."""
    return f"To add a {role} to this swarm, run the following command:\n\n    {join_command(info, role)}\n"


def init_message(info: JoinInfo) -> str:
    """What docker's `swarm init` prints after it initialized a swarm (dkr writes it to stderr)."""
    return (
        f"Swarm initialized: current node ({info.node_id}) is now a manager.\n\n"
        + join_instructions(info, "worker")
        + "\nTo add a manager to this swarm, run 'dkr swarm join-token manager' and follow the instructions."
    )
