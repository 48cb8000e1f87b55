"""A lost Engine is one line (dkr.errors.EngineLost): the Engine answered, then its answer stopped half-way.
Daemon-free: the fake Engine sends part of an answer under a longer Content-Length and hangs up."""

from __future__ import annotations

import json
import struct
from pathlib import Path

from dkr.errors import ExitCode
from tests.helpers import run_dkr
from tests.unit.fake_engine import FakeEngine, Truncated


def assert_one_lost_line(err_lines: list[str], doing: str, cause: str, aftermath: str) -> None:
    assert err_lines[-2:] == [
        f"dkr: error: the Engine connection was lost while trying to {doing}: {cause}",
        aftermath,
    ]
    assert not any("internal error" in line or "Traceback" in line for line in err_lines)


def test_a_build_cut_off_mid_stream(fake: FakeEngine, tmp_path: Path, monkeypatch: object) -> None:
    (tmp_path / "Dockerfile").write_text("FROM scratch\nCOPY a /a\n")
    (tmp_path / "a").write_text("a")
    step = json.dumps({"stream": "Step 1/2 : FROM scratch\n"}).encode() + b"\r\n"
    fake.route("POST", r"/build", lambda *_a: (200, Truncated(step, declared=10_000)))
    res = run_dkr("build", str(tmp_path))
    assert res.code == ExitCode.FAILURE and res.out == ""
    assert_one_lost_line(
        res.err_lines,
        "build",
        "its answer was cut off",
        "The build did not finish: no image was tagged. Check the Engine (dkr version), build again.",
    )


def test_logs_follow_cut_off_keeps_what_arrived(fake: FakeEngine) -> None:
    fake.route("GET", r"/containers/web/json", lambda *_a: (200, {"Id": "c" * 64, "Config": {"Tty": False}}))
    frame = struct.pack(">BxxxL", 1, 6) + b"hello\n"
    fake.route("GET", r"/containers/c+/logs", lambda *_a: (200, Truncated(frame, declared=10_000)))
    res = run_dkr("logs", "-f", "web")
    assert res.code == ExitCode.FAILURE
    assert res.out == "hello\n"
    assert_one_lost_line(
        res.err_lines,
        "read the log stream",
        "its answer was cut off",
        "The container itself is not affected: dkr logs again once the Engine is back.",
    )


def test_a_listing_cut_off(fake: FakeEngine) -> None:
    fake.route("GET", r"/containers/json", lambda *_a: (200, Truncated(b'[{"Id": "ab', declared=5_000)))
    res = run_dkr("ps")
    assert res.code == ExitCode.FAILURE and res.out == ""
    assert_one_lost_line(
        res.err_lines,
        "list containers",
        "its answer was cut off",
        "Check that the Engine is running (dkr version), then try again.",
    )
