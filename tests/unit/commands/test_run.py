"""dkr run's CLI wiring, through the real entry point with the core replaced: argument order (options stop at
IMAGE), usage errors before any Engine call, and what reaches stdout and stderr."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dkr.engine import run as core
from dkr.errors import NotReady
from dkr.models.run import ImageInfo, PublishedPort, Readiness, RunResult, RunSpec
from tests.helpers import assert_one_line_error, run_dkr

#: an endpoint nothing listens on: a command that contacted the Engine would fail with exit 1, not 2
NOWHERE = ("-H", "unix:///nonexistent/dkr-test.sock")
CID = "f" * 64


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, RunSpec, dict[str, Any]]]:
    """Replace the core: record each call's RunSpec and return a canned result."""
    seen: list[tuple[str, RunSpec, dict[str, Any]]] = []

    def foreground(engine: Any, spec: RunSpec, sink: Any, image: Any = None, **kw: Any) -> int:
        seen.append(("foreground", spec, kw))
        sink(1, b"out\n")
        sink(2, b"err\n")
        return 3

    def detached(engine: Any, spec: RunSpec, image: Any = None, **kw: Any) -> RunResult:
        seen.append(("detached", spec, kw))
        ports = (PublishedPort(80, "tcp", "127.0.0.1", 8080), PublishedPort(53, "udp", "127.0.0.1", 5353))
        ready = Readiness("ports", 1.25, ports[:1]) if kw.get("wait_timeout") else None
        image_info = ImageInfo("sha256:1", spec.image, ("80/tcp",))
        result = RunResult(CID, "web", image_info, ports if spec.publish else (), ready)
        kw["deliver"](result)  # the core hands the container over by showing it
        return result

    monkeypatch.setattr(core, "run_foreground", foreground)
    monkeypatch.setattr(core, "run_detached", detached)
    return seen


def test_everything_after_image_is_the_command(calls: list[Any]) -> None:
    res = run_dkr(*NOWHERE, "run", "--rm", "img", "sh", "-c", "ls -l", "-d", "--rm", "-p", "80")
    assert res.code == 3  # the container's exit code
    assert (res.out, res.err) == ("out\n", "err\n")
    kind, spec, _ = calls[0]
    assert kind == "foreground"
    assert spec.command == ("sh", "-c", "ls -l", "-d", "--rm", "-p", "80")
    assert spec.auto_remove is True
    assert spec.publish == ()


def test_options_map_to_the_spec(calls: list[Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / "vars.env"
    env_file.write_text("FROM_FILE=1\nSHARED=file\n")
    monkeypatch.setenv("FROM_HOST", "h")
    res = run_dkr(
        *NOWHERE, "run", "-d", "--name", "web", "-p", "8080:80", "-p", "[::1]::81/udp", "-P",
        "-e", "SHARED=flag", "-e", "FROM_HOST", "--env-file", str(env_file), "-l", "a=b", "--pull", "never",
        "--init", "-w", "/srv", "img",
    )  # fmt: skip
    assert res.code == 0, res.err
    _, spec, kw = calls[0]
    assert spec.name == "web"
    assert [(m.port, m.host_ip, m.host_port) for m in spec.publish] == [
        ("80/tcp", "127.0.0.1", "8080"),
        ("81/udp", "::1", ""),
    ]
    assert spec.publish_all and spec.init and spec.pull == "never" and spec.workdir == "/srv"
    assert spec.env == ("FROM_FILE=1", "SHARED=file", "SHARED=flag", "FROM_HOST=h")
    assert spec.labels == {"a": "b"}
    assert kw["wait_timeout"] is None


def test_mount_options_map_to_the_spec(
    calls: list[Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    res = run_dkr(
        *NOWHERE, "run", "-d", "-v", "./site:/site:ro", "-v", "/data", "-v", "cache:/cache",
        "--mount", "type=tmpfs,dst=/scratch,tmpfs-size=1m", "--tmpfs", "/run:size=64k", "img",
    )  # fmt: skip
    assert res.code == 0, res.err
    _, spec, _ = calls[0]
    assert spec.binds == (f"{tmp_path}/site:/site:ro", "cache:/cache")
    assert spec.volumes == ("/data",)
    assert [m.body() for m in spec.mounts] == [
        {"Type": "tmpfs", "Target": "/scratch", "TmpfsOptions": {"SizeBytes": 1 << 20}}
    ]
    assert spec.tmpfs == {"/run": "size=64k"}


def test_detached_output(calls: list[Any]) -> None:
    res = run_dkr(*NOWHERE, "run", "-d", "-p", "8080:80", "img")
    assert res.code == 0
    assert res.out == CID + "\n"  # stdout: the full id alone
    assert res.err_lines == [
        "web (ffffffffffff) started",
        "  http://127.0.0.1:8080 -> 80/tcp",
        "  127.0.0.1:5353 -> 53/udp",
    ]


def test_detached_hint_when_the_image_exposes_ports_and_none_is_published(calls: list[Any]) -> None:
    res = run_dkr(*NOWHERE, "run", "-d", "img")
    assert res.out == CID + "\n"
    assert (
        res.err_lines[-1] == "hint: the image exposes 80/tcp but nothing is published: add -p 8080:80 or -P"
    )


def test_wait_passes_the_timeout_and_reports(calls: list[Any]) -> None:
    res = run_dkr(*NOWHERE, "run", "-d", "--wait", "-p", "8080:80", "img")
    assert calls[0][2]["wait_timeout"] == 60.0
    assert res.err_lines[-1] == "ready: 127.0.0.1:8080 answered after 1.2s"
    run_dkr(*NOWHERE, "run", "-d", "--wait", "--wait-timeout", "2.5", "img")
    assert calls[1][2]["wait_timeout"] == 2.5


@pytest.mark.parametrize(
    ("why", "line", "hint"),
    [
        (
            "exited",
            "container web exited with code 3 before it was ready",
            "dkr removed it; its last output is above.",
        ),
        (
            "timeout",
            "container web was not ready after 2s: 127.0.0.1:8080 did not answer",
            "dkr removed it; its last output is above. Raise --wait-timeout if it needs longer.",
        ),
    ],
)
def test_not_ready_shows_the_last_lines_then_one_error(
    monkeypatch: pytest.MonkeyPatch, why: str, line: str, hint: str
) -> None:
    def detached(*_a: Any, **_kw: Any) -> Any:
        raise NotReady(
            "web", why, logs=("a", "b"), exit_code=3, timeout=2, pending=("127.0.0.1:8080",), removed=True
        )

    monkeypatch.setattr(core, "run_detached", detached)
    res = run_dkr(*NOWHERE, "run", "-d", "--wait", "--name", "web", "img")
    assert res.code == 1
    assert res.out == ""
    assert res.err_lines == [
        "last output of web:",
        "  | a",
        "  | b",
        f"dkr: error: {line}",
        hint,
    ]


@pytest.mark.parametrize("spec", ["0.0.0.0:8080:80", "[::]::80"])
def test_all_interfaces_note(calls: list[Any], spec: str) -> None:
    res = run_dkr(*NOWHERE, "run", "-d", "-p", spec, "img")
    assert res.err_lines[0].startswith("note: ")
    assert "reachable from other machines" in res.err_lines[0]


def test_publish_ip_from_the_environment(calls: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DKR_PUBLISH_IP", "0.0.0.0")
    res = run_dkr(*NOWHERE, "run", "-d", "-p", "80", "img")
    assert calls[0][1].publish[0].host_ip == "0.0.0.0"
    assert "reachable from other machines" in res.err_lines[0]


def test_loopback_is_quiet(calls: list[Any]) -> None:
    res = run_dkr(*NOWHERE, "run", "-d", "-p", "80", "img")
    assert not any(line.startswith("note:") for line in res.err_lines)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        pytest.param(["-p", "80:", "img"], "invalid port spec '80:' (no container port)", id="port spec"),
        pytest.param(["-p", "70000:80", "img"], "host port '70000' is out of range", id="port range"),
        pytest.param(["-p", "target=80,x", "img"], "expected name=value, got 'x'", id="long form"),
        pytest.param(["--wait", "img"], "--wait needs -d", id="wait without -d"),
        pytest.param(
            ["-d", "--wait-timeout", "3", "img"], "--wait-timeout needs --wait", id="timeout without wait"
        ),
        pytest.param(["-d", "--wait", "--wait-timeout", "0", "img"], "above 0", id="zero timeout"),
        pytest.param(["--pull", "sometimes", "img"], "invalid --pull 'sometimes'", id="pull"),
        pytest.param(
            ["-e", "A=1", "-e", "=x", "img"], "invalid -e/--env (the 2nd): no variable name", id="env"
        ),
        pytest.param(["-l", " =x", "img"], "invalid label", id="label"),
        pytest.param(["--name", "a b", "img"], "invalid container name 'a b'", id="name"),
        pytest.param(["-w", "rel", "img"], "invalid working directory 'rel'", id="workdir"),
        pytest.param(["--env-file", "/nonexistent/x.env", "img"], "cannot read env file", id="env file"),
        pytest.param([], "missing argument 'IMAGE'", id="no image"),
        pytest.param(["--bogus", "img"], "no such option: --bogus", id="unknown option"),
        pytest.param(
            ["-v", "", "img"], "invalid -v/--volume '': invalid empty volume spec", id="volume empty"
        ),
        pytest.param(
            ["-v", "src/app:/app", "img"], 'create src/app: "src/app" includes invalid', id="volume relative"
        ),
        pytest.param(
            ["-v", "/a:/b:rwx", "img"], "invalid -v/--volume '/a:/b:rwx': invalid mode: rwx", id="volume mode"
        ),
        pytest.param(["-v", "/a:/b:ro:x", "img"], "too many colons", id="volume colons"),
        pytest.param(
            ["-v", "data", "img"], "invalid mount path: 'data' mount path must be absolute", id="anon rel"
        ),
        pytest.param(
            ["--mount", "type=bind,dst=/x,x=1", "img"], "unexpected key 'x' in 'x=1'", id="mount key"
        ),
        pytest.param(
            ["--mount", "type=tmpfs,dst=/x,tmpfs-size=1q", "img"],
            "invalid value for tmpfs-size",
            id="mount size",
        ),
        pytest.param(["--mount", "src=/a", "img"], "target is required", id="mount target"),
        pytest.param(["--mount", "type=nfs,dst=/x", "img"], "mount type unknown", id="mount type"),
        pytest.param(["--tmpfs", "run", "img"], "invalid --tmpfs 'run'", id="tmpfs relative"),
        pytest.param(
            ["-v", "/a:/x", "--mount", "type=tmpfs,dst=/x", "img"], "duplicate mount point", id="twice"
        ),
    ],
)
def test_usage_errors_exit_2_before_any_engine_call(calls: list[Any], args: list[str], needle: str) -> None:
    res = run_dkr(*NOWHERE, "run", *args)
    assert_one_line_error(res, 2, needle)
    assert res.err_lines[-1] in ("Run 'dkr run --help' for usage.", "Run 'dkr run -h' for usage.")
    assert calls == []


def test_bad_publish_ip_env_is_a_usage_error(calls: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DKR_PUBLISH_IP", "localhost")
    assert_one_line_error(run_dkr(*NOWHERE, "run", "img"), 2, "invalid DKR_PUBLISH_IP 'localhost'")
    assert calls == []


def test_help_does_not_touch_the_engine(calls: list[Any]) -> None:
    res = run_dkr(*NOWHERE, "run", "--help")
    assert res.code == 0
    assert "Options come before IMAGE" in res.out
    assert "--wait-timeout" in res.out
    assert calls == []
