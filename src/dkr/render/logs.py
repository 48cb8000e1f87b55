"""A container's own output (logs, a foreground run): its stdout's bytes to dkr's stdout and its stderr's to
dkr's stderr, as they arrive."""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, TextIO

from dkr import render

if TYPE_CHECKING:
    from dkr.engine.fanout import LogEvent


class ContainerOutput:
    """Writes the container's stdout (1) to dkr's stdout and its stderr (2) to dkr's stderr. Bytes go to the
    stream's binary buffer when there is one (the container's bytes as they are, whatever their encoding);
    a text-only stream (tests capture into StringIO) gets them decoded incrementally, so a character split
    across two frames stays whole."""

    def __init__(self) -> None:
        self._decoders = {n: codecs.getincrementaldecoder("utf-8")("replace") for n in (1, 2)}

    @staticmethod
    def _target(stream: int) -> TextIO:
        s = render.streams()
        return s.err if stream == 2 else s.out

    def write(self, stream: int, data: bytes) -> None:
        target = self._target(stream)
        buffer = getattr(target, "buffer", None)
        if buffer is not None:
            target.flush()  # whatever dkr itself wrote there first
            buffer.write(data)
        else:
            target.write(self._decoders[stream].decode(data))

    def flush(self, *streams: int) -> None:
        for stream in streams or (1, 2):
            target = self._target(stream)
            buffer = getattr(target, "buffer", None)
            (buffer or target).flush()

    def __call__(self, stream: int, data: bytes) -> None:
        """One frame, written and flushed (a foreground run is live)."""
        self.write(stream, data)
        self.flush(stream)


def write_output(batches: Iterable[list[tuple[int, bytes]]]) -> None:
    """Copy (stream, bytes) batches to stdout and stderr, flushing after each batch so that `-f` is live
    and the two streams interleave as the container wrote them."""
    output = ContainerOutput()
    output.flush()
    for batch in batches:
        # consecutive frames of one stream written at once (a fast writer's lines come hundreds at a time)
        kind, run = 0, bytearray()
        for stream, data in batch:
            if stream != kind and run:
                output.write(kind, bytes(run))
                run.clear()
            kind = stream
            run += data
        if run:
            output.write(kind, bytes(run))
        output.flush()


def write_prefixed(events: Iterable[LogEvent], urls: Mapping[str, str]) -> int:
    """Several Engines' output of one container as it arrives, line by line, each prefixed with its Engine
    (stdout to stdout, stderr to stderr); an Engine whose stream broke is one error line. Returns how many
    broke."""
    from dkr.render.fanout import Prefixer, failure_line

    output = ContainerOutput()
    output.flush()
    prefixer = Prefixer(urls)
    broken = 0
    for name, event in events:
        if isinstance(event, list):
            for stream, data in event:
                lines = prefixer.feed(name, stream, data)
                if lines:
                    output.write(stream, lines)
        else:
            for stream, rest in prefixer.end(name):
                output.write(stream, rest)
            if event is not None:
                broken += 1
                output.flush()
                render.error(failure_line(name, urls.get(name, ""), event))
        output.flush()
    return broken
