"""Pull and push progress on stderr, and their results on stdout.

On a terminal: one live row per layer (its state and a bar while bytes move), the lines about the whole image
above them. Piped (a CI log) or with `--progress plain`: one line per layer state as docker prints without a
terminal ("3f4d90098f5b: Pull complete"), never the byte counts, each state once.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING

from dkr import render
from dkr.models.transfer import Pulled, Pushed, TransferEvent

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


class TransferView:
    """Receives a pull's or push's events (`on_event`) and draws them on stderr."""

    def __init__(self, quiet: bool = False, live: bool | None = None) -> None:
        self.quiet = quiet
        self.live = render.streams().err_tty if live is None else live
        self._seen: set[tuple[str, str]] = set()
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._totals: dict[str, int] = {}

    def __enter__(self) -> TransferView:
        if self.live and not self.quiet:
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

            self._progress = Progress(
                TextColumn("{task.fields[layer]}"),
                TextColumn("{task.description:<18}"),
                BarColumn(bar_width=30),
                DownloadColumn(),
                console=render.streams().console(stderr=True),
                transient=False,
                refresh_per_second=8,
            )
            self._progress.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def on_event(self, event: TransferEvent) -> None:
        if self.quiet:
            return
        if self._progress is None:
            self._plain(event)
        elif not event.layer or event.status.startswith("Pulling from"):
            self._progress.console.print(_line(event), highlight=False, markup=False)
        else:
            self._row(self._progress, event)

    def _plain(self, event: TransferEvent) -> None:
        if event.is_tick:
            return
        key = (event.layer, event.status)
        if key in self._seen:
            return
        self._seen.add(key)
        render.note(_line(event))

    def _row(self, progress: Progress, event: TransferEvent) -> None:
        task = self._tasks.get(event.layer)
        if task is None:
            task = self._tasks[event.layer] = progress.add_task(event.status, layer=event.layer, total=None)
        if event.is_tick:
            self._totals[event.layer] = event.total or 0
            progress.update(task, description=event.status, completed=event.current, total=event.total)
        elif event.status in _DONE:
            total = self._totals.get(event.layer) or 1  # a full bar, also for a layer that never moved here
            progress.update(task, description=event.status, completed=total, total=total)
        else:
            progress.update(task, description=event.status)


#: the layer states after which nothing more moves for that layer
_DONE = frozenset({"Pull complete", "Already exists", "Pushed", "Layer already exists", "Download complete"})


def _line(event: TransferEvent) -> str:
    return f"{event.layer}: {event.status}" if event.layer else event.status


def pulled(result: Pulled) -> None:
    """stdout: the pulled reference, as docker prints it last (a script reads it; -q prints only this)."""
    render.result(result.ref)


def pushed(results: Sequence[Pushed], all_tags: bool) -> None:
    """stdout: the pushed digest; with --all-tags one `NAME:TAG@DIGEST` per tag (a digest alone would not
    say which tag it belongs to). The Engine's own `TAG: digest: … size: …` line went to stderr with the
    progress."""
    render.results(f"{item.ref}@{item.digest}" if all_tags else item.digest for item in results)
