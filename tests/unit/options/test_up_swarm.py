"""`dkr up --replicas`'s pure parts: the registry it needs (flag, DKR_REGISTRY, exit 2 naming both), the
content-derived tag, the ServiceSpec it creates and the change it makes to an existing service, the registry
read back from a service's image, the rollback's words, and the usage errors through the real entry point
(exit 2 before any Engine call)."""

from __future__ import annotations

import pytest

from dkr.errors import NotSwarmManager, RolledBack, UsageError
from dkr.models.up import SwarmUpRequest
from dkr.options.up import (
    content_tag,
    default_service_publish,
    parse_up_replicas,
    pinned,
    service_body,
    service_change,
    service_registry,
    swarm_registry,
    swarm_request,
    unpinned,
    up_request,
)
from dkr.render.errors import describe
from tests.helpers import assert_one_line_error, run_dkr

NOWHERE = ("-H", "unix:///nonexistent/dkr-test.sock")
IMAGE_ID = "sha256:3f2a1b0c9d8e" + "7" * 52
IMAGE = "127.0.0.1:5000/web:3f2a1b0c9d8e@sha256:" + "d" * 64


def request(**kw: object) -> SwarmUpRequest:
    base = up_request(".", cwd="/w/web", environ={}, labels=["team=a"])
    return swarm_request(base, registry="127.0.0.1:5000", replicas=kw.pop("replicas", 4),  # type: ignore[arg-type]
                         publish=kw.pop("publish", ()))  # type: ignore[arg-type]  # fmt: skip


# --- the registry ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "environ", "expected"),
    [
        pytest.param("127.0.0.1:5000", {}, "127.0.0.1:5000", id="flag"),
        pytest.param(None, {"DKR_REGISTRY": "reg.example:443"}, "reg.example:443", id="environment"),
        pytest.param("a.example", {"DKR_REGISTRY": "b.example"}, "a.example", id="flag wins"),
        pytest.param("reg.example/", {}, "reg.example", id="trailing slash"),
    ],
)
def test_swarm_registry(flag: str | None, environ: dict[str, str], expected: str) -> None:
    assert swarm_registry(flag, environ) == expected


@pytest.mark.parametrize(
    ("flag", "environ", "needle"),
    [
        pytest.param(None, {}, "give --registry HOST:PORT or set DKR_REGISTRY", id="missing"),
        pytest.param(
            None, {"DKR_REGISTRY": " "}, "give --registry HOST:PORT or set DKR_REGISTRY", id="blank"
        ),
        pytest.param("http://reg:5000", {}, "invalid --registry 'http://reg:5000'", id="a URL"),
        pytest.param("Reg_x:5000", {}, "expected a registry host", id="not a host"),
    ],
)
def test_swarm_registry_refused(flag: str | None, environ: dict[str, str], needle: str) -> None:
    with pytest.raises(UsageError) as info:
        swarm_registry(flag, environ)
    assert needle in info.value.message


def test_service_registry_is_read_back_from_the_image() -> None:
    assert service_registry(IMAGE) == "127.0.0.1:5000"
    assert service_registry("busybox:latest") == ""
    assert service_registry("not a reference") == ""


# --- the tag ----------------------------------------------------------------------------------------------------


def test_content_tag_is_the_image_ids_first_12_hex() -> None:
    assert content_tag("127.0.0.1:5000", "web", IMAGE_ID) == "127.0.0.1:5000/web:3f2a1b0c9d8e"
    # the same content gives the same tag, another image another one
    assert content_tag("127.0.0.1:5000", "web", IMAGE_ID) == content_tag("127.0.0.1:5000", "web", IMAGE_ID)
    assert content_tag("127.0.0.1:5000", "web", "sha256:" + "0" * 64).endswith(":000000000000")
    # the name made valid for a repository, as dkr up's own image
    assert content_tag("reg.example", "My..App_", IMAGE_ID) == "reg.example/my-app:3f2a1b0c9d8e"


def test_content_tag_refuses_what_is_not_an_image_id() -> None:
    with pytest.raises(ValueError, match="not an image id"):
        content_tag("reg.example", "web", "sha256:xyz")


def test_pinned_and_unpinned() -> None:
    assert pinned("127.0.0.1:5000/web:3f2a1b0c9d8e", "sha256:" + "d" * 64) == IMAGE
    assert unpinned(IMAGE) == "127.0.0.1:5000/web:3f2a1b0c9d8e"


# --- options --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "-1", "x", "1.5"])
def test_replicas_must_be_a_positive_count(value: str) -> None:
    with pytest.raises(UsageError, match="--replicas"):
        parse_up_replicas(value)


def test_volumes_cannot_go_to_a_swarm() -> None:
    base = up_request(".", cwd="/w/web", environ={}, volumes=["/tmp:/x"])
    with pytest.raises(UsageError, match="-v cannot be used with --replicas"):
        swarm_request(base, registry="r.example", replicas=2, publish=())


def test_publish_is_read_as_docker_service_does() -> None:
    assert request(publish=("8080:80",)).publish == ("8080:80",)
    with pytest.raises(UsageError):
        request(publish=("127.0.0.1:8080:80",))  # a Swarm port has no IP


# --- the ServiceSpec -------------------------------------------------------------------------------------------


def test_service_body_defaults() -> None:
    body = service_body(request(), IMAGE, ["80/tcp"])
    assert body["Name"] == "web"
    assert body["Labels"] == {"team": "a", "dkr.up": "web"}
    assert body["Mode"] == {"Replicated": {"Replicas": 4}}
    container = body["TaskTemplate"]["ContainerSpec"]
    assert container["Image"] == IMAGE
    assert container["Labels"] == {"team": "a", "dkr.up": "web"}
    assert container["Init"] is True
    assert container["StopGracePeriod"] == 2_000_000_000
    assert body["EndpointSpec"] == {
        "Mode": "dnsrr",
        "Ports": [{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 0, "PublishMode": "host"}],
    }
    assert body["UpdateConfig"] == {
        "Parallelism": 1, "FailureAction": "rollback", "Order": "start-first", "Monitor": 5_000_000_000,
    }  # fmt: skip
    assert body["RollbackConfig"]["Order"] == "start-first"


def test_a_fixed_host_port_rolls_stop_first_and_ingress_needs_a_vip() -> None:
    fixed = service_body(request(publish=("mode=host,target=80,published=8080",)), IMAGE, [])
    assert fixed["UpdateConfig"]["Order"] == "stop-first"
    ingress = service_body(request(publish=("8080:80",)), IMAGE, [])
    assert ingress["EndpointSpec"]["Mode"] == "vip"
    assert ingress["UpdateConfig"]["Order"] == "start-first"


def test_default_service_publish() -> None:
    assert default_service_publish(["80/tcp", "53/udp"]) == (
        "mode=host,target=80,protocol=tcp",
        "mode=host,target=53,protocol=udp",
    )


def test_service_change_keeps_replicas_and_ports_unless_given() -> None:
    current = service_body(request(), "old:1", ["80/tcp"])
    current["TaskTemplate"]["ContainerSpec"]["Env"] = ["A=1"]
    kept = service_change(request(replicas=None), IMAGE)(current)
    assert kept["TaskTemplate"]["ContainerSpec"]["Image"] == IMAGE
    assert kept["TaskTemplate"]["ContainerSpec"]["Env"] == ["A=1"]
    assert kept["Mode"] == current["Mode"] and kept["EndpointSpec"] == current["EndpointSpec"]
    assert current["TaskTemplate"]["ContainerSpec"]["Image"] == "old:1"  # the current spec is left alone
    changed = service_change(request(replicas=2, publish=("mode=host,target=81",)), IMAGE)(current)
    assert changed["Mode"] == {"Replicated": {"Replicas": 2}}
    assert [p["TargetPort"] for p in changed["EndpointSpec"]["Ports"]] == [81]
    # the same image and settings: no change (dkr up then rolls nothing out)
    assert service_change(request(replicas=None), "old:1")(current) == current


# --- words ------------------------------------------------------------------------------------------------------


def test_the_rollback_says_to_what_and_why() -> None:
    line, hint = describe(
        RolledBack("web", "127.0.0.1:5000/web:3f2a1b0c9d8e", task="web.2", node="worker",
                   error="task: non-zero exit (1)")
    )  # fmt: skip
    assert line == (
        "service web rolled back to 127.0.0.1:5000/web:3f2a1b0c9d8e: task web.2 on node worker failed: "
        "task: non-zero exit (1)"
    )
    assert hint is not None and hint.startswith("It still runs the previous version.")
    line, _ = describe(RolledBack("web", "r/web:1", reason="update rolled back due to failure"))
    assert line == "service web rolled back to r/web:1: update rolled back due to failure"


def test_not_a_manager_words() -> None:
    line, hint = describe(NotSwarmManager("inactive"))
    assert line == "dkr up --replicas rolls out a Swarm service, and this Engine is in no swarm"
    assert hint is not None and "drop --replicas" in hint


# --- through the entry point: exit 2 before any Engine call -----------------------------------------------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        pytest.param(("--replicas", "2"), "give --registry HOST:PORT or set DKR_REGISTRY", id="no registry"),
        pytest.param(("--replicas", "0", "--registry", "r.example"), "--replicas", id="zero"),
        pytest.param(("--replicas", "2", "--registry", "r.example", "-p", "1.2.3.4:80:80"), "80",
                     id="a swarm port with an IP"),
    ],
)  # fmt: skip
def test_usage_errors_before_any_engine_call(
    monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], needle: str
) -> None:
    monkeypatch.delenv("DKR_REGISTRY", raising=False)
    assert_one_line_error(run_dkr(*NOWHERE, "up", "--name", "web", *args), 2, needle)


def test_the_wait_is_120s_on_a_swarm_unless_given() -> None:
    base = up_request(".", cwd="/w/web", environ={}, wait_timeout=60)
    assert swarm_request(base, registry="r.example", replicas=2, publish=()).wait_timeout == 120
    given = swarm_request(base, registry="r.example", replicas=2, publish=(), wait_timeout=30)
    assert given.wait_timeout == 30
