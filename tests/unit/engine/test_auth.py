"""Where a login is kept, as docker keeps it: config.json, or the credential helper it names (the protocol
of docker-credential-helpers, run against a fake helper on PATH); and logout removing it from both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dkr.engine.auth import erase_credentials, store_credentials, stored_login
from dkr.errors import CredentialHelperFailed
from dkr.render.errors import describe
from tests.helpers import write_credential_helper


@pytest.fixture
def helper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fake helper `dkrtest` first on PATH; its store file."""
    store = write_credential_helper(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{Path('/usr/bin')}:{Path('/bin')}")
    return store


def read(path: Path) -> dict[str, object]:
    return dict(json.loads(path.read_text()))


def test_plain_store_writes_the_auth_entry(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    stored = store_credentials(path, "r:5000", "dkr", "pw", "")
    assert stored.helper is None and stored.warn_unencrypted
    assert read(path) == {"auths": {"r:5000": {"auth": "ZGtyOnB3"}}}


def test_an_identity_token_replaces_the_password(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    stored = store_credentials(path, "r:5000", "dkr", "pw", "tok")
    assert not stored.warn_unencrypted
    assert read(path) == {"auths": {"r:5000": {"auth": "ZGtyOg==", "identitytoken": "tok"}}}


@pytest.mark.parametrize(
    "config",
    [
        pytest.param({"credsStore": "dkrtest"}, id="credsStore"),
        pytest.param({"credsStore": "nosuch", "credHelpers": {"r:5000": "dkrtest"}}, id="credHelpers"),
    ],
)
def test_a_helper_gets_the_secret_and_the_file_an_empty_entry(
    tmp_path: Path, helper: Path, config: dict[str, object]
) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({**config, "auths": {"r:5000": {"auth": "b2xkOm9sZA=="}}}))
    stored = store_credentials(path, "r:5000", "dkr", "s3cret", "")
    assert stored.helper == "dkrtest" and not stored.warn_unencrypted
    assert read(helper) == {"r:5000": {"Username": "dkr", "Secret": "s3cret"}}
    assert read(path) == {**config, "auths": {"r:5000": {}}}  # the old plain password is gone too
    assert "s3cret" not in path.read_text()


def test_a_helper_keeps_an_identity_token_under_the_token_username(tmp_path: Path, helper: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"credsStore": "dkrtest"}')
    store_credentials(path, "r:5000", "dkr", "pw", "tok")
    assert read(helper) == {"r:5000": {"Username": "<token>", "Secret": "tok"}}


def test_logout_erases_from_the_helper_and_the_file(tmp_path: Path, helper: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"credsStore": "dkrtest", "currentContext": "x"}')
    store_credentials(path, "r:5000", "dkr", "pw", "")
    assert erase_credentials(path, "r:5000") is True
    assert read(helper) == {}
    assert read(path) == {"credsStore": "dkrtest", "currentContext": "x", "auths": {}}
    assert erase_credentials(path, "r:5000") is False


def test_logout_asks_the_helper_even_without_an_entry_in_the_file(tmp_path: Path, helper: Path) -> None:
    """As docker 20.10+: a login made through another config file shares the helper."""
    helper.write_text(json.dumps({"r:5000": {"Username": "u", "Secret": "s"}}))
    path = tmp_path / "config.json"
    path.write_text('{"credsStore": "dkrtest"}')
    assert erase_credentials(path, "r:5000") is True
    assert read(helper) == {}


def test_logout_removes_the_legacy_keys_with_a_scheme(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"auths": {"https://r:5000": {"auth": "eDp5"}, "other": {"auth": "eDp5"}}}))
    assert erase_credentials(path, "r:5000") is True
    assert read(path) == {"auths": {"other": {"auth": "eDp5"}}}


def test_logout_without_credentials_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"auths": {"other": {}}, "x": 1}')
    assert erase_credentials(path, "r:5000") is False
    assert path.read_text() == '{"auths": {"other": {}}, "x": 1}'
    assert erase_credentials(tmp_path / "none" / "config.json", "r:5000") is False
    assert not (tmp_path / "none").exists()


def test_a_missing_helper_is_one_error_and_nothing_is_written(tmp_path: Path, helper: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"credsStore": "nosuch"}')
    with pytest.raises(CredentialHelperFailed) as caught:
        store_credentials(path, "r:5000", "dkr", "pw", "")
    line, hint = describe(caught.value)
    assert line.startswith("cannot store the credentials for r:5000 with docker-credential-nosuch: ")
    assert "not installed or not available in PATH" in line and "\n" not in line
    assert hint and "credsStore" in hint
    assert path.read_text() == '{"credsStore": "nosuch"}'


def test_stored_login_reads_the_file_and_the_helper(tmp_path: Path, helper: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(
        '{"auths": {"https://r:5000": {"auth": "ZGtyOnB3"}, "t": {"auth": "eDo=", "identitytoken": "x"}}}'
    )
    assert stored_login(path, "r:5000") == ("dkr", "pw")  # a legacy key with a scheme, as docker reads it
    assert stored_login(path, "t") is None  # a token is not a password
    assert stored_login(path, "other") is None
    path.write_text('{"credsStore": "dkrtest"}')
    assert stored_login(path, "r:5000") is None
    helper.write_text(
        json.dumps({"r:5000": {"Username": "u", "Secret": "s"}, "t": {"Username": "<token>", "Secret": "x"}})
    )
    assert stored_login(path, "r:5000") == ("u", "s")
    assert stored_login(path, "t") is None
