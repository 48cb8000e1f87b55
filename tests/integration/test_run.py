"""dkr run against the real Engine: the bindings docker makes, loopback by default, --wait against a server
that listens late, the foreground run, and every failure with docker's exit code and nothing left behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docker
import pytest

from tests.integration.support import (
    LABELS,
    SESSION,
    Case,
    assert_failed,
    dkr,
    free_port,
    get,
    on_podman,
    side_by_side,
    unique,
)

PAGE = "hello from dkr run"


@contextlib.contextmanager
def _built(client: docker.DockerClient, tmp: Any, tag: str, dockerfile: str) -> Iterator[str]:
    """An image built from `dockerfile` with the session labels, removed afterwards."""
    (tmp / "Dockerfile").write_text(dockerfile)
    client.images.build(path=str(tmp), tag=tag, labels=LABELS, rm=True, forcerm=True)
    yield tag
    with contextlib.suppress(docker.errors.APIError):
        client.images.remove(tag, force=True)


@pytest.fixture(scope="module")
def web_image(
    client: docker.DockerClient, base_image: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """busybox httpd serving one page on port 80, which the image EXPOSEs."""
    dockerfile = (
        f"FROM {base_image}\nRUN mkdir -p /www && echo '{PAGE}' > /www/index.html\nEXPOSE 80\n"
        'CMD ["httpd", "-f", "-p", "80", "-h", "/www"]\n'
    )
    with _built(client, tmp_path_factory.mktemp("web"), f"dkrtest-run-web:{SESSION}", dockerfile) as tag:
        yield tag


@pytest.fixture(scope="module")
def health_image(
    client: docker.DockerClient, web_image: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The web image with a HEALTHCHECK that passes once httpd answers inside the container."""
    dockerfile = f"FROM {web_image}\nHEALTHCHECK --interval=1s --timeout=1s CMD wget -q -O /dev/null http://127.0.0.1/\n"
    with _built(
        client, tmp_path_factory.mktemp("health"), f"dkrtest-run-health:{SESSION}", dockerfile
    ) as tag:
        yield tag


def free_ports(count: int) -> int:
    """The first of `count` consecutive TCP ports free on 127.0.0.1 right now."""
    for _ in range(50):
        first = free_port()
        if first + count > 65535:
            continue
        with contextlib.ExitStack() as stack:
            try:
                for p in range(first, first + count):
                    s = stack.enter_context(socket.socket())
                    s.bind(("127.0.0.1", p))
            except OSError:
                continue
            return first
    raise AssertionError("no free port range")


# --- the bindings ------------------------------------------------------------------------------------------


def test_bindings_equal_dockers_for_explicit_addresses(case: Case, base_image: str) -> None:
    p1, p2, r1, r2 = free_port(), free_port(), free_ports(2), free_ports(6)
    specs = [
        f"127.0.0.1:{p1}:80",
        "127.0.0.1::81/udp",
        f"127.0.0.1:{r1}-{r1 + 1}:82-83",
        "[::1]::84",
        f"::1:{p2}:85",  # the legacy unbracketed IPv6 form
        f"127.0.0.1:{r2}-{r2 + 5}:86",  # a host range for one container port: any free port in it
        "127.0.0.1::87-88/UDP",
        "127.0.0.1:0:89/tcp",
    ]
    args = [arg for spec in specs for arg in ("-p", spec)]
    made = {}
    for tool, cid in side_by_side("run", "-d", *case.args, *args, base_image, "sleep", "300"):
        info = case.client.api.inspect_container(cid)
        made[tool] = (info["HostConfig"]["PortBindings"], info["Config"]["ExposedPorts"])
        case.client.api.remove_container(cid, force=True)  # frees the fixed host ports for the next one
    assert made["dkr"] == made["docker"]
    assert made["dkr"][0]["86/tcp"] == [{"HostIp": "127.0.0.1", "HostPort": f"{r2}-{r2 + 5}"}]


@pytest.mark.podman
def test_publishes_on_loopback_by_default_and_serves(case: Case, web_image: str) -> None:
    port = free_port()
    res = dkr("run", "-d", *case.args, "-p", f"{port}:80", web_image)
    assert res.returncode == 0, res.stderr
    cid = res.stdout.strip()
    assert len(cid) == 64 and res.stdout == cid + "\n"  # stdout: the full id alone
    info = case.client.api.inspect_container(cid)
    assert info["HostConfig"]["PortBindings"] == {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]}
    assert info["NetworkSettings"]["Ports"]["80/tcp"] == [{"HostIp": "127.0.0.1", "HostPort": str(port)}]
    assert f"http://127.0.0.1:{port} -> 80/tcp" in res.stderr
    assert "reachable from other machines" not in res.stderr
    assert get(port, tries=50).strip() == PAGE


def test_publish_all_uses_loopback_too(case: Case, web_image: str) -> None:
    res = dkr("run", "-d", *case.args, "-P", web_image)
    assert res.returncode == 0, res.stderr
    info = case.client.api.inspect_container(res.stdout.strip())
    assert info["HostConfig"]["PortBindings"] == {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}]}
    assert info["HostConfig"]["PublishAllPorts"] is False
    [binding] = info["NetworkSettings"]["Ports"]["80/tcp"]
    assert binding["HostIp"] == "127.0.0.1"
    assert get(int(binding["HostPort"]), tries=50).strip() == PAGE


@pytest.mark.parametrize(
    ("args", "env"),
    [
        pytest.param(["-p", "0.0.0.0::80"], {}, id="explicit 0.0.0.0"),
        pytest.param(["-p", "80"], {"DKR_PUBLISH_IP": "0.0.0.0"}, id="DKR_PUBLISH_IP"),
    ],
)
def test_all_interfaces_is_kept_and_noted(
    case: Case, web_image: str, args: list[str], env: dict[str, str]
) -> None:
    res = dkr("run", "-d", *case.args, *args, web_image, env=env)
    assert res.returncode == 0, res.stderr
    info = case.client.api.inspect_container(res.stdout.strip())
    assert info["HostConfig"]["PortBindings"] == {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": ""}]}
    notes = [line for line in res.stderr.splitlines() if "reachable from other machines" in line]
    assert len(notes) == 1


@pytest.mark.podman
def test_hint_when_the_image_exposes_ports_and_none_is_published(case: Case, web_image: str) -> None:
    res = dkr("run", "-d", *case.args, web_image)
    assert res.returncode == 0, res.stderr
    assert res.stderr.splitlines()[-1] == (
        "hint: the image exposes 80/tcp but nothing is published: add -p 8080:80 or -P"
    )


# --- --wait ------------------------------------------------------------------------------------------------


@pytest.mark.podman
def test_wait_returns_once_the_late_server_answers(case: Case, web_image: str) -> None:
    port = free_port()
    res = dkr(
        "run", "-d", "--wait", *case.args, "-p", f"{port}:80", web_image,
        "sh", "-c", "sleep 2; exec httpd -f -p 80 -h /www",
    )  # fmt: skip
    # one request, no retry: it must answer the moment dkr returns
    assert get(port).strip() == PAGE
    assert res.returncode == 0, res.stderr
    assert f"ready: 127.0.0.1:{port} answered after" in res.stderr


def test_wait_uses_the_healthcheck(case: Case, health_image: str) -> None:
    res = dkr(
        "run", "-d", "--wait", *case.args, health_image, "sh", "-c", "sleep 1; exec httpd -f -p 80 -h /www"
    )
    assert res.returncode == 0, res.stderr
    info = case.client.api.inspect_container(res.stdout.strip())
    assert info["State"]["Health"]["Status"] == "healthy"
    assert "ready: healthy after" in res.stderr


@pytest.mark.podman
@pytest.mark.parametrize("rm", [[], ["--rm"]], ids=["keep", "rm"])
def test_wait_fails_when_the_container_exits(case: Case, web_image: str, rm: list[str]) -> None:
    res = dkr(
        "run", "-d", "--wait", *rm, *case.args, "-p", "80", web_image,
        "sh", "-c", "echo starting; echo config missing >&2; exit 4",
    )  # fmt: skip
    assert_failed(res, 1, "exited with code 4 before it was ready")
    assert "  | starting" in res.stderr and "  | config missing" in res.stderr
    assert res.stderr.splitlines()[-1] == "dkr removed it; its last output is above."
    assert case.containers() == []


@pytest.mark.podman
def test_wait_times_out(case: Case, web_image: str) -> None:
    res = dkr(
        "run", "-d", "--wait", "--wait-timeout", "1.5", *case.args, "-p", "80", web_image,
        "sh", "-c", "echo never listening; sleep 300",
    )  # fmt: skip
    assert_failed(res, 1, "was not ready after 1.5s", "did not answer")
    assert "  | never listening" in res.stderr
    assert res.stderr.splitlines()[-1].endswith("Raise --wait-timeout if it needs longer.")
    assert case.containers() == []


# --- failures: docker's exit codes, one line, nothing left behind ----------------------------------------


@pytest.mark.parametrize("mode", [["-d"], []], ids=["detached", "foreground"])
def test_host_port_taken_by_a_process(case: Case, web_image: str, mode: list[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as holder:
        port = holder.getsockname()[1]
        res = dkr("run", *mode, *case.args, "-p", f"{port}:80", web_image)
    assert_failed(res, 125, f"host port 127.0.0.1:{port} is already in use")
    assert case.containers() == []


@pytest.mark.podman
def test_host_port_taken_by_a_container(case: Case, web_image: str) -> None:
    port = free_port()
    first = dkr("run", "-d", *case.args, "-p", f"{port}:80", web_image)
    assert first.returncode == 0, first.stderr
    res = dkr("run", "-d", *case.args, "-p", f"{port}:80", web_image)
    assert_failed(res, 125, f"host port 127.0.0.1:{port} is already in use")
    assert [c.id for c in case.containers()] == [first.stdout.strip()]


def test_name_in_use_names_the_holder(case: Case, make_container: Any, web_image: str) -> None:
    name = unique("taken")
    holder = make_container(name=name)
    res = dkr("run", "-d", *case.args, "--name", name, web_image)
    assert_failed(res, 125, f"the container name '{name}' is already in use by container {holder.id[:12]}")
    assert case.containers() == []


@pytest.mark.parametrize(
    "mode",
    [
        pytest.param(["-d"], id="detached"),
        pytest.param(["--rm"], id="foreground-rm"),
        # on Podman the foreground run's attach is refused first (it prepares the container's process then)
        pytest.param([], id="foreground", marks=pytest.mark.podman),
    ],
)
@pytest.mark.parametrize(
    ("command", "code", "needle"),
    [
        pytest.param(["no-such-command"], 127, "command not found: 'no-such-command'", id="not-found"),
        pytest.param(["/no/such/file"], 127, "command not found: '/no/such/file'", id="no-such-file"),
        pytest.param(
            ["/www/index.html"], 126, "command cannot be invoked: '/www/index.html'", id="not-executable"
        ),
    ],
)
def test_bad_command(
    case: Case, web_image: str, mode: list[str], command: list[str], code: int, needle: str
) -> None:
    res = dkr("run", *mode, *case.args, web_image, *command)
    assert_failed(res, code, needle)
    assert case.containers() == []


@pytest.mark.podman
def test_pull_never_on_a_missing_image(case: Case) -> None:
    res = dkr("run", "--pull", "never", *case.args, f"dkrtest-missing-{SESSION}:1")
    assert_failed(res, 125, f"no such image locally: dkrtest-missing-{SESSION}:1")
    assert case.containers() == []


def test_malformed_image_reference_is_a_usage_error(case: Case) -> None:
    res = dkr("run", "-d", *case.args, "Not:A:Valid:Ref")
    assert_failed(res, 2, "invalid image 'Not:A:Valid:Ref'", "invalid reference format")
    assert case.containers() == []


def test_pull_always_tries_the_registry_even_for_a_local_image(case: Case, web_image: str) -> None:
    res = dkr("run", "-d", "--pull", "always", *case.args, web_image)
    assert_failed(res, 125, f"cannot pull image '{web_image}'")
    assert case.containers() == []


def test_pull_failure_is_125_with_one_clear_line(case: Case) -> None:
    # No registry is reachable here: --pull missing tries and fails (and never touches a real registry
    # successfully, so nothing is ever downloaded).
    image = f"dkrtest-missing-{SESSION}:1"
    res = dkr("run", "-d", *case.args, image)
    assert_failed(res, 125, f"cannot pull image '{image}'")
    assert res.stderr.splitlines()[0] == f"Unable to find image '{image}' locally"
    assert case.containers() == []


# --- foreground --------------------------------------------------------------------------------------------


def test_foreground_streams_and_returns_the_exit_code(case: Case, base_image: str) -> None:
    res = dkr(
        "run", "--rm", *case.args, base_image, "sh", "-c", "echo out1; echo err1 >&2; echo out2; exit 3"
    )
    assert res.returncode == 3
    assert res.stdout == "out1\nout2\n"
    assert res.stderr == "err1\n"
    assert case.containers() == []  # --rm: gone by the time dkr returns


@pytest.mark.podman
def test_everything_after_the_image_is_the_command(case: Case, base_image: str) -> None:
    res = dkr("run", "--rm", *case.args, base_image, "sh", "-c", 'echo "$0|$1|$*"', "a", "-b", "--c", "-d")
    assert (res.returncode, res.stdout) == (0, "a|-b|-b --c -d\n"), res.stderr


def test_options_reach_the_container(case: Case, base_image: str, tmp_path: Any) -> None:
    env_file = tmp_path / "vars.env"
    env_file.write_text("# a comment\nFROM_FILE=file value\nSHARED=file\n")
    name = unique("opts")
    res = dkr(
        "run", "-d", *case.args, "--name", name, "-e", "SHARED=flag", "-e", "FROM_HOST",
        "--env-file", str(env_file), "-l", "role=web", "-w", "/tmp", "--init", base_image, "sleep", "300",
        env={"FROM_HOST": "host value"},
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    info = case.client.api.inspect_container(res.stdout.strip())
    assert info["Name"] == f"/{name}"
    env = info["Config"]["Env"]
    assert {"FROM_FILE=file value", "SHARED=flag", "FROM_HOST=host value"} <= set(env)
    assert env.index("SHARED=file") < env.index("SHARED=flag")  # -e overrides --env-file, as in docker
    assert info["Config"]["Labels"]["role"] == "web"
    assert info["Config"]["WorkingDir"] == "/tmp"
    assert info["HostConfig"]["Init"] is True
    assert info["HostConfig"]["AutoRemove"] is False


def _start_foreground(case: Case, image: str, *command: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "dkr", "run", "--rm", *case.args, image, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "ready\n"  # the container runs and dkr is streaming its output
    return proc


def test_ctrl_c_stops_the_container_and_returns_its_code(case: Case, base_image: str) -> None:
    proc = _start_foreground(
        case, base_image, "sh", "-c", 'trap "echo bye; exit 42" INT; echo ready; while :; do sleep 0.1; done'
    )
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 42, err
    assert out == "bye\n"
    assert "stopped (exit code 42)" in err
    assert case.containers() == []


def test_second_ctrl_c_kills_a_container_that_ignores_it(case: Case, base_image: str) -> None:
    # PID 1 without a handler ignores SIGINT and SIGTERM: the second Ctrl-C kills it
    proc = _start_foreground(case, base_image, "sh", "-c", "echo ready; exec sleep 300")
    proc.send_signal(signal.SIGINT)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 137, err
    assert "killing" in err
    assert case.containers() == []


def test_a_closed_pipe_ends_the_container(case: Case, base_image: str) -> None:
    # `dkr run img yes | head -1`: once dkr cannot deliver the output, the container must not run on unseen
    proc = _start_foreground(case, base_image, "sh", "-c", "echo ready; exec yes")
    assert proc.stdout is not None
    proc.stdout.close()
    proc.wait(timeout=30)
    assert proc.returncode != 0
    for _ in range(50):  # --rm: the Engine removes it once it is killed
        if not case.containers():
            break
        time.sleep(0.2)
    assert case.containers() == []


def test_dkr_and_docker_agree_on_the_exit_code(case: Case, base_image: str) -> None:
    for command, code in ((["sh", "-c", "exit 7"], 7), (["no-such-command"], 127)):
        ours = dkr("run", "--rm", *case.args, base_image, *command)
        theirs = subprocess.run(
            ["docker", "run", "--rm", *case.args, base_image, *command], capture_output=True, timeout=60
        )
        assert ours.returncode == theirs.returncode == code, ours.stderr


@pytest.mark.podman
def test_init_or_the_engines_reason_why_not(case: Case, client: docker.DockerClient, base_image: str) -> None:
    """--init runs the Engine's init (Docker's docker-init, Podman's catatonit); an Engine without one says
    so in its own words, with exit 125, not a "command not found" for the container's command."""
    podman = on_podman(client)
    has_init = Path("/usr/libexec/podman/catatonit").exists() if podman else bool(shutil.which("docker-init"))
    res = dkr("run", "--rm", "--init", *case.args, base_image, "sh", "-c", "echo pid1=$(cat /proc/1/comm)")
    if has_init:
        assert res.returncode == 0, res.stderr
        assert res.stdout.strip() in ("pid1=catatonit", "pid1=docker-init", "pid1=tini")
    else:
        assert_failed(res, 125, "cannot run container with --init:", "catatonit" if podman else "docker-init")
