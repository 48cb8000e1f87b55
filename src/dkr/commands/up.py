"""dkr up: the edit-rebuild-restart loop. Build the folder (with the cache report), replace the container of
that name once the build succeeded, publish its ports on loopback, wait until it answers, print the URLs.
With --replicas N (or when a service dkr up made has that name on a Swarm manager): push the build to a
registry and roll it out to the Swarm service of that name, waiting until every task answers."""

from __future__ import annotations

import os
from typing import Any

import typer


def up(
    ctx: typer.Context,
    path: str = typer.Argument(".", metavar="PATH", help="The folder to build (the build context)."),
    name: str | None = typer.Option(
        None, "--name", help="The container's name (default: the folder's name, lowercased)."
    ),
    publish: list[str] = typer.Option(
        [], "-p", "--publish", metavar="SPEC", help="Publish as dkr run -p (default: every EXPOSEd port)."
    ),
    file: str | None = typer.Option(
        None, "-f", "--file", metavar="FILE", help="The Dockerfile (default: PATH/Dockerfile)."
    ),
    label: list[str] = typer.Option(
        [], "-l", "--label", metavar="K=V", help="Set a label on the image and the container."
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Also replace a container of that name that dkr up did not create."
    ),
    init: bool = typer.Option(True, "--init/--no-init", help="Run an init as PID 1 (default: yes)."),
    wait_timeout: str | None = typer.Option(
        None,
        "--wait-timeout",
        metavar="SECONDS",
        help="How long to wait for the container to answer (default 60; with a Swarm service 120).",
    ),
    volume: list[str] = typer.Option(
        [],
        "-v",
        "--volume",
        metavar="SRC:DST[:MODE]",
        help="Mount as dkr run -v (a host folder: edits are live).",
    ),
    replicas: str | None = typer.Option(
        None, "--replicas", metavar="N", help="Roll out to a Swarm service of N tasks (on a manager)."
    ),
    registry: str | None = typer.Option(
        None,
        "--registry",
        metavar="HOST[:PORT]",
        help="With --replicas: the registry every node pulls from (default: $DKR_REGISTRY).",
    ),
) -> None:
    """Build PATH and (re)start its container (with --replicas N: roll it out to a Swarm service): stdout is
    the new container's (or the service's) id, the rest goes to stderr."""
    from dkr.cli import state
    from dkr.options.numbers import parse_seconds
    from dkr.options.run import MAX_WAIT_SECONDS
    from dkr.options.up import parse_up_replicas, swarm_registry, swarm_request, up_request

    count = parse_up_replicas(replicas) if replicas is not None else None
    seconds = parse_seconds(
        "60" if wait_timeout is None else wait_timeout, "--wait-timeout", "up", maximum=MAX_WAIT_SECONDS
    )
    request = up_request(
        path, cwd=os.getcwd(), environ=os.environ, name=name, dockerfile=file,
        publish=publish if count is None else (),  # with --replicas, -p is docker service's (below)
        labels=label, init=init, replace=replace, wait_timeout=seconds, volumes=volume,
    )  # fmt: skip
    swarm = None
    if count is not None:
        swarm = swarm_request(
            request,
            registry=swarm_registry(registry, os.environ),
            replicas=count,
            publish=publish,
            wait_timeout=None if wait_timeout is None else seconds,
        )

    engine = state(ctx).engine  # resolved before the core is imported: a bad -H stays a fast usage error
    from dkr.engine import up as core

    if swarm is None:
        swarm = _existing_service(engine, request, registry, publish, wait_timeout is not None)
    if swarm is not None:
        from dkr.render.up import SwarmUpView, render_swarm_up

        with SwarmUpView(swarm.name) as swarm_view:
            done = core.up_swarm(engine, swarm, swarm_view.handlers(), replace=replace)
        render_swarm_up(done)
        return
    from dkr.errors import NotReady
    from dkr.render import run as show
    from dkr.render.up import UpView, render_up

    with UpView() as view:
        try:
            result = core.up(
                engine,
                request,
                on_event=view.on_event,
                on_built=view.built,
                notify=view.note,
                on_killed=view.killed,
            )
        except NotReady as exc:
            show.not_ready(exc)
            raise
    render_up(result)


def _existing_service(
    engine: Any, request: Any, registry: str | None, publish: list[str], timed: bool
) -> Any:
    """Plain `dkr up` on a Swarm manager where a service of that name exists that dkr up made: the rollout
    of that service (its replicas kept; the registry --registry, DKR_REGISTRY, else the one its image comes
    from); else None (the one-host loop)."""
    from dkr.engine.up import swarm_service
    from dkr.options.up import REGISTRY_ENV, UP_LABEL, service_registry, swarm_registry, swarm_request

    current = swarm_service(engine, request.run.name or "")
    if current is None or UP_LABEL not in ((current.get("Spec") or {}).get("Labels") or {}):
        return None
    if registry is None and not os.environ.get(REGISTRY_ENV):
        image = ((current.get("Spec") or {}).get("TaskTemplate") or {}).get("ContainerSpec") or {}
        registry = service_registry(str(image.get("Image") or "")) or None
    return swarm_request(
        request,
        registry=swarm_registry(registry, os.environ),
        replicas=None,
        publish=publish,
        wait_timeout=request.wait_timeout if timed else None,
    )


def register(app: typer.Typer) -> None:
    app.command("up")(up)
