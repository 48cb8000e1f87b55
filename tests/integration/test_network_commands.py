"""dkr network against the real Engine, side by side with the docker CLI: ls (JSON lines, the table) and
inspect print what docker prints; create, connect (with an alias another container resolves), disconnect,
rm and prune (only with this test's label) do what docker's do; refusals are one line."""

from __future__ import annotations

import json
from typing import Any

from tests.integration.support import LABELS, SESSION, Case, assert_failed, dkr, side_by_side, unique


def _labels_as_a_set(line: str) -> dict[str, Any]:
    """A JSON line of network ls, its Labels as a set (docker joins them in a Go map's order, dkr sorted)."""
    row: dict[str, Any] = json.loads(line)
    return {**row, "Labels": set(row["Labels"].split(","))}


def test_ls_and_inspect_print_what_docker_prints(make_network: Any) -> None:
    names = [make_network(), make_network()]
    listed = {
        tool: [_labels_as_a_set(line) for line in out.splitlines()]
        for tool, out in side_by_side(
            "network", "ls", "-f", f"label=dkr.test.session={SESSION}", "--format", "json"
        )
    }
    assert listed["dkr"] == listed["docker"]
    assert {row["Name"] for row in listed["dkr"]} >= set(names)
    for args in (("network", "inspect", *names), ("network", "ls", "-f", f"name={names[0]}", "--no-trunc")):
        printed = dict(side_by_side(*args))
        assert printed["dkr"] == printed["docker"]


def test_create_connect_disconnect_rm(case: Case, base_image: str) -> None:
    name = unique("net")
    labels = [f"--label={key}={value}" for key, value in LABELS.items()]
    made = dkr(
        "network",
        "create",
        *labels,
        "--internal",
        "--subnet",
        "10.231.7.0/24",
        "--gateway",
        "10.231.7.1",
        name,
    )
    assert made.returncode == 0, made.stderr
    try:
        net = case.client.networks.get(name)
        assert net.id == made.stdout.strip()
        assert net.attrs["Internal"] is True
        assert net.attrs["IPAM"]["Config"][0] == {"Subnet": "10.231.7.0/24", "Gateway": "10.231.7.1"}
        server = dkr(
            "run", "-d", *case.args, base_image, "sh", "-c", "while true; do echo hi | nc -l -p 7; done"
        )
        assert server.returncode == 0, server.stderr
        cid = server.stdout.strip()
        joined = dkr("network", "connect", "--alias", "echo", name, cid)
        assert (joined.returncode, joined.stdout) == (0, ""), joined.stderr
        reader = dkr("run", "--rm", *case.args, "--network", name, base_image, "nc", "echo", "7")
        assert (reader.returncode, reader.stdout) == (0, "hi\n"), reader.stderr
        assert_failed(dkr("network", "rm", name), 1, f"cannot remove network {name}")
        left = dkr("network", "disconnect", name, cid)
        assert (left.returncode, left.stdout) == (0, ""), left.stderr
        assert name not in case.client.api.inspect_container(cid)["NetworkSettings"]["Networks"]
        assert_failed(dkr("network", "disconnect", name, cid), 1, "is not connected")
        gone = dkr("network", "rm", name)
        assert (gone.returncode, gone.stdout) == (0, f"{name}\n"), gone.stderr
    finally:
        case.clean()
        dkr("network", "rm", name)
    assert_failed(dkr("network", "rm", name), 1, f"network {name} not found")


def test_prune_removes_only_unused_labelled_networks(case: Case, base_image: str, make_network: Any) -> None:
    mark = f"dkr.test.prune={unique('mark')}"
    key, _, value = mark.partition("=")
    unused = case.client.networks.create(unique("net"), labels={**LABELS, key: value})
    used = case.client.networks.create(unique("net"), labels={**LABELS, key: value})
    other = make_network()
    try:
        ctr = dkr("run", "-d", *case.args, "--network", used.name, base_image, "sleep", "300")
        assert ctr.returncode == 0, ctr.stderr
        assert_failed(dkr("network", "prune", "--filter", f"label={mark}"), 1, "refusing without a terminal")
        res = dkr("network", "prune", "-f", "--filter", f"label={mark}")
        assert (res.returncode, res.stdout) == (
            0,
            f"Deleted Networks:\n{unused.name}\n\n",
        )
        left = {n.name for n in case.client.networks.list()}
        assert used.name in left and other in left and unused.name not in left
    finally:
        case.clean()
        for net in (unused, used):
            dkr("network", "rm", net.name)
