"""dkr exec: run a command in a running container, as docker exec does (-i, -t, -d, -e, -w, -u)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from dkr.errors import UsageError


def exec_(
    ctx: typer.Context,
    container: str = typer.Argument(..., metavar="CONTAINER", help="The running container."),
    command: list[str] = typer.Argument(..., metavar="COMMAND [ARG...]", help="The command and its args."),
    interactive: bool = typer.Option(False, "-i", "--interactive", help="Keep STDIN open and send it in."),
    tty: bool = typer.Option(False, "-t", "--tty", help="Allocate a pseudo-TTY."),
    detach: bool = typer.Option(False, "-d", "--detach", help="Run the command in the background."),
    env: list[str] = typer.Option([], "-e", "--env", metavar="K=V", help="Set an environment variable."),
    env_file: list[str] = typer.Option([], "--env-file", metavar="FILE", help="Read variables from a file."),
    workdir: str | None = typer.Option(None, "-w", "--workdir", metavar="DIR", help="Working directory."),
    user: str | None = typer.Option(None, "-u", "--user", metavar="USER[:GROUP]", help="Run as this user."),
    privileged: bool = typer.Option(False, "--privileged", help="Give the command extended privileges."),
    detach_keys: str | None = typer.Option(
        None, "--detach-keys", metavar="KEYS", help="Keys that detach from -it (default ctrl-p,ctrl-q)."
    ),
) -> int:
    """Run a command in a running container; its exit code is dkr's."""
    from dkr.cli import state
    from dkr.commands.run import console_for
    from dkr.options.run import detach_keys as parse_keys
    from dkr.options.run import exec_spec

    try:
        files = [(path, Path(path).read_bytes()) for path in env_file]
    except OSError as exc:
        raise UsageError(f"cannot read env file '{exc.filename}': {exc.strerror}", "exec") from None
    spec = exec_spec(
        container, command, environ=os.environ, env=env, env_files=files, workdir=workdir, user=user,
        interactive=interactive, tty=tty, detach=detach, privileged=privileged,
    )  # fmt: skip
    console = console_for(interactive, tty, detach, parse_keys(detach_keys, "exec"))

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr import render
    from dkr.engine.exec import DETACHED, exec_command
    from dkr.render.logs import ContainerOutput

    code = exec_command(engine, spec, ContainerOutput(), console)
    if code == DETACHED:
        render.note("read escape sequence")
        return 0
    return code


def register(app: typer.Typer) -> None:
    # as docker exec: options stop at CONTAINER; the rest is the command's (`dkr exec web ls -l`)
    app.command("exec", context_settings={"allow_interspersed_args": False})(exec_)
