"""--wait without a daemon: the TCP probe against local servers that behave like docker's userland proxy, and
wait_until_ready's decisions over recorded inspect payloads (tests/unit/data/)."""

from __future__ import annotations

import copy
import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dkr.engine import run as core
from dkr.engine.client import Engine
from dkr.errors import CommandNotFound, EngineError
from dkr.hosts import Endpoint
from dkr.models.run import ImageInfo, PublishedPort, RunResult
from tests.unit.fake_engine import FakeEngine

DATA = Path(__file__).parents[1] / "data"
CONTAINER = json.loads((DATA / "run_container_inspect.json").read_text())
IMAGE = json.loads((DATA / "run_image_inspect.json").read_text())


class Server:
    """A TCP server on 127.0.0.1 that treats each connection as `mode` says:
    - "proxy-refused": accept, then close at once (docker-proxy when nothing listens in the container)
    - "reset": accept, then reset (RST)
    - "quiet": accept and keep the connection open without a word (an HTTP server waiting for a request)
    - "greeting": accept and say hello (SSH, SMTP, ...)
    `ready_after` switches a "proxy-refused" server to "quiet" after that many seconds: an app behind the
    proxy that starts listening late."""

    def __init__(self, mode: str, ready_after: float | None = None) -> None:
        self.mode = mode
        self.ready_at = None if ready_after is None else time.monotonic() + ready_after
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = int(self.sock.getsockname()[1])
        self.open: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            mode = self.mode
            if self.ready_at is not None and time.monotonic() >= self.ready_at:
                mode = "quiet"
            if mode == "proxy-refused":
                conn.close()
            elif mode == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.close()
            elif mode == "greeting":
                conn.sendall(b"hello\r\n")
                self.open.append(conn)
            else:
                self.open.append(conn)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()
        for conn in self.open:
            conn.close()


@pytest.fixture
def server() -> Iterator[Any]:
    made: list[Server] = []

    def make(mode: str, ready_after: float | None = None) -> Server:
        made.append(Server(mode, ready_after))
        return made[-1]

    yield make
    for s in made:
        s.close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("mode", "answers"),
    [
        pytest.param("proxy-refused", False, id="accepted then closed: docker-proxy with no app behind it"),
        pytest.param("reset", False, id="reset"),
        pytest.param("quiet", True, id="open and quiet"),
        pytest.param("greeting", True, id="greeting"),
    ],
)
def test_probe(server: Any, mode: str, answers: bool) -> None:
    assert core.probe("127.0.0.1", server(mode).port, settle=0.3) is answers


def test_probe_nothing_listening(fake_engine: Callable[[FakeAPI], Engine]) -> None:
    assert core.probe("127.0.0.1", closed_port()) is False


# --- wait_until_ready over a fake Engine ------------------------------------------------------------------


class FakeAPI:
    """The one fake Engine (tests.unit.fake_engine), answering a container's inspect from a list of states
    (the last one repeats; None is "no such container") and its logs from recorded output."""

    def __init__(
        self, states: list[dict[str, Any] | None], logs: bytes = b"booting\nlistening soon\n"
    ) -> None:
        self.states = states
        self.calls = 0
        self.logs = logs

    def inspect(self, *_args: Any) -> tuple[int, Any]:
        state = self.states[min(self.calls, len(self.states) - 1)]
        self.calls += 1
        if state is None:
            return 404, {"message": "No such container: web"}
        info = copy.deepcopy(CONTAINER)
        info["State"] = state
        info["Config"]["Tty"] = False  # the recording kept only the fields --wait reads; logs() asks this
        return 200, info

    def serve(self, engine: FakeEngine) -> None:
        engine.route("GET", r"/containers/[^/]+/json", self.inspect)
        # a TTY-less container's logs are multiplexed: one stdout frame
        frame = struct.pack(">BxxxL", 1, len(self.logs)) + self.logs
        engine.route("GET", r"/containers/[^/]+/logs", lambda *_a: (200, frame))


@pytest.fixture
def fake_engine(tmp_path: Path) -> Iterator[Callable[[FakeAPI], Engine]]:
    with FakeEngine(tmp_path / "engine.sock") as fake:

        def connect(api: FakeAPI) -> Engine:
            api.serve(fake)
            return Engine(Endpoint(fake.url, "default"))

        yield connect


RUNNING = {"Running": True, "Status": "running", "ExitCode": 0}


def result(*ports: PublishedPort) -> RunResult:
    return RunResult("c" * 64, "web", ImageInfo("sha256:1", "img"), ports)


def test_waits_for_an_app_that_listens_late_behind_the_proxy(
    server: Any, fake_engine: Callable[[FakeAPI], Engine]
) -> None:
    srv = server("proxy-refused", ready_after=1.0)
    ready = core.wait_until_ready(
        fake_engine(FakeAPI([RUNNING])), result(PublishedPort(80, "tcp", "127.0.0.1", srv.port)), 10
    )
    assert ready.how == "ports"
    assert core.probe("127.0.0.1", srv.port)  # it answers right after wait_until_ready returns
    assert srv.ready_at is not None and time.monotonic() >= srv.ready_at


def test_every_port_must_answer_and_udp_is_not_probed(
    server: Any, fake_engine: Callable[[FakeAPI], Engine]
) -> None:
    quiet = server("quiet")
    late = server("proxy-refused", ready_after=0.6)
    ports = (
        PublishedPort(80, "tcp", "0.0.0.0", quiet.port),  # 0.0.0.0 is dialled on 127.0.0.1
        PublishedPort(81, "tcp", "127.0.0.1", late.port),
        PublishedPort(53, "udp", "127.0.0.1", closed_port()),
    )
    ready = core.wait_until_ready(fake_engine(FakeAPI([RUNNING])), result(*ports), 10)
    assert {p.container_port for p in ready.ports} == {80, 81}
    assert time.monotonic() >= late.ready_at


def test_timeout_names_the_silent_address_and_shows_the_logs(
    fake_engine: Callable[[FakeAPI], Engine],
) -> None:
    port = closed_port()
    with pytest.raises(core.NotReady) as err:
        core.wait_until_ready(
            fake_engine(FakeAPI([RUNNING])), result(PublishedPort(80, "tcp", "127.0.0.1", port)), 0.5
        )
    assert str(err.value) == f"container web was not ready after 0.5s: 127.0.0.1:{port} did not answer"
    assert err.value.logs == ("booting", "listening soon")
    assert err.value.exit_code == 1


def test_exit_before_ready(fake_engine: Callable[[FakeAPI], Engine]) -> None:
    api = FakeAPI([RUNNING, {"Running": False, "Status": "exited", "ExitCode": 3}])
    with pytest.raises(core.NotReady) as err:
        core.wait_until_ready(
            fake_engine(api), result(PublishedPort(80, "tcp", "127.0.0.1", closed_port())), 30
        )
    assert str(err.value) == "container web exited with code 3 before it was ready"


def test_removed_before_ready(fake_engine: Callable[[FakeAPI], Engine]) -> None:
    with pytest.raises(core.NotReady, match="container web exited before it was ready"):
        core.wait_until_ready(fake_engine(FakeAPI([None])), result(), 30)


def test_healthcheck_decides_when_there_is_one(fake_engine: Callable[[FakeAPI], Engine]) -> None:
    starting = {**RUNNING, "Health": {"Status": "starting"}}
    healthy = {**RUNNING, "Health": {"Status": "healthy"}}
    api = FakeAPI([starting, starting, healthy])
    ready = core.wait_until_ready(
        fake_engine(api), result(PublishedPort(80, "tcp", "127.0.0.1", closed_port())), 30
    )
    assert ready.how == "healthy"
    assert api.calls == 3


def test_unhealthy_fails(fake_engine: Callable[[FakeAPI], Engine]) -> None:
    api = FakeAPI([{**RUNNING, "Health": {"Status": "unhealthy"}}])
    with pytest.raises(core.NotReady, match="reported unhealthy"):
        core.wait_until_ready(fake_engine(api), result(), 30)


def test_health_still_starting_at_the_deadline(fake_engine: Callable[[FakeAPI], Engine]) -> None:
    api = FakeAPI([{**RUNNING, "Health": {"Status": "starting"}}])
    with pytest.raises(core.NotReady, match="its health is still 'starting'"):
        core.wait_until_ready(fake_engine(api), result(), 0.3)


def test_nothing_to_wait_for(fake_engine: Callable[[FakeAPI], Engine]) -> None:
    assert core.wait_until_ready(fake_engine(FakeAPI([RUNNING])), result(), 30).how == "running"


# --- recorded payloads ------------------------------------------------------------------------------------


def test_published_ports_from_a_recorded_inspect() -> None:
    ports = PublishedPort.from_api(CONTAINER["NetworkSettings"]["Ports"])
    assert [(p.container_port, p.proto, p.host_ip, p.host_port) for p in ports] == [
        (53, "udp", "::1", 32768),
        (80, "tcp", "0.0.0.0", 32794),
        (80, "tcp", "::", 32789),  # Engine 20.10 gave the IPv6 twin of a random port its own number
        (443, "tcp", "127.0.0.1", 18999),
    ]
    assert [p.address for p in ports] == ["[::1]:32768", "127.0.0.1:32794", "[::1]:32789", "127.0.0.1:18999"]


def test_image_info_from_a_recorded_inspect() -> None:
    info = ImageInfo.from_api("img:hc", IMAGE)
    assert info.healthcheck is True
    assert set(info.exposed) == {"80/tcp", "443/tcp", "53/udp"}
    no_check = {"Id": "sha256:2", "Config": {"Healthcheck": {"Test": ["NONE"]}}}
    assert ImageInfo.from_api("x", no_check).healthcheck is False


def test_podmans_empty_health_status_means_no_healthcheck(
    server: Any, fake_engine: Callable[[FakeAPI], Engine]
) -> None:
    """Podman 4.3 reports Health {"Status": ""} for a container without a HEALTHCHECK (recorded): --wait
    probes its ports, as for Docker's absent Health, instead of waiting for a health that never comes."""
    podman = json.loads((DATA / "podman_container_inspect.json").read_text())
    assert podman["State"]["Health"]["Status"] == ""
    srv = server("quiet")
    ready = core.wait_until_ready(
        fake_engine(FakeAPI([podman["State"]])), result(PublishedPort(80, "tcp", "127.0.0.1", srv.port)), 5
    )
    assert ready.how == "ports"


PODMAN_ATTACH_REFUSED = (
    "preparing container " + "e" * 64 + " for attach: runc: runc create failed: unable to start container "
    'process: exec: "no-such-command": executable file not found in $PATH: OCI runtime attempted to invoke a '
    "command that was not found"
)  # Podman 4.3's answer to an attach before start (test_run.py::test_bad_command, run on Podman)


@pytest.mark.parametrize(
    ("message", "error"),
    [
        pytest.param(PODMAN_ATTACH_REFUSED, CommandNotFound, id="podman-prepares-at-attach"),
        pytest.param("attach failed: the Engine broke", EngineError, id="other-refusal"),
    ],
)
def test_an_attach_refused_by_the_runtime_is_the_start_error(
    tmp_path: Path, message: str, error: type[Exception]
) -> None:
    """Podman makes a created container's process when a client attaches to it (docker run attaches before it
    starts): a command that cannot run fails the attach, and dkr reports it as docker reports the start's."""
    with FakeEngine(tmp_path / "engine.sock") as fake:
        inspect = {**CONTAINER, "Config": {**CONTAINER["Config"], "Tty": False}}
        fake.route("GET", r"/containers/[^/]+/json", lambda *_a: (200, inspect))  # the SDK asks about a TTY
        fake.route("POST", r"/containers/[^/]+/attach", lambda *_a: (500, {"message": message}))
        engine = Engine(Endpoint(fake.url, "default"))
        with pytest.raises(error) as err:
            core._Output(engine, "e" * 64, ("no-such-command",))
    assert message in str(err.value) or getattr(err.value, "engine_message", "") == message
    if error is CommandNotFound:
        assert err.value.exit_code == 127 and err.value.command == "no-such-command"  # type: ignore[attr-defined]
