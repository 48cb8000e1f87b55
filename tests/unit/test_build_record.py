"""dkr's record of the last build per context (dkr.buildrecord): what it keeps, and that it never fails."""

from __future__ import annotations

from pathlib import Path

from dkr import buildrecord


def test_round_trip_keeps_no_secret(tmp_path: Path) -> None:
    buildrecord.save(
        tmp_path,
        "/ctx",
        "/ctx/Dockerfile",
        image_id="sha256:1",
        instructions=["FROM a", "RUN b"],
        layers=["111111111111", "222222222222"],
        build_args={"TOKEN": "s3cret"},
        files={"a.txt": ["f", 0o644, 1, "abc"]},
    )
    text = buildrecord.record_path(tmp_path, "/ctx", "/ctx/Dockerfile").read_text()
    assert "s3cret" not in text
    prev = buildrecord.load(tmp_path, "/ctx", "/ctx/Dockerfile")
    assert prev is not None
    assert prev.instructions == ("FROM a", "RUN b")
    assert prev.build_args == buildrecord.digest_args({"TOKEN": "s3cret"})
    assert prev.files == {"a.txt": ["f", 0o644, 1, "abc"]}
    assert buildrecord.load(tmp_path, "/ctx", "/ctx/Other.dockerfile") is None
    assert buildrecord.load(tmp_path, "/ctx", "/ctx/Dockerfile", "a-target") is None


def test_unreadable_record_is_no_record(tmp_path: Path) -> None:
    path = buildrecord.record_path(tmp_path, "/ctx", "/ctx/Dockerfile")
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert buildrecord.load(tmp_path, "/ctx", "/ctx/Dockerfile") is None
    path.write_text('{"version": 1, "instructions": 3}')
    assert buildrecord.load(tmp_path, "/ctx", "/ctx/Dockerfile") is None


def test_unwritable_cache_never_fails(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    below_a_file = tmp_path / "file" / "below"
    buildrecord.save(
        below_a_file, "/c", "/c/D", image_id="", instructions=[], layers=[], build_args={}, files={}
    )
    buildrecord.write_json(below_a_file / "x.json", {})
