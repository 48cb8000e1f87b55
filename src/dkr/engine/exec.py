"""dkr exec's core: a command in a running container (POST /containers/{id}/exec, then /exec/{id}/start),
with the same interactive session as run -i/-t (dkr.engine.attach) and the command's own exit code.

The exit code is the Engine's (GET /exec/{id}/json, as the docker CLI reads it): a command that cannot be
found or run is the runtime's 126 on Engine 20.10 (127 for "not found" on newer Engines), with the runtime's
message in the command's output, exactly as `docker exec` shows it.
"""

from __future__ import annotations

import time

from dkr.engine import attach, sdk
from dkr.engine.client import Engine
from dkr.models.run import Console, ExecSpec

#: what exec_command returns when the user detached with the detach keys (the command runs on)
DETACHED = -1
#: how long to wait for the Engine to record the exit code once the command's output has ended
EXIT_CODE_WAIT = 5.0


def exec_command(
    engine: Engine,
    spec: ExecSpec,
    sink: attach.Sink,
    console: Console | None = None,
) -> int:
    """Run `spec` in its container; stream its output to `sink` and return its exit code (with -d: start it
    and return 0). A missing or stopped container is the Engine's refusal (NoSuchContainer, Conflict)."""
    api = engine.api
    with engine.errors(f"exec in {spec.container}"):
        created = api.exec_create(
            spec.container,
            list(spec.command),
            stdin=spec.interactive and not spec.detach,
            stdout=not spec.detach,
            stderr=not spec.detach,
            tty=spec.tty,
            privileged=spec.privileged,
            user=spec.user,
            environment=list(spec.env) or None,
            workdir=spec.workdir,
        )
        exec_id = str(created["Id"])
        if spec.detach:
            api.exec_start(exec_id, detach=True, tty=spec.tty)
            return 0
        session = attach.Session(sdk.hijacked(api.exec_start(exec_id, tty=spec.tty, socket=True)), spec.tty)
    resize = api.exec_resize
    if attach.converse(
        session, console, sink, interactive=spec.interactive, tty=spec.tty,
        resize=lambda rows, cols: resize(exec_id, height=rows, width=cols),
    ):  # fmt: skip
        return DETACHED
    return _exit_code(engine, exec_id)


def _exit_code(engine: Engine, exec_id: str) -> int:
    """The command's exit code once the Engine has recorded it (the output can end a moment before)."""
    deadline = time.monotonic() + EXIT_CODE_WAIT
    while True:
        with engine.errors("read the command's exit code"):
            info = engine.api.exec_inspect(exec_id)
        if not info.get("Running") and info.get("ExitCode") is not None:
            return int(info["ExitCode"])
        if time.monotonic() > deadline:
            return 1 if info.get("ExitCode") is None else int(info["ExitCode"])
        time.sleep(0.02)
