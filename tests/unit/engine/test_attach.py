"""The interactive session's plumbing on a socketpair: docker's frames read back whole however they are
split, stdin copied and half-closed at EOF, and the detach keys matched across reads as docker's escape
proxy matches them."""

from __future__ import annotations

import socket
import struct
import threading

from hypothesis import given
from hypothesis import strategies as st

from dkr.engine.attach import Session, _Escape, pump


def frame(stream: int, data: bytes) -> bytes:
    return struct.pack(">BxxxL", stream, len(data)) + data


@given(st.lists(st.tuples(st.sampled_from([1, 2]), st.binary(min_size=1, max_size=300)), max_size=8),
       st.integers(min_value=1, max_value=17))  # fmt: skip
def test_frames_are_read_whole_however_they_arrive(frames: list[tuple[int, bytes]], piece: int) -> None:
    ours, theirs = socket.socketpair()
    wire = b"".join(frame(s, d) for s, d in frames)

    def send() -> None:
        for i in range(0, len(wire), piece):
            theirs.sendall(wire[i : i + piece])
        theirs.close()

    threading.Thread(target=send).start()
    got = list(Session(ours, tty=False).output())
    assert got == frames
    ours.close()


def test_a_tty_session_is_raw_bytes() -> None:
    ours, theirs = socket.socketpair()
    theirs.sendall(b"\x1b[6n/ # ")
    theirs.close()
    assert b"".join(d for _, d in Session(ours, tty=True).output()) == b"\x1b[6n/ # "


def test_stdin_is_copied_then_half_closed() -> None:
    ours, theirs = socket.socketpair()
    chunks = iter([b"hello ", b"world", b""])
    pump(lambda: next(chunks), Session(ours, tty=False), b"")
    assert theirs.recv(100) == b"hello world"
    assert theirs.recv(100) == b""  # EOF: the container's stdin ends, the connection stays for output
    theirs.sendall(b"still readable")
    assert ours.recv(100) == b"still readable"


def test_detach_keys_across_reads() -> None:
    escape = _Escape(b"\x10\x11")
    assert escape.feed(b"ab\x10") == (b"ab", False)  # the start of the sequence is held back
    assert escape.feed(b"c") == (b"\x10c", False)  # broken: sent after all
    assert escape.feed(b"\x10") == (b"", False)
    assert escape.feed(b"\x11rest") == (b"", True)  # complete: nothing after it is sent


def test_detaching_closes_the_session() -> None:
    ours, theirs = socket.socketpair()
    session = Session(ours, tty=True)
    chunks = iter([b"ls\r", b"\x10\x11", b"never sent"])
    pump(lambda: next(chunks), session, b"\x10\x11")
    assert session.detached.is_set()
    assert theirs.recv(100) == b"ls\r"
    assert theirs.recv(100) == b""


@given(st.binary(max_size=50))
def test_without_keys_everything_goes_through(data: bytes) -> None:
    assert _Escape(b"").feed(data) == (data, False)
