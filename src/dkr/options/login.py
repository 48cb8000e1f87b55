"""Pure: dkr login's credentials, checked before any Engine call (docker/cli's verifyloginOptions)."""

from __future__ import annotations

from dkr.errors import UsageError


def strip_line_end(secret: str) -> str:
    """A password read from stdin without the line end a pipe or a terminal adds (docker trims one "\\n",
    then one "\\r"); anything else in it, spaces included, is the password."""
    secret = secret.removesuffix("\n")
    return secret.removesuffix("\r")


def check_username(username: str) -> str:
    """The username as docker sends it (surrounding spaces trimmed); exit 2 for one docker would store and
    then not read back."""
    username = username.strip()
    if not username:
        raise UsageError("username is empty", "login")
    if ":" in username:
        raise UsageError("the username must not contain ':' (config.json keeps 'user:password')", "login")
    _check_utf8(username, "username")
    return username


def check_password(password: str) -> str:
    if not password.strip():  # docker refuses a password of spaces alone too
        raise UsageError("password is empty", "login")
    _check_utf8(password, "password")
    return password


def _check_utf8(value: str, what: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"the {what} is not valid UTF-8", "login") from None
