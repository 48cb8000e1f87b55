"""`dkr build` on screen: live steps on stderr (rich on a terminal, one plain line per finished step when
piped), the cache summary, a failing step's last output, and the result (image id or JSON) on stdout."""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING

from dkr import render
from dkr.errors import BuildError
from dkr.grammars.units import human_size
from dkr.models.build import (
    BuildEvent,
    BuildFailed,
    BuildResult,
    BuildStep,
    BuildWarning,
    ContextReady,
    Progress,
    StepFinished,
    StepOutput,
    StepStarted,
)
from dkr.models.output import OutputFormat

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.live import Live

#: Lines of the running step's output shown in the live view.
LIVE_TAIL = 6


def step_line(step: BuildStep) -> str:
    """`step 4/7  ran 2.3s   RUN npm install` (plain, piped)."""
    width = len(f"{step.total}/{step.total}")
    status = "cached" if step.cached else f"ran {step.seconds:.1f}s"
    return f"step {f'{step.index}/{step.total}':>{width}}  {status:<11} {step.instruction}"


class BuildView:
    """Receives the core's build events and draws them on stderr."""

    def __init__(self, quiet: bool = False, progress: Progress = "auto") -> None:
        s = render.streams()
        self.quiet = quiet
        # tty: the live view (it needs a terminal); plain: a line per step and every output line as it comes
        self.live_mode = s.err_tty and not quiet and progress != "plain"
        self._console: Console | None = None
        self._live: Live | None = None
        self._running: StepStarted | None = None
        self._started = 0.0
        self._tail: deque[str] = deque(maxlen=LIVE_TAIL)

    def __enter__(self) -> BuildView:
        if self.live_mode:
            from rich.live import Live

            self._console = render.streams().console(stderr=True)
            self._live = Live(
                get_renderable=self._renderable,
                console=self._console,
                transient=True,
                refresh_per_second=8,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._live.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._live is not None:
            self._running = None
            self._live.stop()
            self._live = None
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt):
            render.note("build interrupted")
        if isinstance(exc, BuildError) and not self.quiet:
            # after the failing step's output, before cli.main's `dkr: error:` line (which stays last)
            render_hints(exc.hints)

    # -- events

    def on_event(self, event: BuildEvent) -> None:
        if isinstance(event, BuildFailed):
            self._running = None
            self._refresh()
            self._failed(event)
        elif self.quiet:
            return
        elif isinstance(event, ContextReady) and event.remote:
            self._print(f"the Engine fetches the build context from {event.root}", "dim")
        elif isinstance(event, ContextReady):
            files = f"{event.files} file{'s' if event.files != 1 else ''}"
            self._print(f"sending build context: {files}, {human_size(event.size)}", "dim")
        elif isinstance(event, StepStarted):
            self._running = event
            self._started = time.monotonic()
            self._tail.clear()
            self._refresh()
        elif isinstance(event, StepOutput):
            self._tail.append(event.line)
            if self._console is None:  # plain: the step's output as it comes, prefixed by its step
                render.note(f"  {event.index}| {event.line}")
        elif isinstance(event, StepFinished):
            self._running = None
            self._finished(event.step)
        elif isinstance(event, BuildWarning):
            if self._console is None:
                render.warning(event.message)
            else:
                self._print(f"dkr: warning: {event.message}", "yellow")

    def _refresh(self) -> None:
        # redraw now, not at the next tick: a line printed above the live region would otherwise be
        # followed by a frame of the step that just finished
        if self._live is not None:
            self._live.refresh()

    def _finished(self, step: BuildStep) -> None:
        self._refresh()
        if self._console is None:
            render.note(step_line(step))
            return
        from rich.text import Text

        width = len(f"{step.total}/{step.total}")
        line = Text(f"step {f'{step.index}/{step.total}':>{width}}  ")
        line.append(
            f"{'cached':<11}" if step.cached else f"{f'ran {step.seconds:.1f}s':<11}",
            style="green" if step.cached else "yellow",
        )
        line.append(" " + step.instruction)
        self._console.print(line, overflow="ellipsis", no_wrap=True)

    def _failed(self, event: BuildFailed) -> None:
        lines: list[str] = []
        if event.head:
            where = f"step {event.index}/{event.total} `{event.instruction}`"
            lines.append(f"{where}: its output ({event.left_out:,} lines in the middle left out)")
            lines.extend(f"  | {line}" for line in event.head)
            lines.append(f"  | … {event.left_out:,} lines …")
            lines.extend(f"  | {line}" for line in event.tail)
        elif event.tail:
            where = f"step {event.index}/{event.total} `{event.instruction}`"
            lines.append(f"{where}: its output")
            lines.extend(f"  | {line}" for line in event.tail)
        if event.exit_code is not None:
            lines.append(f"  {event.message}")
        for line in lines:
            self._print(line, None)

    def _print(self, text: str, style: str | None) -> None:
        if self._console is not None:
            from rich.text import Text

            self._console.print(Text(text, style=style or ""), overflow="fold")
        else:
            render.note(text)

    # -- the live region: the running step and its latest output

    def _renderable(self) -> RenderableType:
        from rich.console import Group
        from rich.spinner import Spinner
        from rich.text import Text

        running = self._running
        if running is None:
            return Text("")
        elapsed = time.monotonic() - self._started
        title = Text(f"step {running.index}/{running.total}  ")
        title.append(running.instruction, style="bold")
        title.append(f"  {elapsed:.1f}s", style="dim")
        parts: list[RenderableType] = [Spinner("dots", text=title)]
        for line in self._tail:
            parts.append(Text("    " + line, style="dim", no_wrap=True, overflow="ellipsis"))
        return Group(*parts)


def render_summary(result: BuildResult) -> None:
    """The end of a build, on stderr: the image, the cache in numbers, and where and why it broke."""
    total = len(result.steps)
    ran = total - result.cached_steps
    names = f" ({', '.join(result.tags)})" if result.tags else ""
    if ran == 0:
        counts = f"all {total} step{'s' if total != 1 else ''} came from the layer cache"
    else:
        counts = f"{total} steps, {result.cached_steps} from the layer cache, {ran} ran"
    render.note(f"built {result.id[:19]}{names} in {result.seconds:.1f}s: {counts}")
    if result.explanation is not None:
        from dkr.build.cache_report import summary_line  # only a build whose cache broke has a report

        render.note(summary_line(result.explanation))
    render_hints(result.hints)


def render_hints(hints: Sequence[str]) -> None:
    """The cache report's advice and dkr lint's cache findings (dkr.build.hints), one `hint:` line each, on
    stderr whatever --format says: stdout stays the id or the JSON."""
    for line in hints:
        render.hint(line)


def render_result(result: BuildResult, fmt: OutputFormat) -> None:
    """stdout: the image id alone (`IMG=$(dkr build .)`), or the contract's JSON object."""
    if fmt.json:
        render.result(json.dumps(result.to_json()))
    else:
        render.result(result.id)
