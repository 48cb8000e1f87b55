"""dkr volume create|ls|inspect|rm|prune against the fake Engine: docker's table, JSON lines and inspect array
(the expected text is what docker 28.2.2 printed for the same Engine 20.10 answers), one line per failure,
and bad input as exit 2 before any Engine call."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dkr.errors import ExitCode
from tests.helpers import assert_one_line_error, run_dkr
from tests.unit.fake_engine import FakeEngine, engine_calls

V1 = {
    "CreatedAt": "2026-12-03T12:32:27Z", "Driver": "local", "Labels": {"dkr.test.session": "volprobe", "a": "b"},
    "Mountpoint": "/var/lib/docker/volumes/probevol1/_data", "Name": "probevol1", "Options": None, "Scope": "local",
}  # fmt: skip
V2 = {
    "CreatedAt": "2026-12-03T12:32:27Z", "Driver": "local", "Labels": None,
    "Mountpoint": "/var/lib/docker/volumes/probevol2/_data", "Name": "probevol2",
    "Options": {"device": "tmpfs", "type": "tmpfs"}, "Scope": "local",
}  # fmt: skip
V10 = {**V2, "Name": "probevol10", "Mountpoint": "/var/lib/docker/volumes/probevol10/_data"}


@pytest.fixture
def volumes(fake: FakeEngine) -> FakeEngine:
    by_name = {v["Name"]: v for v in (V1, V2, V10)}

    def one(_m: str, path: str, _b: bytes) -> tuple[int, Any]:
        name = path.split("?")[0].rsplit("/", 1)[-1]
        if name in by_name:
            return 200, by_name[name]
        return 404, {"message": f"get {name}: no such volume"}

    fake.route(
        "GET", r"/volumes\?|/volumes$", lambda m, p, b: (200, {"Volumes": [V10, V2, V1], "Warnings": None})
    )
    fake.route("GET", r"/volumes/[^/?]+", one)
    fake.route(
        "DELETE", r"/volumes/[^/?]+", lambda m, p, b: (204, None) if one(m, p, b)[0] == 200 else one(m, p, b)
    )
    return fake


def test_ls_table_sorted_naturally(volumes: FakeEngine) -> None:
    res = run_dkr("volume", "ls")
    assert (res.code, res.err) == (0, "")
    assert res.out == (
        "DRIVER    VOLUME NAME\nlocal     probevol1\nlocal     probevol2\nlocal     probevol10\n"
    )
    assert engine_calls(volumes) == ["GET /v1.41/volumes"]


def test_ls_json_quiet_and_template(volumes: FakeEngine) -> None:
    res = run_dkr("volume", "ls", "--format", "json", "-f", "label=a")
    assert res.out.splitlines()[0] == (
        '{"Availability":"N/A","Driver":"local","Group":"N/A","Labels":"a=b,dkr.test.session=volprobe",'
        '"Links":"N/A","Mountpoint":"/var/lib/docker/volumes/probevol1/_data","Name":"probevol1","Scope":"local",'
        '"Size":"N/A","Status":"N/A"}'
    )
    assert "filters=%7B%22label%22%3A+%5B%22a%22%5D%7D" in engine_calls(volumes)[0]
    assert run_dkr("volume", "ls", "-q").out == "probevol1\nprobevol2\nprobevol10\n"
    assert (
        run_dkr("volume", "ls", "--format", '{{.Name}} {{.Label "a"}}').out.splitlines()[0] == "probevol1 b"
    )


def test_inspect_is_dockers_array(volumes: FakeEngine) -> None:
    res = run_dkr("volume", "inspect", "probevol1", "probevol2")
    assert (res.code, res.err) == (0, "")
    assert json.loads(res.out) == [V1, V2]
    assert res.out.startswith('[\n    {\n        "CreatedAt": "2026-12-03T12:32:27Z",\n')
    missing = run_dkr("volume", "inspect", "nosuch")
    assert (missing.code, missing.out) == (ExitCode.FAILURE, "[]\n")
    assert missing.err_lines == ["dkr: error: cannot inspect volume nosuch: get nosuch: no such volume"]


def test_rm_echoes_each_and_fails_for_the_missing(volumes: FakeEngine) -> None:
    res = run_dkr("volume", "rm", "probevol1", "nosuch", "probevol2")
    assert (res.code, res.out) == (ExitCode.FAILURE, "probevol1\nprobevol2\n")
    assert res.err_lines == ["dkr: error: cannot remove volume nosuch: get nosuch: no such volume"]


def test_create_sends_docker_s_body(fake: FakeEngine) -> None:
    bodies: list[Any] = []

    def create(_m: str, _p: str, body: bytes) -> tuple[int, Any]:
        bodies.append(json.loads(body))
        return 201, {"Name": bodies[-1].get("Name") or "f00d" * 16}

    fake.route("POST", r"/volumes/create", create)
    res = run_dkr("volume", "create", "--label", "a=b", "-o", "type=tmpfs", "-o", "device=tmpfs", "data")
    assert (res.code, res.out) == (0, "data\n")
    assert bodies[0] == {
        "Name": "data", "Driver": "local", "DriverOpts": {"type": "tmpfs", "device": "tmpfs"}, "Labels": {"a": "b"},
    }  # fmt: skip
    assert run_dkr("volume", "create").out == "f00d" * 16 + "\n"


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        pytest.param(["volume", "create", "a"], "invalid volume name 'a'", id="short-name"),
        pytest.param(["volume", "create", "x/y"], "invalid volume name 'x/y'", id="slash"),
        pytest.param(["volume", "create", "-o", "novalue", "v1"], "invalid -o/--opt 'novalue'", id="opt"),
        pytest.param(["volume", "create", "--label", "=x", "v1"], "invalid label '=x'", id="label"),
        pytest.param(["volume", "ls", "-f", "bogus=1"], "invalid filter 'bogus'", id="ls-filter"),
        pytest.param(["volume", "ls", "-f", "dangling=maybe"], "invalid filter 'dangling=maybe'", id="dangling"),
        pytest.param(["volume", "ls", "--format", "{{.Nope}}"], "Nope", id="ls-template"),
        pytest.param(["volume", "prune", "--filter", "until=1h"], '"until" filter is not supported', id="until"),
        pytest.param(["volume", "rm"], "missing argument 'VOLUME...'", id="rm-nothing"),
        pytest.param(["volume", "inspect"], "missing argument 'VOLUME...'", id="inspect-nothing"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(fake: FakeEngine, argv: list[str], line: str) -> None:
    assert_one_line_error(run_dkr(*argv), ExitCode.USAGE, line)
    assert engine_calls(fake) == []


def test_prune_without_a_terminal_refuses(fake: FakeEngine) -> None:
    res = run_dkr("volume", "prune")
    assert res.code == ExitCode.FAILURE and res.out == ""
    assert res.err_lines[0].endswith("refusing without a terminal to ask on")
    assert not any("prune" in r for r in fake.requests)


def test_prune_with_f(fake: FakeEngine) -> None:
    fake.route(
        "POST",
        r"/volumes/prune",
        lambda m, p, b: (200, {"VolumesDeleted": ["v1", "v2"], "SpaceReclaimed": 2048}),
    )
    res = run_dkr("volume", "prune", "-f", "--filter", "label=x")
    assert res.out == "Deleted Volumes:\nv1\nv2\n\nTotal reclaimed space: 2.048kB\n"
