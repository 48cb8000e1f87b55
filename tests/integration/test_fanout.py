"""Several Engines at once (-c a,b,c): the main Engine, a private dockerd (tests/integration/private_engine.py)
and Podman's Docker API (tests/integration/podman.py), named by contexts in a private DOCKER_CONFIG (never ~/.docker). Each Engine has the busybox base image built
on it locally; the private one is killed in the last test, to prove the partial-failure path.

The tests are written over `fleet.members`, whatever their number: another Engine (Podman's Docker API) is one
more entry in MEMBERS.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docker
import pytest
import requests

from tests.helpers import write_context
from tests.integration.podman import PodmanEngine
from tests.integration.private_engine import PrivateEngine
from tests.integration.support import BUSYBOX, LABELS, unique

#: busybox's sh as PID 1 leaves on SIGTERM at once (a stop takes no timeout); says hello and bye
SERVE = "echo hello; trap 'echo bye; exit 0' TERM; while :; do sleep 0.1; done"


@dataclass
class Member:
    """One Engine of the fleet: its context name, endpoint, a client to set up and read back, the base image
    built on it, and how to kill it (None: the test may not)."""

    name: str
    url: str
    client: docker.DockerClient
    image: str
    kill: Callable[[], None] | None = None


@dataclass
class Fleet:
    config: Path
    members: list[Member]
    made: list[tuple[Member, str]] = field(default_factory=list)

    @property
    def names(self) -> str:
        return ",".join(m.name for m in self.members)

    def dkr(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "dkr", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=self.env(),
        )

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "dkr", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env(),
        )

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DOCKER_HOST", "DOCKER_CONTEXT")}
        return {**env, "DOCKER_CONFIG": str(self.config)}

    def run(self, member: Member, name: str, command: str = SERVE) -> Any:
        """A labelled container started on `member`, removed at the end of the module."""
        ctr = member.client.containers.run(
            member.image, ["sh", "-c", command], name=name, labels=LABELS, detach=True
        )
        self.made.append((member, name))
        return ctr

    def state(self, member: Member, name: str) -> str | None:
        try:
            return str(member.client.containers.get(name).status)
        except docker.errors.NotFound:
            return None


def _build_base(client: docker.DockerClient, tag: str) -> str:
    with tempfile.TemporaryDirectory(prefix="dkr-base-") as folder:
        shutil.copy(BUSYBOX, Path(folder) / "busybox")
        (Path(folder) / "Dockerfile").write_text(
            'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n'
        )
        client.images.build(path=folder, tag=tag, labels=LABELS, rm=True, forcerm=True)
    return tag


@contextlib.contextmanager
def private_member(name: str) -> Iterator[Member]:
    engine = PrivateEngine()
    try:
        engine.start()
        client = engine.client()
        yield Member(name, engine.url, client, _build_base(client, "dkrtest-fanout-base:1"), engine.kill)
        client.close()
    finally:
        engine.stop()  # its containers and images go with its data root


@contextlib.contextmanager
def podman_member(name: str) -> Iterator[Member]:
    engine = PodmanEngine()
    try:
        engine.start()
        client = engine.client()
        yield Member(name, engine.url, client, _build_base(client, "dkrtest-fanout-base:1"))
        client.close()
    finally:
        engine.stop()  # its containers and images go with its storage


#: The Engines beside the main one, as context name -> a context manager that brings one up.
MEMBERS: dict[str, Callable[[str], AbstractContextManager[Member]]] = {
    "pe": private_member,
    "podman": podman_member,
}


@pytest.fixture(scope="module")
def fleet(
    client: docker.DockerClient, base_image: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Fleet]:
    config = tmp_path_factory.mktemp("docker-config")
    main_url = os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"
    with contextlib.ExitStack() as stack:
        members = [Member("main", main_url, client, base_image)]
        members += [stack.enter_context(up(name)) for name, up in MEMBERS.items()]
        for m in members:
            write_context(config, m.name, m.url)
        fleet = Fleet(config, members)
        yield fleet
        for member, name in fleet.made:  # the killed Engine's went with it
            with contextlib.suppress(docker.errors.DockerException, requests.exceptions.RequestException):
                member.client.containers.get(name).remove(force=True)


def _rows(out: str) -> list[tuple[str, str]]:
    """(ENGINE, NAMES) of each row of a ps table."""
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["ENGINE", "CONTAINER", "ID"], out
    return [(line.split()[0], line.split()[-1]) for line in lines[1:]]


def test_ps_over_the_engines_shows_each_with_its_engine(fleet: Fleet) -> None:
    names = {m.name: unique("ps") for m in fleet.members}
    for m in fleet.members:
        fleet.run(m, names[m.name])
    res = fleet.dkr("-c", fleet.names, "ps")
    assert res.returncode == 0, res.stderr
    rows = _rows(res.stdout)
    for m in fleet.members:
        assert (m.name, names[m.name]) in rows
        # each on its own Engine only
        assert [e for e, n in rows if n == names[m.name]] == [m.name]
    res = fleet.dkr("-c", fleet.names, "ps", "--format", "json", "--filter", "label=dkr.test")
    found = {(o["Engine"], o["Names"]) for o in map(json.loads, res.stdout.splitlines())}
    assert {(m.name, names[m.name]) for m in fleet.members} <= found


def test_stop_and_rm_find_each_container_on_its_engine(fleet: Fleet) -> None:
    names = {m.name: unique("stop") for m in fleet.members}
    for m in fleet.members:
        fleet.run(m, names[m.name])
    args = list(names.values())[::-1]
    res = fleet.dkr("-c", fleet.names, "stop", *args)
    assert (res.returncode, res.stdout.split(), res.stderr) == (0, args, "")
    for m in fleet.members:
        assert fleet.state(m, names[m.name]) == "exited"
    nowhere = unique("nowhere")
    res = fleet.dkr("-c", fleet.names, "rm", *args, nowhere)
    assert (res.returncode, res.stdout.split()) == (1, args)
    assert res.stderr.splitlines() == [f"dkr: error: cannot remove '{nowhere}': no such container: {nowhere}"]
    for m in fleet.members:
        assert fleet.state(m, names[m.name]) is None


def test_a_name_on_several_engines_is_an_error_and_nothing_is_stopped(fleet: Fleet) -> None:
    name = unique("twin")
    for m in fleet.members:
        fleet.run(m, name)
    res = fleet.dkr("-c", fleet.names, "stop", name)
    assert res.returncode == 1 and res.stdout == ""
    listed = ", ".join(m.name for m in fleet.members[:-1]) + " and " + fleet.members[-1].name
    assert res.stderr.splitlines() == [
        f"dkr: error: cannot stop '{name}': it is on {len(fleet.members)} Engines, {listed}: nothing was done "
        "(name one with -c)"
    ]
    for m in fleet.members:
        assert fleet.state(m, name) == "running"


def test_zz_logs_follow_prefixed_then_an_engine_killed(fleet: Fleet) -> None:
    """Last in the module: the private Engine is killed. `logs -f` over every Engine prefixes each line with its
    Engine; killing one is one error line naming it while the others' streams go on to their end (exit 1);
    then ps shows the Engines left, with one line for the dead one (exit 1)."""
    victim = next(m for m in fleet.members if m.kill is not None)
    name = unique("logs")
    ctrs = {m.name: fleet.run(m, name) for m in fleet.members}
    width = max(len(m.name) for m in fleet.members)
    proc = fleet.popen("-c", fleet.names, "logs", "-f", name)
    assert proc.stdout is not None
    waiting = {f"{m.name.ljust(width)} | hello" for m in fleet.members}
    seen = []
    while waiting:
        line = proc.stdout.readline()
        assert line, (seen, proc.stderr.read() if proc.stderr else "")
        seen.append(line.rstrip("\n"))
        waiting.discard(line.rstrip("\n"))
    assert victim.kill is not None
    victim.kill()
    for m in fleet.members:
        if m is not victim:
            ctrs[m.name].stop(timeout=10)  # its stream ends with its container: dkr returns
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    for m in fleet.members:
        if m is not victim:
            assert f"{m.name.ljust(width)} | bye" in out.splitlines()
    errors = err.splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"dkr: error: Engine '{victim.name}'"), err
    assert victim.url in errors[0] and "Traceback" not in err

    res = fleet.dkr("-c", fleet.names, "ps", "-a")
    assert res.returncode == 1
    rows = _rows(res.stdout)
    assert {e for e, n in rows if n == name} == {m.name for m in fleet.members if m is not victim}
    errors = res.stderr.splitlines()
    assert len(errors) == 1, res.stderr
    assert errors[0].startswith(
        f"dkr: error: Engine '{victim.name}': cannot connect to the Docker Engine at {victim.url}"
    )
