"""Pure: `.dockerignore` exactly as the docker CLI reads and applies it (moby/patternmatcher v0.6).

Why not the SDK's matcher (docker.utils.build.PatternMatcher / exclude_paths): it differs from the docker
CLI in ways that change which files reach the image, each pinned by a test in tests/unit/test_build_ignore.py:
- it lower-cases both the pattern and the path (docker/utils/fnmatch.py), so `Secret*` also drops
  `secret.txt`; docker's matching is case-sensitive on Linux;
- it reads `[!a]` as "not a" and `[^a]` as "^ or a"; docker hands classes to Go's regexp, where it is the
  opposite, and it drops docker's backslash escapes (`a\\*b` matches the name `a*b` in docker);
- it checks every parent prefix of a path against every rule; the CLI's tar walk (go-archive
  TarWithOptions + MatchesUsingParentResults) inherits, per rule, only whether the parent folder matched
  it, and only when the rule was evaluated there; with `!` rules the results differ (docker-py #1514 and
  #1276 record earlier rounds of this drift);
- it keeps descending into an excluded folder when some `!` rule merely starts with the folder's name
  (`!foo*/keep` keeps `foo/keep`); docker descends only when `<rule>/` starts with `<folder>/`;
- its reader strips a line before looking for `#`, keeps a UTF-8 BOM, and appends `!Dockerfile` even when the
  Dockerfile is not excluded (docker only adds it when it is: TrimBuildFilesFromExcludes).
This module is the one place dkr decides what is sent; build/context.py walks the folder with it.

Where docker's own matcher is buggy, dkr copies it (identical contexts: what docker sends is what dkr
sends): `|`, `{`, `}` reach Go's regexp unescaped (`*.log|*.tmp` is an alternation, `*.{js,ts}` no brace
expansion); a BOM is stripped from the first line only, and a later one stays in its rule (then skipped by
the regexp, kept by an exact rule). A rule is checked as lazily as docker checks it: Go's filepath.Match
against "." when read, its regexp only when a walk first evaluates it (so `[Local-Only]` or `x\\é*` after a
`*` that matches everything is no error). Two refusals where docker goes on: a rule with Go's Unicode classes
(`\\pL`, untranslated), and a bad rule that only docker's tar walk reaches, where docker stops sending the
context half-way and builds anyway.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from dkr.grammars.goglob import (
    PatternError,
    RuleKind,
    UnsupportedPattern,
    check_pattern,
    go_clean,
    go_regexp,
    go_regexp_subject,
    patternmatcher_compile,
)

_BOM = "\ufeff"
#: bufio.Scanner's MaxScanTokenSize: a line (without its \n) this long fails ignorefile.ReadAll
_MAX_LINE = 64 * 1024
#: Go's unicode.IsSpace (str.strip() would also strip the \x1c-\x1f separators, which Go keeps).
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    map(chr, range(0x2000, 0x200B))
)


def read_patterns(text: str) -> list[str]:
    """The rules of a .dockerignore file, as the CLI's ignorefile.ReadAll returns them (PatternError for a
    line of 64 KiB or more, which makes docker fail)."""
    patterns: list[str] = []
    # bufio.ScanLines: split on \n only, and drop one \r before it
    lines = text.split("\n")
    if any(len(line.encode("utf-8", "surrogateescape")) >= _MAX_LINE for line in lines):
        raise PatternError("a line is 64 KiB or longer (docker: bufio.Scanner: token too long)")
    for number, raw in enumerate(lines):
        line = raw.removesuffix("\r")
        if (
            number == 0
        ):  # only the first line: a BOM further down stays in its rule (see patternmatcher_compile)
            line = line.removeprefix(_BOM)
        # docker looks for a comment before trimming: "  # x" is a rule for a file named "# x"
        if line.startswith("#"):
            continue
        line = line.strip(_GO_SPACE)
        if not line:
            continue
        invert = line.startswith("!")
        if invert:
            line = line[1:].strip(_GO_SPACE)
        if line:
            line = go_clean(line)
            if len(line) > 1 and line.startswith("/"):
                line = line[1:]
        patterns.append("!" + line if invert else line)
    return patterns


# --- one rule ----------------------------------------------------------------------------------------------


@dataclass
class Rule:
    """One cleaned rule, matched the way patternmatcher's Pattern.match does (with its fast paths). Its Go
    regexp is compiled when the rule is first evaluated, as docker does: a rule that Go's regexp rejects
    (`[Local-Only]`, `a\\é*`) passes patternmatcher.New and fails only when a walk reaches it."""

    text: str
    exclusion: bool
    kind: RuleKind = field(init=False)
    regexp_text: str | None = field(init=False, default=None)
    _regexp: re.Pattern[str] | None = field(init=False, default=None, repr=False)
    _error: PatternError | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self.dirs = self.text.split("/")
        self.kind, self.regexp_text = patternmatcher_compile(self.text)
        if self.kind == "suffix" and not self.text.startswith("**"):
            # a rule whose `**` follows a byte order mark (text/scanner skips it): docker still cuts the
            # first two *bytes* off the rule, so the suffix is "\xbf**..." and matches nothing
            self._suffix_bytes = self.text.encode("utf-8", "surrogateescape")[2:]

    def compile_error(self) -> PatternError | None:
        """Why Go's regexp.Compile rejects this rule's regexp, or None (compiling it once)."""
        if self.regexp_text is not None and self._regexp is None and self._error is None:
            try:
                self._regexp = go_regexp(self.regexp_text)
            except PatternError as exc:
                if isinstance(exc, UnsupportedPattern):
                    self._error = UnsupportedPattern(f"rule {self.text!r}: {exc}")
                else:
                    self._error = PatternError(f"invalid pattern {self.text!r}: {exc}")
        return self._error

    def match(self, path: str) -> bool:
        if self.kind == "exact":
            return path == self.text
        if self.kind == "prefix":
            return path.startswith(self.text[:-2])
        if self.kind == "suffix":
            if not self.text.startswith("**"):
                return path.encode("utf-8", "surrogateescape").endswith(self._suffix_bytes)
            suffix = self.text[2:]
            if path.endswith(suffix):
                return True
            return suffix.startswith("/") and path == suffix[1:]
        error = self.compile_error()
        if error is not None:
            raise error
        assert self._regexp is not None
        return self._regexp.search(go_regexp_subject(path)) is not None


class Matcher:
    """patternmatcher.PatternMatcher: an ordered list of rules, the last matching one wins."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.rules: list[Rule] = []
        for raw in patterns:
            text = raw.strip(_GO_SPACE)
            if not text:
                continue
            text = go_clean(text)
            exclusion = text.startswith("!")
            if exclusion:
                if len(text) == 1:
                    raise PatternError('illegal exclusion pattern: "!"')
                text = text[1:]
            try:
                check_pattern(text)
            except PatternError as exc:
                raise PatternError(f"invalid pattern {text!r}: {exc}") from exc
            rule = Rule(text, exclusion)
            if isinstance(error := rule.compile_error(), UnsupportedPattern):
                raise error  # docker accepts it; dkr says so now rather than half-way through a walk
            self.rules.append(rule)
        self.exclusions = any(r.exclusion for r in self.rules)

    def matches_legacy(self, path: str) -> bool:
        """The deprecated patternmatcher.Matches (one parent prefix, as long as the rule), which the CLI still
        uses to decide whether the Dockerfile and .dockerignore need a `!` rule of their own. A rule Go's
        regexp rejects makes it false, as TrimBuildFilesFromExcludes ignores Matches' error."""
        try:
            return self._matches_legacy(go_clean(path))
        except PatternError:
            return False

    def _matches_legacy(self, path: str) -> bool:
        if path == ".":
            return False
        parent = posixpath.dirname(path) or "."
        parent_dirs = parent.split("/")
        matched = False
        for rule in self.rules:
            if rule.exclusion != matched:
                continue
            hit = rule.match(path)
            if not hit and parent != "." and len(rule.dirs) <= len(parent_dirs):
                hit = _quiet_match(rule, "/".join(parent_dirs[: len(rule.dirs)]))
            if hit:
                matched = not rule.exclusion
        return matched

    def matches(self, path: str, parent: Sequence[bool] | None = None) -> tuple[bool, list[bool]]:
        """MatchesUsingParentResults: is `path` excluded, given what each rule said about its folder? Returns
        the answer and what each rule said about `path` (for its children)."""
        inherited = list(parent) if parent else []
        matched = False
        info = [False] * len(self.rules)
        for i, rule in enumerate(self.rules):
            hit = inherited[i] if inherited else False
            if not hit:
                if rule.exclusion != matched:
                    continue
                hit = rule.match(path)
                if not hit and not inherited:
                    hit = _parent_matches(rule, path)
            info[i] = hit
            if hit:
                matched = not rule.exclusion
        return matched, info

    def matches_or_parent(self, path: str) -> bool:
        """MatchesOrParentMatches, which the docker CLI's ValidateContextDirectory walk uses (before it sends
        anything): the path, else any of its parent folders, per rule. Raises PatternError as docker does when
        it evaluates a rule Go's regexp rejects."""
        matched = False
        for rule in self.rules:
            if rule.exclusion != matched:
                continue
            if rule.match(path) or _parent_matches(rule, path):
                matched = not rule.exclusion
        return matched

    def compile_errors(self) -> list[PatternError]:
        """The rules whose regexp Go rejects: docker fails only if its walks evaluate them."""
        return [error for rule in self.rules if (error := rule.compile_error()) is not None]

    def keeps_descending(self, folder: str) -> bool:
        """An excluded folder is still walked when a `!` rule could re-include something under it: docker's
        test is that `<rule>/` starts with `<folder>/` (so `!foo*/keep` does not rescue `foo/keep`)."""
        prefix = folder + "/"
        return any(r.exclusion and (r.text + "/").startswith(prefix) for r in self.rules)


def _quiet_match(rule: Rule, path: str) -> bool:
    """A parent folder's check: patternmatcher ignores its error (the rule already compiled on the path)."""
    try:
        return rule.match(path)
    except PatternError:
        return False


def _parent_matches(rule: Rule, path: str) -> bool:
    folder = posixpath.dirname(path)
    if not folder:
        return False
    parts = folder.split("/")
    return any(_quiet_match(rule, "/".join(parts[: k + 1])) for k in range(len(parts)))


def build_excludes(patterns: Sequence[str], dockerfile: str) -> list[str]:
    """TrimBuildFilesFromExcludes: the Dockerfile and .dockerignore are always sent (the Engine drops them
    again if the rules exclude them), by adding `!` rules only when the rules would exclude them."""
    result = list(patterns)
    try:
        legacy = Matcher(result)
    except PatternError:
        return result  # reported when the real matcher is built
    if legacy.matches_legacy(".dockerignore"):
        result.append("!.dockerignore")
    if Matcher(result).matches_legacy(dockerfile):
        result.append("!" + dockerfile)
    return result
