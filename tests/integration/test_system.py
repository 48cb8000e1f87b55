"""system df and system prune on the real Engine. Every prune here runs with this test's own label filter
(`case`), so it can select nothing a user or another test made; the test also makes objects without that
label and checks they survive. The build cache is never pruned here: the Engine cannot filter it by label
(with a label filter dkr leaves it alone, which is checked); that step is covered with the fake Engine."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import docker
import pytest

from tests.integration.support import LABELS, Case, assert_failed, dkr, on_a_terminal, unique


@dataclass
class Objects:
    """What a test made: `doomed` carry the case label and are unused; `kept` must survive its prune."""

    stopped: list[Any]
    running: Any
    network: Any
    volume: Any
    dangling: str
    tagged: str
    # without the case label (the session's labels only, so the run's sweep finds them if the test dies)
    other_container: Any
    other_network: Any
    other_volume: Any


def _gone(get: Any, ident: str) -> bool:
    try:
        get(ident)
    except docker.errors.NotFound:
        return True
    return False


@pytest.fixture
def objects(
    client: docker.DockerClient, make_container: Any, dangling: tuple[str, str], case: Case
) -> Iterator[Objects]:
    key, _, value = case.label.partition("=")
    mine = {**LABELS, key: value}
    networks = [
        client.networks.create(unique("net"), labels=mine),
        client.networks.create(unique("net"), labels=LABELS),
    ]
    volumes = [
        client.volumes.create(unique("vol"), labels=mine),
        client.volumes.create(unique("vol"), labels=LABELS),
    ]
    try:
        yield Objects(
            stopped=[make_container(start=False, labels={key: value}) for _ in range(2)],
            running=make_container(labels={key: value}),
            network=networks[0],
            volume=volumes[0],
            dangling=dangling[0],
            tagged=dangling[1],
            other_container=make_container(start=False),
            other_network=networks[1],
            other_volume=volumes[1],
        )
    finally:
        for obj in (*networks, *volumes):
            with contextlib.suppress(docker.errors.NotFound):
                obj.remove()


def assert_others_survived(client: docker.DockerClient, o: Objects) -> None:
    assert client.containers.get(o.running.id).status == "running"
    assert client.containers.get(o.other_container.id).id == o.other_container.id
    assert client.networks.get(o.other_network.id).id == o.other_network.id
    assert client.volumes.get(o.other_volume.id).id == o.other_volume.id


def test_prune_refuses_without_a_terminal(client: docker.DockerClient, objects: Objects, case: Case) -> None:
    res = dkr("system", "prune", "--volumes", "--filter", f"label={case.label}")
    assert_failed(
        res, 1, "system prune deletes containers, networks, volumes, images and build cache: refusing"
    )
    for ctr in objects.stopped:
        assert client.containers.get(ctr.id).id == ctr.id
    assert client.networks.get(objects.network.id).id == objects.network.id
    assert client.volumes.get(objects.volume.id).id == objects.volume.id
    assert client.images.get(objects.dangling).id == objects.dangling
    assert_others_survived(client, objects)


def test_prune_f_removes_what_the_label_selects_and_nothing_else(
    client: docker.DockerClient, objects: Objects, case: Case
) -> None:
    res = dkr("system", "prune", "-f", "--filter", f"label={case.label}")
    assert res.returncode == 0, res.stderr
    # the build cache cannot be selected by label: left alone, and said so
    assert res.stderr.splitlines() == [
        "note: the build cache is not pruned: the Engine cannot select build cache by label (it would remove "
        "all of it)"
    ]
    sections = res.stdout.split("\n\n")
    assert sections[0].splitlines()[0] == "Deleted Containers:"
    assert sorted(sections[0].splitlines()[1:]) == sorted(c.id for c in objects.stopped)
    assert sections[1].splitlines() == ["Deleted Networks:", objects.network.name]
    images = sections[2].splitlines()
    assert images[:2] == ["Deleted Images:", f"deleted: {objects.dangling}"]  # then its layers
    assert all(line.startswith("deleted: sha256:") for line in images[1:])
    assert sections[3].startswith("Total reclaimed space: ") and len(sections) == 4
    # read back from the Engine
    assert all(_gone(client.containers.get, c.id) for c in objects.stopped)
    assert _gone(client.networks.get, objects.network.id)
    assert _gone(client.images.get, objects.dangling)
    assert client.images.get(objects.tagged).id == objects.tagged  # tagged: not dangling
    assert client.volumes.get(objects.volume.id).id == objects.volume.id  # no --volumes
    assert_others_survived(client, objects)


def test_prune_all_with_volumes(client: docker.DockerClient, objects: Objects, case: Case) -> None:
    res = dkr("system", "prune", "-f", "-a", "--volumes", "--filter", f"label={case.label}")
    assert res.returncode == 0, res.stderr
    assert f"Deleted Volumes:\n{objects.volume.name}\n\n" in res.stdout
    assert f"deleted: {objects.tagged}" in res.stdout  # -a: an unused tagged image too
    assert _gone(client.volumes.get, objects.volume.id)
    assert _gone(client.images.get, objects.tagged)
    assert_others_survived(client, objects)


def test_until_with_volumes_is_a_usage_error(objects: Objects, case: Case) -> None:
    res = dkr("system", "prune", "-f", "--volumes", "--filter", "until=1h", "--filter", f"label={case.label}")
    assert_failed(res, 2, 'the "until" filter is not supported with "--volumes"')


@pytest.mark.parametrize(("answer", "deleted"), [(b"n\n", False), (b"y\n", True)])
def test_prune_asks_on_a_terminal(
    client: docker.DockerClient, objects: Objects, case: Case, answer: bytes, deleted: bool
) -> None:
    code, out, seen = on_a_terminal(["system", "prune", "--filter", f"label={case.label}"], answer)
    shown = seen.decode().replace("\r\n", "\n")
    assert (
        "WARNING! This will remove:\n"
        "  - all stopped containers\n"
        "  - all networks not used by at least one container\n"
        "  - all dangling images\n"
        "\n"
        "  Items to be pruned will be filtered with:\n"
        f"  - label={case.label}\n"
        "\n"
        "Are you sure you want to continue? [y/N]"
    ) in shown, shown
    assert code == (0 if deleted else 1)
    assert _gone(client.images.get, objects.dangling) is deleted
    assert _gone(client.networks.get, objects.network.id) is deleted
    if not deleted:
        assert out == ""
    assert_others_survived(client, objects)


def _counts(df: dict[str, Any]) -> dict[str, str]:
    return {
        "Images": str(len(df.get("Images") or ())),
        "Containers": str(len(df.get("Containers") or ())),
        "Local Volumes": str(len(df.get("Volumes") or ())),
        "Build Cache": str(len(df.get("BuildCache") or ())),
    }


def test_df_agrees_with_the_engine(client: docker.DockerClient, objects: Objects) -> None:
    """Other runs may create or remove objects meanwhile: compare when the Engine's counts did not move
    around dkr's call."""
    for _ in range(5):
        before = _counts(client.api.df())
        res = dkr("system", "df", "--format", "json")
        table = dkr("system", "df")
        after = _counts(client.api.df())
        if before == after:
            break
    assert before == after, "the Engine's objects kept changing"
    assert res.returncode == 0 and table.returncode == 0, (res.stderr, table.stderr)
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert {r["Type"]: r["TotalCount"] for r in rows} == before
    assert all(sorted(r) == ["Active", "Reclaimable", "Size", "TotalCount", "Type"] for r in rows)
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"]
    assert [line.split("  ")[0] for line in lines[1:]] == [
        "Images",
        "Containers",
        "Local Volumes",
        "Build Cache",
    ]
    assert int(rows[1]["Active"]) >= 1  # this test's running container


def test_df_verbose_lists_this_tests_objects(objects: Objects) -> None:
    res = dkr("system", "df", "-v", "--format", "json")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert {objects.dangling, objects.tagged} <= {i["ID"] for i in doc["Images"]}
    assert {c.id for c in objects.stopped} <= {c["ID"] for c in doc["Containers"]}
    assert objects.volume.name in {v["Name"] for v in doc["Volumes"]}
