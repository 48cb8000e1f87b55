"""logs, rm, images wired through the real entry point, on the fake Engine (recorded-style payloads).

Bad input is a usage error (exit 2) found before any Engine request; the rest checks what reaches the
Engine and what comes back out on which stream.
"""

from __future__ import annotations

import json
import struct
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from dkr.engine.containers import in_parallel
from dkr.errors import ExitCode
from tests.helpers import assert_one_line_error, run_dkr
from tests.unit.fake_engine import FakeEngine

DATA = Path(__file__).parents[1] / "data"


def query(fake: FakeEngine, path_part: str) -> dict[str, list[str]]:
    """The query of the one request whose path contains path_part."""
    matching = [r for r in fake.requests if path_part in r.split("?")[0]]
    assert len(matching) == 1, fake.requests
    return urllib.parse.parse_qs(urllib.parse.urlsplit(matching[0].split(" ", 1)[1]).query)


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        pytest.param(["logs", "--tail", "ten", "c"], ["invalid --tail 'ten'"], id="logs-tail-word"),
        pytest.param(["logs", "-n", "-1", "c"], ["invalid --tail '-1'"], id="logs-tail-negative"),
        pytest.param(["logs", "--since", "yesterday", "c"], ["invalid --since 'yesterday'"], id="since-word"),
        pytest.param(["logs", "--since", "2024-13-01", "c"], ["month out of range"], id="since-month"),
        pytest.param(["logs", "--since", "1d", "c"], ["invalid --since '1d'"], id="since-days"),
        pytest.param(
            ["logs", "--until", "2024-02-30", "c"], ["invalid --until", "day out of range"], id="until"
        ),
        pytest.param(["logs"], ["missing argument"], id="logs-no-container"),
        pytest.param(["logs", "a", "b"], ["unexpected extra argument"], id="logs-two-containers"),
        pytest.param(["rm"], ["missing argument"], id="rm-nothing"),
        pytest.param(["rm", "a", "/"], ["invalid container name '/'"], id="rm-empty-name"),
        pytest.param(["rm", "--time", "1", "a"], ["no such option"], id="rm-unknown-option"),
        # no container name or id has a "/" inside: on the Engine's router `../images/x` would reach
        # DELETE /images/x and remove an image (docker rm does); dkr refuses before any request
        pytest.param(["rm", "../images/app:1"], ["invalid container name '../images/app:1'"], id="rm-path"),
        pytest.param(["rm", "-f", "a b"], ["invalid container name 'a b'"], id="rm-space"),
        pytest.param(["stop", "/"], ["invalid container name '/' (empty)"], id="stop-slash"),
        pytest.param(["stop", "ok", ""], ["invalid container name '' (empty)"], id="stop-empty"),
        pytest.param(["stop", "../../version"], ["invalid container name '../../version'"], id="stop-path"),
        pytest.param(["logs", "/"], ["invalid container name '/' (empty)"], id="logs-slash"),
        pytest.param(["logs", "é☃"], ["invalid container name 'é☃'"], id="logs-unicode"),
        pytest.param(["images", "-f", "color=red"], ["invalid filter 'color'"], id="images-filter-key"),
        pytest.param(["images", "-f", "dangling=maybe"], ["dangling=maybe"], id="images-dangling-value"),
        pytest.param(["images", "-f", "dangling"], ["bad format of filter"], id="images-filter-format"),
        pytest.param(["images", "--format", "{{.Names}}"], ["no field '.Names'"], id="images-template"),
        pytest.param(["images", "a", "b"], ["unexpected extra argument"], id="images-two-references"),
    ],
)
def test_usage_errors_reach_no_engine(fake: FakeEngine, args: list[str], needles: list[str]) -> None:
    res = run_dkr(*args)
    assert_one_line_error(res, ExitCode.USAGE, *needles)
    assert fake.requests == [], "a usage error never reaches the Engine"


# --- logs ---------------------------------------------------------------------------------------------------


def frame(kind: int, payload: bytes) -> bytes:
    return struct.pack(">BxxxL", kind, len(payload)) + payload


def serve_logs(fake: FakeEngine, body: bytes, tty: bool = False) -> None:
    def inspect(method: str, path: str, _: bytes) -> tuple[int, object]:
        name = path.split("/containers/")[1].split("/")[0]
        if name == "missing":
            return 404, {"message": "No such container: missing"}
        return 200, {"Id": "c" * 64, "Config": {"Tty": tty}, "State": {"Running": False}}

    fake.route("GET", r"/containers/[^/]+/json", inspect)
    fake.route("GET", r"/containers/[^/]+/logs", lambda m, p, b: (200, body))


def test_logs_streams_apart(fake: FakeEngine) -> None:
    serve_logs(fake, frame(1, b"out1\n") + frame(2, b"err1\n") + frame(1, b"out2\n"))
    res = run_dkr("logs", "web")
    assert (res.code, res.out, res.err) == (0, "out1\nout2\n", "err1\n")
    assert query(fake, "/logs") == {"stdout": ["1"], "stderr": ["1"], "follow": ["0"], "timestamps": ["0"],
                                    "tail": ["all"]}  # fmt: skip
    assert query(fake, "/logs") and "/containers/" + "c" * 64 + "/logs" in " ".join(fake.requests)


def test_logs_of_a_tty_container_are_raw(fake: FakeEngine) -> None:
    serve_logs(fake, b"out\r\nerr\r\n", tty=True)
    res = run_dkr("logs", "web")
    assert (res.code, res.out, res.err) == (0, "out\r\nerr\r\n", "")


def test_logs_options_reach_the_engine(fake: FakeEngine) -> None:
    serve_logs(fake, b"")
    res = run_dkr(
        "logs", "-f", "-t", "-n", "5", "--since", "2024-01-02T15:04:05Z", "--until", "1704207900", "web"
    )
    assert res.code == 0, res.err
    assert query(fake, "/logs") == {"stdout": ["1"], "stderr": ["1"], "follow": ["1"], "timestamps": ["1"],
                                    "tail": ["5"], "since": ["1704207845.000000000"],
                                    "until": ["1704207900"]}  # fmt: skip


def test_logs_engine_error_in_band(fake: FakeEngine) -> None:
    serve_logs(fake, frame(1, b"partial\n") + frame(3, b"error from daemon in stream: boom\n"))
    res = run_dkr("logs", "web")
    assert res.code == ExitCode.FAILURE
    assert res.out == "partial\n"  # what came before the error is kept
    assert res.err_lines == ["dkr: error: cannot read the log stream: error from daemon in stream: boom"]


def test_logs_missing_container(fake: FakeEngine) -> None:
    serve_logs(fake, b"")
    assert_one_line_error(run_dkr("logs", "missing"), ExitCode.FAILURE, "no such container: missing")
    assert not [r for r in fake.requests if "/logs" in r]


# --- rm -----------------------------------------------------------------------------------------------------


def serve_rm(fake: FakeEngine) -> list[str]:
    """Containers: `running` (refused without force), `missing`, anything else removable."""
    removed: list[str] = []

    def delete(method: str, path: str, _: bytes) -> tuple[int, object]:
        url = urllib.parse.urlsplit(path)
        name = url.path.rsplit("/", 1)[1]
        force = urllib.parse.parse_qs(url.query).get("force") == ["True"]
        if name == "missing":
            return 404, {"message": "No such container: missing"}
        if name == "running" and not force:
            return 409, {"message": "You cannot remove a running container 0123. Stop the container ..."}
        removed.append(name)
        return 204, b""

    fake.route("DELETE", r"/containers/[^/]+", delete)
    fake.route(
        "GET", r"/containers/running/json", lambda m, p, b: (200, {"Id": "0123", "State": {"Running": True}})
    )
    return removed


def test_rm_echoes_in_order_and_reports_each_failure(fake: FakeEngine) -> None:
    removed = serve_rm(fake)
    res = run_dkr("rm", "b", "running", "missing", "/a")
    assert res.code == ExitCode.FAILURE
    assert res.out == "b\n/a\n"  # each argument as given, in order
    assert res.err_lines == [
        "dkr: error: cannot remove 'running': container is running: stop it first, or use -f to force it",
        "dkr: error: cannot remove 'missing': no such container: missing",
    ]
    assert sorted(removed) == ["a", "b"]


def test_rm_force(fake: FakeEngine) -> None:
    removed = serve_rm(fake)
    res = run_dkr("rm", "-f", "-v", "running", "missing")
    assert res.code == 0, res.err
    assert res.out == "running\n"
    assert res.err_lines == ["dkr: warning: no such container: missing (nothing to remove)"]
    assert removed == ["running"]
    deletes = [r for r in fake.requests if r.startswith("DELETE")]
    assert all("v=True" in r and "force=True" in r for r in deletes), deletes


# --- images -------------------------------------------------------------------------------------------------


def test_images_filters_and_reference_reach_the_engine(fake: FakeEngine) -> None:
    fake.route("GET", r"/images/json", lambda m, p, b: (200, json.loads((DATA / "images.json").read_text())))
    res = run_dkr("images", "-a", "-f", "dangling=false", "-f", "label=app=web", "web:1*", "-q")
    assert res.code == 0, res.err
    sent = query(fake, "/images/json")
    assert sent["all"] == ["1"]
    assert json.loads(sent["filters"][0]) == {
        "dangling": ["false"],
        "label": ["app=web"],
        "reference": ["web:1*"],
    }
    assert [r for r in fake.requests if "/images/" in r] == [r for r in fake.requests if "/images/json" in r]


def test_images_engine_error(fake: FakeEngine) -> None:
    fake.route("GET", r"/images/json", lambda m, p, b: (404, {"message": "No such image: nope:1"}))
    assert_one_line_error(
        run_dkr("images", "-f", "before=nope:1"), 1, "cannot list images: no such image: nope:1"
    )


# --- the parallel runner ------------------------------------------------------------------------------------


class _Engine:
    api: Any = object()


def test_in_parallel_yields_in_argument_order() -> None:
    """Later arguments finish first; results still come back in argument order, all running at once."""
    started = threading.Barrier(3, timeout=10)  # would time out if the runner ran them one by one

    def op(arg: str) -> str:
        started.wait()
        time.sleep(0.01 * (3 - int(arg)))
        return f"done {arg}"

    assert list(in_parallel(_Engine(), ["0", "1", "2"], op, "test")) == ["done 0", "done 1", "done 2"]  # type: ignore[arg-type]
