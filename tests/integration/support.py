"""What integration tests share: this run's session id and labels, unique names, and the dkr runner."""

from __future__ import annotations

import contextlib
import itertools
import os
import pty
import select
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker

from tests.helpers import Result

#: One id per test run (inherited by subprocesses so that every piece agrees on it).
SESSION = os.environ.get("DKR_TEST_SESSION") or uuid.uuid4().hex[:10]
LABELS = {"dkr.test": "1", "dkr.test.session": SESSION}
LABEL_ARGS = [arg for k, v in LABELS.items() for arg in ("-l", f"{k}={v}")]
SESSION_FILTER = {"label": [f"dkr.test.session={SESSION}"]}
BUSYBOX = Path("/bin/busybox")
HERE = Path(__file__).parent
_names = itertools.count()

os.environ.setdefault("DKR_TEST_SESSION", SESSION)


def unique(prefix: str = "c") -> str:
    """A name no other test, run or user object has."""
    return f"dkrtest-{SESSION}-{prefix}-{next(_names)}"


def dkr(
    *args: str, timeout: float = 120, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """Run the installed entry point (`python -m dkr`) as a user would, in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "dkr", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        **kwargs,
    )


def side_by_side(*args: str, timeout: float = 60) -> Iterator[tuple[str, str]]:
    """Run the same arguments with dkr, then with the docker CLI (the differential reference); each must
    succeed. Yields ("dkr" | "docker", its stdout stripped: the id a `run -d` printed)."""
    for tool in ("dkr", "docker"):
        command = [sys.executable, "-m", "dkr"] if tool == "dkr" else ["docker"]
        res = subprocess.run([*command, *args], capture_output=True, text=True, timeout=timeout)
        assert res.returncode == 0, (tool, res.stderr)
        yield tool, res.stdout.strip()


def as_result(res: subprocess.CompletedProcess[str]) -> Result:
    """A subprocess's outcome in the shape tests.helpers.assert_one_line_error checks."""
    return Result(res.returncode, res.stdout, res.stderr)


def free_port() -> int:
    """A TCP port free on the loopback interface right now (for tests that need a fixed host port)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Case:
    """One test's objects: the session labels plus a label of its own, so 'nothing left behind' is checked
    on exactly what this test's dkr created (the `case` fixture removes them afterwards)."""

    client: docker.DockerClient
    label: str

    @property
    def args(self) -> list[str]:
        return [*LABEL_ARGS, "-l", self.label]

    def containers(self) -> list[Any]:
        return list(self.client.containers.list(all=True, filters={"label": [self.label]}))

    def images(self) -> list[Any]:
        return list(self.client.images.list(filters={"label": [self.label]}))

    def clean(self) -> None:
        for ctr in self.containers():
            with contextlib.suppress(docker.errors.APIError):
                ctr.remove(force=True, v=True)
        # newest first: an image built FROM another is removed before its base
        for img in sorted(self.images(), key=lambda i: str(i.attrs.get("Created")), reverse=True):
            for ref in img.tags or [img.id]:
                with contextlib.suppress(docker.errors.APIError):
                    self.client.images.remove(ref, force=True)


def on_podman(client: docker.DockerClient) -> bool:
    """Whether the Engine is Podman's Docker-compatible API (`make test-podman`)."""
    return any(c.get("Name") == "Podman Engine" for c in client.version().get("Components") or [])


def familiar(tags: list[str]) -> list[str]:
    """Image tags as docker shows them: Podman's API names every image in full (`docker.io/library/app:1`)."""
    return sorted(tag.removeprefix("docker.io/").removeprefix("library/") for tag in tags)


def label_instructions(steps: list[dict[str, Any]]) -> set[str]:
    """The LABEL steps --label added, as `LABEL k=v`: Podman quotes them (`LABEL "k"="v"`), in its own order."""
    return {s["instruction"].replace('"', "") for s in steps if s["instruction"].startswith("LABEL ")}


def get(port: int, host: str = "127.0.0.1", tries: int = 1, path: str = "/") -> str:
    """GET `path` through the published port; `tries` > 1 retries while the server starts (no --wait)."""
    for attempt in range(tries):
        try:
            with urllib.request.urlopen(f"http://{host}:{port}{path}", timeout=5) as resp:
                return str(resp.read().decode())
        except OSError:
            if attempt == tries - 1:
                raise
            time.sleep(0.2)
    raise AssertionError("unreachable")


def assert_failed(res: subprocess.CompletedProcess[str], code: int, *needles: str) -> None:
    """A failure: exit code, nothing on stdout, no traceback, and the error as the last line (+ a hint)."""
    assert res.returncode == code, (res.returncode, res.stderr)
    assert res.stdout == ""
    assert "Traceback" not in res.stderr
    lines = res.stderr.splitlines()
    errors = [line for line in lines if line.startswith("dkr: error: ")]
    assert len(errors) == 1, res.stderr
    assert lines.index(errors[0]) >= len(lines) - 2, res.stderr
    for needle in needles:
        assert needle in errors[0], (needle, res.stderr)


def build_labelled(client: docker.DockerClient, base: str, case: Case, tmp_path: Path, content: str) -> str:
    """An image FROM the base with this test's labels and `content` in a file; returns its id."""
    ctx = tmp_path / f"ctx-{abs(hash(content))}"
    ctx.mkdir()
    (ctx / "content").write_text(content)
    (ctx / "Dockerfile").write_text(f"FROM {base}\nCOPY content /content\n")
    key, _, value = case.label.partition("=")
    image, _ = client.images.build(path=str(ctx), labels={**LABELS, key: value}, rm=True, forcerm=True)
    return str(image.id)


def on_a_terminal(args: list[str], answer: bytes) -> tuple[int, str, bytes]:
    """dkr with a terminal on stdin and stderr; answers the question when it is asked. Returns the exit
    code, stdout, and what the terminal showed up to the question."""
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dkr", *args],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=terminal,
        text=True,
    )
    os.close(terminal)
    seen = b""
    deadline = time.monotonic() + 30
    while b"[y/N]" not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.5)
        if ready:
            try:
                seen += os.read(controller, 4096)
            except OSError:
                break
    os.write(controller, answer)
    out, _ = proc.communicate(timeout=60)
    os.close(controller)
    return proc.returncode, out, seen
