"""A registry SERVER read into docker's config.json key: docker login's normalisation (GetDefaultAuthConfig,
ConvertToHostname), Hub's names as Hub's key, and what dkr refuses (exit 2) before any Engine call."""

from __future__ import annotations

import pytest

from dkr.errors import ExitCode, UsageError
from dkr.options.registry import HUB_KEY, logout_keys, registry_key


@pytest.mark.parametrize(
    ("server", "key"),
    [
        pytest.param(None, HUB_KEY, id="default"),
        pytest.param("", HUB_KEY, id="empty"),
        pytest.param(HUB_KEY, HUB_KEY, id="hub-key"),
        pytest.param("docker.io", HUB_KEY, id="docker.io"),
        pytest.param("index.docker.io", HUB_KEY, id="index.docker.io"),
        pytest.param("registry-1.docker.io", HUB_KEY, id="registry-1"),
        pytest.param("https://index.docker.io", HUB_KEY, id="hub-https"),
        pytest.param("https://index.docker.io/v1", HUB_KEY, id="hub-v1-no-slash"),
        pytest.param("https://registry-1.docker.io/", HUB_KEY, id="registry-1-https-slash"),
        pytest.param("Docker.IO", HUB_KEY, id="hub-upper-case"),
        pytest.param("127.0.0.1:5000", "127.0.0.1:5000", id="ip-port"),
        pytest.param("http://127.0.0.1:5000", "127.0.0.1:5000", id="http"),
        pytest.param("https://registry.example.com", "registry.example.com", id="https"),
        pytest.param("HTTPS://registry.example.com/", "registry.example.com", id="scheme-upper-trailing-slash"),
        pytest.param("localhost:5000", "localhost:5000", id="localhost"),
        pytest.param("[::1]:5000", "[::1]:5000", id="ipv6"),
        pytest.param("ghcr.io", "ghcr.io", id="plain-host"),
        pytest.param("docker.io:443", "docker.io:443", id="hub-name-with-port-is-a-host"),
    ],
)  # fmt: skip
def test_server_to_key(server: str | None, key: str) -> None:
    assert registry_key(server, "login") == key


@pytest.mark.parametrize(
    ("server", "words"),
    [
        pytest.param("registry.example.com/team", "it has a path ('/team')", id="path"),
        pytest.param("https://127.0.0.1:5000/v2/", "it has a path ('/v2/')", id="url-path"),
        pytest.param("docker.io/library", "it has a path", id="hub-path"),
        pytest.param("ftp://registry.example.com", "only http:// and https://", id="scheme"),
        pytest.param("bad host", "not a host[:port]", id="space"),
        pytest.param("host:port", "not a host[:port]", id="port-not-a-number"),
        pytest.param("-bad.example.com", "not a host[:port]", id="leading-dash"),
        pytest.param("https://", "not a host[:port]", id="scheme-alone"),
        pytest.param("a\nb", "'a\\nb'", id="newline-escaped"),
        pytest.param("\udcff", "not a host[:port]", id="not-utf8"),
    ],
)  # fmt: skip
def test_bad_servers_are_usage_errors(server: str, words: str) -> None:
    with pytest.raises(UsageError) as caught:
        registry_key(server, "login")
    assert caught.value.exit_code == ExitCode.USAGE
    assert words in caught.value.message and "\n" not in caught.value.message
    assert caught.value.hint == "Run 'dkr login --help' for usage."


def test_logout_keys_add_the_legacy_forms() -> None:
    assert logout_keys(HUB_KEY) == [HUB_KEY]
    assert logout_keys("r.example:5000") == [
        "r.example:5000",
        "http://r.example:5000",
        "https://r.example:5000",
    ]
