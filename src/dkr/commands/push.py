"""dkr push: upload an image to a registry, with per-layer progress; the pushed digest on stdout."""

from __future__ import annotations

import typer

from dkr.options.registry import push_reference


def push(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME[:TAG]", help="The image to push."),
    all_tags: bool = typer.Option(
        False, "-a", "--all-tags", help="Push all tags of an image to the repository."
    ),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Suppress verbose output."),
) -> None:
    """Upload an image to a registry; print the pushed digest on stdout."""
    from dkr.cli import state

    ref = push_reference(name, all_tags)
    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr import render
    from dkr.engine.registry import push as run_push
    from dkr.render.transfer import TransferView, pushed

    target = ref if all_tags else ref.with_default_tag()
    if target != ref and not quiet:
        render.note(f"Using default tag: {target.tag}")
    with TransferView(quiet=quiet) as view:
        results = run_push(engine, target, all_tags=all_tags, on_event=view.on_event)
    pushed(results, all_tags)


def register(app: typer.Typer) -> None:
    app.command("push")(push)
