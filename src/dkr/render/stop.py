"""What dkr says about stopping and removing: a container killed after its timeout, and the work left to the
Engine after Ctrl-C."""

from __future__ import annotations

from dkr import render


def killed_after_timeout(name: str, timeout: float | None) -> None:
    """A note for a container that did not exit on its stop signal within `timeout` and was killed."""
    within = f" within {timeout:g}s" if timeout is not None else ""
    render.note(
        f"note: {name} did not exit on its stop signal{within} and was killed (its PID 1 ignores the signal)"
    )


def interrupted(pending: list[str], doing: str) -> None:
    """Ctrl-C during a stop or rm: dkr does not wait, the Engine goes on with what it was asked."""
    if pending:
        names = ", ".join(f"'{arg}'" for arg in pending)
        render.note(f"the Engine goes on {doing} {names}: dkr ps -a shows when it is done")


def kill_hint() -> None:
    render.hint('run it with --init, or use an exec-form CMD ["prog", ...] so PID 1 handles SIGTERM')
