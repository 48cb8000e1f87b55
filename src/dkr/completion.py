"""Shell completion for bash, zsh and fish: the scripts, their installation, and what a TAB offers.

dkr does not use click's completion machinery (typer's `add_completion`): it would build every command's
parser and import typer's completion modules on every call, `dkr --help` included, and it lives in typer's
private modules. Here the protocol is dkr's own and small. The shell's function runs
`_DKR_COMPLETE=<shell> COMP_LINE=<the line up to the cursor> dkr`; dkr answers with a first line saying what
to offer (`plain`: the lines that follow; `file`: the shell's own file names) and one value per line.
`cli.run()` answers it before anything else (`split_line`, then `complete` with only the command the line
names built).

What a TAB offers: command names, subcommand names, flags (from the command's own parser), the values of a
flag with fixed choices, contexts for `-c/--context` and `context use|rm|inspect`, and from the Engine (one
list request, about a second at most, nothing on failure: a dead Engine never hangs a TAB) running
containers for `stop` and `logs -f`, every container for `rm` and `logs`, image names for `rmi`, `image rm`,
`run`, `tag`, `push` and `layers`.
Pure apart from reading and writing the shell's start-up files: the Engine is asked through the `names`
callable the caller passes (dkr.engine.completion in dkr itself).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The environment variable that makes a dkr call a completion request, and its values.
ENV_VAR = "_DKR_COMPLETE"
SHELLS = ("bash", "zsh", "fish")

#: What the positional arguments of a command name, in order; "..." repeats the one before it. `run`'s
#: arguments after the image are the container's command (files). A command not listed offers nothing.
ARGUMENTS: dict[str, tuple[str, ...]] = {
    "build": ("file",),
    "exec": ("running", "file", "..."),
    "inspect": ("containers", "..."),
    "kill": ("running", "..."),
    "pause": ("running", "..."),
    "port": ("containers",),
    "rename": ("containers",),
    "restart": ("containers", "..."),
    "start": ("containers", "..."),
    "stats": ("running", "..."),
    "top": ("running",),
    "unpause": ("containers", "..."),
    "wait": ("containers", "..."),
    "network rm": ("networks", "..."),
    "network inspect": ("networks", "..."),
    "network connect": ("networks", "containers"),
    "network disconnect": ("networks", "containers"),
    "context use": ("contexts",),
    "context rm": ("contexts", "..."),
    "context inspect": ("contexts", "..."),
    "volume rm": ("volumes", "..."),
    "volume inspect": ("volumes", "..."),
    "image rm": ("images", "..."),
    "layers": ("images",),
    "lint": ("file", "..."),
    "logs": ("containers",),
    "push": ("images",),
    "rm": ("containers", "..."),
    "rmi": ("images", "..."),
    "run": ("images", "file", "..."),
    "stop": ("running", "..."),
    "tag": ("images", "images"),
    "up": ("file",),
}
#: Options whose value is a file or folder, whatever the command (by their long name).
FILE_OPTIONS = frozenset({"--file", "--env-file", "--iidfile"})
#: The kinds `names(kind, host, context)` is asked for (contexts are read from the docker config, not the
#: Engine).
ENGINE_KINDS = frozenset({"running", "containers", "images", "networks", "volumes"})
#: Options whose value the Engine names (by their long name): run's --network
NAMED_OPTIONS = {"--network": "networks"}


@dataclass(frozen=True)
class Answer:
    """What to offer: `values` (kind "plain") or the shell's file names (kind "file")."""

    kind: str
    values: tuple[str, ...] = ()

    def lines(self) -> str:
        return "\n".join((self.kind, *self.values)) + "\n"


NOTHING = Answer("plain")
FILES = Answer("file")

#: names(kind, host, context) -> the names of that kind; [] on any failure
Names = Callable[[str, "str | None", "str | None"], Sequence[str]]


def split_line(line: str) -> tuple[list[str], str]:
    """The words before the cursor and the word being completed (shell quoting undone, an open quote
    tolerated)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=False)
    lexer.whitespace_split = True
    lexer.commenters = ""
    words: list[str] = []
    try:
        words.extend(lexer)
    except ValueError:  # an open quote: the word being typed is what the lexer had gathered
        words.append(lexer.token)
    if not line or (line[-1].isspace() and not (words and line.endswith(("\\ ", "\\\t")))):
        return words[1:], ""
    return words[1:-1], words[-1] if words else ""


def _takes_value(param: Any) -> bool:
    return not getattr(param, "is_flag", False) and not getattr(param, "count", False)


def _options(command: Any) -> dict[str, Any]:
    """Every option name of a click command (and -h/--help) -> its parameter (None for help)."""
    found: dict[str, Any] = {"-h": None, "--help": None}
    for param in getattr(command, "params", []):
        if getattr(param, "param_type_name", "") != "option" or getattr(param, "hidden", False):
            continue
        for name in (*param.opts, *getattr(param, "secondary_opts", ())):
            found[name] = param
    return found


def _option_values(param: Any, incomplete: str, names: Names, host: str | None, ctx: str | None) -> Answer:
    long_names = {o for o in param.opts if o.startswith("--")}
    if "--context" in long_names:
        return Answer("plain", tuple(n for n in names("contexts", host, ctx) if n.startswith(incomplete)))
    if long_names & FILE_OPTIONS:
        return FILES
    for option, kind in NAMED_OPTIONS.items():
        if option in long_names:
            return Answer(
                "plain", tuple(sorted(n for n in set(names(kind, host, ctx)) if n.startswith(incomplete)))
            )
    choices = getattr(getattr(param, "type", None), "choices", None)
    if choices:
        return Answer("plain", tuple(str(c) for c in choices if str(c).startswith(incomplete)))
    return NOTHING


def complete(
    words: Sequence[str], incomplete: str, root: Any, commands: Sequence[str], names: Names
) -> Answer:
    """What to offer for `incomplete` after `words` (argv without the program). `root` is dkr's click group
    with the command the words name built (cli.build_app(only)); `commands` the names of every command."""
    command, path = root, ""
    group_names: list[str] | None = list(commands)  # None once the words name a command, not a group
    host = context = None
    positional: list[str] = []
    follow = False
    pending: Any = None  # the option whose value comes next
    only_args = False
    options = _options(command)
    for word in words:
        if pending is not None:
            if "--host" in pending.opts:
                host = word
            elif "--context" in pending.opts:
                context = word
            pending = None
        elif word == "--" and not only_args:
            only_args = True
        elif word.startswith("-") and len(word) > 1 and not only_args:
            name = word.split("=", 1)[0]
            param = options.get(name)
            if (
                name in ("-f", "--follow")
                and path == "logs"
                and param is not None
                and not _takes_value(param)
            ):
                follow = True
            if param is not None and _takes_value(param) and "=" not in word:
                pending = param
        elif group_names is not None:
            sub = getattr(command, "commands", {}).get(word)
            if sub is None:
                return NOTHING
            command, path = sub, f"{path} {word}".strip()
            subs = getattr(command, "commands", None)
            group_names = sorted(subs) if isinstance(subs, dict) else None
            options = _options(command)
        else:
            positional.append(word)
            if path == "run":
                only_args = True  # the container's command: its flags are not dkr's
    if pending is not None:
        return _option_values(pending, incomplete, names, host, context)
    if incomplete.startswith("--") and "=" in incomplete and not only_args:
        name, _, value = incomplete.partition("=")
        param = options.get(name)
        if param is None or not _takes_value(param):
            return NOTHING
        answer = _option_values(param, value, names, host, context)
        return Answer(answer.kind, tuple(f"{name}={v}" for v in answer.values))
    if incomplete.startswith("-") and not only_args:
        return Answer("plain", tuple(sorted(o for o in options if o.startswith(incomplete))))
    if group_names is not None:
        return Answer("plain", tuple(n for n in group_names if n.startswith(incomplete)))
    kind = _argument_kind(path, len(positional))
    if kind == "running" or (kind == "containers" and path == "logs" and follow):
        kind = "running"
    if kind == "file":
        return FILES
    if kind in ENGINE_KINDS or kind == "contexts":
        found = sorted(set(names(kind, host, context)))
        return Answer("plain", tuple(n for n in found if n.startswith(incomplete)))
    return NOTHING


def _argument_kind(path: str, index: int) -> str | None:
    kinds = ARGUMENTS.get(path, ())
    if index < len(kinds) and kinds[index] != "...":
        return kinds[index]
    return kinds[-2] if kinds[-1:] == ("...",) and index >= len(kinds) - 2 else None


def for_bash(answer: Answer, incomplete: str) -> Answer:
    """bash splits words at `:` and `=` (COMP_WORDBREAKS) and replaces only what follows the last one:
    offer the values without what comes before it, as bash-completion's __ltrim_colon_completions does."""
    cut = max(incomplete.rfind(":"), incomplete.rfind("="))
    if cut < 0 or answer.kind != "plain":
        return answer
    prefix = incomplete[: cut + 1]
    return Answer("plain", tuple(v[len(prefix) :] for v in answer.values if v.startswith(prefix)))


# --- the scripts ----------------------------------------------------------------------------------------

_BASH = """\
# dkr's bash completion: `source <(dkr --show-completion bash)`, or `dkr --install-completion bash`
_dkr_completion() {
    local IFS=$'\\n'
    local -a response
    response=($(env _DKR_COMPLETE=bash COMP_LINE="${COMP_LINE:0:COMP_POINT}" "$1" 2>/dev/null))
    COMPREPLY=()
    if [[ ${response[0]} == file ]]; then
        compopt -o default 2>/dev/null
    elif [[ ${response[0]} == plain ]]; then
        COMPREPLY=("${response[@]:1}")
    fi
    return 0
}
complete -o nosort -F _dkr_completion dkr 2>/dev/null || complete -F _dkr_completion dkr
"""

_ZSH = """\
#compdef dkr
# dkr's zsh completion: `dkr --install-completion zsh`,
# or (after compinit) `source <(dkr --show-completion zsh)`
_dkr() {
    local -a response
    response=("${(@f)$(env _DKR_COMPLETE=zsh COMP_LINE="${BUFFER[1,CURSOR]}" dkr 2>/dev/null)}")
    if [[ ${response[1]} == file ]]; then
        _files
    elif [[ ${response[1]} == plain ]] && (( ${#response} > 1 )); then
        compadd -Q -- "${(@)response[2,-1]}"
    fi
}
if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
    _dkr "$@"
else
    compdef _dkr dkr
fi
"""

_FISH = """\
# dkr's fish completion: `dkr --show-completion fish | source`, or `dkr --install-completion fish`
function __dkr_complete
    set -l response (env _DKR_COMPLETE=fish COMP_LINE=(commandline -cp) dkr 2>/dev/null)
    if test "$response[1]" = file
        __fish_complete_path (commandline -ct)
    else if test "$response[1]" = plain
        printf '%s\\n' $response[2..-1]
    end
end
complete -c dkr -f -a '(__dkr_complete)'
"""

SCRIPTS = {"bash": _BASH, "zsh": _ZSH, "fish": _FISH}


def detect_shell(env: Mapping[str, str]) -> str | None:
    """The user's shell from $SHELL, if it is one dkr completes."""
    name = Path(env.get("SHELL", "")).name
    return name if name in SHELLS else None


def install(shell: str, home: Path, env: Mapping[str, str]) -> list[Path]:
    """Write the script where the shell loads it and return the files written or changed. bash: the
    bash-completion folder (loaded on demand) and a line in ~/.bashrc that sources it (without
    bash-completion); zsh: ~/.zfunc/_dkr and the fpath/compinit lines in ~/.zshrc; fish: its completions
    folder, which fish loads by itself. Running it again changes nothing."""
    changed: list[Path] = []
    if shell == "bash":
        data = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share")
        target = data / "bash-completion" / "completions" / "dkr"
        rc, lines = home / ".bashrc", [f"[ -f {shlex.quote(str(target))} ] && . {shlex.quote(str(target))}"]
    elif shell == "zsh":
        target = home / ".zfunc" / "_dkr"
        rc, lines = home / ".zshrc", ["fpath+=~/.zfunc", "autoload -Uz compinit && compinit"]
    else:
        config = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
        target, rc, lines = config / "fish" / "completions" / "dkr.fish", None, []
    if not target.exists() or target.read_text() != SCRIPTS[shell]:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(SCRIPTS[shell])
        changed.append(target)
    if rc is not None:
        existing = rc.read_text() if rc.exists() else ""
        missing = [line for line in lines if line not in existing.splitlines()]
        if missing:
            with rc.open("a") as f:
                f.write(
                    ("\n" if existing and not existing.endswith("\n") else "") + "\n".join(missing) + "\n"
                )
            changed.append(rc)
    return changed
