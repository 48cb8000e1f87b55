"""Go's glob syntaxes (dkr.grammars.goglob) against upstream's own tables, read for the facts:
golang/go src/path/filepath/match_test.go (14c40f9472) `matchTests`, and moby/patternmatcher
patternmatcher_test.go (1d6a3f429b) `compileTests` and the `TestMatches` rows that
tests/unit/grammars/test_dockerignore.py does not already carry; and Go's regexp syntax as docker's rules
reach it (regexp/syntax, Perl flags)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkr.grammars.dockerignore import Rule
from dkr.grammars.goglob import (
    PatternError,
    filepath_match_regex,
    go_clean,
    go_match,
    go_regexp,
    go_regexp_subject,
    patternmatcher_compile,
)

BAD = "ErrBadPattern"


def _go(pattern: str, s: str, match: bool, err: str | None = None) -> object:
    return pytest.param(pattern, s, match, err, id=f"{pattern} ~ {s}")


# --- path/filepath: matchTests, every row, in upstream's order ------------------------------------------
# Go's matchChunk reads a chunk (the text between stars) to its end even after a mismatch, so "a[" against
# "x" is ErrBadPattern; but Match does not read the chunks after one that failed: "x*[]a]" against "." is
# (false, nil), and so patternmatcher.New accepts it (the docker CLI, go1.24, builds with it: checked with
# `docker build`). go_match is Match itself: each row checks both the answer and the error.

MATCH_TESTS = [
    _go("abc", "abc", True),
    _go("*", "abc", True),
    _go("*c", "abc", True),
    _go("a*", "a", True),
    _go("a*", "abc", True),
    _go("a*", "ab/c", False),
    _go("a*/b", "abc/b", True),
    _go("a*/b", "a/c/b", False),
    _go("a*b*c*d*e*/f", "axbxcxdxe/f", True),
    _go("a*b*c*d*e*/f", "axbxcxdxexxx/f", True),
    _go("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", False),
    _go("a*b*c*d*e*/f", "axbxcxdxexxx/fff", False),
    _go("a*b?c*x", "abxbbxdbxebxczzx", True),
    _go("a*b?c*x", "abxbbxdbxebxczzy", False),
    _go("ab[c]", "abc", True),
    _go("ab[b-d]", "abc", True),
    _go("ab[e-g]", "abc", False),
    _go("ab[^c]", "abc", False),
    _go("ab[^b-d]", "abc", False),
    _go("ab[^e-g]", "abc", True),
    _go("a\\*b", "a*b", True),
    _go("a\\*b", "ab", False),
    _go("a?b", "a☺b", True),
    _go("a[^a]b", "a☺b", True),
    _go("a???b", "a☺b", False),
    _go("a[^a][^a][^a]b", "a☺b", False),
    _go("[a-ζ]*", "α", True),  # noqa: RUF001 (Greek alpha, as upstream)
    _go("*[a-ζ]", "A", False),
    _go("a?b", "a/b", False),
    _go("a*b", "a/b", False),
    _go("[\\]a]", "]", True),
    _go("[\\-]", "-", True),
    _go("[x\\-]", "x", True),
    _go("[x\\-]", "-", True),
    _go("[x\\-]", "z", False),
    _go("[\\-x]", "x", True),
    _go("[\\-x]", "-", True),
    _go("[\\-x]", "a", False),
    _go("[]a]", "]", False, BAD),
    _go("[-]", "-", False, BAD),
    _go("[x-]", "x", False, BAD),
    _go("[x-]", "-", False, BAD),
    _go("[x-]", "z", False, BAD),
    _go("[-x]", "x", False, BAD),
    _go("[-x]", "-", False, BAD),
    _go("[-x]", "a", False, BAD),
    _go("\\", "a", False, BAD),
    _go("[a-b-c]", "a", False, BAD),
    _go("[", "a", False, BAD),
    _go("[^", "a", False, BAD),
    _go("[^bc", "a", False, BAD),
    _go("a[", "a", False, BAD),
    _go("a[", "ab", False, BAD),
    _go("a[", "x", False, BAD),
    _go("a/b[", "x", False, BAD),
    _go("*x", "xxx", True),
]


@pytest.mark.parametrize(("pattern", "s", "match", "err"), MATCH_TESTS)
def test_filepath_match(pattern: str, s: str, match: bool, err: str | None) -> None:
    if err == BAD:
        with pytest.raises(PatternError):
            go_match(pattern, s)
        return
    assert go_match(pattern, s) is match
    if "☺" not in s and "α" not in s:  # noqa: RUF001 (the builder's COPY matcher works on characters)
        assert bool(filepath_match_regex(pattern).match(s)) is match


LITERAL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz/.", max_size=12)


@given(p=LITERAL, other=LITERAL, same=st.booleans())
def test_literal_pattern_matches_only_itself(p: str, other: str, same: bool) -> None:
    s = p if same else other
    assert bool(filepath_match_regex(p).match(s)) is (p == s)


# --- moby/patternmatcher: compileTests (TestCompile, the "/" separator) -----------------------------------
# patternmatcher_compile returns the Go regexp text itself, byte for byte.


@pytest.mark.parametrize(
    ("pattern", "kind", "go_text"),
    [
        pytest.param("*", "regexp", "^[^/]*$", id="*"),
        pytest.param("file*", "regexp", "^file[^/]*$", id="file*"),
        pytest.param("*file", "regexp", "^[^/]*file$", id="*file"),
        pytest.param("a*/b", "regexp", "^a[^/]*/b$", id="a*/b"),
        pytest.param("**", "suffix", None, id="**"),
        pytest.param("**/**", "regexp", "^(.*/)?.*$", id="**/**"),
        pytest.param("dir/**", "prefix", None, id="dir/**"),
        pytest.param("**/dir", "suffix", None, id="**/dir"),
        pytest.param("**/dir2/*", "regexp", "^(.*/)?dir2/[^/]*$", id="**/dir2/*"),
        pytest.param("**/dir2/**", "regexp", "^(.*/)?dir2/.*$", id="**/dir2/**"),
        pytest.param("**file", "suffix", None, id="**file"),
        pytest.param("**/file*txt", "regexp", "^(.*/)?file[^/]*txt$", id="**/file*txt"),
        pytest.param("**/**/*.txt", "regexp", "^(.*/)?(.*/)?[^/]*\\.txt$", id="**/**/*.txt"),
        pytest.param("a[b-d]e", "regexp", "^a[b-d]e$", id="a[b-d]e"),
        pytest.param(".*", "regexp", "^\\.[^/]*$", id=".*"),
        pytest.param("abc.def", "exact", None, id="abc.def"),
        pytest.param("abc?def", "regexp", "^abc[^/]def$", id="abc?def"),
        pytest.param("**/foo/bar", "suffix", None, id="**/foo/bar"),
        pytest.param("a(b)c/def", "exact", None, id="a(b)c/def"),
        pytest.param("a.|)$(}+{bc", "exact", None, id="a.|)$(}+{bc"),
        pytest.param(
            "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", "exact", None, id="dist-wheel-name"
        ),
    ],
)
def test_patternmatcher_compile(pattern: str, kind: str, go_text: str | None) -> None:
    assert patternmatcher_compile(go_clean(pattern)) == (kind, go_text)  # upstream compiles path.Clean


# --- moby/patternmatcher: TestMatches rows not in test_dockerignore.py ----------------------------------
# test_dockerignore.py walks the rules through dkr's Matcher (the "excluded or parent excluded" column);
# these are the remaining (pattern, text) rows, checked on patternmatcher_regexp directly the way
# Pattern.match dispatches on the kind. `exact`: MatchesExact is true; `inexact`: only a parent folder
# matches (MatchesOrParentMatches is true); `fail`: neither. Texts are not cleaned, as upstream.


def _pattern_match(pattern: str, path: str) -> bool:
    """patternmatcher's Pattern.match for a cleaned pattern."""
    return Rule(pattern, exclusion=False).match(path)


def _or_parent_matches(pattern: str, path: str) -> bool:
    """MatchesOrParentMatches for one rule: the path, else any of its parent folders from the top."""
    if _pattern_match(pattern, path):
        return True
    parent = go_clean(path[: path.rfind("/") + 1])  # Go's filepath.Dir
    if parent == ".":
        return False
    dirs = parent.split("/")
    return any(_pattern_match(pattern, "/".join(dirs[: k + 1])) for k in range(len(dirs)))


WHEEL = "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"


@pytest.mark.parametrize(
    ("pattern", "text", "result"),
    [
        pytest.param(p, t, r, id=f"{p} ~ {t}")
        for p, t, r in [
            ("**", "file/", "exact"),
            ("**/", "file/", "exact"),
            ("**", "/", "exact"),
            ("**/", "/", "exact"),
            ("**/", "dir/file", "exact"),
            ("**", "dir/file/", "exact"),
            ("**/", "dir/file/", "exact"),
            ("**/**", "dir/file/", "exact"),
            ("dir/**", "dir/file/", "exact"),
            ("dir/**", "dir/dir2/file/", "exact"),
            ("**/dir2/*", "dir/dir2/file/", "inexact"),
            ("**/dir2/**", "dir/dir2/dir3/file/", "exact"),
            ("**/file", "dir/file", "exact"),
            ("**file", "dir/dir/file", "exact"),
            ("**/file", "dir/dir/file", "exact"),
            ("**/file*", "dir/dir/file", "exact"),
            ("**/file*.txt", "dir/dir/file.txt", "exact"),
            ("**/file*.txt*", "dir/dir/file.txt", "exact"),
            ("**/**/*.txt", "dir/dir/file.txt", "exact"),
            ("**/**/*.txt", "file.txt", "exact"),
            ("a**/*.txt", "a/file.txt", "exact"),
            ("a**/*.txt", "a/dir/file.txt", "exact"),
            ("a/*.txt**", "a/file.txt", "exact"),
            ("a[b-d]e", "ae", "fail"),
            ("abc.def", "abcdef", "fail"),
            ("abc.def", "abc.def", "exact"),
            ("abc?def", "abcdef", "fail"),
            ("**/foo/bar", "foo/bar", "exact"),
            ("**/foo/bar", "dir/foo/bar", "exact"),
            ("**/foo/bar", "dir/dir2/foo/bar", "exact"),
            ("abc/**", "abc/def", "exact"),
            ("**/.foo", ".foo", "exact"),
            ("a(b)c/def", "a(b)c/xyz", "fail"),
            (WHEEL, WHEEL, "exact"),
        ]
    ],
)
def test_patternmatcher_matches(pattern: str, text: str, result: str) -> None:
    cleaned = go_clean(pattern)  # New() cleans each rule
    assert _pattern_match(cleaned, text) is (result == "exact")
    assert _or_parent_matches(cleaned, text) is (result != "fail")


# --- Go's regexp syntax, as the rules reach it ------------------------------------------------------------
# Python's re reads the same text differently: its \d \s \w \b are Unicode-aware and its \s has \v; it has
# no [[:digit:]], \Q...\E or \x{...}; it accepts \é, {,2} and \Z, and reads \1 as a backreference. The
# expectations below are Go's (each was put to the patternmatcher oracle, see test_patternmatcher_oracle.py).


@pytest.mark.parametrize(
    ("go_text", "subject", "found"),
    [
        pytest.param(r"^a\s$", "a\v", False, id="go-space-has-no-vt"),
        pytest.param(r"^a\s$", "a\u00a0", False, id="space-is-ascii"),
        pytest.param(r"^a\s$", "a\t", True, id="space-tab"),
        pytest.param(r"^\d$", "٣", False, id="digit-is-ascii"),
        pytest.param(r"^\w$", "é", False, id="word-is-ascii"),
        pytest.param(r"^\W$", "é", True, id="non-word-is-unicode"),
        pytest.param(r"^x\b", "xé", True, id="boundary-is-ascii"),
        pytest.param(r"^x\B", "xé", False, id="non-boundary-is-ascii"),
        pytest.param(r"^[[:digit:]]$", "7", True, id="posix-digit"),
        pytest.param(r"^[[:digit:]]$", ":", False, id="posix-is-no-set-of-letters"),
        pytest.param(r"^[[:^alpha:]]$", "é", True, id="posix-negated"),
        pytest.param(r"^[[:space:]]$", "\v", True, id="posix-space-has-vt"),
        pytest.param(r"^[\d\s]$", "\v", False, id="perl-classes-in-a-class"),
        pytest.param(r"^[^\S]$", "\v", False, id="negated-non-space"),
        pytest.param(r"^[^a]$", "\n", True, id="negated-class-takes-newline"),
        pytest.param(r"^\Q*.\E[^/]*$", "*.x", True, id="quoted-literal"),
        pytest.param(r"^\Q*.\E[^/]*$", "a.x", False, id="quoted-is-literal"),
        pytest.param(r"^\x41\101\x{263a}$", "AA☺", True, id="hex-octal-braced"),
        pytest.param(r"^x{,2}$", "x{,2}", True, id="brace-without-min-is-literal"),
        pytest.param(r"^x{01}$", "x{01}", True, id="leading-zero-is-literal"),
        pytest.param(r"^x{2}$", "xx", True, id="repeat"),
        pytest.param(r"^{2}a$", "a", True, id="repeat-of-an-anchor"),
        pytest.param(r"^a|b$", "xb", True, id="alternation-found-anywhere"),
        pytest.param(r"^a|b$", "ax", True, id="alternation-first-branch"),
        pytest.param(r"^a$", "a\n", False, id="dollar-is-end-of-text"),
        pytest.param(r"^\.$", "\ufffd", False, id="literal-dot"),
        pytest.param("^\ufffd$", go_regexp_subject("\udcff"), True, id="undecodable-byte-is-fffd"),
    ],
)
def test_go_regexp_semantics(go_text: str, subject: str, found: bool) -> None:
    assert (go_regexp(go_text).search(subject) is not None) is found


@pytest.mark.parametrize(
    "go_text",
    [
        pytest.param(r"^\é$", id="escaped-non-ascii"),
        pytest.param(r"^\1$", id="backreference"),
        pytest.param(r"^\8$", id="eight"),
        pytest.param(r"^\Z$", id="capital-z"),
        pytest.param(r"^\C$", id="any-byte"),
        pytest.param(r"^\q$", id="unknown-letter"),
        pytest.param(r"^\x4$", id="short-hex"),
        pytest.param(r"^\x{}$", id="empty-braced-hex"),
        pytest.param(r"^\x{110000}$", id="beyond-unicode"),
        pytest.param(r"^[\b]$", id="backspace-in-class"),
        pytest.param(r"^[[:nope:]]$", id="unknown-posix-class"),
        pytest.param(r"^[Local-Only]$", id="reversed-range"),
        pytest.param(r"^[a$", id="missing-bracket"),
        pytest.param(r"^x{1001}$", id="repeat-too-large"),
        pytest.param(r"^x{3,2}$", id="repeat-reversed"),
        pytest.param(r"^x*{2}$", id="nested-repeat"),
        pytest.param(r"^a|*$", id="repeat-after-bar"),
        pytest.param("^\\", id="trailing-backslash"),
    ],
)
def test_go_regexp_rejects(go_text: str) -> None:
    with pytest.raises(PatternError):
        go_regexp(go_text)


@pytest.mark.parametrize(
    ("rule", "kind", "go_text"),
    [
        pytest.param("a|b*", "regexp", "^a|b[^/]*$", id="bar-unescaped"),
        pytest.param("*.{js,ts}", "regexp", "^[^/]*\\.{js,ts}$", id="braces-unescaped"),
        pytest.param("a.|)$(}+{bc", "exact", None, id="escape-bitmap-upstream-row"),
        pytest.param("\ufeffx*", "regexp", "^x[^/]*$", id="leading-bom-skipped"),
        pytest.param("\ufeff**/x", "suffix", None, id="bom-then-globstar-is-suffix"),
        pytest.param("x*\\", "regexp", "^x[^/]*\\$", id="trailing-backslash-escapes-the-anchor"),
        pytest.param("a\udcff*", "regexp", "^a\ufffd[^/]*$", id="undecodable-byte-read-as-fffd"),
    ],
)
def test_patternmatcher_regexp_text(rule: str, kind: str, go_text: str | None) -> None:
    assert patternmatcher_compile(rule) == (kind, go_text)
