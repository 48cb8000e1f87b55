"""dkr pull / dkr push against the fake Engine: the digest or reference on stdout, progress on stderr, every
failure (one the Engine answers with an HTTP error, and one it reports inside a push's stream) one line and
exit 1, and bad input exit 2 before any Engine call."""

from __future__ import annotations

from typing import Any

import pytest

from dkr.errors import ExitCode
from tests.helpers import assert_one_line_error, run_dkr
from tests.unit.fake_engine import FakeEngine, Streamed

REG = "127.0.0.1:5000"
DIGEST = "sha256:18b07dff906097aa1aafa48b9471353c27307de93cdd2dddd2c7b300d5da4fe3"

#: recorded from Engine 20.10 pushing to distribution 2.8
PUSHED = [
    {"status": f"The push refers to repository [{REG}/app]"},
    {"status": "Preparing", "progressDetail": {}, "id": "e2b8dd068d34"},
    {"status": "Pushing", "progressDetail": {"current": 33792, "total": 1982256}, "id": "e2b8dd068d34"},
    {"status": "Pushing", "progressDetail": {"current": 1984512, "total": 1982256}, "id": "e2b8dd068d34"},
    {"status": "Pushed", "progressDetail": {}, "id": "e2b8dd068d34"},
    {"status": f"1: digest: {DIGEST} size: 528"},
    {"progressDetail": {}, "aux": {"Tag": "1", "Digest": DIGEST, "Size": 528}},
]
PULLED = [
    {"status": "Pulling from app", "id": "1"},
    {"status": "Pulling fs layer", "progressDetail": {}, "id": "d42bbe795431"},
    {"status": "Downloading", "progressDetail": {"current": 100, "total": 1000}, "id": "d42bbe795431"},
    {"status": "Download complete", "progressDetail": {}, "id": "d42bbe795431"},
    {"status": "Pull complete", "progressDetail": {}, "id": "d42bbe795431"},
    {"status": f"Digest: {DIGEST}"},
    {"status": f"Status: Downloaded newer image for {REG}/app:1"},
]


def stream(*events: dict[str, Any]) -> Streamed:
    return Streamed(events)


def test_push_prints_the_digest_alone(fake: FakeEngine) -> None:
    fake.route("POST", r"/images/.*/push", lambda m, p, b: (200, stream(*PUSHED)))
    res = run_dkr("push", f"{REG}/app:1")
    assert res.code == 0, res.err
    assert res.out == DIGEST + "\n"
    assert res.err_lines == [
        f"The push refers to repository [{REG}/app]",
        "e2b8dd068d34: Preparing",
        "e2b8dd068d34: Pushed",
        f"1: digest: {DIGEST} size: 528",
    ]
    assert any(f"/images/{REG}/app/push?tag=1" in r for r in fake.requests)


def test_push_all_tags_names_each_tag(fake: FakeEngine) -> None:
    two = [*PUSHED, {"progressDetail": {}, "aux": {"Tag": "2", "Digest": DIGEST, "Size": 528}}]
    fake.route("POST", r"/images/.*/push", lambda m, p, b: (200, stream(*two)))
    res = run_dkr("push", "-a", "-q", f"{REG}/app")
    assert res.code == 0, res.err
    assert res.out.splitlines() == [f"{REG}/app:1@{DIGEST}", f"{REG}/app:2@{DIGEST}"]
    assert res.err == ""
    push = next(r for r in fake.requests if r.startswith("POST") and "/push" in r)
    assert "tag=" not in push  # no tag: the Engine pushes every tag of the repository


@pytest.mark.parametrize(
    ("error", "hint"),
    [
        (f"tag does not exist: {REG}/app:1", "There is no such image here"),
        ("no basic auth credentials", f"dkr login {REG}"),
        ("denied: requested access to the resource is denied", f"dkr login {REG}"),
        ('Put "http://127.0.0.1:5000/v2/app/blobs/uploads/": dial tcp: connection refused', "runs"),
        ("received unexpected HTTP status: 500 Internal Server Error", None),
    ],
)
def test_an_error_inside_the_push_stream_is_a_failure(fake: FakeEngine, error: str, hint: str | None) -> None:
    """The SDK does not raise for these: the Engine answers 200 and reports the failure in the stream."""
    body = stream(PUSHED[0], PUSHED[1], {"errorDetail": {"message": error}, "error": error})
    fake.route("POST", r"/images/.*/push", lambda m, p, b: (200, body))
    res = run_dkr("push", "-q", f"{REG}/app:1")
    assert_one_line_error(res, ExitCode.FAILURE, f"cannot push {REG}/app:1: {error[0].lower()}{error[1:]}")
    if hint:
        assert hint in res.err_lines[1]
    else:
        assert len(res.err_lines) == 1


def test_a_push_stream_without_a_digest_is_a_failure(fake: FakeEngine) -> None:
    fake.route("POST", r"/images/.*/push", lambda m, p, b: (200, stream(*PUSHED[:5])))
    res = run_dkr("push", "-q", f"{REG}/app:1")
    assert_one_line_error(res, ExitCode.FAILURE, "no pushed digest")


def test_push_without_a_tag_pushes_latest_and_says_so(fake: FakeEngine) -> None:
    fake.route("POST", r"/images/.*/push", lambda m, p, b: (200, stream(*PUSHED)))
    res = run_dkr("push", f"{REG}/app")
    assert res.code == 0
    assert res.err_lines[0] == "Using default tag: latest"
    assert any(r.endswith("push?tag=latest") for r in fake.requests)


def test_pull_prints_the_reference_and_a_line_per_layer_state(fake: FakeEngine) -> None:
    fake.route("POST", r"/images/create", lambda m, p, b: (200, stream(*PULLED)))
    res = run_dkr("pull", f"{REG}/app:1")
    assert res.code == 0, res.err
    assert res.out == f"{REG}/app:1\n"
    assert res.err_lines == [
        "1: Pulling from app",
        "d42bbe795431: Pulling fs layer",
        "d42bbe795431: Download complete",
        "d42bbe795431: Pull complete",
        f"Digest: {DIGEST}",
        f"Status: Downloaded newer image for {REG}/app:1",
    ]


def test_pull_on_a_terminal_draws_the_layers_live(fake: FakeEngine) -> None:
    fake.route("POST", r"/images/create", lambda m, p, b: (200, stream(*PULLED)))
    res = run_dkr("pull", f"{REG}/app:1", tty=True)
    assert res.code == 0, res.err
    assert res.out.strip().endswith(f"{REG}/app:1")
    assert "d42bbe795431" in res.err and "Pull complete" in res.err and f"Digest: {DIGEST}" in res.err
    assert "Downloading" not in res.err  # the last state of the row, not a line per tick


def test_pull_quiet_prints_only_the_reference(fake: FakeEngine) -> None:
    fake.route("POST", r"/images/create", lambda m, p, b: (200, stream(*PULLED)))
    res = run_dkr("pull", "-q", f"{REG}/app")
    assert (res.code, res.out, res.err) == (0, f"{REG}/app:latest\n", "")


def test_pull_of_a_missing_tag_is_one_line(fake: FakeEngine) -> None:
    msg = f"manifest for {REG}/app:9 not found: manifest unknown: manifest unknown"
    fake.route("POST", r"/images/create", lambda m, p, b: (404, {"message": msg}))
    res = run_dkr("pull", f"{REG}/app:9")
    assert_one_line_error(res, ExitCode.FAILURE, f"cannot pull {REG}/app:9: {msg}", "--all-tags")


def test_pull_platform_and_all_tags_reach_the_engine(fake: FakeEngine) -> None:
    fake.route("POST", r"/images/create", lambda m, p, b: (200, stream(*PULLED)))
    res = run_dkr("pull", "-a", "--platform", "Linux/AMD64", f"{REG}/app")
    assert res.code == 0, res.err
    create = next(r for r in fake.requests if "/images/create" in r)
    assert "platform=linux%2Famd64" in create and "tag=" not in create
    assert res.out == f"{REG}/app\n"


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["pull", "-a", "app:1"], "tag can't be used with --all-tags/-a"),
        (["pull", "-a", "app@sha256:" + "a" * 64], "tag can't be used with --all-tags/-a"),
        (["push", "-a", "app:1"], "tag can't be used with --all-tags/-a"),
        (["push", "app@sha256:" + "a" * 64], "cannot push a digest reference"),
        (["pull", "Bad/Name"], "invalid reference 'Bad/Name'"),
        (["push", "a" * 64], "an image id names a local image"),
        (["pull", "--platform", "linux/amd64/v8/x", "app"], "invalid --platform 'linux/amd64/v8/x'"),
        (["pull", "--platform", "", "app"], "invalid --platform ''"),
        (["pull", "--platform", "linux amd64", "app"], "invalid --platform"),
    ],
)
def test_bad_input_is_exit_2_before_the_engine(fake: FakeEngine, argv: list[str], line: str) -> None:
    res = run_dkr(*argv)
    assert res.code == ExitCode.USAGE, res.err
    assert res.err_lines[0].startswith("dkr: error: ") and line in res.err_lines[0]
    assert not [r for r in fake.requests if "/_ping" not in r and "/version" not in r]
