"""dkr run: create and start a container from an image, with docker's -p grammar, publishing on loopback."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from dkr.commands.common import repeated
from dkr.errors import UsageError

if TYPE_CHECKING:
    from dkr.models.run import Console


def run(
    ctx: typer.Context,
    image: str = typer.Argument(..., metavar="IMAGE", help="The image to run (pulled if missing)."),
    command: list[str] | None = typer.Argument(
        None,
        metavar="[COMMAND] [ARG...]",
        help="The container's command and its arguments (default: the image's).",
    ),
    publish: list[str] = typer.Option(
        [],
        "-p",
        "--publish",
        metavar="SPEC",
        help="[IP:][HOST[-END]:]PORT[-END][/PROTO]; 127.0.0.1 unless IP.",
    ),
    publish_all: bool = typer.Option(False, "-P", "--publish-all", help="Publish every EXPOSEd port."),
    detach: bool = typer.Option(False, "-d", "--detach", help="Run in the background; print the id."),
    interactive: bool = typer.Option(False, "-i", "--interactive", help="Keep STDIN open and send it in."),
    tty: bool = typer.Option(False, "-t", "--tty", help="Allocate a pseudo-TTY."),
    detach_keys: str | None = typer.Option(
        None, "--detach-keys", metavar="KEYS", help="Keys that detach from -it (default ctrl-p,ctrl-q)."
    ),
    entrypoint: str | None = typer.Option(None, "--entrypoint", help="Overwrite the image's ENTRYPOINT."),
    user: str | None = typer.Option(None, "-u", "--user", metavar="USER[:GROUP]", help="Run as this user."),
    hostname: str | None = typer.Option(None, "-h", "--hostname", help="The container's host name."),
    restart: str | None = typer.Option(
        None, "--restart", metavar="POLICY", help="no, always, unless-stopped, on-failure[:N]."
    ),
    memory: str | None = typer.Option(
        None, "-m", "--memory", metavar="bytes", help="Memory limit (512m, 1g)."
    ),
    cpus: str | None = typer.Option(None, "--cpus", metavar="decimal", help="Number of CPUs."),
    cap_add: list[str] = typer.Option([], "--cap-add", help="Add Linux capabilities."),
    cap_drop: list[str] = typer.Option([], "--cap-drop", help="Drop Linux capabilities."),
    read_only: bool = typer.Option(False, "--read-only", help="Mount the root filesystem read-only."),
    stop_signal: str | None = typer.Option(None, "--stop-signal", help="Signal to stop the container."),
    stop_timeout: str | None = typer.Option(
        None, "--stop-timeout", metavar="int", help="Seconds to wait for it to stop before killing it."
    ),
    health_cmd: str | None = typer.Option(None, "--health-cmd", help="Command to run to check health."),
    health_interval: str | None = typer.Option(
        None, "--health-interval", metavar="duration", help="Time between checks (ms|s|m|h)."
    ),
    health_timeout: str | None = typer.Option(
        None, "--health-timeout", metavar="duration", help="Maximum time a check may run."
    ),
    health_start_period: str | None = typer.Option(
        None, "--health-start-period", metavar="duration", help="Start-up time before failures count."
    ),
    health_retries: str | None = typer.Option(
        None, "--health-retries", metavar="int", help="Consecutive failures to report unhealthy."
    ),
    no_healthcheck: bool = typer.Option(False, "--no-healthcheck", help="Disable any HEALTHCHECK."),
    platform: str | None = typer.Option(
        None, "--platform", metavar="OS[/ARCH[/VARIANT]]", help="Platform of the image to pull and run."
    ),
    name: str | None = typer.Option(None, "--name", help="Name the container."),
    rm: bool = typer.Option(False, "--rm", help="Remove the container when it exits."),
    env: list[str] = typer.Option([], "-e", "--env", metavar="K=V", help="Set an environment variable."),
    env_file: list[str] = typer.Option([], "--env-file", metavar="FILE", help="Read variables from a file."),
    label: list[str] = typer.Option([], "-l", "--label", metavar="K=V", help="Set a label."),
    pull: str = typer.Option("missing", "--pull", metavar="missing|never|always", help="When to pull."),
    init: bool = typer.Option(False, "--init", help="Run an init as PID 1 (signals, zombies)."),
    workdir: str | None = typer.Option(None, "-w", "--workdir", metavar="DIR", help="Working directory."),
    volume: list[str] = repeated(
        "-v",
        "--volume",
        metavar="SRC:DST[:MODE]",
        help="Bind a host path or mount a named volume (DST alone: anonymous).",
    ),
    mount: list[str] = repeated(
        "--mount",
        metavar="type=…,src=…,dst=…",
        help="Attach a bind, volume or tmpfs mount (docker's --mount).",
    ),
    tmpfs: list[str] = repeated("--tmpfs", metavar="PATH[:OPTS]", help="Mount a tmpfs at PATH."),
    network: list[str] = repeated(
        "--network", "--net", metavar="NETWORK", help="Connect to a network (bridge, host, none or a name)."
    ),
    network_alias: list[str] = repeated(
        "--network-alias", metavar="NAME", help="Another name for the container on its user network."
    ),
    add_host: list[str] = repeated(
        "--add-host", metavar="HOST:IP", help="Add a line to /etc/hosts (IP may be host-gateway)."
    ),
    wait: bool = typer.Option(
        False, "--wait", help="With -d: return once published ports answer or healthy."
    ),
    wait_timeout: str | None = typer.Option(
        None, "--wait-timeout", metavar="SECONDS", help="Give up --wait after this long (default 60)."
    ),
) -> int:
    """Run a command in a new container. Options come before IMAGE; the rest is the container's command."""
    from dkr.cli import state
    from dkr.grammars.ports import on_all_interfaces
    from dkr.options.numbers import parse_seconds
    from dkr.options.run import DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS, MoreFlags, run_spec
    from dkr.options.run import detach_keys as parse_keys

    if wait and not detach:
        raise UsageError("--wait needs -d (a foreground run already waits for the container)", "run")
    seconds = None
    if wait_timeout is not None:
        seconds = parse_seconds(wait_timeout, "--wait-timeout", "run", maximum=MAX_WAIT_SECONDS)
        if not wait:
            raise UsageError("--wait-timeout needs --wait (and -d)", "run")
    try:
        files = [(path, Path(path).read_bytes()) for path in env_file]
    except OSError as exc:
        raise UsageError(f"cannot read env file '{exc.filename}': {exc.strerror}", "run") from None
    spec = run_spec(
        image, command or (), environ=os.environ, publish=publish, publish_all=publish_all, name=name,
        rm=rm, env=env, env_files=files, labels=label, pull=pull, init=init, workdir=workdir,
        interactive=interactive, tty=tty, volumes=volume, mounts=mount, tmpfs=tmpfs, cwd=os.getcwd(),
        networks=network, network_aliases=network_alias, add_hosts=add_host,
        more=MoreFlags(
            entrypoint=entrypoint, user=user, hostname=hostname, restart=restart, memory=memory, cpus=cpus,
            cap_add=tuple(cap_add), cap_drop=tuple(cap_drop), read_only=read_only, stop_signal=stop_signal,
            stop_timeout=stop_timeout, health_cmd=health_cmd, health_interval=health_interval,
            health_timeout=health_timeout, health_start_period=health_start_period,
            health_retries=health_retries, no_healthcheck=no_healthcheck, platform=platform,
        ),
    )  # fmt: skip
    keys = parse_keys(detach_keys, "run")
    console = console_for(interactive, tty, detach, keys)

    engine = state(ctx).engine  # resolved before the core is imported: a bad -H stays a fast usage error
    from dkr import render
    from dkr.engine import run as core
    from dkr.errors import NotReady
    from dkr.render import run as show
    from dkr.render.logs import ContainerOutput

    show.all_interfaces(on_all_interfaces(spec.publish))
    if not detach:
        output, progress = ContainerOutput(), show.pull_progress()
        code = core.run_foreground(
            engine, spec, output, notify=render.note, progress=progress, console=console
        )
        if code == core.DETACHED:
            render.note("read escape sequence")  # docker's words: the container runs on
            return 0
        return code
    timeout = (seconds or DEFAULT_WAIT_SECONDS) if wait else None
    published = bool(spec.publish) or spec.publish_all
    try:
        core.run_detached(
            engine,
            spec,
            wait_timeout=timeout,
            notify=render.note,
            progress=show.pull_progress(),
            deliver=lambda result: show.started(result, published),
        )
    except NotReady as exc:
        show.not_ready(exc)
        raise
    return 0


def console_for(interactive: bool, tty: bool, detach: bool, keys: bytes) -> Console | None:
    """The local side of -i/-t; docker's refusal of -it when stdin is not a terminal (exit 1)."""
    from dkr import terminal
    from dkr.errors import DkrError
    from dkr.models.run import Console

    if detach or not (interactive or tty):
        return None
    on_terminal = terminal.is_terminal(0)
    if interactive and tty and not on_terminal:
        raise DkrError("the input device is not a TTY", "Leave out -t to send piped input with -i alone.")
    return Console(fd=0, terminal=on_terminal, detach_keys=keys)


def register(app: typer.Typer) -> None:
    # docker's flags.SetInterspersed(false): options stop at IMAGE, so `dkr run img sh -c 'ls -l'` hands
    # `-c` to the container.
    # -h is the hostname, as in docker run (help is --help alone here)
    settings = {"allow_interspersed_args": False, "help_option_names": ["--help"]}
    app.command("run", context_settings=settings)(run)
