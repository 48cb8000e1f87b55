"""TLS against dockerd's own TLS (a private Engine with `--tlsverify`), not a proxy's: what Go's TLS server
answers is what users meet, and it differs from Python's (a missing client certificate is "bad certificate").
Each error says what dkr presented."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import Result, assert_one_line_error
from tests.integration.endpoints import TlsFiles, make_tls
from tests.integration.private_engine import PrivateEngine
from tests.integration.support import as_result, dkr

#: Engines of its own only (the main Engine is never touched): `make test` runs it beside the rest
pytestmark = pytest.mark.beside


@pytest.fixture(scope="module")
def tls_dockerd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PrivateEngine, TlsFiles]]:
    files = make_tls(tmp_path_factory.mktemp("dockerd-tls"))
    engine = PrivateEngine(tls=files)
    try:
        engine.start()
        yield engine, files
    finally:
        engine.stop()


def _certs(tmp_path: Path, *files: Path, names: tuple[str, ...] = ("ca.pem", "cert.pem", "key.pem")) -> Path:
    certs = tmp_path / "certs"
    certs.mkdir()
    for src, name in zip(files, names, strict=False):
        shutil.copy(src, certs / name)
    return certs


def _ps(engine: PrivateEngine, certs: Path) -> tuple[Result, Path]:
    assert engine.tcp_url is not None
    res = dkr("-H", engine.tcp_url, "ps", env={"DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(certs)})
    return as_result(res), certs


def test_the_full_set_reaches_dockerd_over_tls(tls_dockerd: tuple[PrivateEngine, TlsFiles]) -> None:
    engine, files = tls_dockerd
    assert engine.tcp_url is not None
    env = {"DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(files.client_dir)}
    res = dkr("-H", engine.tcp_url, "version", "--format", "json", env=env)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip()


def test_only_ca_pem_says_no_client_certificate_was_presented(
    tls_dockerd: tuple[PrivateEngine, TlsFiles], tmp_path: Path
) -> None:
    """Go's TLS server answers a handshake without a client certificate with the alert "bad certificate":
    dkr used to report that the Engine refused the client certificate."""
    engine, files = tls_dockerd
    result, certs = _ps(engine, _certs(tmp_path, files.ca))
    assert_one_line_error(
        result,
        1,
        f"{engine.tcp_url} (from --host): TLS: the Engine requires a client certificate and none was "
        f"presented; no cert.pem and key.pem in {certs}",
        f"in {certs} as cert.pem, with its key as key.pem",
    )
    assert "refused" not in result.err


@pytest.mark.parametrize(
    ("stranger_signs", "needles"),
    [
        pytest.param(
            "client",
            # TLS 1.3: the refusal may arrive as an alert or as a bare close once the request was sent
            ("refused the client certificate", "; presented {certs}/cert.pem",
             "cert.pem and key.pem must be a client certificate from the Engine's CA"),
            id="client-cert-from-another-ca",
        ),
        pytest.param(
            "ca",
            ("TLS: the Engine's certificate is not trusted",
             "{certs}/ca.pem must be the CA that signed the Engine's certificate"),
            id="engine-cert-not-trusted",
        ),
    ],
)  # fmt: skip
def test_a_certificate_from_another_ca_is_named(
    tls_dockerd: tuple[PrivateEngine, TlsFiles], tmp_path: Path, stranger_signs: str, needles: tuple[str, ...]
) -> None:
    engine, files = tls_dockerd
    (tmp_path / "stranger").mkdir()
    stranger = make_tls(tmp_path / "stranger")
    if stranger_signs == "client":
        certs = _certs(tmp_path, files.ca, stranger.cert, stranger.key)
    else:
        certs = _certs(tmp_path, stranger.ca, files.cert, files.key)
    result, _ = _ps(engine, certs)
    assert_one_line_error(result, 1, *(n.format(certs=certs) for n in needles))
    if stranger_signs == "ca":
        assert "refused" not in result.err
