"""dkr cp: copy files between a container and the local machine, with docker's path rules; `-` is a tar
stream on stdin or stdout."""

from __future__ import annotations

import sys
from typing import IO

import typer


def cp(
    ctx: typer.Context,
    src: str = typer.Argument(
        ..., metavar="SRC", help="CONTAINER:SRC_PATH, a local path, or - (a tar on stdin)."
    ),
    dest: str = typer.Argument(
        ..., metavar="DEST", help="CONTAINER:DEST_PATH, a local path, or - (a tar on stdout)."
    ),
    archive: bool = typer.Option(
        False, "-a", "--archive", help="Keep the files' uid and gid (to a container)."
    ),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Print no progress (dkr prints none)."),
) -> None:
    """Copy files/folders between a container and the local filesystem."""
    from dkr.cli import state
    from dkr.options.cp import cp_ends

    source, target = cp_ends(src, dest)

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr.engine.copy import copy_from, copy_to

    if source.container:
        from dkr.render.logs import ContainerOutput

        output = ContainerOutput()  # the tar's bytes as they are
        out = (lambda data: output.write(1, data)) if target.path == "-" else None
        copy_from(engine, source.container, source.path, target.path, out)
        output.flush(1)
    else:
        stdin: IO[bytes] | None = getattr(sys.stdin, "buffer", None) if source.path == "-" else None
        copy_to(engine, source.path, target.container, target.path, stdin, archive)


def register(app: typer.Typer) -> None:
    app.command("cp")(cp)
