"""dkr login / logout through the real entry point against the fake Engine: bad input is exit 2 before any
Engine call, the Engine's answer decides, and config.json is written only after it said yes."""

from __future__ import annotations

import base64
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from dkr import render
from dkr.errors import ExitCode
from dkr.options.registry import HUB_KEY
from tests.helpers import assert_one_line_error, run_dkr
from tests.unit.fake_engine import FakeEngine

PASSWORD = "s3cret pass"


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A DOCKER_CONFIG of this test's own; the config.json path."""
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker"))
    return tmp_path / "docker" / "config.json"


@pytest.fixture
def registry(fake: FakeEngine) -> list[dict[str, Any]]:
    """POST /auth on the fake: yes to PASSWORD (with an identity token for user `tokenuser`), else the
    registry's refusal; the request bodies it received."""
    bodies: list[dict[str, Any]] = []

    def auth(_m: str, _p: str, body: bytes) -> tuple[int, Any]:
        data = json.loads(body)
        bodies.append(data)
        if data.get("password") != PASSWORD:
            return 401, {
                "message": f"login attempt to http://{data['serveraddress']}/v2/ failed with status: 401"
            }
        token = "id-token" if data.get("username") == "tokenuser" else ""
        return 200, {"Status": "Login Succeeded", "IdentityToken": token}

    fake.route("POST", r"/auth", auth)
    return bodies


def stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def engine_calls(fake: FakeEngine) -> list[str]:
    return [r for r in fake.requests if "/_ping" not in r]


@pytest.mark.parametrize(
    ("argv", "given", "line"),
    [
        pytest.param(["-u", "u", "-p", "x", "--password-stdin", "r:5000"], "x", "--password and --password-stdin are mutually exclusive", id="p-and-stdin"),
        pytest.param(["--password-stdin", "r:5000"], "x", "Must provide --username with --password-stdin", id="stdin-without-u"),
        pytest.param(["-u", "", "-p", "x", "r:5000"], "", "username is empty", id="empty-username"),
        pytest.param(["-u", "  ", "--password-stdin", "r:5000"], "x", "username is empty", id="blank-username"),
        pytest.param(["-u", "a:b", "-p", "x", "r:5000"], "", "the username must not contain ':'", id="colon-username"),
        pytest.param(["-u", "u", "-p", "", "r:5000"], "", "password is empty", id="empty-password"),
        pytest.param(["-u", "u", "--password-stdin", "r:5000"], "", "password is empty", id="empty-stdin"),
        pytest.param(["-u", "u", "--password-stdin", "r:5000"], " \r\n", "password is empty", id="blank-stdin"),
        pytest.param(["-u", "u", "-p", "x", "r.example/team"], "", "invalid registry server 'r.example/team': it has a path", id="path"),
        pytest.param(["-u", "u", "-p", "x", "bad host"], "", "invalid registry server 'bad host': not a host[:port]", id="bad-host"),
        pytest.param(["-u", "u", "-p", "x", "a", "b"], "", "got unexpected extra argument(s) (b)", id="two-servers"),
    ],
)  # fmt: skip
def test_bad_input_is_exit_2_before_any_engine_call(
    fake: FakeEngine, config: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], given: str, line: str
) -> None:
    stdin(monkeypatch, given)
    res = run_dkr("login", *argv)
    assert res.code == ExitCode.USAGE and res.out == "", res.err
    errors = [x for x in res.err_lines if x.startswith("dkr: error: ")]
    assert errors == [res.err_lines[-2]] and errors[0].startswith(f"dkr: error: {line}"), res.err
    assert res.err_lines[-1].startswith("Run 'dkr login")
    assert engine_calls(fake) == [] and not config.exists()


def test_logout_bad_server_is_exit_2(fake: FakeEngine, config: Path) -> None:
    res = run_dkr("logout", "https://r.example:5000/v2/")
    assert_one_line_error(res, ExitCode.USAGE, "it has a path ('/v2/')")
    assert fake.requests == []


def test_login_with_password_stdin(
    fake: FakeEngine, config: Path, registry: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, PASSWORD + "\r\n")  # the line end is not the password's: docker trims it
    res = run_dkr("login", "-u", " dkr ", "--password-stdin", "http://127.0.0.1:5000")
    assert (res.code, res.out) == (0, "Login Succeeded\n"), res.err
    assert registry == [{"username": "dkr", "password": PASSWORD, "serveraddress": "127.0.0.1:5000"}]
    assert res.err_lines == [
        f"WARNING! Your credentials are stored unencrypted in '{config}'.",
        "Configure a credential helper to remove this warning. See",
        "https://docs.docker.com/go/credential-store/",
    ]
    assert json.loads(config.read_text()) == {"auths": {"127.0.0.1:5000": {"auth": "ZGtyOnMzY3JldCBwYXNz"}}}


@pytest.mark.parametrize("server", [[], ["docker.io"], ["index.docker.io"], [HUB_KEY]])
def test_hub_is_the_default_and_its_key(
    fake: FakeEngine, config: Path, registry: list[dict[str, Any]], server: list[str]
) -> None:
    res = run_dkr("login", "-u", "dkr", "-p", PASSWORD, *server)
    assert res.code == 0, res.err
    assert res.err_lines[0] == "WARNING! Using --password via the CLI is insecure. Use --password-stdin."
    assert registry[0]["serveraddress"] == HUB_KEY
    assert list(json.loads(config.read_text())["auths"]) == [HUB_KEY]


def test_an_identity_token_is_kept_instead_of_the_password(
    fake: FakeEngine, config: Path, registry: list[dict[str, Any]]
) -> None:
    res = run_dkr("login", "-u", "tokenuser", "-p", PASSWORD, "r:5000")
    assert (res.code, res.out) == (0, "Login Succeeded\n")
    assert json.loads(config.read_text()) == {
        "auths": {"r:5000": {"auth": "dG9rZW51c2VyOg==", "identitytoken": "id-token"}}
    }
    assert not any("unencrypted" in line for line in res.err_lines)


def test_a_wrong_password_is_one_line_and_the_file_is_untouched(
    fake: FakeEngine, config: Path, registry: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    config.parent.mkdir()
    before = '{"auths": {"r:5000": {"auth": "b2xkOm9sZA=="}}, "currentContext": "x"}'
    config.write_text(before)
    stdin(monkeypatch, "wrong\n")
    res = run_dkr("login", "-u", "dkr", "--password-stdin", "r:5000")
    assert_one_line_error(res, ExitCode.FAILURE, "cannot log in to r:5000: ")
    assert len(res.err_lines) == 1
    assert config.read_text() == before


def test_without_a_terminal_missing_credentials_are_an_error(
    fake: FakeEngine, config: Path, registry: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "can_ask", lambda: False)
    res = run_dkr("login", "-u", "dkr", "r:5000")
    assert_one_line_error(res, ExitCode.FAILURE, "cannot perform an interactive login from a non-TTY device")
    assert res.err_lines[1] == "Give them: dkr login -u USERNAME --password-stdin r:5000"
    assert registry == [] and not config.exists()


def test_on_a_terminal_it_asks_for_what_is_missing(
    fake: FakeEngine, config: Path, registry: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, bool]] = []

    def ask(prompt: str, secret: bool = False) -> str:
        asked.append((prompt, secret))
        return PASSWORD if secret else " dkr\n"

    monkeypatch.setattr(render, "can_ask", lambda: True)
    monkeypatch.setattr(render, "ask", ask)
    res = run_dkr("login", "r:5000")
    assert (res.code, res.out) == (0, "Login Succeeded\n"), res.err
    assert asked == [("Username: ", False), ("Password: ", True)]
    assert registry[0]["username"] == "dkr"


def test_logout(fake: FakeEngine, config: Path) -> None:
    config.parent.mkdir()
    config.write_text('{"auths": {"r:5000": {"auth": "eDp5"}, "s": {}}, "psFormat": "x"}')
    res = run_dkr("logout", "https://r:5000")
    assert (res.code, res.out, res.err) == (0, "Removing login credentials for r:5000\n", "")
    assert json.loads(config.read_text()) == {"auths": {"s": {}}, "psFormat": "x"}
    res = run_dkr("logout", "r:5000")
    assert (res.code, res.out, res.err) == (0, "Not logged in to r:5000\n", "")
    res = run_dkr("logout")
    assert (res.code, res.out) == (0, f"Not logged in to {HUB_KEY}\n")
    assert fake.requests == []  # logout needs no Engine


def test_without_credentials_given_the_kept_ones_are_tried_first(
    fake: FakeEngine, config: Path, registry: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As docker login: no -u and no password, and a login kept for the server: no terminal needed."""
    monkeypatch.setattr(render, "can_ask", lambda: False)
    config.parent.mkdir()
    kept = json.dumps({"auths": {"r:5000": {"auth": base64.b64encode(f"dkr:{PASSWORD}".encode()).decode()}}})
    config.write_text(kept)
    res = run_dkr("login", "r:5000")
    assert (res.code, res.out) == (0, "Login Succeeded\n"), res.err
    assert res.err_lines == [
        "Authenticating with existing credentials... [Username: dkr]"
    ]  # unchanged: no warning
    assert registry[0]["username"] == "dkr" and registry[0]["password"] == PASSWORD
    assert config.read_text() == kept  # not written again


def test_kept_credentials_that_fail_lead_to_the_prompt(
    fake: FakeEngine, config: Path, registry: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    config.parent.mkdir()
    config.write_text(json.dumps({"auths": {"r:5000": {"auth": base64.b64encode(b"old:expired").decode()}}}))
    asked: list[str] = []

    def ask(prompt: str, secret: bool = False) -> str:
        asked.append(prompt)
        return PASSWORD if secret else ""  # Enter: the kept username

    monkeypatch.setattr(render, "can_ask", lambda: True)
    monkeypatch.setattr(render, "ask", ask)
    res = run_dkr("login", "r:5000")
    assert (res.code, res.out) == (0, "Login Succeeded\n"), res.err
    assert res.err_lines[1].startswith("Login did not succeed, error: cannot log in to r:5000: ")
    assert asked == ["Username (old): ", "Password: "]
    assert [b["username"] for b in registry] == ["old", "old"]


def test_a_credential_helper_that_is_not_there_fails_before_the_engine_is_asked(
    fake: FakeEngine, config: Path, registry: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    config.parent.mkdir()
    config.write_text('{"credsStore": "dkr-no-such-helper"}')
    stdin(monkeypatch, PASSWORD)
    res = run_dkr("login", "-u", "dkr", "--password-stdin", "r:5000")
    assert_one_line_error(
        res,
        ExitCode.FAILURE,
        "cannot store the credentials for r:5000 with docker-credential-dkr-no-such-helper: it is not installed",
    )
    assert registry == []
    assert config.read_text() == '{"credsStore": "dkr-no-such-helper"}'
