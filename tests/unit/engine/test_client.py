"""What an unreachable or wrong endpoint is called: the one line and the hint, per transport and failure.

The integration suite (tests/integration/test_endpoints.py) produces these failures for real; this table pins
the wording, including the cases a real server produces only sometimes (a TLS alert that the reset overtakes).
"""

from __future__ import annotations

import http.client
import ssl

import pytest
import requests.exceptions

from dkr.engine.errors import unreachable
from dkr.hosts import TLS, Endpoint
from dkr.render.errors import describe

PLAIN = Endpoint("tcp://10.0.0.1:2375", "DOCKER_HOST")
TLS_EP = Endpoint(
    "tcp://10.0.0.1:2376", "--host", TLS(True, "/certs/ca.pem", ("/certs/cert.pem", "/certs/key.pem"))
)
TLS_NO_CERT = Endpoint("tcp://10.0.0.1:2376", "--host", TLS(True, "/certs/ca.pem", None))
CONTEXT = Endpoint(
    "tcp://10.0.0.1:2376", "context 'prod'", TLS(True, "/ctx/ca.pem", ("/ctx/cert.pem", "/ctx/key.pem"))
)
SSH = Endpoint("ssh://me@box:2222", "--host")


def ssl_error(reason: str, cls: type[ssl.SSLError] = ssl.SSLError) -> ssl.SSLError:
    exc = cls(1, f"[SSL: {reason}] {reason.lower()}")
    exc.reason = reason  # what OpenSSL fills in
    return exc


def untrusted() -> ssl.SSLCertVerificationError:
    exc = ssl.SSLCertVerificationError(1, "certificate verify failed")
    exc.reason = "CERTIFICATE_VERIFY_FAILED"
    exc.verify_message = "unable to get local issuer certificate"
    return exc


def wrapped(inner: BaseException) -> requests.exceptions.ConnectionError:
    """As requests raises it: the OS / ssl error a few causes down."""
    outer = requests.exceptions.ConnectionError("Max retries exceeded")
    outer.__cause__ = inner
    return outer


@pytest.mark.parametrize(
    ("endpoint", "exc", "reason", "hint"),
    [
        pytest.param(
            TLS_EP,
            wrapped(untrusted()),
            "certificate is not trusted (unable to get local issuer certificate)",
            "DOCKER_CERT_PATH: /certs/ca.pem must be the CA",
            id="untrusted",
        ),
        pytest.param(
            CONTEXT,
            wrapped(untrusted()),
            "certificate is not trusted",
            "the context's TLS files: /ctx/ca.pem",
            id="untrusted-context",
        ),
        pytest.param(
            TLS_NO_CERT,
            wrapped(ssl_error("TLSV13_ALERT_CERTIFICATE_REQUIRED")),
            "requires a client certificate and none was presented",
            "cert.pem and key.pem",
            id="cert-required-alert",
        ),
        pytest.param(
            TLS_NO_CERT,
            wrapped(ssl_error("UNEXPECTED_EOF_WHILE_READING", ssl.SSLEOFError)),
            "closed the connection (it may require a client certificate; none was presented)",
            "cert.pem and key.pem",
            id="cert-required-eof",
        ),
        pytest.param(
            TLS_NO_CERT,
            wrapped(ConnectionResetError(104, "Connection reset by peer")),
            "it may require a client certificate",
            "cert.pem and key.pem",
            id="cert-required-reset",
        ),
        pytest.param(
            TLS_EP,
            wrapped(ssl_error("TLSV1_ALERT_UNKNOWN_CA")),
            "refused the client certificate (tlsv1 alert unknown ca)",
            "cert.pem and key.pem",
            id="client-cert-refused",
        ),
        pytest.param(
            TLS_EP,
            wrapped(ssl_error("WRONG_VERSION_NUMBER")),
            "does not speak TLS",
            "unset DOCKER_TLS_VERIFY",
            id="not-tls",
        ),
        pytest.param(
            PLAIN,
            wrapped(http.client.RemoteDisconnected("Remote end closed connection")),
            "closed without an answer",
            "Check that the Engine is up",
            id="closed",
        ),
        pytest.param(
            PLAIN,
            wrapped(TimeoutError("timed out")),
            "timed out",
            "Check that the Engine is up",
            id="timeout",
        ),
        pytest.param(
            SSH,
            wrapped(TimeoutError("timed out")),
            "timed out",
            "'ssh -p 2222 me@box docker version' works without a prompt",
            id="ssh",
        ),
    ],
)
def test_unreachable_names_endpoint_reason_and_what_to_check(
    endpoint: Endpoint, exc: BaseException, reason: str, hint: str
) -> None:
    err = unreachable(endpoint, exc)
    assert describe(err)[0].startswith(f"cannot connect to the Docker Engine at {endpoint.describe()}: ")
    assert reason in describe(err)[0]
    assert describe(err)[1] and hint in describe(err)[1]
    assert "refused" not in describe(err)[0] or "refused the client certificate" in describe(err)[0]


CA_ONLY = Endpoint("tcp://10.0.0.1:2376", "--host", TLS(True, "/certs/ca.pem", None, folder="/certs"))


def test_a_bad_certificate_alert_without_a_client_certificate_says_none_was_presented() -> None:
    """dockerd (Go, TLS 1.2) answers a handshake that carried no client certificate with "bad certificate":
    with only ca.pem in DOCKER_CERT_PATH, dkr used to say the Engine refused the client certificate."""
    err = unreachable(CA_ONLY, wrapped(ssl_error("SSLV3_ALERT_BAD_CERTIFICATE")))
    line, hint = describe(err)
    assert "refused" not in line
    assert line.endswith(
        "requires a client certificate and none was presented; no cert.pem and key.pem in /certs"
    )
    assert hint == (
        "Put a client certificate signed by the Engine's CA in /certs as cert.pem, with its key as key.pem."
    )


def test_a_refused_certificate_names_the_certificate_presented() -> None:
    err = unreachable(TLS_EP, wrapped(ssl_error("SSLV3_ALERT_BAD_CERTIFICATE")))
    line = describe(err)[0]
    assert "refused the client certificate (sslv3 alert bad certificate)" in line
    assert TLS_EP.tls is not None and TLS_EP.tls.client_cert is not None
    assert line.endswith(f"; presented {TLS_EP.tls.client_cert[0]}")


def test_a_close_after_presenting_a_certificate_says_which_one() -> None:
    err = unreachable(TLS_EP, wrapped(ConnectionResetError(104, "Connection reset by peer")))
    line, hint = describe(err)
    assert TLS_EP.tls is not None and TLS_EP.tls.client_cert is not None
    assert line.endswith(
        "the endpoint closed the connection (it may have refused the client certificate); "
        f"presented {TLS_EP.tls.client_cert[0]}"
    )
    assert hint and "cert.pem and key.pem must be a client certificate" in hint


def test_ssh_says_what_ssh_said() -> None:
    err = unreachable(
        SSH, wrapped(http.client.RemoteDisconnected()), "me@box: Permission denied (publickey)."
    )
    assert describe(err)[0].endswith(": me@box: Permission denied (publickey).")
