"""The build context (dkr.build.context): which folder and Dockerfile, and the tar stream docker would send."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
from pathlib import Path

import pytest

from dkr.build import record as buildrecord
from dkr.build.context import CHUNK_SIZE, READ_SIZE, Signature, plan_context, stream_context
from dkr.build.record import RecordKey
from dkr.errors import DkrError


@pytest.fixture(autouse=True)
def cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The record key that keys the content digests lives in the cache folder: a test's own (outside the
    contexts, which are tmp_path), never ~/.cache."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("DKR_CACHE_DIR", str(folder))
    monkeypatch.setattr(buildrecord, "_KEYS", {})
    return folder


def tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def sent(
    root: Path, dockerfile: str | None = None
) -> tuple[tarfile.TarFile, dict[str, Signature], list[bytes]]:
    plan = plan_context(str(root), dockerfile)
    signatures: dict[str, Signature] = {}
    chunks = list(stream_context(plan, signatures))
    return tarfile.open(fileobj=io.BytesIO(b"".join(chunks))), signatures, chunks


def test_missing_context(tmp_path: Path) -> None:
    with pytest.raises(DkrError, match=r"build context folder '.*nope' does not exist"):
        plan_context(str(tmp_path / "nope"))


def test_context_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(DkrError, match="is not a folder"):
        plan_context(str(tmp_path / "f"))


def test_missing_dockerfile(tmp_path: Path) -> None:
    with pytest.raises(DkrError, match="no Dockerfile in") as info:
        plan_context(str(tmp_path))
    assert info.value.hint and "-f FILE" in info.value.hint


def test_missing_named_dockerfile(tmp_path: Path) -> None:
    with pytest.raises(DkrError, match=r"Dockerfile 'nope\.df' does not exist"):
        plan_context(str(tmp_path), "nope.df")


def test_lowercase_dockerfile_is_found(tmp_path: Path) -> None:
    tree(tmp_path, {"dockerfile": "FROM scratch\n"})
    assert plan_context(str(tmp_path)).dockerfile == "dockerfile"


def test_dash_f_is_relative_to_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree(tmp_path, {"ctx/docker/Dockerfile.dev": "FROM scratch\n", "ctx/a": "a"})
    monkeypatch.chdir(tmp_path / "ctx")
    plan = plan_context(".", "docker/Dockerfile.dev")
    assert plan.dockerfile == "docker/Dockerfile.dev"
    assert plan.dockerfile_inline is None
    with pytest.raises(DkrError, match="does not exist"):
        plan_context("docker", "Dockerfile.dev")  # not relative to the context


def test_bad_ignore_rule_fails_before_upload(tmp_path: Path) -> None:
    tree(tmp_path, {"Dockerfile": "FROM scratch\n", ".dockerignore": "ok\nbad[\n"})
    with pytest.raises(DkrError, match=r"\.dockerignore: invalid pattern 'bad\['"):
        plan_context(str(tmp_path))


def test_tar_is_what_docker_sends(tmp_path: Path) -> None:
    root = tree(tmp_path, {"Dockerfile": "FROM scratch\n", "app/main.py": "print(1)\n", "big.bin": ""})
    (root / "app/main.py").chmod(0o750)
    os.symlink("app/main.py", root / "link")
    os.link(root / "app/main.py", root / "hard")
    os.mkfifo(root / "fifo")
    with open(root / "big.bin", "wb") as fh:
        fh.truncate(3 * READ_SIZE + 7)
    archive, signatures, chunks = sent(root)
    members = {m.name: m for m in archive.getmembers()}
    assert list(members) == ["Dockerfile", "app", "app/main.py", "big.bin", "fifo", "hard", "link"]
    assert all(m.uid == 0 and m.gid == 0 and m.uname == "" and m.gname == "" for m in members.values())
    assert members["app"].isdir() and members["fifo"].isfifo()
    assert members["app/main.py"].mode == 0o750
    assert members["link"].issym() and members["link"].linkname == "app/main.py"
    assert members["hard"].islnk() and members["hard"].linkname == "app/main.py"
    assert archive.extractfile("app/main.py").read() == b"print(1)\n"  # type: ignore[union-attr]
    assert archive.extractfile("big.bin").read() == b"\0" * (3 * READ_SIZE + 7)  # type: ignore[union-attr]
    assert max(len(c) for c in chunks) < CHUNK_SIZE + READ_SIZE + 1024  # never the whole file at once
    assert signatures["app/main.py"][:3] == ["f", 0o750, 9]
    assert signatures["app"][0] == "d" and signatures["link"] == ["l", 0o777, 0, "app/main.py"]
    assert signatures["hard"] == ["h", 0o750, 0, "app/main.py"]


def test_signatures_follow_content_not_mtime(tmp_path: Path) -> None:
    root = tree(tmp_path, {"Dockerfile": "FROM scratch\n", "a.txt": "one"})
    _, first, _ = sent(root)
    os.utime(root / "a.txt", (1, 1))
    _, touched, _ = sent(root)
    (root / "a.txt").write_text("two")
    _, edited, _ = sent(root)
    assert first == touched
    assert first["a.txt"] != edited["a.txt"]


def test_content_digests_are_keyed(tmp_path: Path) -> None:
    """A weak secret in a context file (a .env) cannot be guessed from its fingerprint without the user's key."""
    root = tree(tmp_path, {"Dockerfile": "FROM scratch\n", ".env": "TOKEN=hunter2\n"})
    plan = plan_context(str(root))
    one, two = RecordKey(b"1" * 32), RecordKey(b"2" * 32)
    signed: list[dict[str, Signature]] = [{}, {}, {}, {}]
    for key, signatures in zip((one, one, two, None), signed, strict=True):
        list(stream_context(plan, signatures, key))
    assert signed[0] == signed[1]  # one key: the same fingerprints, as a rebuild compares them
    assert signed[0][".env"][:3] == signed[2][".env"][:3] and signed[0][".env"][0::2] == ["f", 14]
    assert signed[0][".env"][3] == one.file_digest(b"TOKEN=hunter2\n") != signed[2][".env"][3]
    assert signed[3][".env"][3] == buildrecord.record_key().file_digest(b"TOKEN=hunter2\n")  # the user's key
    assert hashlib.blake2b(b"TOKEN=hunter2\n", digest_size=16).hexdigest() not in {
        s[".env"][3] for s in signed
    }


def test_dockerfile_outside_the_context(tmp_path: Path) -> None:
    tree(tmp_path, {"Dockerfile.ext": "FROM scratch\n", "ctx/a.txt": "a", "ctx/.dockerignore": "*.log"})
    archive, _, _ = sent(tmp_path / "ctx", str(tmp_path / "Dockerfile.ext"))
    names = archive.getnames()
    inline = [n for n in names if n.startswith(".dockerfile.")]
    assert len(inline) == 1 and len(inline[0]) == len(".dockerfile.") + 20
    assert archive.extractfile(inline[0]).read() == b"FROM scratch\n"  # type: ignore[union-attr]
    # as docker does, the random name is appended to .dockerignore so that the Engine drops it again
    ignore = archive.extractfile(".dockerignore").read()  # type: ignore[union-attr]
    assert ignore == f"*.log\n{inline[0]}\n".encode()


def test_dockerfile_outside_the_context_without_ignore_file(tmp_path: Path) -> None:
    tree(tmp_path, {"Dockerfile.ext": "FROM scratch\n", "ctx/a.txt": "a"})
    archive, _, _ = sent(tmp_path / "ctx", str(tmp_path / "Dockerfile.ext"))
    inline = next(n for n in archive.getnames() if n.startswith(".dockerfile."))
    assert archive.extractfile(".dockerignore").read() == f".dockerignore\n{inline}\n".encode()  # type: ignore[union-attr]


def test_unreadable_file_fails_before_upload(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree(tmp_path, {"Dockerfile": "FROM scratch\n", "secret": "x"})
    (root / "secret").chmod(0)
    if os.geteuid() == 0:  # root reads every file: pretend it cannot, as a user could not
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, mode: not str(p).endswith("secret") and real(p, mode))
    with pytest.raises(DkrError, match="cannot read 'secret' in the build context") as info:
        plan_context(str(root))
    assert info.value.hint == "Fix its permissions, or exclude it in .dockerignore."


@pytest.mark.parametrize(
    ("ignore", "hidden"),
    [
        pytest.param("Dockerfile\n.dockerignore\n", (".dockerignore", "Dockerfile"), id="both-excluded"),
        pytest.param("*.log\n", (), id="neither"),
        pytest.param("*\n!app.js\n", (".dockerignore", "Dockerfile"), id="by-wildcard"),
    ],
)
def test_build_files_the_daemon_drops_after_reading(
    tmp_path: Path, ignore: str, hidden: tuple[str, ...]
) -> None:
    root = tree(tmp_path, {"Dockerfile": "FROM x\n", ".dockerignore": ignore, "app.js": "1"})
    plan = plan_context(str(root))
    assert plan.hidden_from_copy == hidden
    assert {"Dockerfile", ".dockerignore"} <= set(plan.entries), "docker sends them all the same"


# --- `-` (stdin) and URL contexts ---------------------------------------------------------------------------


def archive(files: dict[str, bytes], mode: str = "w") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tar:  # type: ignore[call-overload]
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


@pytest.mark.parametrize("mode", ["w", "w:gz", "w:bz2", "w:xz"])
def test_a_tar_on_stdin_is_sent_as_it_came(mode: str) -> None:
    data = archive({"Dockerfile": b"FROM scratch\nCOPY f /f\n", "f": b"hello"}, mode)
    plan = plan_context("-", None, io.BytesIO(data))
    assert (plan.dockerfile, plan.files, plan.size) == ("Dockerfile", 2, 28)
    assert plan.dockerfile_text == "FROM scratch\nCOPY f /f\n"
    assert plan.shown_dockerfile == "<stdin>/Dockerfile"
    signatures: dict[str, Signature] = {}
    assert b"".join(stream_context(plan, signatures)) == data  # compressed too: the Engine unpacks it
    assert set(signatures) == {"Dockerfile", "f"} and signatures["f"][:3] == ["f", 0o644, 5]


def test_f_names_the_dockerfile_inside_the_stdin_tar() -> None:
    data = archive({"docker/Dockerfile.dev": b"FROM scratch\n", "./x": b""})
    plan = plan_context("-", "docker/Dockerfile.dev", io.BytesIO(data))
    assert plan.dockerfile == "docker/Dockerfile.dev" and plan.entries == ["docker/Dockerfile.dev", "x"]
    with pytest.raises(DkrError, match="has no Dockerfile"):
        plan_context("-", None, io.BytesIO(data))


def test_a_dockerfile_alone_on_stdin_is_the_whole_context() -> None:
    """docker build - < Dockerfile: not an archive, so a context of that one file (and -f is ignored)."""
    plan = plan_context("-", "ignored", io.BytesIO(b"FROM scratch\nLABEL a=b\n"))
    assert plan.dockerfile == "Dockerfile" and plan.entries == ["Dockerfile"]
    with tarfile.open(fileobj=io.BytesIO(b"".join(stream_context(plan, {})))) as tar:
        member = tar.extractfile("Dockerfile")
        assert member is not None and member.read() == b"FROM scratch\nLABEL a=b\n"


def test_a_dockerfile_on_stdin_goes_with_a_folder(tmp_path: Path) -> None:
    tree(tmp_path, {"app.txt": "x", "Dockerfile": "FROM scratch\nCOPY nothing /\n"})
    plan = plan_context(str(tmp_path), "-", io.BytesIO(b"FROM scratch\nCOPY app.txt /\n"))
    assert plan.dockerfile.startswith(".dockerfile.") and plan.shown_dockerfile == "<stdin>"
    assert plan.dockerfile_text == "FROM scratch\nCOPY app.txt /\n"
    with tarfile.open(fileobj=io.BytesIO(b"".join(stream_context(plan, {})))) as tar:
        sent_file = tar.extractfile(plan.dockerfile)
        assert sent_file is not None and sent_file.read() == b"FROM scratch\nCOPY app.txt /\n"
        ignore = tar.extractfile(".dockerignore")  # as docker: the Engine drops it from the context again
        assert ignore is not None and plan.dockerfile in ignore.read().decode()


def test_stdin_for_both_or_without_stdin_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DkrError, match="both the build context and the Dockerfile"):
        plan_context("-", "-", io.BytesIO(b"FROM scratch\n"))
    with pytest.raises(DkrError, match="there is none to read"):
        plan_context("-", None, None)


@pytest.mark.parametrize(
    ("context", "remote"),
    [
        # docker/cli's urlutil: IsGitURL and IsURL
        ("https://github.com/docker/docker.git", True),
        ("https://github.com/docker/docker.git#branch", True),
        ("https://github.com/docker/docker.git#:folder", True),
        ("git://github.com/docker/docker", True),
        ("git@github.com:docker/docker.git", True),
        ("github.com/docker/docker", True),
        ("http://127.0.0.1:8080/context.tar.gz", True),
        ("https://example.com/Dockerfile", True),
        (".", False),
        ("./github.com/docker", False),
        ("http", False),
        ("-", False),
    ],
)
def test_remote_contexts(context: str, remote: bool) -> None:
    from dkr.build.context import remote_context

    assert (remote_context(context) == context) is remote


def test_a_url_context_is_the_engines_to_fetch() -> None:
    plan = plan_context("https://example.com/app.git#main", "build/Dockerfile")
    assert plan.remote == "https://example.com/app.git#main" and plan.entries == []
    assert plan.shown_dockerfile == "build/Dockerfile in https://example.com/app.git#main"
    with pytest.raises(DkrError, match="needs a local build context"):
        plan_context("https://example.com/app.git", "-", io.BytesIO(b""))
