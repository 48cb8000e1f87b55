"""Option declarations several commands share (typer objects; the values are checked in dkr.options)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer


def listing_format_option() -> Any:
    """The --format option of the listing commands (ps, images): a fresh typer.Option for each command."""
    return typer.Option(
        "table",
        "--format",
        metavar="table|json|TEMPLATE",
        help="table, json (one object per line), or a Go template.",
    )


def command_group(app: typer.Typer, name: str, help: str) -> typer.Typer:
    """A group of subcommands as docker has them (`dkr image ...`, `dkr system ...`), added to app."""
    group = typer.Typer(
        name=name, help=help, no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]}
    )
    app.add_typer(group, name=name)
    return group


def repeated(*names: str, metavar: str, help: str) -> Any:
    """A flag that may be given again and again (`-v A -v B`): a fresh typer.Option, [] by default."""
    return typer.Option([], *names, metavar=metavar, help=help)


def filter_option() -> Any:
    """--filter of the prunes: a fresh typer.Option for each command."""
    return typer.Option(
        [], "--filter", metavar="KEY=VALUE", help="Provide filter values (until=…, label=…, label!=…)."
    )


def force_option() -> Any:
    return typer.Option(False, "-f", "--force", help="Do not prompt for confirmation.")


def prune(
    ctx: typer.Context,
    command: str,
    filters: list[str],
    force: bool,
    warning: str | Callable[[dict[str, list[str]]], str],
    what: str,
) -> Any:
    """What every prune does first: check --filter, resolve the Engine, and unless -f ask (refusing without
    a terminal). `warning` may be a function of the checked filters, called before the Engine is resolved
    (it may refuse a combination with a UsageError). Returns the Engine and the filters for the prune call."""
    from dkr.cli import state
    from dkr.options.filters import PRUNE_FILTERS, parse_filters

    checked = parse_filters(filters, PRUNE_FILTERS, command)
    text = warning(checked) if callable(warning) else warning
    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    if not force:
        from dkr import render

        render.confirm(text, what, command)
    return engine, checked


def stop_time_option() -> Any:
    """-t of stop and restart: seconds before the kill (an int as docker's; checked by the command)."""
    return typer.Option(
        None,
        "-t",
        "--time",
        "--timeout",
        metavar="int",
        help="Seconds to wait before killing (default: the container's, else 10; negative: no limit).",
    )


def containers_argument() -> Any:
    return typer.Argument(..., metavar="CONTAINER...", help="Names, ids or unique id prefixes.")


def on_each_container(
    ctx: typer.Context,
    verb: str,
    containers: list[str],
    act: Callable[[Any, list[str]], Any],
    show: Callable[[Any], str] | None = None,
) -> int:
    """The shape of kill, pause, unpause, restart, start and wait: `act(engine, containers)` yields an Outcome
    per container in argument order; each success prints its argument (or `show(outcome)`), each failure is
    a line on stderr naming it, and any failure is exit 1 once the others are done."""
    from dkr.cli import state
    from dkr.errors import ExitCode

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr import render
    from dkr.render.errors import message

    failed = 0
    for res in act(engine, containers):
        if res.error is not None:
            failed += 1
            render.error(f"cannot {verb} '{res.arg}': {message(res.error)}")
        else:
            render.result(show(res) if show else res.arg)
    return ExitCode.FAILURE if failed else ExitCode.OK
