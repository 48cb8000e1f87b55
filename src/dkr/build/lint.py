"""Pure: dkr's Dockerfile rules, centred on the layer cache.

Each instruction is a layer, cached until what it depends on changes; a layer that changes re-runs every
instruction after it. So instructions whose result rarely changes go first (copy the dependency manifests,
install, and only then copy the source), RUN runs while the image is built (starting the app is CMD's job),
and absolute paths are the better habit. hadolint's rules cover pinning and cleanup, not this order.

`lint_text()` is the linter (it raises DockerfileError for text the builder would reject); `cache_findings()`
is the subset `dkr build` prints as hints after its summary (it never raises); `classic_build_uses()` are the
DKR010 findings that stop `dkr build` before the Engine is asked, or that it warns about (it never raises
either).

DKR010 buildkit-only. dkr builds with the Engine's classic builder (the API's /build; BuildKit needs its own
session protocol). Measured on Debian's Engine 20.10.24 (API 1.41) with `DOCKER_BUILDKIT=0 docker build`:

- `RUN --mount=...`: parsed; the steps before it run, then this step fails ("the --mount option requires
  BuildKit"). `COPY --chmod`, `ADD --chmod`: the same ("the --chmod option requires BuildKit").
- `RUN --network`, `RUN --security`, `COPY --link`, `COPY --parents`, `COPY --exclude`, `ADD --link`,
  `ADD --checksum`, `ADD --keep-git-dir`, `ADD --exclude`: the file is rejected before any step
  ("dockerfile parse error line N: Unknown flag: link").
- a heredoc (`RUN <<EOF`, `COPY <<EOF /f`, also in a later stage or an ONBUILD): its body is read as
  instructions ("dockerfile parse error line N+1: unknown instruction: ECHO", N+1 the body's first line).
- `ADD <git URL>` (`https://host/x.git#ref`, `git@host:x`, `git://`, `ssh://`; BuildKit clones these): no
  clone; an http(s) URL is fetched as one file (measured here, without a network, as a failure at the step:
  `ADD failed: Get "https://github.com/moby/buildkit.git#v0.10.1": dial tcp: lookup github.com ...`; with one,
  whatever the server answers becomes the file), anything else is looked for in the context.
- an ONBUILD trigger with a flag above (`ONBUILD RUN --mount=...`, `ONBUILD COPY --link`): stored as text; an
  image built FROM this one with the classic builder fails at it ("Unknown flag: link").
- `# syntax=docker/dockerfile:1`, `# check=...`: a comment; the Engine parses the file itself, not with the
  named frontend, and BuildKit's checks do not run.
- Not reported: a flag in another case (`--MOUNT`: "Unknown flag: MOUNT"; BuildKit's flag parser is
  case-sensitive too, read in buildkit's bflag.go, not measured); `FROM --platform`, `COPY --from`,
  `COPY/ADD --chown` (the classic builder takes them); `RUN echo --mount` (only leading words are flags) and
  `RUN echo "<<EOF"` (a quoted `<<` is no heredoc in either builder); `HEALTHCHECK --start-interval`
  ("Unknown flag" on 20.10, but a Dockerfile feature of newer Engines rather than BuildKit's alone).

Newer Engines word some of these differently; what dkr says does not depend on their words. Everything above
but the directives and the flags of ONBUILD triggers fails (or builds something else) in this build: those
are errors, and `dkr build` stops before sending the context with one line naming the instruction and its
line, instead of the Engine's message (which names a heredoc's body line, or says only "Unknown flag", or
comes after minutes of earlier steps). A directive alone is a warning: the classic builder builds the same
file (what else the file needs of the frontend is reported on its own lines), so the build goes on, with the
warning on stderr. A trigger's flag is a warning too: this build succeeds; the image's children need
BuildKit.
"""

from __future__ import annotations

import itertools
import json
import posixpath
import re
import shlex
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field

from dkr.build.dockerfile import (
    SHELLS,
    Dockerfile,
    DockerfileError,
    Instruction,
    Stage,
    basename,
    parse,
    run_scripts,
    shell_word,
    simple_commands,
)
from dkr.models.lint import Finding, Severity

ERROR: Severity = "error"
WARNING: Severity = "warning"
INFO: Severity = "info"


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    #: about the layer cache: `dkr build` shows these as hints
    cache: bool = False


RULES = (
    Rule(
        "DKR001",
        "cache-order",
        WARNING,
        "dependency install after a broad COPY . (re-runs on every edit)",
        True,
    ),
    Rule("DKR002", "run-server", ERROR, "RUN starts a server (CMD's job), or a service that dies with it"),
    Rule("DKR003", "relative-workdir", WARNING, "WORKDIR with a relative path"),
    Rule("DKR004", "relative-destination", WARNING, "COPY/ADD to a relative destination with no WORKDIR"),
    Rule("DKR005", "no-dockerignore", WARNING, "broad COPY . with no .dockerignore", True),
    Rule("DKR006", "shell-form-cmd", WARNING, "shell-form CMD/ENTRYPOINT (PID 1 is a shell)"),
    Rule("DKR007", "apt-update-alone", WARNING, "apt-get update without the install in the same RUN", True),
    Rule("DKR008", "untagged-base", WARNING, "base image without a tag, or :latest"),
    Rule("DKR009", "expose-documents", INFO, "EXPOSE only documents a port (dkr run -p publishes it)"),
    Rule("DKR010", "buildkit-only", ERROR, "BuildKit-only syntax: the classic builder cannot run this"),
)
_BY_KEY = {key.lower(): rule for rule in RULES for key in (rule.id, rule.name)}


def rule_named(key: str) -> Rule | None:
    """A rule by id (`DKR001`) or name (`cache-order`), case-insensitive."""
    return _BY_KEY.get(key.strip().lower())


def lint_text(
    text: str, *, has_dockerignore: bool | None = True, ignore: Collection[str] = ()
) -> list[Finding]:
    """All findings for a Dockerfile, by line. `has_dockerignore`: whether a .dockerignore sits beside the
    build context (None: unknown, so DKR005 stays quiet). `ignore`: rule ids or names to leave out; the rules
    of `inline_ignores()` are left out on their instruction. Raises DockerfileError (with the line) when the
    builder would reject the text."""
    skip = {r.id for key in ignore if (r := rule_named(key)) is not None}
    dockerfile = parse(text)
    inline = inline_ignores(dockerfile, text)
    findings = _Linter(dockerfile, has_dockerignore).run()
    kept = (f for f in findings if f.rule not in skip and f.rule not in inline.get(f.line, ()))
    return sorted(kept, key=lambda f: (f.line, f.rule))


_INLINE_IGNORE = re.compile(r"#\s*dkr-lint\s+ignore\s*=\s*([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)")
#: where a `#` after the instruction is the shell's comment, so the builder never sees it
_SHELL_READ = frozenset({"RUN", "CMD", "ENTRYPOINT"})


def inline_ignores(dockerfile: Dockerfile, text: str) -> dict[int, set[str]]:
    """The rules `# dkr-lint ignore=RULE[,RULE...]` (ids or names) leaves out, by the line of the instruction
    it is about: a comment line right above the instruction, or a comment on the instruction's own lines
    where the shell reads it as one (RUN, CMD, ENTRYPOINT in shell form; after COPY or EXPOSE it would be
    arguments). Unknown rules in it are passed over."""
    lines = text.removeprefix("\ufeff").split("\n")

    def rules(line: str) -> set[str]:
        m = _INLINE_IGNORE.search(line)
        keys = re.split(r"\s*,\s*", m.group(1)) if m else []
        return {r.id for key in keys if (r := rule_named(key)) is not None}

    out: dict[int, set[str]] = {}
    for ins in dockerfile.instructions:
        found: set[str] = set()
        above = lines[ins.line - 2] if ins.line >= 2 else ""
        if above.lstrip().startswith("#"):
            found |= rules(above)
        target = ins.inner or ins
        if target.keyword in _SHELL_READ and target.exec_form is None:
            for line in lines[ins.line - 1 : ins.end_line]:
                found |= rules(line)
        if found:
            out[ins.line] = found
    return out


def cache_findings(dockerfile_text: str, has_dockerignore: bool | None) -> list[Finding]:
    """The cache-related findings (DKR001 cache-order, DKR005 no-dockerignore, DKR007 apt-update-alone), for
    `dkr build` to print as hints after its summary. Never raises: text that cannot be parsed gives []."""
    try:
        findings = lint_text(dockerfile_text, has_dockerignore=has_dockerignore)
    except DockerfileError:
        return []
    cache_rules = {r.id for r in RULES if r.cache}
    return [f for f in findings if f.rule in cache_rules]


def classic_build_uses(dockerfile_text: str, target: str | None = None) -> list[BuildKitOnly]:
    """DKR010's findings for a classic build of `dockerfile_text` up to stage `target`, by line: those the
    classic builder fails on (`blocks`; one it refuses only when its step runs does not count past that
    stage) and the warnings. Never raises: text that cannot be parsed gives [] (the Engine then says what is
    wrong with it)."""
    try:
        dockerfile = parse(dockerfile_text)
    except DockerfileError:
        return []
    end = _target_end(dockerfile, target)
    return [u for u in buildkit_only(dockerfile) if not u.blocks or u.parse_time or u.line < end]


def classic_blocker(dockerfile_text: str, target: str | None = None) -> BuildKitOnly | None:
    """The first construct of `classic_build_uses()` that the classic builder fails on, if any."""
    return next((u for u in classic_build_uses(dockerfile_text, target) if u.blocks), None)


def _target_end(dockerfile: Dockerfile, target: str | None) -> float:
    """The line where the stage after `target` starts (the classic builder stops before it), else infinity."""
    stages = dockerfile.stages
    for stage, after in itertools.pairwise(stages):
        if target and stage.name and stage.name.lower() == target.lower():
            return after.from_.line
    return float("inf")


#: severities from the least to the most serious
SEVERITIES: tuple[Severity, ...] = (INFO, WARNING, ERROR)


def fails(findings: Sequence[Finding], severity: Severity = WARNING) -> bool:
    """Whether findings make `dkr lint` exit 1: any at `severity` or above (by default an error or a warning;
    notes alone do not)."""
    least = SEVERITIES.index(severity)
    return any(SEVERITIES.index(f.severity) >= least for f in findings)


# --- shell commands ----------------------------------------------------------------------------------------

_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_PYTHON = re.compile(r"^python[0-9.]*$")
_PIP = re.compile(r"^pip[0-9.]*$")
#: words that only prefix the command that follows them
_PREFIXES = frozenset({"exec", "time", "nohup", "nice", "command", "builtin", "!", "then", "do", "else",
                       "elif", "if", "while", "until", "{"})  # fmt: skip
#: prefixes whose own options come first (`sudo -u app`, `env -i A=1`)
_OPTION_PREFIXES = {
    "sudo": ("-u", "-g", "-C", "-h"),
    "doas": ("-u", "-C"),
    "env": ("-u", "-C"),
    "npx": ("-p",),
}
#: `TOOL exec|run CMD...` runs CMD inside a project environment
_RUNNERS = frozenset({"bundle", "poetry", "pipenv", "uv", "pdm", "rye", "hatch"})


def _unwrap(words: Sequence[str]) -> list[str]:
    """The command a simple command runs: env assignments and wrappers dropped, `python -m MOD` as MOD."""
    w = list(words)
    while w:
        head = basename(w[0])
        if _ASSIGNMENT.match(w[0]) or head in _PREFIXES:
            w = w[1:]
        elif head in _OPTION_PREFIXES:
            w = w[1:]
            while w and (w[0].startswith("-") or (head == "env" and _ASSIGNMENT.match(w[0]))):
                takes_value = w.pop(0) in _OPTION_PREFIXES[head]
                if takes_value and w:
                    w.pop(0)
        elif head in ("gosu", "su-exec") or (head in _RUNNERS and w[1:2] in (["exec"], ["run"])):
            w = w[2:]  # `gosu USER CMD`, `bundle exec CMD`
        elif _PYTHON.match(head) and "-m" in w[1:]:
            at = w.index("-m", 1)
            w = w[at + 1 :]
        else:
            break
    return w


def _commands(ins: Instruction) -> Iterator[list[str]]:
    """Every simple command a RUN executes, unwrapped; `sh -c SCRIPT` is looked into."""
    pending = list(run_scripts(ins))
    depth = 0
    while pending and depth < 50:
        depth += 1
        for words in simple_commands(pending.pop(0)):
            cmd = _unwrap(words)
            if not cmd:
                continue
            if basename(cmd[0]) in SHELLS and "-c" in cmd[1:-1]:
                pending.append(cmd[cmd.index("-c", 1) + 1])
                continue
            yield cmd


def _positional(args: Sequence[str]) -> list[str]:
    return [a for a in args if not a.startswith("-")]


def _option_values(args: Sequence[str], short: str, long: str) -> list[str]:
    """Values of `-r FILE`, `-rFILE`, `--requirement FILE`, `--requirement=FILE`."""
    out = []
    for i, a in enumerate(args):
        if a in (short, long) and i + 1 < len(args):
            out.append(args[i + 1])
        elif a.startswith(long + "="):
            out.append(a.split("=", 1)[1])
        elif a.startswith(short) and not a.startswith("--") and len(a) > len(short):
            out.append(a[len(short) :])
    return out


@dataclass(frozen=True)
class Install:
    """A dependency install and the manifests it reads."""

    family: str
    manifests: tuple[str, ...]


_NODE = ("package.json",)


def _install(cmd: Sequence[str]) -> Install | None:
    """Is this command a dependency install driven by manifest files?"""
    tool, args = basename(cmd[0]), list(cmd[1:])
    pos = _positional(args)
    sub = pos[0] if pos else ""
    if tool == "npm" and (sub == "ci" or (sub in ("install", "i", "clean-install") and len(pos) == 1)):
        return Install("node", (*_NODE, "package-lock.json"))
    if tool == "yarn" and (sub in ("", "install")):
        return Install("node", (*_NODE, "yarn.lock"))
    if tool == "pnpm" and (sub == "fetch" or (sub in ("install", "i") and len(pos) == 1)):
        return Install("node", (*_NODE, "pnpm-lock.yaml"))
    if _PIP.match(tool) and sub == "install":
        files = _option_values(args, "-r", "--requirement")
        return Install("python", tuple(files)) if files else None
    if tool == "uv" and sub == "sync":
        return Install("python", ("pyproject.toml", "uv.lock"))
    if tool == "uv" and sub == "pip" and pos[1:2] in (["install"], ["sync"]):
        files = _option_values(args, "-r", "--requirement") or (pos[2:] if pos[1] == "sync" else [])
        return Install("python", tuple(files)) if files else None
    if tool == "poetry" and sub == "install":
        return Install("python", ("pyproject.toml", "poetry.lock"))
    if tool == "pipenv" and sub in ("install", "sync") and len(pos) == 1:
        return Install("python", ("Pipfile", "Pipfile.lock"))
    if tool == "go" and pos[:2] == ["mod", "download"]:
        return Install("go", ("go.mod", "go.sum"))
    if tool in ("bundle", "bundler") and sub in ("", "install"):
        return Install("ruby", ("Gemfile", "Gemfile.lock"))
    if tool == "cargo" and sub in ("fetch", "build"):
        return Install("rust", ("Cargo.toml", "Cargo.lock"))
    if tool == "composer" and sub == "install":
        return Install("php", ("composer.json", "composer.lock"))
    if tool in ("mvn", "mvnw") and any(a.startswith("dependency:") for a in pos):
        return Install("java", ("pom.xml",))
    return None


_SERVER_SCRIPTS = frozenset({"server", "app", "index", "main", "start", "www", "serve", "api"})
_PY_SERVER_SCRIPTS = frozenset({"app", "server", "main", "run", "wsgi", "asgi", "serve", "api"})
_SCRIPT_TARGETS = frozenset({"start", "serve", "dev", "preview"})
#: programs that serve until stopped whatever their arguments (`--version`/`--help` aside)
_SERVERS = frozenset({"uvicorn", "gunicorn", "hypercorn", "daphne", "waitress-serve", "http.server",
                      "SimpleHTTPServer", "http-server", "live-server", "nodemon", "pm2-runtime", "serve",
                      "puma", "unicorn", "rackup", "redis-server", "mongod", "memcached"})  # fmt: skip
_INFO_FLAGS = frozenset({"--version", "-v", "-V", "--help", "-h", "version", "help"})


_Args = list[str]
#: tool -> does `tool ARGS` serve until stopped? Each takes (args, positional args, first positional).
_SERVER_RULES: dict[str, Callable[[_Args, _Args, str], bool]] = {
    "node": lambda a, p, s: not {"-e", "--eval", "-p", "--print", "-c", "--check"} & set(a) and _script(p),
    "npm": lambda a, p, s: (
        s in _SCRIPT_TARGETS or (s in ("run", "run-script") and p[1:2] != [] and p[1] in _SCRIPT_TARGETS)
    ),
    "bun": lambda a, p, s: _SERVER_RULES["npm"](a, p, s) or _SERVER_RULES["node"](a, p, s),
    "flask": lambda a, p, s: s == "run",
    "streamlit": lambda a, p, s: s == "run",
    "django-admin": lambda a, p, s: s == "runserver",
    "rails": lambda a, p, s: s in ("server", "s"),
    "php": lambda a, p, s: "-S" in a or p[:2] == ["artisan", "serve"],
    "java": lambda a, p, s: _java_jar(a),
    "dotnet": lambda a, p, s: (s == "run" and _dotnet_app(a)) or (s.endswith(".dll") and len(p) == 1),
    "go": lambda a, p, s: s == "run" and _go_app(p[1:]),
    "hugo": lambda a, p, s: s in ("server", "serve"),
    "jekyll": lambda a, p, s: s in ("serve", "s"),
    "ng": lambda a, p, s: s == "serve",
    "next": lambda a, p, s: s in ("start", "dev"),
    "vite": lambda a, p, s: s in ("", "dev", "serve", "preview"),
    "nginx": lambda a, p, s: not {"-t", "-T", "-s"} & set(a) and "daemon off;" in " ".join(a),
    "httpd": lambda a, p, s: "FOREGROUND" in a,
    "caddy": lambda a, p, s: s == "run",
    "celery": lambda a, p, s: "worker" in p or "beat" in p,
    "sleep": lambda a, p, s: s in ("infinity", "inf"),
    "tail": lambda a, p, s: "-f" in a or "-F" in a,
    "mvn": lambda a, p, s: "spring-boot:run" in p,
    "gradle": lambda a, p, s: "bootRun" in p,
    "catalina.sh": lambda a, p, s: s == "run",
}
_SERVER_ALIASES = {"nodejs": "node", "yarn": "npm", "pnpm": "npm", "mvnw": "mvn", "gradlew": "gradle",
                   "apachectl": "httpd", "apache2ctl": "httpd", "apache2": "httpd"}  # fmt: skip


#: arguments that make a run a one-shot build step (a generator, a migration, a check), whatever the program
_ONE_SHOT = frozenset({"generate", "codegen", "migrate", "--generate", "--once", "--dry-run", "--check",
                       "--migrate", "--export"})  # fmt: skip

#: tool -> does `tool ARGS` start a daemon and return at once (pointless in a RUN, not a hang)?
_DAEMON_RULES: dict[str, Callable[[_Args, _Args, str], bool]] = {
    "service": lambda a, p, s: p[1:2] in (["start"], ["restart"]),
    "systemctl": lambda a, p, s: s in ("start", "restart"),
    "pm2": lambda a, p, s: s == "start",
    "nginx": lambda a, p, s: not {"-t", "-T", "-s"} & set(a) and "daemon off;" not in " ".join(a),
    "apachectl": lambda a, p, s: s in ("start", "restart", "graceful"),
    "apache2ctl": lambda a, p, s: s in ("start", "restart", "graceful"),
    "mongod": lambda a, p, s: "--fork" in a,
    "redis-server": lambda a, p, s: "--daemonize" in a and "yes" in a,
}


def _starts(cmd: Sequence[str]) -> str | None:
    """What this command starts: "server" (it runs until stopped, so the build waits on it), "daemon" (it
    forks a background service and returns at once), or None (a build step)."""
    tool, args = basename(cmd[0]), list(cmd[1:])
    if _INFO_FLAGS.intersection(args) or _ONE_SHOT.intersection(args):
        return None
    pos = _positional(args)
    first = pos[0] if pos else ""
    if cmd[0].startswith("/etc/init.d/") and first in ("start", "restart"):
        return "daemon"
    daemon = _DAEMON_RULES.get(tool)
    if daemon is not None and daemon(args, pos, first):
        return "daemon"
    if tool in _SERVERS:
        return "server"
    if _PYTHON.match(tool):
        return "server" if _python_script(pos) else None
    rule = _SERVER_RULES.get(_SERVER_ALIASES.get(tool, tool))
    return "server" if rule is not None and rule(args, pos, first) else None


def _stem(path: str) -> str:
    return basename(path.rstrip("/")).split(".", 1)[0].lower()


def _go_app(targets: Sequence[str]) -> bool:
    """`go run .`, `go run main.go`, `go run ./cmd/server` run the app; `go run ./tools/gen.go` or `go run
    example.com/x/cmd/stringer@v1` run a build-time tool."""
    if not targets:
        return False
    target = targets[0]
    return target in (".", "./") or _stem(target) in _SERVER_SCRIPTS


def _dotnet_app(args: Sequence[str]) -> bool:
    """`dotnet run` runs the project in the folder; `dotnet run --project tools/Gen` a tool."""
    projects = _option_values(args, "-p", "--project")
    if not projects:
        return True
    return any(word in _SERVER_SCRIPTS | {"web"} for word in re.split(r"[^a-z]+", _stem(projects[0])))


def _script(pos: Sequence[str]) -> bool:
    scripts = [p for p in pos if re.search(r"\.[cm]?[jt]s$", p)] or list(pos[:1])
    if not scripts:
        return False
    return basename(scripts[0]).split(".", 1)[0] in _SERVER_SCRIPTS


def _python_script(pos: Sequence[str]) -> bool:
    if not pos or not pos[0].endswith(".py"):
        return False
    stem = basename(pos[0])[: -len(".py")]
    if stem == "manage":
        return "runserver" in pos
    return stem in _PY_SERVER_SCRIPTS


def _java_jar(args: Sequence[str]) -> bool:
    """`java -jar app.jar` runs the app; `java -Djarmode=layertools -jar app.jar extract` is a build step."""
    if "-jar" not in args or any(a.startswith("-Djarmode") for a in args):
        return False
    after = args[args.index("-jar") + 1 :]
    return len(_positional(after)) == 1


def _apt_action(cmd: Sequence[str]) -> str:
    if basename(cmd[0]) not in ("apt-get", "apt", "aptitude"):
        return ""
    args = list(cmd[1:])
    while args:
        a = args.pop(0)
        if a in ("-o", "-c", "-t", "--option", "--config-file", "--target-release"):
            args = args[1:]
        elif not a.startswith("-"):
            return a
    return ""


# --- paths and references ----------------------------------------------------------------------------------


def _path(word: str, escape: str, ins: Instruction) -> str:
    """A path argument as the builder reads it: the exec form's as it is, a shell-form word unquoted."""
    return word if ins.exec_form is not None else shell_word(word, escape)


def _shell_quote(path: str) -> str:
    """A path for a fix's text: quoted when the builder would split it or read its quotes."""
    return json.dumps(path, ensure_ascii=False) if re.search(r"[\s\"'\\`]", path) else path


def _is_absolute(path: str) -> bool:
    # `$VAR/...` may well be absolute: unknowable here, so not reported. Windows paths count as absolute.
    return path.startswith(("/", "$", "\\")) or bool(re.match(r"^[A-Za-z]:[\\/]", path))


_BROAD_SOURCES = frozenset({".", "./", "*", "./*", "./."})


def _broad_copy(ins: Instruction) -> bool:
    """`COPY . /app` (or `*`): the whole build context, so any edit to any file invalidates it."""
    if ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None:
        return False
    return any(src in _BROAD_SOURCES for src in ins.words[:-1])


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return "`" + (text if len(text) <= limit else text[: limit - 1] + "…") + "`"


def _where(ins: Instruction, cmd: Sequence[str]) -> str:
    """`RUN npm ci`, or `npm ci` in `RUN cd /app && npm ci` when the RUN does more."""
    command = " ".join(cmd)
    if " ".join(ins.args.split()) == command:
        return _quote(ins.text)
    return f"{_quote(command, 40)} in {_quote(ins.text, 40)}"


def _exec_form(keyword: str, script: str) -> str | None:
    """`CMD ["node", "server.js"]` for a plain command line; None when it needs a shell (variables, `&&`,
    redirections, globs)."""
    if re.search(r"[$&|;<>()*?`~{}\\\n]", script):
        return None
    try:
        words = shlex.split(script)
    except ValueError:
        return None
    return f"{keyword} {json.dumps(words, ensure_ascii=False)}" if words else None


def _publish_spec(port: str) -> str:
    number, _, proto = port.partition("/")
    spec = "HOST_PORT:CONTAINER_PORT" if "$" in number else f"{number}:{number}"
    return f"{spec}/{proto.lower()}" if proto and proto.lower() != "tcp" else spec


# --- BuildKit-only syntax (DKR010) --------------------------------------------------------------------------

_BUILDKIT = "or build with docker buildx"
#: flag -> the instructions BuildKit takes it on, and what to do instead, for the flags the classic builder
#: does not take. Flags are case-sensitive in both builders: `--MOUNT` is no flag of BuildKit's either.
_BUILDKIT_FLAGS: dict[str, tuple[tuple[str, ...], str]] = {
    "mount": (("RUN",), "drop --mount: a cache, secret or ssh mount has no classic equivalent"),
    "network": (("RUN",), "drop --network: a classic RUN uses the build's network"),
    "security": (("RUN",), "drop --security: the classic builder has no insecure mode"),
    "link": (("COPY", "ADD"), "drop --link: the copy is then a layer on the one before"),
    "chmod": (
        ("COPY", "ADD"),
        "drop --chmod: set the mode in the build context, or `RUN chmod` after the copy",
    ),
    "parents": (("COPY",), "drop --parents: copy each folder to its own destination"),
    "exclude": (("COPY", "ADD"), "drop --exclude: leave the files out of the context with .dockerignore"),
    "checksum": (("ADD",), "drop --checksum: download in a RUN and check it with `sha256sum -c`"),
    "keep-git-dir": (("ADD",), "drop --keep-git-dir: clone the repository outside the build and COPY it"),
    "unpack": (("ADD",), "drop --unpack: download in a RUN and unpack it there"),
}
#: flags the classic builder's parser takes and its step then refuses; the others fail the parse
_STEP_TIME_FLAGS = frozenset({"mount", "chmod"})
_GIT_URL = re.compile(r"^(git://|ssh://|git@[^:/]+:|https?://[^#?]+\.git(/?)([#?].*)?$)")


@dataclass(frozen=True)
class BuildKitOnly:
    """One use of BuildKit-only syntax (DKR010). `blocks`: the classic builder fails on it, or builds
    something else, in this build; `parse_time`: it rejects the whole file (whatever --target says)."""

    line: int
    #: the construct, as `dkr build` names it: `RUN --mount`
    construct: str
    message: str
    fix: str
    blocks: bool = True
    parse_time: bool = True

    def refusal(self, dockerfile: str) -> str:
        """`dkr build`'s one line about it: `Dockerfile:3: RUN --mount needs BuildKit; ...`."""
        return (
            f"{dockerfile}:{self.line}: {self.construct} needs BuildKit; the Engine's classic builder cannot "
            f"run it ({self.fix})"
        )


def buildkit_only(dockerfile: Dockerfile) -> list[BuildKitOnly]:
    """Every use of BuildKit-only syntax in `dockerfile`, by line (the table in the module's docstring)."""
    found = [
        BuildKitOnly(
            line,
            f"# {key}=",
            f"`# {key}={value}` is only a comment to the Engine's classic builder: "
            + (
                "it parses the file itself, not with that frontend"
                if key == "syntax"
                else "BuildKit's build checks do not run"
            ),
            f"remove it; {_BUILDKIT} when the file needs that frontend"
            if key == "syntax"
            else f"remove it; {_BUILDKIT} to run the checks",
            blocks=False,
        )
        # directives are the file's first lines, in order (the reader stops looking at any other line)
        for line, (key, value) in enumerate(dockerfile.directives.items(), 1)
        if key in ("syntax", "check")
    ]
    for ins in dockerfile.instructions:
        if ins.inner is not None:
            found += _buildkit_uses(ins.inner, trigger=ins)
        else:
            found += _buildkit_uses(ins)
    return found


def _buildkit_uses(ins: Instruction, trigger: Instruction | None = None) -> list[BuildKitOnly]:
    """What in one instruction (or an ONBUILD's trigger) needs BuildKit."""
    prefix = "ONBUILD " if trigger is not None else ""
    # construct, what the classic builder does, fix, whether it fails the whole file, whether a heredoc
    uses: list[tuple[str, str, str, bool, bool]] = []
    for flag in ins.flag_words:  # as the builder reads them: `--"link"` is --link
        name = flag[2:].partition("=")[0]
        keywords, fix = _BUILDKIT_FLAGS.get(name, ((), ""))
        if ins.keyword not in keywords:
            continue
        at_step = name in _STEP_TIME_FLAGS
        does = (
            "it runs the steps before it, then fails at this one"
            if at_step
            else 'it rejects the whole Dockerfile ("unknown flag")'
        )
        uses.append((f"{prefix}{ins.keyword} --{name}", does, fix, not at_step, False))
    for doc in ins.heredocs:
        fix = (
            "use a RUN with && instead of a heredoc"
            if ins.keyword == "RUN"
            else "put the file in the build context and COPY it"
        )
        does = "it reads the heredoc's lines as instructions and rejects the Dockerfile"
        uses.append((f"{prefix}{ins.keyword} <<{doc.name} (a heredoc)", does, fix, True, True))
    if ins.keyword == "ADD" and ins.exec_form is None:
        for src in ins.words[:-1]:
            if _GIT_URL.match(src):
                does = "it does not clone: it downloads the URL as one file, or looks for a local path"
                fix = "clone the repository outside the build and COPY it, or `RUN git clone` in the image"
                uses.append((f"{prefix}ADD {src} (a git repository)", does, fix, False, False))
    out = []
    for construct, does, fix, parse_time, heredoc in uses:
        if trigger is not None and not heredoc:
            # a trigger is stored as text (only a heredoc's body breaks the file's parse): this build passes,
            # the images built FROM it with the classic builder fail
            out.append(
                BuildKitOnly(
                    trigger.line,
                    construct,
                    f"`{construct}` needs BuildKit: the Engine's classic builder stores the trigger, and "
                    "fails when it builds an image FROM this one",
                    f"{fix}; {_BUILDKIT}",
                    blocks=False,
                )
            )
            continue
        out.append(
            BuildKitOnly(
                (trigger or ins).line,
                construct,
                f"`{construct}` needs BuildKit; the Engine's classic builder cannot run it: {does}",
                f"{fix}; {_BUILDKIT}",
                parse_time=parse_time,
            )
        )
    return out


# --- the rules ---------------------------------------------------------------------------------------------


@dataclass
class _StageState:
    workdir: str | None = None  # the last absolute WORKDIR, when known
    has_workdir: bool = False


@dataclass
class _Linter:
    dockerfile: Dockerfile
    has_dockerignore: bool | None
    findings: list[Finding] = field(default_factory=list)
    _rules: dict[str, Rule] = field(default_factory=lambda: {r.id: r for r in RULES})

    def add(
        self, rule_id: str, ins: Instruction, message: str, fix: str, severity: Severity | None = None
    ) -> None:
        rule = self._rules[rule_id]
        self.findings.append(Finding(rule.id, rule.name, severity or rule.severity, ins.line, message, fix))

    def run(self) -> list[Finding]:
        # DKR010: an error where the classic builder fails or builds something else, a warning where only
        # the directive is lost or only the image's children fail
        rule = self._rules["DKR010"]
        for use in buildkit_only(self.dockerfile):
            severity = rule.severity if use.blocks else WARNING
            self.findings.append(Finding(rule.id, rule.name, severity, use.line, use.message, use.fix))
        names: dict[str, _StageState] = {}
        reported_context = False
        for stage in self.dockerfile.stages:
            self._base(stage, names)
            parent = names.get(stage.base.lower())
            state = _StageState(parent.workdir, parent.has_workdir) if parent else _StageState()
            self._stage(stage, state)
            if stage.name:
                names[stage.name.lower()] = state
            for ins in stage.instructions:
                if not reported_context and self.has_dockerignore is False and _broad_copy(ins):
                    reported_context = True
                    self._no_dockerignore(ins)
        return self.findings

    def _stage(self, stage: Stage, state: _StageState) -> None:
        broad: Instruction | None = None
        installed_first: set[str] = set()
        for ins in stage.instructions:
            if ins.keyword == "WORKDIR":
                self._workdir(ins, state)
            elif ins.keyword in ("COPY", "ADD"):
                if broad is None and _broad_copy(ins):
                    broad = ins
                self._destination(ins, state)
            elif ins.keyword == "RUN":
                self._run(ins, broad, installed_first)
            elif ins.keyword in ("CMD", "ENTRYPOINT"):
                self._shell_form(ins)
            elif ins.keyword == "EXPOSE":
                self._expose(ins)

    # DKR008
    def _base(self, stage: Stage, earlier: dict[str, _StageState]) -> None:
        base = stage.base
        if base.lower() in earlier or base.lower() == "scratch" or "$" in base or "@" in base:
            return
        last = base.rsplit("/", 1)[-1]
        name, _, tag = last.partition(":")
        repo = base[: len(base) - len(last)] + name
        if tag and tag != "latest":
            return
        what = "uses :latest" if tag else "has no tag, so it means :latest"
        self.add(
            "DKR008",
            stage.from_,
            f"base image `{base}` {what}, which moves: the same Dockerfile builds on a different base over "
            "time, and each new base re-runs every step",
            f"pin a version: `FROM {repo}:<version>` (add `@sha256:…` to pin it exactly)",
        )

    # DKR003
    def _workdir(self, ins: Instruction, state: _StageState) -> None:
        path = shell_word(ins.args.strip(), self.dockerfile.escape)  # the builder reads `"/app"` as /app
        if _is_absolute(path):
            state.workdir = path if not path.startswith("$") else None
        else:
            resolved = posixpath.normpath(posixpath.join(state.workdir or "/", path))
            self.add(
                "DKR003",
                ins,
                f"{_quote(ins.text)} is relative: it resolves against the WORKDIR before it (or the base "
                "image's), so moving a line moves files",
                f"use an absolute path: `WORKDIR {_shell_quote(resolved)}`",
            )
            state.workdir = resolved if state.workdir else None
        state.has_workdir = True

    # DKR004
    def _destination(self, ins: Instruction, state: _StageState) -> None:
        dest = _path(ins.words[-1], self.dockerfile.escape, ins)
        if state.has_workdir or _is_absolute(dest):
            return
        if dest in (".", "./"):
            fix = "set an absolute working directory first (`WORKDIR /app`)"
        else:
            absolute = _shell_quote("/" + dest.removeprefix("./"))
            fix = f"copy to an absolute path (`{absolute}`), or set `WORKDIR /app` first"
        self.add(
            "DKR004",
            ins,
            f"{_quote(ins.text)} copies to a relative destination with no WORKDIR set: it lands relative to "
            "the base image's working directory (often /)",
            fix,
        )

    # DKR005
    def _no_dockerignore(self, ins: Instruction) -> None:
        self.add(
            "DKR005",
            ins,
            f"{_quote(ins.text)} copies the whole context and there is no .dockerignore: an edit to any file "
            "breaks the cache from here on, and node_modules/.git are sent to the daemon",
            "add a .dockerignore at the root of the build context listing .git, node_modules, build output, "
            ".env, *.log",
        )

    def _run(self, ins: Instruction, broad: Instruction | None, installed_first: set[str]) -> None:
        apt: set[str] = set()
        commands = list(_commands(ins))
        for at, cmd in enumerate(commands, 1):
            install = _install(cmd)
            if install is not None:
                if broad is None:
                    installed_first.add(install.family)
                elif install.family not in installed_first:
                    self._cache_order(ins, cmd, install, broad)
                    installed_first.add(install.family)  # once per stage and ecosystem
            starts = _starts(cmd)
            # a service started for the commands after it in the same RUN (a migration) is a build step
            if starts == "server" or (starts == "daemon" and at == len(commands)):
                self._server(ins, cmd, starts)
            apt.add(_apt_action(cmd))
        if "update" in apt and not apt & {"install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep"}:
            # DKR007
            self.add(
                "DKR007",
                ins,
                f"{_quote(ins.text)} updates the package index without the install: its cached layer keeps a "
                "stale index, so a later install gets old packages or fails",
                "update and install in one RUN: `RUN apt-get update && apt-get install -y "
                "--no-install-recommends PACKAGE... && rm -rf /var/lib/apt/lists/*`",
            )

    # DKR001
    def _cache_order(
        self, ins: Instruction, cmd: Sequence[str], install: Install, broad: Instruction
    ) -> None:
        dest = _path(broad.words[-1], self.dockerfile.escape, broad)
        folder = _shell_quote("./" if dest in (".", "./") else dest if dest.endswith("/") else dest + "/")
        manifests = " ".join(install.manifests)
        self.add(
            "DKR001",
            ins,
            f"{_where(ins, cmd)} comes after {_quote(broad.text)} (line {broad.line}): an edit to any "
            "source file re-runs the install",
            f"copy the manifests first: `{broad.keyword} {manifests} {folder}`, then the install, then "
            f"{_quote(broad.text)}",
        )

    # DKR002
    def _server(self, ins: Instruction, cmd: Sequence[str], starts: str) -> None:
        tool = basename(cmd[0])
        if starts == "daemon":
            # pointless rather than harmful: a warning
            self.add(
                "DKR002",
                ins,
                f"{_where(ins, cmd)} starts a background service, which is pointless in a RUN: `{tool}` "
                "returns at once and the service stops when the step ends; the image keeps nothing of it, "
                "and a container runs only its CMD",
                "start the program itself in the foreground from CMD, in exec form (a step that needs the "
                "service, such as a migration, must start and use it in the same RUN)",
                severity=WARNING,
            )
            return
        if tool in ("sleep", "tail"):
            fix = "remove it: a RUN must finish for the build to go on"
        else:
            fix = f"start it when a container starts: `CMD {json.dumps(list(cmd), ensure_ascii=False)}`"
        self.add(
            "DKR002",
            ins,
            f"{_where(ins, cmd)} starts a server while the image is built: the build waits on it (or it "
            "dies with the step), and no container runs it",
            fix,
        )

    # DKR006
    def _shell_form(self, ins: Instruction) -> None:
        script = ins.args.strip()
        if ins.exec_form is not None or not script:
            return
        if any(cmd[:1] == ["exec"] for cmd in simple_commands(script)):
            return  # `exec` replaces the shell: the program is PID 1
        exec_form = _exec_form(ins.keyword, script)
        fix = (
            f"use the exec form: `{exec_form}`"
            if exec_form
            else f'use the exec form (`{ins.keyword} ["/app/start.sh"]`, a script ending in `exec`), or put '
            "`exec` before the last command"
        )
        # BuildKit's JSONArgsRecommended check warns about the same thing.
        self.add(
            "DKR006",
            ins,
            f"{_quote(ins.text)} is in shell form: PID 1 is `/bin/sh -c`, which does not pass SIGTERM on, so "
            "`dkr stop` waits out its timeout and then kills",
            fix,
        )

    # DKR009
    def _expose(self, ins: Instruction) -> None:
        ports = list(ins.words)
        flags = " ".join(f"-p {_publish_spec(p)}" for p in ports)
        plural = "s" if len(ports) > 1 else ""
        # a build-time variable means nothing to `dkr run`: name the number it stood for instead
        variables = [p.partition("/")[0] for p in ports if "$" in p]
        named = ", ".join(f"`{v}`" for v in variables)
        where = (
            ""
            if not variables
            else f", where CONTAINER_PORT is the value {named} had at build time"
            if len(variables) == 1
            else f", where each CONTAINER_PORT is the value its variable ({named}) had at build time"
        )
        self.add(
            "DKR009",
            ins,
            f"{_quote(ins.text)} only documents the port{plural}: it publishes nothing",
            f"publish it when you run: `dkr run {flags} IMAGE`{where} (dkr binds 127.0.0.1 unless told "
            "otherwise)",
        )
