"""Ports on a remote Engine (issue 13): dkr's loopback default binds the *Engine host's* 127.0.0.1, the
started message says so and how to reach it, and --wait probes where the port really is - through the ssh
connection for ssh://, at the Engine's host for tcp:// - never this machine's own 127.0.0.1.

The remote Engine is a dockerd in a network namespace this run creates (tests/integration/remote_engine.py),
reached at its veth address. A decoy server on *this* machine's 127.0.0.1, on the same port, answers every
connection: a --wait that probed here would wrongly call a silent container ready.
"""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator

import pytest

from tests.integration.remote_engine import RemoteEngine
from tests.integration.support import BUSYBOX, LABEL_ARGS, LABELS, dkr, free_port

#: Engines of its own only (the main Engine is never touched): `make test` runs it beside the rest
pytestmark = pytest.mark.beside


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteEngine]:
    if shutil.which("nsenter") is None or shutil.which("ip") is None:
        pytest.skip("needs nsenter and ip (util-linux, iproute2) and root")
    with RemoteEngine() as engine:
        ctx = tmp_path_factory.mktemp("remote-web")
        shutil.copy(BUSYBOX, ctx / "busybox")
        (ctx / "Dockerfile").write_text(
            'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n'
            "RUN mkdir /www && echo remote-ok > /www/index.html\n"
            'CMD ["httpd", "-f", "-p", "80", "-h", "/www"]\n'
        )
        client = engine.client()
        client.images.build(path=str(ctx), tag="dkrtest-remote-web:1", labels=LABELS, rm=True)
        client.close()
        yield engine


@pytest.fixture
def decoy() -> Iterator[int]:
    """A server on this machine's 127.0.0.1 that accepts and stays open: what a wrong probe would find."""
    port = free_port()
    server = socket.create_server(("127.0.0.1", port))
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield port
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    server.close()


def _run(url: str, env: dict[str, str], *args: str, timeout: float = 60) -> tuple[int, str, str]:
    res = dkr("-H", url, "run", "-d", *LABEL_ARGS, *args, timeout=timeout, env=env)
    return res.returncode, res.stdout, res.stderr


def test_tcp_loopback_default_is_said_to_be_on_the_engines_host(remote: RemoteEngine, decoy: int) -> None:
    code, out, err = _run(remote.tcp_url, {}, "-p", f"{decoy}:80", "--wait", "dkrtest-remote-web:1")
    assert code == 0, err
    assert out.strip()
    assert f"started on {remote.ip} (the Engine's host)" in err
    assert f"on the loopback of the Engine's host {remote.ip}, not reachable from here" in err
    assert f"-p 0.0.0.0:{decoy}:80" in err
    assert f"ready: running (not probed: 127.0.0.1:{decoy} on the loopback of {remote.ip}" in err
    assert "answered" not in err  # the decoy here answers; it must not have been asked
    # the port is where dkr says: on the remote host's own loopback
    fetched = remote.in_netns(str(BUSYBOX), "wget", "-qO-", f"http://127.0.0.1:{decoy}/", timeout=20)
    assert fetched.stdout.strip() == "remote-ok", fetched.stderr


def test_tcp_wait_probes_the_engines_host_not_this_machine(remote: RemoteEngine, decoy: int) -> None:
    # nothing listens in the container: only a probe of this machine's 127.0.0.1 (the decoy) would answer
    spec = (
        "-p",
        f"0.0.0.0:{decoy}:80",
        "--wait",
        "--wait-timeout",
        "3",
        "dkrtest-remote-web:1",
        "sleep",
        "60",
    )
    code, out, err = _run(remote.tcp_url, {}, *spec)
    assert code == 1, err
    assert out == ""
    assert f"{remote.ip}:{decoy}" in err
    code, _, err = _run(remote.tcp_url, {}, "-p", f"0.0.0.0:{decoy}:80", "--wait", "dkrtest-remote-web:1")
    assert code == 0, err
    assert f"ready: {remote.ip}:{decoy} answered" in err
    assert f"http://{remote.ip}:{decoy} -> 80/tcp" in err


def test_ssh_wait_probes_through_the_ssh_connection(remote: RemoteEngine, decoy: int) -> None:
    assert remote.sshd is not None
    env = remote.sshd.env
    spec = ("-p", f"{decoy}:80", "--wait", "--wait-timeout", "3", "dkrtest-remote-web:1", "sleep", "60")
    code, out, err = _run(remote.ssh_url, env, *spec)
    assert code == 1, err
    assert out == ""
    code, _, err = _run(remote.ssh_url, env, "-p", f"{decoy}:80", "--wait", "dkrtest-remote-web:1")
    assert code == 0, err
    assert f"started on {remote.ip} (the Engine's host)" in err
    assert f"ready: 127.0.0.1:{decoy} answered" in err
    forward = f"ssh -N -L {decoy}:127.0.0.1:{decoy} -p 2222 {remote.sshd.user}@{remote.ip}"
    assert f"on {remote.ip}'s loopback: forward it with `{forward}`" in err
