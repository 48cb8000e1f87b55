"""Engine selection end to end: every transport of the contract against the real Engine.

tcp:// and tcp:// with TLS go through forwarders on 127.0.0.1 in front of the Engine's socket, ssh:// through
a private sshd on 127.0.0.1 (the remote side runs `docker system dial-stdio`), docker contexts are written
by the docker CLI itself into a temporary DOCKER_CONFIG. Nothing reads or writes the user's ~/.docker or
~/.ssh; every server stops at the end of the module.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import docker
import pytest

from tests.helpers import assert_one_line_error
from tests.integration.endpoints import (
    ENGINE_VARIABLES,
    SSHD,
    Blackhole,
    Forwarder,
    PrivateSshd,
    TlsFiles,
    make_other_ca,
    not_docker,
)
from tests.integration.proxy import ENGINE_SOCKET
from tests.integration.support import LABEL_ARGS, LABELS, as_result, dkr, free_port, unique


@pytest.fixture(autouse=True)
def no_engine_selection_from_outside(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test chooses its Engine itself: no DOCKER_* variable from the caller, an empty docker config."""
    for name in ENGINE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path / "docker-config"
    empty.mkdir()
    monkeypatch.setenv("DOCKER_CONFIG", str(empty))


def docker_cli(config: Path, *args: str) -> None:
    subprocess.run(["docker", "--config", str(config), *args], check=True, capture_output=True, timeout=30)


# --- the servers ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateSshd]:
    if not SSHD.exists():
        pytest.fail(
            f"{SSHD} is missing: run scripts/ensure-sshd as root (make test-integration does)", pytrace=False
        )
    # OpenSSH keeps the user's files in the passwd entry's home: it must look the same afterwards.
    user_ssh = Path(pwd.getpwuid(os.getuid()).pw_dir) / ".ssh"
    before = _tree(user_ssh)
    # a short path: it appears in the shim and in ssh's command lines
    d = Path(tempfile.mkdtemp(prefix="dkr-sshd-"))
    try:
        with PrivateSshd(d, free_port()) as server:
            yield server
    finally:
        shutil.rmtree(d, ignore_errors=True)
    assert _tree(user_ssh) == before, f"{user_ssh} changed"


def _tree(path: Path) -> list[tuple[str, int]] | None:
    if not path.exists():
        return None
    return sorted((str(p), p.stat().st_mtime_ns) for p in [path, *path.rglob("*")])


@pytest.fixture(scope="module")
def contexts(
    tmp_path_factory: pytest.TempPathFactory, tls_files: TlsFiles, tls_engine: Forwarder, sshd: PrivateSshd
) -> dict[str, Path]:
    """Two docker configs written by the docker CLI: "plain" has contexts `tls` and `ssh` and no current
    context; "current" has `tls` as its current context (`docker context use`)."""
    tls = f"host={tls_engine.url},ca={tls_files.ca},cert={tls_files.cert},key={tls_files.key}"
    plain, current = tmp_path_factory.mktemp("plain-config"), tmp_path_factory.mktemp("current-config")
    docker_cli(plain, "context", "create", "tls", "--docker", tls)
    docker_cli(plain, "context", "create", "ssh", "--docker", f"host={sshd.url}")
    docker_cli(current, "context", "create", "tls", "--docker", tls)
    docker_cli(current, "context", "use", "tls")
    assert json.loads((current / "config.json").read_text())["currentContext"] == "tls"
    return {"plain": plain, "current": current}


# --- routes to the Engine -----------------------------------------------------------------------------------


@dataclass
class Route:
    """How dkr is pointed at the Engine (global options and environment) and how to tell it went that way."""

    url: str
    args: list[str]
    env: dict[str, str]
    used: Callable[[], int]


def _route(name: str, request: pytest.FixtureRequest) -> Route:
    fx = request.getfixturevalue
    if name.startswith("tcp"):
        tcp: Forwarder = fx("tcp_engine")
        if name == "tcp-flag":
            return Route(tcp.url, ["-H", tcp.url], {}, lambda: tcp.forwarded)
        return Route(tcp.url, [], {"DOCKER_HOST": tcp.url}, lambda: tcp.forwarded)
    if name.startswith("ssh"):
        sshd: PrivateSshd = fx("sshd")
        if name == "ssh-flag":
            return Route(sshd.url, ["-H", sshd.url], sshd.env, sshd.sessions)
        if name == "ssh-socket-path":
            # the remote side runs `docker --host=unix://PATH system dial-stdio`
            url = f"{sshd.url}{ENGINE_SOCKET}"
            return Route(url, ["-H", url], sshd.env, sshd.sessions)
        if name == "ssh-env":
            return Route(sshd.url, [], {**sshd.env, "DOCKER_HOST": sshd.url}, sshd.sessions)
        config = fx("contexts")["plain"]
        return Route(sshd.url, ["-c", "ssh"], {**sshd.env, "DOCKER_CONFIG": str(config)}, sshd.sessions)
    tls: Forwarder = fx("tls_engine")
    files: TlsFiles = fx("tls_files")
    if name == "tls-env":
        # REQUESTS_CA_BUNDLE names some other CA: docker ignores it, so must dkr (docker/docker-py#2433)
        other_ca = make_other_ca(request.getfixturevalue("tmp_path") / "other")
        env = {"DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(files.client_dir)}
        env |= {"REQUESTS_CA_BUNDLE": str(other_ca), "CURL_CA_BUNDLE": str(other_ca)}
        return Route(tls.url, ["-H", tls.url], env, lambda: tls.forwarded)
    configs: dict[str, Path] = fx("contexts")
    if name == "tls-context-flag":
        return Route(tls.url, ["-c", "tls"], {"DOCKER_CONFIG": str(configs["plain"])}, lambda: tls.forwarded)
    if name == "tls-context-env":
        env = {"DOCKER_CONFIG": str(configs["plain"]), "DOCKER_CONTEXT": "tls"}
        return Route(tls.url, [], env, lambda: tls.forwarded)
    assert name == "tls-context-current"
    return Route(tls.url, [], {"DOCKER_CONFIG": str(configs["current"])}, lambda: tls.forwarded)


ROUTES = [
    pytest.param("tcp-flag", id="tcp:-H"),
    pytest.param("tcp-env", id="tcp:DOCKER_HOST"),
    pytest.param("tls-env", id="tls:DOCKER_TLS_VERIFY+DOCKER_CERT_PATH"),
    pytest.param("tls-context-flag", id="tls:context:-c"),
    pytest.param("tls-context-env", id="tls:context:DOCKER_CONTEXT"),
    pytest.param("tls-context-current", id="tls:context:currentContext"),
    pytest.param("ssh-flag", id="ssh:-H"),
    pytest.param("ssh-socket-path", id="ssh:-H+socket-path"),
    pytest.param("ssh-env", id="ssh:DOCKER_HOST"),
    pytest.param("ssh-context", id="ssh:context:-c"),
]


@pytest.fixture(params=ROUTES)
def route(request: pytest.FixtureRequest) -> Route:
    return _route(request.param, request)


# --- every route reaches the same Engine ------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    ids: set[str]
    listing: tuple[str, ...]
    over_socket: str


@pytest.fixture(scope="module")
def listed(client: docker.DockerClient, base_image: str) -> Iterator[Listed]:
    """Two containers (created, not started: `ps -a` lists them) and what `dkr ps` lists over the socket."""
    mark = unique("route")
    made = [
        client.containers.create(base_image, "true", name=unique(), labels={**LABELS, "dkr.test.route": mark})
        for _ in range(2)
    ]
    try:
        listing = ("ps", "-a", "-q", "--no-trunc", "-f", f"label=dkr.test.route={mark}")
        over_socket = dkr(*listing)
        assert over_socket.returncode == 0, over_socket.stderr
        yield Listed({c.id for c in made}, listing, over_socket.stdout)
    finally:
        for ctr in made:
            with contextlib.suppress(docker.errors.NotFound):
                ctr.remove(force=True)


def test_ps_lists_the_same_as_over_the_socket(route: Route, listed: Listed) -> None:
    before = route.used()
    res = dkr(*route.args, *listed.listing, env=route.env, timeout=30)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""
    assert set(res.stdout.split()) == listed.ids
    assert res.stdout == listed.over_socket
    assert route.used() > before, "the request did not go through this route's server"


@pytest.mark.parametrize("name", ["tcp-flag", "tls-context-current", "ssh-flag"])
def test_version_negotiates_over_each_transport(
    name: str, request: pytest.FixtureRequest, client: docker.DockerClient
) -> None:
    route = _route(name, request)
    res = dkr(*route.args, "version", "--format", "json", env=route.env, timeout=30)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    engine = client.version()
    assert doc["Server"]["Endpoint"] == route.url
    assert doc["Server"]["Version"] == engine["Version"]
    assert doc["Client"]["ApiVersion"] == engine["ApiVersion"], "negotiated down/up to the Engine's API"


def test_ssh_runs_and_attaches(sshd: PrivateSshd, base_image: str, client: docker.DockerClient) -> None:
    """The hijacked stream of a foreground run (attach, exit code) works through ssh too."""
    name = unique("ssh-run")
    try:
        res = dkr("-H", sshd.url, "run", "--rm", "--name", name, *LABEL_ARGS, base_image,
                  "sh", "-c", "echo out; echo err >&2; exit 3", env=sshd.env, timeout=60)  # fmt: skip
        assert (res.returncode, res.stdout, res.stderr) == (3, "out\n", "err\n")
        assert not client.containers.list(all=True, filters={"name": name}), "--rm removed it"
    finally:
        for ctr in client.containers.list(all=True, filters={"name": name}):
            ctr.remove(force=True)
    sshd.assert_no_ssh_left()


# --- TLS failures name the endpoint and the certificate problem ---------------------------------------------


def test_wrong_ca_is_a_certificate_error(tls_engine: Forwarder, tls_files: TlsFiles, tmp_path: Path) -> None:
    certs = tmp_path / "certs"
    certs.mkdir()
    shutil.copy(make_other_ca(tmp_path / "other"), certs / "ca.pem")
    shutil.copy(tls_files.cert, certs / "cert.pem")
    shutil.copy(tls_files.key, certs / "key.pem")
    seen = len(tls_engine.handshake_errors)
    res = dkr("-H", tls_engine.url, "ps", env={"DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(certs)})
    assert_one_line_error(
        as_result(res), 1, tls_engine.url, "certificate is not trusted", str(certs / "ca.pem")
    )
    assert "refused" not in res.stderr
    # the server saw the client give up on its certificate
    assert any("unknown ca" in e for e in tls_engine.handshake_errors[seen:]), tls_engine.handshake_errors


def test_no_client_certificate(tls_engine: Forwarder, tls_files: TlsFiles, tmp_path: Path) -> None:
    certs = tmp_path / "certs"
    certs.mkdir()
    shutil.copy(tls_files.ca, certs / "ca.pem")
    seen = len(tls_engine.handshake_errors)
    res = dkr("-H", tls_engine.url, "ps", env={"DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(certs)})
    assert_one_line_error(as_result(res), 1, tls_engine.url, "client certificate", "cert.pem and key.pem")
    assert any("did not return a certificate" in e for e in tls_engine.handshake_errors[seen:])


def test_missing_ca_file(tls_engine: Forwarder, tmp_path: Path) -> None:
    res = dkr("-H", tls_engine.url, "ps", env={"DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(tmp_path)})
    assert_one_line_error(as_result(res), 1, tls_engine.url, f"cannot read TLS file {tmp_path / 'ca.pem'}")


def test_plain_http_to_a_tls_engine(tls_engine: Forwarder) -> None:
    res = dkr("-H", tls_engine.url, "ps")
    assert_one_line_error(as_result(res), 1, tls_engine.url, "expects TLS", "DOCKER_TLS_VERIFY=1")


def test_tls_to_a_plain_engine(tcp_engine: Forwarder, tls_files: TlsFiles) -> None:
    env = {"DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(tls_files.client_dir)}
    res = dkr("-H", tcp_engine.url, "ps", env=env)
    assert_one_line_error(as_result(res), 1, tcp_engine.url, "does not speak TLS")


# --- unreachable and wrong endpoints --------------------------------------------------------------------------


def _timed(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    res = dkr(*args, env=env, timeout=30)
    return res, time.monotonic() - started


def test_blackholed_tcp_times_out_within_the_contract() -> None:
    with Blackhole() as hole:
        res, elapsed = _timed("-H", hole.url, "ps")
    assert_one_line_error(as_result(res), 1, hole.url, "timed out")
    assert elapsed < 10, elapsed  # the contract's bound for an unreachable engine, not a performance target


def test_blackholed_ssh_times_out_within_the_contract(sshd: PrivateSshd) -> None:
    with Blackhole() as hole:
        url = f"ssh://{sshd.user}@127.0.0.1:{hole.port}"
        res, elapsed = _timed("-H", url, "ps", env=sshd.env)
    assert_one_line_error(as_result(res), 1, url, "timed out")
    assert elapsed < 10, elapsed  # the contract's bound for an unreachable engine, not a performance target
    sshd.assert_no_ssh_left()


@pytest.mark.parametrize(
    ("case", "needle"),
    [
        pytest.param("refused", "Connection refused", id="refused"),
        pytest.param("not-authorized", "Permission denied (publickey)", id="not-authorized"),
    ],
)
def test_ssh_failures_say_what_ssh_said(sshd: PrivateSshd, case: str, needle: str) -> None:
    if case == "refused":
        url = f"ssh://{sshd.user}@127.0.0.1:{free_port()}"
    else:
        url = f"ssh://nobody@127.0.0.1:{sshd.port}"  # not in AllowUsers, no key of ours
    res = dkr("-H", url, "ps", env=sshd.env, timeout=30)
    assert_one_line_error(as_result(res), 1, url, needle, "docker version' works without a prompt")
    sshd.assert_no_ssh_left()


@pytest.mark.parametrize(
    ("status", "body", "content_type", "what"),
    [
        pytest.param(
            404, b"404 page not found\n", "text/plain", "it answered HTTP 404 to GET /_ping", id="404"
        ),
        pytest.param(
            200,
            b"<html><body>welcome</body></html>",
            "text/html",
            "its answer to GET /_ping has no Api-Version header",
            id="html",
        ),
    ],
)
def test_not_a_docker_engine(status: int, body: bytes, content_type: str, what: str) -> None:
    with not_docker(status, body, content_type) as url:
        res = dkr("-H", url, "ps")
    assert_one_line_error(as_result(res), 1, f"the server at {url}", "is not a Docker Engine", what)
