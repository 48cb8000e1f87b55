"""The registry side of pull and push: the Engine's words read into a kind of failure, and its stream's
messages into progress events."""

from __future__ import annotations

import pytest

from dkr.engine.errors import registry_problem
from dkr.engine.registry import event_from_api
from dkr.errors import RegistryProblem


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        # recorded from Engine 20.10 and distribution 2.8 on this machine
        ("no basic auth credentials", RegistryProblem.AUTH),
        ('Head "http://127.0.0.1:55431/v2/probe/manifests/1": no basic auth credentials', RegistryProblem.AUTH),
        ("unauthorized: authentication required", RegistryProblem.AUTH),
        ("pull access denied for x, repository does not exist or may require 'docker login': denied: "
         "requested access to the resource is denied", RegistryProblem.AUTH),
        ("tag does not exist: 127.0.0.1:49397/probe:nope", RegistryProblem.NOT_LOCAL),
        ("An image does not exist locally with the tag: 127.0.0.1:1/probe", RegistryProblem.NOT_LOCAL),
        ("manifest for 127.0.0.1:49397/probe:nope not found: manifest unknown: manifest unknown",
         RegistryProblem.NOT_IN_REGISTRY),
        ('Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused',
         RegistryProblem.UNREACHABLE),
        ('Get "https://r.example/v2/": http: server gave HTTP response to HTTPS client',
         RegistryProblem.UNREACHABLE),
        ("received unexpected HTTP status: 500 Internal Server Error", RegistryProblem.OTHER),
    ],
)  # fmt: skip
def test_registry_problem(message: str, problem: RegistryProblem) -> None:
    assert registry_problem(message) is problem


def test_events_keep_byte_counts_only_while_bytes_move() -> None:
    tick = event_from_api(
        {"status": "Pushing", "progressDetail": {"current": 5, "total": 10}, "progress": "[=>]", "id": "ab"}
    )
    assert (tick.layer, tick.status, tick.current, tick.total, tick.is_tick) == ("ab", "Pushing", 5, 10, True)
    done = event_from_api({"status": "Pushed", "progressDetail": {}, "id": "ab"})
    assert (done.current, done.total, done.is_tick) == (None, None, False)
    # the Engine sends total -1 (or none) when it does not know the size: no bar
    unknown = event_from_api(
        {"status": "Extracting", "progressDetail": {"current": 5, "total": -1}, "id": "ab"}
    )
    assert (unknown.current, unknown.total) == (5, None)
    assert event_from_api({"status": "Digest: sha256:x"}).layer == ""
