"""Pure: a Dockerfile reader for analysis: instructions with their lines, flags, exec or shell form, heredocs,
and build stages.

Hand-written rather than using `dockerfile-parse` (PyPI, 2.0.1 checked): it reads a heredoc's body as
instructions (`RUN <<EOF` then `node server.js` comes back as a NODE instruction) and ends a continued
instruction at an empty continuation line, which BuildKit skips; both would point findings at the wrong line.
The rules below are BuildKit's (moby/buildkit frontend/dockerfile/parser/parser.go, read for the facts):
- parser directives (`# escape=`, `# syntax=`, `# check=`) count only before any instruction, comment or
  blank line; each at most once; escape is a backslash or a backtick;
- the escape token at the end of a line (trailing blanks allowed) continues the instruction; comment lines and
  empty lines inside a continuation are skipped; a line whose first non-blank character is `#` is a comment;
- RUN, COPY and ADD in shell form (also under ONBUILD) take heredocs: each word `<<NAME` or `<<-NAME`
  (optionally after a file descriptor, NAME optionally quoted) reads the following lines up to a line equal to
  NAME (leading tabs removed for `<<-`); the line is split into words with its quotes kept, so a quoted
  `"<<EOF"` is an argument, not a heredoc;
- an argument starting with `[` that is a JSON array of strings is the exec form, anything else the shell
  form; COPY/ADD/FROM/EXPOSE arguments split on whitespace, without shell quoting.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field, replace

KEYWORDS = frozenset(
    {
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)
#: Instructions whose shell form may carry heredocs.
HEREDOC_KEYWORDS = frozenset({"RUN", "COPY", "ADD"})
#: Instructions that may have no argument at all (`CMD` alone clears the command).
NO_ARGS_OK = frozenset({"CMD", "ENTRYPOINT"})
#: Instructions that take the exec form (a JSON array) as well as the shell form.
EXEC_FORM_KEYWORDS = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"})
DIRECTIVES = frozenset({"escape", "syntax", "check"})

_DIRECTIVE = re.compile(r"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")
_HEREDOC = re.compile(r"^(\d*)<<(-?)([^<]*)$")
_BLANKS = re.compile(r"[\t\v\f\r ]+")


class DockerfileError(ValueError):
    """The Dockerfile cannot be parsed; `line` is 1-based (0 when the whole file is at fault)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class Heredoc:
    name: str
    content: str
    chomp: bool = False


@dataclass(frozen=True)
class Instruction:
    """One instruction. `args` is the argument text after the flags, continuation lines joined."""

    keyword: str
    args: str
    line: int
    end_line: int
    flags: tuple[str, ...] = ()
    #: the exec form's words (`CMD ["node", "server.js"]`), None for the shell form
    exec_form: tuple[str, ...] | None = None
    heredocs: tuple[Heredoc, ...] = ()
    #: for ONBUILD: the instruction it defers
    inner: Instruction | None = None

    @property
    def words(self) -> tuple[str, ...]:
        """The arguments as the builder splits them: the exec form's words, else split on whitespace."""
        if self.exec_form is not None:
            return self.exec_form
        return tuple(self.args.split())

    def flag(self, name: str) -> str | None:
        """The value of `--name=value` (or "" for a bare `--name`), None when absent."""
        for f in self.flags:
            key, _, value = f.partition("=")
            if key.lower() == f"--{name}":
                return value
        return None

    @property
    def text(self) -> str:
        """The instruction on one line, as the builder echoes it (`COPY . /app`)."""
        parts = [self.keyword, *self.flags]
        if self.args:
            parts.append(self.args)
        return " ".join(parts)


@dataclass(frozen=True)
class Stage:
    """A build stage: its FROM, and the instructions up to the next FROM."""

    index: int
    base: str
    name: str | None
    from_: Instruction
    instructions: tuple[Instruction, ...] = ()


@dataclass(frozen=True)
class Dockerfile:
    instructions: tuple[Instruction, ...]
    escape: str = "\\"
    directives: dict[str, str] = field(default_factory=dict)

    @property
    def stages(self) -> tuple[Stage, ...]:
        stages: list[Stage] = []
        current: tuple[Instruction, list[Instruction]] | None = None

        def close() -> None:
            if current is not None:
                ins, body = current
                words = ins.words
                name = words[2] if len(words) == 3 else None
                stages.append(Stage(len(stages), words[0] if words else "", name, ins, tuple(body)))

        for ins in self.instructions:
            if ins.keyword == "FROM":
                close()
                current = (ins, [])
            elif current is not None:
                current[1].append(ins)
        close()
        return tuple(stages)


# --- lexing helpers ----------------------------------------------------------------------------------------


def shell_words(text: str) -> list[str]:
    """Split like a POSIX shell (quotes removed), falling back to whitespace on unbalanced quotes."""
    lex = shlex.shlex(text, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    try:
        return list(lex)
    except ValueError:
        return text.split()


def json_array(text: str) -> tuple[str, ...] | None:
    """The exec form: a JSON array of strings, else None (the builder then takes the shell form)."""
    if not text.startswith("["):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return tuple(value)


def _split_flags(rest: str) -> tuple[tuple[str, ...], str]:
    """Leading `--flag[=value]` words (quotes allowed inside a value), then the remaining arguments."""
    flags: list[str] = []
    rest = rest.strip()
    while rest.startswith("--"):
        end = 0
        quote = ""
        while end < len(rest):
            ch = rest[end]
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "'\"":
                quote = ch
            elif ch.isspace():
                break
            end += 1
        word = rest[:end]
        rest = rest[end:].lstrip()
        if word == "--":
            break
        flags.append(word)
    return tuple(flags), rest


def _continuation(escape: str) -> re.Pattern[str]:
    e = re.escape(escape)
    return re.compile(rf"([^{e}]){e}[ \t]*$|^{e}[ \t]*$")


def raw_words(text: str) -> list[str]:
    """Split on blanks outside quotes, keeping the quotes and backslashes (BuildKit's lexer with RawQuotes
    and RawEscapes): `echo "<<EOF"` is the words `echo` and `"<<EOF"`."""
    words: list[str] = []
    word: list[str] = []
    quote = ""
    escaped = False
    for ch in text:
        if escaped:
            escaped = False
        elif ch == "\\" and quote != "'":
            escaped = True
        elif quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in " \t\r\n\v\f":
            if word:
                words.append("".join(word))
                word = []
            continue
        word.append(ch)
    if word:
        words.append("".join(word))
    return words


def _heredoc_names(line: str) -> list[tuple[str, bool]]:
    """The heredocs a line opens: a word (quotes kept, so a quoted `"<<EOF"` is not one) that is `<<NAME` or
    `<<-NAME`, optionally after a file descriptor, NAME one word once its quotes are removed."""
    out = []
    for word in raw_words(line):
        m = _HEREDOC.match(word)
        if not m or not m.group(3):
            continue
        name = shell_words(m.group(3))
        if len(name) == 1 and name[0]:
            out.append((name[0], m.group(2) == "-"))
    return out


def _check_args(ins: Instruction) -> None:
    keyword = ins.keyword
    words = ins.words
    if not words and not ins.heredocs and keyword not in NO_ARGS_OK:
        raise DockerfileError(f"{keyword} requires at least one argument", ins.line)
    if keyword == "FROM" and not (len(words) == 1 or (len(words) == 3 and words[1].lower() == "as")):
        raise DockerfileError("FROM requires either one or three arguments (FROM IMAGE [AS NAME])", ins.line)
    if keyword in ("COPY", "ADD") and len(words) < 2:
        raise DockerfileError(
            f"{keyword} requires at least two arguments (sources and a destination)", ins.line
        )


# --- the parser --------------------------------------------------------------------------------------------


def parse(text: str) -> Dockerfile:
    """Parse Dockerfile text; raise DockerfileError (with the line) for what the builder would reject."""
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    escape = "\\"
    continuation = _continuation(escape)
    directives: dict[str, str] = {}
    looking_for_directives = True
    instructions: list[Instruction] = []
    seen_from = False
    i = 0
    while i < len(lines):
        raw = lines[i].rstrip("\r\n")
        i += 1
        start = i
        stripped = raw.lstrip()
        if looking_for_directives:
            m = _DIRECTIVE.match(stripped)
            key = m.group(1).lower() if m else ""
            if m and key in DIRECTIVES:
                if key in directives:
                    raise DockerfileError(f"only one {key} parser directive can be used", start)
                directives[key] = m.group(2)
                if key == "escape":
                    if m.group(2) not in ("\\", "`"):
                        raise DockerfileError(
                            f"invalid escape token '{m.group(2)}' does not match ` or \\", start
                        )
                    escape = m.group(2)
                    continuation = _continuation(escape)
                continue
            looking_for_directives = False
        if not stripped or stripped.startswith("#"):
            continue
        line, more = _trim(stripped, continuation)
        while more and i < len(lines):
            nxt = lines[i].rstrip("\r\n")
            i += 1
            if nxt.lstrip().startswith("#") or not nxt.strip():
                continue  # BuildKit skips comments and empty lines inside a continuation
            part, more = _trim(nxt, continuation)
            line += part
        ins, i = _instruction(line, start, i, lines)
        if ins.keyword == "FROM":
            seen_from = True
        elif not seen_from and ins.keyword != "ARG":
            raise DockerfileError(f"{ins.keyword} comes before the first FROM (only ARG may)", ins.line)
        instructions.append(ins)
    if not instructions:
        raise DockerfileError("file with no instructions", 0)
    return Dockerfile(tuple(instructions), escape, directives)


def _trim(line: str, continuation: re.Pattern[str]) -> tuple[str, bool]:
    if continuation.search(line):
        return continuation.sub(r"\1", line, count=1), True
    return line, False


def _split_keyword(line: str, lineno: int) -> tuple[str, str]:
    parts = _BLANKS.split(line.strip(), maxsplit=1)
    keyword = parts[0].upper()
    if keyword not in KEYWORDS:
        raise DockerfileError(f"unknown instruction: {parts[0]}", lineno)
    return keyword, parts[1] if len(parts) > 1 else ""


def _make(keyword: str, rest: str, start: int, end: int) -> Instruction:
    flags, args = _split_flags(rest)
    exec_form = json_array(args) if keyword in EXEC_FORM_KEYWORDS else None
    return Instruction(keyword, args, start, end, flags, exec_form)


def _instruction(line: str, start: int, i: int, lines: list[str]) -> tuple[Instruction, int]:
    """Build the instruction from its joined text, reading its heredocs from lines[i:]; return it and the
    index of the next unread line."""
    keyword, rest = _split_keyword(line, start)
    inner: Instruction | None = None
    if keyword == "ONBUILD":
        if not rest.strip():
            raise DockerfileError("ONBUILD requires at least one argument", start)
        inner_keyword, inner_rest = _split_keyword(rest, start)
        if inner_keyword in ("ONBUILD", "FROM", "MAINTAINER"):
            raise DockerfileError(f"{inner_keyword} isn't allowed as an ONBUILD trigger", start)
        inner = _make(inner_keyword, inner_rest, start, i)
    target = inner or _make(keyword, rest, start, i)
    heredocs: list[Heredoc] = []
    if target.keyword in HEREDOC_KEYWORDS and target.exec_form is None:
        for name, chomp in _heredoc_names(line):
            body: list[str] = []
            while True:
                if i >= len(lines):
                    raise DockerfileError(f"unterminated heredoc <<{name}", start)
                raw = lines[i].rstrip("\r\n")
                i += 1
                if (raw.lstrip("\t") if chomp else raw) == name:
                    break
                body.append(raw)
            heredocs.append(Heredoc(name, "".join(b + "\n" for b in body), chomp))
    target = replace(target, end_line=i, heredocs=tuple(heredocs))
    _check_args(target)
    if inner is not None:
        return Instruction(keyword, rest.strip(), start, i, inner=target), i
    return target, i


# --- what a RUN runs ---------------------------------------------------------------------------------------

SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"})
_HEREDOC_WORD = re.compile(r"(?<!\S)\d*<<-?\S+")
_SEPARATORS = frozenset(";&|()\n")


def basename(word: str) -> str:
    return word.rsplit("/", 1)[-1]


def run_scripts(ins: Instruction) -> list[str]:
    """The shell scripts a RUN (or a shell-form CMD) executes: its command line, and the heredoc bodies that
    are the script itself (`RUN <<EOF`, `RUN bash <<EOF`) rather than a program's input (`RUN python3 <<EOF`).
    An exec form `["sh", "-c", SCRIPT]` gives SCRIPT; any other exec form its words, shell-quoted."""
    if ins.exec_form is not None:
        words = ins.exec_form
        if len(words) >= 3 and basename(words[0]) in SHELLS and words[1] == "-c":
            return [words[2]]
        return [shlex.join(words)] if words else []
    command = _HEREDOC_WORD.sub(" ", ins.args).strip()
    scripts = [command] if command else []
    if ins.heredocs:
        first = shell_words(command)[:1]
        if not first or basename(first[0]) in SHELLS:
            scripts.extend(h.content for h in ins.heredocs)
    return scripts


def simple_commands(script: str) -> list[list[str]]:
    """Split a shell script into its simple commands' words (quotes removed): separated by `&&`, `||`, `;`,
    `|`, `&`, parentheses and newlines; redirections and their targets dropped; a word starting with `#`
    ends its command (a comment). Unbalanced quotes fall back to splitting on blanks."""
    script = re.sub(r"\\\r?\n", " ", script)
    lex = shlex.shlex(script, posix=True, punctuation_chars=";&|()<>\n")
    lex.whitespace = " \t\r"
    lex.whitespace_split = True
    lex.commenters = ""
    try:
        tokens = list(lex)
    except ValueError:
        tokens = re.sub(r"(&&|\|\||[;|&\n()])", r" \n ", script).replace("\n", " ; ").split()
    commands: list[list[str]] = [[]]
    skip_next = comment = False
    for tok in tokens:
        if comment and "\n" not in tok:
            continue  # a comment runs to the end of its line
        if tok and all(ch in _SEPARATORS or ch in "<>" for ch in tok):
            if "<" in tok or ">" in tok:
                skip_next = True  # a redirection: the next word is its target, not an argument
                if commands[-1] and commands[-1][-1].isdigit():
                    commands[-1].pop()  # the file descriptor of `2>&1`
            if any(ch in ";|()\n" for ch in tok) or set(tok) == {"&"}:
                commands.append([])
                comment = skip_next = False
            continue
        if skip_next:
            skip_next = False
        elif tok.startswith("#"):
            comment = True
        else:
            commands[-1].append(tok)
    return [c for c in commands if c]
