"""Pure: Go's glob syntaxes, as the docker tools apply them, in one place.

- `filepath_match_regex`: Go's path/filepath.Match, which the classic builder applies to wildcard COPY/ADD
  sources (`*` and `?` stop at `/`, `[^...]` negates, a backslash escapes);
- `check_pattern`: where filepath.Match reports ErrBadPattern, which is how docker decides that a
  .dockerignore rule is malformed;
- `patternmatcher_regexp`: moby/patternmatcher's translation of a rule (`**` included) to Go's regexp, which
  the docker CLI uses for .dockerignore (dkr.grammars.dockerignore applies it);
- `go_clean`: Go's filepath.Clean on slash paths.

Hand-written because Python's fnmatch/glob differ (`*` crosses `/`, `[!a]` negates, no `**`), and Go's
regexp syntax is translated to Python's here, where the two disagree (`\\z`, `$` before a newline).
"""

from __future__ import annotations

import posixpath
import re
import warnings
from typing import Literal

#: how patternmatcher matches a rule: the whole path, a `dir/**` prefix, a `**/name` suffix, or its regexp
RuleKind = Literal["exact", "prefix", "suffix", "regexp"]


class PatternError(ValueError):
    """A .dockerignore rule docker would reject (Go's filepath.ErrBadPattern, or a lone `!`)."""


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


# --- Go's filepath.Match syntax check: docker rejects a rule it calls malformed ---------------------------


def _get_esc(chunk: str) -> str:
    """Go's getEsc: one (possibly escaped) class character; returns the rest of the chunk."""
    if not chunk or chunk[0] in "-]":
        raise PatternError("bad class")
    if chunk[0] == "\\":
        chunk = chunk[1:]
        if not chunk:
            raise PatternError("trailing backslash in class")
    if "\udc80" <= chunk[0] <= "\udcff":  # an undecodable byte: Go's utf8.RuneError
        raise PatternError("invalid UTF-8")
    rest = chunk[1:]
    if not rest:
        raise PatternError("unterminated class")
    return rest


def _check_chunk(chunk: str) -> None:
    while chunk:
        c = chunk[0]
        if c == "[":
            chunk = chunk[1:]
            if chunk.startswith("^"):
                chunk = chunk[1:]
            ranges = 0
            while True:
                if chunk.startswith("]") and ranges > 0:
                    chunk = chunk[1:]
                    break
                chunk = _get_esc(chunk)
                if chunk[0] == "-":
                    chunk = _get_esc(chunk[1:])
                ranges += 1
        elif c == "\\":
            chunk = chunk[1:]
            if not chunk:
                raise PatternError("trailing backslash")
            chunk = chunk[1:]
        else:
            chunk = chunk[1:]


def _scan_chunk(pattern: str) -> tuple[str, str]:
    pattern = pattern.lstrip("*")
    in_range = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if i + 1 < len(pattern):
                i += 1
        elif c == "[":
            in_range = True
        elif c == "]":
            in_range = False
        elif c == "*" and not in_range:
            break
        i += 1
    return pattern[:i], pattern[i:]


def check_pattern(pattern: str) -> None:
    """Raise PatternError where Go's filepath.Match(pattern, ".") reports ErrBadPattern."""
    rest = pattern
    while rest:
        chunk, rest = _scan_chunk(rest)
        _check_chunk(chunk)


#: Characters docker escapes before building its regexp (patternmatcher's shouldEscape).
_ESCAPED = set(".+()|{}$")
#: Backslash escapes that mean the same in Go's regexp and Python's re; `\z` is Python's `\Z`.
_SAME_ESCAPES = set("dDsSwWbBAaftnrv")


def patternmatcher_regexp(pattern: str) -> tuple[RuleKind, re.Pattern[str] | None]:
    """moby/patternmatcher's Pattern.compile: the same regexp text docker builds, and the same decision to
    skip the regexp for exact / prefix ("dir/**") / suffix ("**/name") rules, whose results can differ from
    it. Returns the kind (exact | prefix | suffix | regexp) and, for regexp, the compiled regexp."""
    out = ["^"]
    kind: RuleKind = "exact"
    i = 0
    n = 0
    while i < len(pattern):
        ch = pattern[i]
        i += 1
        if ch == "*":
            if i < len(pattern) and pattern[i] == "*":
                i += 1
                if i < len(pattern) and pattern[i] == "/":
                    i += 1
                if i >= len(pattern):
                    if kind == "exact":
                        kind = "prefix"
                    else:
                        out.append(".*")
                        kind = "regexp"
                else:
                    out.append("(.*/)?")
                    kind = "regexp"
                if n == 0:
                    kind = "suffix"
            else:
                out.append("[^/]*")
                kind = "regexp"
        elif ch == "?":
            out.append("[^/]")
            kind = "regexp"
        elif ch in _ESCAPED:
            out.append("\\" + ch)
        elif ch == "\\":
            if i < len(pattern):
                out.append(_escape(pattern[i]))
                i += 1
                kind = "regexp"
            else:
                out.append("\\\\")
        elif ch in "[]":
            out.append(ch)
            kind = "regexp"
        else:
            out.append(ch)
        n += 1
    if kind != "regexp":
        return kind, None
    out.append(r"\Z")  # Go's `$` never matches before a trailing newline; Python's does
    with warnings.catch_warnings():
        # Go's regexp takes "[[]" or "[a&&b]" literally; Python agrees but warns about the future
        warnings.simplefilter("ignore", FutureWarning)
        try:
            return kind, re.compile("".join(out))
        except re.error as exc:
            raise PatternError(str(exc)) from exc


def _escape(ch: str) -> str:
    """`\\x` in a rule: docker passes it to Go's regexp as is; say the same thing in Python's syntax."""
    if ch == "z":
        return r"\Z"
    if ch in _SAME_ESCAPES:
        return "\\" + ch
    if ch.isascii() and ch.isalnum():
        # Go's regexp rejects most of these too (docker then stops sending the context half-way)
        raise PatternError(f"unsupported escape \\{ch}")
    return re.escape(ch)
