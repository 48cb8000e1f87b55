"""dkr context create|ls|use|show|inspect|rm: docker's contexts, in the docker CLI's own store (no Engine
call): a context either tool makes works in both."""

from __future__ import annotations

import os

import typer

from dkr import render
from dkr.commands.common import command_group, listing_format_option, repeated
from dkr.errors import DkrError, ExitCode, UsageError

#: docker's words (cli/command/context/use.go, list.go)
HOST_OVERRIDES_USE = (
    "Warning: DOCKER_HOST environment variable overrides the active context. To use {name}, either set the "
    "global --context flag, or unset DOCKER_HOST environment variable."
)
HOST_OVERRIDES_LS = (
    "Warning: DOCKER_HOST environment variable overrides the active context. To use a context, either set "
    "the global --context flag, or unset DOCKER_HOST environment variable."
)
#: dkr's own, in docker's manner: DOCKER_CONTEXT overrides config.json's currentContext too
CONTEXT_OVERRIDES_USE = (
    "Warning: DOCKER_CONTEXT environment variable overrides the active context. To use {name}, either set "
    "the global --context flag, or unset DOCKER_CONTEXT environment variable."
)


def _current(ctx: typer.Context) -> str:
    from dkr.cli import state
    from dkr.contexts import current_name

    app = state(ctx)
    return current_name(app.host, app.context, os.environ)


def create(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="CONTEXT", help="The new context's name."),
    description: str = typer.Option(
        "", "--description", metavar="string", help="Description of the context."
    ),
    docker: list[str] = repeated(
        "--docker",
        metavar="host=…,ca=…,cert=…,key=…,skip-tls-verify=…|from=CTX",
        help="The docker endpoint (docker's keys; ca, cert and key are files, copied into the store).",
    ),
    from_: str | None = typer.Option(
        None, "--from", metavar="CONTEXT", help="Copy this context's endpoint and TLS files."
    ),
) -> None:
    """Create a context; prints its name. Without --docker or --from, a copy of the current context."""
    from dkr.contexts import Store, copied_context, new_context
    from dkr.grammars.contexts import check_docker_config, go_quote, name_problem, parse_docker_flag

    problem = name_problem(name)
    if problem:
        raise UsageError(problem, "context create")
    config = parse_docker_flag(docker)
    if from_ is not None and config:
        raise UsageError("cannot use --docker flag when --from is set", "context create")
    checked = check_docker_config(config) if docker else None
    store = Store()
    if store.exists(name):
        raise DkrError(f"context {go_quote(name)} already exists")
    if checked is not None:
        made, tls = new_context(store, name, description, checked)
    else:
        made, tls = copied_context(store, name, description, from_ or _current(ctx))
    store.create(made, tls)
    render.result(name)
    render.note(f"Successfully created context {go_quote(name)}")


def ls(
    ctx: typer.Context,
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Only show context names."),
    format: str = listing_format_option(),
) -> None:
    """List contexts."""
    from dkr.contexts import Store
    from dkr.fields.contexts import COLUMNS, rows
    from dkr.options.formats import parse_format
    from dkr.render.contexts import render_contexts

    fmt = parse_format(format, "context ls", ("table", "json"), template_fields=COLUMNS)
    store = Store()
    current = _current(ctx)
    missing = ""
    try:
        store.get(current)
    except DkrError as exc:
        missing = exc.message
    render_contexts(rows(store.default(), store.stored(), current, missing), fmt, quiet)
    if os.environ.get("DOCKER_HOST"):
        render.note(HOST_OVERRIDES_LS)


def use(name: str = typer.Argument(..., metavar="CONTEXT", help="The context to use from now on.")) -> None:
    """Set the current docker context. It is config.json's currentContext; "default" removes it."""
    from dkr import dockerconfig
    from dkr.contexts import Store
    from dkr.grammars.contexts import DEFAULT_CONTEXT, go_quote, name_problem

    if name != DEFAULT_CONTEXT:
        problem = name_problem(name)
        if problem:
            raise UsageError(problem, "context use")
        Store().get(name)
    path = dockerconfig.config_path()
    config = dockerconfig.load(path)
    value = "" if name == DEFAULT_CONTEXT else name
    if config.get("currentContext", "") != value:  # as docker: no file written when nothing changes
        if value:
            config["currentContext"] = value
        else:
            config.pop("currentContext", None)
        dockerconfig.save(path, config)
    render.result(name)
    render.note(f"Current context is now {go_quote(name)}")
    if name != DEFAULT_CONTEXT:
        if os.environ.get("DOCKER_HOST"):
            render.note(HOST_OVERRIDES_USE.format(name=go_quote(name)))
        if os.environ.get("DOCKER_CONTEXT") not in (None, "", name):
            render.note(CONTEXT_OVERRIDES_USE.format(name=go_quote(name)))


def show(ctx: typer.Context) -> None:
    """Print the name of the current context."""
    render.result(_current(ctx))


def inspect(
    ctx: typer.Context,
    names: list[str] = typer.Argument(
        None, metavar="[CONTEXT...]", help="Contexts (default: the current one)."
    ),
    format: str = typer.Option(
        "", "-f", "--format", metavar="json|TEMPLATE", help="json (the default) or a Go template."
    ),
) -> int:
    """Display detailed information on one or more contexts, as docker's JSON array."""
    from dkr.contexts import Store
    from dkr.models.containers import Outcome
    from dkr.options.formats import parse_format
    from dkr.render.inspect import show as show_inspect

    output = parse_format(format, "context inspect", ("json",), default="json", object_template=True)
    store = Store()
    outcomes = []
    for name in names or [_current(ctx)]:
        try:
            context = store.get(name)
        except DkrError as exc:
            outcomes.append(Outcome(name, error=exc))
            continue
        described = {
            **context.meta_json(),
            "TLSMaterial": store.tls_listing(name),
            "Storage": store.storage(name),
        }
        outcomes.append(Outcome(name, value=described))
    if output.template is None:  # docker marshals these itself: Go's HTML escaping (`\u003cIN MEMORY\u003e`)
        from dkr.render.listing import inspect_report

        return inspect_report(res.value if res.error is None else res.error for res in outcomes)
    return show_inspect(outcomes, output)


def rm(
    ctx: typer.Context,
    names: list[str] = typer.Argument(..., metavar="CONTEXT...", help="Contexts to remove."),
    force: bool = typer.Option(False, "-f", "--force", help="Force the removal of a context in use."),
) -> int:
    """Remove one or more contexts; echoes each name once removed. The current one needs -f (and then the
    docker CLI's config no longer names it)."""
    from dkr import dockerconfig
    from dkr.contexts import Store
    from dkr.grammars.contexts import DEFAULT_CONTEXT, go_quote

    store = Store()
    current = _current(ctx)
    failed = 0
    for name in names:
        try:
            if name == DEFAULT_CONTEXT:
                raise DkrError('context "default" cannot be removed')
            if name == current:
                if not force:
                    raise DkrError(f"context {go_quote(name)} is in use, set -f flag to force remove")
                path = dockerconfig.config_path()
                config = dockerconfig.load(path)
                if config.get("currentContext") == name:  # unlike docker, never another context's setting
                    config.pop("currentContext")
                    dockerconfig.save(path, config)
            if not force and not store.meta_dir(name).exists():
                raise DkrError(f"context {go_quote(name)} does not exist")
            store.remove(name)
        except DkrError as exc:
            failed += 1
            render.error(exc.message, exc.hint)
            continue
        render.result(name)
    return ExitCode.FAILURE if failed else ExitCode.OK


def register(app: typer.Typer) -> None:
    group = command_group(app, "context", "Manage contexts: create, ls, use, show, inspect, rm.")
    group.command("create")(create)
    group.command("ls")(ls)
    group.command("use")(use)
    group.command("show")(show)
    group.command("inspect")(inspect)
    group.command("rm")(rm)
