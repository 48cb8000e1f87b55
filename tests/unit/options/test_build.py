"""`dkr build` option values (dkr.options.build): tags by docker's reference grammar, KEY=VALUE lists."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkr.errors import UsageError
from dkr.options.build import parse_build_args, parse_key_values, parse_tag


@pytest.mark.parametrize(
    "tag",
    [
        "app",
        "app:1.0",
        "team/app:dev-2",
        "localhost:5000/app",
        "registry.example.com:443/a/b/c:tag_1",
        "Registry.Example.com/app",  # a domain may have capitals
        "a__b-c.d",
        "app:" + "x" * 128,
        "[::1]:5000/app:v1",
    ],
)
def test_valid_tags(tag: str) -> None:
    assert parse_tag(tag) == tag


@pytest.mark.parametrize(
    ("tag", "why"),
    [
        pytest.param("App", "must be lowercase", id="upper"),
        pytest.param("team/App:1", "must be lowercase", id="upper-path"),
        pytest.param("app@sha256:" + "a" * 64, "digest", id="digest"),
        pytest.param("a" * 64, "image id", id="hex-id"),
        pytest.param("app:" + "x" * 129, "invalid reference format", id="long-tag"),
        pytest.param("app:-x", "invalid reference format", id="tag-dash"),
        # Go's \w is ASCII: accepted here once (a Unicode \w), rejected by docker and the image listing
        pytest.param("app:tägé", "invalid reference format", id="non-ascii-tag"),
        pytest.param("-app", "invalid reference format", id="leading-dash"),
        pytest.param("", "invalid reference format", id="empty"),
        pytest.param("a/" * 130 + "b", "longer than 255", id="long-name"),
    ],
)
def test_invalid_tags(tag: str, why: str) -> None:
    with pytest.raises(UsageError, match=why) as info:
        parse_tag(tag)
    assert info.value.exit_code == 2


@given(
    st.from_regex(r"[a-z0-9]{1,10}(/[a-z0-9]{1,10}){0,2}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,20})?", fullmatch=True)
)
def test_generated_references_parse(tag: str) -> None:
    assert parse_tag(tag) == tag


def test_key_values() -> None:
    assert parse_key_values(["A=1", "B=x=y", "C=", "A=2"], "--label") == {"A": "2", "B": "x=y", "C": ""}


@pytest.mark.parametrize(
    ("item", "why"),
    [
        pytest.param("FOO", "expected KEY=VALUE", id="no-equals"),
        pytest.param("=v", "empty key", id="empty-key"),
    ],
)
def test_bad_key_values(item: str, why: str) -> None:
    with pytest.raises(UsageError, match=why):
        parse_key_values([item], "--label")


def test_build_arg_from_environment() -> None:
    assert parse_build_args(["HTTP_PROXY", "V=1"], {"HTTP_PROXY": "http://p:3128"}) == {
        "HTTP_PROXY": "http://p:3128",
        "V": "1",
    }


def test_build_arg_not_in_environment() -> None:
    with pytest.raises(UsageError, match="or a KEY set in the environment"):
        parse_build_args(["NOT_SET_ANYWHERE"], {})
