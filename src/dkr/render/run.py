"""dkr run's output: the container's own streams, pull progress, the started container's URLs, notes.

stdout carries only the container id (-d) or the container's own stdout (foreground).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from dkr import render
from dkr.models.reach import PortsHost
from dkr.models.run import ImageInfo, PortMapping, Readiness, RunResult
from dkr.models.transfer import TransferEvent

if TYPE_CHECKING:
    from dkr.errors import NotReady


def pull_progress() -> Callable[[TransferEvent], None]:
    """The image's pull as plain lines, one per layer state (a live view would fight the container's own
    output for the terminal)."""
    from dkr.render.transfer import TransferView

    return TransferView(live=False).on_event


def all_interfaces(mappings: Sequence[PortMapping]) -> None:
    if mappings:
        listed = ", ".join(
            f"{m.port} on {f'[{m.host_ip}]' if ':' in m.host_ip else m.host_ip}" for m in mappings
        )
        render.note(f"note: {listed}: published on every interface, reachable from other machines")


def started(result: RunResult, spec_published: bool) -> None:
    """-d: the full id on stdout; name, short id and URLs on stderr; a hint to publish when nothing is."""
    render.result(result.id)
    where = result.where or PortsHost("here")
    on = f" on {where.host} (the Engine's host)" if where.kind != "here" else ""
    render.note(
        f"{result.name} ({result.short_id}) started{on}" if result.name else f"{result.short_id} started{on}"
    )
    seen: set[str] = set()
    for p in result.ports:
        reach = where.reach(p)
        line = f"  {reach.url} -> {p.target}" + (f": {reach.note}" if reach.note else "")
        if line not in seen:
            seen.add(line)
            render.note(line)
    if not result.ports and not spec_published:
        expose_hint(result.image)
    if result.ready is not None:
        ready(result.ready, where)


def expose_hint(image: ImageInfo) -> None:
    if not image.exposed:
        return
    first = image.exposed[0].partition("/")[0]
    ports = ", ".join(image.exposed)
    render.hint(f"the image exposes {ports} but nothing is published: add -p 8080:{first} or -P")


def ready(readiness: Readiness, where: PortsHost | None = None) -> None:
    where = where or PortsHost("here")
    unprobed = ""
    if readiness.unprobed:
        listed = ", ".join(sorted({r.shown for r in readiness.unprobed}))
        unprobed = f"not probed: {listed} on the loopback of {where.host}, which this machine cannot reach"
    if readiness.how == "healthy":
        render.note(f"ready: healthy after {readiness.seconds:.1f}s")
    elif readiness.how == "ports":
        answered = ", ".join(sorted({where.reach(p).shown for p in readiness.ports}))
        also = f" ({unprobed})" if unprobed else ""
        render.note(f"ready: {answered} answered after {readiness.seconds:.1f}s{also}")
    elif unprobed:
        render.note(f"ready: running ({unprobed})")
    else:
        render.note("ready: running (no HEALTHCHECK and no published TCP port to wait for)")


def not_ready(exc: NotReady) -> None:
    """A failed --wait: the container's last lines on stderr, before the error line that follows (whose
    words, hint included, are dkr.render.errors')."""
    if exc.logs:
        render.note(f"last output of {exc.container}:")
        for line in exc.logs:
            render.note(f"  | {line}")
    else:
        render.note(f"({exc.container} wrote no output)")
