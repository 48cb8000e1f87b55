"""tag, rmi, image prune, container prune: bad input is one line and exit 2, and a prune without a terminal
and without -f refuses (exit 1) before it asks the Engine anything."""

from __future__ import annotations

import pytest

from dkr.errors import ExitCode
from tests.helpers import run_dkr
from tests.unit.fake_engine import FakeEngine


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        pytest.param(["tag", "/", "x"], "invalid image '/': invalid reference format", id="tag-source"),
        pytest.param(["tag", "busybox", "Bad:Tag:x"], "invalid tag 'Bad:Tag:x'", id="tag-target"),
        pytest.param(["rmi", "."], "invalid image '.': invalid reference format", id="rmi"),
        pytest.param(["image", "rm", "/"], "invalid image '/': invalid reference format", id="image-rm"),
        pytest.param(["image", "prune", "--filter", "bogus=1"], "invalid filter 'bogus'", id="image-prune-filter"),
        pytest.param(["container", "prune", "--filter", "x"], "bad format of filter 'x'", id="container-prune-filter"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(fake: FakeEngine, argv: list[str], line: str) -> None:
    res = run_dkr(*argv)
    assert res.code == ExitCode.USAGE and res.out == ""
    assert res.err_lines[0].startswith(f"dkr: error: {line}")
    assert len(res.err_lines) == 2 and res.err_lines[1].startswith("Run 'dkr ")
    assert not [r for r in fake.requests if "/_ping" not in r]


@pytest.mark.parametrize("argv", [["image", "prune"], ["image", "prune", "-a"], ["container", "prune"]])
def test_prune_without_a_terminal_refuses(fake: FakeEngine, argv: list[str]) -> None:
    res = run_dkr(*argv)
    assert res.code == ExitCode.FAILURE and res.out == ""
    assert res.err_lines[0].endswith("refusing without a terminal to ask on")
    assert not any("prune" in r for r in fake.requests)
