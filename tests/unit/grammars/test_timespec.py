"""timespec: --since/--until/--tail read as docker reads them, checked against what the docker CLI sent."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkr.errors import UsageError
from dkr.grammars.timespec import TimeSpecError, get_timestamp, parse_go_duration, tail_param, time_param

DATA = json.loads((Path(__file__).parents[1] / "data" / "docker_since.json").read_text())
NS = 10**9


def _case_id(case: dict[str, Any]) -> str:
    return case["value"] or "empty"


ABSOLUTE = [c for c in DATA["cases"] if c["kind"] == "absolute"]
RELATIVE = [c for c in DATA["cases"] if c["kind"] == "relative" and c["ok"]]
REJECTED = [c for c in DATA["cases"] if not c["ok"]]


@pytest.mark.parametrize("case", [pytest.param(c, id=_case_id(c)) for c in ABSOLUTE])
def test_absolute_values_match_docker(case: dict[str, Any]) -> None:
    """docker ran with TZ=Asia/Kolkata: values without a zone are read at that fixed offset."""
    assert get_timestamp(case["value"], int(case["before"] * NS), DATA["offset"]) == case["sent"]


@pytest.mark.parametrize("case", [pytest.param(c, id=_case_id(c)) for c in RELATIVE])
def test_durations_count_back_from_now_like_docker(case: dict[str, Any]) -> None:
    earliest = int(get_timestamp(case["value"], int(case["before"] * NS), 0))
    latest = int(get_timestamp(case["value"], int(case["after"] * NS), 0))
    assert earliest <= int(case["sent"]) <= latest


@pytest.mark.parametrize("case", [pytest.param(c, id=_case_id(c)) for c in REJECTED])
def test_values_docker_rejects_are_rejected(case: dict[str, Any]) -> None:
    with pytest.raises(TimeSpecError):
        get_timestamp(case["value"], 1_700_000_000 * NS, DATA["offset"])


@pytest.mark.parametrize(
    ("text", "nanos"),
    [
        pytest.param("1h30m", 5400 * NS, id="hours-minutes"),
        pytest.param("1.5h", 5400 * NS, id="fraction"),
        pytest.param(".5s", NS // 2, id="leading-dot"),
        pytest.param("1.s", NS, id="trailing-dot"),
        pytest.param("1µs", 1000, id="micro-sign"),
        pytest.param("1μs", 1000, id="greek-mu"),
        pytest.param("1us2ns", 1002, id="two-small-units"),
        pytest.param("-1m", -60 * NS, id="negative"),
        pytest.param("+1m", 60 * NS, id="plus"),
        pytest.param("0", 0, id="bare-zero"),
        pytest.param("-0", 0, id="negative-zero"),
        pytest.param("9223372036854775807ns", (1 << 63) - 1, id="max"),
        pytest.param("-9223372036854775808ns", -(1 << 63), id="min"),
        pytest.param("0.1234567891234s", 123456789, id="fraction-truncated"),
    ],
)
def test_go_durations(text: str, nanos: int) -> None:
    assert parse_go_duration(text) == nanos


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("1", id="no-unit"),
        pytest.param("h", id="no-number"),
        pytest.param(".h", id="dot-only"),
        pytest.param("1d", id="days-unknown"),
        pytest.param("1h 30m", id="space"),
        pytest.param("9223372036854775808ns", id="overflow"),
        pytest.param("3000000h", id="overflow-hours"),
        pytest.param("--1h", id="double-sign"),
    ],
)
def test_bad_go_durations(text: str) -> None:
    with pytest.raises(TimeSpecError):
        parse_go_duration(text)


UNITS = {"h": 3600 * NS, "m": 60 * NS, "s": NS, "ms": 10**6, "us": 1000, "ns": 1}


@given(st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(sorted(UNITS))), min_size=1, max_size=5))
def test_duration_components_add_up(parts: list[tuple[int, str]]) -> None:
    text = "".join(f"{n}{unit}" for n, unit in parts)
    assert parse_go_duration(text) == sum(n * UNITS[unit] for n, unit in parts)


@given(
    st.datetimes(
        min_value=dt.datetime(1, 1, 2),
        max_value=dt.datetime(9999, 12, 30),
        timezones=st.just(dt.timezone.utc),
    ),
    st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m))),
    st.integers(0, NS - 1),
)
def test_rfc3339nano_round_trip(moment: dt.datetime, zone: dt.timezone, nanos: int) -> None:
    local = moment.astimezone(zone).replace(microsecond=0)
    offset = int(local.utcoffset().total_seconds()) // 60  # type: ignore[union-attr]  # aware by construction
    suffix = f"{'-' if offset < 0 else '+'}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}" if offset else "Z"
    text = f"{local.year:04d}-{local:%m-%dT%H:%M:%S}.{nanos:09d}{suffix}"
    seconds = int((local - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)).total_seconds())
    assert get_timestamp(text, 0, 0) == f"{seconds}.{nanos:09d}"


@given(st.integers(0, 2**40), st.integers(-50_000, 50_000))
def test_unix_timestamps_pass_through(seconds: int, offset: int) -> None:
    assert get_timestamp(str(seconds), 0, offset) == str(seconds)


def test_time_param_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as info:
        time_param("yesterday", "--since", "logs")
    assert info.value.exit_code == 2
    assert "invalid --since 'yesterday'" in info.value.message
    assert time_param("10m", "--since", "logs", now_ns=1_000_000 * NS) == str(1_000_000 - 600)


@pytest.mark.parametrize(
    ("value", "param"),
    [
        pytest.param("all", "all", id="all"),
        pytest.param("0", "0", id="zero"),
        pytest.param("10", "10", id="ten"),
        pytest.param("007", "7", id="leading-zeros"),
    ],
)
def test_tail(value: str, param: str) -> None:
    assert tail_param(value, "logs") == param


@pytest.mark.parametrize("value", ["", "-1", "ten", "1.5", "ALL", "\N{FULLWIDTH DIGIT ONE}"])
def test_bad_tail(value: str) -> None:
    with pytest.raises(UsageError):
        tail_param(value, "logs")
