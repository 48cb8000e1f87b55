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
This module is the one place dkr decides what is sent; buildcontext.py walks the folder with it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from dkr.grammars.goglob import PatternError, RuleKind, check_pattern, go_clean, patternmatcher_regexp

_BOM = "\ufeff"
#: Go's unicode.IsSpace (str.strip() would also strip the \x1c-\x1f separators, which Go keeps).
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    map(chr, range(0x2000, 0x200B))
)


def read_patterns(text: str) -> list[str]:
    """The rules of a .dockerignore file, as the CLI's ignorefile.ReadAll returns them."""
    patterns: list[str] = []
    # bufio.ScanLines: split on \n only, and drop one \r before it
    for number, raw in enumerate(text.split("\n")):
        line = raw.removesuffix("\r")
        if number == 0:
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
    """One cleaned rule, matched the way patternmatcher's Pattern.match does (with its fast paths)."""

    text: str
    exclusion: bool
    kind: RuleKind = field(init=False)
    regexp: re.Pattern[str] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.dirs = self.text.split("/")
        self._compile()

    def _compile(self) -> None:
        self.kind, self.regexp = patternmatcher_regexp(self.text)

    def match(self, path: str) -> bool:
        if self.kind == "exact":
            return path == self.text
        if self.kind == "prefix":
            return path.startswith(self.text[:-2])
        if self.kind == "suffix":
            suffix = self.text[2:]
            if path.endswith(suffix):
                return True
            return suffix.startswith("/") and path == suffix[1:]
        assert self.regexp is not None
        return self.regexp.match(path) is not None


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
                self.rules.append(Rule(text, exclusion))
            except PatternError as exc:
                raise PatternError(f"invalid pattern {text!r}: {exc}") from exc
        self.exclusions = any(r.exclusion for r in self.rules)

    def matches_legacy(self, path: str) -> bool:
        """The deprecated patternmatcher.Matches (one parent prefix, as long as the rule), which the CLI still
        uses to decide whether the Dockerfile and .dockerignore need a `!` rule of their own."""
        path = go_clean(path)
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
                hit = rule.match("/".join(parent_dirs[: len(rule.dirs)]))
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
                    folder = posixpath.dirname(path)
                    if folder:
                        parts = folder.split("/")
                        for k in range(len(parts)):
                            if rule.match("/".join(parts[: k + 1])):
                                hit = True
                                break
            info[i] = hit
            if hit:
                matched = not rule.exclusion
        return matched, info

    def keeps_descending(self, folder: str) -> bool:
        """An excluded folder is still walked when a `!` rule could re-include something under it: docker's
        test is that `<rule>/` starts with `<folder>/` (so `!foo*/keep` does not rescue `foo/keep`)."""
        prefix = folder + "/"
        return any(r.exclusion and (r.text + "/").startswith(prefix) for r in self.rules)


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
