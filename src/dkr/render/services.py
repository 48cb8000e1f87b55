"""`dkr service`'s output: ls and ps as docker prints them, the live view of a wait (a table of tasks on a
terminal, a line per change piped), the note on what a Swarm published port means, and the merged logs with
docker's task prefix."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from dkr import render
from dkr.convergence import Progress, TaskLine
from dkr.fields.services import (
    SERVICE_HEADERS,
    log_prefix,
    parse_log_details,
    service_fields,
    sorted_services,
)
from dkr.fields.swarm import TASK_HEADERS, TASK_TABLE, task_rows
from dkr.models.output import OutputFormat
from dkr.models.services import Service
from dkr.models.swarm import Node, SwarmPort, Task, TaskList
from dkr.render.listing import render_listing
from dkr.render.logs import ContainerOutput
from dkr.render.tables import Fit

if TYPE_CHECKING:
    from rich.live import Live

SERVICE_FITS = {
    "ID": Fit(6), "Name": Fit(5), "Mode": Fit(1, "cut", min_width=6), "Replicas": Fit(4),
    "Image": Fit(2, "cut", min_width=8), "Ports": Fit(3),
}  # fmt: skip
TASK_FITS = {
    "ID": Fit(8), "Name": Fit(7), "Image": Fit(2, "cut", min_width=8), "Node": Fit(6),
    "DesiredState": Fit(1, "cut", min_width=7), "CurrentState": Fit(5), "Error": Fit(3, "cut", min_width=8),
    "Ports": Fit(4),
}  # fmt: skip


def render_services(services: Sequence[Service], fmt: OutputFormat, quiet: bool) -> None:
    """`docker service ls`: sorted by name; -q the ids alone."""
    ordered = sorted_services(services)
    if quiet:
        render.results(s.id for s in ordered)
        return
    rows = [(service_fields(s), s.labels) for s in ordered]
    columns = ("ID", "Name", "Mode", "Replicas", "Image", "Ports")
    render_listing(rows, fmt, SERVICE_HEADERS, columns, SERVICE_FITS)


def render_tasks(
    tasks: Sequence[Task],
    names: dict[str, str],
    nodes: dict[str, Node],
    fmt: OutputFormat,
    quiet: bool,
    trunc: bool,
) -> None:
    """`docker service ps`: the tasks by name, newest first within a slot (as `node ps` lists them)."""
    listing = TaskList(list(tasks), names, {node_id: node.hostname for node_id, node in nodes.items()})
    table = fmt.kind == "table" or bool(fmt.template and fmt.template.table)
    rows = task_rows(listing, trunc=trunc, table=table)
    if quiet:
        render.results(row["ID"] for row in rows)
        return
    render_listing([(row, {}) for row in rows], fmt, TASK_HEADERS, TASK_TABLE, TASK_FITS)


def port_note(ports: Iterable[Mapping[str, Any]]) -> None:
    """The note that a swarm port cannot be bound to one address (render.swarm's words), for the Engine
    API's PortConfig objects a service publishes."""
    from dkr.render.swarm import published_port_notice

    said = published_port_notice([SwarmPort.from_api(dict(p)) for p in ports])
    if said is not None:
        render.note("note: " + said[0])
        render.hint(said[1])


def warnings(lines: Iterable[str]) -> None:
    for line in lines:
        render.warning(line)


# --- the wait's live view -----------------------------------------------------------------------------------


def _describe(line: TaskLine) -> str:
    what = f"waiting for {line.waiting_for}" if line.waiting_for.startswith("port") else line.waiting_for
    text = f"{line.name} on {line.node}: " + (what or "ready")
    return text + (f" ({line.error})" if line.error else "")


class WaitView:
    """Each look at a converging service: on a terminal a live table of its tasks, redrawn in place; piped,
    a line whenever a task's state changes. Nothing with `quiet`."""

    def __init__(self, service: str, quiet: bool = False, live: bool | None = None) -> None:
        self.service = service
        self.quiet = quiet
        self.live = render.streams().err_tty if live is None else live
        self._shown: dict[str, str] = {}
        self._live: Live | None = None
        self._last: Progress | None = None

    def __enter__(self) -> WaitView:
        if self.live and not self.quiet:
            from rich.live import Live

            self._live = Live(
                console=render.streams().console(stderr=True), refresh_per_second=4, transient=True
            )
            self._live.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
            if self._last is not None:  # the last look stays on the screen, as plain lines
                for line in self._last.lines:
                    render.note(_describe(line))

    def __call__(self, progress: Progress) -> None:
        self._last = progress
        if self.quiet:
            return
        if self._live is not None:
            from rich.table import Table

            table = Table(box=None, show_header=True, title_justify="left")
            table.title = f"{self.service}: {progress.running}/{progress.wanted} ready"
            for col in ("TASK", "NODE", "STATE", "WAITING FOR"):
                table.add_column(col)
            for line in progress.lines:
                table.add_row(line.name, line.node, line.state, line.waiting_for or "ready")
            self._live.update(table, refresh=True)
            return
        for line in progress.lines:
            text = _describe(line)
            if self._shown.get(line.task_id) != text:
                self._shown[line.task_id] = text
                render.note(text)

    def ready(self, seconds: float) -> None:
        if not self.quiet and self._last is not None:
            render.note(
                f"{self.service}: {self._last.running}/{self._last.wanted} tasks ready after {seconds:.1f}s"
            )


# --- logs ---------------------------------------------------------------------------------------------------


def write_service_logs(
    batches: Iterable[list[tuple[int, bytes]]],
    service: Service,
    lookup: Callable[[str], tuple[Task, str]],
    *,
    timestamps: bool,
    trunc: bool = True,
    task_ids: bool = True,
) -> None:
    """docker's `service logs`: each line prefixed `name.slot.task@node    | ` (the slot padded to the replica
    count's width), stdout to stdout and stderr to stderr. `lookup(task_id)` gives the task and its node's
    name (asked once per task)."""
    output = ContainerOutput()
    padding = len(str(service.replicas)) if service.replicas is not None else 1
    prefixes: dict[str, str] = {}
    for batch in batches:
        for stream, data in batch:
            parts = data.split(b" ", 2 if timestamps else 1)
            if len(parts) < (3 if timestamps else 2):
                output.write(stream, data)
                continue
            stamp = parts[0] + b" " if timestamps else b""
            details = parse_log_details(parts[-2].decode(errors="replace"))
            task_id = details.get("com.docker.swarm.task.id", "")
            if task_id not in prefixes:
                task, node = lookup(task_id)
                prefixes[task_id] = log_prefix(service.name, task, node, padding, trunc, task_ids)
            output.write(stream, stamp + (prefixes[task_id] + "    | ").encode() + parts[-1])
        output.flush()
