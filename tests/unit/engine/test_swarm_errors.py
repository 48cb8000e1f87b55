"""The Engine's swarm refusals (moby daemon/cluster, Engine 20.10 words) read into SwarmRefused, and their
dkr words: one line naming dkr's commands, never docker's, and a hint."""

from __future__ import annotations

import pytest

from dkr.engine.errors import as_docker_prints, swarm_refusal
from dkr.errors import SwarmProblem
from dkr.render.errors import describe

CASES = [
    ("This node is not part of a swarm", SwarmProblem.NOT_IN_SWARM),
    (
        'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to '
        "swarm and try again.",
        SwarmProblem.NOT_A_MANAGER,
    ),
    (
        "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run "
        "this command on a manager node or promote the current node to a manager.",
        SwarmProblem.WORKER,
    ),
    (
        "This node is not a swarm manager. Manager is being prepared or has trouble connecting to the cluster.",
        SwarmProblem.MANAGER_NOT_READY,
    ),
    (
        'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.',
        SwarmProblem.ALREADY_IN_SWARM,
    ),
    (
        'Swarm is encrypted and needs to be unlocked before it can be used. Please use "docker swarm unlock" to '
        "unlock it.",
        SwarmProblem.LOCKED,
    ),
    (
        "You are attempting to leave the swarm on a node that is participating as a manager. Removing this node "
        "leaves 1 managers out of 2. Without a Raft quorum your swarm will be inaccessible. The only way to "
        "restore a swarm that has lost consensus is to reinitialize it with `--force-new-cluster`. Use `--force` "
        "to suppress this message.",
        SwarmProblem.LEAVING_MANAGER,
    ),
    (
        "Timeout was reached before node joined. The attempt to join the swarm will continue in the background. "
        'Use the "docker info" command to see the current swarm status of your node.',
        SwarmProblem.JOIN_TIMEOUT,
    ),
    (
        "Swarm certificates have expired. To replace them, leave the swarm and join again.",
        SwarmProblem.CERTIFICATES_EXPIRED,
    ),
]


@pytest.mark.parametrize(("message", "problem"), CASES, ids=[p.value for _, p in CASES])
def test_each_refusal_is_read_and_worded_for_dkr(message: str, problem: SwarmProblem) -> None:
    exc = swarm_refusal(as_docker_prints(message), "list nodes")
    assert exc is not None and exc.problem is problem
    line, hint = describe(exc)
    assert hint
    # dkr has no `swarm unlock`: that hint names docker's, and says so
    assert "docker swarm" not in line + hint or "dkr has no unlock" in hint
    assert not line.startswith("cannot list nodes")  # the node's state says it all
    assert "\n" not in line + hint


def test_leaving_a_manager_says_what_it_would_do() -> None:
    exc = swarm_refusal(CASES[6][0])
    assert exc is not None
    assert describe(exc) == (
        "this node is a swarm manager: removing this node leaves 1 managers out of 2. Without a Raft quorum your "
        "swarm will be inaccessible. The only way to restore a swarm that has lost consensus is to reinitialize "
        "it with `--force-new-cluster`",
        "Use 'dkr swarm leave --force' to leave anyway.",
    )


def test_other_messages_are_not_swarm_refusals() -> None:
    assert swarm_refusal("no such container: web") is None
    assert swarm_refusal("node x not found") is None
