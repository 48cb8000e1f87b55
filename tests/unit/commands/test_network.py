"""dkr network against the fake Engine: docker's table and JSON lines (what docker 28.2.2 printed for the
same Engine 20.10 answers), the create body, and bad input as exit 2 before any Engine call."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dkr.errors import ExitCode
from dkr.fields.networks import go_time_string
from tests.helpers import assert_one_line_error, run_dkr
from tests.unit.fake_engine import FakeEngine, engine_calls

N1 = {
    "Name": "pn1", "Id": "e54a44d392fd149a4f585992011e24b65efc730abcde7e9a111b0480ca4f7622",
    "Created": "2026-12-03T12:37:56.840817326Z", "Scope": "local", "Driver": "bridge", "EnableIPv6": False,
    "IPAM": {"Driver": "default", "Options": {}, "Config": [{"Subnet": "192.168.240.0/20", "Gateway": "192.168.240.1"}]},
    "Internal": False, "Attachable": False, "Ingress": False, "ConfigFrom": {"Network": ""}, "ConfigOnly": False,
    "Containers": {}, "Options": {}, "Labels": {"dkr.test.session": "volprobe"},
}  # fmt: skip
N2 = {**N1, "Name": "pn2", "Id": "f99407dcc5884ec9e2874e8a5d799d8bc2c3b56920e5a5f7f12b867986f34d67",
      "Created": "2026-12-03T12:37:57.087853639Z", "Internal": True}  # fmt: skip


@pytest.fixture
def networks(fake: FakeEngine) -> FakeEngine:
    fake.route("GET", r"/networks(\?|$)", lambda m, p, b: (200, [N2, N1]))
    return fake


def test_ls_table_json_and_quiet(networks: FakeEngine) -> None:
    res = run_dkr("network", "ls")
    assert (res.code, res.err) == (0, "")
    assert res.out == (
        "NETWORK ID     NAME      DRIVER    SCOPE\ne54a44d392fd   pn1       bridge    local\n"
        "f99407dcc588   pn2       bridge    local\n"
    )
    assert run_dkr("network", "ls", "--format", "json").out.splitlines() == [
        '{"CreatedAt":"2026-12-03 12:37:56.840817326 +0000 UTC","Driver":"bridge","ID":"e54a44d392fd",'
        '"IPv4":"false","IPv6":"false","Internal":"false","Labels":"dkr.test.session=volprobe","Name":"pn1",'
        '"Scope":"local"}',
        '{"CreatedAt":"2026-12-03 12:37:57.087853639 +0000 UTC","Driver":"bridge","ID":"f99407dcc588",'
        '"IPv4":"false","IPv6":"false","Internal":"true","Labels":"dkr.test.session=volprobe","Name":"pn2",'
        '"Scope":"local"}',
    ]
    assert run_dkr("network", "ls", "-q", "--no-trunc").out == f"{N1['Id']}\n{N2['Id']}\n"


@pytest.mark.parametrize(
    ("rfc3339", "shown"),
    [
        ("2026-12-03T12:37:56.840817326Z", "2026-12-03 12:37:56.840817326 +0000 UTC"),
        ("2026-12-03T12:37:56.5Z", "2026-12-03 12:37:56.5 +0000 UTC"),
        ("2026-12-03T12:37:56.000Z", "2026-12-03 12:37:56 +0000 UTC"),
        ("2026-12-03T12:37:56+01:00", "2026-12-03 12:37:56 +0100 +0100"),
        ("not a time", "not a time"),
    ],
)
def test_go_time_string(rfc3339: str, shown: str) -> None:
    assert go_time_string(rfc3339) == shown


def test_create_sends_docker_s_body(fake: FakeEngine) -> None:
    bodies: list[Any] = []

    def create(_m: str, _p: str, body: bytes) -> tuple[int, Any]:
        bodies.append(json.loads(body))
        return 201, {"Id": N1["Id"], "Warning": ""}

    fake.route("POST", r"/networks/create", create)
    res = run_dkr(
        "network", "create", "--label", "a=b", "--internal", "--subnet", "10.9.0.0/24", "--gateway", "10.9.0.1",
        "-o", "com.docker.network.bridge.name=br9", "appnet",
    )  # fmt: skip
    assert (res.code, res.out) == (0, f"{N1['Id']}\n"), res.err
    body = bodies[0]
    assert (body["Name"], body["Driver"], body["Internal"], body["CheckDuplicate"]) == (
        "appnet",
        "bridge",
        True,
        True,
    )
    assert body["Labels"] == {"a": "b"} and body["Options"] == {"com.docker.network.bridge.name": "br9"}
    (pool,) = body["IPAM"]["Config"]
    assert {k: v for k, v in pool.items() if v is not None} == {
        "Subnet": "10.9.0.0/24",
        "Gateway": "10.9.0.1",
    }


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        pytest.param(["network", "create"], "missing argument 'NETWORK'", id="create-nothing"),
        pytest.param(["network", "create", " "], "invalid network name", id="blank-name"),
        pytest.param(["network", "create", "--gateway", "10.0.0.1", "n1"], "corresponding subnet", id="gateway"),
        pytest.param(["network", "create", "--subnet", "10.0.0.0/33", "n1"], "invalid --subnet", id="subnet"),
        pytest.param(["network", "create", "--subnet", "10.0.0.0/8", "--gateway", "11.0.0.1", "n1"],
                     "no matching subnet for gateway '11.0.0.1'", id="gateway-outside"),
        pytest.param(["network", "create", "-o", "x", "n1"], "invalid -o/--opt 'x'", id="opt"),
        pytest.param(["network", "ls", "-f", "type=x"], "invalid filter 'type=x'", id="ls-type"),
        pytest.param(["network", "ls", "-f", "bogus=1"], "invalid filter 'bogus'", id="ls-filter"),
        pytest.param(["network", "ls", "--format", "{{.Nope}}"], "Nope", id="ls-template"),
        pytest.param(["network", "connect", "n1"], "missing argument 'CONTAINER'", id="connect"),
        pytest.param(["network", "connect", "--alias", "", "n1", "c1"], "invalid --alias ''", id="alias"),
        pytest.param(["network", "disconnect", "n1", ""], "", id="disconnect-empty"),
        pytest.param(["network", "rm"], "missing argument 'NETWORK...'", id="rm-nothing"),
        pytest.param(["network", "prune", "--filter", "x"], "bad format of filter 'x'", id="prune-filter"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(fake: FakeEngine, argv: list[str], line: str) -> None:
    assert_one_line_error(run_dkr(*argv), ExitCode.USAGE, line)
    assert engine_calls(fake) == []


def test_prune_without_a_terminal_refuses_and_with_f_reports(fake: FakeEngine) -> None:
    res = run_dkr("network", "prune")
    assert res.code == ExitCode.FAILURE and "refusing without a terminal" in res.err_lines[0]
    assert not any("prune" in r for r in fake.requests)
    fake.route("POST", r"/networks/prune", lambda m, p, b: (200, {"NetworksDeleted": ["pn1", "pn2"]}))
    assert run_dkr("network", "prune", "-f").out == "Deleted Networks:\npn1\npn2\n\n"
