"""Faults a user's bad day brings, on the real Engine: the Engine dying mid-stream (through a proxy that resets
every connection at a chosen point of the answer), Ctrl-C or SIGTERM while a create request is in flight or
at random instants, and Ctrl-C during a long stop. Each asserts the exit code, one error line, no traceback,
and that nothing dkr created is left on the Engine.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from tests.integration.faults import FaultProxy
from tests.integration.private_engine import PrivateEngine
from tests.integration.support import BUSYBOX, LABEL_ARGS, LABELS, Case, assert_failed, dkr, unique

#: how many random instants: the fixed-seed run in `make test`; DKR_FAULT_RUNS raises it for a longer run
RUNS = int(os.environ.get("DKR_FAULT_RUNS", "100"))
UPS = max(1, RUNS // 5)


@pytest.fixture
def proxy(tmp_path: Path) -> Iterator[FaultProxy]:
    with FaultProxy(tmp_path / "engine.sock") as p:
        yield p


def via(proxy: FaultProxy) -> dict[str, str]:
    return {"DOCKER_HOST": proxy.url}


def popen(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "dkr", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def assert_lost(res: subprocess.CompletedProcess[str], doing: str) -> None:
    assert_failed(res, 1, f"the Engine connection was lost while trying to {doing}")
    assert "internal error" not in res.stderr


def app_folder(tmp_path: Path, base_image: str, marker: str) -> Path:
    """A folder to build, with a step that prints `marker` and then runs a while. (Labels come from the
    command line: a LABEL here would also mark the builder's own step containers.)"""
    app = tmp_path / "app"
    app.mkdir()
    (app / "Dockerfile").write_text(
        f"FROM {base_image}\nRUN echo one\n"
        f'RUN echo {marker} && sleep 3\nCMD ["httpd", "-f", "-p", "80"]\nEXPOSE 80\n'
    )
    return app


def label_args(flag: str, case: Case) -> list[str]:
    return [arg for label in [*(f"{k}={v}" for k, v in LABELS.items()), case.label] for arg in (flag, label)]


# --- the Engine dies mid-stream ---------------------------------------------------------------------------


def test_engine_dies_during_build(proxy: FaultProxy, case: Case, base_image: str, tmp_path: Path) -> None:
    app = app_folder(tmp_path, base_image, "marker-build")
    proxy.kill_on(b"marker-build")
    res = dkr("build", *label_args("--label", case), str(app), env=via(proxy))
    assert_lost(res, "build")
    assert "The build did not finish: no image was tagged." in res.stderr


def test_engine_dies_during_up(proxy: FaultProxy, case: Case, base_image: str, tmp_path: Path) -> None:
    app = app_folder(tmp_path, base_image, "marker-up")
    proxy.kill_on(b"marker-up")
    res = dkr("up", "--name", unique("up"), *label_args("-l", case), str(app), env=via(proxy))
    assert_lost(res, "build")
    assert not case.containers()


def test_engine_dies_during_a_foreground_run(proxy: FaultProxy, case: Case, base_image: str) -> None:
    # the marker is in the container's output only (its command, which inspect answers show, spells it apart)
    proxy.kill_on(b"ready-2-marker")
    res = dkr(
        "run", *case.args, base_image, "sh", "-c", "echo ready-$((1+1))-marker; sleep 30", env=via(proxy),
        timeout=60,
    )  # fmt: skip
    assert_lost(res, "read the container's exit code")
    assert "dkr ps -a shows it once the Engine is back" in res.stderr


def test_engine_dies_during_wait_says_what_is_left(proxy: FaultProxy, case: Case, base_image: str) -> None:
    # the container never answers on its port; the Engine dies while --wait inspects it
    proxy.kill_on(b'"Running":true')
    res = dkr(
        "run", "-d", "--wait", "-p", "127.0.0.1::80", *case.args, base_image, "sleep", "60", env=via(proxy)
    )
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr
    assert "the Engine connection was lost" in res.stderr
    left = [ctr.id[:12] for ctr in case.containers()]
    assert len(left) == 1  # dkr could not remove it, and says so, with the command that does
    assert f"container {left[0]} was left behind: remove it with dkr rm -f {left[0]}" in res.stderr


def test_logs_follow_when_the_engine_dies(proxy: FaultProxy, case: Case, make_container: object) -> None:
    key, _, value = case.label.partition("=")
    ctr = make_container(  # type: ignore[operator]
        ["sh", "-c", "i=0; while :; do echo line-$i; i=$((i+1)); sleep 0.1; done"], labels={key: value}
    )
    proxy.kill_on(b"line-20")
    res = dkr("logs", "-f", ctr.id, env=via(proxy), timeout=60)
    assert res.returncode == 1, res.stderr
    assert res.stdout.startswith("line-0\n")  # what arrived before is kept
    assert res.stderr.splitlines() == [
        "dkr: error: the Engine connection was lost while trying to read the log stream: its answer was cut off",
        "The container itself is not affected: dkr logs again once the Engine is back.",
    ]


# --- Ctrl-C and SIGTERM while the create request is in flight ---------------------------------------------


@pytest.mark.parametrize(
    ("detach", "sig", "code"),
    [
        pytest.param(True, signal.SIGINT, 130, id="run-d-sigint"),
        pytest.param(False, signal.SIGINT, 130, id="run-sigint"),
        pytest.param(True, signal.SIGTERM, 143, id="run-d-sigterm"),
    ],
)
def test_interrupt_while_create_is_in_flight_leaves_nothing(
    proxy: FaultProxy, case: Case, base_image: str, detach: bool, sig: signal.Signals, code: int
) -> None:
    proxy.hold_answer(rb"/containers/create", 1.5)
    proc = popen("run", *(["-d"] if detach else []), *case.args, base_image, "sleep", "30", env=via(proxy))
    assert proxy.in_flight.wait(20), proc.communicate()
    time.sleep(0.2)  # the Engine has the request; its answer is held
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    assert "Traceback" not in err and "internal error" not in err
    assert case.containers() == [], err


def test_interrupt_while_ups_create_is_in_flight_leaves_nothing(
    proxy: FaultProxy, case: Case, base_image: str, tmp_path: Path
) -> None:
    app = app_folder(tmp_path, base_image, "marker-up-create")
    proxy.hold_answer(rb"/containers/create", 1.5)
    proc = popen("up", "--name", unique("up"), *label_args("-l", case), str(app), env=via(proxy))
    assert proxy.in_flight.wait(60), proc.communicate()
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert case.containers() == [], err


# --- Ctrl-C at random instants (a fixed seed; DKR_FAULT_RUNS for a longer run) ----------------------------


def _interrupted(proc: subprocess.Popen[str], delay: float) -> tuple[int, str]:
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err


def test_ctrl_c_at_random_instants_of_run_leaves_nothing(
    client: docker.DockerClient, base_image: str
) -> None:
    rng = random.Random(20261203)
    tag = uuid.uuid4().hex[:8]
    outcomes: dict[int, int] = {}
    try:
        for i in range(RUNS):
            label = f"dkr.test.case=faults-{tag}-{i}"
            detach = i % 2 == 0
            args = ["-d", "--wait", "-p", "127.0.0.1::80"] if detach else ["--rm", "--init"]
            cmd = ["httpd", "-f", "-p", "80"] if detach else ["sleep", "2"]
            proc = popen("run", *args, *LABEL_ARGS, "-l", label, base_image, *cmd)
            # from 0.12 s: before that the interpreter is still starting up and no dkr code runs (a Ctrl-C
            # then gets Python's own traceback from its start-up, and nothing can have been created)
            code, err = _interrupted(proc, rng.uniform(0.12, 0.6))
            outcomes[code] = outcomes.get(code, 0) + 1
            assert "Traceback" not in err and "internal error" not in err, err
            left = client.containers.list(all=True, filters={"label": [label]})
            if code == 0 and detach:
                assert len(left) == 1, err  # it started before the signal: handed over, the user's now
                left[0].remove(force=True)
            elif not detach:
                # foreground --rm: the first Ctrl-C is the container's; it ends and goes, with dkr
                assert left == [] or _gone_soon(client, label), (code, err, [c.attrs["State"] for c in left])
            else:
                assert left == [], (code, err)
    finally:
        for ctr in client.containers.list(all=True, filters={"label": ["dkr.test.case"]}):
            if ctr.labels.get("dkr.test.case", "").startswith(f"faults-{tag}"):
                ctr.remove(force=True)
    assert 130 in outcomes  # some instants landed before the container ran


def _gone_soon(client: docker.DockerClient, label: str, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not client.containers.list(all=True, filters={"label": [label]}):
            return True
        time.sleep(0.2)
    return False


def _only_left_soon(client: docker.DockerClient, label: str, name: str, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(c.name == name for c in client.containers.list(all=True, filters={"label": [label]})):
            return True
        time.sleep(0.2)
    return False


def test_ctrl_c_at_random_instants_of_up_leaves_nothing(
    client: docker.DockerClient, base_image: str, tmp_path: Path
) -> None:
    rng = random.Random(3)
    tag = uuid.uuid4().hex[:8]
    label = f"dkr.test.case=faults-up-{tag}"
    app = tmp_path / "app"
    app.mkdir()
    (app / "Dockerfile").write_text(f'FROM {base_image}\nEXPOSE 80\nCMD ["httpd", "-f", "-p", "80"]\n')
    name = unique("upfault")
    try:
        for _ in range(UPS):
            proc = popen("up", "--name", name, "-l", label, str(app))
            code, err = _interrupted(proc, rng.uniform(0.1, 1.2))
            assert "Traceback" not in err and "internal error" not in err, err
            left = client.containers.list(all=True, filters={"label": [label]})
            # up replaces its own container: at most the one that was handed over (exit 0) remains
            ours = [c for c in left if c.name == name]
            assert len(ours) <= 1, (code, err, [c.name for c in left])
            # any other is the classic builder's container for the step the Ctrl-C cancelled (a LABEL step
            # says no "Running in <id>", so dkr cannot know it): the Engine removes it as the build ends
            assert _only_left_soon(client, label, name), (code, err, [c.name for c in left])
    finally:
        for ctr in client.containers.list(all=True, filters={"label": [label]}):
            ctr.remove(force=True)
        for img in client.images.list(filters={"label": ["dkr.up"]}):
            if any(t.startswith(f"dkr-up/{name}") for t in img.tags):
                client.images.remove(img.id, force=True)


# --- Ctrl-C during a long stop ----------------------------------------------------------------------------


def test_ctrl_c_during_a_long_stop_returns_at_once(
    client: docker.DockerClient, make_container: object, case: Case
) -> None:
    ctr = make_container(  # type: ignore[operator]
        ["sh", "-c", 'trap "sleep 4; exit 0" TERM; while :; do sleep 1; done']
    )
    proc = popen("stop", "-t", "60", ctr.id)
    time.sleep(2)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    returned = time.monotonic() - sent
    assert proc.returncode == 130, err
    assert returned < 1.0, returned
    assert "Traceback" not in err
    assert "the Engine goes on stopping" in err and "dkr ps -a shows when it is done" in err
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the Engine finishes the stop it was asked for
        ctr.reload()
        if ctr.status == "exited":
            break
        time.sleep(0.2)
    assert ctr.status == "exited"


# --- a real Engine killed mid-answer (a private one: its own socket, bridge, data) ------------------------


@pytest.fixture
def private_engine(tmp_path: Path) -> Iterator[tuple[PrivateEngine, str]]:
    engine = PrivateEngine()
    try:
        engine.start()
        base = tmp_path / "base"
        base.mkdir()
        shutil.copy(BUSYBOX, base / "busybox")
        (base / "Dockerfile").write_text(
            'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n'
        )
        client = engine.client()
        client.images.build(path=str(base), tag="dkrtest-private-base:1", rm=True, forcerm=True)
        client.close()
        yield engine, "dkrtest-private-base:1"
    finally:
        engine.stop()  # everything it held goes with its data root


def _kill_when(
    proc: subprocess.Popen[str], stream: str, needle: str, engine: PrivateEngine
) -> tuple[str, str]:
    """Read `stream` line by line until `needle`, then SIGKILL the Engine; the rest of dkr's output."""
    pipe = proc.stderr if stream == "err" else proc.stdout
    assert pipe is not None
    seen = []
    for line in pipe:
        seen.append(line)
        if needle in line:
            break
    engine.kill()
    out, err = proc.communicate(timeout=60)
    return (out, "".join(seen) + err) if stream == "err" else ("".join(seen) + out, err)


@pytest.mark.parametrize("command", ["build", "up"])
def test_killing_the_engine_during_a_build(
    private_engine: tuple[PrivateEngine, str], tmp_path: Path, command: str
) -> None:
    engine, base = private_engine
    app = app_folder(tmp_path, base, "marker")
    args = ["up", "--name", "app", str(app)] if command == "up" else ["build", str(app)]
    proc = popen("-H", engine.url, *args)
    _out, err = _kill_when(proc, "err", "step 2/", engine)
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "internal error" not in err
    errors = [line for line in err.splitlines() if line.startswith("dkr: error:")]
    assert errors == [errors[0]] and errors[0].startswith("dkr: error: the Engine connection was lost"), err


def test_killing_the_engine_during_a_foreground_run(private_engine: tuple[PrivateEngine, str]) -> None:
    engine, base = private_engine
    proc = popen("-H", engine.url, "run", base, "sh", "-c", "echo started-up; sleep 30")
    out, err = _kill_when(proc, "out", "started-up", engine)
    assert proc.returncode == 1, err
    assert out == "started-up\n"
    assert "Traceback" not in err and "internal error" not in err
    errors = [line for line in err.splitlines() if line.startswith("dkr: error:")]
    assert errors == [errors[0]] and errors[0].startswith("dkr: error: the Engine connection was lost"), err


def test_a_frozen_engine_is_one_line_within_ten_seconds(private_engine: tuple[PrivateEngine, str]) -> None:
    engine, _base = private_engine
    assert engine.proc is not None
    os.killpg(engine.proc.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        res = dkr("-H", engine.url, "ps", timeout=30)
        took = time.monotonic() - started
    finally:
        os.killpg(engine.proc.pid, signal.SIGCONT)
    assert_failed(res, 1, f"cannot connect to the Docker Engine at {engine.url}", "timed out")
    assert took < 10, took


def test_engine_dies_during_stop(proxy: FaultProxy, make_container: object) -> None:
    ctr = make_container()  # type: ignore[operator]
    proxy.kill_on(b'"Running":true')  # stop inspects the container first: it dies in that answer
    res = dkr("stop", "-t", "1", ctr.id[:12], env=via(proxy))
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr
    assert res.stderr.splitlines() == [
        f"dkr: error: cannot stop '{ctr.id[:12]}': the Engine connection was lost: its answer was cut off"
    ]


def test_killing_the_engine_during_run_it_restores_the_terminal(
    private_engine: tuple[PrivateEngine, str],
) -> None:
    from tests.integration.test_interactive import PROMPT, Terminal

    engine, base = private_engine
    t = Terminal(["-H", engine.url, "run", "-it", "--rm", base, "sh"])
    try:
        t.read_until(PROMPT)
        assert not t.restored()
        engine.kill()
        assert t.wait() == 1
        assert t.restored()
        text = t.out.decode(errors="replace")
        assert "Traceback" not in text and "internal error" not in text
        assert "dkr: error: the Engine connection was lost" in text, text[-500:]
    finally:
        t.close()
