"""dkr pull: fetch an image from a registry, with per-layer progress, as docker pull does."""

from __future__ import annotations

import typer

from dkr.options.registry import parse_platform, pull_reference


def pull(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME[:TAG|@DIGEST]", help="The image to pull."),
    all_tags: bool = typer.Option(
        False, "-a", "--all-tags", help="Download all tagged images in the repository."
    ),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Suppress verbose output."),
    platform: str | None = typer.Option(
        None,
        "--platform",
        metavar="OS[/ARCH[/VARIANT]]",
        help="Set platform if server is multi-platform capable.",
    ),
) -> None:
    """Download an image from a registry; print its reference on stdout."""
    from dkr.cli import state

    ref = pull_reference(name, all_tags)
    wanted = parse_platform(platform, "pull")
    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr import render
    from dkr.engine.registry import pull as run_pull
    from dkr.render.transfer import TransferView, pulled

    target = ref if all_tags else ref.with_default_tag()
    if target != ref and not quiet:
        render.note(f"Using default tag: {target.tag}")
    with TransferView(quiet=quiet) as view:
        result = run_pull(engine, target, all_tags=all_tags, platform=wanted, on_event=view.on_event)
    pulled(result)


def register(app: typer.Typer) -> None:
    app.command("pull")(pull)
