"""`dkr context` against the docker CLI, in one private DOCKER_CONFIG per test (never ~/.docker): a context
either tool makes is listed, inspected and used by the other, compared field by field, and reaches the Engine
through forwarders on 127.0.0.1 (plain and TLS with a client certificate) whose connection counts prove the
route. Nothing is created in the Engine; every forwarder stops at the end of the module.
"""

from __future__ import annotations

import json
import os
import ssl
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import run_dkr
from tests.integration.endpoints import ENGINE_VARIABLES, Forwarder, TlsFiles
from tests.integration.support import dkr as dkr_process


@pytest.fixture(autouse=True)
def config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A docker config of the test's own (both tools read DOCKER_CONFIG); no DOCKER_* selection from outside."""
    for name in ENGINE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "docker-config"
    monkeypatch.setenv("DOCKER_CONFIG", str(folder))
    return folder


def dkr(*args: str) -> subprocess.CompletedProcess[str]:
    """dkr's context commands through its real entry point, main(argv), in this process: they only read and
    write files, and a fresh interpreter per call would cost most of this module's time. Whatever reaches the
    Engine runs as its own process (`reaches`)."""
    res = run_dkr(*args)
    return subprocess.CompletedProcess(["dkr", *args], res.code, res.out, res.err)


def docker(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=30, env=dict(os.environ))


def ok(res: subprocess.CompletedProcess[str]) -> str:
    assert res.returncode == 0, (res.args, res.stderr)
    return res.stdout


def inspected(tool: Any, *names: str) -> Any:
    return json.loads(ok(tool("context", "inspect", *names)))


def listed(tool: Any) -> list[Any]:
    return [json.loads(line) for line in ok(tool("context", "ls", "--format", "json")).splitlines()]


def reaches(fwd: Forwarder, tool: Any, *args: str) -> None:
    """`tool ARGS ps -q` succeeds, through `fwd`."""
    before = fwd.forwarded
    ok((dkr_process if tool is dkr else tool)(*args, "ps", "-q"))
    assert fwd.forwarded > before


def test_a_context_docker_made_is_listed_inspected_and_used_by_dkr(
    tcp_engine: Forwarder, config: Path
) -> None:
    assert ok(docker("context", "create", "made-by-docker", "--description", "a <b> & c",
                     "--docker", f"host={tcp_engine.url}")).strip() == "made-by-docker"  # fmt: skip
    assert listed(dkr) == listed(docker)
    assert inspected(dkr, "made-by-docker", "default") == inspected(docker, "made-by-docker", "default")
    assert ok(dkr("context", "ls", "-q")).split() == ["default", "made-by-docker"]
    reaches(tcp_engine, dkr, "-c", "made-by-docker")

    ok(docker("context", "use", "made-by-docker"))
    assert ok(dkr("context", "show")) == "made-by-docker\n"
    assert ok(dkr("context", "ls")) == ok(docker("context", "ls"))
    reaches(tcp_engine, dkr)


def test_a_context_dkr_made_is_the_one_docker_would_make(
    tcp_engine: Forwarder, config: Path, tmp_path: Path
) -> None:
    res = dkr("context", "create", "made-by-dkr", "--description", "from dkr",
              "--docker", f"host={tcp_engine.url},skip-tls-verify=false")  # fmt: skip
    assert (res.returncode, res.stdout, res.stderr) == (
        0,
        "made-by-dkr\n",
        'Successfully created context "made-by-dkr"\n',
    )
    assert inspected(docker, "made-by-dkr") == inspected(dkr, "made-by-dkr")
    reaches(tcp_engine, docker, "-c", "made-by-dkr")
    reaches(tcp_engine, dkr, "-c", "made-by-dkr")
    # byte for byte what docker writes, with its modes
    other = tmp_path / "docker-made"
    ok(subprocess.run(["docker", "--config", str(other), "context", "create", "made-by-dkr", "--description",
                       "from dkr", "--docker", f"host={tcp_engine.url},skip-tls-verify=false"],
                      capture_output=True, text=True, timeout=30))  # fmt: skip
    assert tree(config / "contexts") == tree(other / "contexts")


def tree(root: Path) -> list[tuple[str, str, bytes]]:
    return sorted(
        (p.relative_to(root).as_posix(), oct(p.stat().st_mode), p.read_bytes() if p.is_file() else b"")
        for p in [root, *root.rglob("*")]
    )


def test_a_tls_context_copies_the_material_and_both_tools_use_it(
    tls_engine: Forwarder, tls_files: TlsFiles, config: Path, tmp_path: Path
) -> None:
    spec = f"host={tls_engine.url},ca={tls_files.ca},cert={tls_files.cert},key={tls_files.key}"
    ok(dkr("context", "create", "tlsctx", "--docker", spec))
    reaches(tls_engine, dkr, "-c", "tlsctx")
    reaches(tls_engine, docker, "-c", "tlsctx")
    mine = inspected(dkr, "tlsctx")
    assert mine == inspected(docker, "tlsctx")
    assert mine[0]["TLSMaterial"] == {"docker": ["ca.pem", "cert.pem", "key.pem"]}
    other = tmp_path / "docker-made"
    ok(subprocess.run(["docker", "--config", str(other), "context", "create", "tlsctx", "--docker", spec],
                      capture_output=True, text=True, timeout=30))  # fmt: skip
    assert tree(config / "contexts") == tree(other / "contexts")
    # and the reverse: docker's TLS context, used by dkr
    ok(docker("context", "create", "tls-by-docker", "--docker", spec))
    reaches(tls_engine, dkr, "-c", "tls-by-docker")
    assert tls_engine.handshake_errors == []


@pytest.mark.parametrize(
    ("cert", "key"),
    [
        pytest.param("cert", "server_key", id="key-of-another-certificate"),
        pytest.param("cert", "cert", id="a-certificate-as-key"),
        pytest.param("key", "key", id="a-key-as-certificate"),
    ],
)
def test_a_bad_key_pair_is_refused_in_dockers_words(tls_files: TlsFiles, cert: str, key: str) -> None:
    spec = f"host=tcp://127.0.0.1:1,cert={getattr(tls_files, cert)},key={getattr(tls_files, key)}"
    theirs = docker("context", "create", "pair", "--docker", spec)
    mine = dkr("context", "create", "pair", "--docker", spec)
    assert (mine.returncode, theirs.returncode) == (1, 1)
    assert mine.stderr == "dkr: error: " + theirs.stderr


def test_use_sends_plain_commands_to_the_context_and_rm_takes_it_away(
    tcp_engine: Forwarder, config: Path
) -> None:
    ok(dkr("context", "create", "ctxd", "--docker", f"host={tcp_engine.url}"))
    res = dkr("context", "use", "ctxd")
    assert (res.returncode, res.stdout, res.stderr) == (0, "ctxd\n", 'Current context is now "ctxd"\n')
    assert json.loads((config / "config.json").read_text())["currentContext"] == "ctxd"
    assert ok(docker("context", "show")) == "ctxd\n"
    reaches(tcp_engine, dkr)

    refused = dkr("context", "rm", "ctxd")
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        'dkr: error: context "ctxd" is in use, set -f flag to force remove'
    ]
    assert ok(dkr("context", "rm", "-f", "ctxd")) == "ctxd\n"
    assert "currentContext" not in json.loads((config / "config.json").read_text())
    assert [c["Name"] for c in listed(docker)] == ["default"]
    assert ok(docker("context", "show")) == "default\n"


def test_skip_tls_verify_without_files_is_tls_without_verification(tls_files: TlsFiles) -> None:
    """docker's tlsConfig: skip-tls-verify alone still means TLS (any server certificate), not plain HTTP."""
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tls_files.server_cert, tls_files.server_key)  # no client certificate asked for
    with Forwarder(server) as fwd:
        ok(dkr("context", "create", "insecure", "--docker", f"host={fwd.url},skip-tls-verify=true"))
        reaches(fwd, docker, "-c", "insecure")
        reaches(fwd, dkr, "-c", "insecure")
        assert fwd.handshake_errors == []


def docker_clis() -> list[str]:
    """Every docker CLI on PATH, one per binary (here the current CLI and Debian's 20.10, which the store's
    format has to satisfy as well)."""
    found: dict[str, str] = {}
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(folder or ".", "docker")
        if candidate.is_file() and os.access(candidate, os.X_OK):
            found.setdefault(str(candidate.resolve()), str(candidate))
    return sorted(found.values())


@pytest.mark.parametrize("cli", docker_clis())
def test_every_docker_cli_on_path_writes_and_reads_the_same_store(
    cli: str, config: Path, tmp_path: Path
) -> None:
    args = [
        "context",
        "create",
        "same",
        "--description",
        "a<b",
        "--docker",
        "host=tcp://h:1,skip-tls-verify=1",
    ]
    ok(dkr(*args))
    other = tmp_path / "other"
    ok(subprocess.run([cli, "--config", str(other), *args], capture_output=True, text=True, timeout=30))
    assert tree(config / "contexts") == tree(other / "contexts")
    theirs = subprocess.run([cli, "context", "inspect", "same"], capture_output=True, text=True, timeout=30)
    assert json.loads(ok(theirs)) == inspected(dkr, "same")
