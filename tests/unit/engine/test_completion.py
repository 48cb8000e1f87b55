"""dkr.engine.completion: names for a TAB from one list request; nothing, and no error, on any failure."""

from __future__ import annotations

from typing import Any

from dkr.engine.completion import names
from dkr.hosts import TLS, Endpoint
from tests.unit.fake_engine import FakeEngine


def endpoint(fake: FakeEngine) -> Endpoint:
    return Endpoint(fake.url, "DOCKER_HOST")


def test_one_request_per_kind(fake: FakeEngine) -> None:
    fake.route(
        "GET", r"/containers/json", lambda m, p, b: (200, [{"Names": ["/a", "/b/link"]}, {"Names": None}])
    )
    fake.route("GET", r"/images/json", lambda m, p, b: (200, [{"RepoTags": ["x:1", "<none>:<none>"]}, {}]))
    assert names(endpoint(fake), "running") == ["a"]
    assert names(endpoint(fake), "containers") == ["a"]
    assert names(endpoint(fake), "images") == ["x:1"]
    # at the minimum API version: no negotiation round trip before it
    assert [r.split("?")[0] for r in fake.requests] == [
        "GET /v1.41/containers/json",
        "GET /v1.41/containers/json",
        "GET /v1.41/images/json",
    ]
    assert "all=0" in fake.requests[0] and "all=1" in fake.requests[1]


def test_an_answer_it_cannot_use_is_nothing(fake: FakeEngine) -> None:
    answers: list[tuple[int, Any]] = [(500, {"message": "boom"}), (200, b"not json"), (200, {"a": 1})]
    fake.route("GET", r"/containers/json", lambda m, p, b: answers.pop(0))
    assert [names(endpoint(fake), "running") for _ in range(3)] == [[], [], []]
    assert names(endpoint(fake), "volumes") == []


def test_endpoints_it_does_not_ask() -> None:
    assert names(Endpoint("ssh://me@host", "--host"), "running") == []
    assert names(Endpoint("npipe:////./pipe/docker_engine", "--host"), "running") == []
    # TLS with files that do not exist: nothing, not an exception
    tls = TLS(
        verify=True, ca_cert="/nonexistent/ca.pem", client_cert=("/nonexistent/c.pem", "/nonexistent/k.pem")
    )
    assert names(Endpoint("tcp://127.0.0.1:1", "--host", tls), "running") == []
    assert names(Endpoint("tcp://127.0.0.1:1", "--host"), "images") == []


def test_networks_and_volumes(fake: FakeEngine) -> None:
    fake.route("GET", r"/networks", lambda m, p, b: (200, [{"Name": "bridge"}, {"Name": "appnet"}, {}]))
    fake.route("GET", r"/volumes", lambda m, p, b: (200, {"Volumes": [{"Name": "data"}], "Warnings": None}))
    assert names(endpoint(fake), "networks") == ["bridge", "appnet"]
    assert names(endpoint(fake), "volumes") == ["data"]
