"""pull/push arguments and --platform, as docker/cli checks them before any Engine call."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkr.errors import UsageError
from dkr.options.registry import parse_platform, pull_reference, push_reference

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
