"""Exit codes and the one family of user-facing errors.

Everything that should reach the user as `dkr: error: ...` is a DkrError; `cli.main()` is the only place that
prints one and turns it into an exit code.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dkr.models.build import BuildFailed


class ExitCode(IntEnum):
    OK = 0
    #: the operation failed: engine error, not found, build failed, engine unreachable
    FAILURE = 1
    #: bad flags or arguments, detected before any Engine call
    USAGE = 2
    #: `dkr run`: the container could not be created or started (docker's 125)
    RUN_FAILED = 125
    #: `dkr run`: the command cannot be invoked (docker's 126)
    CANNOT_INVOKE = 126
    #: `dkr run`: the command was not found (docker's 127)
    COMMAND_NOT_FOUND = 127
    #: interrupted by Ctrl-C (128 + SIGINT)
    INTERRUPTED = 130


class DkrError(Exception):
    """A failure the user should read as one line (plus an optional hint line)."""

    exit_code: int = ExitCode.FAILURE

    def __init__(self, message: str, hint: str | None = None, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(DkrError):
    """Bad input: exit 2, raised before any Engine call."""

    exit_code = ExitCode.USAGE

    def __init__(self, message: str, command: str | None = None, hint: str | None = None) -> None:
        if hint is None:
            hint = f"Run 'dkr {command} --help' for usage." if command else "Run 'dkr --help' for usage."
        super().__init__(message, hint)


class EngineUnreachable(DkrError):
    """No Engine answered at the endpoint."""


class EngineError(DkrError):
    """The Engine answered with an error."""


class NotFound(EngineError):
    """No such container / image / ..."""


class Conflict(EngineError):
    """The Engine refused because of the object's state (in use, name taken, ...)."""


class BuildError(DkrError):
    """The build failed inside the Engine (a step, or the Dockerfile): `failure` has the step and its output,
    `hints` the lint hints on the Dockerfile (dkr.build.hints) that dkr build shows before the error."""

    def __init__(self, message: str, failure: BuildFailed | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.failure = failure
        self.hints: tuple[str, ...] = ()
