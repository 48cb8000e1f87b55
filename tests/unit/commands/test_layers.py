"""dkr layers without a daemon: a recorded history payload, instruction clean-up, the last-build record,
and the table / JSON rendering."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dkr import render
from dkr.build.cachedir import build_record_path
from dkr.build.record import last_build
from dkr.engine.layers import match_steps
from dkr.models.build import BuildStep
from dkr.models.layers import ImageLayers, Layer, instruction_of
from dkr.models.output import FormatKind, OutputFormat
from dkr.render.layers import biggest, layers_json, render_layers
from tests.helpers import assert_one_line_error, run_dkr
from tests.unit.fake_engine import FakeEngine

DATA = Path(__file__).parents[1] / "data"
# `docker build` of FROM base; WORKDIR /app; COPY small; COPY big; RUN; ENV; CMD; two --label steps.
IMAGE_ID = "sha256:97e57c4173b3c2ac6d55a53cb7cd537938970e56167d6ca5d5ac1cc3b9f2a979"
STEPS = [
    "FROM dkrtest-base:d46e72a677",
    "WORKDIR /app",
    "COPY small /app/small",
    "COPY big /app/big",
    "RUN echo hello > /app/hello && cat /app/small > /app/small2",
    "ENV A=1",
    'CMD ["sh"]',
    "LABEL dkr.test=1",
    "LABEL dkr.test.session=manual-lint",
]


def recorded() -> ImageLayers:
    payload: list[dict[str, Any]] = json.loads((DATA / "history_classic.json").read_text())
    layers = tuple(Layer.from_api(item) for item in reversed(payload))
    return ImageLayers("app:1", layers[-1].id, layers)


def record(cached_until: int) -> list[BuildStep]:
    return [BuildStep(i, text, i <= cached_until) for i, text in enumerate(STEPS, 1)]


@pytest.mark.parametrize(
    ("created_by", "instruction"),
    [
        pytest.param("/bin/sh -c #(nop) WORKDIR /app", "WORKDIR /app", id="nop"),
        pytest.param('/bin/sh -c #(nop)  CMD ["node" "server.js"]', 'CMD ["node" "server.js"]', id="nop-cmd"),
        pytest.param("/bin/sh -c npm ci", "RUN npm ci", id="shell-run"),
        pytest.param("|2 A=1 B=x y /bin/sh -c make all", "RUN make all", id="build-args"),
        pytest.param("RUN /bin/sh -c apt-get update # buildkit", "RUN apt-get update", id="buildkit-run"),
        pytest.param("RUN |1 V=2 /bin/sh -c echo $V # buildkit", "RUN echo $V", id="buildkit-args"),
        pytest.param("COPY . /app # buildkit", "COPY . /app", id="buildkit-copy"),
        pytest.param(
            "/bin/sh -c #(nop) COPY file:" + "ab" * 32 + " in /bin/ ",
            "COPY file:abababababab in /bin/",
            id="digest",
        ),
        pytest.param(
            "RUN /bin/sh -c set -e\n  echo a\n\n  echo b # buildkit", "RUN set -e; echo a; echo b", id="multi"
        ),
        pytest.param("/bin/busybox --install -s /bin", "/bin/busybox --install -s /bin", id="exec-form-run"),
        pytest.param("", "", id="imported"),
    ],
)
def test_instruction_of(created_by: str, instruction: str) -> None:
    assert instruction_of(created_by) == instruction


def test_recorded_payload_oldest_first() -> None:
    result = recorded()
    assert result.id == IMAGE_ID
    assert [layer.instruction for layer in result.layers][4:] == [
        "WORKDIR /app",
        "COPY file:d570489ef402 in /app/small",
        "COPY file:5c86e92281fa in /app/big",
        "RUN echo hello > /app/hello && cat /app/small > /app/small2",
        "ENV A=1",
        'CMD ["sh"]',
        "LABEL dkr.test=1",
        "LABEL dkr.test.session=manual-lint",
    ]
    rows = layers_json(result)["layers"]
    assert [r["index"] for r in rows] == list(range(1, 13))
    assert rows[-1]["cumulative"] == result.total_size == 4085478
    assert sum(r["size"] for r in rows) == result.total_size
    assert abs(sum(r["percent"] for r in rows) - 100) < 0.5
    assert (rows[6]["size"], rows[6]["percent"]) == (1_500_000, 36.7)


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        pytest.param(None, (), id="no-record"),
        # the FROM stands for the base image's top entry (the image it names), older ones have no step
        pytest.param(record(3), (None,) * 3 + tuple(record(3)), id="final-stage-steps-are-newest"),
        pytest.param(
            [
                BuildStep(1, "FROM golang:1.22 AS build", True),
                BuildStep(2, "RUN go build", False),
                *record(9),
            ],
            (None,) * 3 + tuple(record(9)),
            id="multi-stage-uses-last-from",
        ),
        pytest.param(record(9) + [BuildStep(10, "LABEL x=1", False)] * 5, (), id="more-steps-than-layers"),
        pytest.param(
            [BuildStep(1, "FROM base", True)],
            (None,) * 11 + (BuildStep(1, "FROM base", True),),
            id="only-from",
        ),
        pytest.param(
            [BuildStep(1, "FROM x", True), *[BuildStep(i, "RUN true", True) for i in range(2, 10)]],
            (),
            id="keywords-disagree",
        ),
    ],
)
def test_match_steps(steps: list[BuildStep] | None, expected: tuple[BuildStep | None, ...]) -> None:
    assert match_steps(recorded().layers, steps) == expected


def write_record(path: Path, image_id: str, steps: list[BuildStep]) -> None:
    """A record as `dkr build --format json` prints it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "id": image_id,
        "tags": ["app:1"],
        "steps": [
            {"index": s.index, "instruction": s.instruction, "cached": s.cached, "seconds": 0.1}
            for s in steps
        ],
        "total_steps": len(steps),
        "cached_steps": sum(s.cached for s in steps),
        "first_miss": next((s.index for s in steps if not s.cached), None),
    }
    path.write_text(json.dumps(doc))


def test_last_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DKR_CACHE_DIR", str(tmp_path))
    assert last_build(IMAGE_ID) is None
    write_record(build_record_path(IMAGE_ID), IMAGE_ID, record(3))
    assert last_build(IMAGE_ID) == record(3)
    assert last_build("<missing>") is None
    write_record(build_record_path(IMAGE_ID), "sha256:" + "0" * 64, record(3))
    assert last_build(IMAGE_ID) is None  # a record of another image
    build_record_path(IMAGE_ID).write_text("{not json")
    assert last_build(IMAGE_ID) is None
    build_record_path(IMAGE_ID).write_text(json.dumps({"id": IMAGE_ID, "steps": [{"index": 1}]}))
    assert last_build(IMAGE_ID) is None


def draw(
    result: ImageLayers, fmt: FormatKind = "table", tty: bool = False, width: int | None = None
) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    render.use_streams(render.Streams(out, err, out_tty=tty, err_tty=tty, color=tty, width=width))
    try:
        render_layers(result, OutputFormat(fmt))
    finally:
        render.use_streams(None)
    return out.getvalue(), err.getvalue()


def test_table_piped() -> None:
    out, err = draw(recorded())
    lines = out.splitlines()
    assert lines[0].split() == ["#", "CREATED", "BY", "SIZE", "CUMULATIVE", "SHARE"]
    assert lines[7].split() == [
        "7",
        "COPY",
        "file:5c86e92281fa",
        "in",
        "/app/big",
        "1.5MB",
        "3.79MB",
        "36.7%",
    ]
    assert len(lines) == 13 and "\x1b[" not in out
    assert err == "app:1 (97e57c4173b3): 4.09MB in 12 layers; the biggest (#1, #7, #8) hold 93%\n"


def test_cache_column_with_a_record() -> None:
    base = recorded()
    result = ImageLayers(base.image, base.id, base.layers, match_steps(base.layers, record(3)))
    out, err = draw(result)
    lines = out.splitlines()
    assert lines[0].split()[-1] == "CACHE"
    assert [line.split()[-1] for line in lines[1:]] == ["base"] * 3 + ["cached"] * 3 + ["ran"] * 6
    assert err.endswith("; last dkr build: 3 of 9 steps from the cache\n")
    rows = json.loads(draw(result, "json")[0])["layers"]
    assert [(r["step"], r["cached"]) for r in rows[2:6]] == [(None, None), (1, True), (2, True), (3, True)]


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        pytest.param([1_980_000, 16, 2_000_000], [2, 0], id="tiny-layer-is-not-big"),
        pytest.param([0, 0], [], id="all-empty"),
        pytest.param([10, 10, 10, 10, 10], [0, 1, 2], id="ties-keep-order"),
    ],
)
def test_biggest(sizes: list[int], expected: list[int]) -> None:
    layers = tuple(Layer(f"sha256:{i}", 0, "", size) for i, size in enumerate(sizes))
    assert biggest(ImageLayers("x", "sha256:x", layers)) == expected


def test_biggest_layers_highlighted_on_a_terminal() -> None:
    # wide enough for the share bars: on a narrower terminal they are the first thing to go
    out, _ = draw(recorded(), tty=True, width=120)
    highlighted = [line for line in out.splitlines() if "\x1b[1;33m" in line or "\x1b[1m\x1b[33m" in line]
    assert len(highlighted) == 3, out
    assert len(out.splitlines()) == 2 + 12  # header, rule, one line per layer
    assert "█" in out


def test_json_contract() -> None:
    doc = json.loads(draw(recorded(), "json")[0])
    assert list(doc) == ["image", "id", "size", "layers"]
    assert list(doc["layers"][0]) == [
        "index",
        "id",
        "created",
        "created_by",
        "instruction",
        "size",
        "cumulative",
        "percent",
        "comment",
        "step",
        "cached",
    ]
    assert doc["layers"][-1]["created"].endswith("Z")


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEngine]:
    """The recorded history served by a fake Engine, and an empty dkr cache."""
    payload = json.loads((DATA / "history_classic.json").read_text())
    with FakeEngine(tmp_path / "engine.sock") as engine:
        missing = {"message": "No such image: nope:latest"}
        engine.route("GET", r"/images/[^/]+/history", lambda m, p, b: (404, missing))
        engine.route("GET", r"/images/app:1/history", lambda m, p, b: (200, payload))  # tried first
        monkeypatch.setenv("DOCKER_HOST", engine.url)
        monkeypatch.setenv("DKR_CACHE_DIR", str(tmp_path / "cache"))
        yield engine


def test_cli_one_history_request(fake: FakeEngine, tmp_path: Path) -> None:
    res = run_dkr("layers", "app:1")
    assert res.code == 0, res.err
    assert [r for r in fake.requests if "/history" in r] == ["GET /v1.41/images/app:1/history"]
    assert len(res.out.splitlines()) == 13
    write_record(tmp_path / "cache" / "builds" / f"{IMAGE_ID[7:]}.json", IMAGE_ID, record(3))
    res = run_dkr("layers", "app:1", "--format", "json")
    assert [row["cached"] for row in json.loads(res.out)["layers"]][2:6] == [None, True, True, True]


def test_cli_no_such_image(fake: FakeEngine) -> None:
    res = run_dkr("layers", "nope")
    assert_one_line_error(res, 1, "no such image: nope:latest", "build or pull it first")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        pytest.param(["img", "--format", "yaml"], "invalid --format 'yaml'", id="format"),
        pytest.param([], "missing argument 'IMAGE'", id="no-image"),
        pytest.param([""], "invalid image '': invalid reference format", id="empty-image"),
        pytest.param(["/"], "invalid image '/': invalid reference format", id="slash"),
    ],
)
def test_usage_errors_before_any_engine_call(fake: FakeEngine, args: list[str], needle: str) -> None:
    assert_one_line_error(run_dkr("layers", *args), 2, needle, "dkr layers --help")
    assert fake.requests == []


def test_cli_on_podman_names_the_image_not_its_top_history_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Podman 4.3's history (recorded) gives its top entry the id of the last image that changed files;
    `layers` shows the image's own id, from its inspect (a second request, on Podman only)."""
    history = json.loads((DATA / "podman_history.json").read_text())
    inspect = json.loads((DATA / "podman_image_inspect.json").read_text())
    assert history[0]["Id"] not in inspect["Id"]
    with FakeEngine(tmp_path / "engine.sock") as engine:
        engine.headers["Libpod-Api-Version"] = "4.3.1"
        engine.route("GET", r"/images/[^/]+/history", lambda m, p, b: (200, history))
        engine.route("GET", r"/images/[^/]+/json", lambda m, p, b: (200, inspect))
        monkeypatch.setenv("DOCKER_HOST", engine.url)
        monkeypatch.setenv("DKR_CACHE_DIR", str(tmp_path / "cache"))
        res = run_dkr("layers", "dkrrec-app:1", "--format", "json")
    assert res.code == 0, res.err
    doc = json.loads(res.out)
    assert doc["id"] == inspect["Id"]
    assert [row["id"] for row in doc["layers"]] == [entry["Id"] for entry in reversed(history)]
