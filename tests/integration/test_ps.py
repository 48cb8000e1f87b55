"""dkr ps against the real Engine, compared with the docker CLI itself."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from tests.integration.support import SESSION, dkr, free_port

LABEL_FILTER = f"label=dkr.test.session={SESSION}"
COMPARED_KEYS = (
    "ID",
    "Image",
    "Command",
    "Names",
    "State",
    "Status",
    "Ports",
    "Labels",
    "CreatedAt",
    "Mounts",
)


def docker_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=60, check=True)


def json_lines(text: str) -> dict[str, dict[str, Any]]:
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return {row["ID"]: row for row in rows}


@pytest.fixture
def mixed_containers(make_container: Any) -> list[Any]:
    """Running and exited containers with ports on both address families, ranges, udp, labels, a long cmd."""
    return [
        make_container(
            "sleep 300",
            ports={"80/tcp": ("127.0.0.1", None), "9000/udp": None, "7000/tcp": None, "7001/tcp": None},
            labels={"zeta": "1", "alpha": "x=y"},
        ),
        make_container(["sh", "-c", "echo a long command line that docker truncates; sleep 300"]),
        make_container("true", start=True),
        make_container("sleep 1", start=False),
    ]


def _differences(extra: list[str]) -> list[str]:
    ours = dkr("ps", *extra, "--format", "json", "-f", LABEL_FILTER)
    theirs = docker_cli("ps", *extra, "--format", "json", "-f", LABEL_FILTER)
    assert ours.returncode == 0, ours.stderr
    mine, docker = json_lines(ours.stdout), json_lines(theirs.stdout)
    assert set(mine) == set(docker)
    assert len(mine) >= (2 if not extra else 5)  # the compose service is in it too
    diffs = []
    for cid, row in docker.items():
        assert set(mine[cid]) == set(row), "same keys as docker"
        diffs += [
            f"{cid} {key}: {mine[cid][key]!r} != {row[key]!r}"
            for key in COMPARED_KEYS
            if mine[cid][key] != row[key]
        ]
    return diffs


def test_ps_json_equals_docker(mixed_containers: list[Any], docker_services: Any) -> None:
    for extra in ([], ["-a"], ["-a", "--no-trunc"]):
        # Status is relative ("Up 1 second"): two listings a moment apart can straddle a second, so a
        # difference is only real if it survives a few tries.
        for _ in range(5):
            diffs = _differences(extra)
            if not diffs:
                break
        assert not diffs, diffs


@pytest.mark.podman
def test_ps_quiet_equals_docker(mixed_containers: list[Any]) -> None:
    ours = dkr("ps", "-a", "-q", "-f", LABEL_FILTER)
    theirs = docker_cli("ps", "-a", "-q", "-f", LABEL_FILTER)
    assert ours.returncode == 0
    assert ours.stdout == theirs.stdout
    # unfiltered too; retried because another process may create or remove a container in between
    for _ in range(3):
        everything = dkr("ps", "-a", "-q")
        if everything.stdout == docker_cli("ps", "-a", "-q").stdout:
            break
    else:
        raise AssertionError("dkr ps -a -q differs from docker ps -a -q")


def test_ps_template_and_filters(make_container: Any) -> None:
    a = make_container(labels={"role": "api"})
    make_container(labels={"role": "db"})
    res = dkr(
        "ps", "-f", LABEL_FILTER, "-f", "label=role=api", "--format", '{{.ID}}\t{{.Names}}\t{{.Label "role"}}'
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout == f"{a.id[:12]}\t{a.name}\tapi\n"
    exited = dkr("ps", "-a", "-f", LABEL_FILTER, "-f", "status=exited", "-q")
    assert exited.stdout == ""


def test_ps_table_merges_ipv4_ipv6_twins(make_container: Any) -> None:
    # a fixed host port: with a random one, Engine 20.10 picks different ports for IPv4 and IPv6
    host_port = free_port()
    ctr = make_container(ports={"8080/tcp": host_port}, labels={"twin": "1"})
    res = dkr("ps", "-f", LABEL_FILTER, "-f", "label=twin=1")
    assert res.returncode == 0
    header, row = res.stdout.splitlines()
    assert header.split() == ["CONTAINER", "ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"]
    bindings = ctr.attrs["NetworkSettings"]["Ports"]["8080/tcp"]
    if {b["HostIp"] for b in bindings} == {"0.0.0.0", "::"}:
        assert f"*:{host_port}->8080/tcp" in row
        assert "[::]" not in row
    else:
        assert f":{host_port}->8080/tcp" in row


@pytest.mark.podman
def test_ps_last_n_includes_all_states(make_container: Any) -> None:
    newest = make_container("true", start=False)
    # filtered by this run's label: other processes may create containers at the same time
    res = dkr("ps", "-n", "1", "-q", "--no-trunc", "-f", LABEL_FILTER)
    assert res.returncode == 0
    assert res.stdout == f"{newest.id}\n"
    assert res.stdout == docker_cli("ps", "-n", "1", "-q", "--no-trunc", "-f", LABEL_FILTER).stdout


def test_ps_sees_compose_service(docker_services: Any) -> None:
    res = dkr(
        "ps", "-f", "label=dkr.test.compose=web", "-f", LABEL_FILTER, "--format", "{{.State}} {{.Ports}}"
    )
    assert res.returncode == 0
    state, ports = res.stdout.split(" ", 1)
    assert state == "running"
    assert ports.startswith("127.0.0.1:") and ports.strip().endswith("->8080/tcp")


@pytest.mark.podman
def test_ps_one_engine_request_per_listing(make_container: Any, tmp_path: Any) -> None:
    """Count the Engine requests dkr sends by running it through a logging unix-socket proxy."""
    from tests.integration.proxy import CountingProxy

    for _ in range(4):
        make_container()
    with CountingProxy(tmp_path / "proxy.sock") as proxy:
        res = dkr("-H", f"unix://{proxy.path}", "ps", "-a", "-f", LABEL_FILTER)
    assert res.returncode == 0, res.stderr
    listing = [r for r in proxy.requests if "/containers/json" in r]
    assert len(listing) == 1, proxy.requests
    assert not [
        r for r in proxy.requests if "/json" in r and "/containers/json" not in r and "/version" not in r
    ]
