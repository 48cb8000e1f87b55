"""Pure: swarm init/join's --listen-addr as docker/cli's NodeAddrOption (opts.ParseTCPAddr) reads it,
--default-addr-pool as pflag's IPNetSlice, join-token's role."""

from __future__ import annotations

import pytest

from dkr.errors import ExitCode, UsageError
from dkr.options.swarm import parse_addr_pools, parse_node_addr, parse_pool_mask_length, parse_role


@pytest.mark.parametrize(
    ("value", "addr"),
    [
        pytest.param("", "0.0.0.0:2377", id="default"),
        pytest.param("10.0.0.2", "10.0.0.2:2377", id="ip"),
        pytest.param("10.0.0.2:4000", "10.0.0.2:4000", id="ip-port"),
        pytest.param(":4000", "0.0.0.0:4000", id="port"),
        pytest.param("10.0.0.2:", "10.0.0.2:2377", id="empty-port"),
        pytest.param("eth0", "eth0:2377", id="interface"),
        pytest.param("tcp://10.0.0.2", "10.0.0.2:2377", id="tcp-scheme"),
        pytest.param("tcp://", "0.0.0.0:2377", id="scheme-alone"),
        pytest.param("::1", "[::1]:2377", id="v6"),
        pytest.param("[::1]:5", "[::1]:5", id="v6-port"),
        pytest.param("[::1]:", "[::1]:2377", id="v6-empty-port"),
    ],
)
def test_listen_addr_as_docker_reads_it(value: str, addr: str) -> None:
    assert parse_node_addr(value, "swarm init") == addr


@pytest.mark.parametrize(
    ("value", "why"),
    [
        pytest.param("udp://10.0.0.2", "invalid proto, expected tcp", id="proto"),
        pytest.param("10.0.0.2:http", "invalid bind address format", id="port-name"),
        pytest.param("10.0.0.2:99999", "invalid bind address format", id="port-range"),
        pytest.param("[::1]", "invalid bind address format", id="v6-brackets-no-port"),
        pytest.param("a b", "invalid bind address format", id="blank"),
        pytest.param("10.0.0.2:80/x", "invalid bind address format", id="path"),
        pytest.param("10.0.0.2:٣", "invalid bind address format", id="other-digits"),
    ],
)
def test_a_bad_listen_addr_is_a_usage_error(value: str, why: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_node_addr(value, "swarm join")
    assert caught.value.exit_code == ExitCode.USAGE
    assert why in caught.value.message and "--listen-addr" in caught.value.message
    assert caught.value.hint == "Run 'dkr swarm join --help' for usage."


def test_addr_pools_are_networks() -> None:
    assert parse_addr_pools(["10.20.1.5/16", "10.30.0.0/16,10.40.0.0/24"], "swarm init") == [
        "10.20.0.0/16", "10.30.0.0/16", "10.40.0.0/24",
    ]  # fmt: skip
    with pytest.raises(UsageError, match=r"invalid CIDR address: 10\.0\.0\.0"):
        parse_addr_pools(["10.0.0.0"], "swarm init")
    assert parse_pool_mask_length(26, "swarm init") == 26
    with pytest.raises(UsageError):
        parse_pool_mask_length(33, "swarm init")


def test_join_token_role() -> None:
    assert parse_role("manager", "swarm join-token") == "manager"
    with pytest.raises(UsageError, match="unknown role boss"):
        parse_role("boss", "swarm join-token")
