"""What dkr says about stopped containers: the one that ignored its stop signal and had to be killed."""

from __future__ import annotations

from dkr import render


def killed_after_timeout(name: str, timeout: float | None) -> None:
    """A note for a container that did not exit on its stop signal within `timeout` and was killed."""
    within = f" within {timeout:g}s" if timeout is not None else ""
    render.note(
        f"note: {name} did not exit on its stop signal{within} and was killed (its PID 1 ignores the signal)"
    )


def kill_hint() -> None:
    render.hint('run it with --init, or use an exec-form CMD ["prog", ...] so PID 1 handles SIGTERM')
