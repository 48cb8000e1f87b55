"""Engine endpoint resolution: docker's precedence, contexts from the CLI's store, TLS variables."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from dkr.errors import DkrError, UsageError
from dkr.hosts import DEFAULT_HOST, SshTarget, current_context, normalize_host, resolve, ssh_target


def write_context(
    config_dir: Path, name: str, host: str, tls: bool = False, skip_verify: bool = False
) -> None:
    digest = hashlib.sha256(name.encode()).hexdigest()
    meta = config_dir / "contexts" / "meta" / digest
    meta.mkdir(parents=True)
    meta.joinpath("meta.json").write_text(
        json.dumps(
            {
                "Name": name,
                "Metadata": {},
                "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": skip_verify}},
            }
        )
    )
    if tls:
        tls_dir = config_dir / "contexts" / "tls" / digest / "docker"
        tls_dir.mkdir(parents=True)
        for f in ("ca.pem", "cert.pem", "key.pem"):
            tls_dir.joinpath(f).write_text("x")


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    d = tmp_path / "docker"
    d.mkdir()
    return d


def env_for(cfg: Path, **extra: str) -> dict[str, str]:
    return {"DOCKER_CONFIG": str(cfg), "HOME": str(cfg.parent), **extra}


def test_default_is_the_local_socket(cfg: Path) -> None:
    ep = resolve(None, None, env_for(cfg))
    assert ep.url == DEFAULT_HOST
    assert ep.source == "default"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        pytest.param("unix:///run/x.sock", "unix:///run/x.sock", id="unix"),
        pytest.param("/run/x.sock", "unix:///run/x.sock", id="bare-path"),
        pytest.param("tcp://10.0.0.1:2376", "tcp://10.0.0.1:2376", id="tcp"),
        pytest.param("ssh://me@box", "ssh://me@box", id="ssh"),
        pytest.param("box:2375", "tcp://box:2375", id="host-port"),
        pytest.param(":2375", "tcp://127.0.0.1:2375", id="port-only"),
        # docker's ParseTCPAddr fills in what a tcp:// address leaves out: localhost, port 2375
        pytest.param("tcp://10.0.0.1", "tcp://10.0.0.1:2375", id="tcp-default-port"),
        pytest.param("tcp://:2376", "tcp://127.0.0.1:2376", id="tcp-default-host"),
        pytest.param("tcp://", "tcp://127.0.0.1:2375", id="tcp-nothing"),
        pytest.param("tcp://[::1]:2376", "tcp://[::1]:2376", id="tcp-ipv6"),
        pytest.param("tcp://[::1]", "tcp://[::1]:2375", id="tcp-ipv6-default-port"),
        pytest.param("ssh://me@box:2222", "ssh://me@box:2222", id="ssh-port"),
    ],
)
def test_host_forms(host: str, expected: str) -> None:
    assert normalize_host(host, "--host") == expected


@pytest.mark.parametrize(
    "host",
    [
        pytest.param("", id="empty"),
        pytest.param("ftp://x", id="scheme"),
        pytest.param("box:abc", id="bad-port"),
        pytest.param("justaname", id="no-port"),
        pytest.param("tcp://:abc", id="tcp-bad-port"),
        pytest.param("tcp://127.0.0.1:99999", id="tcp-port-out-of-range"),
        pytest.param("http://[::1", id="unclosed-ipv6"),
        pytest.param("tcp://a b:1", id="space-in-host"),
        pytest.param("tcp://x://y", id="two-schemes"),
        pytest.param("ssh://", id="ssh-no-host"),
        pytest.param("ssh://me@box:abc", id="ssh-bad-port"),
    ],
)
def test_bad_hosts_are_usage_errors(host: str) -> None:
    with pytest.raises(UsageError):
        normalize_host(host, "--host")


def test_precedence_host_over_everything(cfg: Path) -> None:
    write_context(cfg, "remote", "tcp://remote:2376")
    env = env_for(cfg, DOCKER_HOST="tcp://envhost:2375", DOCKER_CONTEXT="remote")
    assert resolve("unix:///flag.sock", None, env).url == "unix:///flag.sock"
    assert resolve(None, "remote", env).url == "tcp://remote:2376"
    # DOCKER_HOST beats DOCKER_CONTEXT, as in docker
    assert resolve(None, None, env).url == "tcp://envhost:2375"
    env.pop("DOCKER_HOST")
    assert resolve(None, None, env).url == "tcp://remote:2376"
    assert resolve(None, None, env).source == "context 'remote'"


def test_host_and_context_together_is_a_usage_error(cfg: Path) -> None:
    with pytest.raises(UsageError, match="both --host and --context"):
        resolve("unix:///a.sock", "x", env_for(cfg))


def test_current_context_from_config_json(cfg: Path) -> None:
    write_context(cfg, "colima", "unix:///home/me/.colima/docker.sock")
    cfg.joinpath("config.json").write_text(json.dumps({"currentContext": "colima", "auths": {}}))
    env = env_for(cfg)
    assert current_context(env) == "colima"
    ep = resolve(None, None, env)
    assert ep.url == "unix:///home/me/.colima/docker.sock"
    assert ep.source == "context 'colima'"


def test_default_context_name_means_docker_host_or_socket(cfg: Path) -> None:
    cfg.joinpath("config.json").write_text(json.dumps({"currentContext": "default"}))
    assert resolve(None, None, env_for(cfg)).url == DEFAULT_HOST
    assert resolve(None, "default", env_for(cfg, DOCKER_HOST="tcp://h:1")).url == "tcp://h:1"


def test_unknown_context_fails_clearly(cfg: Path) -> None:
    with pytest.raises(DkrError, match="context 'nope' not found"):
        resolve(None, "nope", env_for(cfg))


def test_broken_config_json_is_ignored(cfg: Path) -> None:
    cfg.joinpath("config.json").write_text("{not json")
    assert resolve(None, None, env_for(cfg)).url == DEFAULT_HOST


def test_context_tls_material(cfg: Path) -> None:
    write_context(cfg, "secure", "tcp://secure:2376", tls=True)
    ep = resolve(None, "secure", env_for(cfg))
    assert ep.tls is not None
    assert ep.tls.verify
    assert ep.tls.ca_cert and ep.tls.ca_cert.endswith("ca.pem")
    assert ep.tls.client_cert and ep.tls.client_cert[0].endswith("cert.pem")


def test_tls_env_variables(tmp_path: Path, cfg: Path) -> None:
    for f in ("ca.pem", "cert.pem", "key.pem"):
        tmp_path.joinpath(f).write_text("x")
    env = env_for(cfg, DOCKER_HOST="tcp://h:2376", DOCKER_TLS_VERIFY="1", DOCKER_CERT_PATH=str(tmp_path))
    ep = resolve(None, None, env)
    assert ep.tls is not None and ep.tls.verify
    assert ep.tls.ca_cert == str(tmp_path / "ca.pem")
    assert ep.tls.client_cert == (str(tmp_path / "cert.pem"), str(tmp_path / "key.pem"))
    assert resolve(None, None, env_for(cfg, DOCKER_HOST="tcp://h:2375")).tls is None


@pytest.mark.parametrize(
    ("url", "target", "argv_tail"),
    [
        pytest.param(
            "ssh://box", SshTarget("box"), ["--", "box", "docker", "system", "dial-stdio"], id="host"
        ),
        pytest.param(
            "ssh://me@box:2222",
            SshTarget("box", "me", 2222),
            ["-l", "me", "-p", "2222", "--", "box", "docker", "system", "dial-stdio"],
            id="user-port",
        ),
        pytest.param(
            "ssh://me@[::1]:22/run/my docker.sock",
            SshTarget("::1", "me", 22, "/run/my docker.sock"),
            [
                "-l",
                "me",
                "-p",
                "22",
                "--",
                "::1",
                "docker",
                "--host='unix:///run/my docker.sock'",
                "system",
                "dial-stdio",
            ],
            id="ipv6-socket-path",
        ),
        pytest.param(
            "ssh://box/",
            SshTarget("box", socket_path="/"),
            ["--", "box", "docker", "system", "dial-stdio"],
            id="root-path-is-default",
        ),
    ],
)
def test_ssh_urls_as_docker_reads_them(url: str, target: SshTarget, argv_tail: list[str]) -> None:
    assert normalize_host(url, "--host") == url
    assert ssh_target(url) == target
    argv = target.argv(7)
    # docker's connhelper: a connect timeout, no pseudo-terminal; dkr adds BatchMode (no prompt can be answered)
    assert argv[:6] == ["ssh", "-o", "ConnectTimeout=7", "-o", "BatchMode=yes", "-T"]
    assert argv[6:] == argv_tail


@pytest.mark.parametrize(
    ("url", "why"),
    [
        pytest.param("ssh://me:secret@box", "password", id="password"),
        pytest.param("ssh://box?x=1", "query", id="query"),
        pytest.param("ssh://box#frag", "fragments", id="fragment"),
        pytest.param("ssh://me@", "no host name", id="no-host"),
        pytest.param("ssh://box:port", "bad port", id="bad-port"),
    ],
)
def test_bad_ssh_urls_are_usage_errors(url: str, why: str) -> None:
    with pytest.raises(UsageError, match=why):
        normalize_host(url, "DOCKER_HOST")


def test_ssh_check_command_is_what_a_user_can_run() -> None:
    assert ssh_target("ssh://me@box:2222").check_command() == "ssh -p 2222 me@box docker version"
    assert ssh_target("ssh://box").check_command() == "ssh box docker version"


@pytest.mark.parametrize(
    ("extra", "tls", "verify"),
    [
        pytest.param({"DOCKER_CERT_PATH": "/certs"}, False, False, id="cert-path-alone-is-not-tls"),
        pytest.param({"DOCKER_TLS": "1"}, True, False, id="tls-without-verify"),
        pytest.param({"DOCKER_TLS_VERIFY": "1"}, True, True, id="verify"),
        pytest.param({"DOCKER_TLS_VERIFY": "0"}, True, True, id="verify-any-value-as-docker"),
        pytest.param({}, False, False, id="plain"),
    ],
)
def test_tls_variables_read_as_docker_does(cfg: Path, extra: dict[str, str], tls: bool, verify: bool) -> None:
    ep = resolve(None, None, env_for(cfg, DOCKER_HOST="tcp://h:2376", **extra))
    assert (ep.tls is not None) == tls
    assert bool(ep.tls and ep.tls.verify) == verify


def test_context_names_for_completion(tmp_path: Path) -> None:
    from dkr.hosts import context_names

    meta = tmp_path / "contexts" / "meta"
    for digest, content in [("a", '{"Name": "remote"}'), ("b", "not json"), ("c", "[]")]:
        (meta / digest).mkdir(parents=True)
        (meta / digest / "meta.json").write_text(content)
    assert context_names({"DOCKER_CONFIG": str(tmp_path)}) == ["default", "remote"]
    assert context_names({"DOCKER_CONFIG": str(tmp_path / "none")}) == ["default"]


def test_a_context_with_skip_tls_verify_alone_is_tls_without_verification(cfg: Path) -> None:
    # docker's Endpoint.tlsConfig: no TLS files but SkipTLSVerify is TLS that accepts any certificate
    write_context(cfg, "insecure", "tcp://h:2376", skip_verify=True)
    ep = resolve(None, "insecure", env_for(cfg))
    assert ep.tls is not None
    assert (ep.tls.verify, ep.tls.ca_cert, ep.tls.client_cert) == (False, None, None)
    write_context(cfg, "plain", "tcp://h:2375")
    assert resolve(None, "plain", env_for(cfg)).tls is None
