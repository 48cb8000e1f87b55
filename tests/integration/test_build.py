"""dkr build against the real Engine: the tutorial's cache lesson, scripts' stdout, options read back from the
image, .dockerignore parity with `docker build`, and every failure (exit code, message, nothing left behind)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docker
import pytest

from tests.integration.support import LABELS, SESSION, dkr, familiar, label_instructions, unique

LABEL_ARGS = [arg for k, v in LABELS.items() for arg in ("--label", f"{k}={v}")]


@pytest.fixture
def cache_env(tmp_path: Path) -> dict[str, str]:
    """dkr's build records go to a temporary folder, never the user's cache."""
    return {"DKR_CACHE_DIR": str(tmp_path / "dkr-cache")}


@pytest.fixture
def images(client: docker.DockerClient) -> Iterator[list[str]]:
    """Image ids a test built; removed at the end (newest first, so shared parent layers go last)."""
    made: list[str] = []
    yield made
    for image in reversed(made):
        with contextlib.suppress(docker.errors.APIError):
            client.images.remove(image, force=True)


def build(ctx: Path, env: dict[str, str], *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return dkr("build", *LABEL_ARGS, *args, str(ctx), env=env, **kwargs)


def archive(client: docker.DockerClient, image: str, path: str) -> tarfile.TarFile:
    """`path` in an image, as a tar, through a created (never started) labelled container."""
    ctr = client.containers.create(image, "true", labels=LABELS)
    try:
        stream, _ = ctr.get_archive(path)
        return tarfile.open(fileobj=io.BytesIO(b"".join(stream)))
    finally:
        ctr.remove(force=True)


def read_file(client: docker.DockerClient, image: str, path: str) -> bytes:
    with archive(client, image, path) as tar:
        data = tar.extractfile(tar.getmembers()[0])
        assert data is not None
        return data.read()


def containers_running(client: docker.DockerClient, marker: str) -> list[str]:
    return [c["Id"] for c in client.api.containers(all=True) if marker in (c.get("Command") or "")]


@pytest.fixture
def tutorial(tmp_path: Path, base_image: str) -> Path:
    """The tutorial's Dockerfile: dependencies installed before the app is copied."""
    ctx = tmp_path / "app"
    ctx.mkdir()
    token = unique("tut")
    (ctx / "package.json").write_text(json.dumps({"name": token, "dependencies": {"left-pad": "1"}}))
    (ctx / "server.js").write_text("console.log('v1')\n")
    (ctx / "Dockerfile").write_text(
        f"FROM {base_image}\n"
        "WORKDIR /app\n"
        "COPY package.json /app\n"
        f"RUN echo 'installing {token}' && mkdir node_modules && cp package.json node_modules/installed\n"
        "COPY . /app\n"
        "EXPOSE 80\n"
        'CMD ["cat", "/app/server.js"]\n'
    )
    return ctx


@pytest.mark.podman
def test_rebuild_after_an_app_change_explains_the_cache(
    client: docker.DockerClient, tutorial: Path, cache_env: dict[str, str], images: list[str]
) -> None:
    tag = f"dkrtest-app:{SESSION}"
    first = build(tutorial, cache_env, "-t", tag, "--format", "json")
    assert first.returncode == 0, first.stderr
    images.append(json.loads(first.stdout)["id"])

    (tutorial / "server.js").write_text("console.log('v2')\n")
    second = build(tutorial, cache_env, "-t", tag, "--format", "json")
    assert second.returncode == 0, second.stderr
    data = json.loads(second.stdout)
    images.append(data["id"])

    steps = {s["index"]: s for s in data["steps"]}
    assert [steps[i]["cached"] for i in (1, 2, 3, 4)] == [True] * 4, "every step up to the install is cached"
    assert steps[5]["instruction"] == "COPY . /app"
    assert data["first_miss"] == 5
    assert data["cached_steps"] == 4
    assert data["total_steps"] == len(data["steps"]) == 9  # 7 in the Dockerfile, then one per --label
    # one step per --label, last (Podman quotes them, `LABEL "k"="v"`, in its own order)
    assert label_instructions(data["steps"][-2:]) == {f"LABEL {k}={v}" for k, v in LABELS.items()}
    assert (
        "step 5/9 `COPY . /app` re-ran: 1 file changed (server.js); steps 6-9 re-ran after it"
        in second.stderr
    )

    # read back what the Engine built
    image = client.images.get(data["id"])
    assert image.id == data["id"] and tag in familiar(image.tags)
    assert {
        k: v for k, v in image.labels.items() if not k.startswith("io.buildah.")
    } == LABELS  # Podman's own
    assert image.attrs["Config"]["ExposedPorts"] == {"80/tcp": {}}
    assert image.attrs["Config"]["Cmd"] == ["cat", "/app/server.js"]
    assert read_file(client, data["id"], "/app/server.js") == b"console.log('v2')\n"

    # dkr layers reads the record dkr build keeps of the image's last build
    layers = dkr("layers", data["id"], "--format", "json", env=cache_env)
    assert layers.returncode == 0, layers.stderr
    rows = json.loads(layers.stdout)["layers"]
    assert [(r["step"], r["cached"]) for r in rows if r["step"] is not None] == [
        (i, i <= 4) for i in range(1, 10)
    ]


CACHE_ORDER_FIX = "copy the manifests first: `COPY package.json package-lock.json /app/`, then the install, then `COPY . /app`"


@pytest.fixture
def bad_order(tmp_path: Path, base_image: str) -> Path:
    """`COPY . /app` before the dependency install: what lint's DKR001 (cache-order) is about. busybox has no
    npm: a stand-in script from the context plays it (lint reads `PATH=... npm ci` as `npm ci`)."""
    ctx = tmp_path / "bad"
    (ctx / "tools").mkdir(parents=True)
    (ctx / "tools" / "npm").write_text('#!/bin/sh\necho "installed by npm $*" > /app/installed\n')
    (ctx / "tools" / "npm").chmod(0o755)
    (ctx / "package.json").write_text("{}\n")
    (ctx / "server.js").write_text("console.log('v1')\n")
    (ctx / ".dockerignore").write_text("*.log\n")  # so that DKR001 is the only finding
    (ctx / "Dockerfile").write_text(
        f"FROM {base_image}\n"
        "WORKDIR /app\n"
        "COPY . /app\n"
        "RUN PATH=/app/tools:$PATH npm ci\n"
        'CMD ["cat", "/app/installed"]\n'
    )
    return ctx


def test_bad_order_gets_the_cache_order_hint_on_stderr(
    client: docker.DockerClient, bad_order: Path, cache_env: dict[str, str], images: list[str]
) -> None:
    first = build(bad_order, cache_env, cwd=bad_order)
    assert first.returncode == 0, first.stderr
    image_id = first.stdout.strip()
    images.append(image_id)
    assert first.stdout == image_id + "\n" and image_id.startswith("sha256:"), "stdout: the id alone"
    lines = first.stderr.splitlines()
    assert lines[-1] == f"hint: Dockerfile:4 DKR001 cache-order: {CACHE_ORDER_FIX}", "after the summary"
    assert any(line.startswith("built sha256:") for line in lines[:-1])
    assert read_file(client, image_id, "/app/installed") == b"installed by npm ci\n"

    # a rebuild after a code change re-runs the install: the cache report's advice about that RUN and the lint
    # hint are one line, and stdout is exactly the JSON object
    (bad_order / "server.js").write_text("console.log('v2')\n")
    second = build(bad_order, cache_env, "--format", "json", cwd=bad_order)
    assert second.returncode == 0, second.stderr
    data = json.loads(second.stdout)
    images.append(data["id"])
    assert second.stdout == json.dumps(data) + "\n"
    assert (data["first_miss"], data["steps"][3]["instruction"]) == (3, "RUN PATH=/app/tools:$PATH npm ci")
    lines = second.stderr.splitlines()
    assert lines[-2] == "step 3/7 `COPY . /app` re-ran: 1 file changed (server.js); steps 4-7 re-ran after it"
    assert lines[-1] == (
        "hint: Dockerfile:4 DKR001 cache-order: step 4 re-ran only because step 3 copied changed files; "
        + CACHE_ORDER_FIX
    )
    assert second.stderr.count("re-ran only because") == 1, "the advice is not repeated"

    quiet = build(bad_order, cache_env, "-q", cwd=bad_order)
    assert (quiet.returncode, quiet.stderr, quiet.stdout) == (0, "", data["id"] + "\n")


def test_stdout_is_the_image_id_alone_for_scripts(
    client: docker.DockerClient, tutorial: Path, cache_env: dict[str, str], images: list[str]
) -> None:
    tags = [f"dkrtest-app:{SESSION}-a", f"dkrtest-app/second:{SESSION}"]
    res = build(tutorial, cache_env, "-q", "-t", tags[0], "-t", tags[1])
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""
    image_id = res.stdout.strip()
    images.append(image_id)
    assert res.stdout == image_id + "\n" and image_id.startswith("sha256:")
    assert familiar(client.images.get(image_id).tags) == sorted(tags)


def test_build_args_labels_file_and_no_cache(
    client: docker.DockerClient, tmp_path: Path, base_image: str, cache_env: dict[str, str], images: list[str]
) -> None:
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    (ctx / "Dockerfile.alt").write_text(
        f"FROM {base_image}\nARG GREETING=hi\nRUN echo $GREETING > /greeting\n"
    )
    args = ("-f", str(ctx / "Dockerfile.alt"), "--build-arg", "GREETING=hello", "--label", "extra=x=y")
    first = build(ctx, cache_env, *args, "--format", "json")
    assert first.returncode == 0, first.stderr
    images.append(json.loads(first.stdout)["id"])
    image = client.images.get(json.loads(first.stdout)["id"])
    assert image.labels == {**LABELS, "extra": "x=y"}
    assert read_file(client, image.id, "/greeting") == b"hello\n"

    again = build(ctx, cache_env, *args, "--no-cache", "--format", "json")
    assert again.returncode == 0, again.stderr
    data = json.loads(again.stdout)
    images.append(data["id"])
    assert [s["cached"] for s in data["steps"]] == [True] + [False] * (len(data["steps"]) - 1)
    assert data["first_miss"] == 2
    assert "--no-cache: steps 2-6 ran without the layer cache" in again.stderr


# --- .dockerignore parity: on a tricky context, the image dkr builds holds exactly the files that the image
# `DOCKER_BUILDKIT=0 docker build` builds holds (nested folders, `**`, `!` exceptions, case, escapes, and the
# CLI's quirks: no walk into an excluded folder without a prefix exception, the suffix fast path of `**name`)

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
    """Every path under /ctx in an image, with its type and mode."""
    with archive(client, image, "/ctx") as tar:
        return {m.name: f"{m.type!r}:{m.mode:o}" for m in tar.getmembers()}


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


# --- failures -----------------------------------------------------------------------------------------------


def test_missing_context_or_dockerfile_fails_before_any_upload(
    tmp_path: Path, cache_env: dict[str, str]
) -> None:
    from tests.integration.proxy import CountingProxy

    (tmp_path / "empty").mkdir()
    cases = [
        ([str(tmp_path / "nope")], "build context folder '", "does not exist"),
        ([str(tmp_path / "empty")], "no Dockerfile in '", "-f FILE"),
        (["-f", str(tmp_path / "Missing.df"), str(tmp_path / "empty")], "Missing.df' does not exist", ""),
    ]
    with CountingProxy(tmp_path / "proxy.sock") as proxy:
        for args, needle, more in cases:
            res = dkr("-H", f"unix://{proxy.path}", "build", *args, env=cache_env)
            assert res.returncode == 1
            assert res.stdout == ""
            assert res.stderr.startswith("dkr: error: ") and needle in res.stderr and more in res.stderr
            assert len(res.stderr.splitlines()) <= 2 and "Traceback" not in res.stderr
    assert proxy.requests == [], "no Engine request at all, so nothing was uploaded"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        pytest.param(
            ["--build-arg", "DKR_TEST_SURELY_UNSET"], "invalid --build-arg 'DKR_TEST_SURELY_UNSET'", id="arg"
        ),
        pytest.param(["--label", "novalue"], "invalid --label 'novalue' (expected KEY=VALUE", id="label"),
    ],
)
def test_bad_key_value_is_a_usage_error(tutorial: Path, tmp_path: Path, args: list[str], needle: str) -> None:
    from tests.integration.proxy import CountingProxy

    with CountingProxy(tmp_path / "proxy.sock") as proxy:
        res = dkr("-H", f"unix://{proxy.path}", "build", *args, str(tutorial))
    assert (res.returncode, res.stdout) == (2, "")
    assert res.stderr.splitlines() == [
        f"dkr: error: {res.stderr.splitlines()[0][12:]}",
        "Run 'dkr build --help' for usage.",
    ]
    assert needle in res.stderr
    assert proxy.requests == []


def test_dockerfile_syntax_error(tmp_path: Path, base_image: str, cache_env: dict[str, str]) -> None:
    (tmp_path / "Dockerfile").write_text(f"FROM {base_image}\nFORM oops\n")
    res = build(tmp_path, cache_env)
    assert (res.returncode, res.stdout) == (1, "")
    assert res.stderr.splitlines()[-1] == (
        f"dkr: error: invalid Dockerfile ({tmp_path / 'Dockerfile'}): line 2: unknown instruction: FORM"
    )
    assert "Traceback" not in res.stderr


def test_buildkit_only_syntax_fails_in_one_line_before_the_engine_builds(
    client: docker.DockerClient, tmp_path: Path, base_image: str, cache_env: dict[str, str]
) -> None:
    marker = unique("buildkit")
    labels = " ".join(f"{k}={v}" for k, v in {**LABELS, "dkr.test.case": marker}.items())
    (tmp_path / "Dockerfile").write_text(
        f"FROM {base_image}\nLABEL {labels}\nRUN --mount=type=cache,target=/x true\n"
    )
    made = {"label": f"dkr.test.case={marker}"}
    res = build(tmp_path, cache_env)
    assert (res.returncode, res.stdout) == (1, ""), res.stderr
    assert res.stderr.splitlines() == [
        f"dkr: error: {tmp_path / 'Dockerfile'}:3: RUN --mount needs BuildKit; the Engine's classic builder "
        "cannot run it (drop --mount: a cache, secret or ssh mount has no classic equivalent; or build with "
        "docker buildx)"
    ]
    assert client.images.list(all=True, filters=made) == [], "the Engine was asked to build"
    # the check can fail: asked, the classic builder runs the LABEL step (an image carrying the label), then
    # fails at the --mount
    with pytest.raises(docker.errors.BuildError, match="the --mount option requires BuildKit"):
        client.images.build(path=str(tmp_path), rm=True, forcerm=True)
    try:
        assert client.images.list(all=True, filters=made) != []
    finally:
        for image in client.images.list(all=True, filters=made):
            with contextlib.suppress(docker.errors.APIError):
                client.images.remove(image.id, force=True)


@pytest.mark.podman
def test_run_that_fails_reports_its_exit_code_and_output(
    client: docker.DockerClient, tmp_path: Path, base_image: str, cache_env: dict[str, str]
) -> None:
    marker = unique("runfail")
    (tmp_path / "Dockerfile").write_text(
        f"FROM {base_image}\nRUN echo 'compiling {marker}'; echo 'error: missing thing' >&2; exit 3\n"
    )
    res = build(tmp_path, cache_env)
    assert (res.returncode, res.stdout) == (1, "")
    lines = res.stderr.splitlines()
    instruction = f"RUN echo 'compiling {marker}'; echo 'error: missing thing' >&2; exit 3"
    assert f"dkr: error: step 2/4 `{instruction}` failed with exit code 3" in lines
    assert f"  | compiling {marker}" in lines and "  | error: missing thing" in lines
    # the Engine's message: Docker's, or Podman's (buildah's)
    assert any("returned a non-zero code: 3" in line or "exit status 3" in line for line in lines), (
        "the Engine's message"
    )
    assert "Traceback" not in res.stderr
    assert containers_running(client, marker) == [], "forcerm removed the step's container"


def test_base_image_that_cannot_be_pulled(tmp_path: Path, cache_env: dict[str, str]) -> None:
    missing = f"dkrtest-absent-{SESSION}:none"
    (tmp_path / "Dockerfile").write_text(f"FROM {missing}\nRUN true\n")
    res = build(tmp_path, cache_env, timeout=90)
    assert (res.returncode, res.stdout) == (1, "")
    errors = [line for line in res.stderr.splitlines() if line.startswith("dkr: error:")]
    assert len(errors) == 1
    assert errors[0].startswith(
        f"dkr: error: step 1/4 `FROM {missing}` failed: {missing} is not present locally and could not be pulled: "
    )
    assert f"Build or load {missing} first" in res.stderr


def test_ctrl_c_mid_build_exits_130_and_leaves_no_container(
    client: docker.DockerClient, tmp_path: Path, base_image: str, cache_env: dict[str, str]
) -> None:
    marker = unique("ctrlc")
    (tmp_path / "Dockerfile").write_text(f"FROM {base_image}\nRUN echo {marker}; sleep 60\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "dkr", "build", *LABEL_ARGS, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **cache_env},
    )
    try:
        deadline = time.monotonic() + 60
        while not containers_running(client, marker):
            assert time.monotonic() < deadline and proc.poll() is None, "the RUN step never started"
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert out == "" and "Traceback" not in err
    deadline = time.monotonic() + 15
    while containers_running(client, marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert containers_running(client, marker) == [], "no intermediate container left behind"


def test_twenty_thousand_files_stay_under_150_mb(
    tmp_path: Path, base_image: str, cache_env: dict[str, str], images: list[str]
) -> None:
    ctx = tmp_path / "many"
    for d in range(100):
        folder = ctx / f"d{d:03}"
        folder.mkdir(parents=True)
        for f in range(200):
            (folder / f"f{f:03}.txt").write_text(f"{d}/{f}\n" * 8)
    (ctx / "Dockerfile").write_text(f"FROM {base_image}\nCOPY d000 /d000\n")
    probe = (
        "import resource, sys\n"
        "from dkr.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", probe, "build", "-q", *LABEL_ARGS, str(ctx)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **cache_env},
    )
    assert res.returncode == 0, res.stderr
    images.append(res.stdout.strip())
    peak_kb = int(res.stderr.strip().splitlines()[-1])
    assert peak_kb < 150 * 1024, f"peak RSS {peak_kb / 1024:.0f} MB"
    record = next((Path(cache_env["DKR_CACHE_DIR"]) / "contexts").glob("*.json"))
    assert len(json.loads(record.read_text())["files"]) == 20_000 + 100 + 1  # files, folders, Dockerfile


def test_piped_build_shows_run_output_while_the_step_runs(
    tmp_path: Path, base_image: str, cache_env: dict[str, str], images: list[str]
) -> None:
    """`dkr build . 2>&1 | cat`: a RUN's output reaches the pipe as it is printed, not when the step ends."""
    marker = unique("live")
    (tmp_path / "Dockerfile").write_text(
        f"FROM {base_image}\nRUN echo 'early {marker}'; sleep 4; echo late\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "dkr", "build", *LABEL_ARGS, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **cache_env},
    )
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if f"early {marker}" in line:
            break
    assert proc.poll() is None, seen  # the step still runs: the line came live
    assert seen[-1] == f"  2| early {marker}\n"
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    images.append(out.strip())
    assert "  2| late" in err.splitlines()
