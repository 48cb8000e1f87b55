"""dkr volume against the real Engine, side by side with the docker CLI: ls (JSON lines) and inspect print
what docker prints, create labels and names as docker's, rm and prune remove only what they are asked to
(prune only with this test's label), and a volume in use is one line, exit 1."""

from __future__ import annotations

import json
from typing import Any

from tests.integration.support import LABELS, SESSION, Case, assert_failed, dkr, side_by_side, unique


def _labels_as_a_set(line: str) -> dict[str, Any]:
    """A JSON line of volume ls, its Labels as a set: docker joins them in a Go map's order, dkr sorted."""
    row: dict[str, Any] = json.loads(line)
    return {**row, "Labels": set(row["Labels"].split(","))}


def test_ls_and_inspect_print_what_docker_prints(case: Case, make_volume: Any) -> None:
    names = [make_volume(), make_volume()]
    label = f"label=dkr.test.session={SESSION}"
    listed = {
        tool: [_labels_as_a_set(line) for line in out.splitlines()]
        for tool, out in side_by_side("volume", "ls", "-f", label, "--format", "json")
    }
    assert listed["dkr"] == listed["docker"]
    assert {row["Name"] for row in listed["dkr"]} >= set(names)
    printed = dict(side_by_side("volume", "inspect", *names))
    assert printed["dkr"] == printed["docker"]
    table = dict(side_by_side("volume", "ls", "-f", f"name={names[0]}"))
    assert table["dkr"] == table["docker"]


def test_create_rm_and_a_volume_in_use(case: Case, base_image: str) -> None:
    name = unique("vol")
    labels = [f"--label={key}={value}" for key, value in LABELS.items()]
    made = dkr("volume", "create", *labels, "-o", "type=tmpfs", "-o", "device=tmpfs", name)
    assert (made.returncode, made.stdout) == (0, f"{name}\n"), made.stderr
    try:
        vol = case.client.volumes.get(name)
        assert vol.attrs["Options"] == {"type": "tmpfs", "device": "tmpfs"}
        assert vol.attrs["Labels"]["dkr.test"] == "1"
        user = dkr("run", "-d", *case.args, "-v", f"{name}:/data", base_image, "sleep", "300")
        assert user.returncode == 0, user.stderr
        assert_failed(dkr("volume", "rm", name), 1, f"cannot remove volume {name}", "in use")
        case.clean()
        gone = dkr("volume", "rm", name, "dkr-no-such-volume")
        assert (gone.returncode, gone.stdout) == (1, f"{name}\n")
        assert "no such volume" in gone.stderr
        assert name not in {v.name for v in case.client.volumes.list()}
    finally:
        dkr("volume", "rm", "-f", name)


def test_prune_removes_only_unused_labelled_volumes(case: Case, base_image: str, make_volume: Any) -> None:
    mark = unique("mark")
    keep_label = f"dkr.test.prune={mark}"
    unused = case.client.volumes.create(unique("vol"), labels={"dkr.test": "1", "dkr.test.prune": mark})
    used = case.client.volumes.create(unique("vol"), labels={"dkr.test": "1", "dkr.test.prune": mark})
    other = make_volume()
    try:
        ctr = dkr("run", "-d", *case.args, "-v", f"{used.name}:/data", base_image, "sleep", "300")
        assert ctr.returncode == 0, ctr.stderr
        refused = dkr("volume", "prune", "--filter", f"label={keep_label}")
        assert_failed(refused, 1, "refusing without a terminal")
        res = dkr("volume", "prune", "-f", "--filter", f"label={keep_label}")
        assert res.returncode == 0, res.stderr
        assert res.stdout.startswith(f"Deleted Volumes:\n{unused.name}\n\n")
        left = {v.name for v in case.client.volumes.list()}
        assert used.name in left and other in left and unused.name not in left
    finally:
        case.clean()
        for vol in (unused, used):
            dkr("volume", "rm", "-f", vol.name)
