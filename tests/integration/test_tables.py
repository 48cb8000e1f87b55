"""Tables on a real terminal: `ps -a`, `images` and `layers` run under a pseudo-terminal 60 and 80 columns
wide, against the real Engine, never split an id, a name, a port mapping or a size across lines, and no line
ends in a blank. The tokens are read back from the Engine (the SDK), not from dkr's output."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker
import pytest

from dkr.grammars.units import human_size
from tests.integration.support import LABELS, Case, unique

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: published on 127.0.0.1, one of them udp: PORTS lists four mappings
CONTAINER_PORTS = ("80/tcp", "443/tcp", "8080/tcp", "53/udp")


def on_a_pty(args: Sequence[str], columns: int) -> str:
    """What `dkr ARGS` shows on a terminal `columns` wide (stdout on a pseudo-terminal whose window size is
    set, COLUMNS in the environment), without the terminal's styles and carriage returns."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "50", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dkr", *args], stdout=terminal, stderr=subprocess.PIPE, env=env
    )
    os.close(terminal)
    seen = b""
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.5)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: dkr exited and the terminal's last reader is gone
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(controller)
        if proc.poll() is None:  # still drawing after a minute: the assertion below says so
            proc.kill()
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode(errors="replace")
    return ANSI.sub("", seen.decode()).replace("\r", "")


def fitted(text: str, columns: int) -> list[str]:
    """The lines shown, each checked: no trailing blank, no wider than the terminal."""
    lines = text.splitlines()
    assert lines, text
    for line in lines:
        assert line == line.rstrip(), f"trailing blanks: {line!r}"
        assert len(line) <= columns, f"wider than {columns} columns: {line!r}"
    return lines


def cells(line: str) -> list[str]:
    return re.split(r" {3,}", line.strip())


def assert_not_split(lines: Sequence[str], whole: Sequence[str], tokens: Sequence[str]) -> None:
    """Every token in `whole` is shown on one line; no token of `tokens` (a dropped column's are not shown
    at all) has its head on one line and its tail on another."""
    text = "\n".join(lines)
    for token in whole:
        assert any(token in line for line in lines), f"{token!r} is not shown whole:\n{text}"
    for token in tokens:
        half = len(token) // 2
        for piece in (token[: half + 1], token[half:]):
            for line in lines:
                # a piece of this token, on a line that shows neither it nor another token holding the piece
                if piece in line and not any(piece in t and t in line for t in tokens):
                    raise AssertionError(f"{token!r} is split: {piece!r} alone on {line!r}\n{text}")


@dataclass
class Scene:
    ids: list[str]
    names: list[str]
    ports: list[str]
    image_ref: str
    repository: str
    tags: list[str]
    image_id: str
    image_size: str
    layer_sizes: list[str]


@pytest.fixture
def scene(
    client: docker.DockerClient, base_image: str, case: Case, make_container: Any, tmp_path: Path
) -> Scene:
    """Two containers of this test alone (one running with four ports on 127.0.0.1, one never started) and
    an image with two tags and a few layers, all labelled; `make_container` and `case` remove them."""
    key, _, value = case.label.partition("=")
    labels = {**LABELS, key: value}
    web = make_container(
        name=unique("tables-web"),
        labels={key: value},
        ports={port: ("127.0.0.1", None) for port in CONTAINER_PORTS},
    )
    idle = make_container(name=unique("tables-db"), labels={key: value}, start=False)
    (tmp_path / "small").write_bytes(os.urandom(20_000))
    (tmp_path / "big").write_bytes(os.urandom(700_000))
    (tmp_path / "Dockerfile").write_text(
        f"FROM {base_image}\nCOPY small /small\nCOPY big /big\nWORKDIR /app\n"
    )
    repository = unique("tables-repo")
    image, _ = client.images.build(
        path=str(tmp_path), tag=f"{repository}:1.0", labels=labels, rm=True, forcerm=True
    )
    image.tag(repository, "latest")
    image.reload()
    ports = []
    for spec, bindings in sorted(web.attrs["NetworkSettings"]["Ports"].items()):
        for b in bindings or []:
            ports.append(f"{b['HostIp']}:{b['HostPort']}->{spec}")
    assert len(ports) == len(CONTAINER_PORTS), web.attrs["NetworkSettings"]["Ports"]
    history = client.api.history(image.id)
    return Scene(
        ids=[web.id[:12], idle.id[:12]],
        names=[web.name, idle.name],
        ports=ports,
        image_ref=f"{repository}:1.0",
        repository=repository,
        tags=["1.0", "latest"],
        image_id=image.id.removeprefix("sha256:")[:12],
        image_size=human_size(image.attrs["Size"]),
        layer_sizes=[human_size(layer["Size"]) for layer in reversed(history)],  # oldest first
    )


@pytest.mark.parametrize("columns", [60, 80])
def test_ps(scene: Scene, case: Case, columns: int) -> None:
    lines = fitted(on_a_pty(["ps", "-a", "-f", f"label={case.label}"], columns), columns)
    assert lines[0].startswith("CONTAINER ID"), lines
    # NAMES and CONTAINER ID are the last columns to go; at 80 columns PORTS is shown too (wrapped between
    # its mappings)
    whole = [*scene.ids, *scene.names, *(scene.ports if columns >= 80 else [])]
    assert_not_split(lines, whole, [*scene.ids, *scene.names, *scene.ports])


@pytest.mark.parametrize("columns", [60, 80])
def test_images(scene: Scene, case: Case, columns: int) -> None:
    lines = fitted(on_a_pty(["images", "-f", f"label={case.label}"], columns), columns)
    assert cells(lines[0])[:3] == ["REPOSITORY", "TAG", "IMAGE ID"], lines
    rows = [cells(line) for line in lines[2:]]
    assert sorted(row[:3] for row in rows) == [[scene.repository, tag, scene.image_id] for tag in scene.tags]
    if columns >= 80:
        assert cells(lines[0])[-1] == "SIZE" and [row[-1] for row in rows] == [scene.image_size] * 2, lines


@pytest.mark.parametrize("columns", [60, 80])
def test_layers(scene: Scene, columns: int) -> None:
    lines = fitted(on_a_pty(["layers", scene.image_ref], columns), columns)
    assert cells(lines[0])[:3] == ["#", "CREATED BY", "SIZE"], lines
    rows = [cells(line) for line in lines[2:]]
    # one line per layer, its number and its size whole
    assert [row[0] for row in rows] == [str(i) for i in range(1, len(scene.layer_sizes) + 1)], lines
    assert [row[2] for row in rows] == scene.layer_sizes, lines
