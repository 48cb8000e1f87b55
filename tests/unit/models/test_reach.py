"""Where a published port is, seen from here (dkr.models.reach): pure rules, one per Engine kind and binding."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkr.hosts import SshTarget
from dkr.models.reach import PortsHost, is_loopback
from dkr.models.run import PublishedPort

LOOP = PublishedPort(80, "tcp", "127.0.0.1", 8080)
WILD = PublishedPort(80, "tcp", "0.0.0.0", 8080)
WILD6 = PublishedPort(80, "tcp", "::", 8080)
OWN = PublishedPort(80, "tcp", "10.0.0.7", 8080)
SSH = SshTarget("box", "me", 2222)


@pytest.mark.parametrize(
    ("url", "kind", "host"),
    [
        ("unix:///var/run/docker.sock", "here", ""),
        ("tcp://127.0.0.1:2375", "here", ""),
        ("tcp://localhost:2375", "here", ""),
        ("tcp://[::1]:2376", "here", ""),
        ("tcp://10.0.0.5:2376", "tcp", "10.0.0.5"),
        ("tcp://[fd00::5]:2376", "tcp", "fd00::5"),
        ("tcp://build.example:2376", "tcp", "build.example"),
    ],
)
def test_which_engines_publish_here(url: str, kind: str, host: str) -> None:
    where = PortsHost.of(url)
    assert (where.kind, where.host) == (kind, host)


def test_a_tcp_engine_on_an_address_of_this_machine_publishes_here() -> None:
    assert PortsHost.of("tcp://192.168.1.5:2375", tcp_host_is_here=True).kind == "here"


def test_ssh_engines_publish_on_the_ssh_host() -> None:
    where = PortsHost.of("ssh://me@box:2222", SSH)
    assert (where.kind, where.host, where.ssh) == ("ssh", "box", SSH)


def test_here_dials_the_binding() -> None:
    reach = PortsHost("here").reach(WILD)
    assert (reach.dial, reach.via_ssh, reach.url, reach.note) == (
        ("127.0.0.1", 8080),
        False,
        "http://127.0.0.1:8080",
        "",
    )


def test_a_remote_tcp_engines_loopback_is_never_dialled_here() -> None:
    reach = PortsHost("tcp", "10.0.0.5").reach(LOOP)
    assert reach.dial is None
    assert reach.url == "127.0.0.1:8080"  # not a link: nothing here answers it
    assert reach.note == (
        "on the loopback of the Engine's host 10.0.0.5, not reachable from here (publish on its network with "
        "-p 0.0.0.0:8080:80, or connect from 10.0.0.5)"
    )


@pytest.mark.parametrize(("port", "dial"), [(WILD, ("10.0.0.5", 8080)), (WILD6, ("10.0.0.5", 8080)),
                                            (OWN, ("10.0.0.7", 8080))])  # fmt: skip
def test_a_remote_tcp_engines_other_bindings_are_dialled_at_its_host(
    port: PublishedPort, dial: tuple[str, int]
) -> None:
    reach = PortsHost("tcp", "10.0.0.5").reach(port)
    assert (reach.dial, reach.via_ssh, reach.note) == (dial, False, "")


def test_an_ssh_engines_loopback_is_probed_through_ssh_and_forwarded_with_l() -> None:
    reach = PortsHost("ssh", "box", SSH).reach(LOOP)
    assert (reach.dial, reach.via_ssh) == (("127.0.0.1", 8080), True)
    assert reach.url == "http://127.0.0.1:8080"
    assert reach.note == "on box's loopback: forward it with `ssh -N -L 8080:127.0.0.1:8080 -p 2222 me@box`"


def test_an_ssh_engines_wildcard_binding_is_shown_at_its_host_and_probed_through_ssh() -> None:
    reach = PortsHost("ssh", "box", SSH).reach(WILD)
    assert (reach.dial, reach.via_ssh, reach.shown, reach.note) == (("127.0.0.1", 8080), True, "box:8080", "")


def test_ipv6_hosts_are_bracketed() -> None:
    assert PortsHost("tcp", "fd00::5").reach(WILD).shown == "[fd00::5]:8080"
    assert PortsHost("ssh", "fd00::5", SshTarget("fd00::5")).forward_command("::1", 80) == (
        "ssh -N -L '80:[::1]:80' fd00::5"
    )


def test_forward_argv_asks_the_ssh_host_to_connect() -> None:
    assert SSH.forward_argv("127.0.0.1", 8080, 5) == [
        "ssh", "-o", "ConnectTimeout=5", "-o", "BatchMode=yes", "-T", "-l", "me", "-p", "2222",
        "-W", "127.0.0.1:8080", "--", "box",
    ]  # fmt: skip


@given(st.ip_addresses(v=4))
def test_is_loopback_is_127_slash_8(address: object) -> None:
    assert is_loopback(str(address)) == str(address).startswith("127.")


@given(st.integers(1, 65535), st.sampled_from(["127.0.0.1", "0.0.0.0", "::", "10.1.2.3"]))
def test_every_binding_has_one_answer_per_kind(port: int, ip: str) -> None:
    p = PublishedPort(80, "tcp", ip, port)
    for where in (PortsHost("here"), PortsHost("tcp", "10.9.9.9"), PortsHost("ssh", "box", SSH)):
        reach = where.reach(p)
        assert reach.shown.endswith(f":{port}")
        # only a remote tcp Engine's loopback is out of reach, and then the user is told why
        assert (reach.dial is None) == (where.kind == "tcp" and ip == "127.0.0.1")
        assert (reach.dial is None) <= bool(reach.note)
