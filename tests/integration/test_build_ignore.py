""".dockerignore parity: on a tricky context, the image dkr builds holds exactly the files that the image
`DOCKER_BUILDKIT=0 docker build` builds holds (nested folders, `**`, `!` exceptions, case, escapes, and the
CLI's quirks: no walk into an excluded folder without a prefix exception, the suffix fast path of `**name`)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from tests.integration.support import LABELS, dkr

LABEL_ARGS = [arg for k, v in LABELS.items() for arg in ("--label", f"{k}={v}")]

FILES = [
    "app.log", "important.log", "Makefile", "makefile", "SECRET.txt", "Secret.md", "secret.txt", "data.json",
    "src/main.py", "src/lib/util.py", "src/lib/tests/test_util.py", "src/lib/test_x.py",
    "docs/README.md", "docs/api/ref.md", "docs/guide/intro.md", "docs/guide/pic.png",
    "build/keep/k.txt", "build/keep/deeper/k2.txt", "build/drop/d.txt", "build/top.txt",
    "node_modules/x/i.js", "sub/node_modules/y/j.js", "sub/keep.js",
    "tmp/keep.txt", "tmp/junk.txt", "logs/a.log", "logs/b.txt",
    "odd dir/x y.txt", "Foo/bar.txt", "foo2/keep", "foo3/other", "a/b/c/deep.txt", "a/b/c/deep.md",
    "weird[1].txt", "weird1.txt", "q?.txt", "axb", "a!b", "vendor/prefixcache", "vendor/cache", "cache",
    "empty-dir/",
]  # fmt: skip

IGNORE = """\
# a comment
  # not a comment: a rule for a file named "# not a comment"
*.log
!important.log
**/node_modules
build/
!build/keep/**
docs/**/*.md
!docs/README.md
Secret*
src/**/test_*.py
tmp
!tmp/keep.txt
logs/
!logs/*.txt
foo*
!foo2*/keep
a/**/*.md
weird[0-9].txt
q\\?.txt
a[!x]b
/Makefile
**cache
!vendor/cache
"""


def make_context(root: Path) -> None:
    for rel in FILES:
        path = root / rel
        if rel.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rel + "\n")
    (root / ".dockerignore").write_text(IGNORE)


def listing(client: docker.DockerClient, image: str) -> dict[str, str]:
    """Every path under /ctx in an image, with its type and mode, via a created (never started) container."""
    ctr = client.containers.create(image, "true", labels=LABELS)
    try:
        stream, _ = ctr.get_archive("/ctx")
        with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as tar:
            return {m.name: f"{m.type!r}:{m.mode:o}" for m in tar.getmembers()}
    finally:
        ctr.remove(force=True)


@pytest.fixture
def images(client: docker.DockerClient) -> Iterator[list[str]]:
    made: list[str] = []
    yield made
    for image in reversed(made):
        with contextlib.suppress(docker.errors.APIError):
            client.images.remove(image, force=True)


@pytest.mark.parametrize("outside", [False, True], ids=["dockerfile-inside", "dockerfile-outside"])
def test_same_files_as_docker_build(
    client: docker.DockerClient, base_image: str, tmp_path: Path, images: list[str], outside: bool
) -> None:
    ctx = tmp_path / "ctx"
    make_context(ctx)
    dockerfile = (tmp_path if outside else ctx) / "Dockerfile"
    dockerfile.write_text(f"FROM {base_image}\nCOPY . /ctx\n")
    args = ["--no-cache", *LABEL_ARGS, "-f", str(dockerfile), str(ctx)]

    ours = dkr("build", "-q", *args, env={"DKR_CACHE_DIR": str(tmp_path / "cache")})
    assert ours.returncode == 0, ours.stderr
    images.append(ours.stdout.strip())
    theirs = subprocess.run(
        ["docker", "build", "-q", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DOCKER_BUILDKIT": "0"},
    )
    assert theirs.returncode == 0, theirs.stderr
    images.append(theirs.stdout.strip())

    mine, docker_cli = listing(client, images[0]), listing(client, images[1])
    assert mine == docker_cli, sorted(set(mine.items()) ^ set(docker_cli.items()))

    # and it was a tricky one: what docker's rules say, where docker-py's matcher says otherwise
    names = {name.removeprefix("ctx/") for name in mine}
    kept = [
        "Foo/bar.txt", "secret.txt", "SECRET.txt", "makefile", "important.log", "logs/b.txt", "weird[1].txt",
        "build/keep/deeper/k2.txt", "docs/README.md", "tmp/keep.txt", "vendor/cache", "empty-dir",
        "src/lib/util.py", "odd dir/x y.txt",
    ]  # fmt: skip
    dropped = [
        "Makefile", "Secret.md", "q?.txt", "axb", "a!b", "foo2/keep", "build/top.txt", "sub/node_modules/y/j.js",
        "docs/api/ref.md", "a/b/c/deep.md", "src/lib/test_x.py", "vendor/prefixcache", "cache", "weird1.txt",
        "app.log",
    ]  # fmt: skip
    assert [k for k in kept if k not in names] == []
    assert [d for d in dropped if d in names] == []
    assert ("Dockerfile" in names) is not outside
    assert not any(n.startswith(".dockerfile.") for n in names), "the Engine drops an outside Dockerfile"
