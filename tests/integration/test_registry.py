"""pull and push against a real registry (Debian's docker-registry, started for this run on a free loopback
port): the round trip keeps the digest, and every failure is one line and exit 1 that leaves the local image
as it was. Everything pushed lives in this run's registry, deleted at the end; every local image carries this
test's labels (pulled ones too: labels live in the image's config)."""

from __future__ import annotations

from pathlib import Path

import docker
import pytest

from tests.integration.registry import Registry
from tests.integration.support import Case, assert_failed, dkr, unique
from tests.integration.test_image_lifecycle import build_labelled


@pytest.fixture
def image_id(client: docker.DockerClient, base_image: str, case: Case, tmp_path: Path) -> str:
    return build_labelled(client, base_image, case, tmp_path, unique("content"))


def test_round_trip_keeps_the_digest(
    client: docker.DockerClient, registry: Registry, image_id: str, case: Case
) -> None:
    repo = unique("app")
    ref = f"{registry.host}/{repo}:1"
    assert dkr("tag", image_id, ref).returncode == 0

    pushed = dkr("push", ref)
    assert pushed.returncode == 0, pushed.stderr
    digest = pushed.stdout.strip()
    assert digest.startswith("sha256:") and pushed.stdout.count("\n") == 1
    assert digest == registry.digest(repo, "1")  # what the registry itself serves
    assert "Pushed" in pushed.stderr

    assert dkr("rmi", ref).returncode == 0
    with pytest.raises(docker.errors.ImageNotFound):
        client.images.get(image_id)

    pulled = dkr("pull", ref)
    assert pulled.returncode == 0, pulled.stderr
    assert pulled.stdout == f"{ref}\n"
    assert f"Digest: {digest}" in pulled.stderr
    image = client.images.get(ref)
    assert image.id == image_id  # the same content, the same image
    assert f"{registry.host}/{repo}@{digest}" in image.attrs["RepoDigests"]

    ran = dkr("run", "--rm", ref, "cat", "/content")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("dkrtest-")


def test_all_tags_both_ways(client: docker.DockerClient, registry: Registry, image_id: str) -> None:
    repo = f"{registry.host}/{unique('app')}"
    for tag in ("a", "b"):
        client.images.get(image_id).tag(repo, tag)
    pushed = dkr("push", "-a", "-q", repo)
    assert pushed.returncode == 0, pushed.stderr
    lines = sorted(pushed.stdout.splitlines())
    assert [line.split("@")[0] for line in lines] == [f"{repo}:a", f"{repo}:b"]
    assert len({line.split("@")[1] for line in lines}) == 1  # one image, one digest
    assert pushed.stderr == ""

    assert dkr("rmi", f"{repo}:a", f"{repo}:b").returncode == 0
    pulled = dkr("pull", "-a", "-q", repo)
    assert pulled.returncode == 0, pulled.stderr
    assert pulled.stdout == f"{repo}\n"
    assert {t for t in client.images.get(image_id).tags if t.startswith(repo)} == {f"{repo}:a", f"{repo}:b"}


def test_pushing_a_tag_that_does_not_exist_fails(registry: Registry) -> None:
    ref = f"{registry.host}/{unique('nosuch')}:1"
    res = dkr("push", ref)
    assert_failed(res, 1, f"cannot push {ref}: an image does not exist locally")
    assert "There is no such image here" in res.stderr.splitlines()[-1]
    assert res.stdout == ""


def test_a_registry_that_refuses_fails_and_keeps_the_local_image(
    client: docker.DockerClient, auth_registry: Registry, image_id: str, tmp_path: Path
) -> None:
    ref = f"{auth_registry.host}/{unique('app')}:1"
    client.images.get(image_id).tag(ref)
    # a private, empty docker config: no credentials, whatever the user running the tests has
    res = dkr("push", ref, env={"DOCKER_CONFIG": str(tmp_path / "docker-config")})
    assert_failed(res, 1, f"cannot push {ref}: no basic auth credentials")
    assert f"dkr login {auth_registry.host}" in res.stderr.splitlines()[-1]
    assert client.images.get(ref).id == image_id
    assert auth_registry.tags  # the registry is up; nothing reached it
    res = dkr("pull", ref, env={"DOCKER_CONFIG": str(tmp_path / "docker-config")})
    assert_failed(res, 1, f"cannot pull {ref}", "no basic auth credentials")


def test_pulling_what_the_registry_does_not_have_fails(registry: Registry) -> None:
    ref = f"{registry.host}/{unique('nosuch')}:1"
    res = dkr("pull", ref)
    assert_failed(res, 1, f"cannot pull {ref}: manifest for {ref} not found")


def test_a_registry_that_does_not_answer_fails(registry: Registry) -> None:
    from tests.integration.support import free_port

    ref = f"127.0.0.1:{free_port()}/{unique('app')}:1"
    res = dkr("pull", ref)
    assert_failed(res, 1, f"cannot pull {ref}", "connection refused")
