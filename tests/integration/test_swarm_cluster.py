"""The two-node swarm the tests run on (scripts/swarm-cluster, tests/integration/swarm.py): both nodes Ready,
the registry reachable inside each node's namespace, a host-mode published port reachable at a node's IP.
(That `down` leaves nothing behind is checked in test_swarm.py, on the pair dkr builds a swarm on.)"""

from __future__ import annotations

import json

import pytest

from tests.integration.support import get
from tests.integration.swarm import Node, SwarmCluster, SwarmService

#: Engines of its own only (the main Engine is never touched): `make test` runs it beside the rest
pytestmark = pytest.mark.beside

NODES: tuple[Node, ...] = ("manager", "worker")


def test_both_nodes_ready_and_the_manager_leads(swarm: SwarmCluster) -> None:
    manager, worker = swarm.client("manager"), swarm.client("worker")
    nodes = manager.nodes.list()
    assert sorted(n.attrs["Status"]["State"] for n in nodes) == ["ready", "ready"]
    managers = [n for n in nodes if n.attrs["Spec"]["Role"] == "manager"]
    assert [m.attrs["ManagerStatus"]["Addr"] for m in managers] == [f"{swarm.manager_ip}:2377"]
    assert {n.attrs["Status"]["Addr"] for n in nodes} == {swarm.manager_ip, swarm.worker_ip}
    # each node its own hostname and its own engine ID (no shared /etc/docker/key.json)
    assert len({n.attrs["Description"]["Hostname"] for n in nodes}) == 2
    assert manager.info()["ID"] != worker.info()["ID"]
    manager.close()
    worker.close()


@pytest.mark.parametrize("node", NODES)
def test_the_registry_answers_on_each_node_loopback(swarm: SwarmCluster, node: Node) -> None:
    res = swarm.run_in(node, "curl", "-fsS", "-m", "5", f"http://{swarm.registry}/v2/")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == {}


def test_a_host_mode_service_answers_at_each_node_ip(
    swarm: SwarmCluster, swarm_service: SwarmService
) -> None:
    """The cluster carries real work: a 2-replica service pulled from the registry on both nodes, each task
    on its node's IP (mode=host: no routing mesh without IPVS)."""
    for node in NODES:
        assert get(swarm_service.port, host=swarm.ip(node), tries=300) == "swarm-ok\n", node
