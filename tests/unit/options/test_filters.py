"""Filters and signals: checked before any Engine call (exit 2 on bad input)."""

from __future__ import annotations

import pytest

from dkr.errors import UsageError
from dkr.grammars.signals import parse_signal
from dkr.options.filters import PS_FILTERS, PS_HEALTH, PS_STATUSES, parse_filters

PS_VALUES = {"status": PS_STATUSES, "health": PS_HEALTH}


def test_filters_group_by_key() -> None:
    got = parse_filters(["status=exited", "label=a=b", "label=c", "name=web"], PS_FILTERS, "ps", PS_VALUES)
    assert got == {"status": ["exited"], "label": ["a=b", "c"], "name": ["web"]}


@pytest.mark.parametrize(
    ("item", "message"),
    [
        pytest.param("status", "bad format of filter 'status'", id="no-equals"),
        pytest.param("=x", "bad format", id="no-key"),
        pytest.param("colour=red", "invalid filter 'colour'", id="unknown-key"),
        pytest.param("status=sleeping", "invalid filter 'status=sleeping'", id="bad-status"),
        pytest.param("health=meh", "invalid filter 'health=meh'", id="bad-health"),
        pytest.param("exited=abc", "expected an exit code", id="bad-exit-code"),
    ],
)
def test_bad_filters(item: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_filters([item], PS_FILTERS, "ps", PS_VALUES)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("TERM", "SIGTERM", id="short"),
        pytest.param("sigint", "SIGINT", id="lower"),
        pytest.param("SIGKILL", "SIGKILL", id="full"),
        pytest.param("9", "9", id="number"),
        pytest.param("SIGRTMIN+3", "SIGRTMIN+3", id="realtime"),
    ],
)
def test_signals(value: str, expected: str) -> None:
    assert parse_signal(value, "stop") == expected


@pytest.mark.parametrize("value", ["FOO", "0", "65", "SIG", ""])
def test_bad_signals(value: str) -> None:
    with pytest.raises(UsageError):
        parse_signal(value, "stop")
