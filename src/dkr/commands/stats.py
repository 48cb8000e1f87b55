"""dkr stats --no-stream: one sample of containers' resource use, in docker's columns (or --format)."""

from __future__ import annotations

import typer

from dkr.errors import ExitCode, UsageError
from dkr.options.common import check_container_refs


def stats(
    ctx: typer.Context,
    containers: list[str] = typer.Argument(None, metavar="[CONTAINER...]", help="Default: the running ones."),
    all: bool = typer.Option(False, "-a", "--all", help="All containers (default: the running ones)."),
    no_stream: bool = typer.Option(False, "--no-stream", help="One sample, then exit (dkr's only mode)."),
    no_trunc: bool = typer.Option(False, "--no-trunc", help="Do not truncate the ids."),
    format: str = typer.Option(
        "", "--format", metavar="table|json|TEMPLATE", help="table, json or a template."
    ),
) -> int:
    """Display a snapshot of containers' resource usage statistics."""
    from dkr.cli import state
    from dkr.fields.stats import DEFAULT_TABLE, TITLES
    from dkr.options.formats import parse_format

    containers = containers or []
    check_container_refs(containers, "stats")
    if not no_stream:
        raise UsageError(
            "dkr stats shows one sample: add --no-stream (a live view is not there yet)", "stats"
        )
    fmt = parse_format(format or DEFAULT_TABLE, "stats", ("table", "json"), template_fields=list(TITLES))
    if fmt.kind == "table":
        fmt = parse_format(DEFAULT_TABLE, "stats", (), template_fields=list(TITLES))

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr import render
    from dkr.engine.lifecycle import stats_once
    from dkr.fields.stats import stats_fields
    from dkr.render.errors import message
    from dkr.render.listing import render_listing

    rows: list[tuple[dict[str, str], dict[str, str]]] = []
    failed = 0
    for res in stats_once(engine, containers, all):
        if res.error is not None:
            failed += 1
            render.error(message(res.error))
            continue
        fields = stats_fields(res.arg, res.value)
        if no_trunc:
            fields["ID"] = str(res.value.get("id") or "")
        rows.append((fields, {}))
    render_listing(rows, fmt, TITLES, list(TITLES), {})
    return ExitCode.FAILURE if failed else ExitCode.OK


def register(app: typer.Typer) -> None:
    app.command("stats")(stats)
