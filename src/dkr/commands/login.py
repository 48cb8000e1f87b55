"""dkr login: log in to a registry as docker login does, keeping the credentials where docker keeps them."""

from __future__ import annotations

import sys

import typer

from dkr import render
from dkr.errors import DkrError, UsageError

#: docker/cli's words (cli/command/registry/login.go, cli/config/credentials/file_store.go)
PASSWORD_FLAG_WARNING = "WARNING! Using --password via the CLI is insecure. Use --password-stdin."
UNENCRYPTED_WARNING = (
    "WARNING! Your credentials are stored unencrypted in '{path}'.\n"
    "Configure a credential helper to remove this warning. See\n"
    "https://docs.docker.com/go/credential-store/"
)


def login(
    ctx: typer.Context,
    server: str | None = typer.Argument(
        None, metavar="[SERVER]", help="The registry: host[:port] (default: Docker Hub)."
    ),
    username: str | None = typer.Option(None, "-u", "--username", metavar="USERNAME", help="Username."),
    password: str | None = typer.Option(
        None, "-p", "--password", metavar="PASSWORD", help="Password (prefer --password-stdin)."
    ),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Take the password from stdin."),
) -> None:
    """Log in to a registry (Docker Hub by default). The Engine checks the credentials; they are kept where
    the docker CLI keeps them (its config.json, or its credential helper), so docker uses them too."""
    from dkr.cli import state
    from dkr.options.login import check_password, check_username, strip_line_end
    from dkr.options.registry import registry_key

    if password_stdin and password is not None:
        raise UsageError("--password and --password-stdin are mutually exclusive", "login")
    if password_stdin and username is None:
        raise UsageError("Must provide --username with --password-stdin", "login")
    user = check_username(username) if username is not None else None
    secret = check_password(password) if password is not None else None
    key = registry_key(server, "login")
    if password is not None:
        render.note(PASSWORD_FLAG_WARNING)
    if password_stdin:
        secret = check_password(strip_line_end(_read_stdin()))
    if user is None or secret is None:
        user, secret = _prompt(key, user)

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr.dockerconfig import config_path
    from dkr.engine.auth import log_in, store_credentials

    answer = log_in(engine, key, user, secret)
    stored = store_credentials(config_path(), key, user, secret, answer.identity_token)
    if stored.plain_password:
        render.note(UNENCRYPTED_WARNING.format(path=stored.path))
    if answer.status:
        render.result(answer.status)


def _read_stdin() -> str:
    try:
        return sys.stdin.read()
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise DkrError(f"cannot read the password from stdin: {exc}") from None


def _prompt(key: str, user: str | None) -> tuple[str, str]:
    """Ask for what -u / --password-stdin did not give, as docker does: only on a terminal."""
    from dkr.options.login import check_password, check_username
    from dkr.options.registry import HUB_KEY

    if not render.can_ask():
        raise DkrError(
            "cannot perform an interactive login from a non-TTY device",
            "Give them: dkr login -u USERNAME --password-stdin" + ("" if key == HUB_KEY else f" {key}"),
        )
    try:
        if user is None:
            user = check_username(render.ask("Username: "))
        return user, check_password(render.ask("Password: ", secret=True))
    except EOFError:
        raise DkrError("login cancelled: no input") from None


def register(app: typer.Typer) -> None:
    app.command("login")(login)
