"""Numeric option values (dkr.options.numbers): the grammar as properties, the reported bad values as a table,
and Go's base-0 integers (what docker's pflag ints read) as a cross-check of what dkr refuses."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dkr.errors import ExitCode, UsageError
from dkr.options.numbers import (
    GO_DURATION_MAX_SECONDS,
    INT64_MAX,
    INT64_MIN,
    go_parse_int,
    parse_int,
    parse_seconds,
)

DECIMAL = re.compile(r"[+-]?(?:0|[1-9][0-9]*)")
SECONDS = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
MAX_WAIT = 1e9


def int_or_error(value: str, minimum: int = INT64_MIN, maximum: int = INT64_MAX) -> int | UsageError:
    try:
        return parse_int(value, "-t/--time", "stop", minimum=minimum, maximum=maximum)
    except UsageError as exc:
        return exc


def seconds_or_error(value: str) -> float | UsageError:
    try:
        return parse_seconds(value, "--wait-timeout", "run", maximum=MAX_WAIT)
    except UsageError as exc:
        return exc


def assert_one_line_usage_error(error: UsageError, flag_words: str, command: str) -> None:
    assert error.exit_code == ExitCode.USAGE
    assert "\n" not in error.message and error.message.startswith(f"invalid value for {flag_words}: ")
    assert error.hint == f"Run 'dkr {command} --help' for usage."


# --- integers -----------------------------------------------------------------------------------------------


@given(st.integers(INT64_MIN, INT64_MAX))
def test_every_int64_written_in_decimal_reads_back(number: int) -> None:
    assert int_or_error(str(number)) == number
    if number >= 0:
        assert int_or_error(f"+{number}") == number


@given(st.integers(), st.integers(-(10**12), 10**12), st.integers(0, 10**12))
def test_the_range_is_inclusive_and_nothing_outside_it_is_read(number: int, low: int, span: int) -> None:
    high = low + span
    got = int_or_error(str(number), low, high)
    if low <= number <= high:
        assert got == number
    else:
        assert isinstance(got, UsageError) and "is out of range" in got.message
        assert (f"at least {low}" in got.message) == (number < low)


@given(st.text())
@example("٣")
@example("\uff11\uff10")
@example("1_000")
@example(" 5")
@example("5\n")
@example("0x10")
@example("010")
@example("")
@example("-")
@example("1" * 5000)
def test_any_text_is_a_decimal_int64_or_a_one_line_usage_error(value: str) -> None:
    got = int_or_error(value)
    if isinstance(got, int):
        assert DECIMAL.fullmatch(value) and got == int(value) and INT64_MIN <= got <= INT64_MAX
    else:
        assert_one_line_usage_error(got, "'-t' / '--time'", "stop")
        assert not DECIMAL.fullmatch(value) or not INT64_MIN <= int(value[:40]) <= INT64_MAX


@given(st.text(st.characters(whitelist_categories=("Nd",)), min_size=1, max_size=20))
def test_only_ascii_digits_are_digits(digits: str) -> None:
    got = int_or_error(digits)
    assert isinstance(got, int) == (digits.isascii() and DECIMAL.fullmatch(digits) is not None)


@given(st.integers(INT64_MIN, INT64_MAX), st.sampled_from(["x", "o", "b", "0", "_"]))
def test_what_docker_reads_otherwise_is_refused_with_what_docker_would_read(number: int, form: str) -> None:
    sign, magnitude = ("-" if number < 0 else ""), abs(number)
    if form == "_":
        text = sign + "_".join(str(magnitude))
        if "_" not in text:
            return
    elif form == "0":
        text = f"{sign}0{magnitude:o}"
    else:
        text = f"{sign}0{form}{format(magnitude, form)}"
    assert go_parse_int(text) == number
    got = int_or_error(text)
    assert isinstance(got, UsageError)
    assert got.message.endswith(f"is not a decimal integer (docker would read {number})")


@pytest.mark.parametrize(
    ("value", "docker_reads"),
    [
        ("0x10", 16), ("0X1f", 31), ("0o17", 15), ("0b101", 5), ("010", 8), ("0_7", 7), ("1_000", 1000),
        ("0x_1", 1), ("-0x10", -16), ("+010", 8), ("00", 0),
        ("09", None), ("1__0", None), ("_1", None), ("1_", None), ("0x", None), ("0b2", None), ("0x_", None),
        ("0x8000000000000000", None), ("-0x8000000000000000", INT64_MIN), ("٣", None), ("", None),
    ],
)  # fmt: skip
def test_go_base_0_integers(value: str, docker_reads: int | None) -> None:
    """strconv.ParseInt(s, 0, 64), as pflag's int flags call it (Go's own atoi_test.go cases)."""
    assert go_parse_int(value) == docker_reads


#: the values issue 16 reported (or that sit on the edges), and dkr's answer
@pytest.mark.parametrize(
    ("value", "minimum", "maximum", "answer"),
    [
        ("٣", INT64_MIN, INT64_MAX, "'٣' is not an integer"),
        ("\uff11\uff10", INT64_MIN, INT64_MAX, "'\uff11\uff10' is not an integer"),
        ("1_000", INT64_MIN, INT64_MAX, "'1_000' is not a decimal integer (docker would read 1000)"),
        ("99999999999999999999", INT64_MIN, GO_DURATION_MAX_SECONDS - 30,
         "'99999999999999999999' is out of range (at most 9223372006)"),
        ("99999999999999999999", INT64_MIN, INT64_MAX,
         "'99999999999999999999' is out of range (at most 9223372036854775807)"),
        ("-99999999999999999999", INT64_MIN, INT64_MAX,
         "'-99999999999999999999' is out of range (at least -9223372036854775808)"),
        (str(INT64_MAX + 1), INT64_MIN, INT64_MAX, "is out of range (at most 9223372036854775807)"),
        (str(INT64_MIN - 1), INT64_MIN, INT64_MAX, "is out of range (at least -9223372036854775808)"),
        ("nan", INT64_MIN, INT64_MAX, "'nan' is not an integer"),
        ("1e3", INT64_MIN, INT64_MAX, "'1e3' is not an integer"),
        ("2.5", INT64_MIN, INT64_MAX, "'2.5' is not an integer"),
        (" 5", INT64_MIN, INT64_MAX, "' 5' is not an integer"),
        ("5\n", INT64_MIN, INT64_MAX, "'5\\n' is not an integer"),
        ("", INT64_MIN, INT64_MAX, "'' is not an integer"),
        ("1" * 5000, INT64_MIN, INT64_MAX, "'" + "1" * 40 + "…' (5,000 characters) is out of range"),
        (str(INT64_MAX), INT64_MIN, INT64_MAX, INT64_MAX),
        (str(INT64_MIN), INT64_MIN, INT64_MAX, INT64_MIN),
        ("-1", INT64_MIN, GO_DURATION_MAX_SECONDS - 30, -1),
        ("-0", INT64_MIN, INT64_MAX, 0),
        ("+7", INT64_MIN, INT64_MAX, 7),
    ],
)  # fmt: skip
def test_reported_integers(value: str, minimum: int, maximum: int, answer: int | str) -> None:
    got = int_or_error(value, minimum, maximum)
    if isinstance(answer, int):
        assert got == answer
    else:
        assert isinstance(got, UsageError) and answer in got.message, got
        assert got.message.startswith("invalid value for '-t' / '--time': ")


def test_the_longest_stop_timeout_is_gos_longest_duration_less_dkrs_http_margin() -> None:
    from dkr.commands.stop import MAX_STOP_TIMEOUT
    from dkr.engine.containers import STOP_DEADLINE_MARGIN

    assert GO_DURATION_MAX_SECONDS == 9_223_372_036  # (2**63 - 1) ns, in whole seconds
    assert MAX_STOP_TIMEOUT + STOP_DEADLINE_MARGIN == GO_DURATION_MAX_SECONDS


# --- seconds ------------------------------------------------------------------------------------------------


@given(st.floats(min_value=1e-9, max_value=MAX_WAIT))
def test_every_positive_float_written_plainly_reads_back(seconds: float) -> None:
    text = f"{seconds:.12f}".rstrip("0")
    got = seconds_or_error(text)
    assert isinstance(got, float) and math.isclose(got, float(text))


@given(st.text())
@example("nan")
@example("inf")
@example("-inf")
@example("1e3")
@example("0")
@example("-1")
@example("+1")
@example("٣")
@example("9" * 5000)
@example("0." + "0" * 400 + "1")
def test_any_text_is_positive_finite_seconds_or_a_one_line_usage_error(value: str) -> None:
    got = seconds_or_error(value)
    if isinstance(got, float):
        assert SECONDS.fullmatch(value) and math.isfinite(got) and 0 < got <= MAX_WAIT
    else:
        assert_one_line_usage_error(got, "'--wait-timeout'", "run")


@pytest.mark.parametrize(
    ("value", "answer"),
    [
        ("nan", "'nan' is not a number of seconds"),
        ("inf", "'inf' is not a number of seconds"),
        ("-inf", "'-inf' is not a number of seconds"),
        ("1e3", "'1e3' is not a number of seconds"),
        ("٣", "'٣' is not a number of seconds"),
        ("0", "'0' is not above 0"),
        ("0.0", "'0.0' is not above 0"),
        ("-1", "'-1' is not above 0"),
        ("0." + "0" * 400 + "1", "is not above 0"),
        ("1000000000.5", "is out of range (at most 1000000000 seconds)"),
        ("9" * 5000, "(5,000 characters) is out of range (at most 1000000000 seconds)"),
        ("60", 60.0),
        ("2.5", 2.5),
        (".5", 0.5),
        ("1.", 1.0),
        ("1000000000", 1e9),
    ],
)
def test_reported_seconds(value: str, answer: float | str) -> None:
    got = seconds_or_error(value)
    if isinstance(answer, float):
        assert got == answer
    else:
        assert isinstance(got, UsageError) and answer in got.message, got
