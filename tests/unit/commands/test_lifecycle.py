"""inspect, start, restart, kill, pause, unpause, wait, rename and port through the real entry point, on the
fake Engine: bad input is exit 2 before any request; the output's shape on stdout and stderr."""

from __future__ import annotations

import json

import pytest

from dkr.errors import ExitCode
from tests.helpers import assert_one_line_error, run_dkr
from tests.unit.fake_engine import FakeEngine

CID = "c" * 64
CONTAINER = {
    "Id": CID,
    "Name": "/web",
    "State": {"Status": "running", "Running": True, "Pid": 42, "Health": None},
    "Config": {"Labels": {"app": "a<b>"}, "Cmd": ["sleep", "300"], "Tty": False},
    "NetworkSettings": {
        "Ports": {
            "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}, {"HostIp": "::1", "HostPort": "8080"}],
            "443/tcp": None,
            "9/udp": [{"HostIp": "0.0.0.0", "HostPort": "9000"}],
            "10/tcp": [{"HostIp": "127.0.0.1", "HostPort": "1010"}],
        }
    },
}
IMAGE = {"Id": "sha256:" + "e" * 64, "RepoTags": ["app:1"]}


def serve(fake: FakeEngine) -> None:
    """One container `web`, one image `app:1`; anything else is missing; `stopped` cannot be killed."""

    def container(method: str, path: str, _: bytes) -> tuple[int, object]:
        name = path.split("/containers/")[1].split("/")[0].split("?")[0]
        if name in ("web", CID):
            if path.split("?")[0].endswith("/wait"):
                return 200, {"StatusCode": 3}
            return (200, CONTAINER) if method == "GET" else (204, b"")
        if name == "stopped" and method == "POST":
            return 409, {"message": f"Cannot kill container: {name}: Container {CID} is not running"}
        return 404, {"message": f"No such container: {name}"}

    def image(method: str, path: str, _: bytes) -> tuple[int, object]:
        name = path.split("/images/")[1].rsplit("/json", 1)[0]
        return (200, IMAGE) if name == "app:1" else (404, {"message": f"No such image: {name}"})

    fake.route("GET", r"/containers/[^/]+/json", container)
    fake.route("POST", r"/containers/[^/]+/\w+", container)
    fake.route("GET", r"/images/.+/json", image)


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        pytest.param(["inspect"], ["missing argument"], id="inspect-nothing"),
        pytest.param(["inspect", "--type", "volume", "x"], ['unknown type: "volume"'], id="inspect-type"),
        pytest.param(["inspect", "--type", "container", "a:b"], ["invalid container name"], id="inspect-ctr"),
        pytest.param(["inspect", "/"], ["invalid image '/'"], id="inspect-slash"),
        pytest.param(["inspect", "-f", "{{.A", "x"], ["unclosed action"], id="inspect-unclosed"),
        pytest.param(["inspect", "-f", "{{range .}}", "x"], ["unsupported action"], id="inspect-range"),
        pytest.param(
            ["start", "-a", "a", "b"], ["cannot start and attach multiple"], id="start-two-attached"
        ),
        pytest.param(["start", "../images/x"], ["invalid container name"], id="start-path"),
        pytest.param(["start", "--detach-keys", "nope-x", "a"], ["detach"], id="start-keys"),
        pytest.param(["kill", "-s", "NOPE", "a"], ["invalid signal 'NOPE'"], id="kill-signal"),
        pytest.param(["kill"], ["missing argument"], id="kill-nothing"),
        pytest.param(["restart", "-t", "soon", "a"], ["'soon' is not an integer"], id="restart-time"),
        pytest.param(["wait", "/"], ["invalid container name '/'"], id="wait-slash"),
        pytest.param(["pause", "a b"], ["invalid container name"], id="pause-space"),
        pytest.param(["unpause"], ["missing argument"], id="unpause-nothing"),
        pytest.param(["rename", "a"], ["missing argument"], id="rename-one"),
        pytest.param(["rename", "a", "/"], ["the new name cannot be empty"], id="rename-empty"),
        pytest.param(["rename", "a", "b/c"], ["invalid container name 'b/c'"], id="rename-path"),
        pytest.param(["port", "a", "http"], ["invalid port 'http'"], id="port-word"),
        pytest.param(["port", "a", "70000/tcp"], ["invalid port '70000'"], id="port-range"),
        pytest.param(["port", "a", "80", "81"], ["unexpected extra argument"], id="port-two"),
        pytest.param(["cp", "a", "b"], ["must specify at least one container"], id="cp-no-container"),
        pytest.param(["cp", "/x:y", "./a:b"], ["must specify at least one container"], id="cp-local-forms"),
        pytest.param(["cp", "a:/x", "b:/y"], ["copying between containers is not supported"], id="cp-two"),
        pytest.param(["cp", "a:", "/tmp"], ["filesystem path cannot be empty"], id="cp-empty-path"),
        pytest.param(["cp", "a b:/x", "/tmp"], ["invalid container name 'a b'"], id="cp-container-name"),
        pytest.param(["cp", "a:/x"], ["missing argument"], id="cp-one"),
        pytest.param(["top", "../x"], ["invalid container name"], id="top-path"),
        pytest.param(["stats", "a"], ["add --no-stream"], id="stats-live"),
        pytest.param(
            ["stats", "--no-stream", "--format", "{{.Nope}}"], ["no field '.Nope'"], id="stats-field"
        ),
    ],
)
def test_usage_errors_reach_no_engine(fake: FakeEngine, args: list[str], needles: list[str]) -> None:
    res = run_dkr(*args)
    assert_one_line_error(res, ExitCode.USAGE, *needles)
    assert fake.requests == [], "a usage error never reaches the Engine"


def test_inspect_prints_the_found_objects_then_the_missing_one(fake: FakeEngine) -> None:
    serve(fake)
    res = run_dkr("inspect", "web", "nope", "app:1")
    assert res.code == ExitCode.FAILURE
    assert json.loads(res.out) == [CONTAINER, IMAGE]
    assert res.out.startswith('[\n    {\n        "Id": "ccc') and res.out.endswith("}\n]\n")
    assert res.err_lines == ["dkr: error: No such object: nope"]
    # a reference that cannot name a container is only looked up as an image
    assert not [r for r in fake.requests if "/containers/app" in r]


def test_inspect_templates(fake: FakeEngine) -> None:
    serve(fake)
    template = '{{.State.Status}} {{.Name}} {{index .Config.Labels "app"}}|{{index .Config.Labels "x"}}'
    res = run_dkr("inspect", "-f", template, "web")
    assert (res.code, res.out, res.err) == (0, "running /web a<b>|\n", "")
    res = run_dkr("inspect", "--format", "{{json .Config.Labels}} {{.Config.Cmd}} {{.State.Health}}", "web")
    assert res.out == '{"app":"a<b>"} [sleep 300] <nil>\n'
    # as docker's: a line on stdout even when the template failed on every object
    res = run_dkr("inspect", "-f", "{{.State.Nope}}", "web", "nope")
    assert (res.code, res.out) == (ExitCode.FAILURE, "\n")
    assert res.err_lines == [
        "dkr: error: No such object: nope",
        'dkr: error: template parsing error: template: :1:8: executing "" at <.State.Nope>: map has no entry '
        'for key "Nope"',
    ]


def test_kill_and_friends_echo_each_argument_and_report_each_failure(fake: FakeEngine) -> None:
    serve(fake)
    res = run_dkr("kill", "-s", "hup", "web", "stopped", "nope")
    assert res.code == ExitCode.FAILURE
    assert res.out == "web\n"
    assert res.err_lines[0].startswith("dkr: error: cannot kill 'stopped': ")
    assert "is not running" in res.err_lines[0]
    assert res.err_lines[1] == "dkr: error: cannot kill 'nope': no such container: nope"
    assert any("/containers/web/kill?signal=SIGHUP" in r for r in fake.requests), fake.requests
    for verb in ("start", "pause", "unpause", "restart"):
        res = run_dkr(verb, "web", CID)
        assert (res.code, res.out, res.err) == (0, f"web\n{CID}\n", ""), verb
    assert any("/containers/web/restart" in r and "t=" not in r for r in fake.requests), (
        "the Engine's timeout"
    )


def test_wait_prints_each_exit_code(fake: FakeEngine) -> None:
    serve(fake)
    res = run_dkr("wait", "web", "nope", "web")
    assert (res.code, res.out) == (ExitCode.FAILURE, "3\n3\n")
    assert res.err_lines == ["dkr: error: cannot wait 'nope': no such container: nope"]


def test_port_lines_as_docker(fake: FakeEngine) -> None:
    serve(fake)
    res = run_dkr("port", "web")
    assert (res.code, res.err) == (0, "")
    assert res.out.splitlines() == [
        "9/udp -> 0.0.0.0:9000", "10/tcp -> 127.0.0.1:1010", "80/tcp -> 127.0.0.1:8080", "80/tcp -> [::1]:8080",
    ]  # fmt: skip
    assert run_dkr("port", "web", "80").out == "127.0.0.1:8080\n[::1]:8080\n"
    assert run_dkr("port", "web", "9/udp").out == "0.0.0.0:9000\n"
    assert_one_line_error(run_dkr("port", "web", "443"), 1, "No public port '443' published for web")
    assert_one_line_error(run_dkr("port", "nope"), 1, "no such container: nope")


def test_rename_is_silent(fake: FakeEngine) -> None:
    serve(fake)
    res = run_dkr("rename", "web", "/api")
    assert (res.code, res.out, res.err) == (0, "", "")
    assert any("/containers/web/rename?name=api" in r for r in fake.requests), fake.requests


def test_top_columns_as_docker(fake: FakeEngine) -> None:
    top = {"Titles": ["PID", "CMD"], "Processes": [["1", "sleep 300"], ["12345678901234567890123", "sh"]]}
    fake.route("GET", r"/containers/web/top", lambda m, p, b: (200, top))
    res = run_dkr("top", "web", "-o", "pid,comm")
    assert (res.code, res.err) == (0, "")
    assert res.out == (
        "PID                       CMD\n1                         sleep 300\n12345678901234567890123   sh\n"
    )
    assert any("ps_args=-o+pid%2Ccomm" in r for r in fake.requests), fake.requests


STATS = {
    "id": CID,
    "name": "/web",
    "cpu_stats": {"cpu_usage": {"total_usage": 3_000_000}, "system_cpu_usage": 200_000_000, "online_cpus": 2},
    "precpu_stats": {"cpu_usage": {"total_usage": 1_000_000}, "system_cpu_usage": 100_000_000},
    "memory_stats": {"usage": 3 * 1024 * 1024, "limit": 2 * 1024**3, "stats": {"inactive_file": 1024 * 1024}},
    "networks": {"eth0": {"rx_bytes": 1500, "tx_bytes": 20}, "eth1": {"rx_bytes": 500, "tx_bytes": 0}},
    "blkio_stats": {
        "io_service_bytes_recursive": [{"op": "Read", "value": 4096}, {"op": "write", "value": 1}]
    },
    "pids_stats": {"current": 3},
}


def test_stats_no_stream_columns_as_docker(fake: FakeEngine) -> None:
    fake.route("GET", r"/containers/web/stats", lambda m, p, b: (200, STATS))
    res = run_dkr("stats", "--no-stream", "web")
    assert (res.code, res.err) == (0, "")
    assert res.out.splitlines() == [
        "CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O     BLOCK I/O    PIDS",
        "cccccccccccc   web       4.00%     2MiB / 2GiB         0.10%     2kB / 20B   4.1kB / 1B   3",
    ]
    assert any("stats?stream=False" in r for r in fake.requests), fake.requests
    res = run_dkr("stats", "--no-stream", "--format", "json", "web")
    assert json.loads(res.out) == {
        "BlockIO": "4.1kB / 1B", "CPUPerc": "4.00%", "Container": "web", "ID": "cccccccccccc",
        "MemPerc": "0.10%", "MemUsage": "2MiB / 2GiB", "Name": "web", "NetIO": "2kB / 20B", "PIDs": "3",
    }  # fmt: skip
    assert list(json.loads(res.out)) == sorted(json.loads(res.out)), "docker's key order"
