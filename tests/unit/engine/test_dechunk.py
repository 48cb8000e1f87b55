"""HTTP/1.1 chunked bodies decoded from bytes however they arrive (dkr.engine.sdk._Dechunker), and the
log stream read through it against the fake Engine."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dkr.engine.sdk import _Dechunker


def chunked(pieces: list[bytes], extension: bool = False) -> bytes:
    ext = b";name=value" if extension else b""
    return b"".join(b"%x%s\r\n%s\r\n" % (len(p), ext, p) for p in pieces if p) + b"0\r\n\r\n"


@given(
    st.lists(st.binary(min_size=1, max_size=70), max_size=12),
    st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=30),
    st.booleans(),
)
def test_any_split_gives_the_body(pieces: list[bytes], cuts: list[int], extension: bool) -> None:
    wire = chunked(pieces, extension)
    dechunk = _Dechunker()
    out, at = b"", 0
    for n in cuts * (len(wire) // max(1, sum(cuts)) + 1):
        if at >= len(wire):
            break
        out += dechunk.feed(wire[at : at + n])
        at += n
    out += dechunk.feed(wire[at:])
    assert out == b"".join(pieces)
    assert dechunk.done


def test_nothing_after_the_last_chunk_is_body() -> None:
    dechunk = _Dechunker()
    assert dechunk.feed(b"3\r\nabc\r\n0\r\n\r\ngarbage") == b"abc"
    assert dechunk.done and dechunk.feed(b"more") == b""


def test_an_unfinished_body_is_not_done() -> None:
    dechunk = _Dechunker()
    assert dechunk.feed(b"5\r\nab") == b"ab"
    assert not dechunk.done
