"""human_duration and human_size against docker/go-units' own tests.

Rows are TestHumanDuration (duration_test.go) and TestHumanSize (size_test.go) from docker/go-units
(commit 2bd057e7d15e38a5d66bd084ffe3619027c7b8b6), in upstream order, plus the one ExampleHumanDuration
output that TestHumanDuration lacks. go-units has no TestHumanSizeWithPrecision: HumanSize(size) is
HumanSizeWithPrecision(size, 4), so the size rows call human_size(size, 4). human_duration takes seconds
where HumanDuration takes a time.Duration; Go's float64(3.42*GB) is an exact constant, written out here.
"""

from __future__ import annotations

import pytest

from dkr.grammars.units import human_duration, human_size

# durations, in seconds
MILLISECOND = 0.001
SECOND = 1
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WEEK = 7 * DAY
MONTH = 30 * DAY
YEAR = 365 * DAY

# sizes, in bytes
KB = 1000
MB = 1000 * KB
GB = 1000 * MB
TB = 1000 * GB
PB = 1000 * TB

HUMAN_DURATION_TESTS = [
    pytest.param(450 * MILLISECOND, "Less than a second", id="450ms"),
    pytest.param(1 * SECOND, "1 second", id="1s"),
    pytest.param(45 * SECOND, "45 seconds", id="45s"),
    pytest.param(46 * SECOND, "46 seconds", id="46s"),
    pytest.param(59 * SECOND, "59 seconds", id="59s"),
    pytest.param(60 * SECOND, "About a minute", id="60s"),
    pytest.param(1 * MINUTE, "About a minute", id="1m"),
    pytest.param(3 * MINUTE, "3 minutes", id="3m"),
    pytest.param(35 * MINUTE, "35 minutes", id="35m"),
    pytest.param(35 * MINUTE + 40 * SECOND, "35 minutes", id="35m40s"),
    pytest.param(45 * MINUTE, "45 minutes", id="45m"),
    pytest.param(45 * MINUTE + 40 * SECOND, "45 minutes", id="45m40s"),
    pytest.param(46 * MINUTE, "46 minutes", id="46m"),
    pytest.param(59 * MINUTE, "59 minutes", id="59m"),
    pytest.param(1 * HOUR, "About an hour", id="1h"),
    pytest.param(1 * HOUR + 29 * MINUTE, "About an hour", id="1h29m"),
    pytest.param(1 * HOUR + 31 * MINUTE, "2 hours", id="1h31m"),
    pytest.param(1 * HOUR + 59 * MINUTE, "2 hours", id="1h59m"),
    pytest.param(3 * HOUR, "3 hours", id="3h"),
    pytest.param(3 * HOUR + 29 * MINUTE, "3 hours", id="3h29m"),
    pytest.param(3 * HOUR + 31 * MINUTE, "4 hours", id="3h31m"),
    pytest.param(3 * HOUR + 59 * MINUTE, "4 hours", id="3h59m"),
    pytest.param(3 * HOUR + 60 * MINUTE, "4 hours", id="3h60m"),
    pytest.param(24 * HOUR, "24 hours", id="24h"),
    pytest.param(1 * DAY + 12 * HOUR, "36 hours", id="1day12h"),
    pytest.param(2 * DAY, "2 days", id="2days"),
    pytest.param(7 * DAY, "7 days", id="7days"),
    pytest.param(13 * DAY + 5 * HOUR, "13 days", id="13days5h"),
    pytest.param(2 * WEEK, "2 weeks", id="2weeks"),
    pytest.param(2 * WEEK + 4 * DAY, "2 weeks", id="2weeks4days"),
    pytest.param(3 * WEEK, "3 weeks", id="3weeks"),
    pytest.param(4 * WEEK, "4 weeks", id="4weeks"),
    pytest.param(4 * WEEK + 3 * DAY, "4 weeks", id="4weeks3days"),
    pytest.param(1 * MONTH, "4 weeks", id="1month"),
    pytest.param(1 * MONTH + 2 * WEEK, "6 weeks", id="1month2weeks"),
    pytest.param(2 * MONTH, "2 months", id="2months"),
    pytest.param(2 * MONTH + 2 * WEEK, "2 months", id="2months2weeks"),
    pytest.param(3 * MONTH, "3 months", id="3months"),
    pytest.param(3 * MONTH + 1 * WEEK, "3 months", id="3months1week"),
    pytest.param(5 * MONTH + 2 * WEEK, "5 months", id="5months2weeks"),
    pytest.param(13 * MONTH, "13 months", id="13months"),
    pytest.param(23 * MONTH, "23 months", id="23months"),
    pytest.param(24 * MONTH, "24 months", id="24months"),
    pytest.param(24 * MONTH + 2 * WEEK, "2 years", id="24months2weeks"),
    pytest.param(3 * YEAR + 2 * MONTH, "3 years", id="3years2months"),
    # ExampleHumanDuration: the only output TestHumanDuration has no row for
    pytest.param(47 * SECOND, "47 seconds", id="example-47s"),
]

HUMAN_SIZE_TESTS = [
    pytest.param(1000, "1kB", id="1000"),
    pytest.param(1024, "1.024kB", id="1024"),
    pytest.param(1000000, "1MB", id="1000000"),
    pytest.param(1048576, "1.049MB", id="1048576"),
    pytest.param(2 * MB, "2MB", id="2MB"),
    pytest.param(3_420_000_000.0, "3.42GB", id="3.42GB"),  # float64(3.42*GB)
    pytest.param(5_372_000_000_000.0, "5.372TB", id="5.372TB"),  # float64(5.372*TB)
    pytest.param(2_220_000_000_000_000.0, "2.22PB", id="2.22PB"),  # float64(2.22*PB)
    pytest.param(float(10000000000000 * PB), "1e+04YB", id="10000000000000PB"),
]


@pytest.mark.parametrize(("seconds", "want"), HUMAN_DURATION_TESTS)
def test_human_duration(seconds: float, want: str) -> None:
    assert human_duration(seconds) == want


@pytest.mark.parametrize(("size", "want"), HUMAN_SIZE_TESTS)
def test_human_size(size: float, want: str) -> None:
    """HumanSize is HumanSizeWithPrecision(size, 4)."""
    assert human_size(size, 4) == want
