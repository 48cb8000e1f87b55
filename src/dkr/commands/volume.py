"""dkr volume create|ls|inspect|rm|prune: docker's volume commands."""

from __future__ import annotations

import typer

from dkr.commands.common import command_group, filter_option, force_option, listing_format_option, repeated
from dkr.commands.common import prune as start_prune
from dkr.errors import UsageError
from dkr.fields.volumes import COLUMNS
from dkr.options.common import shown
from dkr.options.filters import parse_filters

#: `docker volume ls --filter` keys (the Engine's volume filters)
VOLUME_FILTERS = frozenset({"dangling", "driver", "label", "name"})


def create(
    ctx: typer.Context,
    name: str | None = typer.Argument(None, metavar="[VOLUME]", help="Its name (default: a random one)."),
    driver: str = typer.Option("local", "-d", "--driver", metavar="DRIVER", help="The volume driver."),
    label: list[str] = repeated("--label", metavar="K=V", help="Set a label."),
    opt: list[str] = repeated("-o", "--opt", metavar="K=V", help="Set a driver option."),
) -> None:
    """Create a volume; prints its name."""
    from dkr.cli import state
    from dkr.grammars.mounts import VOLUME_NAME
    from dkr.options.run import parse_driver_options, parse_labels

    if name is not None and driver == "local" and not VOLUME_NAME.fullmatch(name):
        raise UsageError(
            f"invalid volume name {shown(name)}: two or more of [a-zA-Z0-9_.-], a letter or digit first",
            "volume create",
        )
    labels = parse_labels(label, "volume create")
    options = parse_driver_options(opt, "volume create")
    engine = state(ctx).engine
    from dkr import render
    from dkr.engine.volumes import create_volume

    render.result(create_volume(engine, name, driver=driver, options=options, labels=labels))


def ls(
    ctx: typer.Context,
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Only display volume names."),
    filter: list[str] = repeated(
        "-f", "--filter", metavar="KEY=VALUE", help="Filter: dangling=true|false, driver=, label=, name=."
    ),
    format: str = listing_format_option(),
) -> None:
    """List volumes."""
    from dkr.cli import state
    from dkr.options.formats import parse_format

    checked = parse_filters(filter, VOLUME_FILTERS, "volume ls", {"dangling": ("true", "false", "1", "0")})
    fmt = parse_format(format, "volume ls", ("table", "json"), template_fields=COLUMNS)
    engine = state(ctx).engine
    from dkr.engine.volumes import list_volumes
    from dkr.render.volumes import render_volumes

    render_volumes(list_volumes(engine, filters=checked), fmt, quiet)


def inspect(
    ctx: typer.Context,
    volumes: list[str] = typer.Argument(..., metavar="VOLUME...", help="Volume names."),
) -> int:
    """Display detailed information on one or more volumes (docker's JSON array)."""
    from dkr.cli import state

    engine = state(ctx).engine
    from dkr.engine.volumes import inspect_volumes
    from dkr.models.volumes import Volume
    from dkr.render.listing import inspect_report

    return inspect_report(v.raw if isinstance(v, Volume) else v for v in inspect_volumes(engine, volumes))


def rm(
    ctx: typer.Context,
    volumes: list[str] = typer.Argument(..., metavar="VOLUME...", help="Volume names."),
    force: bool = typer.Option(False, "-f", "--force", help="Do not fail on a volume that does not exist."),
) -> int:
    """Remove one or more volumes; echoes each name once removed."""
    from dkr.cli import state

    engine = state(ctx).engine
    from dkr.engine.volumes import remove_volumes
    from dkr.render.listing import removal_report

    return removal_report(remove_volumes(engine, volumes, force=force))


def prune(ctx: typer.Context, filter: list[str] = filter_option(), force: bool = force_option()) -> None:
    """Remove all local volumes not used by at least one container. Asks first on a terminal; -f without
    one."""

    def warning(filters: dict[str, list[str]]) -> str:
        if "until" in filters:  # as docker: the Engine prunes volumes by label only
            raise UsageError('the "until" filter is not supported with "volume prune"', "volume prune")
        return "This will remove all local volumes not used by at least one container."

    engine, filters = start_prune(ctx, "volume prune", filter, force, warning, "volumes")
    from dkr.engine.system import prune_volumes
    from dkr.render.images import pruned

    pruned(prune_volumes(engine, filters=filters), "Volumes")


def register(app: typer.Typer) -> None:
    group = command_group(app, "volume", "Manage volumes: create, ls, inspect, rm, prune.")
    group.command("create")(create)
    group.command("ls")(ls)
    group.command("inspect")(inspect)
    group.command("rm")(rm)
    group.command("prune")(prune)
