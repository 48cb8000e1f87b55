"""dkr's record of the last build per context (dkr.buildrecord): where it lives, what it keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from dkr import buildrecord


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        pytest.param({"DKR_CACHE_DIR": "/x/dkr", "XDG_CACHE_HOME": "/xdg"}, "/x/dkr", id="explicit-wins"),
        pytest.param({"XDG_CACHE_HOME": "/xdg"}, "/xdg/dkr", id="xdg"),
        pytest.param({"XDG_CACHE_HOME": "relative"}, "HOME/.cache/dkr", id="xdg-must-be-absolute"),
        pytest.param({}, "HOME/.cache/dkr", id="home"),
    ],
)
def test_cache_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    for name in ("DKR_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert str(buildrecord.cache_dir()) == expected.replace("HOME", str(tmp_path))


def test_round_trip_keeps_no_secret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DKR_CACHE_DIR", str(tmp_path))
    buildrecord.save(
        "/ctx",
        "/ctx/Dockerfile",
        image_id="sha256:1",
        instructions=["FROM a", "RUN b"],
        layers=["111111111111", "222222222222"],
        build_args={"TOKEN": "s3cret"},
        files={"a.txt": ["f", 0o644, 1, "abc"]},
    )
    text = buildrecord.record_path("/ctx", "/ctx/Dockerfile").read_text()
    assert "s3cret" not in text
    prev = buildrecord.load("/ctx", "/ctx/Dockerfile")
    assert prev is not None
    assert prev.instructions == ("FROM a", "RUN b")
    assert prev.build_args == buildrecord.digest_args({"TOKEN": "s3cret"})
    assert prev.files == {"a.txt": ["f", 0o644, 1, "abc"]}
    assert buildrecord.load("/ctx", "/ctx/Other.dockerfile") is None


def test_unreadable_record_is_no_record(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DKR_CACHE_DIR", str(tmp_path))
    path = buildrecord.record_path("/ctx", "/ctx/Dockerfile")
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert buildrecord.load("/ctx", "/ctx/Dockerfile") is None
    path.write_text('{"version": 1, "instructions": 3}')
    assert buildrecord.load("/ctx", "/ctx/Dockerfile") is None


def test_unwritable_cache_never_fails(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("DKR_CACHE_DIR", str(tmp_path / "file" / "below-a-file"))
    buildrecord.save("/c", "/c/D", image_id="", instructions=[], layers=[], build_args={}, files={})
