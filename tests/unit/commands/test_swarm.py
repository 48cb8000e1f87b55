"""dkr swarm init|join|join-token|leave and dkr node ls|inspect|ps against the fake Engine: the requests they
make, docker's output (recorded: tests/unit/data/swarm_*), the Engine's swarm refusals as one line and a
hint, and bad input as exit 2 before any Engine call."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from dkr.errors import ExitCode
from tests.helpers import assert_one_line_error, run_dkr
from tests.unit.fake_engine import FakeEngine, engine_calls

DATA = Path(__file__).parents[1] / "data"
#: the Engine's words (moby daemon/cluster), as Engine 20.10 answered them on the test swarm
NOT_A_MANAGER = (
    'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to '
    "swarm and try again."
)
WORKER = (
    "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run "
    "this command on a manager node or promote the current node to a manager."
)
LEAVING = (
    "You are attempting to leave the swarm on a node that is participating as a manager. Removing the last "
    "manager erases all current state of the swarm. Use `--force` to ignore this message. "
)


def load(name: str) -> Any:
    return json.loads((DATA / f"swarm_{name}.json").read_text())


def query(request: str) -> dict[str, Any]:
    qs = parse_qs(urlsplit(request.split(" ", 1)[1]).query)
    return {k: json.loads(v[0]) if k == "filters" else v[0] for k, v in qs.items()}


@pytest.fixture
def manager(fake: FakeEngine) -> FakeEngine:
    """The recorded manager: its nodes, tasks, services, swarm and info."""
    nodes = {n["ID"]: n for n in load("nodes")}
    by_host = {n["Description"]["Hostname"]: n for n in nodes.values()}

    def one_node(_m: str, path: str, _b: bytes) -> tuple[int, Any]:
        ref = path.split("?")[0].rsplit("/", 1)[-1]
        node = nodes.get(ref) or by_host.get(ref)
        return (200, node) if node else (404, {"message": f"node {ref} not found"})

    def tasks(_m: str, path: str, _b: bytes) -> tuple[int, Any]:
        wanted = json.loads(parse_qs(urlsplit(path).query)["filters"][0]).get("node", [])
        return 200, [t for t in load("tasks") if t.get("NodeID") in wanted]

    fake.route("GET", r"/nodes", lambda m, p, b: (200, load("nodes")))
    fake.route("GET", r"/nodes/[^/]+", one_node)
    fake.route("GET", r"/tasks", tasks)
    fake.route("GET", r"/services", lambda m, p, b: (200, load("services")))
    fake.route("GET", r"/swarm", lambda m, p, b: (200, load("swarm")))
    fake.route("GET", r"/info", lambda m, p, b: (200, load("info")))
    return fake


def refusing(fake: FakeEngine, message: str, status: int = 503) -> FakeEngine:
    """A node that refuses every swarm request with `message` (and has no node id in /info)."""
    for method, path in (
        ("GET", r"/nodes.*"),
        ("GET", r"/tasks"),
        ("GET", r"/swarm"),
        ("POST", r"/swarm/.+"),
    ):
        fake.route(method, path, lambda m, p, b: (status, {"message": message}))
    fake.route(
        "GET", r"/info", lambda m, p, b: (200, {"ID": "x", "Swarm": {"NodeID": "", "LocalNodeState": ""}})
    )
    return fake


# --- node ls ----------------------------------------------------------------------------------------------


def test_node_ls_is_dockers_table(manager: FakeEngine) -> None:
    res = run_dkr("node", "ls")
    assert (res.code, res.err) == (0, "")
    assert res.out == (DATA / "swarm_nodels.txt").read_text()
    assert engine_calls(manager) == ["GET /v1.41/nodes", "GET /v1.41/info"]


def test_node_ls_quiet_asks_for_the_nodes_alone(manager: FakeEngine) -> None:
    res = run_dkr("node", "ls", "-q", "-f", "role=worker")
    assert res.out.split() == [
        line.split()[0] for line in (DATA / "swarm_nodels.txt").read_text().splitlines()[1:]
    ]
    assert len(engine_calls(manager)) == 1
    assert query(engine_calls(manager)[0]) == {"filters": {"role": ["worker"]}}


def test_node_ls_json_and_template(manager: FakeEngine) -> None:
    lines = run_dkr("node", "ls", "--format", "json").out.splitlines()
    first = json.loads(lines[0])
    assert list(first) == [
        "Availability", "EngineVersion", "Hostname", "ID", "ManagerStatus", "Self", "Status", "TLSStatus",
    ]  # fmt: skip
    assert (first["Self"], first["ManagerStatus"], first["TLSStatus"]) == (True, "Leader", "Ready")
    assert json.loads(lines[1])["Self"] is False
    res = run_dkr("node", "ls", "--format", "{{.Hostname}} {{.Status}} {{.ManagerStatus}}")
    assert [line.split(" ", 1)[1] for line in res.out.splitlines()] == ["Ready Leader", "Ready "]
    # a bool prints as Go prints it (docker: `true`, not Python's `True`)
    assert run_dkr("node", "ls", "--format", "{{.Self}}").out == "true\nfalse\n"


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["-f", "role=boss"], id="role value"),
        pytest.param(["-f", "colour=red"], id="filter key"),
        pytest.param(["--format", "{{.Nope}}"], id="template field"),
    ],
)
def test_node_ls_bad_input_is_exit_2_before_any_engine_call(fake: FakeEngine, args: list[str]) -> None:
    res = run_dkr("node", "ls", *args)
    assert res.code == ExitCode.USAGE, res.err
    assert engine_calls(fake) == []


def test_node_ls_on_a_worker_is_one_line_and_a_hint(fake: FakeEngine) -> None:
    refusing(fake, WORKER)
    res = run_dkr("node", "ls")
    assert_one_line_error(res, ExitCode.FAILURE, "this node is not a swarm manager", "worker")
    assert res.err_lines[1] == "Run the command on a manager node (-H, or a docker context)."


def test_node_ls_outside_a_swarm(fake: FakeEngine) -> None:
    refusing(fake, NOT_A_MANAGER)
    res = run_dkr("node", "ls")
    assert_one_line_error(res, ExitCode.FAILURE)
    assert res.err_lines == [
        "dkr: error: this node is not a swarm manager: it is not part of a swarm",
        "Use 'dkr swarm init' or 'dkr swarm join' to connect it to a swarm, or -H to ask a manager.",
    ]


# --- node inspect -------------------------------------------------------------------------------------------


def test_node_inspect_self_and_a_missing_one(manager: FakeEngine) -> None:
    res = run_dkr("node", "inspect", "self", "nosuch")
    assert res.code == ExitCode.FAILURE
    assert json.loads(res.out) == [load("node_self")]
    assert res.err_lines == ["dkr: error: cannot inspect node nosuch: node nosuch not found"]
    # self is asked of /info once
    assert sum("/info" in c for c in engine_calls(manager)) == 1


def test_node_inspect_pretty_and_template(manager: FakeEngine) -> None:
    res = run_dkr("node", "inspect", "--pretty", "self")
    assert (res.code, res.out) == (0, (DATA / "swarm_pretty.txt").read_text())
    res = run_dkr("node", "inspect", "-f", "{{.Spec.Role}} {{.Status.State}}", "self")
    assert res.out == "manager ready\n"
    assert run_dkr("node", "inspect", "--pretty", "-f", "json", "self").code == ExitCode.USAGE


def test_node_inspect_self_outside_a_swarm_says_why(fake: FakeEngine) -> None:
    refusing(fake, NOT_A_MANAGER)
    res = run_dkr("node", "inspect", "self")
    assert_one_line_error(res, ExitCode.FAILURE, "this node is not a swarm manager", "dkr swarm init")


# --- node ps ------------------------------------------------------------------------------------------------


def columns(table: str) -> list[dict[str, str]]:
    """docker's table read back by its header's column positions."""
    header, *rows = table.splitlines()
    names = [n for n in header.split("   ") if n.strip()]
    starts = [header.index(n.strip()) for n in names]
    ends = [*starts[1:], None]
    return [
        {n.strip(): row[a:b].strip() for n, a, b in zip(names, starts, ends, strict=True)} for row in rows
    ]


def test_node_ps_defaults_to_self(manager: FakeEngine) -> None:
    res = run_dkr("node", "ps", "--no-trunc", "--format", "{{.ID}}|{{.Name}}|{{.Image}}|{{.Node}}|{{.Error}}")
    golden = columns((DATA / "swarm_nodeps_m.txt").read_text())
    expected = [
        [g["ID"], g["NAME"].removeprefix("\\_ "), g["IMAGE"], g["NODE"], g["ERROR"]] for g in golden
    ]  # a template is no table: no indent
    assert [line.split("|") for line in res.out.splitlines()] == expected
    self_id = load("info")["Swarm"]["NodeID"]
    tasks = [c for c in engine_calls(manager) if "/tasks" in c]
    assert [query(c)["filters"] for c in tasks] == [{"node": [self_id]}]


def test_node_ps_quiet_and_filters(manager: FakeEngine) -> None:
    res = run_dkr("node", "ps", "-q", "-f", "desired-state=running", "--no-trunc")
    assert res.out.splitlines() == [
        line.split()[0] for line in (DATA / "swarm_nodeps_m.txt").read_text().splitlines()[1:]
    ]  # the fake does not filter by state: what matters is what dkr asked
    tasks = [c for c in engine_calls(manager) if "/tasks" in c]
    assert query(tasks[0])["filters"]["desired-state"] == ["running"]
    assert run_dkr("node", "ps", "-f", "desired-state=dead").code == ExitCode.USAGE


def test_node_ps_names_each_node_once_and_reports_a_missing_one(manager: FakeEngine) -> None:
    hosts = sorted(n["Description"]["Hostname"] for n in load("nodes"))
    res = run_dkr("node", "ps", "-q", *hosts, "nosuch")
    assert res.code == ExitCode.FAILURE
    assert sorted(res.out.split()) == sorted(t["ID"][:12] for t in load("tasks"))
    assert res.err_lines == ["dkr: error: cannot inspect node nosuch: node nosuch not found"]


# --- swarm init, join, join-token, leave ----------------------------------------------------------------------


def test_swarm_init_prints_the_node_id_and_the_join_command(manager: FakeEngine) -> None:
    node_id = load("info")["Swarm"]["NodeID"]
    bodies: list[Any] = []
    manager.route("POST", r"/swarm/init", lambda m, p, b: (bodies.append(json.loads(b)), (200, node_id))[1])
    res = run_dkr(
        "swarm", "init", "--advertise-addr", "10.0.0.2", "--listen-addr", "10.0.0.2",
        "--default-addr-pool", "10.20.0.0/16", "--default-addr-pool-mask-length", "26",
    )  # fmt: skip
    assert (res.code, res.out) == (0, node_id + "\n")
    token = load("swarm")["JoinTokens"]["Worker"]
    addr = load("node_self")["ManagerStatus"]["Addr"]
    assert f"    dkr swarm join --token {token} {addr}\n" in res.err
    assert res.err.startswith(f"Swarm initialized: current node ({node_id}) is now a manager.\n")
    assert bodies[0]["ListenAddr"] == "10.0.0.2:2377" and bodies[0]["AdvertiseAddr"] == "10.0.0.2"
    assert (bodies[0]["DefaultAddrPool"], bodies[0]["SubnetSize"]) == (["10.20.0.0/16"], 26)


def test_swarm_init_on_a_node_in_a_swarm(fake: FakeEngine) -> None:
    refusing(
        fake,
        'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.',
    )
    res = run_dkr("swarm", "init")
    assert_one_line_error(res, ExitCode.FAILURE, "already part of a swarm", "dkr swarm leave")


def test_swarm_join(fake: FakeEngine) -> None:
    bodies: list[Any] = []
    fake.route("POST", r"/swarm/join", lambda m, p, b: (bodies.append(json.loads(b)), (200, b""))[1])
    fake.route("GET", r"/info", lambda m, p, b: (200, {"Swarm": {"NodeID": "w1", "ControlAvailable": False}}))
    res = run_dkr("swarm", "join", "--token", "SWMTKN-1-x", "--listen-addr", ":4000", "10.0.0.2:2377")
    assert (res.code, res.out, res.err) == (0, "w1\n", "This node joined a swarm as a worker.\n")
    assert len(bodies) == 1
    assert (bodies[0]["RemoteAddrs"], bodies[0]["JoinToken"]) == (["10.0.0.2:2377"], "SWMTKN-1-x")
    assert bodies[0]["ListenAddr"] == "0.0.0.0:4000"


def test_swarm_join_token(manager: FakeEngine) -> None:
    tokens = load("swarm")["JoinTokens"]
    assert run_dkr("swarm", "join-token", "-q", "manager").out == tokens["Manager"] + "\n"
    res = run_dkr("swarm", "join-token", "worker")
    addr = load("node_self")["ManagerStatus"]["Addr"]
    assert res.out == (
        "To add a worker to this swarm, run the following command:\n\n"
        f"    dkr swarm join --token {tokens['Worker']} {addr}\n\n"
    )
    calls = len(engine_calls(manager))
    assert run_dkr("swarm", "join-token", "boss").code == ExitCode.USAGE
    assert len(engine_calls(manager)) == calls


def test_swarm_leave(fake: FakeEngine) -> None:
    fake.route("POST", r"/swarm/leave", lambda m, p, b: (200, b""))
    res = run_dkr("swarm", "leave", "-f")
    assert (res.code, res.out, res.err) == (0, "", "Node left the swarm.\n")
    assert query(engine_calls(fake)[-1]) == {"force": "1"}


def test_swarm_leave_a_manager_without_force(fake: FakeEngine) -> None:
    fake.route("POST", r"/swarm/leave", lambda m, p, b: (503, {"message": LEAVING}))
    res = run_dkr("swarm", "leave")
    assert_one_line_error(res, ExitCode.FAILURE)
    assert res.err_lines == [
        "dkr: error: this node is a swarm manager: removing the last manager erases all current state of the "
        "swarm",
        "Use 'dkr swarm leave --force' to leave anyway.",
    ]


def test_swarm_leave_force_outside_a_swarm_says_so(fake: FakeEngine) -> None:
    """docker-py's leave_swarm(force=True) hides this refusal; docker reports it, and so does dkr."""
    fake.route(
        "POST", r"/swarm/leave", lambda m, p, b: (503, {"message": "This node is not part of a swarm"})
    )
    res = run_dkr("swarm", "leave", "--force")
    assert_one_line_error(res, ExitCode.FAILURE, "this node is not part of a swarm", "dkr swarm init")


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["init", "--listen-addr", "udp://x"], id="listen proto"),
        pytest.param(["init", "--default-addr-pool", "10.0.0.0"], id="pool without length"),
        pytest.param(
            ["join", "--token", "t", "--listen-addr", "1.2.3.4:x", "10.0.0.2:2377"], id="join listen"
        ),
        pytest.param(["join", "--token", "t"], id="join without address"),
        pytest.param(["join-token"], id="join-token without role"),
        pytest.param(["leave", "extra"], id="leave with an argument"),
    ],
)
def test_swarm_bad_input_is_exit_2_before_any_engine_call(fake: FakeEngine, args: list[str]) -> None:
    res = run_dkr("swarm", *args)
    assert res.code == ExitCode.USAGE, res.err
    assert engine_calls(fake) == []
