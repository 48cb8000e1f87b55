"""When `dkr service create|update|scale --wait` calls a service ready: the pure state function over its
tasks (dkr.convergence), and the ports it probes."""

from __future__ import annotations

from typing import Any

from dkr.convergence import assess, probe_targets
from dkr.models.services import Service
from dkr.models.swarm import Node, Task

NODES = {"m": Node("m", "node-m", "10.0.0.2", "10.0.0.2"), "w": Node("w", "node-w", "10.0.0.3")}
HOST_80 = {"Protocol": "tcp", "TargetPort": 80, "PublishMode": "host"}


def svc(replicas: int | None = 2, update: str = "", health: bool = False, ingress: int = 0) -> Service:
    container: dict[str, Any] = {"Image": "img"}
    if health:
        container["Healthcheck"] = {"Test": ["CMD-SHELL", "true"]}
    mode = {"Replicated": {"Replicas": replicas}} if replicas is not None else {"Global": {}}
    ports = [{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": ingress, "PublishMode": "ingress"}]
    return Service.from_api({
        "ID": "s", "Spec": {"Name": "web", "Mode": mode,
                            "TaskTemplate": {"ContainerSpec": container, "Runtime": "container"}},
        "Endpoint": {"Ports": ports if ingress else []},
        "UpdateStatus": {"State": update, "Message": "update paused due to failure"} if update else None,
    })  # fmt: skip


def task(
    tid: str, slot: int, node: str, state: str, desired: str = "running", port: int = 0, **extra: Any
) -> Task:
    ports = [{**HOST_80, "PublishedPort": port}] if port else []
    return Task.from_api({
        "ID": tid, "ServiceID": "s", "Slot": slot, "NodeID": node, "DesiredState": desired,
        "Status": {"State": state, "PortStatus": {"Ports": ports}, "Timestamp": extra.pop("ts", ""), **extra},
    })  # fmt: skip


def test_running_is_not_ready_until_every_host_port_answers() -> None:
    tasks = [task("a", 1, "m", "running", port=30001), task("b", 2, "w", "running", port=30002)]
    targets = probe_targets(svc(), tasks, NODES)
    assert targets == [("10.0.0.2", 30001), ("10.0.0.3", 30002)]
    half = assess(svc(), tasks, NODES, set(), {("10.0.0.2", 30001)})
    assert (half.done, half.running, half.wanted, half.failure) == (False, 1, 2, None)
    blocking = half.blocking()
    assert blocking is not None
    assert (blocking.name, blocking.node, blocking.waiting_for) == (
        "web.2",
        "node-w",
        "port 10.0.0.3:30002 to answer",
    )
    assert assess(svc(), tasks, NODES, set(), set(targets)).done


def test_tasks_not_yet_running_and_too_few_tasks() -> None:
    starting = [task("a", 1, "m", "running"), task("b", 2, "w", "starting")]
    assert not assess(svc(), starting, NODES, set(), set()).done
    assert not assess(svc(replicas=3), [task("a", 1, "m", "running")], NODES, set(), set()).done
    # old tasks on their way out do not count, nor block
    leaving = [
        task("a", 1, "m", "running"),
        task("b", 2, "w", "running"),
        task("c", 3, "w", "running", "shutdown"),
    ]
    assert assess(svc(), leaving, NODES, set(), set()).done


def test_a_healthcheck_decides_instead_of_the_ports() -> None:
    tasks = [task("a", 1, "m", "running", port=30001), task("b", 2, "w", "running", port=30002)]
    assert probe_targets(svc(health=True), tasks, NODES) == []
    assert assess(svc(health=True), tasks, NODES, set(), set()).done


def test_ingress_ports_are_probed_through_a_manager() -> None:
    tasks = [task("a", 1, "m", "running"), task("b", 2, "w", "running")]
    assert probe_targets(svc(ingress=8080), tasks, NODES) == [("10.0.0.2", 8080)]
    progress = assess(svc(ingress=8080), tasks, NODES, set(), set())
    assert not progress.done
    assert progress.lines[0].waiting_for == "port 10.0.0.2:8080 (ingress) to answer"


def test_a_new_failed_task_is_a_failure_an_old_one_is_not() -> None:
    tasks = [
        task("old", 1, "m", "failed", "shutdown", Err="long ago"),
        task("new", 1, "w", "rejected", "shutdown", Err="No such image: img", ts="2"),
        task("newer", 1, "m", "failed", "shutdown", Err="later", ts="3"),
        task("c", 1, "w", "preparing"),
    ]
    progress = assess(svc(replicas=1), tasks, NODES, {"old"}, set())
    assert progress.failure is not None
    assert (progress.failure.name, progress.failure.node, progress.failure.state, progress.failure.error) == (
        "web.1", "node-w", "rejected", "No such image: img",
    )  # fmt: skip
    assert assess(svc(replicas=1), tasks[:1] + tasks[3:], NODES, {"old"}, set()).failure is None


def test_a_paused_or_rolled_back_update_is_a_failure_unless_a_rollback_was_asked() -> None:
    tasks = [task("a", 1, "m", "running"), task("b", 2, "w", "running")]
    paused = assess(svc(update="paused"), tasks, NODES, {"a", "b"}, set())
    assert paused.failure is not None and paused.failure.state == "paused"
    assert not assess(svc(update="updating"), tasks, NODES, set(), set()).done
    assert assess(svc(update="rollback_completed"), tasks, NODES, set(), set()).failure is not None
    assert assess(svc(update="rollback_completed"), tasks, NODES, set(), set(), rollback=True).done


def test_a_pending_task_says_why() -> None:
    tasks = [
        task("a", 1, "", "pending", Message="no suitable node (host-mode port already in use on 2 nodes)")
    ]
    line = assess(svc(replicas=1), tasks, NODES, set(), set()).blocking()
    assert line is not None
    assert (line.node, line.waiting_for, line.error) == (
        "no node", "pending", "no suitable node (host-mode port already in use on 2 nodes)",
    )  # fmt: skip


def test_a_global_service_wants_what_the_manager_says() -> None:
    glob = Service.from_api({"ID": "s", "Spec": {"Name": "g", "Mode": {"Global": {}}},
                             "ServiceStatus": {"RunningTasks": 1, "DesiredTasks": 2}})  # fmt: skip
    tasks = [task("a", 0, "m", "running"), task("b", 0, "w", "running")]
    progress = assess(glob, tasks, NODES, set(), set())
    assert progress.done and progress.lines[0].name == "g.m"


def test_a_port_listed_per_address_family_is_named_once() -> None:
    both = Task.from_api({
        "ID": "a", "ServiceID": "s", "Slot": 1, "NodeID": "m", "DesiredState": "running",
        "Status": {"State": "running", "PortStatus": {"Ports": [{**HOST_80, "PublishedPort": 30001}] * 2}},
    })  # fmt: skip
    assert probe_targets(svc(replicas=1), [both], NODES) == [("10.0.0.2", 30001)]
    line = assess(svc(replicas=1), [both], NODES, set(), set()).blocking()
    assert line is not None and line.waiting_for == "port 10.0.0.2:30001 to answer"


def test_tasks_of_the_previous_spec_are_not_ready_even_before_the_update_starts() -> None:
    """Right after POST /services/{id}/update the manager clears UpdateStatus and the old tasks still run:
    without comparing each task's spec to the service's, the wait returned before the update began."""
    new = svc(replicas=1)
    old_spec = {"ContainerSpec": {"Image": "img", "Env": ["V=1"]}}
    old = Task.from_api({"ID": "a", "ServiceID": "s", "Slot": 1, "NodeID": "m", "DesiredState": "running",
                         "Spec": old_spec, "Status": {"State": "running"}})  # fmt: skip
    progress = assess(new, [old], NODES, {"a"}, set())
    assert not progress.done
    line = progress.blocking()
    assert line is not None and line.waiting_for == "its replacement (it runs the previous spec)"
    # a task's Spec lacks what the manager adds to the template (Runtime, as measured on Engine 20.10)
    spec = {k: v for k, v in new.task_template.items() if k != "Runtime"}
    assert {**spec, "Runtime": "container"} != spec
    current = Task.from_api({"ID": "b", "ServiceID": "s", "Slot": 1, "NodeID": "m", "DesiredState": "running",
                             "Spec": spec, "Status": {"State": "running"}})  # fmt: skip
    assert assess(new, [current], NODES, {"a"}, set()).done
