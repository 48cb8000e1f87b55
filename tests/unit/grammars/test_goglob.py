"""Go's glob syntaxes (dkr.grammars.goglob) against upstream's own tables, read for the facts:
golang/go src/path/filepath/match_test.go (14c40f9472) `matchTests`, and moby/patternmatcher
patternmatcher_test.go (1d6a3f429b) `compileTests` and the `TestMatches` rows that
tests/unit/grammars/test_dockerignore.py does not already carry."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkr.grammars.goglob import (
    PatternError,
    check_pattern,
    filepath_match_regex,
    go_clean,
    patternmatcher_regexp,
)

BAD = "ErrBadPattern"


def _go(pattern: str, s: str, match: bool, err: str | None = None) -> object:
    return pytest.param(pattern, s, match, err, id=f"{pattern} ~ {s}")


# --- path/filepath: matchTests, every row, in upstream's order ------------------------------------------
# Go's Match used to return (false, nil) for a malformed pattern once a chunk failed to match before the
# bad part was reached (the old row {"a[", "a", false, nil}). Since Go 1.16 Match checks the rest of the
# pattern before it returns false, so the table now says ErrBadPattern for every malformed pattern,
# whatever the name ("a[" against "x", "a/b[" against "x"). check_pattern takes no name for that reason,
# and each such row asserts only that check_pattern raises (Go's match column is false there).

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
            check_pattern(pattern)
        return
    check_pattern(pattern)  # Go's err column is nil: the pattern is well-formed
    assert bool(filepath_match_regex(pattern).match(s)) is match


LITERAL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz/.", max_size=12)


@given(p=LITERAL, other=LITERAL, same=st.booleans())
def test_literal_pattern_matches_only_itself(p: str, other: str, same: bool) -> None:
    s = p if same else other
    assert bool(filepath_match_regex(p).match(s)) is (p == s)


# --- moby/patternmatcher: compileTests (TestCompile, the "/" separator) -----------------------------------
# Go's regexp ends in `$`; the module ends its Python regexp in `\Z` (Go's `$` does not match before a
# trailing newline), so the comparison puts `$` back.


@pytest.mark.parametrize(
    ("pattern", "kind", "go_regexp"),
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
def test_patternmatcher_compile(pattern: str, kind: str, go_regexp: str | None) -> None:
    got_kind, regex = patternmatcher_regexp(go_clean(pattern))  # upstream compiles path.Clean(pattern)
    assert got_kind == kind
    if go_regexp is None:
        assert regex is None
    else:
        assert regex is not None
        assert regex.pattern.removesuffix("\\Z") + "$" == go_regexp


# --- moby/patternmatcher: TestMatches rows not in test_dockerignore.py ----------------------------------
# test_dockerignore.py walks the rules through dkr's Matcher (the "excluded or parent excluded" column);
# these are the remaining (pattern, text) rows, checked on patternmatcher_regexp directly the way
# Pattern.match dispatches on the kind. `exact`: MatchesExact is true; `inexact`: only a parent folder
# matches (MatchesOrParentMatches is true); `fail`: neither. Texts are not cleaned, as upstream.


def _pattern_match(pattern: str, path: str) -> bool:
    """patternmatcher's Pattern.match for a cleaned pattern."""
    kind, regex = patternmatcher_regexp(pattern)
    if kind == "exact":
        return path == pattern
    if kind == "prefix":
        return path.startswith(pattern[:-2])
    if kind == "suffix":
        suffix = pattern[2:]
        return path.endswith(suffix) or (suffix[:1] == "/" and path == suffix[1:])
    assert regex is not None
    return bool(regex.match(path))


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
