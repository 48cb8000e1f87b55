"""PORTS as docker renders it (docker/cli formatter DisplayablePorts and its tests), and dkr's twin merge."""

from __future__ import annotations

import pytest

from dkr.fields.ports import displayable_ports, merge_twins
from dkr.models.containers import PortBinding as P


@pytest.mark.parametrize(
    ("ports", "expected"),
    [
        pytest.param([], "", id="none"),
        pytest.param([P(9988, "tcp")], "9988/tcp", id="exposed-only"),
        pytest.param([P(9988, "udp")], "9988/udp", id="udp"),
        pytest.param([P(9988, "tcp", "0.0.0.0", 0)], "0.0.0.0:0->9988/tcp", id="ip-no-public"),
        pytest.param([P(9988, "tcp", "0.0.0.0", 8899)], "0.0.0.0:8899->9988/tcp", id="mapped"),
        pytest.param([P(9988, "tcp", "::", 8899)], "[::]:8899->9988/tcp", id="ipv6-brackets"),
        pytest.param([P(9988, "tcp", "4.3.2.1", 9988)], "4.3.2.1:9988->9988/tcp", id="same-port"),
        pytest.param(
            [P(9988, "udp", "4.3.2.1", 9988), P(9988, "udp", "4.3.2.1", 9988)],
            "4.3.2.1:9988->9988/udp, 4.3.2.1:9988->9988/udp",
            id="duplicate",
        ),
        pytest.param(
            [P(9998, "udp", "1.2.3.4", 9998), P(9999, "udp", "1.2.3.4", 9999)],
            "1.2.3.4:9998-9999->9998-9999/udp",
            id="range-same-ports",
        ),
        pytest.param(
            [P(9998, "udp", "1.2.3.4", 8887), P(9999, "udp", "1.2.3.4", 8888)],
            "1.2.3.4:8887->9998/udp, 1.2.3.4:8888->9999/udp",
            id="no-range-when-ports-differ",
        ),
        pytest.param([P(6677, "tcp"), P(9988, "tcp")], "6677/tcp, 9988/tcp", id="sorted-not-consecutive"),
        # the cases below are docker/cli's own (formatter/container_test.go TestDisplayablePorts)
        pytest.param([P(9988, "tcp", "::", 0)], "[::]:0->9988/tcp", id="upstream-ipv6-no-public"),
        pytest.param([P(9988, "tcp", "", 8899)], "9988/tcp", id="upstream-public-without-ip"),
        pytest.param([P(9988, "udp"), P(9988, "udp")], "9988/udp, 9988/udp", id="upstream-dup-exposed"),
        pytest.param(
            [P(9998, "udp", "::1", 9998), P(9999, "udp", "::1", 9999)],
            "[::1]:9998-9999->9998-9999/udp",
            id="upstream-ipv6-range",
        ),
        pytest.param(
            [P(9998, "udp", "::1", 8887), P(9999, "udp", "::1", 8888)],
            "[::1]:8887->9998/udp, [::1]:8888->9999/udp",
            id="upstream-ipv6-mapped",
        ),
        pytest.param([P(9998, "udp"), P(9999, "udp")], "9998-9999/udp", id="upstream-exposed-range"),
        pytest.param(
            [P(6677, "tcp", "1.2.3.4", 7766), P(9988, "udp", "", 8899)],
            "9988/udp, 1.2.3.4:7766->6677/tcp",
            id="upstream-exposed-before-mappings",
        ),
        pytest.param(
            [
                P(9988, "udp", "1.2.3.4", 8899),
                P(9988, "tcp", "1.2.3.4", 8899),
                P(2233, "tcp", "4.3.2.1", 3322),
                P(2233, "tcp", "::1", 3322),
            ],
            "4.3.2.1:3322->2233/tcp, [::1]:3322->2233/tcp, 1.2.3.4:8899->9988/tcp, 1.2.3.4:8899->9988/udp",
            id="upstream-mappings-sorted",
        ),
        pytest.param(
            [
                P(80, "tcp"),
                P(1024, "tcp"),
                P(80, "udp"),
                P(1024, "udp"),
                P(1024, "tcp", "1.1.1.1", 80),
                P(1024, "udp", "1.1.1.1", 80),
                P(80, "tcp", "1.1.1.1", 1024),
                P(80, "udp", "1.1.1.1", 1024),
                P(1024, "tcp", "2.1.1.1", 80),
                P(1024, "udp", "2.1.1.1", 80),
                P(80, "tcp", "2.1.1.1", 1024),
                P(80, "udp", "2.1.1.1", 1024),
                P(12345, "sctp"),
            ],
            "80/tcp, 80/udp, 1024/tcp, 1024/udp, 12345/sctp, 1.1.1.1:1024->80/tcp, 1.1.1.1:1024->80/udp, "
            "2.1.1.1:1024->80/tcp, 2.1.1.1:1024->80/udp, 1.1.1.1:80->1024/tcp, 1.1.1.1:80->1024/udp, "
            "2.1.1.1:80->1024/tcp, 2.1.1.1:80->1024/udp",
            id="upstream-big-mix",
        ),
        pytest.param(
            [P(9988, "tcp"), P(9988, "udp"), P(4, "tcp", "1.2.3.5", 3), P(9988, "tcp", "1.2.3.4", 9988)],
            "9988/tcp, 9988/udp, 1.2.3.4:9988->9988/tcp, 1.2.3.5:3->4/tcp",
            id="mixed-mappings-last",
        ),
        pytest.param(
            [P(80, "tcp"), P(1024, "tcp"), P(80, "udp"), P(1024, "udp"), P(1025, "tcp"), P(1026, "tcp")],
            "80/tcp, 80/udp, 1024-1026/tcp, 1024/udp",
            id="collapse-per-protocol",
        ),
        pytest.param(
            [P(80, "tcp", "::", 80), P(80, "tcp", "0.0.0.0", 80)],
            "0.0.0.0:80->80/tcp, [::]:80->80/tcp",
            id="ipv4-before-ipv6",
        ),
        pytest.param(
            [P(80, "tcp", "10.0.0.1", 80), P(80, "tcp", "9.0.0.1", 80)],
            "9.0.0.1:80->80/tcp, 10.0.0.1:80->80/tcp",
            id="ips-in-numeric-order",
        ),
    ],
)
def test_displayable_ports(ports: list[P], expected: str) -> None:
    assert displayable_ports(ports) == expected


def test_twins_merge_into_one_entry() -> None:
    ports = [P(80, "tcp", "0.0.0.0", 8080), P(80, "tcp", "::", 8080), P(443, "tcp", "127.0.0.1", 8443)]
    merged = merge_twins(ports)
    assert displayable_ports(merged) == "*:8080->80/tcp, 127.0.0.1:8443->443/tcp"


def test_loopback_twins_read_as_localhost() -> None:
    ports = [P(80, "tcp", "127.0.0.1", 8080), P(80, "tcp", "::1", 8080)]
    assert displayable_ports(merge_twins(ports)) == "localhost:8080->80/tcp"


def test_not_twins_when_ports_differ() -> None:
    ports = [P(80, "tcp", "0.0.0.0", 32768), P(80, "tcp", "::", 32769)]
    assert merge_twins(ports) == tuple(ports)


def test_ranges_of_twins_still_collapse() -> None:
    ports = [P(p, "tcp", ip, p) for p in (9000, 9001) for ip in ("0.0.0.0", "::")]
    assert displayable_ports(merge_twins(ports)) == "*:9000-9001->9000-9001/tcp"
