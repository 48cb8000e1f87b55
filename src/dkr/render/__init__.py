"""The renderer: the only place that imports rich. Results go to stdout, everything else to stderr.

rich is imported inside the functions that draw on a terminal, so `--help`, usage errors and piped output
never pay for it.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from dkr.grammars.gotemplate import tabwrite

if TYPE_CHECKING:
    from rich.console import Console

    from dkr.render.tables import Fit


@dataclass
class Streams:
    """Where output goes and what it may look like. Tests inject one to pretend to be a terminal."""

    out: TextIO
    err: TextIO
    out_tty: bool
    err_tty: bool
    color: bool
    #: terminal width for rich; None lets rich ask the terminal
    width: int | None = None

    @classmethod
    def from_env(cls) -> Streams:
        out_tty = _isatty(sys.stdout)
        err_tty = _isatty(sys.stderr)
        color = "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
        # Python leaves sys.stdout None when the process starts with it closed (`dkr ps >&-`)
        out = sys.stdout if sys.stdout is not None else _Closed("stdout")
        err = sys.stderr if sys.stderr is not None else _Closed("stderr")
        # argv that is not UTF-8 reaches Python as surrogate escapes; a result that echoes it writes those
        # bytes back as they came, as docker does, rather than fail on a strict stdout
        with contextlib.suppress(AttributeError, ValueError):
            out.reconfigure(errors="surrogateescape")  # type: ignore[union-attr]
        return cls(out, err, out_tty, err_tty, color)

    def console(self, stderr: bool = False) -> Console:
        from rich.console import Console

        tty = self.err_tty if stderr else self.out_tty
        return Console(
            file=self.err if stderr else self.out,
            force_terminal=tty,
            no_color=not (tty and self.color),
            highlight=False,
            soft_wrap=False,
            width=self.width,
        )


class _Closed(io.StringIO):
    """A stream the process started without: writing to it fails as writing to a closed descriptor does."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.stream_name = name

    def write(self, s: str) -> int:
        raise OSError(errno.EBADF, f"{self.stream_name} is closed")


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


_streams: Streams | None = None


def streams() -> Streams:
    global _streams
    if _streams is None:
        _streams = Streams.from_env()
    return _streams


def use_streams(s: Streams | None) -> None:
    global _streams
    _streams = s


# --- results (stdout) -------------------------------------------------------------------------------------


def result(line: str) -> None:
    s = streams()
    s.out.write(line + "\n")
    s.out.flush()


def results(lines: Iterable[str]) -> None:
    s = streams()
    for line in lines:
        s.out.write(line + "\n")
    s.out.flush()


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    fits: Sequence[Fit] | None = None,
    styles: Sequence[str | None] | None = None,
) -> None:
    """A human table on stdout: docker's tabwriter layout when piped; on a terminal, fitted to its width
    (render.tables: `fits` rank the columns, a token is never split) with the header in bold and each row
    in its style from `styles`."""
    s = streams()
    if not s.out_tty:
        s.out.write(tabwrite([list(headers), *[list(r) for r in rows]]))
        s.out.flush()
        return
    from rich.text import Text

    from dkr.render.tables import default_fits, lay_out

    console = s.console()
    laid = lay_out(headers, rows, fits or default_fits(len(headers)), console.width)
    text = Text()
    text.append(laid.header, style="bold")
    text.append("\n" + "─" * laid.width + "\n")
    for i, lines in enumerate(laid.rows):
        for line in lines:
            text.append(line, style=styles[i] if styles else None)
            text.append("\n")
    # the lines are already as wide as they may be: rich neither folds nor crops them
    console.print(text, soft_wrap=True, end="")


# --- diagnostics (stderr) ---------------------------------------------------------------------------------


def _err(text: str, style: str | None = None) -> None:
    s = streams()
    if style and s.err_tty and s.color:
        codes = {"red": "31", "yellow": "33", "dim": "2", "green": "32", "bold": "1"}
        text = f"\x1b[{codes[style]}m{text}\x1b[0m"
    with contextlib.suppress(OSError):  # stderr closed or full: there is nowhere left to say it
        s.err.write(text + "\n")
        s.err.flush()


def error(message: str, hint: str | None = None) -> None:
    """The one error line (and its hint): whatever the message carries (an Engine's multi-line answer, the
    bytes of a file it could not read), it stays one line of printable text."""
    _err(f"dkr: error: {one_line(message)}", "red")
    if hint:
        _err(one_line(hint))


def one_line(text: str) -> str:
    """`text` with its line breaks (and the blanks around them) folded into one space, and what else is not
    printable escaped."""
    from dkr.errors import printable

    return printable(re.sub(r"\s*[\r\n]+\s*", " ", text.strip()))


def warning(message: str) -> None:
    _err(f"dkr: warning: {message}", "yellow")


def note(message: str) -> None:
    _err(message)


def hint(message: str) -> None:
    _err(f"hint: {message}", "dim")


def confirm(warning: str, what: str, command: str) -> None:
    """Ask before deleting: on a terminal, `warning` and docker's `Are you sure you want to continue? [y/N]`
    (on stderr: stdout carries results only); without one, refuse rather than delete silently. Raises
    DkrError (exit 1) when the answer is not yes."""
    from dkr.errors import DkrError

    s = streams()
    if not (_isatty(sys.stdin) and s.err_tty):
        raise DkrError(
            f"{command} deletes {what}: refusing without a terminal to ask on",
            f"Run 'dkr {command} -f' to delete without asking.",
        )
    _err(f"WARNING! {warning}")
    s.err.write("Are you sure you want to continue? [y/N] ")
    s.err.flush()
    answer = sys.stdin.readline().strip().lower()
    if answer not in ("y", "yes"):
        raise DkrError(f"{command}: nothing was deleted (not confirmed)")


def can_ask() -> bool:
    """Whether a question can be asked: stdin is a terminal."""
    return _isatty(sys.stdin)


def ask(prompt: str, secret: bool = False) -> str:
    """A line typed at the terminal, its prompt on stderr (stdout carries results only); `secret`: not
    echoed (getpass). End of input reads as ""."""
    s = streams()
    if secret:
        import getpass

        return getpass.getpass(prompt, stream=s.err)
    s.err.write(prompt)
    s.err.flush()
    return sys.stdin.readline().rstrip("\r\n")
