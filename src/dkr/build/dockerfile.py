r"""Pure: a Dockerfile reader for analysis: instructions with their lines, flags, exec or shell form,
heredocs, and build stages.

Hand-written rather than using `dockerfile-parse` (PyPI, 2.0.1 checked): it reads a heredoc's body as
instructions (`RUN <<EOF` then `node server.js` comes back as a NODE instruction) and ends a continued
instruction at an empty continuation line, which BuildKit skips; both would point findings at the wrong line.
The rules below are BuildKit's (moby/buildkit frontend/dockerfile/parser/parser.go, read for the facts):
- parser directives (`# escape=`, `# syntax=`, `# check=`) count only before any instruction, comment or
  blank line; each at most once; escape is a backslash or a backtick;
- the escape token at the end of a line (trailing blanks allowed) continues the instruction; comment lines and
  empty lines inside a continuation are skipped; a line whose first non-blank character is `#` is a comment;
- RUN, COPY and ADD in shell form (also under ONBUILD) take heredocs, found as BuildKit finds them: the
  joined line is split into words by its shell lexer with quotes and escapes kept (so a quoted `"<<EOF"` is an
  argument), `<<` swallowing the blanks (space, tab, CR) after it (`<<  EOF` is one word; `<<- EOF` is not a
  heredoc: the `-` ends that run); a word matching `^(\d*)<<(-?)\s*([^<]*)$` whose rest is one shell word is a
  heredoc named by that word unquoted (quoted: not expanded); its body runs to a line equal to the name
  (leading tabs removed for `<<-`); a lexing error (an unclosed quote, a bad `${`) leaves the line without
  heredocs;
- flags are read as BuildKit's extractBuilderFlags reads them: leading words starting with `--`, up to a
  `--` word; quotes and the escape token are removed from the value (`--chown="1:1"` is `1:1`,
  `--chown=a\ b` is `a b`), and, as in BuildKit, the line is read byte by byte there: bytes 0x85 and 0xA0
  count as blanks and a value's other bytes come back as Latin-1 characters;
- blanks are Go's: the keyword and the arguments of FROM, COPY, ADD, EXPOSE, VOLUME split on
  `[\t\v\f\r ]` only; trimming and ENV/LABEL/ARG words use unicode.IsSpace (NBSP, NEL and the Unicode
  spaces, not Python's extra \x1c-\x1f);
- an argument starting with `[` that is a JSON array of strings is the exec form, one that is a JSON array
  with another item (`[1]`, `["a", ["b"]]`) is an error, anything else the shell form;
- what the parser itself rejects is an error here too: `ENV`/`LABEL` with a name and no value (`ENV foo`),
  `ENV a=b c` (a word without `=` after the `name=value` form), a physical line over 65535 bytes (bufio's
  token limit), an unterminated heredoc.
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
#: BuildKit's reHeredoc (Go's `\d` and `\s` are ASCII: digits, and tab, newline, form feed, CR, space)
_HEREDOC = re.compile(r"(\A[0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)\Z")
#: BuildKit's reWhitespace: what the keyword and FROM/COPY/ADD/EXPOSE/VOLUME arguments split on
_BLANKS = re.compile(r"[\t\v\f\r ]+")
#: Go's unicode.IsSpace (Python's str.isspace() adds \x1c-\x1f, which Go does not count)
GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)
_GO_BLANKS = re.compile(f"[{re.escape(GO_SPACE)}]+")
#: bufio.Scanner's limit: a physical line (without its newline) of more bytes fails BuildKit's parse
MAX_LINE_BYTES = 65535


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
    #: False when the name was quoted (`<<'EOF'`): the body is taken literally
    expand: bool = True
    #: the file descriptor before `<<` (`3<<EOF`), 0 when none
    fd: int = 0


@dataclass(frozen=True)
class Instruction:
    """One instruction. `args` is the argument text after the flags, continuation lines joined."""

    keyword: str
    args: str
    line: int
    end_line: int
    #: the flags as written (`--chown="1:1"`); `flag()` gives their values as the builder reads them
    flags: tuple[str, ...] = ()
    #: the exec form's words (`CMD ["node", "server.js"]`), None for the shell form
    exec_form: tuple[str, ...] | None = None
    heredocs: tuple[Heredoc, ...] = ()
    #: for ONBUILD: the instruction it defers
    inner: Instruction | None = None
    #: the flags as BuildKit reads them, quotes and escapes removed (`--chown=1:1`)
    flag_words: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        """The arguments as the builder splits them: the exec form's words, else split on BuildKit's blanks
        (`[\t\v\f\r ]`, as for FROM, COPY, ADD, EXPOSE and VOLUME)."""
        if self.exec_form is not None:
            return self.exec_form
        return tuple(w for w in _BLANKS.split(self.args) if w)

    def flag(self, name: str) -> str | None:
        """The value of `--name=value` as the builder reads it (`--chown="1:1"` gives `1:1`), "" for a bare
        `--name`, None when absent."""
        for f in self.flag_words:
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


class _NotStrings(ValueError):
    """A JSON array with an item that is not a string: BuildKit rejects the instruction."""


def _reject_constant(name: str) -> object:
    raise ValueError(f"not JSON: {name}")  # Go's encoding/json has no NaN or Infinity


def json_array(text: str) -> tuple[str, ...] | None:
    """The exec form: a JSON array of strings, else None (the builder then takes the shell form). A JSON
    array with another item raises ValueError, as BuildKit rejects it."""
    text = text.lstrip(GO_SPACE)
    if not text.startswith("["):
        return None
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, list):
        return None
    if not all(isinstance(v, str) for v in value):
        raise _NotStrings("when using JSON array syntax, arrays must be comprised of strings only")
    return tuple(value)


_FLAG_BLANKS = frozenset(b"\t\n\v\f\r \x85\xa0")  # unicode.IsSpace(rune(b)) on one byte


def extract_flags(rest: str, escape: str = "\\") -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """BuildKit's extractBuilderFlags: the leading `--flag[=value]` words (as written, and as read: quotes and
    escape tokens removed), and the arguments after them. Byte by byte, as BuildKit reads them."""
    data = rest.encode("utf-8", "surrogatepass")
    esc = ord(escape)
    n = len(data)
    raw: list[str] = []
    values: list[str] = []
    buf = bytearray()
    blank_ok = False
    quote = 0
    phase = "spaces"
    start = pos = 0

    def add(end: int) -> None:
        if bytes(buf) != b"--" and (blank_ok or buf):
            raw.append(data[start:end].decode("utf-8", "replace"))
            values.append(buf.decode("latin-1"))  # Go's rune(line[pos]): each byte is one character

    while True:
        if phase == "spaces":
            if pos == n:
                break
            if data[pos] in _FLAG_BLANKS:
                pos += 1
                continue
            if not data.startswith(b"--", pos):
                return tuple(raw), tuple(values), data[pos:].decode("utf-8", "replace").strip(GO_SPACE)
            phase, start = "word", pos
        if pos == n:
            add(pos)
            break
        ch = data[pos]
        if phase == "word":
            if ch in _FLAG_BLANKS:
                if bytes(buf) == b"--":
                    return tuple(raw), tuple(values), data[pos:].decode("utf-8", "replace").strip(GO_SPACE)
                add(pos)
                phase, blank_ok = "spaces", False
                buf.clear()
                pos += 1
                continue
            if ch in b"'\"":
                quote, blank_ok, phase = ch, True, "quote"
                pos += 1
                continue
        elif ch == quote:  # in a quote
            phase = "word"
            pos += 1
            continue
        if ch == esc:
            if pos + 1 == n:
                if phase == "quote":
                    phase = "word"
                pos += 1
                continue  # an escape token at the end is dropped
            pos += 1
            ch = data[pos]
        buf.append(ch)
        pos += 1
    return tuple(raw), tuple(values), ""


def parse_words(rest: str, escape: str = "\\") -> list[str]:
    """BuildKit's parseWords (ENV, LABEL, ARG): split on unicode.IsSpace outside quotes, quotes and escape
    tokens kept."""
    words: list[str] = []
    word: list[str] = []
    phase = "spaces"
    quote = ""
    blank_ok = False
    i, n = 0, len(rest)
    while i < n:
        ch = rest[i]
        if phase == "spaces":
            if ch in GO_SPACE:
                i += 1
                continue
            phase = "word"
        escapable = phase == "word" or quote != "'"  # nothing escapes inside single quotes
        if phase == "word":
            if ch in GO_SPACE:
                if blank_ok or word:
                    words.append("".join(word))
                word, blank_ok, phase = [], False, "spaces"
                i += 1
                continue
            if ch in "'\"":
                quote, blank_ok, phase = ch, True, "quote"
        elif ch == quote:
            phase = "word"
        if ch == escape and escapable:
            if i + 1 == n:
                phase = "word"
                i += 1
                continue  # an escape token at the end is dropped
            word.append(ch)
            i += 1
            ch = rest[i]
        word.append(ch)
        i += 1
    if phase != "spaces" and (blank_ok or word):
        words.append("".join(word))
    return words


def _continuation(escape: str) -> re.Pattern[str]:
    e = re.escape(escape)
    return re.compile(rf"([^{e}]){e}[ \t]*$|^{e}[ \t]*$")


# --- BuildKit's shell lexer, as far as finding heredocs needs it -------------------------------------------


class _LexError(ValueError):
    pass


class _Words:
    """BuildKit's wordsStruct; `buf` is shared by every nested scan of one lexer, as BuildKit's is."""

    def __init__(self, buf: list[str]) -> None:
        self.buf = buf
        self.words: list[str] = []
        self.in_word = False

    def char(self, ch: str) -> None:
        if ch in GO_SPACE:
            if self.in_word and "".join(self.buf):
                self.words.append("".join(self.buf))
                self.buf.clear()
                self.in_word = False
        else:
            self.raw(ch)

    def raw(self, text: str) -> None:
        self.buf.append(text)
        self.in_word = True

    def string(self, text: str) -> None:
        for ch in text:
            self.char(ch)

    def done(self) -> list[str]:
        if "".join(self.buf):
            self.words.append("".join(self.buf))
            self.buf.clear()
            self.in_word = False
        return self.words


_SPECIAL_PARAMS = frozenset("@*#?-$!0")


class _Lexer:
    """BuildKit's shell.Lex with no variables set and SkipUnsetEnv: `$X` and `${X...}` stay as written."""

    def __init__(self, text: str, *, raw_quotes: bool, raw_escapes: bool, escape: str = "\\") -> None:
        self.text = text
        self.i = 0
        self.raw_quotes = raw_quotes
        self.raw_escapes = raw_escapes
        self.escape = escape
        self.buf: list[str] = []

    def peek(self) -> str:
        return self.text[self.i] if self.i < len(self.text) else ""

    def next(self) -> str:
        ch = self.peek()
        self.i += bool(ch)
        return ch

    def words(self) -> list[str]:
        return self.scan("", self.raw_escapes)[1]

    def scan(self, stop: str, raw_escapes: bool) -> tuple[str, list[str]]:
        """processStopOn: up to `stop` ("" for the end)."""
        result: list[str] = []
        self.buf.clear()
        words = _Words(self.buf)
        saved, self.raw_escapes = self.raw_escapes, raw_escapes
        try:
            while (ch := self.peek()) != "":
                if stop and ch == stop:
                    self.next()
                    return "".join(result), words.done()
                if ch == "$":
                    tmp = self.dollar()
                    result.append(tmp)
                    words.string(tmp)
                elif ch in "<'\"":
                    tmp = self.heredoc_start() if ch == "<" else self.quoted(ch)
                    result.append(tmp)
                    words.raw(tmp)
                else:
                    self.next()
                    if ch == self.escape:
                        if self.raw_escapes:
                            words.raw(ch)
                            result.append(ch)
                        ch = self.next()
                        if not ch:
                            break
                        words.raw(ch)
                    else:
                        words.char(ch)
                    result.append(ch)
            if stop:
                raise _LexError(f"unexpected end of statement while looking for matching {stop}")
            return "".join(result), words.done()
        finally:
            self.raw_escapes = saved

    def quoted(self, quote: str) -> str:
        opening = self.next()
        out = [opening] if self.raw_quotes else []
        while True:
            ch = self.peek()
            if not ch:
                raise _LexError("unexpected end of statement while looking for matching quote")
            if ch == quote:
                self.next()
                if self.raw_quotes:
                    out.append(ch)
                return "".join(out)
            if quote == '"' and ch == "$":
                out.append(self.dollar())
                continue
            self.next()
            if quote == '"' and ch == self.escape:
                if self.raw_escapes:
                    out.append(ch)
                if not self.peek():
                    continue
                if self.peek() in ('"', "$", self.escape):
                    ch = self.next()
            out.append(ch)

    def name(self) -> str:
        out: list[str] = []
        while ch := self.peek():
            if not out and ch.isdecimal():
                while self.peek() and self.peek().isdecimal():
                    out.append(self.next())
                return "".join(out)
            if not out and ch in _SPECIAL_PARAMS:
                return self.next()
            if not (ch.isalpha() or ch.isdecimal() or ch == "_"):
                break
            out.append(self.next())
        return "".join(out)

    def dollar(self) -> str:
        self.next()
        if self.peek() != "{":
            name = self.name()
            return "$" + name if name else "$"
        self.next()
        if not self.peek():
            raise _LexError("syntax error: missing '}'")
        if self.peek() in "{}:":
            raise _LexError("syntax error: bad substitution")
        name = self.name()
        ch = self.next()
        if ch == "}":
            return "${" + name + "}"
        modifier = ch
        if ch == ":":
            ch = self.next()
            modifier += ch
            if ch in "#%":
                raise _LexError(f"unsupported modifier ({modifier}) in substitution")
        if modifier[:1] == ":" or ch in ("+", "-", "?", "#", "%"):
            word = self.scan("}", ch in ("#", "%"))[0]
            return "${" + name + modifier + word + "}"
        if ch == "/":
            if self.peek() == "/":
                modifier += self.next()
            pattern = self.scan("/", True)[0]
            replacement = self.scan("}", True)[0]
            return "${" + name + modifier + pattern + "/" + replacement + "}"
        raise _LexError(f"unsupported modifier ({modifier}) in substitution")

    def heredoc_start(self) -> str:
        self.next()
        if self.peek() != "<":
            return "<"
        self.next()
        out = "<<"
        while self.peek() in ("\t", "\r", " ") and self.peek():
            out += self.next()
        return out


def shell_word(text: str, escape: str = "\\") -> str:
    """A word as the builder reads WORKDIR, COPY's paths and the like (its lexer's ProcessWord): quotes and
    escape tokens removed, variables left as written (`"/app"` is `/app`, `"$HOME"/x` is `$HOME/x`). Text the
    lexer rejects (an unclosed quote) comes back as it is."""
    try:
        return _Lexer(text, raw_quotes=False, raw_escapes=False, escape=escape).scan("", False)[0]
    except _LexError:
        return text


class HeredocError(ValueError):
    """A heredoc word BuildKit cannot read (`<<'EOF` given alone)."""


def parse_heredoc(word: str) -> Heredoc | None:
    """BuildKit's ParseHeredoc: the heredoc a word opens (content empty), None when it opens none."""
    m = _HEREDOC.match(word)
    if not m or not m.group(3):
        return None
    rest = m.group(3)
    try:
        words = _Lexer(rest, raw_quotes=False, raw_escapes=False).words()
        if len(words) != 1:
            return None
        raw = _Lexer(rest, raw_quotes=True, raw_escapes=False).words()
    except _LexError as exc:
        raise HeredocError(f"cannot read the heredoc {word!r}: {exc}") from None
    if len(raw) != 1:
        raise HeredocError(f"cannot read the heredoc {word!r}")

    def quotes(w: str) -> int:
        return w.count("'") + w.count('"')

    return Heredoc(
        words[0],
        "",
        chomp=m.group(2) == "-",
        expand=quotes(words[0]) == quotes(raw[0]),
        fd=int(m.group(1) or 0),
    )


def heredocs_from_line(line: str) -> list[Heredoc]:
    """BuildKit's heredocsFromLine: the heredocs an instruction's joined line opens, in order (its lexer with
    quotes and escapes kept; a line it cannot lex opens none)."""
    try:
        words = _Lexer(line, raw_quotes=True, raw_escapes=True).words()
    except _LexError:
        return []
    return [h for w in words if (h := parse_heredoc(w)) is not None]


def _name_values(keyword: str, rest: str, escape: str, lineno: int) -> None:
    """BuildKit's parseNameVal (ENV, LABEL): `NAME VALUE`, or `NAME=VALUE...` where every word has a `=`."""
    words = parse_words(rest, escape)
    if not words:
        return
    if "=" not in words[0]:
        if len(_BLANKS.split(rest, maxsplit=1)) < 2:
            raise DockerfileError(
                f"{keyword} must have two arguments ({keyword} NAME=VALUE, or the old {keyword} NAME VALUE)",
                lineno,
            )
        return
    for word in words:
        if "=" not in word:
            raise DockerfileError(
                f"{keyword}: can't find = in {json.dumps(word, ensure_ascii=False)}: each word must be "
                "NAME=VALUE (quote a value with blanks)",
                lineno,
            )


def _check_args(ins: Instruction, escape: str) -> None:
    keyword = ins.keyword
    words = ins.words
    if not words and not ins.heredocs and keyword not in NO_ARGS_OK:
        raise DockerfileError(f"{keyword} requires at least one argument", ins.line)
    if keyword in ("ENV", "LABEL"):
        _name_values(keyword, ins.args, escape, ins.line)
    if keyword == "FROM" and not (len(words) == 1 or (len(words) == 3 and words[1].lower() == "as")):
        raise DockerfileError("FROM requires either one or three arguments (FROM IMAGE [AS NAME])", ins.line)
    if keyword in ("COPY", "ADD") and len(words) < 2:
        raise DockerfileError(
            f"{keyword} requires at least two arguments (sources and a destination)", ins.line
        )


# --- the parser --------------------------------------------------------------------------------------------


def parse(text: str) -> Dockerfile:
    """Parse Dockerfile text; raise DockerfileError (with the line) for what the builder would reject."""
    bom = text.startswith("\ufeff")
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, physical in enumerate(lines, 1):
        size = len(physical.encode("utf-8", "surrogatepass")) + (3 if bom and number == 1 else 0)
        if size > MAX_LINE_BYTES:
            raise DockerfileError(
                f"the line is {size} bytes long: the builder reads lines of at most {MAX_LINE_BYTES} bytes",
                number,
            )
    # a heredoc's body keeps its line endings; the last line has none when the text does not end in one
    endings = ["\n"] * len(lines)
    if lines and not text.endswith("\n"):
        endings[-1] = ""
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
        stripped = raw.lstrip(GO_SPACE)
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
            if nxt.lstrip(GO_SPACE).startswith("#") or not nxt.strip(GO_SPACE):
                continue  # BuildKit skips comments and empty lines inside a continuation
            part, more = _trim(nxt, continuation)
            line += part
        ins, i = _instruction(line, start, i, lines, endings, escape)
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
    parts = _BLANKS.split(line.strip(GO_SPACE), maxsplit=1)
    keyword = parts[0].upper()
    if keyword not in KEYWORDS:
        raise DockerfileError(f"unknown instruction: {parts[0]}", lineno)
    return keyword, parts[1] if len(parts) > 1 else ""


def _make(keyword: str, rest: str, start: int, end: int, escape: str) -> Instruction:
    flags, values, args = extract_flags(rest, escape)
    try:
        if keyword in EXEC_FORM_KEYWORDS:
            exec_form = json_array(args)
        else:
            exec_form = None
            if keyword == "HEALTHCHECK":
                # parseHealthConfig: the type (CMD, NONE), then the command as RUN's
                json_array("".join(_GO_BLANKS.split(args.strip(GO_SPACE), maxsplit=1)[1:]))
    except _NotStrings as exc:
        raise DockerfileError(f"{keyword}: {exc}", start) from None
    return Instruction(keyword, args, start, end, flags, exec_form, flag_words=values)


def _instruction(
    line: str, start: int, i: int, lines: list[str], endings: list[str], escape: str
) -> tuple[Instruction, int]:
    """Build the instruction from its joined text, reading its heredocs from lines[i:]; return it and the
    index of the next unread line."""
    keyword, rest = _split_keyword(line, start)
    inner: Instruction | None = None
    if keyword == "ONBUILD":
        if not rest.strip(GO_SPACE):
            raise DockerfileError("ONBUILD requires at least one argument", start)
        inner_keyword, inner_rest = _split_keyword(rest, start)
        if inner_keyword in ("ONBUILD", "FROM", "MAINTAINER"):
            raise DockerfileError(f"{inner_keyword} isn't allowed as an ONBUILD trigger", start)
        inner = _make(inner_keyword, inner_rest, start, i, escape)
    target = inner or _make(keyword, rest, start, i, escape)
    heredocs: list[Heredoc] = []
    if target.keyword in HEREDOC_KEYWORDS and target.exec_form is None and "<<" in line:
        try:
            opened = heredocs_from_line(line)
        except HeredocError as exc:
            raise DockerfileError(str(exc), start) from None
        for doc in opened:
            body: list[str] = []
            while True:
                if i >= len(lines):
                    raise DockerfileError(f"unterminated heredoc <<{doc.name}", start)
                raw = lines[i]
                i += 1
                end = raw.rstrip("\r\n")
                if (end.lstrip("\t") if doc.chomp else end) == doc.name:
                    break
                body.append(raw + endings[i - 1])
            heredocs.append(replace(doc, content="".join(body)))
    target = replace(target, end_line=i, heredocs=tuple(heredocs))
    _check_args(target, escape)
    if inner is not None:
        return Instruction(keyword, rest.strip(GO_SPACE), start, i, inner=target), i
    return target, i


# --- what a RUN runs ---------------------------------------------------------------------------------------

SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"})
_HEREDOC_WORD = re.compile(r"(?<!\S)\d*<<-?[\t\r ]*\S+")
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
