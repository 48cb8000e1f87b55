"""The classic builder's stream turned into steps (dkr.engine.buildstream), on payloads recorded from Engine 20.10."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkr.engine.buildstream import (
    BuildFailed,
    BuildLog,
    BuildWarning,
    LineBuffer,
    StepFinished,
    StepOutput,
    StepStarted,
    clean_line,
)

DATA = Path(__file__).parents[1] / "data"


def recorded(name: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads((DATA / f"{name}.json").read_text())
    return items


def run(items: list[dict[str, Any]]) -> tuple[BuildLog, list[Any]]:
    ticks = itertools.count()
    log = BuildLog(clock=lambda: float(next(ticks)))
    events: list[Any] = []
    for item in items:
        events.extend(log.feed(item))
        if log.failure:
            break
    events.extend(log.close())
    return log, events


def test_rebuild_steps() -> None:
    log, events = run(recorded("build_tutorial_rebuild"))
    assert [(s.index, s.cached) for s in log.steps] == [
        (1, True), (2, True), (3, True), (4, True), (5, False), (6, False), (7, False), (8, False), (9, False)
    ]  # fmt: skip
    assert log.steps[4].instruction == "COPY . /app"
    assert log.steps[-1].instruction == "LABEL dkr.test.session=buildexp"  # --label steps come last
    assert log.total == 9
    assert log.image_id.startswith("sha256:") and len(log.image_id) == 71
    assert all(len(s.layer_id) == 12 for s in log.steps)
    assert log.running_container is None
    assert [type(e) for e in events].count(StepFinished) == 9


def test_first_build_keeps_run_output() -> None:
    log, events = run(recorded("build_tutorial_first"))
    install = log.steps[3]
    assert install.instruction.startswith("RUN ")
    assert not install.cached
    assert install.output == ("installing deps", "added 3 packages")
    assert install.output_lines == 2
    assert install.seconds > 0
    assert StepOutput(4, "added 3 packages") in events
    assert log.steps[0].cached  # a FROM whose image is present counts as cached


def test_run_failure() -> None:
    log, events = run(recorded("build_run_fails"))
    failure = events[-1]
    assert isinstance(failure, BuildFailed)
    assert (failure.index, failure.total, failure.exit_code) == (2, 4, 3)  # 2 --label steps follow
    assert failure.instruction == 'RUN echo compiling; echo "warning: x" >&2; exit 3'
    assert failure.tail == ("compiling", "warning: x")  # stderr's colour codes gone
    assert "returned a non-zero code: 3" in failure.message
    assert failure.last_layer == log.steps[0].layer_id
    assert log.failure is failure
    assert len(log.steps) == 1


def test_base_missing() -> None:
    _, events = run(recorded("build_base_missing"))
    failure = events[-1]
    assert isinstance(failure, BuildFailed)
    assert failure.instruction == "FROM nosuch-dkr-image:1"
    assert failure.exit_code is None
    assert "no such host" in failure.message


def test_pulled_base_is_not_cached() -> None:
    items = [
        {"stream": "Step 1/1 : FROM alpine"},
        {"stream": "\n"},
        {"status": "Pulling from library/alpine", "id": "latest"},
        {"status": "Downloading", "progressDetail": {"current": 1, "total": 2}, "id": "abc"},
        {"status": "Status: Downloaded newer image for alpine:latest"},
        {"stream": " ---> 0123456789ab\n"},
        {"aux": {"ID": "sha256:" + "0" * 64}},
    ]
    log, _ = run(items)
    assert not log.steps[0].cached
    assert log.steps[0].output == (
        "latest: Pulling from library/alpine",
        "Status: Downloaded newer image for alpine:latest",
    )


def test_container_lines_are_output_even_when_they_look_like_the_builders() -> None:
    items = [
        {"stream": "Step 1/2 : FROM base\n ---> 0123456789ab\nStep 2/2 : RUN x\n"},
        {"stream": " ---> Running in aaaaaaaaaaaa\n"},
        {
            "stream": "Step 9/9 : FAKE\n ---> bbbbbbbbbbbb\n ---> Using cache\nSuccessfully built cccccccccccc\n"
        },
        {"stream": "Removing intermediate container aaaaaaaaaaaa\n ---> dddddddddddd\n"},
    ]
    log, _ = run(items)
    assert [s.index for s in log.steps] == [1, 2]
    assert log.steps[1].output == (
        "Step 9/9 : FAKE",
        " ---> bbbbbbbbbbbb",
        " ---> Using cache",
        "Successfully built cccccccccccc",
    )
    assert log.steps[1].layer_id == "dddddddddddd"
    assert not log.steps[1].cached


def test_running_container_is_tracked_until_removed() -> None:
    log = BuildLog()
    log.feed({"stream": "Step 1/1 : RUN sleep 9\n ---> Running in 0123456789ab\n"})
    assert log.running_container == "0123456789ab"
    log.feed({"stream": "Removing intermediate container 0123456789ab\n"})
    assert log.running_container is None


def test_warnings() -> None:
    log, events = run(
        [
            {"stream": "Step 1/1 : FROM base\n ---> 0123456789ab\n"},
            {"aux": {"ID": "sha256:" + "1" * 64}},
            {"stream": "[Warning] One or more build-args [Y] were not consumed\n"},
        ]
    )
    assert BuildWarning("One or more build-args [Y] were not consumed") in events
    assert log.warnings == ["One or more build-args [Y] were not consumed"]


def test_error_body_without_stream() -> None:
    _, events = run([{"message": "something broke"}])
    assert isinstance(events[-1], BuildFailed)
    assert events[-1].index == 0


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        pytest.param("\x1b[91mred\x1b[0m", "red", id="colour"),
        pytest.param("10%\r50%\r100%", "100%", id="progress-redraw"),
        pytest.param("done\r", "done", id="trailing-cr"),
        pytest.param("plain", "plain", id="plain"),
    ],
)
def test_clean_line(line: str, shown: str) -> None:
    assert clean_line(line) == shown


STREAM = (
    "Step 1/3 : FROM base\n ---> 0123456789ab\nStep 2/3 : RUN make\n ---> Running in aaaaaaaaaaaa\n"
    "building \u00e9l\u00e8ve\nok\nRemoving intermediate container aaaaaaaaaaaa\n ---> bbbbbbbbbbbb\n"
    "Step 3/3 : COPY . /app\n ---> cccccccccccc\nSuccessfully built cccccccccccc\n"
)


@given(st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=30))
def test_any_fragmentation_gives_the_same_steps(cuts: list[int]) -> None:
    """`Step N/M` may arrive in two pieces, output lines in many: the result must not depend on it."""
    bounds = [0, *sorted(cuts), len(STREAM)]
    fragments = [STREAM[a:b] for a, b in itertools.pairwise(bounds)]
    log, events = run([{"stream": f} for f in fragments])
    assert [(s.index, s.instruction, s.cached, s.layer_id) for s in log.steps] == [
        (1, "FROM base", True, "0123456789ab"),
        (2, "RUN make", False, "bbbbbbbbbbbb"),
        (3, "COPY . /app", False, "cccccccccccc"),
    ]
    assert log.steps[1].output == ("building \u00e9l\u00e8ve", "ok")
    assert [e.index for e in events if isinstance(e, StepStarted)] == [1, 2, 3]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200), st.data())
def test_line_buffer_joins_fragments(text: str, data: st.DataObject) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(min_value=0, max_value=len(text)), max_size=10)))
    buf = LineBuffer()
    lines: list[str] = []
    for a, b in itertools.pairwise([0, *cuts, len(text)]):
        lines.extend(buf.feed(text[a:b]))
    lines.extend(buf.close())
    expected = [p.removesuffix("\r") for p in text.split("\n")]
    if expected and expected[-1] == "":
        expected.pop()
    assert lines == expected


def test_a_long_failed_step_keeps_its_head_and_tail() -> None:
    """A failed RUN's output in order: whole up to FAILURE_WHOLE lines, else head, count left out, tail."""
    items: list[dict[str, Any]] = [
        {"stream": "Step 1/1 : RUN make\n"},
        {"stream": " ---> Running in " + "a" * 12 + "\n"},
    ]
    items += [{"stream": f"line {i}\n"} for i in range(500)]
    items.append(
        {"error": "The command '/bin/sh -c make' returned a non-zero code: 2", "errorDetail": {"code": 2}}
    )
    log, _events = run(items)
    failure = log.failure
    assert failure is not None
    assert failure.head == tuple(f"line {i}" for i in range(20))
    assert failure.tail == tuple(f"line {i}" for i in range(460, 500))
    assert failure.left_out == 440


def test_a_short_failed_step_keeps_all_its_output() -> None:
    items: list[dict[str, Any]] = [
        {"stream": "Step 1/1 : RUN make\n"},
        {"stream": " ---> Running in " + "a" * 12 + "\n"},
    ]
    items += [{"stream": f"line {i}\n"} for i in range(60)]
    items.append(
        {"error": "The command '/bin/sh -c make' returned a non-zero code: 2", "errorDetail": {"code": 2}}
    )
    log, _events = run(items)
    assert log.failure is not None
    assert (log.failure.head, log.failure.left_out) == ((), 0)
    assert log.failure.tail == tuple(f"line {i}" for i in range(60))


def test_from_scratch_has_no_output() -> None:
    """Recorded from Engine 20.10: `FROM scratch` answers with a layer line that names no layer."""
    items = [
        {"stream": "Step 1/2 : FROM scratch"}, {"stream": "\n"}, {"stream": " ---> \n"},
        {"stream": "Step 2/2 : LABEL a=b"}, {"stream": "\n"}, {"stream": " ---> Running in 0123456789ab\n"},
        {"stream": "Removing intermediate container 0123456789ab\n"}, {"stream": " ---> 13ebd6fb0fc6\n"},
        {"aux": {"ID": "sha256:" + "1" * 64}}, {"stream": "Successfully built 13ebd6fb0fc6\n"},
    ]  # fmt: skip
    log, events = run(items)
    assert [e for e in events if isinstance(e, StepOutput)] == []
    assert log.steps[0].output == ()


# --- Podman 4.3's builder (buildah), recorded by tests/unit/data/record_podman.py ----------------------------


def test_podman_first_build() -> None:
    log, events = run(recorded("podman_build_first"))
    assert [(s.index, s.keyword, s.cached) for s in log.steps] == [
        (1, "FROM", True), (2, "WORKDIR", False), (3, "COPY", False), (4, "RUN", False), (5, "COPY", False),
        (6, "EXPOSE", False), (7, "CMD", False), (8, "LABEL", False),
    ]  # fmt: skip
    install = log.steps[3]
    assert install.instruction == 'RUN echo "installing"; echo "a warning" >&2; cat deps.txt > /app/installed'
    assert sorted(install.output) == ["a warning", "installing"]  # Podman sends stderr and stdout apart
    assert all(s.output == () for s in log.steps if s.keyword != "RUN")  # no COMMIT, no bare id
    assert all(len(s.layer_id) == 11 for s in log.steps[1:])
    assert log.image_id.startswith("sha256:") and len(log.image_id) == 71
    assert [type(e) for e in events].count(StepFinished) == 8


def test_podman_rebuild_after_one_file_changed() -> None:
    log, _ = run(recorded("podman_build_rebuild"))
    assert [(s.index, s.cached) for s in log.steps] == [
        (1, True), (2, True), (3, True), (4, True), (5, False), (6, False), (7, False), (8, False)
    ]  # fmt: skip
    assert all(len(s.layer_id) == 64 for s in log.steps[1:4])  # `--> Using cache <full id>` kept whole
    assert log.steps[4].instruction == "COPY . /app"
    assert log.total == 8


def test_podman_run_failure() -> None:
    log, events = run(recorded("podman_build_run_fails"))
    failure = events[-1]
    assert isinstance(failure, BuildFailed)
    assert (failure.index, failure.total, failure.exit_code) == (2, 3, 3)
    assert failure.instruction == "RUN echo 'compiling'; echo 'error: missing thing' >&2; exit 3"
    assert set(failure.tail) == {"compiling", "error: missing thing"}
    assert "exit status 3" in failure.message
    assert len(log.steps) == 1
