"""dkr.errors: typed failures carry data, and a changed exit code is a copy, never a change."""

from __future__ import annotations

from dkr.errors import DkrError, ExitCode, NotReady, PortInUse, UsageError


def test_with_exit_code_is_a_copy() -> None:
    cause = OSError("boom")
    original = PortInUse("127.0.0.1:8080", by_container=True, engine_message="Bind for ... failed")
    original.__cause__ = cause
    copy = original.with_exit_code(ExitCode.FAILURE)
    assert original.exit_code == ExitCode.RUN_FAILED  # untouched: it may be raised again as it was
    assert (type(copy), copy.exit_code, copy.address, copy.by_container) == (
        PortInUse, ExitCode.FAILURE, "127.0.0.1:8080", True,
    )  # fmt: skip
    assert copy.__cause__ is cause
    assert (
        str(copy)
        == str(original)
        == ("cannot start container: host port 127.0.0.1:8080 is already in use (by another container)")
    )


def test_own_errors_carry_their_sentence() -> None:
    err = UsageError("invalid port spec '80:' (no container port)", "run")
    assert (str(err), err.hint, err.exit_code) == (
        "invalid port spec '80:' (no container port)", "Run 'dkr run --help' for usage.", ExitCode.USAGE,
    )  # fmt: skip
    assert str(DkrError("plain")) == "plain"


def test_not_ready_after_removal_keeps_everything_but_removed() -> None:
    err = NotReady("web", "timeout", logs=("a",), timeout=2, pending=("127.0.0.1:8080",))
    removed = err.after_removal()
    assert (removed.removed, err.removed) == (True, False)
    assert (removed.container, removed.why, removed.logs, removed.timeout, removed.pending) == (
        "web", "timeout", ("a",), 2, ("127.0.0.1:8080",),
    )  # fmt: skip
