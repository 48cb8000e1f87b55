"""dkr rm against the real Engine: read back what it removed, and what it left alone."""

from __future__ import annotations

import contextlib
import subprocess
from typing import Any

import docker
import pytest

from tests.integration.support import LABELS, dkr, unique


def gone(client: docker.DockerClient, ref: str) -> bool:
    try:
        client.containers.get(ref)
    except docker.errors.NotFound:
        return True
    return False


def assert_error_lines(res: subprocess.CompletedProcess[str], *needles: str) -> list[str]:
    lines = res.stderr.splitlines()
    assert "Traceback" not in res.stderr
    assert lines and all(line.startswith("dkr: error: ") for line in lines), res.stderr
    for needle in needles:
        assert needle in res.stderr, (needle, res.stderr)
    return lines


@pytest.mark.podman
def test_removes_by_name_id_and_prefix_echoing_each(make_container: Any, client: docker.DockerClient) -> None:
    exited = make_container("true")
    exited.wait(timeout=30)
    created = make_container(start=False)
    other = make_container("true", start=False)
    slashed = make_container(start=False)
    args = [exited.name, created.id, other.id[:12], "/" + slashed.name]
    res = dkr("rm", *args)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == args  # as given, in argument order
    assert res.stderr == ""
    for ref in (exited.id, created.id, other.id, slashed.id):
        assert gone(client, ref)


@pytest.mark.podman
def test_refuses_a_running_container_without_force(make_container: Any, client: docker.DockerClient) -> None:
    running = make_container()
    res = dkr("rm", running.name)
    assert res.returncode == 1
    assert res.stdout == ""
    lines = assert_error_lines(res, f"'{running.name}'", "running", "stop it first", "-f")
    assert len(lines) == 1
    running.reload()
    assert running.status == "running"  # untouched


@pytest.mark.podman
def test_force_removes_running_containers(make_container: Any, client: docker.DockerClient) -> None:
    running = [make_container() for _ in range(4)]
    res = dkr("rm", "-f", *(c.name for c in running))
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == [c.name for c in running]
    assert all(gone(client, c.id) for c in running)


@pytest.mark.podman
def test_missing_among_present(make_container: Any, client: docker.DockerClient) -> None:
    first, last = make_container("true", start=False), make_container("true", start=False)
    missing = unique("missing")
    res = dkr("rm", first.name, missing, last.name)
    assert res.returncode == 1
    assert res.stdout.splitlines() == [first.name, last.name]  # the others are still removed
    lines = assert_error_lines(res, f"cannot remove '{missing}'", "no such container")
    assert len(lines) == 1
    assert gone(client, first.id) and gone(client, last.id)


def test_partial_failure_reports_each_failure(make_container: Any, client: docker.DockerClient) -> None:
    running, stopped = make_container(), make_container("true", start=False)
    missing = unique("missing")
    res = dkr("rm", running.name, missing, stopped.name)
    assert res.returncode == 1
    assert res.stdout.splitlines() == [stopped.name]
    lines = assert_error_lines(res)
    assert len(lines) == 2
    assert running.name in lines[0] and missing in lines[1]  # in argument order
    assert not gone(client, running.id)
    assert gone(client, stopped.id)


@pytest.mark.podman
def test_force_with_a_missing_container_is_not_a_failure(
    make_container: Any, client: docker.DockerClient
) -> None:
    """As `docker rm -f` (and `rm -f`): a container that is not there is reported, not an error."""
    present = make_container()
    missing = unique("missing")
    res = dkr("rm", "-f", missing, present.name)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == [present.name]
    assert res.stderr.splitlines() == [f"dkr: warning: no such container: {missing} (nothing to remove)"]
    assert gone(client, present.id)


@pytest.fixture
def with_volume(client: docker.DockerClient, base_image: str) -> Any:
    """A container with an anonymous volume (Config.Volumes), removed with its volume after the test."""
    cid = client.api.create_container(
        base_image, "true", volumes=["/data"], labels=LABELS, name=unique("vol")
    )["Id"]
    volume = client.api.inspect_container(cid)["Mounts"][0]["Name"]
    yield cid, volume
    with contextlib.suppress(docker.errors.NotFound):
        client.api.remove_container(cid, v=True, force=True)
    with contextlib.suppress(docker.errors.NotFound):
        client.api.remove_volume(volume)


def test_volumes_flag_removes_anonymous_volumes(with_volume: Any, client: docker.DockerClient) -> None:
    cid, volume = with_volume
    client.volumes.get(volume)  # it exists
    res = dkr("rm", "-v", cid)
    assert res.returncode == 0, res.stderr
    assert gone(client, cid)
    with pytest.raises(docker.errors.NotFound):
        client.volumes.get(volume)


def test_usage_errors_reach_no_engine() -> None:
    for args in (["rm"], ["rm", "/"]):
        res = dkr("-H", "unix:///nonexistent/dkr.sock", *args)
        assert res.returncode == 2, res.stderr
        assert res.stdout == ""
        assert res.stderr.startswith("dkr: error: ")
        assert "Traceback" not in res.stderr


def test_a_path_for_a_name_reaches_no_other_route(client: docker.DockerClient, base_image: str) -> None:
    """docker rm ../images/REF removes the image (the Engine's router cleans the path to DELETE /images/REF);
    dkr refuses the name before any request, and the image is still there."""
    repo = unique("victim")
    client.images.get(base_image).tag(repo, "1")
    try:
        res = dkr("rm", f"../images/{repo}:1")
        assert res.returncode == 2, res.stderr
        assert res.stdout == ""
        assert res.stderr.splitlines()[0].startswith("dkr: error: invalid container name")
        client.images.get(f"{repo}:1")  # raises NotFound if dkr removed it
    finally:
        with contextlib.suppress(docker.errors.APIError):
            client.images.remove(f"{repo}:1")
