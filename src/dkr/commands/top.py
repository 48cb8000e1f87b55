"""dkr top: the processes of a running container, as the Engine's ps shows them (docker's columns)."""

from __future__ import annotations

import typer

from dkr.options.common import check_container_refs


def top(
    ctx: typer.Context,
    container: str = typer.Argument(..., metavar="CONTAINER", help="Name, id or unique id prefix."),
    ps_options: list[str] = typer.Argument(
        None, metavar="[ps OPTIONS]", help="Options for ps, run by the Engine (default -ef)."
    ),
) -> None:
    """Display the running processes of a container."""
    from dkr.cli import state

    check_container_refs([container], "top")

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr import render
    from dkr.engine.lifecycle import processes
    from dkr.grammars.gotemplate import tabwrite

    titles, rows = processes(engine, container, " ".join(ps_options or ()))
    # docker's tabwriter for top: cells at least 20 wide
    render.results(tabwrite([titles, *rows], minwidth=20, padding=3).splitlines())


def register(app: typer.Typer) -> None:
    # as docker's: the ps options are the rest of the line (`dkr top web -o pid,comm`)
    app.command("top", context_settings={"allow_interspersed_args": False})(top)
