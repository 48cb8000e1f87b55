"""dkr rename: give a container a new name; silent on success, as docker."""

from __future__ import annotations

import typer

from dkr.errors import UsageError
from dkr.options.common import check_container_refs


def rename(
    ctx: typer.Context,
    container: str = typer.Argument(..., metavar="CONTAINER", help="Name, id or unique id prefix."),
    new_name: str = typer.Argument(..., metavar="NEW_NAME", help="The container's new name."),
) -> None:
    """Rename a container."""
    from dkr.cli import state

    check_container_refs([container], "rename")
    if not new_name.strip("/"):
        raise UsageError("the new name cannot be empty", "rename")
    check_container_refs([new_name], "rename")

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr.engine.lifecycle import rename as rename_container

    rename_container(engine, container, new_name.strip("/"))


def register(app: typer.Typer) -> None:
    app.command("rename")(rename)
