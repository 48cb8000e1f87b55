"""Pure: the classic builder's JSON stream turned into steps and events (dkr.models.build). Part of the Engine
boundary because it reads the Engine's own words (`Step N/M`, `returned a non-zero code: N`).

The Engine streams `{"stream": ...}` fragments that are not lines (`Step 4/7 : RUN x` arrives without its
newline, which follows in the next fragment; long output is cut anywhere), `{"status": ...}` pull progress,
`{"aux": {"ID": ...}}` with the image id, and `{"error": ..., "errorDetail": ...}` when the build fails, after
the HTTP status (200) has long been sent. The builder echoes each step as `Step N/M : INSTRUCTION`, then
` ---> Using cache` for a cached layer, ` ---> Running in <container>` for a step that runs a container, and
` ---> <layer id>` when the step is done; everything else is the step's own output.

Podman's builder (buildah, behind its Docker-compatible API) words it differently: `STEP N/M: INSTRUCTION`,
`--> Using cache <full id>` for a cached step, `--> <11-character id>` when a step is done, `COMMIT <name>`
before the last step's layer, the image's full id alone on a line at the end, and no `Running in` line: a
RUN's output simply follows its STEP line. A failed RUN ends with `…: while running runtime: exit status N`.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dkr.models.build import (
    BuildEvent,
    BuildFailed,
    BuildStep,
    BuildWarning,
    StepFinished,
    StepOutput,
    StepStarted,
)

#: Output lines kept per step (the count of all of them is kept too).
OUTPUT_KEPT = 200
#: A failed step's output is shown whole up to FAILURE_WHOLE lines; past that, its first FAILURE_HEAD and last
#: FAILURE_TAIL lines, with the count of the lines left out between them.
FAILURE_WHOLE = 60
FAILURE_HEAD = 20
FAILURE_TAIL = 40

_STEP = re.compile(r"^(?:Step|STEP) (\d+)/(\d+) ?: ?(.*)$")  # Docker's `Step 1/2 : X`, Podman's `STEP 1/2: X`
_LAYER = re.compile(r"^ ---> ([0-9a-f]{12,64})$")
_PODMAN_LAYER = re.compile(r"^--> ([0-9a-f]{11,64})$")
_PODMAN_CACHED = re.compile(r"^--> Using cache ([0-9a-f]{64})$")
_PODMAN_COMMIT = re.compile(r"^COMMIT ?\S*$")
_FULL_ID = re.compile(r"^[0-9a-f]{64}$")
_RUNNING = re.compile(r"^ ---> Running in ([0-9a-f]{12,64})$")
_REMOVING = re.compile(r"^Removing intermediate container ([0-9a-f]{12,64})$")
_DONE = re.compile(r"^Successfully (built [0-9a-f]{12,64}|tagged \S+)$")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_EXIT = re.compile(r"returned a non-zero code: (\d+)|while running runtime: exit status (\d+)")


class LineBuffer:
    """Whole lines out of arbitrary text fragments."""

    def __init__(self) -> None:
        self._partial = ""

    def feed(self, text: str) -> list[str]:
        if not text:
            return []
        pieces = (self._partial + text).split("\n")
        self._partial = pieces.pop()
        return [p.removesuffix("\r") for p in pieces]

    def close(self) -> list[str]:
        rest, self._partial = self._partial.removesuffix("\r"), ""
        return [rest] if rest else []


def clean_line(line: str) -> str:
    """What a terminal would show: no colour codes (the builder wraps a RUN's stderr in red), and of a line
    redrawn with carriage returns (progress bars) only its last drawing."""
    line = _ANSI.sub("", line)
    if "\r" in line:
        line = next((part for part in reversed(line.split("\r")) if part), "")
    return line


@dataclass
class _Running:
    index: int
    total: int
    instruction: str
    started: float
    ended: float | None = None
    cached: bool = False
    pulled: bool = False
    layer: str = ""
    output: deque[str] = field(default_factory=lambda: deque(maxlen=OUTPUT_KEPT))
    head: list[str] = field(default_factory=list)
    lines: int = 0

    def add(self, line: str) -> None:
        self.output.append(line)
        if len(self.head) < FAILURE_HEAD:
            self.head.append(line)
        self.lines += 1

    @property
    def keyword(self) -> str:
        return self.instruction.split(None, 1)[0].upper() if self.instruction.strip() else ""


class BuildLog:
    """Feed it the decoded stream items; it returns the events each one produced, and keeps the steps."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lines = LineBuffer()
        self._current: _Running | None = None
        self.steps: list[BuildStep] = []
        self.total = 0
        self.image_id = ""
        self.warnings: list[str] = []
        self.failure: BuildFailed | None = None
        #: the stream is Podman's (`STEP N/M: …`)
        self._podman = False
        #: the container a RUN step is running in right now (to remove it if the build is interrupted)
        self.running_container: str | None = None

    # -- input

    def feed(self, item: Mapping[str, Any]) -> list[BuildEvent]:
        events: list[BuildEvent] = []
        if not isinstance(item, Mapping):
            return events
        if "error" in item or "errorDetail" in item:
            self._lines_to_events(self._lines.close(), events)
            detail = item.get("errorDetail") or {}
            message = str(detail.get("message") or item.get("error") or "unknown error").strip()
            code = detail.get("code") if isinstance(detail.get("code"), int) else None
            events.append(self._fail(message, code))
            return events
        text = item.get("stream")
        if isinstance(text, str):
            self._lines_to_events(self._lines.feed(text), events)
        status = item.get("status")
        if isinstance(status, str) and not item.get("progressDetail"):
            self._status(status, str(item.get("id") or ""), events)
        aux = item.get("aux")
        if isinstance(aux, Mapping) and isinstance(aux.get("ID"), str):
            self.image_id = aux["ID"]
        if set(item) == {"message"}:  # an error body where a stream was expected
            events.append(self._fail(str(item["message"]).strip(), None))
        return events

    def close(self) -> list[BuildEvent]:
        """The stream ended: flush the last partial line and finish the last step."""
        events: list[BuildEvent] = []
        self._lines_to_events(self._lines.close(), events)
        if self.failure is None:
            self._finish(events)
        return events

    # -- lines

    def _lines_to_events(self, lines: list[str], events: list[BuildEvent]) -> None:
        for raw in lines:
            self._line(clean_line(raw), events)

    def _line(self, line: str, events: list[BuildEvent]) -> None:
        cur = self._current
        running = _RUNNING.match(line)
        if running:
            self.running_container = running.group(1)
            return
        if self.running_container is not None:
            # While a step's container runs, everything is its output, even a line that looks like the
            # builder's own: only the builder's "Removing intermediate container" ends that.
            removing = _REMOVING.match(line)
            if removing and self.running_container.startswith(removing.group(1)):
                self.running_container = None
                return
        else:
            step = _STEP.match(line)
            if step:
                self._finish(events)
                index, total, instruction = int(step.group(1)), int(step.group(2)), step.group(3).strip()
                self.total = max(self.total, total)
                self._podman = line.startswith("STEP ")
                self._current = _Running(index, total, instruction, self._clock())
                events.append(StepStarted(index, total, instruction))
                return
            if line == " ---> Using cache":
                if cur:
                    cur.cached = True
                return
            cached = _PODMAN_CACHED.match(line) if self._podman else None
            if cached:
                if cur:
                    cur.cached, cur.layer = True, cached.group(1)
                return
            if self._podman and (_PODMAN_COMMIT.match(line) or _FULL_ID.match(line)):
                return  # Podman's own words: the commit of the last step, the image id at the end
            if line.strip() == "--->":
                return  # `FROM scratch`: the builder's layer line with no layer to name
            layer = (_PODMAN_LAYER if self._podman else _LAYER).match(line)
            if layer:
                if cur:
                    # Podman names a cached layer in full, then again by 11 characters: keep the full id
                    if not cur.layer.startswith(layer.group(1)):
                        cur.layer = layer.group(1)
                    cur.ended = self._clock()
                return
            if _DONE.match(line):
                self._finish(events)
                return
            warning = line.removeprefix(" ---> ")
            if warning.startswith("[Warning]"):
                message = warning.removeprefix("[Warning]").strip()
                self.warnings.append(message)
                events.append(BuildWarning(message))
                return
        if cur:
            cur.add(line)
            events.append(StepOutput(cur.index, line))

    def _status(self, status: str, ident: str, events: list[BuildEvent]) -> None:
        cur = self._current
        if cur is None:
            return
        if "Pulling from" in status or "Downloaded newer image" in status:
            cur.pulled = True
        line = f"{ident}: {status}" if ident and not status.startswith(("Digest:", "Status:")) else status
        cur.add(line)
        events.append(StepOutput(cur.index, line))

    # -- steps

    def _finish(self, events: list[BuildEvent]) -> None:
        cur, self._current = self._current, None
        if cur is None:
            return
        ended = cur.ended if cur.ended is not None else self._clock()
        cached = cur.cached or (cur.keyword == "FROM" and not cur.pulled)
        step = BuildStep(
            index=cur.index,
            total=cur.total,
            instruction=cur.instruction,
            cached=cached,
            seconds=max(0.0, ended - cur.started),
            layer_id=cur.layer,
            output=tuple(cur.output),
            output_lines=cur.lines,
        )
        self.steps.append(step)
        events.append(StepFinished(step))

    def _fail(self, message: str, code: int | None) -> BuildFailed:
        cur, self._current = self._current, None
        exit_code = None
        if cur is not None and cur.keyword == "RUN":
            found = _EXIT.search(message)
            exit_code = code if code is not None else int(found.group(1) or found.group(2)) if found else None
        last_layer = next((s.layer_id for s in reversed(self.steps) if s.layer_id), "")
        failure = BuildFailed(
            index=cur.index if cur else 0,
            total=cur.total if cur else self.total,
            instruction=cur.instruction if cur else "",
            message=message,
            **_failed_output(cur),
            exit_code=exit_code,
            last_layer=last_layer,
        )
        self.failure = failure
        return failure


def _failed_output(cur: _Running | None) -> dict[str, Any]:
    """The failed step's output for the error: whole, in order, when it is short; else its head and tail
    and how many lines lie between them."""
    if cur is None:
        return {}
    if cur.lines <= FAILURE_WHOLE:
        return {"tail": tuple(cur.output)}
    return {
        "head": tuple(cur.head),
        "tail": tuple(cur.output)[-FAILURE_TAIL:],
        "left_out": cur.lines - FAILURE_HEAD - FAILURE_TAIL,
    }
