"""dkr version: the client's version and the Engine's (with several Engines, each Engine's)."""

from __future__ import annotations

import platform
from typing import TYPE_CHECKING, Any

import typer

from dkr import __version__
from dkr.errors import ExitCode

if TYPE_CHECKING:
    from dkr.engine.client import Engine


def version(
    ctx: typer.Context,
    format: str = typer.Option("text", "--format", metavar="text|json", help="text or json."),
) -> int:
    """Show the dkr version and the Engine's version and API version."""
    from dkr.cli import state
    from dkr.options.formats import parse_format

    fmt = parse_format(format, "version", ("text", "json"), default="text")
    st = state(ctx)
    from dkr import render
    from dkr.fields.containers import go_json

    if not st.several:
        data = _versions(st.engine)
        render.result(go_json(data)) if fmt.json else render.results(_text(data, client=True))
        return ExitCode.OK
    from dkr.commands.fanout import on_each

    answers, failed = on_each(st, _versions)
    found = [{"Engine": a.name, **a.value} for a in answers if a.value is not None]
    if fmt.json:
        render.result(go_json(found))  # a JSON list: one object per Engine that answered
    else:
        # the client once (the API version is each Engine's), then each Engine's server section
        lines = _client()
        for data in found:
            lines += ["", *_text(data, client=False)]
        render.results(lines)
    return ExitCode.FAILURE if failed else ExitCode.OK


def _versions(engine: Engine) -> dict[str, Any]:
    server = engine.version()
    return {
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


def _text(data: dict[str, Any], client: bool) -> list[str]:
    """The client section and the server's (one Engine: as always), or, for one of several Engines, its
    server section named by its context, with the API version dkr negotiated with it."""
    c, s = data["Client"], data["Server"]
    lines = [*_client(), f" API version: {c['ApiVersion']} (negotiated)", ""] if client else []
    engine = f" (context {data['Engine']})" if "Engine" in data else ""
    lines += [
        f"Server: Docker Engine at {s['Endpoint']}{engine}",
        f" Version:     {s['Version']}",
        f" API version: {s['ApiVersion']} (minimum {s['MinAPIVersion']})"
        + (f", negotiated {c['ApiVersion']}" if engine else ""),
        f" OS/Arch:     {s['Os']}/{s['Arch']}",
    ]
    return lines


def _client() -> list[str]:
    return ["Client: dkr", f" Version:     {__version__}", f" Python:      {platform.python_version()}"]


def register(app: typer.Typer) -> None:
    app.command("version")(version)
