"""dkr inspect: the Engine's own description of containers and images, as docker's JSON array or through a
Go template; the found objects are printed even when another is missing."""

from __future__ import annotations

import typer

from dkr.errors import UsageError


def inspect(
    ctx: typer.Context,
    names: list[str] = typer.Argument(..., metavar="NAME|ID...", help="Containers or images."),
    format: str = typer.Option(
        "", "-f", "--format", metavar="json|TEMPLATE", help="json (the default) or a Go template."
    ),
    type: str | None = typer.Option(
        None, "--type", metavar="container|image", help="Only this kind of object (default: either)."
    ),
) -> int:
    """Return low-level information on containers and images."""
    from dkr.cli import state
    from dkr.options.formats import parse_format
    from dkr.options.inspect import check_refs

    if type is not None and type not in ("container", "image"):
        raise UsageError(f'unknown type: "{type}": must be one of "container", "image"', "inspect")
    refs = check_refs(names, type, "inspect")
    output = parse_format(format, "inspect", ("json",), default="json", object_template=True)

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr.engine.lifecycle import inspect_objects
    from dkr.render.inspect import show

    return show(list(inspect_objects(engine, refs, type)), output)


def register(app: typer.Typer) -> None:
    app.command("inspect")(inspect)
