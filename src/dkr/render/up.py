"""`dkr up` on screen: the build exactly as `dkr build` shows it (live steps, the cache summary), then the
replacement and the started container as `dkr run -d --wait` shows them. stdout: the new container's id."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from dkr import render
from dkr.grammars.ports import is_unspecified
from dkr.models.build import BuildEvent, BuildResult
from dkr.models.run import PortMapping
from dkr.models.transfer import TransferEvent
from dkr.models.up import SwarmUpResult, UpResult
from dkr.options.up import unpinned
from dkr.render.build import BuildView, render_summary
from dkr.render.run import all_interfaces, started
from dkr.render.services import WaitView
from dkr.render.stop import killed_after_timeout
from dkr.render.transfer import TransferView

if TYPE_CHECKING:
    from dkr.convergence import Progress
    from dkr.engine.up import SwarmHandlers


class UpView:
    """Receives the core's events and notes. The build's live view ends when the build does, so that the
    notes that follow are plain lines below it."""

    def __init__(self) -> None:
        self._build = BuildView()
        self._open = False
        self._built = False

    def __enter__(self) -> UpView:
        self._build.__enter__()
        self._open = True
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._open:
            self._open = False
            self._build.__exit__(exc_type, exc, tb)
        elif exc_type is not None and issubclass(exc_type, KeyboardInterrupt) and not self._built:
            render.note("build interrupted")

    def _end_build(self) -> None:
        if self._open:
            self._open = False
            self._build.__exit__(None, None, None)

    def on_event(self, event: BuildEvent) -> None:
        self._build.on_event(event)

    def built(self, result: BuildResult) -> None:
        self._end_build()
        self._built = True
        render_summary(result)

    def note(self, line: str) -> None:
        self._end_build()
        render.note(line)

    def killed(self, name: str, timeout: float | None) -> None:
        self._end_build()
        killed_after_timeout(name, timeout)


def render_up(result: UpResult) -> None:
    """The new container's id on stdout; its name, URLs and readiness on stderr (and, as dkr run says it, a
    note for a port published on every interface: asked for with -p, or kept from the replaced container)."""
    ports = result.container.ports
    all_interfaces(
        [PortMapping(p.target, p.host_ip, str(p.host_port)) for p in ports if is_unspecified(p.host_ip)]
    )
    started(result.container, spec_published=True)
    if not result.container.ports:
        render.hint("nothing is published: the image EXPOSEs no port (add EXPOSE to the Dockerfile, or -p)")


class SwarmUpView(UpView):
    """`dkr up --replicas`: the build as UpView shows it, then the push (a line per layer state) and the
    rollout (a line whenever a task's state changes, as `dkr service update` piped)."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self._transfer = TransferView(live=False)
        self._wait = WaitView(service, live=False)

    def __enter__(self) -> SwarmUpView:
        super().__enter__()
        return self

    def on_push(self, event: TransferEvent) -> None:
        self._end_build()
        self._transfer.on_event(event)

    def progress(self, progress: Progress) -> None:
        self._end_build()
        self._wait(progress)

    def handlers(self) -> SwarmHandlers:
        from dkr.engine.up import SwarmHandlers

        return SwarmHandlers(self.on_event, self.built, self.on_push, self.note, self.progress)


def render_swarm_up(result: SwarmUpResult) -> None:
    """The service's id on stdout; on stderr where each task answers (its node's address and host port) and
    the note on what a Swarm published port means."""
    from dkr.render.services import port_note

    verb = "created" if result.created else "rolled out"
    render.note(f"{verb} {unpinned(result.image)}: {len(result.endpoints)} task port(s) answer")
    for host, port in result.endpoints:
        shown = f"[{host}]" if ":" in host else host
        render.note(f"  http://{shown}:{port}")
    port_note(result.ports)
    render.result(result.service_id)
