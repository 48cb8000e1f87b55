"""dkr wait: block until containers stop, then print each one's exit code."""

from __future__ import annotations

import typer

from dkr.commands.common import containers_argument, on_each_container
from dkr.options.common import check_container_refs


def wait(ctx: typer.Context, containers: list[str] = containers_argument()) -> int:
    """Block until one or more containers stop, then print their exit codes."""
    check_container_refs(containers, "wait")
    from dkr.engine.lifecycle import wait_many

    return on_each_container(ctx, "wait", containers, wait_many, show=lambda res: str(res.value))


def register(app: typer.Typer) -> None:
    app.command("wait")(wait)
