"""dkr build: build an image with live steps, a layer cache that explains itself, and the id on stdout."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import typer

from dkr.errors import DkrError, UsageError
from dkr.models.build import BuildRequest
from dkr.options.build import parse_build_args, parse_key_values, parse_progress, parse_tag
from dkr.options.formats import parse_format

if TYPE_CHECKING:
    from dkr.engine.client import Engine


def build(
    ctx: typer.Context,
    path: str = typer.Argument(
        ".", metavar="PATH | URL | -", help="The build context: a folder, a git or https URL, or - for stdin."
    ),
    tag: list[str] = typer.Option(
        [], "-t", "--tag", metavar="NAME[:TAG]", help="Name the image (repeatable)."
    ),
    file: str | None = typer.Option(
        None, "-f", "--file", metavar="FILE", help="The Dockerfile (default: PATH/Dockerfile; - for stdin)."
    ),
    build_arg: list[str] = typer.Option(
        [], "--build-arg", metavar="KEY=VALUE", help="Set a build-time variable."
    ),
    label: list[str] = typer.Option([], "--label", metavar="KEY=VALUE", help="Set a label on the image."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not use the layer cache."),
    pull: bool = typer.Option(False, "--pull", help="Always try to pull a newer version of the base image."),
    quiet: bool = typer.Option(
        False, "-q", "--quiet", help="No progress on stderr (stdout is the id either way)."
    ),
    format: str = typer.Option("", "--format", metavar="json", help="json: one JSON object on stdout."),
    target: str | None = typer.Option(None, "--target", metavar="STAGE", help="Build up to this stage."),
    iidfile: str | None = typer.Option(
        None, "--iidfile", metavar="FILE", help="Write the image id to FILE (as stdout does)."
    ),
    push: bool = typer.Option(False, "--push", help="Push every -t to its registry after the build."),
    progress: str = typer.Option(
        "auto",
        "--progress",
        metavar="auto|plain|tty",
        help="plain: each step and its output as it comes; tty: the live view; auto: tty on a terminal.",
    ),
) -> None:
    """Build an image from a Dockerfile; print its id on stdout and explain the layer cache on stderr."""
    from dkr.cli import state

    fmt = parse_format(format, "build", ("json",))
    mode = parse_progress(progress)
    if path == "-" and file == "-":
        raise UsageError("can't use stdin for both the build context and the Dockerfile", "build")
    if push and not tag:
        raise UsageError("--push needs a name to push: add -t NAME[:TAG]", "build")
    request = BuildRequest(
        context=path,
        dockerfile=file,
        tags=tuple(parse_tag(t) for t in tag),
        build_args=parse_build_args(build_arg, os.environ),
        labels=parse_key_values(label, "--label"),
        no_cache=no_cache,
        pull=pull,
        target=target or None,
        stdin=sys.stdin.buffer if "-" in (path, file) and sys.stdin is not None else None,
    )
    if iidfile:
        # as docker: an id file from an earlier build never outlives a failed one
        try:
            os.remove(iidfile)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise _iidfile_error("replace", iidfile, exc) from None

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr.engine.build import build as run_build
    from dkr.render.build import BuildView, render_result, render_summary

    with BuildView(quiet=quiet, progress=mode) as view:
        result = run_build(engine, request, view.on_event)
    if not quiet:
        render_summary(result)
    if push:
        _push(engine, request.tags, quiet)
    render_result(result, fmt)
    if iidfile:
        try:
            with open(iidfile, "w", encoding="utf-8") as f:
                f.write(result.id)
        except OSError as exc:
            raise _iidfile_error("write", iidfile, exc) from None


def _push(engine: Engine, tags: tuple[str, ...], quiet: bool) -> None:
    """--push: each -t in turn, as `dkr push` pushes it (progress on stderr); the first failure stops."""
    from dkr import render
    from dkr.engine.registry import push
    from dkr.grammars.reference import parse_normalized
    from dkr.render.transfer import TransferView

    for tag in tags:
        ref = parse_normalized(tag).with_default_tag()
        with TransferView(quiet=quiet) as view:
            pushed = push(engine, ref, on_event=view.on_event)
        if not quiet:
            render.note(f"pushed {pushed[0].ref}@{pushed[0].digest}")


def _iidfile_error(doing: str, path: str, exc: OSError) -> DkrError:
    return DkrError(f"cannot {doing} --iidfile {path}: {(exc.strerror or str(exc)).lower()}")


def register(app: typer.Typer) -> None:
    app.command("build")(build)
