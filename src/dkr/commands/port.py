"""dkr port: where a container's ports are published, as docker's lines (`80/tcp -> 127.0.0.1:8080`)."""

from __future__ import annotations

import typer

from dkr.errors import DkrError, ExitCode, UsageError
from dkr.options.common import check_container_refs, shown


def port(
    ctx: typer.Context,
    container: str = typer.Argument(..., metavar="CONTAINER", help="Name, id or unique id prefix."),
    private_port: str | None = typer.Argument(
        None, metavar="[PRIVATE_PORT[/PROTO]]", help="Only this container port (PROTO: tcp by default)."
    ),
) -> int:
    """List port mappings or a specific mapping for the container."""
    from dkr.cli import state

    check_container_refs([container], "port")
    if private_port is not None:
        number = private_port.partition("/")[0]
        if not (number.isascii() and number.isdigit() and int(number) <= 65535):
            raise UsageError(f"invalid port {shown(number)} (0 to 65535)", "port")

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr import render
    from dkr.engine.lifecycle import published_ports
    from dkr.fields.ports import port_lines

    lines = port_lines(published_ports(engine, container), private_port)
    if private_port is not None and not lines:
        raise DkrError(f"No public port '{private_port}' published for {container}")  # docker's words
    render.results(lines)
    return ExitCode.OK


def register(app: typer.Typer) -> None:
    app.command("port")(port)
