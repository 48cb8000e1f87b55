"""`service ls` and `service ps` fields as docker/cli's formatter makes them, and `service logs`' task
prefix, from Engine payloads shaped as a manager sends them."""

from __future__ import annotations

import io
from typing import Any

from dkr.fields.services import (
    display_image,
    log_prefix,
    parse_log_details,
    service_fields,
    service_ports,
)
from dkr.fields.swarm import task_rows
from dkr.models.services import Service
from dkr.models.swarm import SwarmPort, Task, TaskList
from dkr.render import Streams, use_streams
from dkr.render.services import write_service_logs

DIGEST = "sha256:" + "a" * 64
T0 = 1_700_000_000.0


def service(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "ID": "q1w2e3r4t5y6u7i8o9p0a1s2d",
        "Version": {"Index": 12},
        "Spec": {
            "Name": "web",
            "Labels": {"tier": "front"},
            "TaskTemplate": {"ContainerSpec": {"Image": f"127.0.0.1:5000/web:1@{DIGEST}"}},
            "Mode": {"Replicated": {"Replicas": 4}},
        },
        "Endpoint": {"Ports": [{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 30001,
                                "PublishMode": "ingress"}]},
        "ServiceStatus": {"RunningTasks": 3, "DesiredTasks": 4},
    }  # fmt: skip
    data.update(over)
    return data


def task(tid: str, slot: int, node: str, state: str, desired: str = "running", **status: Any) -> Task:
    return Task.from_api({
        "ID": tid, "ServiceID": "q1w2e3r4t5y6u7i8o9p0a1s2d", "Slot": slot, "NodeID": node,
        "DesiredState": desired, "CreatedAt": status.pop("created", "2023-11-14T22:13:00Z"),
        "Spec": {"ContainerSpec": {"Image": f"127.0.0.1:5000/web:1@{DIGEST}"}},
        "Status": {"State": state, "Timestamp": "2023-11-14T22:13:10Z", **status},
    })  # fmt: skip


def test_service_ls_fields() -> None:
    assert service_fields(Service.from_api(service())) == {
        "ID": "q1w2e3r4t5y6", "Image": "127.0.0.1:5000/web:1", "Mode": "replicated", "Name": "web",
        "Ports": "*:30001->80/tcp", "Replicas": "3/4",
    }  # fmt: skip
    glob = Service.from_api(service(Spec={"Name": "g", "Mode": {"Global": {}}}, Endpoint={}))
    assert (glob.mode, glob.replicas, service_fields(glob)["Ports"]) == ("global", None, "")


def test_ls_ports_are_docker_ranges_of_ingress_ports() -> None:
    ports = [SwarmPort(81, 8081), SwarmPort(80, 8080), SwarmPort(53, 53, "udp"),
             SwarmPort(90, 0, mode="host"), SwarmPort(443, 8443)]  # fmt: skip
    assert service_ports(ports) == "*:8080-8081->80-81/tcp, *:8443->443/tcp, *:53->53/udp"


def test_display_image() -> None:
    assert display_image(f"docker.io/library/busybox:1.36@{DIGEST}") == "busybox:1.36"
    assert display_image(f"127.0.0.1:5000/web@{DIGEST}") == f"127.0.0.1:5000/web@{DIGEST}"
    assert display_image("Not A Reference") == "Not A Reference"


def test_service_ps_rows() -> None:
    tasks = [
        task("t2" * 13, 2, "n2", "running", PortStatus={"Ports": [
            {"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 30002, "PublishMode": "host"}]}),
        task("t1old" * 5, 1, "n1", "failed", "shutdown", Err="starting container failed: no such image here",
             created="2023-11-14T22:12:00Z"),
        task("t1" * 13, 1, "n1", "running"),
        task("t10" * 9, 10, "n2", "pending", Message="pending task scheduling"),
    ]  # fmt: skip
    listing = TaskList(tasks, {"q1w2e3r4t5y6u7i8o9p0a1s2d": "web"}, {"n1": "manager-1", "n2": "worker-1"})
    rows = task_rows(listing, now=T0)
    assert [(r["Name"], r["Node"], r["DesiredState"], r["CurrentState"], r["Error"], r["Ports"]) for r in rows] == [
        ("web.1", "manager-1", "Running", "Running 10 seconds ago", "", ""),
        (" \\_ web.1", "manager-1", "Shutdown", "Failed 10 seconds ago", '"starting container failed: no\u2026"', ""),
        ("web.2", "worker-1", "Running", "Running 10 seconds ago", "", "*:30002->80/tcp"),
        ("web.10", "worker-1", "Running", "Pending 10 seconds ago", "", ""),
    ]  # fmt: skip
    assert rows[0]["ID"] == ("t1" * 13)[:12] and rows[0]["Image"] == "127.0.0.1:5000/web:1"
    full = task_rows(listing, trunc=False, now=T0)
    assert full[1]["Error"] == '"starting container failed: no such image here"'


def test_log_prefix_pads_the_slot_to_the_replica_count() -> None:
    t = task("abcdef1234567890", 3, "n1", "running")
    assert log_prefix("web", t, "node1", padding=2) == "web.3.abcdef123456@node1 "
    assert log_prefix("web", t, "node1", padding=1, trunc=False) == "web.3.abcdef1234567890@node1"
    assert log_prefix("web", t, "node1", padding=1, task_ids=False) == "web.3@node1"
    assert parse_log_details("com.docker.swarm.task.id=x%2Cy,a=b") == {
        "com.docker.swarm.task.id": "x,y",
        "a": "b",
    }


def test_service_logs_merge_tasks_with_their_prefix() -> None:
    out, err = io.StringIO(), io.StringIO()
    use_streams(Streams(out, err, False, False, False))
    try:
        ids = "com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s,com.docker.swarm.task.id="
        batches = [[(1, f"{ids}t1 hello\n".encode()), (2, f"{ids}t2 oops\n".encode())],
                   [(1, f"{ids}t1 again\n".encode())]]  # fmt: skip
        looked_up: list[str] = []

        def lookup(task_id: str) -> tuple[Task, str]:
            looked_up.append(task_id)
            return task(task_id + "0" * 14, int(task_id[1]), "n1", "running"), "node1"

        write_service_logs(batches, Service.from_api(service()), lookup, timestamps=False)
    finally:
        use_streams(None)
    assert out.getvalue() == "web.1.t10000000000@node1    | hello\nweb.1.t10000000000@node1    | again\n"
    assert err.getvalue() == "web.2.t20000000000@node1    | oops\n"
    assert looked_up == ["t1", "t2"]
