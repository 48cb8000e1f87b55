"""dkr exec's bad input: one line, exit 2, no Engine call; and -it without a terminal is docker's error."""

from __future__ import annotations

import pytest

from dkr.errors import ExitCode
from tests.helpers import assert_one_line_error, run_dkr
from tests.unit.fake_engine import FakeEngine


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["exec", "web"], "missing argument 'COMMAND [ARG...]'"),
        (["exec", "we/b", "true"], "invalid container name 'we/b'"),
        (["exec", "-w", "rel", "web", "true"], "invalid working directory 'rel'"),
        (["exec", "-e", "=x", "web", "true"], "invalid -e/--env (the 1st)"),
        (["exec", "-u", "", "web", "true"], "invalid -u/--user ''"),
        (["exec", "--detach-keys", "ctrl-", "web", "true"], "invalid --detach-keys 'ctrl-'"),
        (["exec", "--env-file", "/nonexistent/dkr-env", "web", "true"], "cannot read env file"),
    ],
)
def test_bad_input_never_reaches_the_engine(fake: FakeEngine, argv: list[str], line: str) -> None:
    res = run_dkr(*argv)
    assert_one_line_error(res, ExitCode.USAGE, line, "dkr exec --help")
    assert not [r for r in fake.requests if "/_ping" not in r and "/version" not in r]


def test_it_without_a_terminal_is_refused_before_the_engine(fake: FakeEngine) -> None:
    res = run_dkr("exec", "-it", "web", "sh")
    assert_one_line_error(res, ExitCode.FAILURE, "the input device is not a TTY")
    assert not [r for r in fake.requests if "/exec" in r]
