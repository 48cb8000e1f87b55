"""Pure: docker's node and task fields, checked against what docker 28 printed for the same Engine answers
(tests/unit/data/swarm_*: recorded on the two-node test swarm, scripts/swarm-cluster, Engine 20.10)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dkr.fields.swarm import (
    NODE_HEADERS,
    TASK_HEADERS,
    TASK_TABLE,
    init_message,
    join_instructions,
    node_fields,
    node_pretty,
    node_table_id,
    pretty,
    sorted_nodes,
    task_rows,
    tls_status,
)
from dkr.grammars.gotemplate import tabwrite
from dkr.models.swarm import JoinInfo, Node, SwarmPort, Task, TaskList, TlsInfo

DATA = Path(__file__).parents[1] / "data"
RECORDED_AT = float((DATA / "swarm_recorded_at.txt").read_text())


def load(name: str) -> Any:
    return json.loads((DATA / f"swarm_{name}.json").read_text())


def recorded_tasks() -> TaskList:
    return TaskList(
        [Task.from_api(t) for t in load("tasks")],
        service_names={s["ID"]: s["Spec"]["Name"] for s in load("services")},
        node_names={n["ID"]: n["Description"]["Hostname"] for n in load("nodes")},
    )


def table(headers: dict[str, str], columns: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    return tabwrite([[headers[c] for c in columns], *[[str(r[c]) for c in columns] for r in rows]])


@pytest.mark.parametrize(
    ("value", "shown"),
    [("ready", "Ready"), ("DOWN", "Down"), ("", ""), ("x", "x"), ("X", "x"), ("in progress", "In progress")],
)
def test_pretty_is_dockers_capitalize_first(value: str, shown: str) -> None:
    assert pretty(value) == shown


def test_node_ls_table_is_dockers() -> None:
    info = load("info")
    cluster = TlsInfo.from_api(info["Swarm"]["Cluster"]["TLSInfo"])
    rows = [
        node_fields(n, info["Swarm"]["NodeID"], cluster)
        for n in sorted_nodes(list(map(Node.from_api, load("nodes"))))
    ]
    columns = ("ID", "Hostname", "Status", "Availability", "ManagerStatus", "EngineVersion")
    shown = [{**r, "ID": node_table_id(r)} for r in rows]
    assert table(NODE_HEADERS, columns, shown) == (DATA / "swarm_nodels.txt").read_text()
    assert [r["Self"] for r in rows] == [True, False]
    assert {r["TLSStatus"] for r in rows} == {"Ready"}


def test_tls_status() -> None:
    trust = TlsInfo("root", "c3ViamVjdA==", "a2V5")
    node = Node("n1", tls=trust)
    assert tls_status(node, trust) == "Ready"
    assert tls_status(node, TlsInfo("other", "c3ViamVjdA==", "a2V5")) == "Needs Rotation"
    assert tls_status(node, None) == "Unknown"
    assert tls_status(Node("n2"), trust) == "Unknown"


def test_nodes_sort_by_hostname_naturally() -> None:
    nodes = [Node("c", hostname="node10"), Node("a", hostname="node2"), Node("b", hostname="node1")]
    assert [n.id for n in sorted_nodes(nodes)] == ["b", "a", "c"]


@pytest.mark.parametrize(
    ("node", "trunc", "golden"),
    [
        pytest.param("m", False, "swarm_nodeps_m.txt", id="manager --no-trunc"),
        pytest.param("w", True, "swarm_nodeps_w.txt", id="worker"),
    ],
)
def test_node_ps_table_is_dockers(node: str, trunc: bool, golden: str) -> None:
    listing = recorded_tasks()
    hostname = {"m": "-m", "w": "-w"}[node]
    ids = {i for i, h in listing.node_names.items() if h.endswith(hostname)}
    mine = TaskList([t for t in listing.tasks if t.node_id in ids], listing.service_names, listing.node_names)
    expected = (DATA / golden).read_text()
    # docker measured "N seconds ago" a moment after the recording's clock was read
    candidates = [
        table(TASK_HEADERS, TASK_TABLE, task_rows(mine, trunc=trunc, now=RECORDED_AT + d)) for d in (0, 1)
    ]
    assert expected in candidates


def test_task_names_indent_older_tasks_of_a_slot_only_in_tables() -> None:
    def task(tid: str, created: str, slot: int = 1, node: str = "n1") -> Task:
        return Task(tid, service_id="s1", slot=slot, node_id=node, created_at=created, image="app:1")

    listing = TaskList(
        [task("old", "2026-01-01T00:00:00Z"), task("new", "2026-01-02T00:00:00.5Z"), task("g", "", slot=0)],
        service_names={"s1": "web"},
    )
    rows = task_rows(listing, now=0)
    assert [(r["ID"], r["Name"]) for r in rows] == [("new", "web.1"), ("old", " \\_ web.1"), ("g", "web.n1")]
    assert [r["Name"] for r in task_rows(listing, table=False, now=0)] == ["web.1", "web.1", "web.n1"]
    # an id that does not resolve stands for its name (docker's resolver), --no-resolve shows ids
    assert task_rows(TaskList([task("x", "")]), now=0)[0]["Name"] == "s1.1"


@pytest.mark.parametrize(
    ("image", "trunc", "shown"),
    [
        ("127.0.0.1:5000/app:1@sha256:" + "a" * 64, True, "127.0.0.1:5000/app:1"),
        ("127.0.0.1:5000/app:1@sha256:" + "a" * 64, False, "127.0.0.1:5000/app:1@sha256:" + "a" * 64),
        ("docker.io/library/busybox:1.36@sha256:" + "b" * 64, True, "busybox:1.36"),
        ("busybox@sha256:" + "b" * 64, True, "busybox@sha256:" + "b" * 64),
        ("NOT A REFERENCE", True, "NOT A REFERENCE"),
    ],
)
def test_task_image_drops_the_digest_when_truncated(image: str, trunc: bool, shown: str) -> None:
    row = task_rows(TaskList([Task("t", image=image)]), trunc=trunc, now=0)[0]
    assert row["Image"] == shown


def test_task_error_ports_and_state() -> None:
    task = Task(
        "t" * 25, state="rejected", desired_state="shutdown", timestamp="2026-01-01T00:00:00.123Z",
        error="x" * 40, ports=(SwarmPort(80, 8080), SwarmPort(53, 53, "udp")),
    )  # fmt: skip
    now = 1767225600.123 + 125  # 2026-01-01T00:02:05.123Z
    row = task_rows(TaskList([task]), now=now)[0]
    assert row["Error"] == '"' + "x" * 29 + '…"'
    assert row["Ports"] == "*:8080->80/tcp,*:53->53/udp"
    assert (row["CurrentState"], row["DesiredState"], row["ID"]) == (
        "Rejected 2 minutes ago",
        "Shutdown",
        "t" * 12,
    )
    full = task_rows(TaskList([task]), trunc=False, now=now)[0]
    assert (full["Error"], full["ID"]) == ('"' + "x" * 40 + '"', "t" * 25)


def test_node_inspect_pretty_is_dockers() -> None:
    assert node_pretty(load("node_self")) + "\n" == (DATA / "swarm_pretty.txt").read_text()


def test_node_inspect_pretty_optional_parts() -> None:
    node = {
        "ID": "n1", "CreatedAt": "2026-01-02T03:04:05.5Z",
        "Spec": {"Name": "edge", "Labels": {"zone": "a", "flag": ""}, "Availability": "drain", "Role": "worker"},
        "Description": {
            "Hostname": "h1", "Platform": {"OS": "linux", "Architecture": "x86_64"},
            "Resources": {"NanoCPUs": 2_000_000_000, "MemoryBytes": 20 * 1024 * 1024},
            "Engine": {"EngineVersion": "20.10.24", "Labels": {"k": "v"},
                       "Plugins": [{"Type": "Volume", "Name": "local"}, {"Type": "Network", "Name": "bridge"},
                                   {"Type": "Network", "Name": "overlay"}]},
        },
        "Status": {"State": "down", "Message": "heartbeat failure", "Addr": "10.0.0.5"},
    }  # fmt: skip
    assert node_pretty(node).split("\n") == [
        "ID:\t\t\tn1", "Name:\t\t\tedge", "Labels:", " - flag", " - zone=a", "Hostname:              \th1",
        "Joined at:             \t2026-01-02 03:04:05.5 +0000 utc", "Status:", " State:\t\t\tDown",
        " Message:              \tHeartbeat failure", " Availability:         \tDrain", " Address:\t\t10.0.0.5",
        "Platform:", " Operating System:\tlinux", " Architecture:\t\tx86_64", "Resources:", " CPUs:\t\t\t2",
        " Memory:\t\t20MiB", "Plugins:", " Network:\t\tbridge, overlay", " Volume:\t\tlocal",
        "Engine Version:\t\t20.10.24", "Engine Labels:", " - k=v",
    ]  # fmt: skip


def test_join_words_name_dkr() -> None:
    info = JoinInfo("nodeid", "10.0.0.2:2377", "SWMTKN-w", "SWMTKN-m")
    assert join_instructions(info, "manager") == (
        "To add a manager to this swarm, run the following command:\n\n"
        "    dkr swarm join --token SWMTKN-m 10.0.0.2:2377\n"
    )
    assert init_message(info) == (
        "Swarm initialized: current node (nodeid) is now a manager.\n\n"
        "To add a worker to this swarm, run the following command:\n\n"
        "    dkr swarm join --token SWMTKN-w 10.0.0.2:2377\n\n"
        "To add a manager to this swarm, run 'dkr swarm join-token manager' and follow the instructions."
    )
