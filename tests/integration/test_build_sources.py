"""Where a build's context and Dockerfile come from, on the real Engine: a tar on stdin (`dkr build -`), a
Dockerfile on stdin (`-f -`), a tarball URL and a git URL the Engine fetches itself (served here on 127.0.0.1
by a thread of this test and by `git daemon`: the Engine runs on this machine), and `--push` to this run's
registry. Every image carries this test's labels and is removed after it."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import shutil
import subprocess
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from tests.integration.registry import Registry
from tests.integration.support import LABELS, Case, dkr, free_port, unique


def dockerfile(case: Case, base: str, *lines: str) -> str:
    labels = " ".join(f'"{k}"="{v}"' for k, v in {**LABELS, **dict([case.label.split("=", 1)])}.items())
    return "\n".join([f"FROM {base}", *lines, f"LABEL {labels}", ""])


def tar_of(files: dict[str, str], mode: str = "w") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tar:  # type: ignore[call-overload]
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def cat(client: docker.DockerClient, image: str, path: str) -> str:
    """The file's content in the image. Not containers.run(remove=True): it reads the log stream after the
    removal, and sometimes gets nothing."""
    ctr = client.containers.create(image, ["cat", path], labels=LABELS)
    try:
        ctr.start()
        assert ctr.wait(timeout=60)["StatusCode"] == 0
        return str(ctr.logs(stdout=True, stderr=False).decode())
    finally:
        ctr.remove(force=True)


@pytest.mark.parametrize("mode", ["w", "w:gz"])
def test_a_tar_context_on_stdin(client: docker.DockerClient, base_image: str, case: Case, mode: str) -> None:
    text = unique("stdin-tar")
    data = tar_of({"Dockerfile": dockerfile(case, base_image, "COPY f /f"), "f": text}, mode)
    res = dkr("build", "-", input=data.decode("latin-1"), encoding="latin-1")
    assert res.returncode == 0, res.stderr
    assert cat(client, res.stdout.strip(), "/f") == text


def test_a_dockerfile_on_stdin_with_a_folder(
    client: docker.DockerClient, base_image: str, case: Case, tmp_path: Path
) -> None:
    (tmp_path / "app.txt").write_text("from the folder")
    (tmp_path / "Dockerfile").write_text("FROM scratch\nthis file is not the one used\n")
    df = dockerfile(case, base_image, "COPY app.txt /app.txt")
    res = dkr("build", "-f", "-", str(tmp_path), input=df)
    assert res.returncode == 0, res.stderr
    assert cat(client, res.stdout.strip(), "/app.txt") == "from the folder", res.stderr


@pytest.fixture
def web_root(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served over HTTP on 127.0.0.1 (the Engine fetches from this machine's loopback)."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_tarball_url_context(
    client: docker.DockerClient, base_image: str, case: Case, web_root: tuple[Path, str]
) -> None:
    root, url = web_root
    text = unique("url")
    (root / "ctx.tar.gz").write_bytes(
        tar_of({"Dockerfile": dockerfile(case, base_image, "COPY f /f"), "f": text}, "w:gz")
    )
    res = dkr("build", f"{url}/ctx.tar.gz")
    assert res.returncode == 0, res.stderr
    assert f"the Engine fetches the build context from {url}/ctx.tar.gz" in res.stderr
    assert cat(client, res.stdout.strip(), "/f") == text


def test_a_url_that_does_not_answer_is_one_line(web_root: tuple[Path, str]) -> None:
    _, url = web_root
    res = dkr("build", f"{url}/missing.tar.gz")
    assert res.returncode == 1
    errors = [line for line in res.stderr.splitlines() if line.startswith("dkr: error: ")]
    assert len(errors) == 1 and "missing.tar.gz" in errors[0], res.stderr


@pytest.fixture
def git_repo(tmp_path: Path, base_image: str, case: Case) -> Iterator[tuple[str, str]]:
    """A git repository served by `git daemon` on 127.0.0.1 (the Engine clones it with its host's git)."""
    if shutil.which("git") is None:
        pytest.fail("git is not installed (Debian: apt-get install git)", pytrace=False)
    work = tmp_path / "work"
    work.mkdir()
    text = unique("git")
    (work / "sub").mkdir()
    (work / "sub" / "Dockerfile").write_text(dockerfile(case, base_image, "COPY f /f"))
    (work / "sub" / "f").write_text(text)
    git = ["git", "-c", "user.email=t@dkr.test", "-c", "user.name=dkr tests", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=work, check=True)
    subprocess.run([*git, "add", "."], cwd=work, check=True)
    subprocess.run([*git, "commit", "-qm", "context"], cwd=work, check=True)
    served = tmp_path / "served"
    served.mkdir()
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(served / "app.git")], check=True)
    port = free_port()
    daemon = subprocess.Popen(
        ["git", "daemon", "--export-all", f"--base-path={served}", "--listen=127.0.0.1", f"--port={port}",
         "--reuseaddr", str(served)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        import socket
        import time

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.05)
        yield f"git://127.0.0.1:{port}/app.git", text
    finally:
        daemon.terminate()
        daemon.wait(10)


def test_a_git_url_context_with_a_folder(client: docker.DockerClient, git_repo: tuple[str, str]) -> None:
    url, text = git_repo
    res = dkr("build", f"{url}#main:sub")
    assert res.returncode == 0, res.stderr
    assert cat(client, res.stdout.strip(), "/f") == text


def test_push_after_the_build(
    client: docker.DockerClient, registry: Registry, base_image: str, case: Case, tmp_path: Path
) -> None:
    (tmp_path / "Dockerfile").write_text(dockerfile(case, base_image, f"RUN echo {unique('push')} > /f"))
    repo = unique("built")
    ref = f"{registry.host}/{repo}:1"
    res = dkr("build", "--push", "-t", ref, str(tmp_path))
    assert res.returncode == 0, res.stderr
    image_id = res.stdout.strip()
    assert image_id.startswith("sha256:")  # stdout is the image id, as without --push
    digest = registry.digest(repo, "1")
    assert f"pushed {ref}@{digest}" in res.stderr
    assert f"{registry.host}/{repo}@{digest}" in client.images.get(image_id).attrs["RepoDigests"]


def test_a_failed_push_after_the_build_keeps_the_image(
    client: docker.DockerClient, auth_registry: Registry, base_image: str, case: Case, tmp_path: Path
) -> None:
    (tmp_path / "Dockerfile").write_text(dockerfile(case, base_image))
    ref = f"{auth_registry.host}/{unique('built')}:1"
    res = dkr("build", "--push", "-t", ref, str(tmp_path), env={"DOCKER_CONFIG": str(tmp_path / "cfg")})
    assert res.returncode == 1
    assert f"dkr: error: cannot push {ref}: no basic auth credentials" in res.stderr
    assert client.images.get(ref)  # built and tagged; only the push failed
