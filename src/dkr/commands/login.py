"""dkr login: log in to a registry as docker login does, keeping the credentials where docker keeps them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from dkr import render
from dkr.errors import DkrError, EngineError, UsageError

if TYPE_CHECKING:
    from dkr.engine.client import Engine

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

    engine = state(ctx).engine  # resolved first: a bad -H is a usage error that never imports the SDK
    from dkr.dockerconfig import config_path
    from dkr.engine.auth import check_helper, stored_login

    path = config_path()
    check_helper(path, key)
    known = stored_login(path, key) if user is None and secret is None else None
    if known:
        # as docker: a login with nothing given tries the credentials kept for the server first
        render.note(f"Authenticating with existing credentials... [Username: {known[0]}]")
        try:
            return _log_in(engine, path, key, *known)
        except EngineError as exc:
            from dkr.render.errors import message

            render.note(f"Login did not succeed, error: {message(exc)}")
    if user is None or secret is None:
        user, secret = _prompt(key, user, known[0] if known else "")
    _log_in(engine, path, key, user, secret)


def _log_in(engine: Engine, path: Path, key: str, user: str, secret: str) -> None:
    """The Engine checks the login; then it is kept, and the Engine's status is the result."""
    from dkr.engine.auth import log_in, store_credentials

    answer = log_in(engine, key, user, secret)
    stored = store_credentials(path, key, user, secret, answer.identity_token)
    if stored.warn_unencrypted:
        render.note(UNENCRYPTED_WARNING.format(path=stored.path))
    if answer.status:
        render.result(answer.status)


def _read_stdin() -> str:
    try:
        return sys.stdin.read()
    except (OSError, ValueError, AttributeError) as exc:  # closed, not text, or no stdin at all
        raise DkrError(f"cannot read the password from stdin: {exc}") from None


def _prompt(key: str, user: str | None, default_user: str) -> tuple[str, str]:
    """Ask for what -u / --password-stdin did not give, as docker does: only on a terminal (the username kept
    for the server is the default)."""
    from dkr.options.login import check_password, check_username
    from dkr.options.registry import HUB_KEY

    if not render.can_ask():
        raise DkrError(
            "cannot perform an interactive login from a non-TTY device",
            "Give them: dkr login -u USERNAME --password-stdin" + ("" if key == HUB_KEY else f" {key}"),
        )
    try:
        if user is None:
            typed = render.ask(f"Username ({default_user}): " if default_user else "Username: ").strip()
            user = check_username(typed or default_user)
        return user, check_password(render.ask("Password: ", secret=True))
    except EOFError:
        raise DkrError("login cancelled: no input") from None


def register(app: typer.Typer) -> None:
    app.command("login")(login)
