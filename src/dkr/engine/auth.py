"""Registry credentials: the Engine checks them (POST /auth), and they are kept where the docker CLI keeps
them, config.json (dkr.dockerconfig) or the credential helper it names, through the SDK's implementation
of docker-credential-helpers' protocol (`docker-credential-<name> store|get|erase`, JSON on stdin/stdout)."""

from __future__ import annotations

import contextlib
import shutil
import warnings
from pathlib import Path
from typing import Any

import docker.credentials

from dkr import dockerconfig
from dkr.engine.client import Engine
from dkr.errors import CredentialHelperFailed
from dkr.models.auth import LoginResult, Stored
from dkr.options.registry import logout_keys

#: the helper's Username for an identity token (docker/cli's nativeStore)
TOKEN_USERNAME = "<token>"


def log_in(engine: Engine, server: str, username: str, password: str) -> LoginResult:
    """Ask the Engine to log in to `server` (a config.json key): it asks the registry, so wrong credentials
    are its refusal (an EngineError naming the registry)."""
    with engine.errors(f"log in to {server}"):
        data = engine.api.login(username, password, registry=server, reauth=True)
    return LoginResult.from_api(data if isinstance(data, dict) else {})


def store_credentials(path: Path, server: str, username: str, password: str, identity_token: str) -> Stored:
    """Keep a login as docker login does: in the credential helper configured for `server` (config.json
    then gets an empty entry for it), else in config.json."""
    config = dockerconfig.load(path)
    helper = dockerconfig.helper_for(config, server)
    if helper:
        secret = (TOKEN_USERNAME, identity_token) if identity_token else (username, password)
        _run_helper(helper, "store", server, "store", *secret)
        entry: dict[str, str] = {}
    else:
        entry = dockerconfig.auth_entry(username, password, identity_token)
    if dockerconfig.auths(config).get(server) == entry:  # as docker: an unchanged login is not written again
        return Stored(path, helper, warn_unencrypted=False)
    dockerconfig.save(path, dockerconfig.with_entry(config, server, entry))
    return Stored(path, helper, warn_unencrypted=helper is None and not identity_token)


def erase_credentials(path: Path, server: str) -> bool:
    """Remove the login for `server` (and the legacy keys with a scheme) from config.json and from the
    credential helper; False when there was none anywhere. docker logout asks the helper even when
    config.json has no entry (a login made with another config file shares the helper)."""
    config = dockerconfig.load(path)
    keys = logout_keys(server)
    in_file = [k for k in keys if k in dockerconfig.auths(config)]
    in_helpers = [
        (helper, k)
        for k in keys
        if (helper := dockerconfig.helper_for(config, k)) and _helper_get(helper, k) is not None
    ]
    for helper, k in in_helpers:
        with contextlib.suppress(_Missing):  # gone since: what logout wants
            _run_helper(helper, "erase", k, "erase")
    if in_file:
        dockerconfig.save(path, dockerconfig.without_entries(config, in_file))
    return bool(in_file or in_helpers)


def stored_login(path: Path, server: str) -> tuple[str, str] | None:
    """The username and password kept for `server` (by a login of docker's or dkr's), if any: docker login
    tries them before it asks. An identity token is not a password: None then."""
    config = dockerconfig.load(path)
    helper = dockerconfig.helper_for(config, server)
    if helper:
        found = _helper_get(helper, server)
        username, secret = (str(found.get(k) or "") for k in ("Username", "Secret")) if found else ("", "")
        return (username, secret) if username and secret and username != TOKEN_USERNAME else None
    for key in logout_keys(server):  # the legacy keys with a scheme too, as docker's file store reads them
        entry = dockerconfig.auths(config).get(key)
        if isinstance(entry, dict) and not entry.get("identitytoken"):
            found_login = dockerconfig.decode_auth(str(entry.get("auth") or ""))
            if found_login:
                return found_login
    return None


def check_helper(path: Path, server: str) -> None:
    """Before logging in: the credential helper config.json names for `server` must be there to keep the
    login (the SDK would only warn, and the login would be lost)."""
    helper = dockerconfig.helper_for(dockerconfig.load(path), server)
    if helper and shutil.which(f"docker-credential-{helper}") is None:
        raise CredentialHelperFailed(helper, "store", server, "it is not installed (not on PATH)")


class _Missing(Exception):
    """The helper has no credentials for the server."""


def _helper_get(helper: str, server: str) -> dict[str, Any] | None:
    try:
        found = _run_helper(helper, "look up", server, "get")
    except _Missing:
        return None
    return found if isinstance(found, dict) else None


def _run_helper(helper: str, action: str, server: str, verb: str, *secret: str) -> Any:
    """`docker-credential-<helper> <verb>` for `server` (the SDK's Store); raises _Missing when it has no
    credentials for it, CredentialHelperFailed when it fails."""
    with warnings.catch_warnings():  # the SDK warns when the helper is not on PATH; the call then says so
        warnings.simplefilter("ignore")
        store = docker.credentials.Store(helper)
    try:
        return getattr(store, verb)(server, *secret)
    except docker.credentials.CredentialsNotFound as exc:
        raise _Missing from exc
    except docker.credentials.StoreError as exc:
        raise CredentialHelperFailed(helper, action, server, _one_line(str(exc))) from exc
    except ValueError as exc:  # its answer to get was not JSON
        raise CredentialHelperFailed(helper, action, server, f"unreadable answer ({exc})") from exc


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit] + "…"
