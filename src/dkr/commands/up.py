"""dkr up: the edit-rebuild-restart loop. Build the folder (with the cache report), replace the container of
that name once the build succeeded, publish its ports on loopback, wait until it answers, print the URLs."""

from __future__ import annotations

import os

import typer


def up(
    ctx: typer.Context,
    path: str = typer.Argument(".", metavar="PATH", help="The folder to build (the build context)."),
    name: str | None = typer.Option(
        None, "--name", help="The container's name (default: the folder's name, lowercased)."
    ),
    publish: list[str] = typer.Option(
        [], "-p", "--publish", metavar="SPEC", help="Publish as dkr run -p (default: every EXPOSEd port)."
    ),
    file: str | None = typer.Option(
        None, "-f", "--file", metavar="FILE", help="The Dockerfile (default: PATH/Dockerfile)."
    ),
    label: list[str] = typer.Option(
        [], "-l", "--label", metavar="K=V", help="Set a label on the image and the container."
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Also replace a container of that name that dkr up did not create."
    ),
    init: bool = typer.Option(True, "--init/--no-init", help="Run an init as PID 1 (default: yes)."),
    wait_timeout: str = typer.Option(
        "60", "--wait-timeout", metavar="SECONDS", help="How long to wait for the container to answer."
    ),
    volume: list[str] = typer.Option(
        [],
        "-v",
        "--volume",
        metavar="SRC:DST[:MODE]",
        help="Mount as dkr run -v (a host folder: edits are live).",
    ),
) -> None:
    """Build PATH and (re)start its container: stdout is the new container's id, the rest goes to stderr."""
    from dkr.cli import state
    from dkr.options.numbers import parse_seconds
    from dkr.options.run import MAX_WAIT_SECONDS
    from dkr.options.up import up_request

    seconds = parse_seconds(wait_timeout, "--wait-timeout", "up", maximum=MAX_WAIT_SECONDS)
    request = up_request(
        path, cwd=os.getcwd(), environ=os.environ, name=name, dockerfile=file, publish=publish,
        labels=label, init=init, replace=replace, wait_timeout=seconds, volumes=volume,
    )  # fmt: skip

    engine = state(ctx).engine  # resolved before the core is imported: a bad -H stays a fast usage error
    from dkr.engine import up as core
    from dkr.errors import NotReady
    from dkr.render import run as show
    from dkr.render.up import UpView, render_up

    with UpView() as view:
        try:
            result = core.up(
                engine,
                request,
                on_event=view.on_event,
                on_built=view.built,
                notify=view.note,
                on_killed=view.killed,
            )
        except NotReady as exc:
            show.not_ready(exc)
            raise
    render_up(result)


def register(app: typer.Typer) -> None:
    app.command("up")(up)
