"""pull/push arguments and --platform, as docker/cli checks them before any Engine call; and a registry SERVER
read into docker's config.json key: docker login's normalisation (GetDefaultAuthConfig, ConvertToHostname),
Hub's names as Hub's key, and what dkr refuses (exit 2) before any Engine call."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkr.errors import ExitCode, UsageError
from dkr.options.registry import (
    HUB_KEY,
    logout_keys,
    parse_platform,
    pull_reference,
    push_reference,
    registry_key,
)

PART = st.text(string.ascii_letters + string.digits + "_-", min_size=1, max_size=8)


@given(st.lists(PART, min_size=1, max_size=3))
def test_every_platform_specifier_is_taken_lowered(parts: list[str]) -> None:
    value = "/".join(parts)
    assert parse_platform(value, "pull") == value.lower()


@given(st.text(max_size=20))
def test_a_platform_is_refused_unless_it_is_one_to_three_parts_of_the_set(value: str) -> None:
    parts = value.split("/")
    ok = (
        bool(value)
        and len(parts) <= 3
        and all(p and set(p) <= set(string.ascii_letters + string.digits + "_-") for p in parts)
    )
    if ok:
        assert parse_platform(value, "pull") == value.lower()
    else:
        with pytest.raises(UsageError):
            parse_platform(value, "pull")


def test_pull_keeps_what_was_given_and_the_command_adds_latest() -> None:
    ref = pull_reference("127.0.0.1:5000/app", all_tags=False)
    assert (ref.domain, ref.path, ref.tag) == ("127.0.0.1:5000", "app", "")
    assert str(ref.with_default_tag()) == "127.0.0.1:5000/app:latest"
    assert str(pull_reference("busybox", all_tags=True)) == "docker.io/library/busybox"
    digest = "sha256:" + "a" * 64
    assert pull_reference(f"app@{digest}", all_tags=False).digest == digest


@pytest.mark.parametrize("value", ["app:1", "app@sha256:" + "a" * 64])
def test_all_tags_wants_a_name_alone(value: str) -> None:
    with pytest.raises(UsageError, match="tag can't be used with --all-tags/-a"):
        pull_reference(value, all_tags=True)


def test_push_refuses_a_digest_and_a_tag_with_all_tags() -> None:
    with pytest.raises(UsageError, match="cannot push a digest reference"):
        push_reference("app@sha256:" + "a" * 64, all_tags=False)
    with pytest.raises(UsageError, match="tag can't be used"):
        push_reference("app:1", all_tags=True)
    assert str(push_reference("[::1]:5000/team/app:2", all_tags=False)) == "[::1]:5000/team/app:2"


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
