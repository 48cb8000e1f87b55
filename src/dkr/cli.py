"""The Typer app: global options, command registration, and `main(argv) -> int`, the one error handler.

Commands are registered from `dkr.commands`; each module there parses its options, makes one call into the
core (`dkr.engine`), and hands the result to `dkr.render`. Only `main()` turns exceptions into
`dkr: error: ...` and an exit code.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
import threading
import types
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import typer

# typer >= 0.26 vendors click; its exception types live here (pyproject pins that floor).
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer._click.exceptions import UsageError as ClickUsageError

from dkr import __version__, render
from dkr.entry import Terminated, raise_for
from dkr.errors import DkrError, ExitCode

if TYPE_CHECKING:
    from dkr.engine.client import Engine
    from dkr.engine.fanout import Named
    from dkr.hosts import Endpoint


class AppState:
    """Global options, and the Engines created on first use (never for --help or a usage error).

    A command that works on one Engine asks for `engine`; one that can fan out (ps, images, logs, stop, rm,
    version) asks `several` first and then for `engines`, every Engine named with its context name. Asking
    for `engine` when several were named is the usage error that refuses the command."""

    def __init__(
        self,
        host: str | None,
        contexts: Sequence[str],
        debug: bool,
        all_contexts: bool = False,
        command: str | None = None,
    ) -> None:
        self.host = host
        self.contexts = list(contexts)
        self.all_contexts = all_contexts
        self.debug = debug
        self.command = command
        self._engine: Engine | None = None
        self._names: list[str] | None = None
        self._chosen = False

    @property
    def names(self) -> list[str] | None:
        """The context names given (-c, --all-contexts), each once; None when none was."""
        if not self._chosen:
            from dkr.hosts import context_names
            from dkr.options.engines import selected

            store = context_names(os.environ) if self.all_contexts else []
            self._names = selected(self.host, self.contexts, self.all_contexts, store)
            self._chosen = True
        return self._names

    @property
    def several(self) -> bool:
        """More than one Engine was named: the command fans out (its output gains the ENGINE column)."""
        return len(self.names or ()) > 1

    @property
    def context(self) -> str | None:
        """The one context named with -c (None when none was); several: the usage error `endpoint` gives."""
        names = self.names
        if names is not None and len(names) > 1:
            from dkr.options.engines import one_engine_only

            raise one_engine_only(self.command or "", names, self.all_contexts)
        return names[0] if names else None

    @property
    def endpoint(self) -> Endpoint:
        from dkr.hosts import resolve

        names = self.names
        if names is not None and len(names) > 1:
            from dkr.options.engines import one_engine_only

            raise one_engine_only(self.command or "", names, self.all_contexts)
        return resolve(self.host, names[0] if names else None)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            endpoint = self.endpoint  # a bad -H or DOCKER_HOST: a usage error, before the SDK is imported
            from dkr.engine.client import Engine

            self._engine = Engine(endpoint)
        return self._engine

    @property
    def engines(self) -> list[Named]:
        """Every Engine named, each with its context name, in the order given (one client each)."""
        from dkr.hosts import resolve

        names = self.names
        if names is None or len(names) < 2:
            return [_named(names[0] if names else "", self.engine)]
        endpoints = [(name, resolve(None, name)) for name in names]  # all found before any is contacted
        from dkr.engine.client import Engine

        return [_named(name, Engine(endpoint)) for name, endpoint in endpoints]


def _named(name: str, engine: Engine) -> Named:
    from dkr.engine.fanout import Named

    return Named(name, engine)


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppState)
    return obj


def _version_callback(value: bool) -> None:
    if value:
        render.result(f"dkr version {__version__}")
        raise typer.Exit(0)


def _completion_shell(value: str) -> str:
    from dkr.completion import SHELLS, detect_shell

    shell = value or detect_shell(os.environ)
    if shell not in SHELLS:
        said = f"'{value}'" if value else f"$SHELL ({os.environ.get('SHELL') or 'unset'})"
        raise typer.BadParameter(f"{said} is not a shell dkr completes; name one of {', '.join(SHELLS)}")
    return shell


def _show_completion_callback(value: str | None) -> None:
    if value is not None:
        from dkr.completion import SCRIPTS

        render.result(SCRIPTS[_completion_shell(value)].rstrip("\n"))
        raise typer.Exit(0)


def _install_completion_callback(value: str | None) -> None:
    if value is not None:
        from pathlib import Path

        from dkr.completion import install

        shell = _completion_shell(value)
        try:
            changed = install(shell, Path.home(), os.environ)
        except OSError as exc:
            why = f"{(exc.strerror or str(exc)).lower()}: {exc.filename}" if exc.filename else str(exc)
            raise DkrError(f"cannot install the {shell} completion: {why}") from None
        for path in changed:
            render.note(f"wrote {path}")
        render.note(
            f"{shell} completion installed"
            + ("" if changed else " already")
            + "; it takes effect in a new shell"
        )
        raise typer.Exit(0)


def _completion_option(name: str, callback: Callable[[str | None], None], what: str) -> Any:
    # the value is optional: main() gives the option alone $SHELL's ("", as click has no optional values)
    return typer.Option(
        None,
        name,
        metavar="[bash|zsh|fish]",
        callback=callback,
        is_eager=True,
        expose_value=False,
        help=f"{what} (default: $SHELL's) and exit.",
    )


def _global(
    ctx: typer.Context,
    host: str | None = typer.Option(
        None,
        "-H",
        "--host",
        metavar="URL",
        help="Engine to use (unix://, tcp://, ssh://). Default: DOCKER_HOST.",
    ),
    context: list[str] = typer.Option(
        [],
        "-c",
        "--context",
        metavar="NAME[,NAME...]",
        help="docker context to use (overrides DOCKER_HOST); several (repeated or a comma list) for ps, "
        "images, logs, stop, rm and version.",
    ),
    all_contexts: bool = typer.Option(
        False,
        "--all-contexts",
        help="Every docker context and default (for ps, images, logs, stop, rm, version).",
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors (also DKR_DEBUG=1)."),
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Print dkr's version and exit."
    ),
    show_completion: str | None = _completion_option(
        "--show-completion", _show_completion_callback, "Print the completion script for the shell"
    ),
    install_completion: str | None = _completion_option(
        "--install-completion", _install_completion_callback, "Install completion for the shell"
    ),
) -> None:
    ctx.obj = AppState(host, context, debug or _debug_env(), all_contexts, ctx.invoked_subcommand)


def _debug_env() -> bool:
    return os.environ.get("DKR_DEBUG", "") not in ("", "0", "false")


#: Command modules under dkr.commands, one per line, with the one-line summary `dkr --help` lists. Each module
#: has `register(app)`. A call imports only the module of the command it runs; the full list is shown from
#: these summaries, so `dkr --help` imports none of them (a test keeps each summary equal to the first
#: sentence of its command's own help).
COMMANDS: dict[str, str] = {
    "build": "Build an image from a Dockerfile; print its id on stdout and explain the layer cache on "
    "stderr.",
    "container": "Manage containers: prune.",
    "context": "Manage contexts: create, ls, use, show, inspect, rm.",
    "cp": "Copy files/folders between a container and the local filesystem.",
    "exec": "Run a command in a running container; its exit code is dkr's.",
    "image": "Manage images: rm, prune.",
    "images": "List images.",
    "inspect": "Return low-level information on containers and images.",
    "kill": "Kill one or more running containers, all at once.",
    "layers": "Show an image's layers, oldest first: the instruction behind each, its size, the running "
    "total and its share of the image.",
    "lint": "Check Dockerfiles for what breaks the layer cache, and other habits.",
    "login": "Log in to a registry (Docker Hub by default).",
    "logout": "Log out from a registry (Docker Hub by default).",
    "logs": "Show a container's logs.",
    "network": "Manage networks: create, ls, inspect, rm, connect, disconnect, prune.",
    "node": "Manage swarm nodes: ls, inspect, ps.",
    "pause": "Pause all processes within one or more containers.",
    "port": "List port mappings or a specific mapping for the container.",
    "ps": "List containers.",
    "pull": "Download an image from a registry; print its reference on stdout.",
    "push": "Upload an image to a registry; print the pushed digest on stdout.",
    "rename": "Rename a container.",
    "restart": "Restart one or more containers, all at once.",
    "rm": "Remove one or more containers, all at once.",
    "rmi": "Remove one or more images, all at once.",
    "run": "Run a command in a new container.",
    "service": "Manage Swarm services: create, ls, ps, inspect, logs, scale, update, rollback, rm.",
    "start": "Start one or more stopped containers.",
    "stats": "Display a snapshot of containers' resource usage statistics.",
    "stop": "Stop one or more running containers, all at once.",
    "swarm": "Manage the swarm: init, join, join-token, leave.",
    "system": "Manage the Engine as a whole: df, prune.",
    "tag": "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE.",
    "top": "Display the running processes of a container.",
    "unpause": "Unpause all processes within one or more containers.",
    "up": "Build PATH and (re)start its container (with --replicas N: roll it out to a Swarm service): "
    "stdout is the new container's (or the service's) id, the rest goes to stderr.",
    "version": "Show the dkr version and the Engine's version and API version.",
    "volume": "Manage volumes: create, ls, inspect, rm, prune.",
    "wait": "Block until one or more containers stop, then print their exit codes.",
}


#: Global options that take a value (needed to find the command name in argv).
_VALUE_OPTIONS = ("-H", "--host", "-c", "--context")


def command_name(args: Sequence[str]) -> str | None:
    """The subcommand argv asks for, if it is one of ours (found without parsing the whole line)."""
    it = iter(args)
    for arg in it:
        if arg in _VALUE_OPTIONS:
            next(it, None)
        elif arg == "--" or not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def build_app(only: str | None = None) -> typer.Typer:
    """The Typer app with the real command `only`, or with every command as a stand-in that only carries its
    summary (enough for `dkr --help` and for click's "no such command"): building each command's parser,
    and importing its module, costs start-up time, and a call runs one command."""
    import importlib

    app = typer.Typer(
        name="dkr",
        help="A container CLI over Docker Engine: explains the layer cache, publishes ports on loopback by "
        "default, waits for services, and gives scripts clean stdout, JSON and exact exit codes.",
        add_completion=False,
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_global)
    if only:
        importlib.import_module(f"dkr.commands.{only}").register(app)
        return app
    for name, summary in COMMANDS.items():
        app.command(name, help=summary, add_help_option=False)(_stand_in)
    return app


def _stand_in() -> None:  # pragma: no cover - never invoked: a named command builds the real one
    raise AssertionError("a stand-in command ran")


def _usage_hint(exc: ClickUsageError) -> str:
    path = exc.ctx.command_path if exc.ctx is not None else "dkr"
    return f"Run '{path} --help' for usage."


#: docker's names for an option's value in help (`--name string`, `-t, --time int`, `-e, --env list`)
_VALUE_NAMES = {"str": "string", "text": "string", "integer": "int", "int": "int", "float": "decimal"}


def docker_help(command: Any) -> None:
    """Help that reads like docker's: usage lines `dkr run [OPTIONS] IMAGE [COMMAND] [ARG...]` and `dkr stop
    [OPTIONS] CONTAINER [CONTAINER...]` (click writes `{IMAGE}` and `CONTAINER...`), and every option that
    takes a value named as docker names it (`string`, `int`, `list` for a repeatable one) unless it names
    its own."""
    for sub in (getattr(command, "commands", None) or {}).values():
        docker_help(sub)
    for param in command.params:
        if param.param_type_name == "option" and not param.is_flag and param.metavar is None:
            param.metavar = "list" if param.multiple else _VALUE_NAMES.get(param.type.name, "string")
    if any(p.param_type_name == "argument" for p in command.params):
        command.collect_usage_pieces = types.MethodType(_usage_pieces, command)


def _usage_pieces(self: Any, ctx: Any) -> list[str]:
    pieces = [self.options_metavar] if self.options_metavar else []
    for param in self.params:
        if param.param_type_name != "argument":
            continue
        name = param.metavar or param.name.upper()
        if name.startswith("[") or " " in name:  # written out already: "[COMMAND] [ARG...]"
            pieces.append(name)
        elif param.nargs == -1:
            one = name.removesuffix("...")
            pieces.append(f"{one} [{one}...]" if param.required else f"[{one}...]")
        else:
            pieces.append(name if param.required else f"[{name}]")
    return pieces


def main(argv: Sequence[str] | None = None, streams: render.Streams | None = None) -> int:
    """Run dkr with argv (default: sys.argv[1:]) and return the exit code; never raises."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[-1] in ("--show-completion", "--install-completion"):
        args.append("")  # no shell named: $SHELL's (_completion_shell)
    if threading.current_thread() is threading.main_thread():
        previous_term = signal.signal(signal.SIGTERM, raise_for)
    render.use_streams(streams)
    debug = _debug_env() or "--debug" in args
    try:
        command = typer.main.get_command(build_app(command_name(args)))
        docker_help(command)
        # make_context + invoke rather than command.main(): typer's main() turns Ctrl-C and a broken pipe into
        # its own exits (a silent 130, exit 1) before this handler could give the contract's codes.
        with command.make_context("dkr", args) as ctx:
            rv = command.invoke(ctx)
        return int(rv) if isinstance(rv, int) else ExitCode.OK
    except NoArgsIsHelpError as exc:
        if exc.ctx is not None:
            render.result(exc.ctx.get_help())
        return ExitCode.OK
    except ClickUsageError as exc:
        message = exc.format_message()
        render.error(message[0].lower() + message[1:] if message else "usage error", _usage_hint(exc))
        return ExitCode.USAGE
    except typer.Exit as exc:
        return int(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt) as exc:
        # Ctrl-C: quiet, as docker is; commands that need cleanup (run, build) handle it themselves first.
        if debug:
            import traceback

            traceback.print_exc()
        return ExitCode.TERMINATED if isinstance(exc, Terminated) else ExitCode.INTERRUPTED
    except DkrError as exc:
        if debug:
            import traceback

            traceback.print_exc()
        if exc.message:  # dkr's own errors say it themselves (usage errors stay fast)
            render.error(exc.message, exc.hint)
        else:
            from dkr.render.errors import describe

            render.error(*describe(exc))
        return int(exc.exit_code)
    except BrokenPipeError:
        # Like a Go program killed by SIGPIPE (`dkr ps | head -1`): stop quietly.
        _discard_stdout()
        return 141
    except OSError as exc:
        if exc.errno not in _OUTPUT_ERRNOS:
            return _internal_error(exc, debug)
        # stdout closed (`>&-`) or its disk full: the results are lost, so say so and fail. (Engine and file
        # errors are DkrErrors by now: an OSError with these numbers comes from writing the output.)
        _discard_stdout()
        render.error(f"cannot write the output: {(exc.strerror or str(exc)).lower()}")
        return ExitCode.FAILURE
    except ClickException as exc:
        render.error(exc.format_message())
        return ExitCode.FAILURE
    except Exception as exc:
        return _internal_error(exc, debug)
    finally:
        render.use_streams(None)
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, previous_term)


#: What a failed write to stdout raises: closed descriptor, full disk or quota, I/O error.
_OUTPUT_ERRNOS = (errno.EBADF, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO)


def _discard_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again (Python docs' recipe)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _internal_error(exc: Exception, debug: bool) -> int:
    if debug:
        raise exc
    render.error(
        f"internal error: {type(exc).__name__}: {exc}",
        "This is a bug in dkr; re-run with --debug for a traceback and report it.",
    )
    return ExitCode.FAILURE


def complete(env: Mapping[str, str]) -> str:
    """The answer to a shell's completion request (dkr.completion): builds only the command the line names,
    asks the Engine (dkr.engine.completion) only for the names the word needs. Never raises."""
    from dkr import completion, hosts

    def names(kind: str, host: str | None, context: str | None) -> Sequence[str]:
        if kind == "contexts":
            return hosts.context_names(env)
        try:
            endpoint = hosts.resolve(host, context, env)
        except DkrError:
            return []
        from dkr.engine.completion import names as engine_names

        return engine_names(endpoint, kind)

    try:
        words, incomplete = completion.split_line(env.get("COMP_LINE", ""))
        root = typer.main.get_command(build_app(command_name(words)))
        answer = completion.complete(words, incomplete, root, list(COMMANDS), names)
        if env.get(completion.ENV_VAR) == "bash":
            answer = completion.for_bash(answer, incomplete)
    except Exception:  # a TAB shows nothing rather than a traceback
        answer = completion.NOTHING
    return answer.lines()


def run() -> None:
    """Console-script entry point (and the shell's completion requests: dkr.completion)."""
    if "_DKR_COMPLETE" in os.environ:  # completion.ENV_VAR, spelled out: no import on every call's path
        try:
            with contextlib.suppress(OSError):
                sys.stdout.write(complete(os.environ))
        except KeyboardInterrupt:  # Ctrl-C at a TAB: quiet, as anywhere else
            _exit(ExitCode.INTERRUPTED)
        _exit(0)
    try:
        code = main()
    except KeyboardInterrupt as exc:
        # Ctrl-C or SIGTERM that landed in main() before its handler was in place (or as it returned):
        # quiet, as at any other instant
        code = ExitCode.TERMINATED if isinstance(exc, Terminated) else ExitCode.INTERRUPTED
    _exit(code)


def _exit(code: int) -> None:
    """Exit without the interpreter's teardown once the output is flushed: unloading the SDK's and typer's
    modules costs every call about 20 ms (measured: `import docker, typer` runs 147 ms with teardown, 125 ms
    without), and dkr leaves nothing for it to do. Files are written with `with` blocks and parallel work
    is joined before main() returns, except daemon threads left on purpose (after Ctrl-C, a parallel stop's
    requests, which the Engine finishes on its own); should any other thread still run, the normal exit
    waits for it."""
    for stream in (sys.stdout, sys.stderr):  # None when the stream was closed before dkr started
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    me = threading.current_thread()
    if all(t.daemon for t in threading.enumerate() if t is not me):
        os._exit(code)
    sys.exit(code)
