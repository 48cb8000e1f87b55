"""dkr service on the two-node Swarm (tests/integration/swarm.py): create --wait that waits for the ports, ps
and ls beside the docker CLI's, scale, update, rollback, logs, rm, and the failures (a task that cannot run,
a port that never answers, a node that is not a manager). No IPVS here: services publish with mode=host and
use --endpoint-mode dnsrr; the ingress path is tested for its wording only."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import docker
import pytest

from tests.integration.support import LABEL_ARGS, LABELS, dkr, unique
from tests.integration.swarm import SwarmCluster

#: Engines of its own only (the main Engine is never touched): `make test` runs it beside the rest
pytestmark = pytest.mark.beside

#: an httpd that starts listening 2 s after its task runs: a wait for "running" alone returns too early
LATE_HTTPD = "sleep 2; mkdir -p /www; echo web-$V >/www/index.html; echo started; exec httpd -f -p 80 -h /www"
COMMON = [*LABEL_ARGS, "--container-label", f"dkr.test.session={LABELS['dkr.test.session']}",
          "--stop-grace-period", "1s", "--endpoint-mode", "dnsrr"]  # fmt: skip


def on(swarm: SwarmCluster, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return dkr("-H", swarm.manager_url, *args, timeout=timeout)


def docker_cli(swarm: SwarmCluster, *args: str) -> str:
    res = subprocess.run(
        ["docker", "-H", swarm.manager_url, *args], capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 0, res.stderr
    return res.stdout


def answers(host: str, port: int) -> str:
    """One GET, no retry: the wait promised the port answers."""
    with urllib.request.urlopen(f"http://{host}:{port}/", timeout=5) as resp:
        return str(resp.read().decode())


def task_endpoints(swarm: SwarmCluster, name: str) -> list[tuple[str, int]]:
    """Each running task's (node IP, published host port), read from the manager (not from dkr)."""
    api = swarm.client("manager")
    nodes = {n.id: n.attrs["Status"]["Addr"] for n in api.nodes.list()}
    out = []
    for task in api.services.get(name).tasks({"desired-state": "running"}):
        if task["Status"]["State"] != "running":
            continue
        for port in task["Status"].get("PortStatus", {}).get("Ports", []):
            out.append((nodes[task["NodeID"]], int(port["PublishedPort"])))
    return list(dict.fromkeys(out))  # a host-mode port is listed once per address family


@contextlib.contextmanager
def removed_after(swarm: SwarmCluster, name: str) -> Iterator[str]:
    try:
        yield name
    finally:
        with contextlib.suppress(docker.errors.APIError):
            swarm.client("manager").services.get(name).remove()


@dataclass(frozen=True)
class Web:
    name: str
    id: str
    create: subprocess.CompletedProcess[str]
    seconds: float


@pytest.fixture(scope="module")
def web(swarm: SwarmCluster, swarm_image: str) -> Iterator[Web]:
    """A 4-replica host-mode service made by `dkr service create --wait`, for the tests that read it."""
    name = unique("web")
    with removed_after(swarm, name):
        start = time.monotonic()
        res = on(swarm, "service", "create", "--name", name, "--replicas", "4", "-p", "mode=host,target=80",
                 "-e", "V=1", *COMMON, "--wait", swarm_image, "sh", "-c", LATE_HTTPD)  # fmt: skip
        yield Web(name, res.stdout.strip(), res, time.monotonic() - start)


def test_create_waits_until_every_task_port_answers_on_both_nodes(swarm: SwarmCluster, web: Web) -> None:
    assert web.create.returncode == 0, web.create.stderr
    endpoints = task_endpoints(swarm, web.name)
    # right away, one try each: every task of the 4 answers at its node's IP
    assert len(endpoints) == 4
    assert [answers(host, port) for host, port in endpoints] == ["web-1\n"] * 4
    assert {host for host, _ in endpoints} == {swarm.manager_ip, swarm.worker_ip}
    assert re.fullmatch(r"[a-z0-9]{25}", web.id), web.create.stdout
    assert swarm.client("manager").services.get(web.name).id == web.id
    # the wait covered the httpd's late start: the tasks ran 2 s before their ports answered
    assert web.seconds >= 2
    lines = web.create.stderr.splitlines()
    assert "note: a swarm cannot bind a published port to one address" in web.create.stderr
    assert any("every interface of each node that runs a task (mode=host)" in line for line in lines)
    assert lines[-1].startswith(f"{web.name}: 4/4 tasks ready after "), web.create.stderr
    assert any("waiting for port" in line for line in lines), web.create.stderr  # piped: a line per change


def test_ls_and_ps_are_dockers(swarm: SwarmCluster, web: Web) -> None:
    filters = ("-f", f"name={web.name}")
    ours = on(swarm, "service", "ls", *filters, "--format", "json")
    assert ours.returncode == 0, ours.stderr
    theirs = docker_cli(swarm, "service", "ls", *filters, "--format", "json")
    assert [json.loads(line) for line in ours.stdout.splitlines()] == [
        json.loads(line) for line in theirs.splitlines()
    ]
    table = on(swarm, "service", "ls", *filters)
    assert table.stdout == docker_cli(swarm, "service", "ls", *filters)
    template = "{{.ID}}\t{{.Name}}\t{{.Image}}\t{{.Node}}\t{{.DesiredState}}\t{{.Error}}\t{{.Ports}}"
    ps = on(swarm, "service", "ps", web.name, "--format", template)
    assert ps.returncode == 0, ps.stderr
    assert ps.stdout == docker_cli(swarm, "service", "ps", web.name, "--format", template)
    header = on(swarm, "service", "ps", web.name).stdout.splitlines()[0].split()
    assert header == docker_cli(swarm, "service", "ps", web.name).splitlines()[0].split()


def test_logs_merge_tasks_with_dockers_prefix(swarm: SwarmCluster, web: Web) -> None:
    ours = on(swarm, "service", "logs", web.name)
    assert ours.returncode == 0, ours.stderr
    theirs = subprocess.run(["docker", "-H", swarm.manager_url, "service", "logs", web.name],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert sorted(ours.stdout.splitlines()) == sorted(theirs.stdout.splitlines())
    assert len(ours.stdout.splitlines()) == 4
    for line in ours.stdout.splitlines():
        assert re.fullmatch(rf"{web.name}\.[1-4]\.[a-z0-9]{{12}}@\S+ +\| started", line), line


def test_scale_update_rollback(swarm: SwarmCluster, swarm_image: str) -> None:
    name = unique("roll")
    with removed_after(swarm, name):
        # short monitors and every task at once: a rolling update of 3 tasks in seconds
        fast = ["--update-monitor", "100ms", "--update-parallelism", "0", "--rollback-monitor", "100ms",
                "--rollback-parallelism", "0"]  # fmt: skip
        res = on(swarm, "service", "create", "-d", "--name", name, "-p", "mode=host,target=80", "-e", "V=1",
                 *COMMON, *fast, swarm_image, "sh", "-c", LATE_HTTPD.replace("sleep 2; ", ""))  # fmt: skip
        assert res.returncode == 0, res.stderr
        scaled = on(swarm, "service", "scale", "--wait", f"{name}=3")
        assert (scaled.returncode, scaled.stdout) == (0, f"{name} scaled to 3\n"), scaled.stderr
        assert sorted(answers(*e) for e in task_endpoints(swarm, name)) == ["web-1\n"] * 3

        updated = on(
            swarm, "service", "update", "--env-add", "V=2", "--update-parallelism", "0", "--wait", name
        )
        assert (updated.returncode, updated.stdout) == (0, f"{name}\n"), updated.stderr
        service = swarm.client("manager").services.get(name)
        assert service.attrs["UpdateStatus"]["State"] == "completed"
        assert [answers(*e) for e in task_endpoints(swarm, name)] == ["web-2\n"] * 3

        back = on(swarm, "service", "rollback", "--wait", name)
        assert (back.returncode, back.stdout) == (0, f"{name}\n"), back.stderr
        env = swarm.client("manager").services.get(name).attrs["Spec"]["TaskTemplate"]["ContainerSpec"]["Env"]
        assert env == ["V=1"]
        assert [answers(*e) for e in task_endpoints(swarm, name)] == ["web-1\n"] * 3


def test_a_task_that_cannot_run_is_named_with_its_node_and_error(swarm: SwarmCluster) -> None:
    name = unique("broken")
    with removed_after(swarm, name):
        res = on(swarm, "service", "create", "--name", name, *COMMON, "--wait", "--wait-timeout", "60",
                 f"{swarm.registry}/dkrtest-no-such-image:1")  # fmt: skip
        assert res.returncode == 1, res.stderr
        assert res.stdout == ""
        error = [line for line in res.stderr.splitlines() if line.startswith("dkr: error: ")]
        assert len(error) == 1, res.stderr
        assert re.match(
            rf"dkr: error: service {name}: task {name}\.1 on node \S+ (rejected|failed): .+", error[0]
        )
        assert "dkrtest-no-such-image" in error[0]
        assert "Traceback" not in res.stderr
        # nothing left behind
        assert swarm.client("manager").services.list(filters={"name": name}) == []


def test_a_port_that_never_answers_times_out_naming_the_task(swarm: SwarmCluster, swarm_image: str) -> None:
    name = unique("silent")
    with removed_after(swarm, name):
        res = on(swarm, "service", "create", "--name", name, "-p", "mode=host,target=81", *COMMON,
                 "--wait", "--wait-timeout", "4", swarm_image, "sh", "-c", LATE_HTTPD)  # fmt: skip
        assert res.returncode == 1, res.stderr
        assert res.stdout == ""
        error = res.stderr.splitlines()[-2]
        assert re.fullmatch(
            rf"dkr: error: service {name} was not ready after 4s \(0/1 ready\): task {name}\.1 on node \S+ is "
            rf"waiting for port ({re.escape(swarm.manager_ip)}|{re.escape(swarm.worker_ip)}):\d+ to answer",
            error,
        ), res.stderr
        assert "Raise --wait-timeout" in res.stderr.splitlines()[-1]
        assert swarm.client("manager").services.list(filters={"name": name}) == []


def test_an_ingress_port_says_where_it_is_open(swarm: SwarmCluster, swarm_image: str) -> None:
    name = unique("ingress")
    with removed_after(swarm, name):
        res = on(swarm, "service", "create", "-d", "--name", name, "-p", "18081:80", *LABEL_ARGS,
                 "--stop-grace-period", "1s", swarm_image, "sleep", "600")  # fmt: skip
        assert res.returncode == 0, res.stderr
        assert res.stderr.splitlines()[-2:] == [
            "note: a swarm cannot bind a published port to one address, so dkr's 127.0.0.1 default does not "
            "apply: published 18081 -> 80/tcp on every interface of every node in the swarm (routing mesh).",
            "hint: To keep it private: publish with mode=host and close the port with a firewall on the nodes, or "
            "put the service on an internal overlay network (dkr network create -d overlay --internal) and "
            "publish no port.",
        ]
        refused = on(swarm, "service", "create", "-d", "-p", "127.0.0.1:18082:80", swarm_image)
        assert refused.returncode == 2
        assert "hostip is not supported" in refused.stderr


def test_rm_inspect_and_the_engines_refusals(swarm: SwarmCluster, swarm_image: str) -> None:
    name = unique("rm")
    with removed_after(swarm, name):
        assert on(swarm, "service", "create", "-d", "-q", "--name", name, *COMMON, swarm_image,
                  "sleep", "600").returncode == 0  # fmt: skip
        inspected = on(swarm, "service", "inspect", name)
        assert json.loads(inspected.stdout)[0]["Spec"]["Name"] == name
        gone = on(swarm, "service", "rm", name, "dkrtest-nosuch")
        assert gone.returncode == 1
        assert gone.stdout == f"{name}\n"
        assert gone.stderr.startswith("dkr: error: ") and "dkrtest-nosuch" in gone.stderr
        missing = on(swarm, "service", "inspect", name)
        assert (missing.returncode, missing.stdout, missing.stderr) == (
            1,
            "[]\n",
            f"dkr: error: no such service: {name}\n",
        )
        ps = on(swarm, "service", "ps", name)
        assert (ps.returncode, ps.stderr) == (1, f"dkr: error: no such service: {name}\n")
    worker = dkr("-H", swarm.worker_url, "service", "ls")
    assert worker.returncode == 1
    assert worker.stderr.startswith("dkr: error: ") and "not a swarm manager" in worker.stderr
    assert len(worker.stderr.splitlines()) <= 2


def test_ctrl_c_during_the_wait_removes_the_service(swarm: SwarmCluster, swarm_image: str) -> None:
    import signal
    import sys

    name = unique("interrupted")
    with removed_after(swarm, name):
        proc = subprocess.Popen(
            [sys.executable, "-m", "dkr", "-H", swarm.manager_url, "service", "create", "--name", name,
             "-p", "mode=host,target=81", *COMMON, "--wait", "--wait-timeout", "60", swarm_image, "sleep", "600"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        api = swarm.client("manager")
        for _ in range(300):  # until the service exists, then while dkr waits on it
            if api.services.list(filters={"name": name}):
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert out == ""
        assert f"interrupted: removed service {name}" in err
        assert api.services.list(filters={"name": name}) == []
