"""A two-node Docker Swarm on this machine for the tests: scripts/swarm-cluster brings up a manager and a
worker, each a dockerd in a network namespace of its own, linked by a bridge in a third namespace, with the
test registry reachable inside each node at 127.0.0.1:<the registry fixture's port>; it tears everything down
by the PIDs it recorded, even after a half-failed start. The main Engine, its iptables and its containers are
never touched. Needs root, iproute2, nsenter, unshare, dockerd, socat and curl: without them the tests that use
the cluster are skipped, with the reason.

This kernel has no IPVS: the routing mesh and service VIPs do not work. Services in tests publish with
`mode=host` and use `--endpoint-mode dnsrr`; a published port is probed at the node's IP (the nodes live in
namespaces this test run created) or, with `run_in`, from inside a node's namespace.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import docker
import pytest

from tests.integration.registry import Registry
from tests.integration.support import BUSYBOX, HERE, LABELS, SESSION, unique

SCRIPT = HERE.parent.parent / "scripts" / "swarm-cluster"
TOOLS = ("ip", "nsenter", "unshare", "dockerd", "socat", "curl")
Node = Literal["manager", "worker"]


def unavailable() -> str | None:
    """Why a cluster cannot run here (None: it can)."""
    if os.geteuid() != 0:
        return "a two-node swarm needs root (network namespaces, dockerd)"
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        return f"a two-node swarm needs {', '.join(missing)} (scripts/ensure-engine installs them as root)"
    return None


@dataclass(frozen=True)
class SwarmCluster:
    """What scripts/swarm-cluster wrote to DIR/env, and ways to reach the nodes."""

    dir: Path
    manager_url: str
    worker_url: str
    manager_ip: str
    worker_ip: str
    host_ip: str
    manager_netns: str
    worker_netns: str
    registry: str  # 127.0.0.1:PORT, the same inside every node's namespace
    up_seconds: float

    @classmethod
    def from_env(cls, directory: Path, up_seconds: float) -> SwarmCluster:
        env = dict(line.split("=", 1) for line in (directory / "env").read_text().splitlines() if "=" in line)
        return cls(
            dir=directory,
            manager_url=env["SWARM_MANAGER_URL"],
            worker_url=env["SWARM_WORKER_URL"],
            manager_ip=env["SWARM_MANAGER_IP"],
            worker_ip=env["SWARM_WORKER_IP"],
            host_ip=env["SWARM_HOST_IP"],
            manager_netns=env["SWARM_MANAGER_NETNS"],
            worker_netns=env["SWARM_WORKER_NETNS"],
            registry=env["SWARM_REGISTRY"],
            up_seconds=up_seconds,
        )

    def url(self, node: Node) -> str:
        return self.manager_url if node == "manager" else self.worker_url

    def ip(self, node: Node) -> str:
        return self.manager_ip if node == "manager" else self.worker_ip

    def netns(self, node: Node) -> str:
        return self.manager_netns if node == "manager" else self.worker_netns

    def client(self, node: Node = "manager") -> docker.DockerClient:
        return docker.DockerClient(base_url=self.url(node), timeout=60)

    def run_in(self, node: Node, *command: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
        """Run COMMAND in NODE's network namespace (`nsenter --net`, as the node's dockerd runs): e.g.
        `run_in("worker", "curl", "-sS", "http://127.0.0.1:8080/")` probes a host-mode port on its loopback."""
        return subprocess.run(
            ["nsenter", f"--net=/run/netns/{self.netns(node)}", *command],
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def cluster_up(registry_port: int, *, swarm: bool = True) -> SwarmCluster:
    """Bring up a cluster (`swarm=False`: two standalone engines, not yet in a swarm). On failure everything
    it made is removed and RuntimeError carries the script's message."""
    directory = Path(tempfile.mkdtemp(prefix="dkrsw-", dir="/tmp"))  # short: unix socket paths below it
    args = [str(SCRIPT), "up", str(directory), str(registry_port), *([] if swarm else ["--no-swarm"])]
    start = time.monotonic()
    res = subprocess.run(args, capture_output=True, text=True, timeout=90)
    if res.returncode != 0:
        cluster_down(directory)
        raise RuntimeError(f"scripts/swarm-cluster up failed: {res.stderr.strip()[-2000:]}")
    return SwarmCluster.from_env(directory, time.monotonic() - start)


def cluster_down(directory: Path) -> float:
    """Tear a cluster down (idempotent); returns the seconds it took."""
    start = time.monotonic()
    res = subprocess.run([str(SCRIPT), "down", str(directory)], capture_output=True, text=True, timeout=90)
    if res.returncode != 0:
        raise RuntimeError(f"scripts/swarm-cluster down failed: {res.stderr.strip()[-2000:]}")
    return time.monotonic() - start


@contextlib.contextmanager
def cluster(registry_port: int, *, swarm: bool = True) -> Iterator[SwarmCluster]:
    """A cluster for the duration of the block, skipping the test when none can run here."""
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    try:
        c = cluster_up(registry_port, swarm=swarm)
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield c
    finally:
        cluster_down(c.dir)


@pytest.fixture(scope="session")
def swarm(registry: Registry) -> Iterator[SwarmCluster]:
    """A two-node swarm (manager and worker joined, both Ready) for this run; torn down at the end."""
    with cluster(registry.port) as c:
        yield c


@pytest.fixture(scope="session")
def swarm_image(swarm: SwarmCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The busybox base image in the registry, as `127.0.0.1:PORT/dkrtest-swarm:SESSION`: every node pulls it
    (a service's image must come from a registry to run on both nodes). Built and pushed on the manager, so
    that the swarm tests never touch the main Engine (they run beside the tests that count its objects)."""
    ref = f"{swarm.registry}/dkrtest-swarm:{SESSION}"
    ctx = tmp_path_factory.mktemp("swarm-base")
    shutil.copy(BUSYBOX, ctx / "busybox")
    (ctx / "Dockerfile").write_text(
        'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n'
    )
    manager = swarm.client("manager")
    try:
        manager.images.build(path=str(ctx), tag=ref, labels=LABELS, rm=True, forcerm=True)
        for line in manager.images.push(ref, stream=True, decode=True):
            if "error" in line:  # the SDK does not raise: the error arrives inside the stream
                raise RuntimeError(f"push {ref}: {line['error']}")
        yield ref
    finally:
        with contextlib.suppress(docker.errors.APIError):
            manager.images.remove(ref)
        manager.close()


#: the host-mode port the `swarm_service` fixture's tasks publish on each node's IP
SERVICE_PORT = 18080


@dataclass(frozen=True)
class SwarmService:
    name: str
    id: str
    port: int


@pytest.fixture(scope="session")
def swarm_service(swarm: SwarmCluster, swarm_image: str) -> Iterator[SwarmService]:
    """A labelled 2-replica service, one task running on each node: busybox httpd answering `swarm-ok` on
    SERVICE_PORT at each node's IP (mode=host, --endpoint-mode dnsrr: no IPVS here). Removed at the end."""
    api = swarm.client("manager")
    service = api.services.create(
        swarm_image,
        ["sh", "-c", "mkdir /www && echo swarm-ok >/www/index.html && exec httpd -f -p 80 -h /www"],
        name=unique("svc"),
        labels=LABELS,
        container_labels=LABELS,
        mode=docker.types.ServiceMode("replicated", replicas=2),
        endpoint_spec=docker.types.EndpointSpec(mode="dnsrr", ports={SERVICE_PORT: (80, "tcp", "host")}),
        stop_grace_period=1_000_000_000,  # busybox httpd ignores SIGTERM
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            running = [t for t in service.tasks() if t["Status"]["State"] == "running"]
            if len({t["NodeID"] for t in running}) == 2:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the service's tasks did not run on both nodes: {service.tasks()}")
            time.sleep(0.1)
        yield SwarmService(str(service.name), str(service.id), SERVICE_PORT)
    finally:
        with contextlib.suppress(docker.errors.APIError):
            service.remove()
        api.close()
