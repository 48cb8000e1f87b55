"""dkr up without a daemon: the names it derives, its option checks (exit 2 before any Engine call), the ports
it publishes when no -p is given, and its CLI wiring with the core replaced."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkr.engine import up as core
from dkr.errors import DkrError, ExitCode, NotReady, UsageError
from dkr.models.build import BuildResult, BuildStep, ContextReady
from dkr.models.run import ImageInfo, PortMapping, PublishedPort, Readiness, RunResult
from dkr.models.up import UpRequest, UpResult
from dkr.options.up import UP_LABEL, default_publish, derive_name, image_ref, up_request
from tests.helpers import assert_one_line_error, run_dkr

#: an endpoint nothing listens on: a command that contacted the Engine would fail with exit 1, not 2
NOWHERE = ("-H", "unix:///nonexistent/dkr-test.sock")
CID = "c" * 64
#: moby's validContainerNamePattern
CONTAINER_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]+")

# --- names ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "cwd", "expected"),
    [
        pytest.param(".", "/home/me/hello-web", "hello-web", id="current folder"),
        pytest.param("examples/hello-web/", "/src/dkr", "hello-web", id="relative, trailing slash"),
        pytest.param("../api", "/src/dkr", "api", id="parent"),
        pytest.param("/srv/Shop_Front", "/", "shop_front", id="absolute, lowercased, underscore kept"),
        pytest.param(".", "/home/me/My App (v2)", "my-app-v2", id="spaces and brackets"),
        pytest.param(".", "/w/.config", "config", id="leading dot dropped"),
        pytest.param(".", "/w/web.v2", "web.v2", id="dot kept"),
        pytest.param(".", "/w/café-bar", "caf-bar", id="non-ascii letter"),
        pytest.param("app/./src/..", "/w", "app", id="normalised before the name is taken"),
    ],
)  # fmt: skip
def test_derive_name(path: str, cwd: str, expected: str) -> None:
    assert derive_name(path, cwd) == expected


@pytest.mark.parametrize(
    ("path", "cwd"),
    [
        pytest.param("/", "/", id="root"),
        pytest.param(".", "/w/x", id="one character"),
        pytest.param(".", "/w/日本", id="nothing usable"),
        pytest.param(".", "/w/-.-", id="separators only"),
    ],
)
def test_derive_name_gives_up_with_a_usage_error(path: str, cwd: str) -> None:
    with pytest.raises(UsageError) as info:
        derive_name(path, cwd)
    assert "cannot make a container name from the folder name" in info.value.message
    assert info.value.hint == "Name the container with --name NAME."


@given(st.text(min_size=1, max_size=40))
def test_a_derived_name_is_a_valid_container_and_image_name(folder: str) -> None:
    try:
        name = derive_name(folder.replace("/", "_"), "/w")
    except UsageError:
        return
    assert CONTAINER_NAME.fullmatch(name), name
    image_ref(name)  # never a UsageError: every container name has an image name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("hello-web", "dkr-up/hello-web:latest", id="as is"),
        pytest.param("Web", "dkr-up/web:latest", id="lowercased"),
        pytest.param("a__b.c---d", "dkr-up/a__b.c---d:latest", id="valid separators kept"),
        pytest.param("My..App_", "dkr-up/my-app:latest", id="double dot, trailing underscore"),
        pytest.param("a___b", "dkr-up/a-b:latest", id="three underscores"),
        pytest.param("a.-b", "dkr-up/a-b:latest", id="mixed separators"),
        pytest.param("nginx", "dkr-up/nginx:latest", id="never shadows a real image"),
    ],
)
def test_image_ref(name: str, expected: str) -> None:
    assert image_ref(name) == expected


@given(st.from_regex(CONTAINER_NAME, fullmatch=True))
def test_every_container_name_has_an_image_name(name: str) -> None:
    assert image_ref(name).startswith("dkr-up/")


# --- options ------------------------------------------------------------------------------------------------


def test_request_labels_the_image_and_the_container() -> None:
    req = up_request(
        "app", cwd="/w", environ={}, labels=["team=web", "dkr.test"], publish=["8080:80"], dockerfile="D"
    )
    assert req.run.name == "app"
    assert req.build.tags == ("dkr-up/app:latest",)
    assert req.build.context == "app" and req.build.dockerfile == "D"
    assert req.build.labels == req.run.labels == {"team": "web", "dkr.test": "", UP_LABEL: "app"}
    assert req.run.image == "dkr-up/app:latest"
    assert req.run.pull == "never"  # the image was just built: never pulled
    assert req.run.init is True
    assert req.run.publish == (PortMapping("80/tcp", "127.0.0.1", "8080"),)
    assert (req.replace, req.wait_timeout) == (False, 60.0)


def test_request_honours_dkr_publish_ip_and_an_explicit_name() -> None:
    req = up_request(".", cwd="/w/x", environ={"DKR_PUBLISH_IP": "0.0.0.0"}, name="/Web", init=False)
    assert req.run.name == "Web"
    assert req.build.tags == ("dkr-up/web:latest",)
    assert req.run.publish_ip == "0.0.0.0"
    assert req.run.init is False


def test_request_mounts_as_dkr_run_v() -> None:
    req = up_request("app", cwd="/w", environ={}, volumes=["./app/public:/app/public:ro", "/cache"])
    assert (req.run.binds, req.run.volumes) == (("/w/app/public:/app/public:ro",), ("/cache",))


@pytest.mark.parametrize(
    ("args", "env", "needles"),
    [
        pytest.param(["--name", "-x"], {}, ["invalid container name '-x'"], id="name"),
        pytest.param(["--name", "a"], {}, ["invalid container name 'a'"], id="name-too-short"),
        pytest.param(["-p", "80:"], {}, ["invalid port spec '80:'"], id="publish"),
        pytest.param(["-l", "=x"], {}, ["invalid label '=x'"], id="label"),
        pytest.param(
            ["--wait-timeout", "0"],
            {},
            ["invalid value for '--wait-timeout': '0' is not above 0"],
            id="wait-timeout",
        ),
        pytest.param(
            ["--wait-timeout", "nan"], {}, ["'nan' is not a number of seconds"], id="wait-timeout-nan"
        ),
        pytest.param(
            ["--wait-timeout", "inf"], {}, ["'inf' is not a number of seconds"], id="wait-timeout-inf"
        ),
        pytest.param([], {"DKR_PUBLISH_IP": "nowhere"}, ["invalid DKR_PUBLISH_IP"], id="publish-ip"),
        pytest.param(["/"], {}, ["folder name '/'"], id="underivable-name"),
        pytest.param([""], {}, ["build context folder is empty"], id="empty-path"),
        pytest.param(["--no-such"], {}, ["no such option"], id="unknown-option"),
        pytest.param(
            ["-v", "public:/app/public", "-v", "/x:/app/public"], {}, ["duplicate mount point"], id="twice"
        ),
        pytest.param(["-v", "src/public:/app/public"], {}, ["local volume name"], id="volume-relative"),
    ],
)
def test_usage_errors_exit_2_before_any_engine_call(
    monkeypatch: pytest.MonkeyPatch, args: list[str], env: dict[str, str], needles: list[str]
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    res = run_dkr(*NOWHERE, "up", *args)
    assert_one_line_error(res, ExitCode.USAGE, *needles)
    assert res.err_lines[-1] in ("Run 'dkr up --help' for usage.", "Name the container with --name NAME.")


# --- ports when no -p is given ---------------------------------------------------------------------------


def kept(port: int, ip: str, host: int, proto: str = "tcp") -> PublishedPort:
    return PublishedPort(port, proto, ip, host)


@pytest.mark.parametrize(
    ("exposed", "previous", "expected"),
    [
        pytest.param(("80/tcp",), (), (PortMapping("80/tcp", "127.0.0.1", ""),), id="first-up-any-free-port"),
        pytest.param(
            ("80/tcp", "53/udp"),
            (kept(80, "127.0.0.1", 32768),),
            (PortMapping("80/tcp", "127.0.0.1", "32768"), PortMapping("53/udp", "127.0.0.1", "")),
            id="kept-and-new",
        ),
        pytest.param(("8080/tcp",), (kept(80, "127.0.0.1", 32768),), (PortMapping("8080/tcp", "127.0.0.1", ""),),
                     id="no-longer-exposed"),
        pytest.param(
            ("80/tcp",),
            (kept(80, "0.0.0.0", 8080), kept(80, "::", 8080)),
            (PortMapping("80/tcp", "0.0.0.0", "8080"),),
            id="wildcard-twin-once",
        ),
        pytest.param(("80/tcp",), (kept(80, "127.0.0.1", 8080, "udp"),),
                     (PortMapping("80/tcp", "127.0.0.1", ""),), id="other-protocol"),
        pytest.param((), (kept(80, "127.0.0.1", 8080),), (), id="nothing-exposed"),
    ],
)  # fmt: skip
def test_default_publish(
    exposed: tuple[str, ...], previous: tuple[PublishedPort, ...], expected: tuple[PortMapping, ...]
) -> None:
    assert default_publish(exposed, previous, "127.0.0.1") == expected


# --- the command, with the core replaced ------------------------------------------------------------------


def _result(ports: tuple[PublishedPort, ...] = (kept(80, "127.0.0.1", 8080),)) -> UpResult:
    steps = (BuildStep(1, "FROM base", True, 2), BuildStep(2, "COPY . /app", True, 2))
    built = BuildResult("sha256:" + "b" * 64, ("dkr-up/app:latest",), steps, 2, seconds=0.25)
    ready = Readiness("ports", 0.5, ports) if ports else Readiness("running", 0.0)
    return UpResult(built, RunResult(CID, "app", ImageInfo("sha256:b", "x"), ports, ready), "d" * 64)


@pytest.fixture(autouse=True)
def no_swarm_service(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain `dkr up` first asks whether a service it made has the name (on a Swarm manager): here none."""
    monkeypatch.setattr(core, "swarm_service", lambda engine, name: None)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[UpRequest]:
    seen: list[UpRequest] = []

    def fake_up(
        engine: Any, request: UpRequest, *, on_event: Any, on_built: Any, notify: Any, on_killed: Any
    ) -> UpResult:
        seen.append(request)
        on_event(ContextReady("/w/app", 3, 1200))
        result = _result()
        on_built(result.build)
        notify("replacing app (dddddddddddd)")
        return result

    monkeypatch.setattr(core, "up", fake_up)
    return seen


def test_stdout_is_the_container_id_alone(calls: list[UpRequest]) -> None:
    res = run_dkr(*NOWHERE, "up", "--name", "app", "-l", "k=v", "--wait-timeout", "5", "ctx")
    assert res.code == 0, res.err
    assert res.out == CID + "\n"
    assert res.err_lines == [
        "sending build context: 3 files, 1.2kB",
        "built sha256:bbbbbbbbbbbb (dkr-up/app:latest) in 0.2s: all 2 steps came from the layer cache",
        "replacing app (dddddddddddd)",
        "app (cccccccccccc) started",
        "  http://127.0.0.1:8080 -> 80/tcp",
        "ready: 127.0.0.1:8080 answered after 0.5s",
    ]
    (request,) = calls
    assert request.build.context == "ctx"
    assert request.run.labels == {"k": "v", UP_LABEL: "app"}
    assert request.wait_timeout == 5.0


def test_nothing_published_is_a_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core, "up", lambda *a, **kw: _result(ports=()))
    res = run_dkr(*NOWHERE, "up", "--name", "app")
    assert res.out == CID + "\n"
    assert res.err_lines[-1].startswith("hint: nothing is published: the image EXPOSEs no port")


def test_a_port_on_every_interface_is_noted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core, "up", lambda *a, **kw: _result(ports=(kept(80, "0.0.0.0", 8080),)))
    res = run_dkr(*NOWHERE, "up", "--name", "app")
    assert (
        res.err_lines[0]
        == "note: 80/tcp on 0.0.0.0: published on every interface, reachable from other machines"
    )


def test_not_ready_shows_the_last_lines_then_one_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_up(*_a: Any, **_kw: Any) -> UpResult:
        raise NotReady("app", "exited", logs=("boom",), exit_code=1, removed=True)

    monkeypatch.setattr(core, "up", fake_up)
    res = run_dkr(*NOWHERE, "up", "--name", "app")
    assert res.code == 1 and res.out == ""
    assert res.err_lines == [
        "last output of app:",
        "  | boom",
        "dkr: error: container app exited with code 1 before it was ready",
        "dkr removed it; its last output is above.",
    ]


@pytest.mark.parametrize(
    ("raised", "code", "last"),
    [
        pytest.param(DkrError("step 3/5 `RUN exit 3` failed with exit code 3"), 1,
                     "dkr: error: step 3/5 `RUN exit 3` failed with exit code 3", id="build-failed"),
        pytest.param(KeyboardInterrupt(), 130, "build interrupted", id="ctrl-c"),
    ],
)  # fmt: skip
def test_a_failed_build_says_the_old_container_still_runs(
    monkeypatch: pytest.MonkeyPatch, raised: BaseException, code: int, last: str
) -> None:
    def fake_up(
        engine: Any, request: UpRequest, *, on_event: Any, on_built: Any, notify: Any, on_killed: Any
    ) -> UpResult:
        on_event(ContextReady("/w/app", 3, 1200))
        notify("app (dddddddddddd) still runs its previous image: nothing was replaced")
        raise raised

    monkeypatch.setattr(core, "up", fake_up)
    res = run_dkr(*NOWHERE, "up", "--name", "app")
    assert (res.code, res.out) == (code, "")
    assert res.err_lines[1:] == [
        "app (dddddddddddd) still runs its previous image: nothing was replaced",
        last,
    ]
    assert "Traceback" not in res.err
