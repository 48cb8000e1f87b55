"""dkr swarm and dkr node on a real two-node swarm (scripts/swarm-cluster): dkr builds a cluster from two
standalone engines and takes it apart, and its node listings equal the docker CLI's on the shared swarm.
The nodes are network namespaces this test run created; nothing here touches the main Engine."""

from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docker
import pytest

from tests.integration.registry import Registry
from tests.integration.support import LABELS, dkr
from tests.integration.swarm import SwarmCluster, SwarmService, cluster_down, cluster_up, unavailable

#: Engines of its own only (the main Engine is never touched): `make test` runs it beside the rest
pytestmark = pytest.mark.beside


def both(url: str, *args: str) -> tuple[str, str]:
    """The same command's stdout from dkr and from the docker CLI; each must succeed."""
    mine = dkr("-H", url, *args, timeout=60)
    theirs = subprocess.run(["docker", "-H", url, *args], capture_output=True, text=True, timeout=60)
    assert mine.returncode == 0, mine.stderr
    assert theirs.returncode == 0, theirs.stderr
    return mine.stdout, theirs.stdout


def test_node_ls_equals_dockers(swarm: SwarmCluster) -> None:
    mine, theirs = both(swarm.manager_url, "node", "ls")
    assert mine == theirs
    rows = [line.split() for line in mine.splitlines()[1:]]
    assert [row[1:3] for row in rows if row[1] == "*"] == [["*", swarm.manager_netns]]  # the node asked
    assert sorted(row[-4 if row[1] == "*" else -3] for row in rows) == ["Ready", "Ready"]
    assert "Leader" in mine
    mine, theirs = both(swarm.manager_url, "node", "ls", "--format", "json")
    assert mine == theirs


def test_node_inspect_equals_dockers(swarm: SwarmCluster) -> None:
    mine, theirs = both(swarm.manager_url, "node", "inspect", "--pretty", "self")
    assert mine == theirs
    mine, theirs = both(swarm.manager_url, "node", "inspect", "self", swarm.worker_netns)
    assert mine == theirs


def test_node_ps_shows_each_nodes_task(swarm: SwarmCluster, swarm_service: SwarmService) -> None:
    named = ["-f", f"name={swarm_service.name}"]
    template = "{{.ID}} {{.Name}} {{.Image}} {{.Node}} {{.DesiredState}} {{.Error}} {{.Ports}}"
    mine, theirs = both(swarm.manager_url, "node", "ps", *named, "--format", template, swarm.worker_netns)
    assert mine == theirs
    assert f" {swarm_service.name}." in mine and f" {swarm.worker_netns} Running " in mine
    # the table too, but for CURRENT STATE ("Running N seconds ago" moves on between the two runs)
    mine, theirs = both(swarm.manager_url, "node", "ps", *named)
    assert [line.split()[:5] for line in mine.splitlines()] == [
        line.split()[:5] for line in theirs.splitlines()
    ]
    assert f" {swarm.manager_netns} " in mine
    # two nodes: each one's task once (docker 20.10+ would repeat the first node's under the second)
    ids = dkr("-H", swarm.manager_url, "node", "ps", "-q", *named, "self", swarm.worker_netns).stdout.split()
    assert len(ids) == len(set(ids)) >= 2


def test_node_ls_on_the_worker_is_refused_with_a_hint(swarm: SwarmCluster) -> None:
    res = dkr("-H", swarm.worker_url, "node", "ls")
    assert (res.returncode, res.stdout) == (1, "")
    assert res.stderr.splitlines() == [
        "dkr: error: this node is not a swarm manager: a worker cannot show or change the cluster's state",
        "Run the command on a manager node (-H, or a docker context).",
    ]


def test_dkr_builds_a_swarm_and_takes_it_apart(registry: Registry, swarm_image: str) -> None:
    """Two standalone engines: dkr swarm init, join-token, join make a cluster whose node ls shows both
    Ready; leave takes it apart. Then scripts/swarm-cluster down leaves nothing: no namespace, link,
    process (a node's running container included), cgroup, mount or directory of the pair."""
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    pair = cluster_up(registry.port, swarm=False)
    state = dict(line.split("=", 1) for line in (pair.dir / "state").read_text().splitlines())
    pids = [int(p.read_text()) for p in (pair.dir / "pids").iterdir()]
    try:
        m, w = pair.manager_url, pair.worker_url
        init = dkr(
            "-H", m, "swarm", "init", "--advertise-addr", pair.manager_ip, "--listen-addr", pair.manager_ip
        )
        assert init.returncode == 0, init.stderr
        node_id = init.stdout.strip()
        assert init.stderr.startswith(f"Swarm initialized: current node ({node_id}) is now a manager.")
        token = dkr("-H", m, "swarm", "join-token", "-q", "worker").stdout.strip()
        assert token.startswith("SWMTKN-")
        assert f"dkr swarm join --token {token} {pair.manager_ip}:2377" in init.stderr
        join = dkr("-H", w, "swarm", "join", "--token", token, "--advertise-addr", pair.worker_ip,
                   "--listen-addr", pair.worker_ip, f"{pair.manager_ip}:2377")  # fmt: skip
        assert (join.returncode, join.stderr) == (0, "This node joined a swarm as a worker.\n"), join.stderr
        worker_id = join.stdout.strip()
        deadline = time.monotonic() + 20
        while True:
            listed = dkr("-H", m, "node", "ls", "--format", "{{.ID}} {{.Status}} {{.Self}}").stdout.split(
                "\n"
            )
            if sorted(listed[:-1]) == sorted([f"{node_id} Ready true", f"{worker_id} Ready false"]):
                break
            assert time.monotonic() < deadline, listed
            time.sleep(0.1)
        # a manager does not leave without --force; the worker does
        refused = dkr("-H", m, "swarm", "leave")
        assert refused.returncode == 1 and "dkr swarm leave --force" in refused.stderr, refused.stderr
        # a container left running on a node: down must end it too
        worker = docker.DockerClient(base_url=w, timeout=60)
        running = worker.containers.run(swarm_image, ["sleep", "600"], detach=True, labels=LABELS)
        container = (running.id, worker.api.inspect_container(running.id)["State"]["Pid"])
        worker.close()
        with ThreadPoolExecutor(2) as pool:  # the two leave at once: each takes a second or two
            left = list(
                pool.map(
                    lambda args: dkr(*args), [("-H", w, "swarm", "leave"), ("-H", m, "swarm", "leave", "-f")]
                )
            )
        assert [(res.returncode, res.stdout, res.stderr) for res in left] == [
            (0, "", "Node left the swarm.\n")
        ] * 2
    finally:
        print(f"swarm-cluster: up {pair.up_seconds:.1f} s (no swarm), down {cluster_down(pair.dir):.1f} s")
    assert not pair.dir.exists()
    netns = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
    links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True, check=True).stdout
    assert state["PFX"] not in netns + links
    assert str(pair.dir) not in Path("/proc/mounts").read_text()
    for pid in pids:
        cmdline = Path(f"/proc/{pid}/cmdline")
        assert not cmdline.exists() or str(pair.dir) not in cmdline.read_text()
    cid, pid = container
    assert (
        not Path(f"/proc/{pid}").exists() or " Z" in Path(f"/proc/{pid}/stat").read_text().split(")")[-1][:3]
    )
    assert not list(Path("/sys/fs/cgroup").glob(f"*/docker/{cid}")), "the container's cgroups are removed"
    cluster_down(pair.dir)  # idempotent
