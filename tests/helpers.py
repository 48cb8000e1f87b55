"""Test helpers shared by the unit and integration suites."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from dkr.cli import main
from dkr.render import Streams


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def run_dkr(*args: str, tty: bool = False, color: bool = False) -> Result:
    """Run dkr in-process through its real entry point `main(argv)`, capturing both streams."""
    out, err = io.StringIO(), io.StringIO()
    # click writes --help straight to sys.stdout: capture that too
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args), Streams(out, err, out_tty=tty, err_tty=tty, color=color, width=200))
    return Result(code, out.getvalue(), err.getvalue())


def assert_one_line_error(res: Result, code: int, *needles: str) -> None:
    """A failure is `dkr: error: ...` (plus at most one hint line), nothing on stdout, no traceback."""
    assert res.code == code, (res.code, res.err)
    assert res.out == "", res.out
    lines = res.err_lines
    assert 1 <= len(lines) <= 2, res.err
    assert lines[0].startswith("dkr: error: "), res.err
    assert "Traceback" not in res.err
    for needle in needles:
        assert needle in res.err, (needle, res.err)
