"""dkr system df|prune: the Engine's disk usage, and removing everything unused at once, as docker's."""

from __future__ import annotations

from collections.abc import Mapping

import typer

from dkr.commands.common import command_group, filter_option, force_option, listing_format_option
from dkr.commands.common import prune as start_prune
from dkr.errors import UsageError
from dkr.fields.system import SUMMARY_COLUMNS
from dkr.fields.volumes import natural_key
from dkr.options.formats import parse_format

#: Filters the Engine accepts for build cache but ignores (moby's builder): with one, the build cache is
#: not pruned at all, rather than pruned whole.
_UNFILTERABLE_CACHE = ("label", "label!")


def df(
    ctx: typer.Context,
    verbose: bool = typer.Option(False, "-v", "--verbose", help="Show detailed information on space usage."),
    format: str = listing_format_option(),
) -> None:
    """Show the Engine's disk usage: images, containers, local volumes and build cache."""
    from dkr.cli import state

    if verbose and format not in ("", "table", "json"):
        # docker's -v template ranges over the four lists, which dkr's template subset cannot
        raise UsageError(f"invalid --format '{format}' with -v (expected table or json)", "system df")
    fmt = parse_format(format, "system df", ("table", "json"), template_fields=SUMMARY_COLUMNS)
    engine = state(ctx).engine
    from dkr.engine.system import disk_usage
    from dkr.render.system import render_df

    render_df(disk_usage(engine), fmt, verbose=verbose)


def prune_warning(all: bool, volumes: bool, build_cache: bool, filters: Mapping[str, list[str]]) -> str:
    """docker 20.10's confirmation text for `system prune` (it names the filters in use)."""
    items = ["all stopped containers", "all networks not used by at least one container"]
    if volumes:
        items.append("all volumes not used by at least one container")
    items.append(
        "all images without at least one container associated to them" if all else "all dangling images"
    )
    if build_cache:
        items.append("all build cache" if all else "all dangling build cache")
    text = "This will remove:" + "".join(f"\n  - {item}" for item in items) + "\n"
    used = sorted(
        (f"{key}={value}" for key in ("label", "label!", "until") for value in filters.get(key, ())),
        key=natural_key,
    )
    if used:
        text += "\n  Items to be pruned will be filtered with:" + "".join(f"\n  - {f}" for f in used) + "\n"
    return text


def prune(
    ctx: typer.Context,
    all: bool = typer.Option(False, "-a", "--all", help="Remove all unused images, not just dangling ones."),
    volumes: bool = typer.Option(False, "--volumes", help="Prune volumes."),
    filter: list[str] = filter_option(),
    force: bool = force_option(),
) -> None:
    """Remove unused data: stopped containers, unused networks, dangling images and build cache (and volumes
    with --volumes). Asks first on a terminal; -f without one."""
    build_cache = True

    def warning(filters: dict[str, list[str]]) -> str:
        nonlocal build_cache
        if volumes and "until" in filters:
            raise UsageError('the "until" filter is not supported with "--volumes"', "system prune")
        build_cache = not any(key in filters for key in _UNFILTERABLE_CACHE)
        return prune_warning(all, volumes, build_cache, filters)

    what = "containers, networks, " + ("volumes, " if volumes else "") + "images and build cache"
    engine, filters = start_prune(ctx, "system prune", filter, force, warning, what)
    from dkr import render
    from dkr.engine.system import prune_system
    from dkr.render.system import system_pruned

    if not build_cache:
        render.note(
            "note: the build cache is not pruned: the Engine cannot select build cache by label (it would "
            "remove all of it)"
        )
    system_pruned(prune_system(engine, all=all, volumes=volumes, build_cache=build_cache, filters=filters))


def register(app: typer.Typer) -> None:
    group = command_group(app, "system", "Manage the Engine as a whole: df, prune.")
    group.command("df")(df)
    group.command("prune")(prune)
