"""dkr stop: stop containers in parallel; echo each argument once it is stopped."""

from __future__ import annotations

import typer

from dkr.commands.common import stop_time_option
from dkr.errors import ExitCode
from dkr.grammars.signals import parse_signal
from dkr.options.common import check_container_refs
from dkr.options.numbers import GO_DURATION_MAX_SECONDS, INT64_MIN, parse_int

#: the longest -t dkr can honour: the Engine counts up to Go's longest Duration (a longer one wraps around to
#: an immediate kill), and dkr's HTTP deadline for the stop is 30 s longer still
#: (dkr.engine.containers.STOP_DEADLINE_MARGIN), on a clock (Python's) that ends at the same 2**63 ns.
#: A negative -t is docker's int too: the Engine then waits for the container as long as it takes.
MAX_STOP_TIMEOUT = GO_DURATION_MAX_SECONDS - 30


def stop(
    ctx: typer.Context,
    containers: list[str] = typer.Argument(
        ..., metavar="CONTAINER...", help="Names, ids or unique id prefixes."
    ),
    time: str | None = stop_time_option(),
    signal: str | None = typer.Option(
        None, "-s", "--signal", help="Signal to send (default: the container's, else SIGTERM)."
    ),
) -> int:
    """Stop one or more running containers, all at once."""
    from dkr.cli import state

    check_container_refs(containers, "stop")
    timeout = None
    if time is not None:
        timeout = parse_int(time, "-t/--time", "stop", minimum=INT64_MIN, maximum=MAX_STOP_TIMEOUT)
    sig = parse_signal(signal, "stop") if signal is not None else None

    st = state(ctx)
    failed = 0
    if st.several:  # each container stopped on the Engine that has it
        from dkr.commands.fanout import located
        from dkr.engine.containers import stop_across

        where, failed = located(st, containers)
        results = stop_across(containers, where, timeout, sig)
    else:
        engine = st.engine  # resolved first: a bad -H is a usage error that never imports the SDK
        from dkr.engine.containers import stop_many

        results = stop_many(engine, containers, timeout, sig)
    from dkr import render
    from dkr.render.errors import message
    from dkr.render.stop import interrupted, kill_hint, killed_after_timeout

    killed = []
    reported = 0
    try:
        for res in results:
            reported += 1
            if res.error:
                failed += 1
                render.error(f"cannot stop '{res.arg}': {message(res.error)}")
                continue
            render.result(res.arg)
            if res.killed_after_timeout:
                killed.append(res)
    except KeyboardInterrupt:
        interrupted(containers[reported:], "stopping")  # dkr returns now; the Engine finishes the stops
        raise
    for res in killed:
        killed_after_timeout(f"'{res.arg}'", res.timeout)
    if killed:
        kill_hint()
    return ExitCode.FAILURE if failed else ExitCode.OK


def register(app: typer.Typer) -> None:
    app.command("stop")(stop)
