"""dkr's records of its builds (dkr.build.record) in its cache folder (dkr.build.cachedir): where they are, what they
keep, and that they never fail a command."""

from __future__ import annotations

from pathlib import Path

import pytest

from dkr.build import record as buildrecord
from dkr.build.cachedir import build_record_path, cache_dir, context_record_path
from dkr.models.build import BuildResult, BuildStep

IMAGE_ID = "sha256:" + "ab" * 32


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DKR_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


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
    path.write_text('{"version": 1, "instructions": 3}')
    assert buildrecord.load("/ctx", "/ctx/Dockerfile") is None


def test_unwritable_cache_never_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("DKR_CACHE_DIR", str(tmp_path / "file" / "below"))
    buildrecord.save("/c", "/c/D", image_id="", instructions=[], layers=[], build_args={}, files={})
    buildrecord.save_build(BuildResult(IMAGE_ID, (), (), 0))
    assert buildrecord.last_build(IMAGE_ID) is None
