"""dkr service create|ls|ps|inspect|logs|scale|update|rollback|rm: docker's service commands on a Swarm
manager, and a wait that means it (every task running and every published port answering)."""

from __future__ import annotations

from typing import Any

import typer

from dkr.commands.common import command_group, listing_format_option, repeated
from dkr.errors import DkrError, UsageError

#: `docker service ls --filter` keys
SERVICE_FILTERS = frozenset({"id", "label", "mode", "name"})
#: `docker service ps --filter` keys
TASK_FILTERS = frozenset({"desired-state", "id", "name", "node"})


def _wait_options() -> tuple[Any, Any, Any, Any]:
    return (
        typer.Option(False, "-d", "--detach", help="Exit immediately instead of waiting for the service."),
        typer.Option(False, "-q", "--quiet", help="Suppress progress output."),
        typer.Option(
            False, "--wait", help="Wait until every task runs and its ports answer (default on a terminal)."
        ),
        typer.Option(
            None, "--wait-timeout", metavar="SECONDS", help="Give up waiting after this (default 120)."
        ),
    )


_DETACH, _QUIET, _WAIT, _WAIT_TIMEOUT = _wait_options()
_WITH_REGISTRY_AUTH = typer.Option(
    False, "--with-registry-auth", help="Send registry authentication details to swarm agents."
)


def _waiting(detach: bool, wait: bool, timeout: str | None, command: str) -> float | None:
    """The wait's timeout in seconds, or None when dkr does not wait: -d never, --wait always, else on a
    terminal (docker waits unless -d)."""
    from dkr import render
    from dkr.options.numbers import parse_seconds
    from dkr.options.service import DEFAULT_WAIT_SECONDS

    if detach and wait:
        raise UsageError("conflicting options: --wait and -d/--detach", command)
    seconds = DEFAULT_WAIT_SECONDS
    if timeout is not None:
        seconds = parse_seconds(timeout, "--wait-timeout", command, maximum=1e9)
    if detach or not (wait or render.streams().err_tty):
        return None
    return seconds


def _wait(engine: Any, changed: Any, timeout: float | None, quiet: bool, rollback: bool = False) -> None:
    if timeout is None:
        return
    import time

    from dkr.engine.services import wait_ready
    from dkr.render.services import WaitView

    started = time.monotonic()
    with WaitView(changed.name, quiet) as view:
        wait_ready(engine, changed, timeout, view, rollback=rollback)
    view.ready(time.monotonic() - started)


def create(
    ctx: typer.Context,
    image: str = typer.Argument(..., metavar="IMAGE", help="The image its tasks run."),
    args: list[str] | None = typer.Argument(None, metavar="[COMMAND] [ARG...]", help="The tasks' command."),
    name: str | None = typer.Option(None, "--name", help="Service name."),
    mode: str = typer.Option(
        "replicated", "--mode", help="replicated, global, replicated-job or global-job."
    ),
    replicas: str | None = typer.Option(None, "--replicas", metavar="uint", help="Number of tasks."),
    publish: list[str] = repeated(
        "-p", "--publish", metavar="SPEC", help="Publish a port (published=,target=,mode=host|ingress)."
    ),
    env: list[str] = repeated("-e", "--env", metavar="K=V", help="Set an environment variable."),
    label: list[str] = repeated("-l", "--label", metavar="K=V", help="Service label."),
    container_label: list[str] = repeated("--container-label", metavar="K=V", help="Container label."),
    constraint: list[str] = repeated(
        "--constraint", metavar="EXPR", help="Placement constraint (node.role==manager)."
    ),
    network: list[str] = repeated("--network", metavar="NETWORK", help="Attach to a network."),
    mount: list[str] = repeated(
        "--mount", metavar="SPEC", help="Attach a filesystem mount (type=volume,src=,dst=)."
    ),
    workdir: str | None = typer.Option(None, "-w", "--workdir", help="Working directory in the container."),
    user: str | None = typer.Option(
        None, "-u", "--user", help="Username or UID (format: <name|uid>[:<group|gid>])."
    ),
    stop_grace_period: str | None = typer.Option(
        None,
        "--stop-grace-period",
        metavar="duration",
        help="Time to wait before force-killing a container (10s).",
    ),
    endpoint_mode: str | None = typer.Option(
        None, "--endpoint-mode", metavar="vip|dnsrr", help="Endpoint mode (default vip)."
    ),
    update_parallelism: str | None = typer.Option(
        None, "--update-parallelism", metavar="uint", help="Tasks updated at once (default 1; 0 all)."
    ),
    update_delay: str | None = typer.Option(
        None, "--update-delay", metavar="duration", help="Delay between updates."
    ),
    update_failure_action: str | None = typer.Option(
        None, "--update-failure-action", metavar="string", help="pause, continue or rollback (default pause)."
    ),
    update_monitor: str | None = typer.Option(
        None, "--update-monitor", metavar="duration", help="How long to watch each updated task for failure."
    ),
    update_max_failure_ratio: str | None = typer.Option(
        None, "--update-max-failure-ratio", metavar="float", help="Failure rate to tolerate."
    ),
    update_order: str | None = typer.Option(
        None, "--update-order", metavar="string", help="stop-first or start-first."
    ),
    rollback_parallelism: str | None = typer.Option(
        None, "--rollback-parallelism", metavar="uint", help="Tasks rolled back at once."
    ),
    rollback_delay: str | None = typer.Option(
        None, "--rollback-delay", metavar="duration", help="Delay between rollbacks."
    ),
    rollback_failure_action: str | None = typer.Option(
        None, "--rollback-failure-action", metavar="string", help="pause or continue."
    ),
    rollback_monitor: str | None = typer.Option(
        None, "--rollback-monitor", metavar="duration", help="How long to watch each rolled-back task."
    ),
    rollback_max_failure_ratio: str | None = typer.Option(
        None, "--rollback-max-failure-ratio", metavar="float", help="Failure rate to tolerate."
    ),
    rollback_order: str | None = typer.Option(
        None, "--rollback-order", metavar="string", help="stop-first or start-first."
    ),
    health_cmd: str | None = typer.Option(None, "--health-cmd", help="Command to run to check health."),
    health_interval: str | None = typer.Option(
        None, "--health-interval", metavar="duration", help="Time between checks."
    ),
    health_timeout: str | None = typer.Option(
        None, "--health-timeout", metavar="duration", help="Maximum time one check may run."
    ),
    health_retries: str | None = typer.Option(
        None, "--health-retries", metavar="int", help="Failures in a row that make it unhealthy."
    ),
    health_start_period: str | None = typer.Option(
        None, "--health-start-period", metavar="duration", help="Start-up time before failures count."
    ),
    no_healthcheck: bool = typer.Option(
        False, "--no-healthcheck", help="Disable any container-specified HEALTHCHECK."
    ),
    with_registry_auth: bool = _WITH_REGISTRY_AUTH,
    detach: bool = _DETACH,
    quiet: bool = _QUIET,
    wait: bool = _WAIT,
    wait_timeout: str | None = _WAIT_TIMEOUT,
) -> None:
    """Create a new service; prints its id, then waits until it is ready (on a terminal, or with --wait)."""
    import os

    from dkr.cli import state
    from dkr.options.service import HealthFlags, RolloutFlags, ServiceOptions

    options = ServiceOptions(
        image=image, args=tuple(args or ()), name=name, mode=mode, replicas=replicas, publish=tuple(publish),
        env=tuple(env), labels=tuple(label), container_labels=tuple(container_label),
        constraints=tuple(constraint), networks=tuple(network), mounts=tuple(mount), workdir=workdir,
        user=user, stop_grace_period=stop_grace_period, endpoint_mode=endpoint_mode,
        update=RolloutFlags(update_parallelism, update_delay, update_failure_action, update_monitor,
                            update_max_failure_ratio, update_order),
        rollback=RolloutFlags(rollback_parallelism, rollback_delay, rollback_failure_action, rollback_monitor,
                              rollback_max_failure_ratio, rollback_order),
        health=HealthFlags(health_cmd, health_interval, health_timeout, health_retries, health_start_period,
                           no_healthcheck),
    )  # fmt: skip
    body = options.spec(os.environ.get, os.getcwd())
    timeout = _waiting(detach, wait, wait_timeout, "service create")
    engine = state(ctx).engine
    from dkr import render
    from dkr.engine.services import create_service
    from dkr.render.services import port_note, warnings

    changed = create_service(engine, body, with_registry_auth)
    warnings(changed.warnings)
    port_note(body["EndpointSpec"].get("Ports") or ())
    if timeout is None:
        render.result(changed.id)
        return
    from dkr.engine.services import keep_if_ready

    # the service is handed over (its id printed) only once it is ready; else it is removed
    keep_if_ready(engine, changed, lambda: _wait(engine, changed, timeout, quiet), render.note)
    render.result(changed.id)


def ls(
    ctx: typer.Context,
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Only display ids."),
    filter: list[str] = repeated(
        "-f", "--filter", metavar="KEY=VALUE", help="Filter: id=, label=, mode=, name=."
    ),
    format: str = listing_format_option(),
) -> None:
    """List services."""
    from dkr.cli import state
    from dkr.fields.services import SERVICE_COLUMNS
    from dkr.options.filters import parse_filters
    from dkr.options.formats import parse_format

    checked = parse_filters(
        filter,
        SERVICE_FILTERS,
        "service ls",
        {"mode": ("replicated", "global", "replicated-job", "global-job")},
    )
    fmt = parse_format(format, "service ls", ("table", "json"), template_fields=SERVICE_COLUMNS)
    engine = state(ctx).engine
    from dkr.engine.services import list_services
    from dkr.render.services import render_services

    render_services(list_services(engine, checked), fmt, quiet)


def ps(
    ctx: typer.Context,
    services: list[str] = typer.Argument(..., metavar="SERVICE...", help="Service names or ids."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Only display task ids."),
    no_trunc: bool = typer.Option(False, "--no-trunc", help="Do not truncate output."),
    filter: list[str] = repeated(
        "-f", "--filter", metavar="KEY=VALUE", help="Filter: desired-state=, id=, name=, node=."
    ),
    format: str = listing_format_option(),
) -> None:
    """List the tasks of one or more services: each task's node, desired and current state, and error."""
    from dkr.cli import state
    from dkr.fields.swarm import TASK_COLUMNS
    from dkr.options.filters import parse_filters
    from dkr.options.formats import parse_format

    checked = parse_filters(
        filter, TASK_FILTERS, "service ps", {"desired-state": ("running", "shutdown", "accepted")}
    )
    fmt = parse_format(format, "service ps", ("table", "json"), template_fields=TASK_COLUMNS)
    engine = state(ctx).engine
    from dkr.engine.services import tasks_of
    from dkr.render.services import render_tasks

    tasks, names, nodes = tasks_of(engine, services)
    tasks = _filtered(tasks, checked, nodes)
    render_tasks(tasks, names, nodes, fmt, quiet, trunc=not no_trunc)


def _filtered(tasks: list[Any], filters: dict[str, list[str]], nodes: dict[str, Any]) -> list[Any]:
    """service ps's filters, applied to the tasks (the Engine's task filters name nodes by id only)."""
    out = tasks
    if "desired-state" in filters:
        out = [t for t in out if t.desired_state in filters["desired-state"]]
    if "id" in filters:
        out = [t for t in out if any(t.id.startswith(p) for p in filters["id"])]
    if "node" in filters:
        wanted = set(filters["node"])
        out = [
            t
            for t in out
            if t.node_id in wanted or (t.node_id in nodes and nodes[t.node_id].hostname in wanted)
        ]
    return out


def inspect(
    ctx: typer.Context,
    services: list[str] = typer.Argument(..., metavar="SERVICE...", help="Service names or ids."),
) -> int:
    """Display detailed information on one or more services (docker's JSON array)."""
    return _each(ctx, services, remove=False)


def rm(
    ctx: typer.Context,
    services: list[str] = typer.Argument(..., metavar="SERVICE...", help="Service names or ids."),
) -> int:
    """Remove one or more services; echoes each once removed."""
    return _each(ctx, services, remove=True)


def _each(ctx: typer.Context, services: list[str], *, remove: bool) -> int:
    """inspect or rm: each service in turn on the Engine, then docker's report of what was done and not."""
    from dkr.cli import state

    engine = state(ctx).engine
    from dkr.engine.services import inspect_services, remove_services
    from dkr.render.listing import inspect_report, removal_report

    if remove:
        return removal_report(remove_services(engine, services))
    return inspect_report(inspect_services(engine, services))


def scale(
    ctx: typer.Context,
    specs: list[str] = typer.Argument(
        ..., metavar="SERVICE=REPLICAS...", help="Services and their task counts."
    ),
    detach: bool = _DETACH,
    wait: bool = _WAIT,
    wait_timeout: str | None = _WAIT_TIMEOUT,
) -> None:
    """Scale one or more replicated services."""
    from dkr.cli import state
    from dkr.options.service import parse_scale

    wanted = parse_scale(specs)
    timeout = _waiting(detach, wait, wait_timeout, "service scale")
    engine = state(ctx).engine
    from dkr import render
    from dkr.engine.services import update_service

    done = []
    for ref, count in wanted:
        changed = update_service(engine, ref, _scaled(ref, count))
        render.result(f"{ref} scaled to {count}")
        done.append(changed)
    for changed in done:
        _wait(engine, changed, timeout, False)


def _scaled(ref: str, count: int) -> Any:
    def change(spec: dict[str, Any]) -> dict[str, Any]:
        from dkr.options.service import UpdateOptions

        if "Replicated" not in (spec.get("Mode") or {}):
            raise DkrError(f"{ref}: scale can only be used with replicated mode")
        return UpdateOptions(replicas=str(count)).check()(spec)

    return change


def update(
    ctx: typer.Context,
    service: str = typer.Argument(..., metavar="SERVICE", help="Service name or id."),
    image: str | None = typer.Option(None, "--image", help="Service image tag."),
    replicas: str | None = typer.Option(None, "--replicas", metavar="uint", help="Number of tasks."),
    env_add: list[str] = repeated("--env-add", metavar="K=V", help="Add or update an environment variable."),
    env_rm: list[str] = repeated("--env-rm", metavar="K", help="Remove an environment variable."),
    label_add: list[str] = repeated("--label-add", metavar="K=V", help="Add or update a service label."),
    label_rm: list[str] = repeated("--label-rm", metavar="K", help="Remove a service label."),
    publish_add: list[str] = repeated(
        "--publish-add", metavar="SPEC", help="Add or update a published port."
    ),
    publish_rm: list[str] = repeated(
        "--publish-rm", metavar="TARGET", help="Remove a published port by its target port."
    ),
    args: str | None = typer.Option(None, "--args", metavar="command", help="Service command args."),
    force: bool = typer.Option(False, "--force", help="Force update even if no changes require it."),
    stop_grace_period: str | None = typer.Option(
        None, "--stop-grace-period", metavar="duration", help="Time to wait before force-killing a container."
    ),
    update_parallelism: str | None = typer.Option(
        None, "--update-parallelism", metavar="uint", help="Tasks updated at once."
    ),
    update_delay: str | None = typer.Option(
        None, "--update-delay", metavar="duration", help="Delay between updates."
    ),
    update_failure_action: str | None = typer.Option(
        None, "--update-failure-action", metavar="string", help="pause, continue or rollback."
    ),
    update_monitor: str | None = typer.Option(
        None, "--update-monitor", metavar="duration", help="How long to watch each updated task."
    ),
    update_order: str | None = typer.Option(
        None, "--update-order", metavar="string", help="stop-first or start-first."
    ),
    with_registry_auth: bool = _WITH_REGISTRY_AUTH,
    detach: bool = _DETACH,
    quiet: bool = _QUIET,
    wait: bool = _WAIT,
    wait_timeout: str | None = _WAIT_TIMEOUT,
) -> None:
    """Update a service; prints its name, then waits until the update is done and the service ready."""
    import os

    from dkr.cli import state
    from dkr.options.service import RolloutFlags, UpdateOptions

    options = UpdateOptions(
        image=image, replicas=replicas, env_add=tuple(env_add), env_rm=tuple(env_rm),
        label_add=tuple(label_add), label_rm=tuple(label_rm), publish_add=tuple(publish_add),
        publish_rm=tuple(publish_rm), args=args, force=force, stop_grace_period=stop_grace_period,
        update=RolloutFlags(update_parallelism, update_delay, update_failure_action, update_monitor, None,
                            update_order),
    )  # fmt: skip
    change = options.check(os.environ.get)
    timeout = _waiting(detach, wait, wait_timeout, "service update")
    engine = state(ctx).engine
    from dkr import render
    from dkr.engine.services import update_service
    from dkr.render.services import port_note, warnings

    changed = update_service(engine, service, change, registry_auth=with_registry_auth)
    render.result(service)
    warnings(changed.warnings)
    if publish_add:
        from dkr.grammars.ports import parse_service_publish

        port_note([p for s in publish_add for p in parse_service_publish(s, "service update")])
    _wait(engine, changed, timeout, quiet)


def rollback(
    ctx: typer.Context,
    service: str = typer.Argument(..., metavar="SERVICE", help="Service name or id."),
    detach: bool = _DETACH,
    quiet: bool = _QUIET,
    wait: bool = _WAIT,
    wait_timeout: str | None = _WAIT_TIMEOUT,
) -> None:
    """Revert changes to a service's configuration; prints its name, then waits as update does."""
    from dkr.cli import state

    timeout = _waiting(detach, wait, wait_timeout, "service rollback")
    engine = state(ctx).engine
    from dkr import render
    from dkr.engine.services import update_service
    from dkr.render.services import warnings

    changed = update_service(engine, service, None, rollback=True)
    render.result(service)
    warnings(changed.warnings)
    _wait(engine, changed, timeout, quiet, rollback=True)


def logs(
    ctx: typer.Context,
    service: str = typer.Argument(..., metavar="SERVICE", help="Service name or id."),
    follow: bool = typer.Option(False, "-f", "--follow", help="Follow log output."),
    tail: str = typer.Option("all", "-n", "--tail", help="Number of lines to show from the end, or 'all'."),
    since: str | None = typer.Option(
        None, "--since", metavar="TIME", help="Only output since TIME (2024-01-02T15:04:05Z, 42m)."
    ),
    timestamps: bool = typer.Option(False, "-t", "--timestamps", help="Show timestamps."),
    no_trunc: bool = typer.Option(False, "--no-trunc", help="Do not truncate task ids."),
    no_task_ids: bool = typer.Option(False, "--no-task-ids", help="Do not include task ids in output."),
) -> None:
    """Fetch the logs of a service: every task's lines, prefixed with its task and node as docker does."""
    from dkr.cli import state
    from dkr.grammars.timespec import tail_param, time_param

    tail = tail_param(tail, "service logs")
    since = time_param(since, "--since", "service logs") if since else None
    engine = state(ctx).engine
    from dkr.engine.services import open_service_logs, task_and_node
    from dkr.models.swarm import Node
    from dkr.render.services import write_service_logs

    source = open_service_logs(engine, service, follow=follow, tail=tail, since=since, timestamps=timestamps)
    nodes: dict[str, Node] = {}
    write_service_logs(
        source.batches, source.service, lambda task_id: task_and_node(engine, task_id, nodes),
        timestamps=timestamps, trunc=not no_trunc, task_ids=not no_task_ids,
    )  # fmt: skip


def register(app: typer.Typer) -> None:
    group = command_group(
        app, "service", "Manage Swarm services: create, ls, ps, inspect, logs, scale, update, rollback, rm."
    )
    # docker's flags.SetInterspersed(false): options stop at IMAGE, the rest is the tasks' command
    group.command("create", context_settings={"allow_interspersed_args": False})(create)
    for name, command in (
        ("ls", ls), ("ps", ps), ("inspect", inspect), ("rm", rm), ("scale", scale), ("update", update),
        ("rollback", rollback), ("logs", logs),
    ):  # fmt: skip
        group.command(name)(command)
