"""The Engine's multiplexed log stream split into stdout and stderr, and written out byte for byte."""

from __future__ import annotations

import io
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkr.engine.containers import Demuxer
from dkr.errors import EngineError
from dkr.render import Streams, use_streams
from dkr.render.logs import write_output


def frame(kind: int, payload: bytes) -> bytes:
    return struct.pack(">BxxxL", kind, len(payload)) + payload


@given(
    st.lists(st.tuples(st.sampled_from([0, 1, 2]), st.binary(min_size=1, max_size=50)), max_size=20),
    st.lists(st.integers(1, 40), min_size=1, max_size=10),
)
def test_frames_survive_any_split(frames: list[tuple[int, bytes]], cuts: list[int]) -> None:
    data = b"".join(frame(k, p) for k, p in frames)
    demux = Demuxer()
    out = []
    pos = 0
    for size in cuts * (len(data) // sum(cuts) + 1):
        out.extend(demux.feed(data[pos : pos + size]))
        pos += size
        if pos >= len(data):
            break
    assert out == [(2 if k == 2 else 1, p) for k, p in frames]


def test_empty_frames_are_dropped() -> None:
    assert Demuxer().feed(frame(1, b"") + frame(2, b"x")) == [(2, b"x")]


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        pytest.param(frame(3, b"Error grabbing logs: boom\n"), "boom", id="system-error"),
        pytest.param(frame(7, b"x"), "unrecognized stream 7", id="unknown-stream"),
    ],
)
def test_bad_frames(data: bytes, needle: str) -> None:
    demux = Demuxer()
    assert demux.feed(frame(1, b"before\n") + data + frame(1, b"after\n")) == [(1, b"before\n")]
    assert isinstance(demux.error, EngineError)
    assert needle in str(demux.error)
    assert demux.feed(frame(1, b"more\n")) == []  # nothing after an error


def test_write_output_keeps_bytes_and_streams() -> None:
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8")
    err = io.TextIOWrapper(err_bytes, encoding="utf-8")
    use_streams(Streams(out, err, out_tty=False, err_tty=False, color=False))
    try:
        write_output(iter([[(1, b"a\xff\n"), (2, b"e1\n")], [(1, b"b\n")]]))
    finally:
        use_streams(None)
    assert out_bytes.getvalue() == b"a\xff\nb\n"
    assert err_bytes.getvalue() == b"e1\n"


def test_write_output_to_text_streams() -> None:
    out, err = io.StringIO(), io.StringIO()
    use_streams(Streams(out, err, out_tty=False, err_tty=False, color=False))
    try:
        write_output(iter([[(1, "é\n".encode()), (2, b"\xff\n")]]))
    finally:
        use_streams(None)
    assert out.getvalue() == "é\n"
    assert err.getvalue() == "\ufffd\n"
