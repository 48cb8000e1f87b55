"""system df and system prune against the fake Engine, from recorded-style payloads (tests/unit/data/
system_df.json is a real Engine 20.10 answer, trimmed, with a running container, volumes and build cache
added). The expected text is what docker 28.2.2's CLI printed for the same payloads."""

from __future__ import annotations

import json
import types
from pathlib import Path
from typing import Any

import pytest

import dkr.render.system
from dkr.commands.system import prune_warning
from dkr.errors import ExitCode
from tests.helpers import run_dkr
from tests.unit.fake_engine import FakeEngine

DATA = Path(__file__).parents[1] / "data"
DF = json.loads((DATA / "system_df.json").read_text())
PRUNED = json.loads((DATA / "system_prune.json").read_text())
#: 150 s after the newest container was created
NOW = 1796297160.0


@pytest.fixture
def df(fake: FakeEngine, monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    fake.route("GET", r"/system/df", lambda m, p, b: (200, DF))
    monkeypatch.setattr(dkr.render.system, "time", types.SimpleNamespace(time=lambda: NOW))
    return fake


def engine_calls(fake: FakeEngine) -> list[str]:
    return [r for r in fake.requests if "/_ping" not in r and "/version" not in r]


def test_df_table(df: FakeEngine) -> None:
    res = run_dkr("system", "df")
    assert (res.code, res.err) == (0, "")
    assert res.out == (
        "TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE\n"
        "Images          4         1         3.971MB   3.971MB (99%)\n"
        "Containers      2         1         8.192kB   6.144kB (75%)\n"
        "Local Volumes   2         1         16.38kB   12.29kB (75%)\n"
        "Build Cache     3         1         52.43MB   52.43MB\n"
    )
    assert engine_calls(df) == ["GET /v1.41/system/df"]  # one request


def test_df_json_lines_are_dockers(df: FakeEngine) -> None:
    res = run_dkr("system", "df", "--format", "json")
    assert res.code == 0
    assert res.out.splitlines() == [
        '{"Active":"1","Reclaimable":"3.971MB (99%)","Size":"3.971MB","TotalCount":"4","Type":"Images"}',
        '{"Active":"1","Reclaimable":"6.144kB (75%)","Size":"8.192kB","TotalCount":"2","Type":"Containers"}',
        '{"Active":"1","Reclaimable":"12.29kB (75%)","Size":"16.38kB","TotalCount":"2","Type":"Local Volumes"}',
        '{"Active":"1","Reclaimable":"52.43MB","Size":"52.43MB","TotalCount":"3","Type":"Build Cache"}',
    ]


@pytest.mark.parametrize(
    ("template", "out"),
    [
        pytest.param("{{.Type}}: {{.Reclaimable}}", "Images: 3.971MB (99%)\nContainers: 6.144kB (75%)\n"
                     "Local Volumes: 12.29kB (75%)\nBuild Cache: 52.43MB\n", id="plain"),
        pytest.param("table {{.Type}}\\t{{.TotalCount}}", "TYPE            TOTAL\nImages          4\n"
                     "Containers      2\nLocal Volumes   2\nBuild Cache     3\n", id="table"),
    ],
)  # fmt: skip
def test_df_template(df: FakeEngine, template: str, out: str) -> None:
    res = run_dkr("system", "df", "--format", template)
    assert (res.code, res.out) == (0, out)


def test_df_verbose_tables(df: FakeEngine) -> None:
    res = run_dkr("system", "df", "-v")
    assert (res.code, res.err) == (0, "")
    assert (
        res.out
        == """\
Images space usage:

REPOSITORY      TAG       IMAGE ID       CREATED         SIZE      SHARED SIZE   UNIQUE SIZE   CONTAINERS
web             dev       cdeb62008ec3   2 minutes ago   1.99MB    1.985MB       6B            1
<none>          <none>    193aefd51bc7   2 minutes ago   1.99MB    1.985MB       0B            0
busybox-local   latest    8c3b63cb8a7f   2 minutes ago   1.99MB    1.985MB       0B            0
tiny            1         e001c5f2aebb   4 minutes ago   1.99MB    0B            1.985MB       0

Containers space usage:

CONTAINER ID   IMAGE          COMMAND                  LOCAL VOLUMES   SIZE      CREATED         STATUS                     NAMES
973fb3b3dbdf   web:dev        "httpd -f -vv -p 80 …"   1               2.05kB    2 minutes ago   Up 2 minutes               web
49bd46234fd1   8c3b63cb8a7f   "sh"                     0               6.14kB    2 minutes ago   Exited (0) 3 minutes ago   silly_benz

Local Volumes space usage:

VOLUME NAME   LINKS     SIZE
webdata       1         4.096kB
old           0         12.29kB

Build cache usage: 52.43MB

CACHE ID        CACHE TYPE     SIZE      CREATED             LAST USED        USAGE     SHARED
k4bqv5lt0jt2*   source.local   1.02kB    About an hour ago                    1         false
zq2m8lkc3b1x    frontend       9MB       26 hours ago        26 hours ago     1         true
pf2ebxzq0ugb    regular        52.4MB    About an hour ago   25 minutes ago   3         false
"""
    )


def test_df_verbose_json_is_one_object(df: FakeEngine) -> None:
    res = run_dkr("system", "df", "-v", "--format", "json")
    assert res.code == 0 and len(res.out.splitlines()) == 1
    doc: dict[str, Any] = json.loads(res.out)
    assert list(doc) == ["Images", "Containers", "Volumes", "BuildCache"]  # docker's struct order
    assert "\\u003cnone\\u003e" in res.out  # Go's HTML-safe escaping, as docker prints `<none>`
    image = doc["Images"][1]
    assert sorted(image) == list(image)
    assert (image["Repository"], image["ID"]) == ("<none>", DF["Images"][1]["Id"])  # untruncated
    assert doc["Containers"][0]["Size"] == "2.05kB"  # no virtual size
    assert doc["Volumes"][1] == {
        "Availability": "N/A", "Driver": "local", "Group": "N/A", "Labels": "app=web,tier=db", "Links": "0",
        "Mountpoint": "/var/lib/docker/volumes/old/_data", "Name": "old", "Scope": "local", "Size": "12.29kB",
        "Status": "N/A",
    }  # fmt: skip
    first = doc["BuildCache"][2]
    assert first["ID"] == "pf2ebxzq0ugbvwe6dm1y5w3kz"
    assert first["CreatedAt"] == "2026-12-03 10:00:00.123456789 +0000 UTC"
    assert first["LastUsedAt"] == "2026-12-03 11:00:00.5 +0000 UTC"
    assert doc["BuildCache"][0]["ID"] == "k4bqv5lt0jt2ssqf8wr2zwg4u*"


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        pytest.param(["system", "df", "--format", "{{.Nope}}"], "invalid --format template: no field '.Nope'", id="field"),
        pytest.param(["system", "df", "-v", "--format", "{{.Type}}"], "invalid --format '{{.Type}}' with -v", id="verbose-template"),
        pytest.param(["system", "df", "x"], "got unexpected extra argument(s) (x)", id="argument"),
        pytest.param(["system", "prune", "--filter", "bogus=1"], "invalid filter 'bogus'", id="filter-key"),
        pytest.param(["system", "prune", "--filter", "label"], "bad format of filter 'label'", id="filter-form"),
        pytest.param(["system", "prune", "-f", "--volumes", "--filter", "until=24h"],
                     'the "until" filter is not supported with "--volumes"', id="until-volumes"),
    ],
)  # fmt: skip
def test_bad_input_is_exit_2_before_any_engine_call(fake: FakeEngine, argv: list[str], line: str) -> None:
    res = run_dkr(*argv)
    assert res.code == ExitCode.USAGE and res.out == ""
    assert res.err_lines[0].startswith(f"dkr: error: {line}"), res.err
    assert len(res.err_lines) == 2 and res.err_lines[1].startswith("Run 'dkr system ")
    assert engine_calls(fake) == []


@pytest.fixture
def prunes(fake: FakeEngine) -> FakeEngine:
    for noun in ("containers", "networks", "volumes", "images"):
        fake.route("POST", rf"/{noun}/prune", lambda m, p, b, n=noun: (200, PRUNED[n]))
    fake.route("POST", r"/build/prune", lambda m, p, b: (200, PRUNED["build"]))
    return fake


@pytest.mark.parametrize("argv", [[], ["-a"], ["--volumes"], ["--filter", "label=x=1"]])
def test_prune_without_a_terminal_refuses_before_any_engine_call(prunes: FakeEngine, argv: list[str]) -> None:
    res = run_dkr("system", "prune", *argv)
    assert res.code == ExitCode.FAILURE and res.out == ""
    assert res.err_lines == [
        "dkr: error: system prune deletes containers, networks, "
        + ("volumes, " if "--volumes" in argv else "")
        + "images and build cache: refusing without a terminal to ask on",
        "Run 'dkr system prune -f' to delete without asking.",
    ]
    assert engine_calls(prunes) == []


def test_prune_all_with_volumes_in_dockers_order_and_words(prunes: FakeEngine) -> None:
    res = run_dkr("system", "prune", "-f", "-a", "--volumes")
    assert (res.code, res.err) == (0, "")
    # docker 28.2.2 printed exactly this for the same Engine answers
    assert (
        res.out
        == """\
Deleted Containers:
49bd46234fd18c36d1e01839355281287dad2db5a7cf866763f9410a14a1971b
47caf847d4f1aa9e5ac0ae1b8d0e0fd7e0f2f1d7fb2fc43c64f3fbd2d5a0f0c1

Deleted Networks:
dkrtest-net
old_default

Deleted Volumes:
old

Deleted Images:
untagged: tiny:1
deleted: sha256:e001c5f2aebb34357eed389d365777699019ea533cbac3c4960eb7a37cf80ae6
deleted: sha256:193aefd51bc74dac10a1770eb3bfc4e4f6c204fc8fdba769bfbe29c7fec5a491

Deleted build cache objects:
pf2ebxzq0ugbvwe6dm1y5w3kz

Total reclaimed space: 54.43MB
"""
    )
    calls = engine_calls(prunes)
    assert [c.split("?")[0].split("/", 2)[2] for c in calls] == [
        "containers/prune", "networks/prune", "volumes/prune", "images/prune", "build/prune",
    ]  # fmt: skip
    assert "dangling%22%3A+%5B%22false" in calls[3]  # -a: every unused image
    assert "all=True" in calls[4]  # -a: all the build cache


def test_prune_default_skips_volumes_and_prunes_dangling(prunes: FakeEngine) -> None:
    res = run_dkr("system", "prune", "-f", "--filter", "until=24h")
    assert res.code == 0, res.err
    calls = engine_calls(prunes)
    assert [c.split("?")[0].rsplit("/", 2)[1] for c in calls] == ["containers", "networks", "images", "build"]
    assert "dangling%22%3A+%5B%22true" in calls[2]
    assert all("until" in c for c in calls)
    assert "all=" not in calls[3]


def test_prune_with_a_label_filter_leaves_the_build_cache(prunes: FakeEngine) -> None:
    """The Engine accepts label filters for the build cache and ignores them: pruning it would delete
    cache the filter does not select, so dkr does not ask for it (docker does)."""
    res = run_dkr("system", "prune", "-f", "--filter", "label=dkr.test=1")
    assert res.code == 0
    assert not any("/build/prune" in c for c in engine_calls(prunes))
    assert all("dkr.test%3D1" in c for c in engine_calls(prunes))
    assert "Deleted build cache objects:" not in res.out
    assert res.err_lines == [
        "note: the build cache is not pruned: the Engine cannot select build cache by label (it would remove "
        "all of it)"
    ]


def test_prune_reports_what_was_deleted_before_a_failure(prunes: FakeEngine) -> None:
    prunes.route(
        "POST", r"/images/prune", lambda m, p, b: (500, {"message": "a prune operation is already running"})
    )
    res = run_dkr("system", "prune", "-f")
    assert res.code == ExitCode.FAILURE
    assert res.out.startswith("Deleted Containers:\n")
    assert "Deleted Networks:" in res.out and "Total reclaimed" not in res.out
    assert res.err_lines[0].startswith("dkr: error: ") and "prune images" in res.err_lines[0]
    assert not any("/build/prune" in c for c in engine_calls(prunes))


def test_prune_with_nothing_to_delete(fake: FakeEngine) -> None:
    for noun in ("containers", "networks", "images", "build"):
        fake.route("POST", rf"/{noun}/prune", lambda m, p, b: (200, {"SpaceReclaimed": 0}))
    res = run_dkr("system", "prune", "-f")
    assert (res.code, res.out) == (0, "Total reclaimed space: 0B\n")


@pytest.mark.parametrize(
    ("all", "volumes", "cache", "filters", "text"),
    [
        pytest.param(False, False, True, {}, """\
This will remove:
  - all stopped containers
  - all networks not used by at least one container
  - all dangling images
  - all dangling build cache
""", id="default"),
        pytest.param(True, True, False, {"label": ["b=10", "b=9"], "label!": ["keep"]}, """\
This will remove:
  - all stopped containers
  - all networks not used by at least one container
  - all volumes not used by at least one container
  - all images without at least one container associated to them

  Items to be pruned will be filtered with:
  - label!=keep
  - label=b=9
  - label=b=10
""", id="all-volumes-filtered"),
        pytest.param(True, False, True, {"until": ["24h"]}, """\
This will remove:
  - all stopped containers
  - all networks not used by at least one container
  - all images without at least one container associated to them
  - all build cache

  Items to be pruned will be filtered with:
  - until=24h
""", id="all-until"),
    ],
)  # fmt: skip
def test_prune_warning_is_dockers(
    all: bool, volumes: bool, cache: bool, filters: dict[str, list[str]], text: str
) -> None:
    assert prune_warning(all, volumes, cache, filters) == text
