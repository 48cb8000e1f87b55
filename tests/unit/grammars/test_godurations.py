"""parse_go_duration against Go's own tables for time.ParseDuration.

Rows are `parseDurationTests` and `parseDurationErrorTests` from golang/go src/time/time_test.go
(commit f7396aaea0297a2e95b502a4075b0aed6efda89f), in upstream order. Values are nanoseconds, as Go's
Duration is. Go strings are bytes: its invalid UTF-8 inputs are written here as Python reads such bytes
from argv (surrogateescape), so `"\\x85"` becomes `"\\udc85"`.
"""

from __future__ import annotations

import pytest

from dkr.grammars.timespec import TimeSpecError, parse_go_duration

NANOSECOND = 1
MICROSECOND = 1000 * NANOSECOND
MILLISECOND = 1000 * MICROSECOND
SECOND = 1000 * MILLISECOND
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
MAX_INT64 = (1 << 63) - 1
MIN_INT64 = -(1 << 63)

# parseDurationTests: {in, want}
PARSE_DURATION_TESTS = [
    # simple
    pytest.param("0", 0, id="0"),
    pytest.param("5s", 5 * SECOND, id="5s"),
    pytest.param("30s", 30 * SECOND, id="30s"),
    pytest.param("1478s", 1478 * SECOND, id="1478s"),
    # sign
    pytest.param("-5s", -5 * SECOND, id="-5s"),
    pytest.param("+5s", 5 * SECOND, id="+5s"),
    pytest.param("-0", 0, id="-0"),
    pytest.param("+0", 0, id="+0"),
    # decimal
    pytest.param("5.0s", 5 * SECOND, id="5.0s"),
    pytest.param("5.6s", 5 * SECOND + 600 * MILLISECOND, id="5.6s"),
    pytest.param("5.s", 5 * SECOND, id="5.s"),
    pytest.param(".5s", 500 * MILLISECOND, id=".5s"),
    pytest.param("1.0s", 1 * SECOND, id="1.0s"),
    pytest.param("1.00s", 1 * SECOND, id="1.00s"),
    pytest.param("1.004s", 1 * SECOND + 4 * MILLISECOND, id="1.004s"),
    pytest.param("1.0040s", 1 * SECOND + 4 * MILLISECOND, id="1.0040s"),
    pytest.param("100.00100s", 100 * SECOND + 1 * MILLISECOND, id="100.00100s"),
    # different units
    pytest.param("10ns", 10 * NANOSECOND, id="10ns"),
    pytest.param("11us", 11 * MICROSECOND, id="11us"),
    pytest.param("12\u00b5s", 12 * MICROSECOND, id="12µs-U+00B5"),
    pytest.param("12\u03bcs", 12 * MICROSECOND, id="12μs-U+03BC"),
    pytest.param("13ms", 13 * MILLISECOND, id="13ms"),
    pytest.param("14s", 14 * SECOND, id="14s"),
    pytest.param("15m", 15 * MINUTE, id="15m"),
    pytest.param("16h", 16 * HOUR, id="16h"),
    # composite durations
    pytest.param("3h30m", 3 * HOUR + 30 * MINUTE, id="3h30m"),
    pytest.param("10.5s4m", 4 * MINUTE + 10 * SECOND + 500 * MILLISECOND, id="10.5s4m"),
    pytest.param("-2m3.4s", -(2 * MINUTE + 3 * SECOND + 400 * MILLISECOND), id="-2m3.4s"),
    pytest.param(
        "1h2m3s4ms5us6ns",
        1 * HOUR + 2 * MINUTE + 3 * SECOND + 4 * MILLISECOND + 5 * MICROSECOND + 6 * NANOSECOND,
        id="1h2m3s4ms5us6ns",
    ),
    pytest.param("39h9m14.425s", 39 * HOUR + 9 * MINUTE + 14 * SECOND + 425 * MILLISECOND, id="39h9m14.425s"),
    # large value
    pytest.param("52763797000ns", 52763797000 * NANOSECOND, id="52763797000ns"),
    # more than 9 digits after decimal point, see https://golang.org/issue/6617
    pytest.param("0.3333333333333333333h", 20 * MINUTE, id="0.3333333333333333333h"),
    # 9007199254740993 = 1<<53+1 cannot be stored precisely in a float64
    pytest.param("9007199254740993ns", ((1 << 53) + 1) * NANOSECOND, id="9007199254740993ns"),
    # largest duration that can be represented by int64 in nanoseconds
    pytest.param("9223372036854775807ns", MAX_INT64, id="9223372036854775807ns"),
    pytest.param("9223372036854775.807us", MAX_INT64, id="9223372036854775.807us"),
    pytest.param("9223372036s854ms775us807ns", MAX_INT64, id="9223372036s854ms775us807ns"),
    pytest.param("-9223372036854775808ns", MIN_INT64, id="-9223372036854775808ns"),
    pytest.param("-9223372036854775.808us", MIN_INT64, id="-9223372036854775.808us"),
    pytest.param("-9223372036s854ms775us808ns", MIN_INT64, id="-9223372036s854ms775us808ns"),
    # largest negative value (listed twice upstream)
    pytest.param("-9223372036854775808ns", MIN_INT64, id="-9223372036854775808ns-largest-negative"),
    # largest negative round trip value, see https://golang.org/issue/48629
    pytest.param("-2562047h47m16.854775808s", MIN_INT64, id="-2562047h47m16.854775808s"),
    # huge string; issue 15011.
    pytest.param("0.100000000000000000000h", 6 * MINUTE, id="0.100000000000000000000h"),
    # This value tests the first overflow check in leadingFraction.
    pytest.param(
        "0.830103483285477580700h",
        49 * MINUTE + 48 * SECOND + 372539827 * NANOSECOND,
        id="0.830103483285477580700h",
    ),
]

# parseDurationErrorTests: {in, expect}; Go checks the error quotes the input, here it must raise.
PARSE_DURATION_ERROR_TESTS = [
    # invalid
    pytest.param("", id="empty"),
    pytest.param("3", id="3"),
    pytest.param("-", id="-"),
    pytest.param("s", id="s"),
    pytest.param(".", id="."),
    pytest.param("-.", id="-."),
    pytest.param(".s", id=".s"),
    pytest.param("+.s", id="+.s"),
    pytest.param("1d", id="1d"),
    pytest.param("\udc85\udc85", id="x85x85"),
    pytest.param("\udcffff", id="xffff"),
    pytest.param("hello \udcffff world", id="hello-xffff-world"),
    pytest.param("\ufffd", id="RuneError"),
    pytest.param("\ufffd hello \ufffd world", id="RuneError-hello-RuneError-world"),
    # overflow
    pytest.param("9223372036854775810ns", id="9223372036854775810ns"),
    pytest.param("9223372036854775808ns", id="9223372036854775808ns"),
    pytest.param("-9223372036854775809ns", id="-9223372036854775809ns"),
    pytest.param("9223372036854776us", id="9223372036854776us"),
    pytest.param("3000000h", id="3000000h"),
    pytest.param("9223372036854775.808us", id="9223372036854775.808us"),
    pytest.param("9223372036854ms775us808ns", id="9223372036854ms775us808ns"),
]


@pytest.mark.parametrize(("text", "want"), PARSE_DURATION_TESTS)
def test_parse_duration(text: str, want: int) -> None:
    got = parse_go_duration(text)
    assert got == want
    assert type(got) is int


@pytest.mark.parametrize("text", PARSE_DURATION_ERROR_TESTS)
def test_parse_duration_errors(text: str) -> None:
    with pytest.raises(TimeSpecError):
        parse_go_duration(text)
