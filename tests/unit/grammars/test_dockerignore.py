""".dockerignore as the docker CLI applies it (dkr.grammars.dockerignore), and where the SDK's matcher differs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from docker.utils.build import exclude_paths
from hypothesis import given
from hypothesis import strategies as st

from dkr.build.context import plan_context
from dkr.grammars.dockerignore import Matcher, build_excludes, read_patterns
from dkr.grammars.goglob import PatternError, check_pattern, go_clean


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


# Go's filepath.Match syntax rules (path/filepath match tests, as patternmatcher repeats them)
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
