"""Pure: the docker CLI's config.json (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`), read and
written as docker/cli's configfile does, so that docker and dkr share credentials.

An entry under `auths` is `{"auth": base64("user:password")}` (plus `identitytoken` when the registry gave
one); with a credential helper (`credsStore`, or `credHelpers[SERVER]`) the secret lives in the helper and
the entry is `{}`. The file is written as Go's json.MarshalIndent with a tab writes it, mode 0600, through a
temporary file renamed over it in the same folder (a crash leaves the old file or the new one, never half of
one). Every other key is kept as it was, including keys docker does not know.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dkr.errors import DkrError
from dkr.hosts import docker_config_dir

Config = dict[str, Any]


def config_path(env: Mapping[str, str] | None = None) -> Path:
    return docker_config_dir(os.environ if env is None else env) / "config.json"


def load(path: Path) -> Config:
    """The file's JSON object; {} when there is no file (or an empty one, which docker reads as {})."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise DkrError(f"cannot read {path}: {(exc.strerror or str(exc)).lower()}") from None
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DkrError(f"cannot read {path}: not valid JSON ({exc})", "Fix or remove the file.") from None
    if not isinstance(data, dict):
        raise DkrError(f"cannot read {path}: not a JSON object", "Fix or remove the file.")
    return data


def dumps(config: Config) -> str:
    """JSON as Go's json.MarshalIndent(c, "", "\\t") writes it: tab-indented, `<`, `>`, `&`, U+2028 and
    U+2029 escaped, other characters as they are, no final newline."""
    text = json.dumps(config, indent="\t", ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028")):
        text = text.replace(char, escape)  # JSON has these characters only inside strings
    return text.replace("\u2029", "\\u2029")


def save(path: Path, config: Config) -> None:
    """Write `config` atomically with mode 0600 (the folder is made 0700 when missing, as docker makes it);
    a symlinked config.json is written through, as docker does."""
    target = path.resolve() if path.is_symlink() else path
    folder = target.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=target.name + ".", suffix=".tmp")
    except OSError as exc:
        raise DkrError(f"cannot write {path}: {(exc.strerror or str(exc)).lower()}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:  # mkstemp made it 0600
            f.write(dumps(config))
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise DkrError(f"cannot write {path}: {(exc.strerror or str(exc)).lower()}") from None


def encode_auth(username: str, password: str) -> str:
    return base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def decode_auth(auth: str) -> tuple[str, str] | None:
    """The username and password of an `auth` value, or None when it holds none (docker's decodeAuth)."""
    try:
        text = base64.b64decode(auth, validate=True).decode("utf-8")
    except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
        return None
    username, colon, password = text.partition(":")
    return (username, password.strip("\x00")) if colon and username else None


def auth_entry(username: str, password: str, identity_token: str = "") -> dict[str, str]:
    """The `auths` entry docker writes for a login: with an identity token, the password is not kept."""
    if identity_token:
        return {"auth": encode_auth(username, ""), "identitytoken": identity_token}
    return {"auth": encode_auth(username, password)}


def auths(config: Config) -> dict[str, Any]:
    found = config.get("auths")
    return found if isinstance(found, dict) else {}


def with_entry(config: Config, key: str, entry: Mapping[str, str]) -> Config:
    """A copy of `config` with `auths[key]` set (auths sorted by key, as Go writes a map)."""
    merged = dict(sorted({**auths(config), key: dict(entry)}.items()))
    if "auths" in config:
        return {**config, "auths": merged}
    return {"auths": merged, **config}  # docker writes auths first


def without_entries(config: Config, keys: list[str]) -> Config:
    """A copy of `config` without `auths[key]` for each of `keys`."""
    return {**config, "auths": {k: v for k, v in auths(config).items() if k not in keys}}


def helper_for(config: Config, key: str) -> str | None:
    """The credential helper docker uses for `key`: `credHelpers[key]`, else `credsStore`, else None."""
    helpers = config.get("credHelpers")
    if isinstance(helpers, dict) and isinstance(helpers.get(key), str) and helpers[key]:
        return str(helpers[key])
    store = config.get("credsStore")
    return store if isinstance(store, str) and store else None
