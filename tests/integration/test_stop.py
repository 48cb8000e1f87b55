"""dkr stop against the real Engine: resolution, parallelism, partial failure, the killed-after-timeout note."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.integration.support import LABELS, dkr, unique

TERM_AWARE = ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.2; done"]


def state(ctr: Any) -> dict[str, Any]:
    ctr.reload()
    result: dict[str, Any] = ctr.attrs["State"]
    return result


def test_stop_many_ignoring_sigterm_in_parallel(make_container: Any) -> None:
    # `sleep` as PID 1 has no SIGTERM handler, so the kernel ignores the signal: the Engine kills after -t
    ctrs = [make_container("sleep 300") for _ in range(8)]
    names = [c.name for c in ctrs]
    started = time.monotonic()
    res = dkr("stop", "-t", "2", *names)
    elapsed = time.monotonic() - started
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == names, "each argument echoed, in argument order"
    for c in ctrs:
        st = state(c)
        assert not st["Running"] and st["ExitCode"] == 137
    for name in names:
        assert f"'{name}' did not exit on its stop signal within 2s and was killed" in res.stderr
    assert "--init" in res.stderr
    # Not a performance assertion: 8 sequential stops would need 16 s; this only proves they overlapped.
    assert elapsed < 8 * 2, f"stops did not run in parallel ({elapsed:.1f}s)"


@pytest.mark.podman
def test_stop_resolves_names_ids_and_prefixes(make_container: Any) -> None:
    by_name, by_id, by_prefix = (make_container(TERM_AWARE) for _ in range(3))
    args = [by_name.name, by_id.id, by_prefix.id[:10]]
    res = dkr("stop", *args)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == args
    for c in (by_name, by_id, by_prefix):
        st = state(c)
        assert not st["Running"]
        assert st["ExitCode"] == 0, "exited on SIGTERM by itself"
    assert "was killed" not in res.stderr


@pytest.mark.podman
def test_partial_failure_stops_the_others_and_exits_1(make_container: Any) -> None:
    a, b = make_container(TERM_AWARE), make_container(TERM_AWARE)
    missing = unique("missing")
    res = dkr("stop", a.name, missing, b.name)
    assert res.returncode == 1
    assert res.stdout.splitlines() == [a.name, b.name]
    errors = [line for line in res.stderr.splitlines() if line.startswith("dkr: error:")]
    assert errors == [f"dkr: error: cannot stop '{missing}': no such container: {missing}"]
    assert "Traceback" not in res.stderr
    assert not state(a)["Running"] and not state(b)["Running"]


@pytest.mark.podman
def test_stopping_a_stopped_container_succeeds(make_container: Any) -> None:
    c = make_container("true", start=False)
    res = dkr("stop", c.name)
    assert (res.returncode, res.stdout, res.stderr) == (0, f"{c.name}\n", "")


@pytest.mark.podman
def test_stop_with_a_signal(make_container: Any) -> None:
    c = make_container(["sh", "-c", "trap 'exit 7' USR1; while :; do sleep 0.2; done"])
    res = dkr("stop", "-s", "USR1", "-t", "10", c.name)
    assert res.returncode == 0, res.stderr
    st = state(c)
    assert not st["Running"] and st["ExitCode"] == 7
    assert "was killed" not in res.stderr


@pytest.mark.podman
def test_stop_uses_the_containers_own_stop_timeout(client: Any, base_image: str) -> None:
    # StopTimeout is a create-time setting only the low-level API exposes
    name = unique("stoptimeout")
    cid = client.api.create_container(base_image, "sleep 300", name=name, labels=LABELS, stop_timeout=1)["Id"]
    try:
        client.api.start(cid)
        res = dkr("stop", name)
        assert res.returncode == 0, res.stderr
        assert "within 1s and was killed" in res.stderr
        assert client.api.inspect_container(cid)["State"]["ExitCode"] == 137
    finally:
        client.api.remove_container(cid, force=True)


def test_stop_a_compose_service(docker_services: Any, client: Any) -> None:
    """A container dkr did not create (pytest-docker's compose service)."""
    from tests.integration.support import SESSION

    [web] = client.containers.list(filters={"label": ["dkr.test.compose=web", f"dkr.test.session={SESSION}"]})
    try:
        res = dkr("stop", "-t", "1", web.name)
        assert res.returncode == 0, res.stderr
        assert res.stdout == f"{web.name}\n"
        assert not state(web)["Running"]
    finally:
        web.start()


@pytest.mark.podman
def test_stop_without_t_lets_pid_1_handle_sigterm(make_container: Any) -> None:
    """Without -t a PID 1 that handles SIGTERM exits by itself (its own code, not 137). Podman 4.3 records
    StopTimeout 0 for a container created through its Docker API and would kill it at once: dkr gives it
    Docker's 10 s (podman#19139)."""
    ctr = make_container(["sh", "-c", "trap 'exit 7' TERM; while :; do sleep 0.1; done"])
    res = dkr("stop", ctr.name)
    assert (res.returncode, res.stdout) == (0, f"{ctr.name}\n"), res.stderr
    assert state(ctr)["ExitCode"] == 7
