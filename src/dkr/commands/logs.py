"""dkr logs: a container's output, its stdout to stdout and its stderr to stderr; -f follows it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from dkr.errors import ExitCode
from dkr.grammars.timespec import tail_param, time_param
from dkr.options.common import check_container_refs

if TYPE_CHECKING:
    from dkr.cli import AppState


def logs(
    ctx: typer.Context,
    container: str = typer.Argument(..., metavar="CONTAINER", help="Name, id or unique id prefix."),
    follow: bool = typer.Option(False, "-f", "--follow", help="Follow the output until the container stops."),
    tail: str = typer.Option("all", "-n", "--tail", help="Number of lines to show from the end, or 'all'."),
    since: str | None = typer.Option(
        None,
        "--since",
        metavar="TIME",
        help="Only output since TIME (2024-01-02T15:04:05Z, 1700000000, 42m).",
    ),
    until: str | None = typer.Option(
        None, "--until", metavar="TIME", help="Only output before TIME (same forms as --since)."
    ),
    timestamps: bool = typer.Option(False, "-t", "--timestamps", help="Prefix each line with its timestamp."),
) -> int:
    """Show a container's logs.

    The container's stdout goes to stdout and its stderr to stderr (a TTY container's output all to stdout).
    """
    from dkr.cli import state

    check_container_refs([container], "logs")
    tail = tail_param(tail, "logs")
    since = time_param(since, "--since", "logs") if since else None
    until = time_param(until, "--until", "logs") if until else None

    st = state(ctx)
    options: dict[str, Any] = {
        "follow": follow,
        "tail": tail,
        "since": since,
        "until": until,
        "timestamps": timestamps,
    }
    if st.several:
        return _across(st, container, options)
    engine = st.engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr.engine.containers import open_logs

    output = open_logs(engine, container, **options)

    from dkr.render.logs import write_output

    write_output(output)
    return ExitCode.OK


def _across(st: AppState, container: str, options: dict[str, Any]) -> int:
    """The container's logs on every Engine that has one by that name, at once, each line prefixed with its
    Engine (docker-compose's view); until every stream ends (-f: every container stops) or Ctrl-C."""
    from dkr.commands.fanout import reported
    from dkr.engine.fanout import logs_across
    from dkr.render.logs import write_prefixed

    engines = st.engines
    failures, events = logs_across(engines, container, **options)
    failed = reported(failures, engines)
    failed += write_prefixed(events, {n.name: n.engine.endpoint.url for n in engines})
    return ExitCode.FAILURE if failed else ExitCode.OK


def register(app: typer.Typer) -> None:
    app.command("logs")(logs)
