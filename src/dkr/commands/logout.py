"""dkr logout: remove a registry's credentials, from the docker CLI's config.json and credential helper."""

from __future__ import annotations

import typer


def logout(
    server: str | None = typer.Argument(
        None, metavar="[SERVER]", help="The registry: host[:port] (default: Docker Hub)."
    ),
) -> None:
    """Log out from a registry (Docker Hub by default). Its credentials are removed from the docker CLI's
    config.json and from its credential helper."""
    from dkr import render
    from dkr.dockerconfig import config_path
    from dkr.options.registry import registry_key

    key = registry_key(server, "logout")
    from dkr.engine.auth import erase_credentials

    if erase_credentials(config_path(), key):
        render.result(f"Removing login credentials for {key}")
    else:
        render.result(f"Not logged in to {key}")


def register(app: typer.Typer) -> None:
    app.command("logout")(logout)
