"""dkr logs: a container's output, its stdout to stdout and its stderr to stderr; -f follows it."""

from __future__ import annotations

import typer

from dkr.grammars.timespec import tail_param, time_param
from dkr.options.common import check_container_refs


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
) -> None:
    """Show a container's logs.

    The container's stdout goes to stdout and its stderr to stderr (a TTY container's output all to stdout).
    """
    from dkr.cli import state

    check_container_refs([container], "logs")
    tail = tail_param(tail, "logs")
    since = time_param(since, "--since", "logs") if since else None
    until = time_param(until, "--until", "logs") if until else None

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr.engine.containers import open_logs

    output = open_logs(
        engine,
        container,
        follow=follow,
        tail=tail,
        since=since,
        until=until,
        timestamps=timestamps,
    )

    from dkr.render.logs import write_output

    write_output(output)


def register(app: typer.Typer) -> None:
    app.command("logs")(logs)
