"""dkr logs against the real Engine, compared with the docker CLI itself."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.support import dkr

CHATTY = ["sh", "-c", "echo out1; echo err1 >&2; echo out2; echo err2 >&2; printf 'out3 \\303\\251\\n'"]


def docker_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["docker", *args], capture_output=True, timeout=60, check=True)


def dkr_bytes(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "dkr", *args], capture_output=True, timeout=60)


@pytest.fixture
def chatty(make_container: Any) -> Any:
    ctr = make_container(CHATTY)
    ctr.wait(timeout=30)
    return ctr


@pytest.fixture
def paced(make_container: Any) -> Any:
    """Three lines a second or more apart, so --since and --until can cut between them."""
    ctr = make_container(["sh", "-c", "echo a; sleep 1; echo b; sleep 1; echo c"])
    ctr.wait(timeout=30)
    return ctr


@pytest.mark.podman
def test_stdout_and_stderr_stay_apart_like_docker(chatty: Any) -> None:
    ours = dkr_bytes("logs", chatty.name)
    theirs = docker_cli("logs", chatty.name)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == "out1\nout2\nout3 é\n".encode()  # the container's bytes, not re-encoded
    assert ours.stderr == b"err1\nerr2\n"
    assert (ours.stdout, ours.stderr) == (theirs.stdout, theirs.stderr)


@pytest.mark.podman
@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--tail", "2"], id="tail-2"),
        pytest.param(["-n", "0"], id="tail-0"),
        pytest.param(["--tail", "all", "-t"], id="timestamps"),
        pytest.param(["-t", "--tail", "1"], id="timestamps-tail"),
        pytest.param(["--since", "1h", "--until", "2999-01-01"], id="since-until-wide"),
        pytest.param(["--since", "2999-01-01T00:00:00Z"], id="since-future"),
    ],
)
def test_options_equal_docker(chatty: Any, args: list[str]) -> None:
    ours = dkr_bytes("logs", *args, chatty.id[:12])
    theirs = docker_cli("logs", *args, chatty.id[:12])
    assert ours.returncode == 0, ours.stderr
    assert (ours.stdout, ours.stderr) == (theirs.stdout, theirs.stderr)


@pytest.mark.podman
def test_timestamps_prefix_every_line(chatty: Any) -> None:
    res = dkr("logs", "-t", chatty.name)
    lines = res.stdout.splitlines() + res.stderr.splitlines()
    assert len(lines) == 5
    for line in lines:
        stamp, _, text = line.partition(" ")
        assert stamp.endswith("Z") and "T" in stamp, line
        assert text.startswith(("out", "err"))


def test_since_and_until_cut_where_docker_cuts(paced: Any) -> None:
    stamped = dkr("logs", "-t", paced.name).stdout.splitlines()
    stamps = [line.split(" ", 1)[0] for line in stamped]
    assert [line.split(" ", 1)[1] for line in stamped] == ["a", "b", "c"]
    b_stamp = stamps[1]
    b_unix = _unix(b_stamp)
    for args, expected in (
        (["--since", b_stamp], "b\nc\n"),
        (["--since", b_unix], "b\nc\n"),
        (["--until", b_stamp], "a\nb\n"),
        (["--since", b_stamp, "--until", b_stamp], "b\n"),
    ):
        ours = dkr("logs", *args, paced.name)
        assert ours.returncode == 0, ours.stderr
        assert ours.stdout == expected, args
        assert ours.stdout == docker_cli("logs", *args, paced.name).stdout.decode()


def _unix(rfc3339nano: str) -> str:
    """'2024-01-02T15:04:05.123456789Z' -> '1704207845.123456789' (exact: no float)."""
    whole, _, frac = rfc3339nano.rstrip("Z").partition(".")
    seconds = int(dt.datetime.fromisoformat(whole).replace(tzinfo=dt.timezone.utc).timestamp())
    return f"{seconds}.{frac.ljust(9, '0')}"


SINCE_FORMS = [
    "2024-01-02",
    "2024-01-02T15",
    "2024-01-02T15:04",
    "2024-01-02T15:04:05",
    "2024-01-02T15:04:05.5",
    "2024-01-02T15:04:05Z",
    "2024-01-02T15:04:05.123456789+02:00",
    "2024-01-02T15:04:05-07:30",
    "2024-01-02Z",
    "1704207845",
    "1704207845.25",
]
RELATIVE_FORMS = ["10m", "1h30m", "90s", "1.5h"]


def test_since_is_sent_exactly_as_docker_sends_it(chatty: Any, tmp_path: Path) -> None:
    """Both CLIs through a recording proxy: the Engine gets the same `since` from each, for every form."""
    from tests.integration.proxy import CountingProxy

    env = {"TZ": "America/New_York"}  # local-time forms read in a zone other than UTC, by both
    with CountingProxy(tmp_path / "proxy.sock") as proxy:
        host = f"unix://{proxy.path}"
        for value in [*SINCE_FORMS, *RELATIVE_FORMS]:
            ours = dkr("-H", host, "logs", "--since", value, chatty.id, env=env)
            assert ours.returncode == 0, ours.stderr
            subprocess.run(
                ["docker", "-H", host, "logs", "--since", value, chatty.id],
                capture_output=True,
                timeout=60,
                check=True,
                env={**os.environ, **env},
            )
    sent = [_since(r) for r in proxy.requests if "/logs?" in r]
    assert len(sent) == 2 * (len(SINCE_FORMS) + len(RELATIVE_FORMS))
    pairs = list(zip(sent[::2], sent[1::2], strict=True))
    for value, (mine, docker) in zip(SINCE_FORMS, pairs, strict=False):
        assert mine == docker, value
    for value, (mine, docker) in zip(RELATIVE_FORMS, pairs[len(SINCE_FORMS) :], strict=True):
        assert abs(int(mine) - int(docker)) <= 5, value  # "now" moved on between the two runs


def _since(request_line: str) -> str:
    query = urllib.parse.urlsplit(request_line.split(" ", 1)[1]).query
    return urllib.parse.parse_qs(query)["since"][0]


@pytest.mark.podman
def test_tty_container_output_all_on_stdout(make_container: Any) -> None:
    ctr = make_container(["sh", "-c", "echo out; echo err >&2"], tty=True)
    ctr.wait(timeout=30)
    ours = dkr_bytes("logs", ctr.name)
    assert ours.returncode == 0, ours.stderr
    assert ours.stderr == b""
    assert b"out" in ours.stdout and b"err" in ours.stdout
    assert ours.stdout == docker_cli("logs", ctr.name).stdout


@contextlib.contextmanager
def following(ctr: Any, first_line: str) -> Iterator[subprocess.Popen[str]]:
    """`dkr logs -f` running in the background, once it has printed first_line; killed if still running."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "dkr", "logs", "-f", ctr.name],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == first_line
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.podman
def test_follow_streams_live_and_ends_when_the_container_exits(make_container: Any) -> None:
    ctr = make_container(["sh", "-c", "echo first; while [ ! -e /go ]; do sleep 0.1; done; echo second"])
    with following(ctr, "first\n") as proc:
        # "first" arrived while the container still waits for /go: the output is live
        assert proc.poll() is None
        assert ctr.exec_run(["touch", "/go"]).exit_code == 0
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert out == "second\n"
    assert err == ""


def test_ctrl_c_ends_follow_with_130(make_container: Any) -> None:
    ctr = make_container(["sh", "-c", "echo hello; sleep 300"])
    with following(ctr, "hello\n") as proc:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert out == ""
    assert "Traceback" not in err
    assert all(line.startswith("dkr: ") for line in err.splitlines()), err  # at most dkr's own line
    ctr.reload()
    assert ctr.status == "running"  # interrupting logs leaves the container alone


def assert_one_line_error(res: subprocess.CompletedProcess[str], code: int, *needles: str) -> None:
    assert res.returncode == code, res.stderr
    assert res.stdout == ""
    lines = res.stderr.splitlines()
    assert 1 <= len(lines) <= 2 and lines[0].startswith("dkr: error: "), res.stderr
    assert "Traceback" not in res.stderr
    for needle in needles:
        assert needle in res.stderr


@pytest.mark.podman
def test_missing_container() -> None:
    res = dkr("logs", f"dkrtest-missing-{time.time_ns()}")
    assert_one_line_error(res, 1, "no such container")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        pytest.param(["--tail", "x"], "invalid --tail 'x'", id="tail"),
        pytest.param(["--since", "last tuesday"], "invalid --since 'last tuesday'", id="since"),
    ],
)
def test_bad_values_are_usage_errors(chatty: Any, args: list[str], needle: str) -> None:
    assert_one_line_error(dkr("logs", *args, chatty.name), 2, needle)


def test_logs_of_a_container_without_a_log_reader(make_container: Any) -> None:
    ctr = make_container(["echo", "hi"], log_config={"type": "none", "config": {}})
    ctr.wait(timeout=30)
    assert_one_line_error(dkr("logs", ctr.name), 1, "does not support reading")
