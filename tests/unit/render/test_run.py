"""dkr run's renderer: pull progress as plain lines, the container's bytes to the right stream."""

from __future__ import annotations

import io
import json
from pathlib import Path

from dkr import render
from dkr.engine.registry import event_from_api
from dkr.render.logs import ContainerOutput
from dkr.render.run import pull_progress

DATA = Path(__file__).parents[1] / "data"


def streams(out: io.TextIOBase, err: io.TextIOBase) -> render.Streams:
    return render.Streams(out, err, out_tty=False, err_tty=False, color=False)  # type: ignore[arg-type]


def test_pull_progress_is_a_line_per_layer_state_without_ticks() -> None:
    out, err = io.StringIO(), io.StringIO()
    render.use_streams(streams(out, err))
    try:
        show = pull_progress()
        for event in json.loads((DATA / "pull_events.json").read_text()):
            show(event_from_api(event))
    finally:
        render.use_streams(None)
    assert out.getvalue() == ""
    assert err.getvalue().splitlines() == [
        "Unable to find image 'busybox:latest' locally",
        "latest: Pulling from library/busybox",
        "3f4d90098f5b: Pulling fs layer",
        "3f4d90098f5b: Waiting",
        "3f4d90098f5b: Verifying Checksum",
        "3f4d90098f5b: Download complete",
        "3f4d90098f5b: Pull complete",
        "Digest: sha256:5cd3db04b8be5773388576a83177aff4f40a03457a63855f4b9cbe30542b9a43",
        "Status: Downloaded newer image for busybox:latest",
    ]


def test_container_output_keeps_a_character_split_across_frames() -> None:
    out, err = io.StringIO(), io.StringIO()
    render.use_streams(streams(out, err))
    try:
        sink = ContainerOutput()
        data = "héllo wörld\n".encode()
        sink(1, data[:2])
        sink(2, b"warn\n")
        sink(1, data[2:])
    finally:
        render.use_streams(None)
    assert out.getvalue() == "héllo wörld\n"
    assert err.getvalue() == "warn\n"


def test_container_output_writes_bytes_untouched_to_a_binary_stream() -> None:
    raw_out, raw_err = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(raw_out, encoding="utf-8")
    err = io.TextIOWrapper(raw_err, encoding="utf-8")
    render.use_streams(streams(out, err))
    try:
        sink = ContainerOutput()
        sink(1, b"\xff\x00binary")
        sink(2, b"e\n")
    finally:
        render.use_streams(None)
    assert raw_out.getvalue() == b"\xff\x00binary"
    assert raw_err.getvalue() == b"e\n"
