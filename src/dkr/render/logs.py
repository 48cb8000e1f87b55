"""Container output: each batch written as it arrives, stdout's bytes to stdout and stderr's to stderr."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from dkr import render


def _write(stream: TextIO, data: bytes) -> None:
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        buffer.write(data)  # the container's bytes as they are, whatever their encoding
    else:  # a text-only stream (tests capture into StringIO)
        stream.write(data.decode(errors="replace"))


def write_output(batches: Iterable[list[tuple[int, bytes]]]) -> None:
    """Copy (stream, bytes) batches to stdout (1) and stderr (2), flushing after each batch so that
    `-f` is live and the two streams interleave as the container wrote them."""
    s = render.streams()
    s.out.flush()
    s.err.flush()
    for batch in batches:
        for kind, data in batch:
            _write(s.err if kind == 2 else s.out, data)
        for stream in (s.out, s.err):
            buffer = getattr(stream, "buffer", None)
            (buffer or stream).flush()
