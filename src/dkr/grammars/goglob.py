"""Pure: Go's glob syntaxes, as the docker tools apply them, in one place.

- `filepath_match_regex`: Go's path/filepath.Match, which the classic builder applies to wildcard COPY/ADD
  sources (`*` and `?` stop at `/`, `[^...]` negates, a backslash escapes);
- `go_match` / `check_pattern`: Go's filepath.Match itself, on bytes; patternmatcher.New rejects a rule
  where Match(rule, ".") fails, and Match reads a pattern only up to the first chunk that fails to match
  (`x*[]a]` passes, `*[]a]` does not: checked against the docker CLI);
- `patternmatcher_compile`: moby/patternmatcher's translation of a rule (`**` included) to Go's regexp text,
  byte for byte, quirks included: its escape bitmap misses `|`, `{`, `}` (so they reach the regexp raw),
  its text/scanner skips a leading BOM and reads an undecodable byte as U+FFFD, and a trailing backslash
  escapes the closing `$`. dkr copies all of it: what docker sends is what dkr sends;
- `go_regexp`: that Go regexp (RE2 syntax, Perl flags) parsed as Go's regexp/syntax parses it and written
  out for Python's re: ASCII \\d \\s \\w \\b, POSIX [[:digit:]], \\Q...\\E, \\x{...}, octal, Go's
  repetition rules, its errors (`\\é`, `\\1`, `[Local-Only]`), every class as explicit ranges. Searched,
  as Go's MatchString does (`^a|b$` finds a `b` anywhere at the end). Unicode classes (`\\pL`) are the one
  part it does not translate (UnsupportedPattern);
- `go_clean`: Go's filepath.Clean on slash paths.

Hand-written because Python's fnmatch/glob differ (`*` crosses `/`, `[!a]` negates, no `**`) and Python's re
reads the same regexp text differently. tests/unit/grammars/test_patternmatcher_oracle.py replays answers
recorded from patternmatcher and Go built as an oracle, and runs the differential fuzz against it.
"""

from __future__ import annotations

import posixpath
import re
from typing import Literal

#: how patternmatcher matches a rule: the whole path, a `dir/**` prefix, a `**/name` suffix, or its regexp
RuleKind = Literal["exact", "prefix", "suffix", "regexp"]


class PatternError(ValueError):
    """A .dockerignore rule docker would reject (Go's filepath.ErrBadPattern, or a lone `!`)."""


class UnsupportedPattern(PatternError):
    """A rule docker accepts and dkr refuses: Go's Unicode classes (`\\pL`, `\\p{Greek}`) in its regexp."""


def go_clean(path: str) -> str:
    """Go's filepath.Clean on a slash path (posixpath.normpath keeps a leading `//`; Go does not)."""
    cleaned = posixpath.normpath(path) if path else "."
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    return cleaned


def filepath_match_regex(pattern: str) -> re.Pattern[str]:
    """Go's filepath.Match, which the builder uses for wildcard sources: `*` and `?` stop at `/`, `[^...]`
    negates, a backslash escapes."""
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        i += 1
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "\\" and i < len(pattern):
            out.append(re.escape(pattern[i]))
            i += 1
        elif ch == "[":
            end, cls = _class_regex(pattern, i)
            if cls is None:  # malformed: check_pattern rejects it; take the `[` literally
                out.append(re.escape(ch))
                continue
            out.append(cls)
            i = end
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out) + r"\Z")


def _class_regex(pattern: str, i: int) -> tuple[int, str | None]:
    """The class whose `[` is just before pattern[i], read the way Go's matchChunk/getEsc read it (`\\x` is
    x, `-` only between two characters, `]` first is an error): its Python regexp and the index past its
    `]`, or None when malformed."""
    negate = pattern.startswith("^", i)
    i += 1 if negate else 0
    items: list[str] = []
    nrange = 0
    while True:
        if pattern.startswith("]", i) and nrange:
            body = "".join(items)
            if not body:  # only reversed ranges, which Go accepts and which match nothing
                return i + 1, "(?s:.)" if negate else "(?!)"
            return i + 1, "[" + ("^" if negate else "") + body + "]"
        lo, i = _class_char(pattern, i)
        if lo is None:
            return i, None
        hi = lo
        if pattern.startswith("-", i):
            upper, i = _class_char(pattern, i + 1)
            if upper is None:
                return i, None
            hi = upper
        if lo <= hi:  # Go: lo <= r <= hi; Python's re rejects a reversed range
            items.append(re.escape(lo) + ("-" + re.escape(hi) if hi != lo else ""))
        nrange += 1


def _class_char(pattern: str, i: int) -> tuple[str | None, int]:
    """Go's getEsc: one possibly escaped class character at pattern[i], and the index after it."""
    if i >= len(pattern) or pattern[i] in "-]":
        return None, i
    if pattern[i] == "\\":
        i += 1
        if i >= len(pattern):
            return None, i
    if i + 1 >= len(pattern):  # Go: the class needs its `]` after this character
        return None, i
    return pattern[i], i + 1


# --- Go's filepath.Match: docker checks each rule with Match(rule, ".") -----------------------------------
# On bytes, as Go does (a rule or path read with surrogateescape comes back to the same bytes): a class or
# `?` reads one UTF-8 rune, where an undecodable byte is one utf8.RuneError.


def _decode_rune(b: bytes) -> tuple[int, int]:
    """Go's utf8.DecodeRune on a non-empty byte string: the rune and its width (RuneError, 1 when invalid)."""
    if b[0] < 0x80:
        return b[0], 1
    for width in (2, 3, 4):
        try:
            return ord(b[:width].decode("utf-8")), width
        except UnicodeDecodeError:
            continue
    return 0xFFFD, 1


def _get_esc(chunk: bytes) -> tuple[int, bytes]:
    """Go's getEsc: one (possibly escaped) class character; returns it and the rest of the chunk."""
    if not chunk or chunk[:1] in (b"-", b"]"):
        raise PatternError("bad character class")
    if chunk[:1] == b"\\":
        chunk = chunk[1:]
        if not chunk:
            raise PatternError("trailing backslash in a character class")
    rune, width = _decode_rune(chunk)
    if rune == 0xFFFD and width == 1:
        raise PatternError("invalid UTF-8 in a character class")
    rest = chunk[width:]
    if not rest:
        raise PatternError("unterminated character class")
    return rune, rest


def _match_chunk(chunk: bytes, s: bytes) -> bytes | None:
    """Go's matchChunk: what is left of `s` once `chunk` matched its start, or None. A malformed chunk raises
    PatternError, also after a mismatch: Go reads the chunk to its end either way."""
    failed = False
    while chunk:
        failed = failed or not s
        c = chunk[:1]
        if c == b"[":
            rune = 0
            if not failed:
                rune, width = _decode_rune(s)
                s = s[width:]
            chunk = chunk[1:]
            negated = chunk[:1] == b"^"
            if negated:
                chunk = chunk[1:]
            match = False
            nrange = 0
            while True:
                if chunk[:1] == b"]" and nrange > 0:
                    chunk = chunk[1:]
                    break
                lo, chunk = _get_esc(chunk)
                hi = lo
                if chunk[:1] == b"-":
                    hi, chunk = _get_esc(chunk[1:])
                match = match or lo <= rune <= hi
                nrange += 1
            failed = failed or match == negated
        elif c == b"?":
            if not failed:
                failed = s[:1] == b"/"
                s = s[_decode_rune(s)[1] :]
            chunk = chunk[1:]
        else:
            if c == b"\\":
                chunk = chunk[1:]
                if not chunk:
                    raise PatternError("trailing backslash")
            if not failed:
                failed = chunk[0] != s[0]
                s = s[1:]
            chunk = chunk[1:]
    return None if failed else s


def _scan_chunk(pattern: bytes) -> tuple[bool, bytes, bytes]:
    """Go's scanChunk: whether stars lead, the chunk up to the next star outside a class, and the rest."""
    stripped = pattern.lstrip(b"*")
    star = len(stripped) != len(pattern)
    in_range = False
    i = 0
    while i < len(stripped):
        c = stripped[i : i + 1]
        if c == b"\\":
            if i + 1 < len(stripped):
                i += 1
        elif c == b"[":
            in_range = True
        elif c == b"]":
            in_range = False
        elif c == b"*" and not in_range:
            return star, stripped[:i], stripped[i:]
        i += 1
    return star, stripped, b""


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def go_match(pattern: str, name: str) -> bool:
    """Go's path/filepath.Match as the docker CLI's toolchain has it: PatternError (ErrBadPattern) for a
    malformed chunk it reads; once a chunk fails to match, the chunks after it are not read (so `x*[` does
    not match "." and is not an error, while `*[` is)."""
    pat, rest = _bytes(pattern), _bytes(name)
    while pat:
        star, chunk, pat = _scan_chunk(pat)
        if star and not chunk:
            return b"/" not in rest  # a trailing star matches the rest unless it has a slash
        t = _match_chunk(chunk, rest)
        if t is not None and (not t or pat):
            rest = t
            continue
        matched = False
        i = 0
        while star and i < len(rest) and rest[i : i + 1] != b"/":  # the star takes one byte more
            t = _match_chunk(chunk, rest[i + 1 :])
            i += 1
            if t is not None and (pat or not t):  # the last chunk must take the rest of the name
                rest, matched = t, True
                break
        if not matched:
            return False
    return not rest


def check_pattern(pattern: str) -> None:
    """Raise PatternError where patternmatcher.New rejects a rule: Go's filepath.Match(rule, ".") fails."""
    go_match(pattern, ".")


# --- moby/patternmatcher: a rule's kind and the Go regexp it compiles ------------------------------------

#: What patternmatcher's shouldEscape really escapes. Its bitmap is `[8]byte` indexed by `b%8` with bit
#: `b/8`, so for a byte of 64 or more the bit falls off the byte: `|`, `{` and `}` (124, 123, 125), listed to
#: be escaped, reach Go's regexp raw (`a|b*` is an alternation, `a{2}*` a repetition). dkr copies that.
_SHOULD_ESCAPE = frozenset(".+()$")


def patternmatcher_compile(pattern: str) -> tuple[RuleKind, str | None]:
    """moby/patternmatcher's Pattern.compile for a cleaned rule: its kind (exact | prefix "dir/**" | suffix
    "**/name" | regexp) and, for regexp, the Go regexp text docker builds, byte for byte. The rule is read
    with Go's text/scanner, which skips a leading byte order mark and reads an undecodable byte as U+FFFD."""
    chars = ["\ufffd" if "\udc80" <= c <= "\udcff" else c for c in pattern]
    if chars[:1] == ["\ufeff"]:
        del chars[0]
    out = ["^"]
    kind: RuleKind = "exact"
    i = 0
    first = True
    while i < len(chars):
        ch = chars[i]
        i += 1
        if ch == "*":
            if i < len(chars) and chars[i] == "*":
                i += 1
                if i < len(chars) and chars[i] == "/":
                    i += 1
                if i >= len(chars):
                    if kind == "exact":
                        kind = "prefix"
                    else:
                        out.append(".*")
                        kind = "regexp"
                else:
                    out.append("(.*/)?")
                    kind = "regexp"
                if first:
                    kind = "suffix"
            else:
                out.append("[^/]*")
                kind = "regexp"
        elif ch == "?":
            out.append("[^/]")
            kind = "regexp"
        elif ch in _SHOULD_ESCAPE:
            out.append("\\" + ch)
        elif ch == "\\":
            if i < len(chars):
                out.append("\\" + chars[i])
                i += 1
                kind = "regexp"
            else:
                out.append("\\")  # then "$" follows: Go's regexp reads `\$`, a literal dollar
        elif ch in "[]":
            out.append(ch)
            kind = "regexp"
        else:
            out.append(ch)
        first = False
    if kind != "regexp":
        return kind, None
    return kind, "".join(out) + "$"


def patternmatcher_regexp(pattern: str) -> tuple[RuleKind, re.Pattern[str] | None]:
    """The rule's kind and, for regexp, its Go regexp as a Python one (`search` it on a path passed through
    go_regexp_subject). Raises PatternError where Go's regexp.Compile fails, which docker only meets when it
    first evaluates the rule."""
    kind, text = patternmatcher_compile(pattern)
    return kind, None if text is None else go_regexp(text)


# --- Go's regexp syntax (RE2, Perl flags), translated to Python's re ---------------------------------------
# Go's classes are ASCII (\d, \s, \w, \b, [[:alpha:]]), Python's Unicode-aware; Go's \s has no \v; Go reads
# [[:digit:]], \Q...\E, \x{...} and octal escapes, rejects \é, \1 and \Z. Rather than patch Python's syntax,
# the Go text is parsed as Go's regexp/syntax parses it and every class is written out as explicit ranges.

_MAX_RUNE = 0x10FFFF
_Ranges = list[tuple[int, int]]
_PERL_GROUPS: dict[str, _Ranges] = {
    "d": [(0x30, 0x39)],
    "s": [(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)],
    "w": [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
}
_POSIX_GROUPS: dict[str, _Ranges] = {
    "alnum": [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)],
    "alpha": [(0x41, 0x5A), (0x61, 0x7A)],
    "ascii": [(0x00, 0x7F)],
    "blank": [(0x09, 0x09), (0x20, 0x20)],
    "cntrl": [(0x00, 0x1F), (0x7F, 0x7F)],
    "digit": [(0x30, 0x39)],
    "graph": [(0x21, 0x7E)],
    "lower": [(0x61, 0x7A)],
    "print": [(0x20, 0x7E)],
    "punct": [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
    "space": [(0x09, 0x0D), (0x20, 0x20)],
    "upper": [(0x41, 0x5A)],
    "word": [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
    "xdigit": [(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
}
_OCTAL = "01234567"
#: Go's parseRepeat: {n}, {n,}, {n,m}, no leading zeros (anything else is a literal `{`)
_REPEAT = re.compile(r"\{(0|[1-9][0-9]*)(,(0|[1-9][0-9]*)?)?\}")
_SIMPLE_ESCAPES = {"a": 0x07, "f": 0x0C, "n": 0x0A, "r": 0x0D, "t": 0x09, "v": 0x0B}


def _merge(ranges: _Ranges) -> _Ranges:
    merged: _Ranges = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _negate(ranges: _Ranges) -> _Ranges:
    out: _Ranges = []
    nxt = 0
    for lo, hi in _merge(ranges):
        if lo > nxt:
            out.append((nxt, lo - 1))
        nxt = hi + 1
    if nxt <= _MAX_RUNE:
        out.append((nxt, _MAX_RUNE))
    return out


def _class_text(ranges: _Ranges) -> str:
    ranges = _merge(ranges)
    if not ranges:
        return "(?!)"
    if ranges == [(0, _MAX_RUNE)]:
        return "(?s:.)"
    body = "".join(f"\\U{lo:08x}" + (f"-\\U{hi:08x}" if hi != lo else "") for lo, hi in ranges)
    return "[" + body + "]"


def _unhex(c: str) -> int:
    return int(c, 16) if c and c in "0123456789abcdefABCDEF" else -1


class _GoRegexp:
    """One pass over a Go regexp as regexp/syntax.Parse(text, syntax.Perl) reads it, writing Python's."""

    def __init__(self, text: str) -> None:
        self.t = text
        self.i = 0

    def fail(self, why: str) -> PatternError:
        return PatternError(f"{why} in the regexp `{self.t}`")

    def rune(self, i: int) -> int:
        c = self.t[i]
        if "\udc80" <= c <= "\udcff":
            raise self.fail("invalid UTF-8")
        return ord(c)

    def escape(self, i: int) -> tuple[int, int]:
        """parseEscape: the rune of the escape at t[i] (a backslash) and the index after it."""
        t = self.t
        i += 1
        if i >= len(t):
            raise self.fail("trailing backslash")
        c = t[i]
        self.rune(i)
        i += 1
        if c.isascii() and not c.isalnum():
            return ord(c), i  # escaped punctuation is itself
        if c in "1234567" and not (i < len(t) and t[i] in _OCTAL):
            raise self.fail(f"invalid escape \\{c} (no backreferences)")
        if c in _OCTAL:
            value = int(c)
            for _ in range(2):
                if i < len(t) and t[i] in _OCTAL:
                    value = value * 8 + int(t[i])
                    i += 1
            return value, i
        if c == "x":
            if i < len(t) and t[i] == "{":
                j = t.find("}", i + 1)
                digits = t[i + 1 : j] if j > i + 1 else ""
                if digits and all(_unhex(d) >= 0 for d in digits) and int(digits, 16) <= _MAX_RUNE:
                    return int(digits, 16), j + 1
            elif i + 1 < len(t) and _unhex(t[i]) >= 0 and _unhex(t[i + 1]) >= 0:
                return int(t[i : i + 2], 16), i + 2
            raise self.fail("invalid escape \\x")
        if c in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[c], i
        raise self.fail(f"invalid escape \\{c}")

    def perl_class(self, i: int) -> _Ranges | None:
        t = self.t
        if t.startswith("\\", i) and i + 1 < len(t) and t[i + 1] in "dDsSwW":
            group = _PERL_GROUPS[t[i + 1].lower()]
            return _negate(group) if t[i + 1].isupper() else group
        return None

    def unicode_class(self, i: int) -> None:
        if self.t.startswith(("\\p", "\\P"), i):
            raise UnsupportedPattern(
                f"dkr does not support Go's Unicode classes (\\p, \\P) in .dockerignore (regexp `{self.t}`)"
            )

    def char_class(self) -> str:
        """parseClass, at `[`: the class as explicit Python ranges."""
        t = self.t
        i = self.i + 1
        negate = t.startswith("^", i)
        i += negate
        ranges: _Ranges = []
        first = True
        while first or i >= len(t) or t[i] != "]":
            if i >= len(t):
                raise self.fail("missing closing ]")
            first = False
            if t.startswith("[:", i) and len(t) - i > 2:
                end = t.find(":]", i + 2)
                if end >= 0:
                    name = t[i + 2 : end]
                    group = _POSIX_GROUPS.get(name.removeprefix("^"))
                    if group is None:
                        raise self.fail(f"invalid character class [:{name}:]")
                    ranges += _negate(group) if name.startswith("^") else group
                    i = end + 2
                    continue
            self.unicode_class(i)
            perl = self.perl_class(i)
            if perl is not None:
                ranges += perl
                i += 2
                continue
            lo, i = self.class_char(i)
            hi = lo
            if i + 1 < len(t) and t[i] == "-" and t[i + 1] != "]":
                hi, i = self.class_char(i + 1)
                if hi < lo:
                    raise self.fail("invalid character class range")
            ranges.append((lo, hi))
        self.i = i + 1
        return _class_text(_negate(ranges) if negate else ranges)

    def class_char(self, i: int) -> tuple[int, int]:
        if i >= len(self.t):
            raise self.fail("missing closing ]")
        if self.t[i] == "\\":
            return self.escape(i)
        return self.rune(i), i + 1

    def repeat(self) -> tuple[str, int] | None:
        """parseRepeat at `{`: the Python quantifier and the index after `}`, or None for a literal `{`."""
        m = _REPEAT.match(self.t, self.i)
        if m is None:
            return None
        lo = int(m[1])
        hi = lo if m[2] is None else (-1 if m[3] is None else int(m[3]))
        if lo > 1000 or hi > 1000 or (hi >= 0 and lo > hi):
            raise self.fail(f"invalid repeat count {m[0]}")
        text = f"{{{lo}}}" if m[2] is None else (f"{{{lo},}}" if hi < 0 else f"{{{lo},{hi}}}")
        return text, m.end()

    def translate(self) -> str:
        t = self.t
        out: list[str] = []
        depth = 0
        operand = False  # Go's stack top can be repeated (not empty, not after `(` or `|`)
        last_repeat = False
        while self.i < len(t):
            c = t[self.i]
            repeated = False
            if c in "*+?{":
                quantifier: str | None = c
                end = self.i + 1
                if c == "{":
                    parsed = self.repeat()
                    quantifier, end = parsed if parsed is not None else (None, end)
                if quantifier is None:
                    out.append(re.escape("{"))
                    operand = True
                    self.i = end
                else:
                    if end < len(t) and t[end] == "?":
                        end += 1  # non-greedy: the same answer to "is there a match"
                    if last_repeat:
                        raise self.fail("invalid nested repetition operator")
                    if not operand:
                        raise self.fail("missing argument to repetition operator")
                    out.append(quantifier)
                    repeated = True
                    self.i = end
            elif c == "(":
                out.append("(?:")
                depth += 1
                operand = False
                self.i += 1
            elif c == ")":
                if not depth:
                    raise self.fail("unexpected )")
                depth -= 1
                out.append(")")
                operand = True
                self.i += 1
            elif c == "|":
                out.append("|")
                operand = False
                self.i += 1
            elif c == "[":
                out.append(self.char_class())
                operand = True
            elif c == "\\":
                out.append(self.backslash())
                operand = operand or out[-1] != ""
            else:
                self.rune(self.i)
                out.append({"^": "(?:^)", "$": "(?:\\Z)", ".": "."}.get(c, re.escape(c)))
                operand = True
                self.i += 1
            last_repeat = repeated
        if depth:
            raise self.fail("missing closing )")
        return "".join(out)

    def backslash(self) -> str:
        """A top-level escape: an assertion, \\Q...\\E, a Perl class or one character."""
        t, i = self.t, self.i
        nxt = t[i + 1] if i + 1 < len(t) else ""
        assertions = {"A": "(?:\\A)", "z": "(?:\\Z)", "b": "(?:\\b)", "B": "(?:\\B)"}
        if nxt in assertions:
            self.i += 2
            return assertions[nxt]
        if nxt == "C":
            raise self.fail("invalid escape \\C")
        if nxt == "Q":
            lit, _, _ = t[i + 2 :].partition("\\E")
            end = t.find("\\E", i + 2)
            self.i = len(t) if end < 0 else end + 2
            for k in range(len(lit)):
                self.rune(i + 2 + k)
            return "".join(re.escape(ch) for ch in lit)
        self.unicode_class(i)
        perl = self.perl_class(i)
        if perl is not None:
            self.i += 2
            return _class_text(perl)
        value, self.i = self.escape(i)
        return re.escape(chr(value))


def go_regexp(text: str) -> re.Pattern[str]:
    """Go's regexp.Compile(text) as a Python regexp with the same matches: `search` it (Go's MatchString
    looks anywhere: `^a|b$` finds `b` at the end) on go_regexp_subject(path). PatternError where Go fails."""
    translated = _GoRegexp(text).translate()
    try:
        return re.compile(translated, re.ASCII)
    except re.error as exc:  # a translation dkr got wrong: say so rather than guess
        raise PatternError(f"dkr cannot translate the regexp `{text}`: {exc}") from exc


_UNDECODABLE = re.compile("[\udc80-\udcff]")


def go_regexp_subject(path: str) -> str:
    """A path as Go's regexp reads it: each undecodable byte is one U+FFFD."""
    return _UNDECODABLE.sub("\ufffd", path)
