""".dockerignore as the docker CLI applies it (dkr.grammars.dockerignore), and where the SDK's matcher differs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from docker.utils.build import exclude_paths
from hypothesis import given
from hypothesis import strategies as st

from dkr.build.context import plan_context
from dkr.errors import DkrError
from dkr.grammars.dockerignore import Matcher, build_excludes, read_patterns
from dkr.grammars.goglob import PatternError, UnsupportedPattern, check_pattern, go_clean


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a\nb\n", ["a", "b"], id="lines"),
        pytest.param("# c\n  # d\n", ["# d"], id="comment-only-at-column-0"),
        pytest.param("\ufeff*.log\n", ["*.log"], id="bom-stripped"),
        pytest.param("  x  \n\n\t\n", ["x"], id="trimmed-blank-skipped"),
        pytest.param("! y \n", ["!y"], id="exclusion-trimmed"),
        pytest.param("/abs/path\n", ["abs/path"], id="leading-slash"),
        pytest.param("a/../b/./c//d/\n", ["b/c/d"], id="cleaned"),
        pytest.param("!/x\n", ["!x"], id="exclusion-leading-slash"),
        pytest.param("x\r\ny\r\n", ["x", "y"], id="crlf"),
        pytest.param("a\x1cb\n", ["a\x1cb"], id="go-space-set"),
        pytest.param("/\n", ["/"], id="root-kept"),
        pytest.param("!\n", ["!"], id="lone-bang-kept-for-matcher"),
    ],
)
def test_read_patterns(text: str, expected: list[str]) -> None:
    assert read_patterns(text) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [("a//b", "a/b"), ("//a", "/a"), ("", "."), ("./", "."), ("a/..", "."), ("/../a", "/a")],
)
def test_go_clean(path: str, expected: str) -> None:
    assert go_clean(path) == expected


# Go's filepath.Match syntax rules (path/filepath match tests, as patternmatcher repeats them). New calls
# Match(rule, "."), which reads a rule only up to the first chunk that fails to match "." (the docker CLI
# builds with `x*[]a]` and `Dockerfile*[]a]`, and refuses `*[]a]`).
@pytest.mark.parametrize(
    ("pattern", "ok"),
    [
        pytest.param("abc", True, id="plain"),
        pytest.param("[\\]a]", True, id="escaped-bracket"),
        pytest.param("[\\-]", True, id="escaped-dash"),
        pytest.param("[x\\-]", True, id="escaped-dash-last"),
        pytest.param("[]a]", False, id="leading-close"),
        pytest.param("[-]", False, id="lone-dash"),
        pytest.param("[x-]", False, id="trailing-dash"),
        pytest.param("[-x]", False, id="leading-dash"),
        pytest.param("\\", False, id="trailing-backslash"),
        pytest.param("[a-b-c]", False, id="double-range"),
        pytest.param("[", False, id="open"),
        pytest.param("[^", False, id="open-negated"),
        pytest.param("[^bc", False, id="unterminated"),
        pytest.param("a[", False, id="open-after-text"),
        pytest.param("*x[", False, id="after-star"),
        pytest.param("a*b?c[de]", True, id="mixed"),
        pytest.param("x*[]a]", True, id="chunk-after-a-mismatch-unread"),
        pytest.param("Dockerfile*[]a]", True, id="docker-build-accepts"),
        pytest.param("*[]a]", False, id="star-then-bad-chunk"),
        pytest.param("x[]a]", False, id="one-chunk-read-to-its-end"),
        pytest.param("a*b[", True, id="bad-class-after-star-unread"),
        pytest.param("[Local-Only]", True, id="reversed-range-is-fine-for-match"),
        pytest.param("x*a\\", True, id="trailing-backslash-unread"),
        pytest.param(".\\", False, id="trailing-backslash-read"),
    ],
)
def test_go_pattern_syntax(pattern: str, ok: bool) -> None:
    if ok:
        check_pattern(pattern)
    else:
        with pytest.raises(PatternError):
            check_pattern(pattern)


def excluded(patterns: list[str], path: str) -> bool:
    """What the CLI's walk decides for `path`, visiting its parent folders first."""
    matcher = Matcher(patterns)
    info = None
    parts = path.split("/")
    for k in range(1, len(parts)):
        _, info = matcher.matches("/".join(parts[:k]), info)
    return matcher.matches(path, info)[0]


# patternmatcher's own table (TestMatches), rewritten: pattern, path, excluded
@pytest.mark.parametrize(
    ("pattern", "path", "hit"),
    [
        ("**", "file", True),
        ("**", "dir/file", True),
        ("**/", "file", True),
        ("**/**", "dir/file", True),
        ("dir/**", "dir/file", True),
        ("dir/**", "dir/dir2/file", True),
        ("**/dir", "dir", True),
        ("**/dir", "dir/file", True),
        ("**/dir2/*", "dir/dir2/file", True),
        ("**/dir2/**", "dir/dir2/dir3/file", True),
        ("**file", "file", True),
        ("**file", "dir/file", True),
        ("**file", "dir/prefixfile", True),  # the suffix fast path: not what the regexp would say
        ("**/file*", "dir/dir/file.txt", True),
        ("**/file*txt", "dir/dir/file.txt", True),
        ("**/**/*.txt2", "dir/dir/file.txt", False),
        ("**/*.txt", "file.txt", True),
        ("a**/*.txt", "a/dir/dir/file.txt", True),
        ("a/*.txt", "a/dir/file.txt", False),
        ("a/*.txt", "a/file.txt", True),
        ("a[b-d]e", "ace", True),
        ("a[b-d]e", "aae", False),
        ("a[^b-d]e", "aze", True),
        ("a[!b]e", "a!e", True),  # Go's regexp: `!` is no negation
        ("a[!b]e", "aze", False),
        (".*", ".foo", True),
        (".*", "foo", False),
        ("abc.def", "abcZdef", False),
        ("abc?def", "abcZdef", True),
        ("a\\\\", "a\\", True),
        ("a\\*b", "a*b", True),
        ("a\\*b", "axb", False),
        ("abc/**", "abc", False),
        ("abc/**", "abc/def/ghi", True),
        ("**/.foo", "bar.foo", False),
        ("a(b)c/def", "a(b)c/def", True),
        ("a.|)$(}+{bc", "a.|)$(}+{bc", True),
        ("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", True),
        ("Secret*", "secret.txt", False),  # case-sensitive
        ("x\\d", "x5", True),  # a backslash escape reaches the regexp
        ("docs", "docs/a/b/c", True),
    ],
)
def test_rule_matches_like_patternmatcher(pattern: str, path: str, hit: bool) -> None:
    assert excluded([pattern], path) is hit


@pytest.mark.parametrize(
    ("patterns", "path", "hit"),
    [
        pytest.param(["**", "!util/docker/web"], "util/docker/web/foo", False, id="exception-dir"),
        pytest.param(
            ["**", "!util/docker/web", "util/docker/web/foo"], "util/docker/web/foo", True, id="re-ex"
        ),
        pytest.param(["*.go", "!fileutils.go"], "fileutils.go", False, id="last-wins"),
        pytest.param(["!fileutils.go", "*.go"], "fileutils.go", True, id="order"),
        pytest.param(["docs", "!docs/README.md"], "docs/README.md", False, id="folder-exception"),
        pytest.param(["docs/", "!docs/README.md"], "docs/README.md", False, id="folder-slash-exception"),
        pytest.param(["docs/*", "!docs/README.md"], "docs/README.md", False, id="folder-star-exception"),
    ],
)
def test_rule_order(patterns: list[str], path: str, hit: bool) -> None:
    assert excluded(patterns, path) is hit


def test_lone_bang_is_an_error() -> None:
    with pytest.raises(PatternError, match="illegal exclusion"):
        Matcher(["!"])


def test_bad_pattern_is_an_error() -> None:
    with pytest.raises(PatternError, match="invalid pattern"):
        Matcher(["a[", "ok"])


def test_folder_walked_only_for_a_prefix_exception() -> None:
    m = Matcher(["foo*", "!foo2*/keep", "!bar/x"])
    assert not m.keeps_descending("foo2")  # "foo2*/keep/" does not start with "foo2/"
    assert m.keeps_descending("bar")


@pytest.mark.parametrize(
    ("patterns", "dockerfile", "added"),
    [
        pytest.param([], "Dockerfile", [], id="nothing-excluded"),
        pytest.param(["*"], "Dockerfile", ["!.dockerignore", "!Dockerfile"], id="all-excluded"),
        pytest.param([".dockerignore"], "Dockerfile", ["!.dockerignore"], id="ignore-file"),
        pytest.param(
            ["docker"], "docker/Dockerfile.dev", ["!docker/Dockerfile.dev"], id="dockerfile-in-folder"
        ),
        pytest.param(["*"], "../Dockerfile", ["!.dockerignore", "!../Dockerfile"], id="outside-context"),
    ],
)
def test_build_files_always_sent(patterns: list[str], dockerfile: str, added: list[str]) -> None:
    assert build_excludes(patterns, dockerfile) == patterns + added


@given(st.from_regex(r"[a-z0-9_.-]{1,12}(/[a-z0-9_-]{1,8}){0,3}", fullmatch=True))
def test_literal_rule_excludes_its_path_and_bang_restores_it(path: str) -> None:
    if any(part in (".", "..") for part in path.split("/")):
        return
    assert excluded([path], path)
    assert not excluded([path, "!" + path], path)


# --- the walk, and the SDK's different answers ------------------------------------------------------------


def make_tree(root: Path, files: list[str], ignore: str) -> None:
    for rel in files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rel)
    (root / "Dockerfile").write_text("FROM scratch\n")
    (root / ".dockerignore").write_text(ignore)


TREE = [
    "Foo/bar.txt",
    "SECRET.txt",
    "secret.txt",
    "Makefile",
    "makefile",
    "q?.txt",
    "foo2/keep",
    "a!b",
    "axb",
    "src/lib/test_x.py",
    "src/lib/util.py",
]


@pytest.mark.parametrize(
    ("ignore", "ours_keep", "sdk_differs"),
    [
        pytest.param("foo*\n", "Foo/bar.txt", True, id="case-sensitive-star"),
        pytest.param("Secret*\n", "secret.txt", True, id="case-sensitive-name"),
        pytest.param("/Makefile\n", "makefile", True, id="case-sensitive-root"),
        pytest.param("q\\?.txt\n", None, True, id="backslash-escape"),
        pytest.param("a[!x]b\n", None, True, id="bang-is-not-negation"),
        pytest.param("foo*\n!foo2*/keep\n", None, True, id="no-walk-without-prefix-exception"),
        pytest.param("src/**/test_*.py\n", "src/lib/util.py", False, id="globstar-agrees"),
    ],
)
def test_walk_where_the_sdk_differs(
    tmp_path: Path, ignore: str, ours_keep: str | None, sdk_differs: bool
) -> None:
    make_tree(tmp_path, TREE, ignore)
    ours = {e for e in plan_context(str(tmp_path)).entries if not os.path.isdir(tmp_path / e)}
    sdk = {
        p
        for p in exclude_paths(str(tmp_path), read_patterns(ignore), "Dockerfile")
        if not os.path.isdir(tmp_path / p)
    }
    if ours_keep:
        assert ours_keep in ours
    assert (ours != sdk) is sdk_differs, (sorted(ours ^ sdk), ignore)


def test_walk_order_and_folders(tmp_path: Path) -> None:
    make_tree(tmp_path, ["b/x", "a/y", "a/z/w", "c"], "a/z\n")
    assert plan_context(str(tmp_path)).entries == [".dockerignore", "Dockerfile", "a", "a/y", "b", "b/x", "c"]


def test_excluded_folder_with_exception_is_walked_but_not_sent(tmp_path: Path) -> None:
    make_tree(tmp_path, ["build/keep/k.txt", "build/drop/d.txt", "build/top.txt"], "build\n!build/keep/**\n")
    entries = plan_context(str(tmp_path)).entries
    assert "build/keep/k.txt" in entries
    assert "build" not in entries and "build/keep" not in entries
    assert "build/drop/d.txt" not in entries and "build/top.txt" not in entries


def test_dockerfile_and_ignore_file_always_sent(tmp_path: Path) -> None:
    make_tree(tmp_path, ["app.py"], "*\n")
    assert plan_context(str(tmp_path)).entries == [".dockerignore", "Dockerfile"]


# --- moby/patternmatcher's tables, every row (patternmatcher_test.go at 5a6d842) -------------------------

WHEEL = "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"
#: TestMatches `tests` (pattern, text, pass), with the non-Windows row appended as upstream does
UPSTREAM_MATCHES = [
    ("**", "file", True),
    ("**", "file/", True),
    ("**/", "file", True),
    ("**/", "file/", True),
    ("**", "/", True),
    ("**/", "/", True),
    ("**", "dir/file", True),
    ("**/", "dir/file", True),
    ("**", "dir/file/", True),
    ("**/", "dir/file/", True),
    ("**/**", "dir/file", True),
    ("**/**", "dir/file/", True),
    ("dir/**", "dir/file", True),
    ("dir/**", "dir/file/", True),
    ("dir/**", "dir/dir2/file", True),
    ("dir/**", "dir/dir2/file/", True),
    ("**/dir", "dir", True),
    ("**/dir", "dir/file", True),
    ("**/dir2/*", "dir/dir2/file", True),
    ("**/dir2/*", "dir/dir2/file/", True),
    ("**/dir2/**", "dir/dir2/dir3/file", True),
    ("**/dir2/**", "dir/dir2/dir3/file/", True),
    ("**file", "file", True),
    ("**file", "dir/file", True),
    ("**/file", "dir/file", True),
    ("**file", "dir/dir/file", True),
    ("**/file", "dir/dir/file", True),
    ("**/file*", "dir/dir/file", True),
    ("**/file*", "dir/dir/file.txt", True),
    ("**/file*txt", "dir/dir/file.txt", True),
    ("**/file*.txt", "dir/dir/file.txt", True),
    ("**/file*.txt*", "dir/dir/file.txt", True),
    ("**/**/*.txt", "dir/dir/file.txt", True),
    ("**/**/*.txt2", "dir/dir/file.txt", False),
    ("**/*.txt", "file.txt", True),
    ("**/**/*.txt", "file.txt", True),
    ("a**/*.txt", "a/file.txt", True),
    ("a**/*.txt", "a/dir/file.txt", True),
    ("a**/*.txt", "a/dir/dir/file.txt", True),
    ("a/*.txt", "a/dir/file.txt", False),
    ("a/*.txt", "a/file.txt", True),
    ("a/*.txt**", "a/file.txt", True),
    ("a[b-d]e", "ae", False),
    ("a[b-d]e", "ace", True),
    ("a[b-d]e", "aae", False),
    ("a[^b-d]e", "aze", True),
    (".*", ".foo", True),
    (".*", "foo", False),
    ("abc.def", "abcdef", False),
    ("abc.def", "abc.def", True),
    ("abc.def", "abcZdef", False),
    ("abc?def", "abcZdef", True),
    ("abc?def", "abcdef", False),
    ("a\\\\", "a\\", True),
    ("**/foo/bar", "foo/bar", True),
    ("**/foo/bar", "dir/foo/bar", True),
    ("**/foo/bar", "dir/dir2/foo/bar", True),
    ("abc/**", "abc", False),
    ("abc/**", "abc/def", True),
    ("abc/**", "abc/def/ghi", True),
    ("**/.foo", ".foo", True),
    ("**/.foo", "bar.foo", False),
    ("a(b)c/def", "a(b)c/def", True),
    ("a(b)c/def", "a(b)c/xyz", False),
    ("a.|)$(}+{bc", "a.|)$(}+{bc", True),
    (WHEEL, WHEEL, True),
    ("dist/*.whl", WHEEL, True),
    ("a\\*b", "a*b", True),
]
#: TestMatches `multiPatternTests`
UPSTREAM_MULTI = [
    (["**", "!util/docker/web"], "util/docker/web/foo", False),
    (["**", "!util/docker/web", "util/docker/web/foo"], "util/docker/web/foo", True),
    (["**", "!" + WHEEL], WHEEL, False),
    (["**", "!dist/*.whl"], WHEEL, False),
]
MODES = ["MatchesOrParentMatches", "MatchesUsingParentResult", "MatchesUsingParentResults", "NoContext"]


def _upstream_mode(mode: str, patterns: list[str], text: str) -> bool:
    matcher = Matcher(patterns)
    if mode == "MatchesOrParentMatches":
        return matcher.matches_or_parent(text)
    if mode == "NoContext":
        return matcher.matches(text, None)[0]
    if mode == "MatchesUsingParentResult":
        # the deprecated single-bool API, which the docker CLI no longer calls: modelled here over dkr's
        # rules (each parent folder of filepath.Dir(text) in turn, its answer carried to the next)
        parent_matched = False
        parent = go_clean(text[: text.rfind("/") + 1]) if "/" in text else "."
        dirs = parent.split("/") if parent != "." else []
        for path in ["/".join(dirs[: k + 1]) for k in range(len(dirs))] + [text]:
            matched = parent_matched
            for rule in matcher.rules:
                if rule.exclusion == matched and rule.match(path):
                    matched = not rule.exclusion
            parent_matched = matched
        return parent_matched
    # MatchesUsingParentResults after each parent folder of filepath.Dir(text), as upstream's check()
    parent = go_clean(text[: text.rfind("/") + 1]) if "/" in text else "."
    info = None
    if parent != ".":
        dirs = parent.split("/")
        for k in range(len(dirs)):
            _, info = matcher.matches("/".join(dirs[: k + 1]), info)
    return matcher.matches(text, info)[0]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("pattern", "text", "passes"), UPSTREAM_MATCHES)
def test_upstream_matches(mode: str, pattern: str, text: str, passes: bool) -> None:
    assert _upstream_mode(mode, [pattern], text) is passes


@pytest.mark.parametrize("mode", [m for m in MODES if m != "MatchesUsingParentResult"])  # as upstream
@pytest.mark.parametrize(("patterns", "text", "passes"), UPSTREAM_MULTI)
def test_upstream_multi_pattern_matches(mode: str, patterns: list[str], text: str, passes: bool) -> None:
    assert _upstream_mode(mode, patterns, text) is passes


def _legacy_matches(path: str, patterns: list[str]) -> bool:
    """patternmatcher.Matches(file, patterns), raising where it returns an error."""
    matcher = Matcher(patterns)
    path = go_clean(path)
    return path != "." and matcher._matches_legacy(path)


#: TestMatch's `matchTests` (Go's filepath rows, through the deprecated Matches): pattern, s, match, error
UPSTREAM_MATCH_TESTS = [
    ("abc", "abc", True, False),
    ("*", "abc", True, False),
    ("*c", "abc", True, False),
    ("a*", "a", True, False),
    ("a*", "abc", True, False),
    ("a*", "ab/c", True, False),
    ("a*/b", "abc/b", True, False),
    ("a*/b", "a/c/b", False, False),
    ("a*b*c*d*e*/f", "axbxcxdxe/f", True, False),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/f", True, False),
    ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", False, False),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", False, False),
    ("a*b?c*x", "abxbbxdbxebxczzx", True, False),
    ("a*b?c*x", "abxbbxdbxebxczzy", False, False),
    ("ab[c]", "abc", True, False),
    ("ab[b-d]", "abc", True, False),
    ("ab[e-g]", "abc", False, False),
    ("ab[^c]", "abc", False, False),
    ("ab[^b-d]", "abc", False, False),
    ("ab[^e-g]", "abc", True, False),
    ("a\\*b", "a*b", True, False),
    ("a\\*b", "ab", False, False),
    ("a?b", "a☺b", True, False),
    ("a[^a]b", "a☺b", True, False),
    ("a???b", "a☺b", False, False),
    ("a[^a][^a][^a]b", "a☺b", False, False),
    ("[a-ζ]*", "α", True, False),  # noqa: RUF001 (Greek alpha, as upstream)
    ("*[a-ζ]", "A", False, False),
    ("a?b", "a/b", False, False),
    ("a*b", "a/b", False, False),
    ("[\\]a]", "]", True, False),
    ("[\\-]", "-", True, False),
    ("[x\\-]", "x", True, False),
    ("[x\\-]", "-", True, False),
    ("[x\\-]", "z", False, False),
    ("[\\-x]", "x", True, False),
    ("[\\-x]", "-", True, False),
    ("[\\-x]", "a", False, False),
    ("[]a]", "]", False, True),
    ("[-]", "-", False, True),
    ("[x-]", "x", False, True),
    ("[x-]", "-", False, True),
    ("[x-]", "z", False, True),
    ("[-x]", "x", False, True),
    ("[-x]", "-", False, True),
    ("[-x]", "a", False, True),
    ("\\", "a", False, True),
    ("[a-b-c]", "a", False, True),
    ("[", "a", False, True),
    ("[^", "a", False, True),
    ("[^bc", "a", False, True),
    ("a[", "a", False, True),
    ("a[", "ab", False, True),
    ("*x", "xxx", True, False),
]


@pytest.mark.parametrize(("pattern", "s", "match", "error"), UPSTREAM_MATCH_TESTS)
def test_upstream_match(pattern: str, s: str, match: bool, error: bool) -> None:
    if error:
        with pytest.raises(PatternError):
            _legacy_matches(s, [pattern])
    else:
        assert _legacy_matches(s, [pattern]) is match


@pytest.mark.parametrize(
    ("file", "patterns", "expected"),
    [
        pytest.param("fileutils.go", ["*"], True, id="TestWildcardMatches"),
        pytest.param("fileutils.go", ["*.go"], True, id="TestPatternMatches"),
        pytest.param(
            "fileutils.go", ["!fileutils.go", "*.go"], True, id="TestExclusionPatternMatchesPatternBefore"
        ),
        pytest.param(
            "docs/README.md", ["docs", "!docs/README.md"], False, id="TestPatternMatchesFolderExclusions"
        ),
        pytest.param(
            "docs/README.md", ["docs/", "!docs/README.md"], False, id="...FolderWithSlashExclusions"
        ),
        pytest.param(
            "docs/README.md", ["docs/*", "!docs/README.md"], False, id="...FolderWildcardExclusions"
        ),
        pytest.param(
            "fileutils.go", ["*.go", "!fileutils.go"], False, id="TestExclusionPatternMatchesPatternAfter"
        ),
        pytest.param(".", ["*.go"], False, id="TestExclusionPatternMatchesWholeDirectory"),
        pytest.param("/any/path/there", [], False, id="TestMatchesWithNoPatterns"),
    ],
)
def test_upstream_legacy_matches(file: str, patterns: list[str], expected: bool) -> None:
    assert _legacy_matches(file, patterns) is expected


@pytest.mark.parametrize(
    "patterns",
    [
        pytest.param(["["], id="TestMatchesWithMalformedPatterns"),
        pytest.param(["!"], id="TestSingleExclamationError"),
    ],
)
def test_upstream_matches_errors(patterns: list[str]) -> None:
    with pytest.raises(PatternError):
        _legacy_matches("/any/path/there", patterns)


@pytest.mark.parametrize(
    ("patterns", "count", "exclusions"),
    [
        pytest.param(["docs", "config"], 2, False, id="TestCleanPatterns"),
        pytest.param(["docs", "config", ""], 2, False, id="TestCleanPatternsStripEmptyPatterns"),
        pytest.param(["docs", "!docs/README.md"], 2, True, id="TestCleanPatternsExceptionFlag"),
        pytest.param(["docs", "  !docs/README.md"], 2, True, id="TestCleanPatternsLeadingSpaceTrimmed"),
        pytest.param(["docs", "!docs/README.md  "], 2, True, id="TestCleanPatternsTrailingSpaceTrimmed"),
    ],
)
def test_upstream_clean_patterns(patterns: list[str], count: int, exclusions: bool) -> None:
    matcher = Matcher(patterns)
    assert (len(matcher.rules), matcher.exclusions) == (count, exclusions)


def test_upstream_malformed_pattern_fails_when_evaluated_not_when_read() -> None:
    """TestMatchesOrParentMatchesMalformedPatternDoesNotPanicOnRepeatedCall: New accepts "[Local-Only]/"
    (Go's Match takes the reversed range l-O); its regexp fails on every evaluation. The one upstream case
    dkr got wrong before issue 14: it compiled eagerly and rejected the file."""
    matcher = Matcher(["[Local-Only]/"])
    for _ in range(2):
        with pytest.raises(PatternError):
            matcher.matches_or_parent("x")


def test_upstream_ignorefile_read_all() -> None:
    """ignorefile_test.go TestReadAll."""
    content = "test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! "
    expected = ["test1", "test2", "a/file/here", "lastfile", "!inverted/abs/path", "!", "!"]
    assert read_patterns(content) == expected
    assert read_patterns("") == []


# --- issue 14: the rest of docker's reading and matching ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("\ufeff# c\nx", ["x"], id="bom-then-comment"),
        pytest.param("a\n\ufeffb\n", ["a", "\ufeffb"], id="bom-on-a-later-line-kept"),
        pytest.param("\ufeff\ufeffa", ["\ufeffa"], id="one-bom-stripped"),
        pytest.param("\ufeff!\ufeffa", ["!\ufeffa"], id="bom-after-bang-kept"),
        pytest.param(" \ufeffa", ["\ufeffa"], id="bom-is-no-space"),
    ],
)
def test_bom_only_on_the_first_line(text: str, expected: list[str]) -> None:
    assert read_patterns(text) == expected


def test_rule_with_a_bom_as_docker_applies_it() -> None:
    """A BOM kept in a rule (a later line) is skipped by the scanner patternmatcher builds its regexp with,
    but stays in an exact rule; before `**` it makes a suffix rule that matches nothing."""
    assert excluded(["\ufeff*.log"], "a.log")
    assert not excluded(["\ufeffkeep"], "keep") and excluded(["\ufeffkeep"], "\ufeffkeep")
    assert not excluded(["\ufeff**/x"], "d/x")


@pytest.mark.parametrize(
    ("line", "ok"),
    [pytest.param("a" * 65535, True, id="64KiB-1"), pytest.param("a" * 65536, False, id="64KiB")],
)
def test_line_limit(line: str, ok: bool) -> None:
    """bufio.Scanner's token limit (the oracle: 65535 bytes pass, 65536 fail, with or without "\\n")."""
    for text in (line, line + "\nb", "b\n" + line + "\n"):
        if ok:
            assert line in read_patterns(text)
        else:
            with pytest.raises(PatternError, match="64 KiB"):
                read_patterns(text)


@pytest.mark.parametrize(
    ("patterns", "path", "hit"),
    [
        pytest.param(["*.{js,ts}"], "a.js", False, id="braces-are-no-alternatives"),
        pytest.param(["*.{js,ts}"], "a.{js,ts}", True, id="braces-literal-in-go"),
        pytest.param(["*.log|*.tmp"], "d/x.tmp", True, id="bar-alternation-unanchored"),
        pytest.param(["*.log|*.tmp"], "a.logx", True, id="bar-first-branch-unanchored-end"),
        pytest.param(["x{2}*"], "xx", True, id="braces-repeat"),
        pytest.param(["file[[:digit:]].txt"], "file7.txt", True, id="posix-class"),
        pytest.param(["x\\s*"], "x\v", False, id="go-space"),
        pytest.param(["\\w*"], "é", False, id="ascii-word"),
    ],
)
def test_docker_regexp_quirks_copied(patterns: list[str], path: str, hit: bool) -> None:
    assert excluded(patterns, path) is hit


def test_bad_regexp_is_an_error_only_where_evaluated() -> None:
    """`x\\é` passes New (Match reads no further than "x" against "."); Go's regexp rejects `\\é`."""
    matcher = Matcher(["*", "!a/b", "x\\é*"])
    assert matcher.compile_errors()
    assert matcher.matches("c")[0]  # "*" matched: an inclusion rule after it is not evaluated
    with pytest.raises(PatternError, match="invalid escape"):
        matcher.matches("a/b", matcher.matches("a")[1])  # "!a/b" re-includes it: the bad rule is reached


def test_unicode_classes_refused_up_front() -> None:
    with pytest.raises(UnsupportedPattern, match="Unicode classes"):
        Matcher(["x*\\pL"])


# --- a rule Go's regexp rejects, in the walks (each checked with `docker build`, CLI 28.2.2) ---------------


def test_bad_rule_never_evaluated_is_no_error(tmp_path: Path) -> None:
    """docker builds this: every path matches "*" first, so neither walk evaluates `x\\é*`."""
    make_tree(tmp_path, ["a/b", "c"], "*\nx\\é*\n")
    assert plan_context(str(tmp_path)).entries == [".dockerignore", "Dockerfile"]


def test_bad_rule_evaluated_by_the_check_walk_fails_before_sending(tmp_path: Path) -> None:
    """docker: "error checking context: syntax error in pattern"."""
    make_tree(tmp_path, ["c"], "x\\é*\n")
    with pytest.raises(DkrError, match="invalid escape") as info:
        plan_context(str(tmp_path))
    assert info.value.hint is None


def test_bad_rule_reached_only_by_the_tar_walk_is_refused(tmp_path: Path) -> None:
    """The check walk skips the excluded folder `a`; the tar walk enters it for `!a/b` and meets the bad
    rule there. docker logs "Error matching a/b", stops the tar and builds without a/b; dkr refuses."""
    make_tree(tmp_path, ["a/b", "c"], "*\n!a/b\nx\\é*\n")
    with pytest.raises(DkrError) as info:
        plan_context(str(tmp_path))
    assert "refuses" in (info.value.hint or "")
