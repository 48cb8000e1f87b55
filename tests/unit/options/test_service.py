"""`dkr service create`'s ServiceSpec as docker/cli builds it, update's and scale's changes to a spec, and the
note on what a Swarm published port means."""

from __future__ import annotations

from typing import Any

import pytest

from dkr.errors import DkrError, UsageError
from dkr.options.service import (
    HealthFlags,
    RolloutFlags,
    ServiceOptions,
    UpdateOptions,
    parse_scale,
    update_env,
    update_ports,
)

SECOND = 10**9


def test_a_full_spec() -> None:
    options = ServiceOptions(
        image="127.0.0.1:5000/web:1", args=("httpd", "-f"), name="web", replicas="4",
        publish=("mode=host,target=80",), env=("A=1", "HOME"), labels=("tier=front",),
        container_labels=("c=1",), constraints=("node.role==manager",), networks=("backend",),
        mounts=("type=tmpfs,dst=/cache",), workdir="/srv", user="www", stop_grace_period="1s",
        endpoint_mode="dnsrr",
        update=RolloutFlags(parallelism="2", delay="3s", failure_action="rollback", monitor="1s",
                            max_failure_ratio="0.5", order="start-first"),
        rollback=RolloutFlags(parallelism="0", failure_action="continue"),
        health=HealthFlags(cmd="wget -q -O- localhost", interval="2s", retries="3"),
    )  # fmt: skip
    spec = options.spec(lambda name: "/root" if name == "HOME" else None)
    assert spec == {
        "Name": "web",
        "Labels": {"tier": "front"},
        "TaskTemplate": {
            "ContainerSpec": {
                "Image": "127.0.0.1:5000/web:1", "Args": ["httpd", "-f"], "Env": ["A=1", "HOME=/root"],
                "Labels": {"c": "1"}, "Dir": "/srv", "User": "www",
                "Mounts": [{"Type": "tmpfs", "Target": "/cache"}], "StopGracePeriod": SECOND,
                "Healthcheck": {"Test": ["CMD-SHELL", "wget -q -O- localhost"], "Interval": 2 * SECOND,
                                "Retries": 3},
            },
            "ForceUpdate": 0,
            "Placement": {"Constraints": ["node.role==manager"]},
            "Networks": [{"Target": "backend"}],
        },
        "Mode": {"Replicated": {"Replicas": 4}},
        "UpdateConfig": {"Parallelism": 2, "Delay": 3 * SECOND, "FailureAction": "rollback", "Monitor": SECOND,
                         "MaxFailureRatio": 0.5, "Order": "start-first"},
        "RollbackConfig": {"Parallelism": 0, "FailureAction": "continue", "Order": "stop-first"},
        "EndpointSpec": {"Mode": "dnsrr", "Ports": [{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 0,
                                                     "PublishMode": "host"}]},
    }  # fmt: skip


def test_the_defaults_docker_sends() -> None:
    spec = ServiceOptions(image="img").spec()
    assert spec["Mode"] == {"Replicated": {"Replicas": 1}}
    assert spec["UpdateConfig"] == {"Parallelism": 1, "FailureAction": "pause", "Order": "stop-first"}
    assert spec["EndpointSpec"] == {"Mode": "vip"}
    assert "Name" not in spec


def test_global_mode_and_long_network() -> None:
    spec = ServiceOptions(image="img", mode="global", networks=("name=net,alias=a,alias=b",)).spec()
    assert spec["Mode"] == {"Global": {}}
    assert spec["TaskTemplate"]["Networks"] == [{"Target": "net", "Aliases": ["a", "b"]}]


@pytest.mark.parametrize(
    ("options", "why"),
    [
        pytest.param(ServiceOptions(image="img", mode="global", replicas="2"), "replicas can only be used",
                     id="replicas-with-global"),
        pytest.param(ServiceOptions(image="img", mode="daemon"), "invalid --mode", id="bad-mode"),
        pytest.param(ServiceOptions(image="img", replicas="-1"), "--replicas", id="negative-replicas"),
        pytest.param(ServiceOptions(image="img", stop_grace_period="1"), "--stop-grace-period", id="no-unit"),
        pytest.param(ServiceOptions(image="img", stop_grace_period="-1s"), "cannot be negative", id="negative"),
        pytest.param(ServiceOptions(image="img", endpoint_mode="lb"), "--endpoint-mode", id="endpoint-mode"),
        pytest.param(ServiceOptions(image="img", update=RolloutFlags(failure_action="stop")),
                     "--update-failure-action", id="update-failure-action"),
        pytest.param(ServiceOptions(image="img", rollback=RolloutFlags(failure_action="rollback")),
                     "--rollback-failure-action", id="rollback-cannot-roll-back"),
        pytest.param(ServiceOptions(image="img", update=RolloutFlags(max_failure_ratio="1.5")),
                     "between 0 and 1", id="ratio"),
        pytest.param(ServiceOptions(image="img", health=HealthFlags(cmd="x", none=True)),
                     "--no-healthcheck conflicts", id="health-conflict"),
        pytest.param(ServiceOptions(image="img", env=("=x",)), "no variable name", id="env"),
        pytest.param(ServiceOptions(image="img", mounts=("type=bind,dst=rel",)), "--mount", id="mount"),
        pytest.param(ServiceOptions(image="img", networks=("alias=a",)), "network name is required",
                     id="network-without-name"),
        pytest.param(ServiceOptions(image="img", name=" "), "--name", id="blank-name"),
    ],
)  # fmt: skip
def test_bad_options_are_usage_errors(options: ServiceOptions, why: str) -> None:
    with pytest.raises(UsageError) as info:
        options.spec()
    assert why in info.value.message


CURRENT: dict[str, Any] = {
    "Name": "web",
    "Labels": {"a": "1", "b": "2"},
    "TaskTemplate": {"ContainerSpec": {"Image": "img:1", "Env": ["A=1", "B=2"]}, "ForceUpdate": 1},
    "Mode": {"Replicated": {"Replicas": 2}},
    "EndpointSpec": {"Ports": [{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080,
                                "PublishMode": "host"}]},
}  # fmt: skip


def test_update_changes_a_copy() -> None:
    change = UpdateOptions(
        image="img:2", replicas="3", env_add=("B=3", "C=4"), env_rm=("A",), label_add=("c=3",), label_rm=("a",),
        publish_add=("mode=host,target=81",), publish_rm=("80",), force=True, stop_grace_period="1s",
        update=RolloutFlags(delay="2s"),
    ).check()  # fmt: skip
    new = change(CURRENT)
    assert new["TaskTemplate"]["ContainerSpec"] == {
        "Image": "img:2", "Env": ["B=3", "C=4"], "StopGracePeriod": SECOND,
    }  # fmt: skip
    assert new["TaskTemplate"]["ForceUpdate"] == 2
    assert new["Labels"] == {"b": "2", "c": "3"}
    assert new["Mode"] == {"Replicated": {"Replicas": 3}}
    assert new["EndpointSpec"]["Ports"] == [
        {"Protocol": "tcp", "TargetPort": 81, "PublishedPort": 0, "PublishMode": "host"}
    ]
    assert new["UpdateConfig"] == {"Delay": 2 * SECOND}
    assert CURRENT["TaskTemplate"]["ContainerSpec"]["Image"] == "img:1"  # untouched


def test_update_checks_its_flags_before_the_engine() -> None:
    with pytest.raises(UsageError):
        UpdateOptions(publish_rm=("http",)).check()
    with pytest.raises(UsageError):
        UpdateOptions(replicas="x").check()


def test_replicas_of_a_global_service() -> None:
    with pytest.raises(DkrError, match="replicated mode") as info:
        UpdateOptions(replicas="2").check()({"Name": "g", "Mode": {"Global": {}}})
    assert info.value.exit_code == 1  # known only once the service was read


def test_env_and_port_updates() -> None:
    assert update_env(["A=1", "B=2", "C"], ["B=5"], ["C"]) == ["A=1", "B=5"]
    current = [{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080, "PublishMode": "ingress"}]
    same_place = {"Protocol": "tcp", "TargetPort": 81, "PublishedPort": 8080, "PublishMode": "ingress"}
    assert update_ports(current, [same_place], []) == [same_place]


def test_scale_arguments() -> None:
    assert parse_scale(["web=3", "api=0"]) == [("web", 3), ("api", 0)]
    for bad in ("web", "=3", "web=-1", "web=x", "web=\uff13"):
        with pytest.raises(UsageError):
            parse_scale([bad])
