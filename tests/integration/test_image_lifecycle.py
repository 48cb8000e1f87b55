"""tag, rmi / image rm, image prune and container prune on the real Engine. Prunes run only with this test's
label filter (never anything a user or another test made), and a prune without -f and without a terminal
must refuse and delete nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docker
import pytest

from tests.integration.support import Case, assert_failed, build_labelled, dkr, on_a_terminal, unique


@pytest.fixture
def image_id(client: docker.DockerClient, base_image: str, case: Case, tmp_path: Path) -> str:
    return build_labelled(client, base_image, case, tmp_path, "one")


def test_tag_then_rmi_untags(client: docker.DockerClient, image_id: str) -> None:
    first, second = f"{unique('tag')}:v1", f"{unique('tag')}:v2"
    for target in (first, second):
        res = dkr("tag", image_id, target)
        assert (res.returncode, res.stdout, res.stderr) == (0, "", "")
        assert client.images.get(target).id == image_id
    res = dkr("rmi", first, second)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[:1] == [f"Untagged: {first}"]
    assert f"Untagged: {second}" in res.stdout
    # the last tag gone, the image itself is deleted, as docker reports it
    assert f"Deleted: {image_id}" in res.stdout
    with pytest.raises(docker.errors.ImageNotFound):
        client.images.get(image_id)


def test_rmi_removes_the_others_when_one_fails(client: docker.DockerClient, image_id: str) -> None:
    tagged = f"{unique('tag')}:v1"
    client.images.get(image_id).tag(tagged)
    res = dkr("rmi", tagged, "dkrtest-nosuch:1")
    assert res.returncode == 1
    assert f"Untagged: {tagged}" in res.stdout
    assert res.stderr.splitlines() == [
        "dkr: error: cannot remove image 'dkrtest-nosuch:1': no such image: dkrtest-nosuch:1"
    ]


def test_rmi_of_an_image_in_use_is_the_engines_conflict(
    client: docker.DockerClient, image_id: str, make_container: Any
) -> None:
    tagged = f"{unique('tag')}:v1"
    client.images.get(image_id).tag(tagged)
    make_container(image=tagged, start=False)
    res = dkr("rmi", tagged)
    assert_failed(res, 1, f"cannot remove image '{tagged}'", "conflict", "must force")
    assert client.images.get(tagged).id == image_id  # untouched


def test_bad_references_are_usage_errors() -> None:
    assert_failed(dkr("tag", "/", "x"), 2, "invalid image '/'")
    assert_failed(dkr("tag", "busybox", "Bad:Tag:x"), 2, "invalid tag")
    assert_failed(dkr("rmi", "."), 2, "invalid image '.'")


def test_image_prune_refuses_without_a_terminal(
    client: docker.DockerClient, dangling: tuple[str, str], case: Case
) -> None:
    old, _new = dangling
    res = dkr("image", "prune", "--filter", f"label={case.label}")
    assert_failed(res, 1, "image prune deletes images: refusing without a terminal to ask on")
    assert client.images.get(old).id == old  # nothing deleted


def test_image_prune_f_deletes_only_what_the_filter_selects(
    client: docker.DockerClient, dangling: tuple[str, str], case: Case
) -> None:
    old, new = dangling
    res = dkr("image", "prune", "-f", "--filter", f"label={case.label}")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == "Deleted Images:"
    assert f"deleted: {old}" in lines
    assert lines[-1].startswith("Total reclaimed space: ")
    with pytest.raises(docker.errors.ImageNotFound):
        client.images.get(old)
    assert client.images.get(new).id == new  # tagged: not dangling, not pruned


def test_container_prune(client: docker.DockerClient, make_container: Any, case: Case) -> None:
    key, _, value = case.label.partition("=")
    stopped = make_container(start=False, labels={key: value})
    running = make_container(labels={key: value})
    res = dkr("container", "prune", "-f", "--filter", f"label={case.label}")
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[:2] == ["Deleted Containers:", stopped.id]
    with pytest.raises(docker.errors.NotFound):
        client.containers.get(stopped.id)
    assert client.containers.get(running.id).status == "running"


@pytest.mark.parametrize(("answer", "deleted"), [(b"n\n", False), (b"y\n", True)])
def test_image_prune_asks_on_a_terminal(
    client: docker.DockerClient, dangling: tuple[str, str], case: Case, answer: bytes, deleted: bool
) -> None:
    old, _new = dangling
    code, out, seen = on_a_terminal(["image", "prune", "--filter", f"label={case.label}"], answer)
    assert b"WARNING! This will remove all dangling images." in seen, seen
    assert code == (0 if deleted else 1)
    if deleted:
        assert f"deleted: {old}" in out
        with pytest.raises(docker.errors.ImageNotFound):
            client.images.get(old)
    else:
        assert out == ""
        assert client.images.get(old).id == old


def test_rmi_of_several_tags_of_one_image_removes_them_in_turn(
    client: docker.DockerClient, base_image: str, case: Case, tmp_path: Path
) -> None:
    """Removed at once, the last tag's removal deleted the image while another was still looking it up
    ("unrecognized image ID"): tags of one image are removed one after the other, as docker does."""
    for attempt in range(3):  # the race lost about half the time: three tries make the old code fail
        image_id = build_labelled(client, base_image, case, tmp_path, f"several-{attempt}")
        tags = [f"{unique('tag')}:{t}" for t in ("a", "b", "c")]
        for tag in tags:
            client.images.get(image_id).tag(tag)
        res = dkr("rmi", *tags)
        assert (res.returncode, res.stderr) == (0, ""), res.stderr
        assert res.stdout.splitlines()[:3] == [f"Untagged: {t}" for t in tags]
        assert f"Deleted: {image_id}" in res.stdout
