"""dkr rm: remove containers in parallel; echo each argument once it is removed."""

from __future__ import annotations

import typer

from dkr.errors import ExitCode
from dkr.options.common import check_container_refs


def rm(
    ctx: typer.Context,
    containers: list[str] = typer.Argument(
        ..., metavar="CONTAINER...", help="Names, ids or unique id prefixes."
    ),
    force: bool = typer.Option(False, "-f", "--force", help="Remove running containers too (kills them)."),
    volumes: bool = typer.Option(False, "-v", "--volumes", help="Remove their anonymous volumes too."),
) -> int:
    """Remove one or more containers, all at once."""
    from dkr.cli import state

    check_container_refs(containers, "rm")

    st = state(ctx)
    failed = 0
    if st.several:  # each container removed on the Engine that has it
        from dkr.commands.fanout import located
        from dkr.engine.containers import remove_across

        where, failed = located(st, containers)
        results = remove_across(containers, where, force=force, volumes=volumes)
    else:
        engine = st.engine  # resolved first: a bad -H is a usage error that never imports the SDK
        from dkr.engine.containers import remove_many

        results = remove_many(engine, containers, force=force, volumes=volumes)
    from dkr import render
    from dkr.render.errors import message
    from dkr.render.stop import interrupted

    reported = 0
    try:
        for res in results:
            reported += 1
            if res.error is None:
                render.result(res.arg)
            elif force and res.not_found:
                # as `docker rm -f` (and `rm -f`): what is already gone is reported, not a failure
                render.warning(f"{message(res.error)} (nothing to remove)")
            else:
                failed += 1
                render.error(f"cannot remove '{res.arg}': {message(res.error)}")
    except KeyboardInterrupt:
        interrupted(containers[reported:], "removing")  # the Engine finishes the removals it was asked
        raise
    return ExitCode.FAILURE if failed else ExitCode.OK


def register(app: typer.Typer) -> None:
    app.command("rm")(rm)
