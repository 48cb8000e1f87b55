"""dkr's records of its builds (dkr.build.record) in its cache folder (dkr.build.cachedir): where they are, what they
keep (never a build arg value or a file's content, nor an unkeyed digest of one), that a record of another format
or key is no record, and that they never fail a command. The record key itself: test_record_key.py."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from dkr.build import record as buildrecord
from dkr.build.cache_report import explain
from dkr.build.cachedir import build_record_path, cache_dir, context_record_path, key_path
from dkr.build.context import Signature, plan_context, stream_context
from dkr.models.build import BuildResult, BuildStep

IMAGE_ID = "sha256:" + "ab" * 32


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DKR_CACHE_DIR", str(tmp_path / "cache"))
    new_process(monkeypatch)
    return tmp_path / "cache"


def new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process remembers its record key: forget it, as the next dkr command would start without it."""
    monkeypatch.setattr(buildrecord, "_KEYS", {})


def test_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DKR_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_dir() == tmp_path / ".cache" / "dkr"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "dkr"
    monkeypatch.setenv("DKR_CACHE_DIR", str(tmp_path / "own"))
    assert cache_dir() == tmp_path / "own"


def test_record_paths(cache: Path) -> None:
    assert build_record_path(IMAGE_ID) == cache / "builds" / f"{IMAGE_ID[7:]}.json"
    path = context_record_path("/ctx", "/ctx/Dockerfile")
    assert path.parent == cache / "contexts" and len(path.stem) == 32
    assert context_record_path("/ctx", "/ctx/Dockerfile", "test") != path  # one per --target
    assert context_record_path("/ctx", "/ctx/Other.dockerfile") != path


def test_round_trip_keeps_no_secret() -> None:
    buildrecord.save(
        "/ctx",
        "/ctx/Dockerfile",
        image_id="sha256:1",
        instructions=["FROM a", "RUN b"],
        layers=["111111111111", "222222222222"],
        build_args={"TOKEN": "s3cret"},
        files={"a.txt": ["f", 0o644, 1, "abc"]},
    )
    text = context_record_path("/ctx", "/ctx/Dockerfile").read_text()
    assert "s3cret" not in text
    prev = buildrecord.load("/ctx", "/ctx/Dockerfile")
    assert prev is not None
    assert prev.instructions == ("FROM a", "RUN b")
    assert prev.build_args == buildrecord.digest_args({"TOKEN": "s3cret"})
    assert prev.files == {"a.txt": ["f", 0o644, 1, "abc"]}
    assert buildrecord.load("/ctx", "/ctx/Other.dockerfile") is None
    assert buildrecord.load("/ctx", "/ctx/Dockerfile", "a-target") is None


def test_image_record_is_what_dkr_layers_reads() -> None:
    steps = (BuildStep(1, "FROM a", True, seconds=0.5), BuildStep(2, "RUN b", False, seconds=1.25))
    buildrecord.save_build(BuildResult(IMAGE_ID, ("app:1",), steps, 2))
    assert buildrecord.last_build(IMAGE_ID) == [BuildStep(1, "FROM a", True), BuildStep(2, "RUN b", False)]
    assert buildrecord.last_build("sha256:" + "cd" * 32) is None


def test_unreadable_record_is_no_record() -> None:
    path = context_record_path("/ctx", "/ctx/Dockerfile")
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert buildrecord.load("/ctx", "/ctx/Dockerfile") is None
    path.write_text(json.dumps({"version": 2, "key": buildrecord.record_key().id, "instructions": 3}))
    assert buildrecord.load("/ctx", "/ctx/Dockerfile") is None


def test_unwritable_cache_never_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("DKR_CACHE_DIR", str(tmp_path / "file" / "below"))
    buildrecord.save("/c", "/c/D", image_id="", instructions=[], layers=[], build_args={}, files={})
    buildrecord.save_build(BuildResult(IMAGE_ID, (), (), 0))
    assert buildrecord.last_build(IMAGE_ID) is None
    assert buildrecord.load("/c", "/c/D") is None


def test_full_disk_never_fails(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    def full(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(
        os, "write", full
    )  # the key cannot be written: this run's digests use a key of its own
    buildrecord.save("/c", "/c/D", image_id="", instructions=[], layers=[], build_args={"A": "1"}, files={})
    assert not buildrecord.record_key().kept
    assert buildrecord.load("/c", "/c/D") is None
    assert list(cache.iterdir()) == []  # no half-written key, no record no later run could read


# --- what a record keeps, and which record counts ---------------------------------------------------------

STEPS_BEFORE = ["FROM base", "ARG TOKEN", "COPY . /app", "RUN make"]
LAYERS = ["111111111111", "222222222222", "333333333333", "444444444444"]


def build_context(tmp_path: Path, **files: str) -> tuple[str, str, dict[str, Signature]]:
    """Plan and send a context (as dkr build does): its root, Dockerfile path and file fingerprints."""
    ctx = tmp_path / "ctx"
    ctx.mkdir(exist_ok=True)
    (ctx / "Dockerfile").write_text("FROM base\nARG TOKEN\nCOPY . /app\nRUN make\n")
    for name, text in files.items():
        (ctx / name).write_text(text)
    plan = plan_context(str(ctx))
    signatures: dict[str, Signature] = {}
    for _chunk in stream_context(plan, signatures):
        pass
    return plan.root, plan.dockerfile_path, signatures


def save_build(root: str, dockerfile: str, files: dict[str, Signature], token: str) -> None:
    buildrecord.save(
        root, dockerfile, image_id="sha256:1", instructions=STEPS_BEFORE, layers=LAYERS,
        build_args={"TOKEN": token}, files=files,
    )  # fmt: skip


def rebuild_explained(
    root: str, dockerfile: str, files: dict[str, Signature], token: str, first_miss: int
) -> tuple[str, tuple[str, ...]]:
    """The cache report of a rebuild whose first step that ran is `first_miss`: (reason, changed files)."""
    steps = [
        BuildStep(i, text, i < first_miss, layer_id=LAYERS[i - 1]) for i, text in enumerate(STEPS_BEFORE, 1)
    ]
    expl = explain(
        steps,
        previous=buildrecord.load(root, dockerfile),
        files=files,
        build_args=buildrecord.digest_args({"TOKEN": token}),
    )
    assert expl is not None
    return expl.reason, expl.changed_files


def test_a_rebuild_with_the_same_key_sees_nothing_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, dockerfile, files = build_context(tmp_path, **{"app.c": "int main;", ".env": "TOKEN=hunter2"})
    save_build(root, dockerfile, files, "hunter2")
    new_process(monkeypatch)  # the next dkr build reads the same key back from its file
    root, dockerfile, again = build_context(tmp_path)
    assert again == files
    assert rebuild_explained(root, dockerfile, again, "hunter2", first_miss=4)[0] == "unknown"
    assert rebuild_explained(root, dockerfile, again, "hunter3", first_miss=4)[0] == "build-args"
    _, _, edited = build_context(tmp_path, **{".env": "TOKEN=hunter3"})
    assert rebuild_explained(root, dockerfile, edited, "hunter2", first_miss=3) == (
        "files-changed",
        (".env",),
    )


def test_the_record_holds_no_value_nor_an_unkeyed_digest_of_one(tmp_path: Path) -> None:
    env = "TOKEN=hunter2\n"
    root, dockerfile, files = build_context(tmp_path, **{".env": env})
    save_build(root, dockerfile, files, "hunter2")
    raw = context_record_path(root, dockerfile).read_bytes()
    for secret in (b"hunter2", env.encode()):
        plain = [
            hashlib.sha256(secret).hexdigest(),
            hashlib.sha256(secret).hexdigest()[:16],  # version 1's build arg digest
            hashlib.blake2b(secret, digest_size=16).hexdigest(),  # version 1's file digest
            hashlib.blake2b(secret).hexdigest(),
            hashlib.md5(secret).hexdigest(),
        ]
        assert secret not in raw
        assert not [digest for digest in plain if digest.encode() in raw]
    key = key_path().read_bytes()
    assert key not in raw and key.hex().encode() not in raw
    record = json.loads(raw)
    assert record["version"] == buildrecord.VERSION == 2
    assert record["key"] == buildrecord.record_key().id
    assert len(record["build_args"]["TOKEN"]) == 32  # 16 bytes: no truncation that collisions could hit


def test_an_old_format_record_is_no_record(tmp_path: Path) -> None:
    """Version 1 kept unkeyed digests: comparing them with keyed ones would say every file and arg changed."""
    root, dockerfile, files = build_context(tmp_path, **{"app.c": "int main;"})
    old = {
        "version": 1,
        "context": root,
        "dockerfile": dockerfile,
        "image_id": "sha256:1",
        "instructions": STEPS_BEFORE,
        "layers": LAYERS,
        "build_args": {"TOKEN": hashlib.sha256(b"hunter2").hexdigest()[:16]},
        "files": {p: [*s[:3], hashlib.blake2b(b"x", digest_size=16).hexdigest()] for p, s in files.items()},
    }
    path = context_record_path(root, dockerfile)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(old))
    assert buildrecord.load(root, dockerfile) is None
    assert rebuild_explained(root, dockerfile, files, "hunter2", first_miss=3) == ("no-record", ())
    # so is a record of this version without the key id
    path.write_text(json.dumps({**old, "version": buildrecord.VERSION}))
    assert buildrecord.load(root, dockerfile) is None


def test_a_record_made_with_another_key_is_no_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, dockerfile, files = build_context(tmp_path, **{"app.c": "int main;"})
    save_build(root, dockerfile, files, "hunter2")
    assert buildrecord.load(root, dockerfile) is not None
    key_path().chmod(0o644)  # no longer to be trusted: the next run replaces it
    new_process(monkeypatch)
    _, _, files = build_context(tmp_path)
    assert rebuild_explained(root, dockerfile, files, "hunter2", first_miss=3) == ("no-record", ())
