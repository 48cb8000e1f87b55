"""dkr login / logout against a real registry with htpasswd auth (tests/integration/registry.py), through the
real Engine: the credentials dkr keeps are the docker CLI's (its config.json, its credential helper), so a
`dkr login` serves `docker push`, and a `docker login` serves the SDK. Every test has a DOCKER_CONFIG of its
own: the machine's ~/.docker is never read or written."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from tests.helpers import assert_one_line_error, write_credential_helper
from tests.integration.registry import Registry
from tests.integration.support import as_result, assert_failed, dkr, unique

USER, PASSWORD = "dkr", "dkr-test-secret"


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "docker-config"
    folder.mkdir()
    return folder


def env_for(config_dir: Path, **extra: str) -> dict[str, str]:
    return {"DOCKER_CONFIG": str(config_dir), **extra}


def login(
    server: str, config_dir: Path, password: str = PASSWORD, **env: str
) -> subprocess.CompletedProcess[str]:
    return dkr(
        "login", "-u", USER, "--password-stdin", server, input=password + "\n", env=env_for(config_dir, **env)
    )


def docker_cli(
    config_dir: Path, *args: str, env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker", "--config", str(config_dir), *args],
        capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})}, **kwargs,  # type: ignore[call-overload]
    )  # fmt: skip


@pytest.fixture
def pushable(client: docker.DockerClient, base_image: str, auth_registry: Registry) -> Iterator[str]:
    """The labelled base image tagged into the auth registry (the local tag is removed afterwards)."""
    repo = f"{auth_registry.host}/{unique('login')}"
    client.images.get(base_image).tag(repo, "1")
    yield f"{repo}:1"
    with contextlib.suppress(docker.errors.APIError):
        client.images.remove(f"{repo}:1")


def test_login_writes_dockers_config(auth_registry: Registry, config_dir: Path) -> None:
    res = login(auth_registry.host, config_dir)
    assert (res.returncode, res.stdout) == (0, "Login Succeeded\n"), res.stderr
    assert f"stored unencrypted in '{config_dir / 'config.json'}'" in res.stderr
    path = config_dir / "config.json"
    expected = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    assert json.loads(path.read_text()) == {"auths": {auth_registry.host: {"auth": expected}}}
    assert path.read_text().startswith('{\n\t"auths": {\n\t\t"')
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_wrong_password_fails_and_leaves_the_file(auth_registry: Registry, config_dir: Path) -> None:
    path = config_dir / "config.json"
    before = '{\n\t"auths": {},\n\t"currentContext": "default"\n}'
    path.write_text(before)
    res = login(auth_registry.host, config_dir, password="wrong")
    assert_failed(res, 1, f"cannot log in to {auth_registry.host}")
    assert_one_line_error(as_result(res), 1)
    assert len(res.stderr.splitlines()) == 1, res.stderr
    assert path.read_text() == before


def test_docker_pushes_with_a_dkr_login(auth_registry: Registry, config_dir: Path, pushable: str) -> None:
    refused = docker_cli(config_dir, "push", pushable)  # the registry wants a login: without one, no push
    assert refused.returncode != 0
    assert login(auth_registry.host, config_dir).returncode == 0
    pushed = docker_cli(config_dir, "push", pushable)
    assert pushed.returncode == 0, pushed.stderr
    assert docker_cli(config_dir, "pull", pushable).returncode == 0


def test_the_sdk_uses_a_docker_login(
    auth_registry: Registry, config_dir: Path, pushable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    res = docker_cli(config_dir, "login", "-u", USER, "--password-stdin", auth_registry.host, input=PASSWORD)
    assert res.returncode == 0, res.stderr
    monkeypatch.setenv("DOCKER_CONFIG", str(config_dir))  # the SDK reads it when the client is made
    sdk = docker.from_env(timeout=120)
    try:
        repo, tag = pushable.rsplit(":", 1)
        events = list(sdk.images.push(repo, tag, stream=True, decode=True))
    finally:
        sdk.close()
    assert not [e for e in events if "error" in e], events
    assert any("digest: sha256:" in str(e.get("status")) for e in events), events
    # and dkr logout removes docker's own entry
    out = dkr("logout", auth_registry.host, env=env_for(config_dir))
    assert (out.returncode, out.stdout) == (0, f"Removing login credentials for {auth_registry.host}\n")
    assert json.loads((config_dir / "config.json").read_text())["auths"] == {}


def test_logout(auth_registry: Registry, config_dir: Path) -> None:
    path = config_dir / "config.json"
    path.write_text('{"auths": {}, "proxies": {"default": {"noProxy": "127.0.0.1"}}, "x-own-key": 1}')
    assert login(auth_registry.host, config_dir).returncode == 0
    res = dkr("logout", f"http://{auth_registry.host}", env=env_for(config_dir))
    assert (res.returncode, res.stdout, res.stderr) == (
        0,
        f"Removing login credentials for {auth_registry.host}\n",
        "",
    )
    assert json.loads(path.read_text()) == {
        "auths": {}, "proxies": {"default": {"noProxy": "127.0.0.1"}}, "x-own-key": 1
    }  # fmt: skip
    again = dkr("logout", auth_registry.host, env=env_for(config_dir))
    assert (again.returncode, again.stdout) == (0, f"Not logged in to {auth_registry.host}\n")


def test_a_credential_helper_keeps_the_secret(
    auth_registry: Registry, config_dir: Path, tmp_path: Path, pushable: str
) -> None:
    store = write_credential_helper(tmp_path / "bin")
    path_env = {"PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}"}
    path = config_dir / "config.json"
    path.write_text('{"credsStore": "dkrtest"}')
    res = login(auth_registry.host, config_dir, **path_env)
    assert (res.returncode, res.stdout) == (0, "Login Succeeded\n"), res.stderr
    assert "unencrypted" not in res.stderr
    assert json.loads(store.read_text()) == {auth_registry.host: {"Username": USER, "Secret": PASSWORD}}
    assert json.loads(path.read_text()) == {"credsStore": "dkrtest", "auths": {auth_registry.host: {}}}
    assert PASSWORD not in path.read_text()
    # docker finds the login through the same helper
    pushed = docker_cli(config_dir, "push", pushable, env=path_env)
    assert pushed.returncode == 0, pushed.stderr
    out = dkr("logout", auth_registry.host, env=env_for(config_dir, **path_env))
    assert (out.returncode, out.stdout) == (0, f"Removing login credentials for {auth_registry.host}\n")
    assert json.loads(store.read_text()) == {}
    assert json.loads(path.read_text())["auths"] == {}


def test_a_kept_login_is_tried_first(auth_registry: Registry, config_dir: Path) -> None:
    """As docker login: with no credentials given, the ones kept for the server (here docker's) are tried, so
    no terminal is needed; a kept login the registry refuses is said, then the prompt needs a terminal."""
    res = docker_cli(config_dir, "login", "-u", USER, "--password-stdin", auth_registry.host, input=PASSWORD)
    assert res.returncode == 0, res.stderr
    again = dkr("login", auth_registry.host, env=env_for(config_dir))
    assert (again.returncode, again.stdout) == (0, "Login Succeeded\n"), again.stderr
    assert again.stderr == f"Authenticating with existing credentials... [Username: {USER}]\n"
    path = config_dir / "config.json"
    wrong = base64.b64encode(f"{USER}:wrong".encode()).decode()
    path.write_text(json.dumps({"auths": {auth_registry.host: {"auth": wrong}}}))
    refused = dkr("login", auth_registry.host, env=env_for(config_dir))
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.splitlines()[1].startswith("Login did not succeed, error: cannot log in to ")
    assert "non-TTY" in refused.stderr.splitlines()[2]
    assert json.loads(path.read_text()) == {"auths": {auth_registry.host: {"auth": wrong}}}
