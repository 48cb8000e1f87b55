"""dkr version: the client's version and the Engine's."""

from __future__ import annotations

import platform

import typer

from dkr import __version__


def version(
    ctx: typer.Context,
    format: str = typer.Option("text", "--format", metavar="text|json", help="text or json."),
) -> None:
    """Show the dkr version and the Engine's version and API version."""
    from dkr.cli import state
    from dkr.options.formats import parse_format

    fmt = parse_format(format, "version", ("text", "json"), default="text")
    st = state(ctx)
    engine = st.engine
    server = engine.version()
    from dkr import render
    from dkr.fields.containers import go_json

    data = {
        "Client": {
            "Version": __version__,
            "Python": platform.python_version(),
            "ApiVersion": engine.api.api_version,
        },
        "Server": {
            "Endpoint": engine.endpoint.url,
            "Version": server.get("Version", ""),
            "ApiVersion": server.get("ApiVersion", ""),
            "MinAPIVersion": server.get("MinAPIVersion", ""),
            "Os": server.get("Os", ""),
            "Arch": server.get("Arch", ""),
        },
    }
    if fmt.json:
        render.result(go_json(data))
        return
    render.results(
        [
            "Client: dkr",
            f" Version:     {__version__}",
            f" Python:      {platform.python_version()}",
            f" API version: {engine.api.api_version} (negotiated)",
            "",
            f"Server: Docker Engine at {engine.endpoint.url}",
            f" Version:     {data['Server']['Version']}",
            f" API version: {data['Server']['ApiVersion']} (minimum {data['Server']['MinAPIVersion']})",
            f" OS/Arch:     {data['Server']['Os']}/{data['Server']['Arch']}",
        ]
    )


def register(app: typer.Typer) -> None:
    app.command("version")(version)
