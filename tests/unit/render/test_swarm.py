"""Pure: what dkr says when a swarm service publishes a port (issue 15, item 4): a swarm cannot bind a
published port to one address, so the loopback default cannot hold; the hint says what keeps it private."""

from __future__ import annotations

from dkr.models.swarm import SwarmPort
from dkr.render.swarm import published_port_notice


def test_nothing_published_nothing_said() -> None:
    assert published_port_notice([]) is None


def test_the_routing_mesh_publishes_on_every_node() -> None:
    said = published_port_notice([SwarmPort(80, 8080)])
    assert said is not None
    note, hint = said
    assert note == (
        "a swarm cannot bind a published port to one address, so dkr's 127.0.0.1 default does not apply: "
        "published 8080 -> 80/tcp on every interface of every node in the swarm (routing mesh)."
    )
    assert "mode=host" in hint and "firewall" in hint and "internal overlay network" in hint
    assert "publish no port" in hint
    assert "\n" not in note + hint


def test_host_mode_and_an_address_asked_for() -> None:
    said = published_port_notice(
        [SwarmPort(80, 8080, mode="host", requested_ip="127.0.0.1"), SwarmPort(53, 0, "udp")]
    )
    assert said is not None
    note, _ = said
    assert note.startswith("a swarm cannot bind a published port to one address (not 127.0.0.1): published ")
    assert "a port the swarm picks -> 53/udp on every interface of every node in the swarm" in note
    assert "8080 -> 80/tcp on every interface of each node that runs a task (mode=host)" in note
