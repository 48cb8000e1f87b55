"""`dkr up --replicas` on the two-node Swarm (tests/integration/swarm.py) from end to end: a busybox httpd app
built on the manager, pushed to the test registry under a content-derived tag and rolled out as a 4-task
service that answers on both nodes; an edit and a second `dkr up` that rolls out with a probe loop running
that never sees zero answering tasks; a broken image that the Engine rolls back while the old version still
answers. Skipped (with the reason) when no cluster can run here. Everything is labelled; the service is removed
at the end, the images go with the cluster's nodes, the registry's data with the registry."""

from __future__ import annotations

import contextlib
import re
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import docker
import pytest

from tests.integration.registry import Registry
from tests.integration.support import LABEL_ARGS, dkr, unique
from tests.integration.swarm import SwarmCluster

#: Engines of its own only (the main Engine is never touched): `make test` runs it beside the rest
pytestmark = pytest.mark.beside

DOCKERFILE = """FROM {base}
COPY index.html /www/index.html
EXPOSE 80
CMD ["httpd", "-f", "-p", "80", "-h", "/www"]
"""


def on(swarm: SwarmCluster, *args: str | Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return dkr("-H", swarm.manager_url, *map(str, args), timeout=timeout)


def endpoints(swarm: SwarmCluster, name: str) -> list[tuple[str, int]]:
    """Each running task's (node IP, host-mode port), read from the manager, not from dkr."""
    api = swarm.client("manager")
    try:
        nodes = {n.id: n.attrs["Status"]["Addr"] for n in api.nodes.list()}
        tasks = api.services.get(name).tasks({"desired-state": "running"})
    except docker.errors.APIError:
        return []
    finally:
        api.close()
    out = [
        (nodes[t["NodeID"]], int(p["PublishedPort"]))
        for t in tasks
        if t["Status"]["State"] == "running"
        for p in t["Status"].get("PortStatus", {}).get("Ports", [])
    ]
    return list(dict.fromkeys(out))  # a host-mode port is listed once per address family


def get(host: str, port: int, timeout: float = 2) -> str | None:
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/", timeout=timeout) as resp:
            return str(resp.read().decode())
    except OSError:
        return None


@dataclass
class App:
    folder: Path
    name: str
    first: subprocess.CompletedProcess[str]
    seconds: float
    notes: list[str] = field(default_factory=list)

    def edit(self, body: str, cmd: str | None = None) -> None:
        (self.folder / "index.html").write_text(body)
        if cmd is not None:
            text = (self.folder / "Dockerfile").read_text()
            (self.folder / "Dockerfile").write_text(re.sub(r"CMD .*", cmd, text))


@pytest.fixture(scope="module")
def app(swarm: SwarmCluster, swarm_image: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """The app's first `dkr up --replicas 4`, made once for the scenarios that follow it (in order)."""
    folder = tmp_path_factory.mktemp("upswarm") / "web"
    folder.mkdir()
    (folder / "Dockerfile").write_text(DOCKERFILE.format(base=swarm_image))
    (folder / "index.html").write_text("v1\n")
    name = unique("upsw")
    try:
        start = time.monotonic()
        res = on(swarm, "up", "--replicas", "4", "--registry", swarm.registry, "--name", name,
                 *LABEL_ARGS, folder)  # fmt: skip
        yield App(folder, name, res, time.monotonic() - start)
    finally:
        api = swarm.client("manager")
        with contextlib.suppress(docker.errors.APIError):
            api.services.get(name).remove()
        api.close()


def test_replicas_4_spread_over_both_nodes_and_every_task_answers(swarm: SwarmCluster, app: App) -> None:
    res = app.first
    assert res.returncode == 0, res.stderr
    api = swarm.client("manager")
    service = api.services.get(app.name)
    assert res.stdout == service.id + "\n"
    spec = service.attrs["Spec"]
    image = spec["TaskTemplate"]["ContainerSpec"]["Image"]
    # the content-derived tag, pinned to the digest the registry serves
    assert re.fullmatch(
        rf"{re.escape(swarm.registry)}/{app.name}:[0-9a-f]{{12}}@sha256:[0-9a-f]{{64}}", image
    )
    assert spec["Labels"]["dkr.up"] == app.name and spec["Labels"]["dkr.test"] == "1"
    assert spec["UpdateConfig"]["FailureAction"] == "rollback"
    assert spec["UpdateConfig"]["Parallelism"] == 1
    api.close()
    found = endpoints(swarm, app.name)
    assert len(found) == 4
    assert {host for host, _ in found} == {swarm.manager_ip, swarm.worker_ip}
    assert [get(host, port) for host, port in found] == ["v1\n"] * 4  # right away, one try each
    lines = res.stderr.splitlines()
    assert any(line.startswith("pushing ") for line in lines), res.stderr
    for host, port in found:  # where it answers: each task's node address and port
        assert f"  http://{host}:{port}" in lines, res.stderr
    assert any("(mode=host)" in line for line in lines), res.stderr  # the honest-ports note


def test_an_edit_rolls_out_with_no_moment_where_nothing_answers(swarm: SwarmCluster, app: App) -> None:
    assert app.first.returncode == 0, app.first.stderr
    app.edit("v2\n")
    stop = threading.Event()
    rounds: list[list[str | None]] = []

    def probe() -> None:
        while not stop.is_set():
            rounds.append([get(host, port, 1) for host, port in endpoints(swarm, app.name)])

    prober = threading.Thread(target=probe)
    prober.start()
    try:
        # plain `dkr up`: the service dkr up made is rolled, its registry read from its image
        res = on(swarm, "up", "--name", app.name, *LABEL_ARGS, app.folder)
    finally:
        stop.set()
        prober.join(30)
    assert res.returncode == 0, res.stderr
    assert "rolling " in res.stderr, res.stderr
    found = endpoints(swarm, app.name)
    assert len(found) == 4
    assert [get(host, port) for host, port in found] == ["v2\n"] * 4
    assert len(rounds) >= 5  # the probe ran through the rollout
    answered = [sum(body is not None for body in bodies) for bodies in rounds]
    assert min(answered) >= 1, answered
    versions = {body for bodies in rounds for body in bodies if body}
    assert versions == {"v1\n", "v2\n"}  # it saw both versions: the probe ran during the rollout


def test_a_broken_image_rolls_back_and_the_old_version_still_answers(swarm: SwarmCluster, app: App) -> None:
    api = swarm.client("manager")
    before = api.services.get(app.name).attrs["Spec"]["TaskTemplate"]["ContainerSpec"]["Image"]
    api.close()
    app.edit("v3\n", cmd='CMD ["sh", "-c", "echo broken; exit 1"]')
    res = on(swarm, "up", "--name", app.name, *LABEL_ARGS, app.folder)
    assert res.returncode == 1, res.stderr
    assert res.stdout == ""
    old = before.split("@")[0]
    error = [line for line in res.stderr.splitlines() if line.startswith("dkr: error: ")]
    assert len(error) == 1, res.stderr
    assert error[0].startswith(f"dkr: error: service {app.name} rolled back to {old}: task "), res.stderr
    assert "non-zero exit (1)" in error[0], res.stderr
    api = swarm.client("manager")
    service = api.services.get(app.name)
    assert service.attrs["Spec"]["TaskTemplate"]["ContainerSpec"]["Image"] == before
    assert service.attrs["UpdateStatus"]["State"] == "rollback_completed"
    api.close()
    found = endpoints(swarm, app.name)
    assert len(found) == 4
    assert [get(host, port) for host, port in found] == ["v2\n"] * 4


def test_not_a_manager_is_one_error(swarm: SwarmCluster, app: App) -> None:
    res = dkr("-H", swarm.worker_url, "up", "--replicas", "2", "--registry", swarm.registry, "--name",
              unique("nomgr"), str(app.folder))  # fmt: skip
    assert res.returncode == 1
    assert res.stderr.splitlines()[0] == (
        "dkr: error: dkr up --replicas rolls out a Swarm service, and this Engine is not a Swarm manager "
        "(active)"
    ), res.stderr
    assert len(res.stderr.splitlines()) == 2


def test_a_failed_build_pushes_nothing_and_leaves_the_service(
    swarm: SwarmCluster, app: App, registry: Registry
) -> None:
    api = swarm.client("manager")
    before = api.services.get(app.name).attrs["Spec"]
    api.close()
    tags = registry.tags(app.name)
    assert tags  # the earlier ups pushed
    dockerfile = app.folder / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text().replace("COPY ", "RUN exit 3\nCOPY ", 1))
    res = on(swarm, "up", "--name", app.name, *LABEL_ARGS, app.folder)
    assert res.returncode == 1, res.stderr
    assert res.stdout == ""
    assert "RUN exit 3" in res.stderr and "pushing" not in res.stderr
    assert registry.tags(app.name) == tags
    api = swarm.client("manager")
    assert api.services.get(app.name).attrs["Spec"] == before
    api.close()
