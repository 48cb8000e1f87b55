"""Several Engines at once through the real entry point: two fake Engines named by contexts in a private
DOCKER_CONFIG (-c a,b), a third context whose socket is gone (an Engine that does not answer)."""

from __future__ import annotations

import hashlib
import json
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dkr.cli import COMMANDS
from tests.helpers import assert_one_line_error, run_dkr, write_context
from tests.unit.fake_engine import FakeEngine, engine_calls

DATA = Path(__file__).parents[1] / "data"


def _container(cid: str, name: str) -> dict[str, Any]:
    item: dict[str, Any] = json.loads((DATA / "containers_list.json").read_text())[0]
    return {**item, "Id": cid, "Names": [f"/{name}"]}


def serve(fake: FakeEngine, *names: str) -> None:
    """`fake` has running containers with these names (ids derived from them)."""
    items = [_container(hashlib.sha256(n.encode()).hexdigest(), n) for n in names]
    by_ref = {ref: item for item in items for ref in (item["Id"], item["Names"][0][1:])}
    fake.route("GET", r"/containers/json", lambda m, p, b: (200, items))

    def inspect(_m: str, path: str, _b: bytes) -> tuple[int, Any]:
        ref = path.split("?")[0].split("/")[-2]
        item = by_ref.get(ref)
        if item is None:
            return 404, {"message": f"No such container: {ref}"}
        return 200, {"Id": item["Id"], "Name": item["Names"][0], "State": {"Running": True}, "Config": {}}

    fake.route("GET", r"/containers/[^/]+/json", inspect)
    fake.route("POST", r"/containers/[^/]+/stop", lambda m, p, b: (204, b""))
    fake.route("DELETE", r"/containers/[^/]+", lambda m, p, b: (204, b""))


@pytest.fixture
def engines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, FakeEngine]]:
    """Contexts a and b on two fake Engines, and `gone` on a socket nothing listens on."""
    config = tmp_path / "config"
    monkeypatch.setenv("DOCKER_CONFIG", str(config))
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    with FakeEngine(tmp_path / "a.sock") as a, FakeEngine(tmp_path / "b.sock") as b:
        for name, fake in (("a", a), ("b", b)):
            write_context(config, name, fake.url)
        write_context(config, "gone", f"unix://{tmp_path}/gone.sock")
        yield {"a": a, "b": b}


def test_ps_over_two_engines_has_the_engine_column_first(engines: dict[str, FakeEngine]) -> None:
    serve(engines["a"], "web")
    serve(engines["b"], "db", "cache")
    res = run_dkr("-c", "a", "-c", "b", "ps")
    assert res.code == 0, res.err
    lines = res.out.splitlines()
    assert lines[0].split()[:3] == ["ENGINE", "CONTAINER", "ID"]
    assert [(line.split()[0], line.split()[-1]) for line in lines[1:]] == [
        ("a", "web"),
        ("b", "db"),
        ("b", "cache"),
    ]


def test_ps_json_lines_carry_the_engine(engines: dict[str, FakeEngine]) -> None:
    serve(engines["a"], "web")
    serve(engines["b"], "db")
    res = run_dkr("-c", "a,b", "ps", "--format", "json")
    assert res.code == 0, res.err
    assert [(o["Engine"], o["Names"]) for o in map(json.loads, res.out.splitlines())] == [
        ("a", "web"),
        ("b", "db"),
    ]
    res = run_dkr("-c", "a,b", "ps", "--format", "{{.Engine}}/{{.Names}}")
    assert res.out.splitlines() == ["a/web", "b/db"]


def test_one_engine_named_twice_is_one_engine_and_todays_output(engines: dict[str, FakeEngine]) -> None:
    serve(engines["a"], "web")
    res = run_dkr("-c", "a,a", "ps")
    assert res.code == 0 and res.out.startswith("CONTAINER ID"), res.out
    assert run_dkr("-c", "a", "ps").out == res.out
    # {{.Engine}} is a field only with several Engines, as without fan-out (exit 2)
    assert run_dkr("-c", "a", "ps", "--format", "{{.Engine}}").code == 2


def test_an_engine_that_does_not_answer_is_one_line_and_the_others_are_shown(
    engines: dict[str, FakeEngine],
) -> None:
    serve(engines["a"], "web")
    res = run_dkr("-c", "a,gone", "ps")
    assert res.code == 1
    assert [line.split()[-1] for line in res.out.splitlines()[1:]] == ["web"]
    assert len(res.err_lines) == 1, res.err
    assert res.err.startswith("dkr: error: Engine 'gone': cannot connect to the Docker Engine at unix://")


def test_images_over_two_engines(engines: dict[str, FakeEngine]) -> None:
    images = json.loads((DATA / "images.json").read_text())
    engines["a"].route("GET", r"/images/json", lambda m, p, b: (200, images[:1]))
    engines["b"].route("GET", r"/images/json", lambda m, p, b: (200, images[:1]))
    res = run_dkr("-c", "a,b", "images", "--format", "json")
    assert res.code == 0, res.err
    assert [json.loads(line)["Engine"] for line in res.out.splitlines()] == ["a"] * (
        len(res.out.splitlines()) // 2
    ) + ["b"] * (len(res.out.splitlines()) // 2)


def test_stop_acts_on_the_engine_that_has_each_container(engines: dict[str, FakeEngine]) -> None:
    serve(engines["a"], "web")
    serve(engines["b"], "db")
    res = run_dkr("-c", "a,b", "stop", "db", "web")
    assert (res.code, res.out, res.err) == (0, "db\nweb\n", "")
    assert [r for r in engine_calls(engines["a"]) if "/stop" in r] == [
        f"POST /v1.41/containers/{hashlib.sha256(b'web').hexdigest()}/stop"
    ]
    assert [r for r in engine_calls(engines["b"]) if "/stop" in r] == [
        f"POST /v1.41/containers/{hashlib.sha256(b'db').hexdigest()}/stop"
    ]


def test_a_name_on_two_engines_is_stopped_nowhere(engines: dict[str, FakeEngine]) -> None:
    serve(engines["a"], "web", "only-a")
    serve(engines["b"], "web")
    res = run_dkr("-c", "a,b", "stop", "web", "only-a")
    assert res.code == 1
    assert res.out == "only-a\n"
    assert res.err_lines == [
        "dkr: error: cannot stop 'web': it is on 2 Engines, a and b: nothing was done (name one with -c)"
    ]
    stops = [r for f in engines.values() for r in engine_calls(f) if "/stop" in r]
    assert len(stops) == 1 and hashlib.sha256(b"only-a").hexdigest() in stops[0]


def test_rm_nowhere_is_todays_no_such_container(engines: dict[str, FakeEngine]) -> None:
    serve(engines["a"], "web")
    serve(engines["b"], "db")
    res = run_dkr("-c", "a,b", "rm", "nope", "db")
    assert res.code == 1 and res.out == "db\n"
    assert res.err_lines == ["dkr: error: cannot remove 'nope': no such container: nope"]
    assert run_dkr("-c", "a,b", "rm", "-f", "nope").code == 0


def test_stop_with_an_engine_down_still_stops_on_the_others(engines: dict[str, FakeEngine]) -> None:
    serve(engines["a"], "web")
    res = run_dkr("-c", "a,gone", "stop", "web")
    assert res.code == 1 and res.out == "web\n"
    assert len(res.err_lines) == 1 and res.err.startswith("dkr: error: Engine 'gone': cannot connect")


def test_version_shows_the_client_once_and_each_server(engines: dict[str, FakeEngine]) -> None:
    res = run_dkr("-c", "a,b,gone", "version")
    assert res.code == 1
    assert res.out.count("Client: dkr") == 1 and res.out.count("Server: Docker Engine at") == 2
    assert "(context a)" in res.out and "(context b)" in res.out
    assert len(res.err_lines) == 1 and "Engine 'gone'" in res.err
    res = run_dkr("-c", "a,b", "version", "--format", "json")
    assert [o["Engine"] for o in json.loads(res.out)] == ["a", "b"]


def _logs(fake: FakeEngine, payload: bytes) -> None:
    serve(fake, "web")
    frames = b"".join(b"\x01\x00\x00\x00" + len(p).to_bytes(4, "big") + p for p in payload.split(b"|"))
    fake.route("GET", r"/containers/[^/]+/logs", lambda m, p, b: (200, frames))


def test_logs_lines_are_prefixed_with_their_engine(engines: dict[str, FakeEngine]) -> None:
    _logs(engines["a"], b"one\nt|wo\n")
    _logs(engines["b"], b"three\n|last without newline")
    res = run_dkr("-c", "a,b", "logs", "web")
    assert res.code == 0, res.err
    assert sorted(res.out.splitlines()) == sorted(
        ["a | one", "a | two", "b | three", "b | last without newline"]
    )


def test_logs_of_a_container_no_engine_has(engines: dict[str, FakeEngine]) -> None:
    serve(engines["a"])
    serve(engines["b"])
    assert_one_line_error(run_dkr("-c", "a,b", "logs", "nope"), 1, "no such container: nope")


FANNING = {"ps", "images", "logs", "stop", "rm", "version"}


#: lint and logout never ask an Engine (a Dockerfile, the docker CLI's config.json): any -c is theirs to ignore
@pytest.mark.parametrize("command", sorted(set(COMMANDS) - FANNING - {"lint", "logout"}))
def test_every_other_command_refuses_several_engines_before_any_engine_call(
    engines: dict[str, FakeEngine], command: str, tmp_path: Path
) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "Dockerfile").write_text("FROM scratch\n")
    args = {
        "run": ["img"],
        "exec": ["c", "true"],
        "cp": ["c:/a", "b"],
        "rename": ["a", "b"],
        "tag": ["a", "b"],
        "stats": ["--no-stream"],
        "container": ["prune", "-f"],
        "image": ["prune", "-f"],
        "system": ["df"],
        "volume": ["ls"],
        "network": ["ls"],
        "build": [str(app)],
        "up": [str(app)],
        "context": ["show"],
        "swarm": ["leave"],
        "node": ["ls"],
        "service": ["ls"],
    }
    res = run_dkr("-c", "a,b", command, *args.get(command, ["x"]))
    assert res.code == 2, (command, res.err)
    assert res.err_lines[0] == f"dkr: error: dkr {command} works on one Engine; 2 were given (-c a,b)"
    assert engine_calls(engines["a"]) == engine_calls(engines["b"]) == []


def test_all_contexts_and_host_conflicts(engines: dict[str, FakeEngine]) -> None:
    assert_one_line_error(run_dkr("-H", engines["a"].url, "-c", "a,b", "ps"), 2, "both --host and --context")
    assert_one_line_error(run_dkr("-c", "a", "--all-contexts", "ps"), 2, "--context and --all-contexts")


def test_all_contexts_with_only_default_is_todays_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeEngine
) -> None:
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "empty-config"))
    serve(fake, "web")
    plain = run_dkr("ps")
    assert plain.code == 0 and plain.out.startswith("CONTAINER ID")
    assert run_dkr("--all-contexts", "ps") == plain
    assert run_dkr("--all-contexts", "version") == run_dkr("version")


def test_on_a_narrow_terminal_the_engine_column_stays(engines: dict[str, FakeEngine]) -> None:
    serve(engines["a"], "web")
    serve(engines["b"], "db")
    res = run_dkr("-c", "a,b", "ps", tty=True, width=40)
    assert res.code == 0, res.err
    header, _rule, *rows = re.sub(r"\x1b\[[0-9;]*m", "", res.out).splitlines()  # bold header
    assert header.split()[0] == "ENGINE" and "NAMES" in header and "COMMAND" not in header
    assert [(row.split()[0], row.split()[-1]) for row in rows] == [("a", "web"), ("b", "db")]


def test_ctrl_c_ends_logs_across_engines_at_once(engines: dict[str, FakeEngine]) -> None:
    released = threading.Event()

    def never_ending(_m: str, _p: str, _b: bytes) -> tuple[int, Any]:
        released.wait(30)  # an Engine that has not written yet (a quiet container under -f)
        return 200, b""

    for fake in engines.values():
        serve(fake, "web")
        fake.route("GET", r"/containers/[^/]+/logs", never_ending)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dkr", "-c", "a,b", "logs", "-f", "web"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not all(any("/logs" in r for r in f.requests) for f in engines.values()):
            assert time.monotonic() < deadline and proc.poll() is None, proc.stderr
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        released.set()
        if proc.poll() is None:
            proc.kill()
    assert (proc.returncode, out) == (130, ""), err
    assert "Traceback" not in err
