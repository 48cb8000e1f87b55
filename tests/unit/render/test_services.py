"""The words of a service wait: the live view (plain lines piped, a table on a terminal) and the error that
names the task, its node and its error."""

from __future__ import annotations

import io
import re

from dkr.convergence import Progress, TaskLine
from dkr.errors import ServiceNotReady
from dkr.render import Streams, use_streams
from dkr.render.errors import describe
from dkr.render.services import WaitView

WAITING = Progress(1, 2, (TaskLine("a", "web.1", "m", "running"),
                          TaskLine("b", "web.2", "w", "running", "port 10.0.0.3:30002 to answer")))  # fmt: skip
READY = Progress(2, 2, (TaskLine("a", "web.1", "m", "running"), TaskLine("b", "web.2", "w", "running")), True)


def _view(tty: bool) -> str:
    err = io.StringIO()
    use_streams(Streams(io.StringIO(), err, False, tty, False, width=100))
    try:
        with WaitView("web") as view:
            view(WAITING)
            view(WAITING)
            view(READY)
        view.ready(2.5)
    finally:
        use_streams(None)
    return err.getvalue()


def test_piped_a_line_per_change() -> None:
    assert _view(tty=False).splitlines() == [
        "web.1 on m: ready",
        "web.2 on w: waiting for port 10.0.0.3:30002 to answer",
        "web.2 on w: ready",
        "web: 2/2 tasks ready after 2.5s",
    ]


def test_on_a_terminal_a_live_table_then_the_last_look() -> None:
    text = _view(tty=True)
    assert "WAITING FOR" in text and "web: 1/2 ready" in text
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    assert plain.rstrip().splitlines()[-3:] == [
        "web.1 on m: ready",
        "web.2 on w: ready",
        "web: 2/2 tasks ready after 2.5s",
    ]


def test_the_errors_name_task_node_and_error() -> None:
    failed = ServiceNotReady(
        "web", "failed", task="web.1", node="w", state="rejected", error="No such image: x"
    )
    line, hint = describe(failed)
    assert line == "service web: task web.1 on node w rejected: No such image: x"
    assert hint is not None and "dkr service ps web" in hint
    assert "dkr removed the service" in str(describe(failed.after_removal())[1])
    timeout = ServiceNotReady("web", "timeout", task="web.2", node="w", state="running",
                              waiting_for="port 10.0.0.3:30002 to answer", timeout=4, running=1, wanted=2)  # fmt: skip
    assert describe(timeout)[0] == (
        "service web was not ready after 4s (1/2 ready): task web.2 on node w is waiting for port "
        "10.0.0.3:30002 to answer"
    )
    paused = ServiceNotReady("web", "failed", state="paused", error="update paused due to failure")
    assert describe(paused)[0] == "service web: update paused: update paused due to failure"
    nothing = ServiceNotReady("web", "timeout", timeout=3)
    assert describe(nothing)[0] == "service web was not ready after 3s: no task was scheduled"
