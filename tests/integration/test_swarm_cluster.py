"""The two-node swarm the tests run on (scripts/swarm-cluster, tests/integration/swarm.py): both nodes Ready,
the registry reachable inside each node's namespace, a host-mode published port reachable at a node's IP, and
nothing left behind by `down`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import docker
import pytest

from tests.integration.registry import Registry
from tests.integration.support import LABELS, get, unique
from tests.integration.swarm import Node, SwarmCluster, cluster_down, cluster_up, unavailable

NODES: tuple[Node, ...] = ("manager", "worker")


def test_both_nodes_ready_and_the_manager_leads(swarm: SwarmCluster) -> None:
    nodes = swarm.client("manager").nodes.list()
    assert sorted(n.attrs["Status"]["State"] for n in nodes) == ["ready", "ready"]
    managers = [n for n in nodes if n.attrs["Spec"]["Role"] == "manager"]
    assert [m.attrs["ManagerStatus"]["Addr"] for m in managers] == [f"{swarm.manager_ip}:2377"]
    assert {n.attrs["Status"]["Addr"] for n in nodes} == {swarm.manager_ip, swarm.worker_ip}
    # each node its own hostname and its own engine ID (no shared /etc/docker/key.json)
    assert len({n.attrs["Description"]["Hostname"] for n in nodes}) == 2
    ids = {swarm.client(node).info()["ID"] for node in NODES}
    assert len(ids) == 2


@pytest.mark.parametrize("node", NODES)
def test_the_registry_answers_on_each_node_loopback(swarm: SwarmCluster, node: Node) -> None:
    res = swarm.run_in(node, "curl", "-fsS", "-m", "5", f"http://{swarm.registry}/v2/")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == {}


def test_a_host_mode_service_answers_at_each_node_ip(swarm: SwarmCluster, swarm_image: str) -> None:
    """The cluster carries real work: a 2-replica service pulled from the registry on both nodes, each task
    on its node's IP (mode=host: no routing mesh without IPVS)."""
    api = swarm.client("manager")
    service = api.services.create(
        swarm_image,
        ["sh", "-c", "mkdir /www && echo swarm-ok >/www/index.html && exec httpd -f -p 80 -h /www"],
        name=unique("svc"),
        labels=LABELS,
        container_labels=LABELS,
        mode=docker.types.ServiceMode("replicated", replicas=2),
        endpoint_spec=docker.types.EndpointSpec(mode="dnsrr", ports={18080: (80, "tcp", "host")}),
        stop_grace_period=1_000_000_000,
    )
    try:
        for node in NODES:
            assert get(18080, host=swarm.ip(node), tries=300) == "swarm-ok\n", node
    finally:
        service.remove()


def test_down_leaves_nothing(registry: Registry) -> None:
    """A fresh pair (no swarm), torn down: its namespaces, host link, processes, mounts and dir are gone;
    `down` again is a no-op. Also measures the budget: up < 10 s, down < 15 s (reported, not asserted)."""
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    c = cluster_up(registry.port, swarm=False)
    state = dict(line.split("=", 1) for line in (c.dir / "state").read_text().splitlines())
    pids = [int(p.read_text()) for p in (c.dir / "pids").iterdir()]
    seconds = cluster_down(c.dir)
    print(f"swarm-cluster: up {c.up_seconds:.1f} s (no swarm), down {seconds:.1f} s")
    assert not c.dir.exists()
    netns = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
    assert state["PFX"] not in netns
    links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True, check=True).stdout
    assert state["PFX"] not in links
    assert str(c.dir) not in Path("/proc/mounts").read_text()
    for pid in pids:
        assert (
            not Path(f"/proc/{pid}/cmdline").exists()
            or str(c.dir) not in Path(f"/proc/{pid}/cmdline").read_text()
        )
    cluster_down(c.dir)  # idempotent
