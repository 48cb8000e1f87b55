"""image_fields and `dkr images` output, against what the docker CLI printed for the same Engine payload."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from dkr.fields.images import image_fields, image_rows, is_dangling, parse_reference
from dkr.models.images import Image
from tests.helpers import run_dkr
from tests.unit.fake_engine import FakeEngine

DATA = Path(__file__).parents[1] / "data"
PAYLOAD = json.loads((DATA / "images.json").read_text())
DOCKER = json.loads((DATA / "docker_images.json").read_text())
IMAGES = [Image.from_api(item) for item in PAYLOAD]


def docker_run(*args: str) -> str:
    for run in DOCKER["runs"]:
        if run["args"] == ["images", *args]:
            return str(run["stdout"])
    raise KeyError(args)


@pytest.fixture
def fake_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEngine]:
    """The fake Engine serving the payload docker was shown, at the time docker ran, in docker's zone (UTC)."""
    import dkr.render.images

    monkeypatch.setattr(dkr.render.images, "time", SimpleNamespace(time=lambda: DOCKER["now"]))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    with FakeEngine(tmp_path / "engine.sock") as engine:
        engine.route("GET", r"/images/json", lambda m, p, b: (200, PAYLOAD))
        monkeypatch.setenv("DOCKER_HOST", engine.url)
        yield engine
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    "args",
    [pytest.param(run["args"][1:], id=" ".join(run["args"][1:]) or "table") for run in DOCKER["runs"]],
)
def test_output_equals_docker(fake_engine: FakeEngine, args: list[str]) -> None:
    res = run_dkr("images", *args)
    assert res.code == 0, res.err
    assert res.err == ""
    ours, theirs = res.out.splitlines(keepends=True), docker_run(*args).splitlines(keepends=True)
    # docker orders the rows of one image across repositories by Go map iteration (random): compare the
    # header exactly and the rows as a multiset; -q (no repositories) pins the order of the images
    if theirs[0].split()[0].isupper():
        assert ours[0] == theirs[0]
    assert sorted(ours) == sorted(theirs)
    assert len([r for r in fake_engine.requests if "/images/json" in r]) == 1


def test_json_keys_are_docker_keys() -> None:
    row = image_rows(IMAGES[0])[0]
    first = json.loads(docker_run("--format", "json").splitlines()[0])
    assert list(image_fields(row)) == sorted(first)


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        pytest.param("web:1.0", ("web", "1.0", ""), id="familiar"),
        pytest.param("docker.io/library/busybox:1", ("busybox", "1", ""), id="official-long"),
        pytest.param("index.docker.io/library/busybox:1", ("busybox", "1", ""), id="legacy-hub"),
        pytest.param("docker.io/someone/tool:x", ("someone/tool", "x", ""), id="hub-user"),
        pytest.param("library/busybox:1", ("busybox", "1", ""), id="library-prefix"),
        pytest.param("docker.io/library/a/b:1", ("library/a/b", "1", ""), id="library-nested"),
        pytest.param("localhost:5000/a/b:c", ("localhost:5000/a/b", "c", ""), id="registry-port"),
        pytest.param("localhost/a:c", ("localhost/a", "c", ""), id="localhost"),
        pytest.param("[::1]:5000/a:c", ("[::1]:5000/a", "c", ""), id="ipv6-registry"),
        pytest.param("Registry/a:c", ("Registry/a", "c", ""), id="uppercase-domain"),
        pytest.param("a:V2", ("a", "V2", ""), id="uppercase-tag"),
        pytest.param("a__b-c.d:1", ("a__b-c.d", "1", ""), id="separators"),
        pytest.param("a@sha256:" + "0" * 64, ("a", "", "sha256:" + "0" * 64), id="digest"),
        pytest.param("a:t@sha256:" + "0" * 64, ("a", "t", "sha256:" + "0" * 64), id="tag-and-digest"),
        pytest.param("a", ("a", "", ""), id="name-only"),
        pytest.param("<none>:<none>", None, id="none"),
        pytest.param("A:1", None, id="uppercase-name"),
        pytest.param("a/B:1", None, id="uppercase-path"),
        pytest.param("a:-x", None, id="bad-tag"),
        pytest.param("a@sha256:" + "0" * 63, None, id="short-digest"),
        pytest.param("a@md5:" + "0" * 32, None, id="unknown-algorithm"),
        pytest.param("a@sha256:" + "A" * 64, None, id="uppercase-digest"),
        pytest.param("0" * 64, None, id="bare-id"),
        pytest.param("a" * 256 + ":1", None, id="too-long"),
        pytest.param("a_:1", None, id="trailing-separator"),
    ],
)
def test_parse_reference(text: str, ref: tuple[str, str, str] | None) -> None:
    """The listing's REPOSITORY / TAG / DIGEST of a RepoTags entry (dkr.grammars.reference has the grammar's
    own tables)."""
    parsed = parse_reference(text)
    assert (parsed and (parsed.familiar_name, parsed.tag, parsed.digest)) == ref


def test_dangling() -> None:
    assert is_dangling(Image("sha256:1"))
    assert is_dangling(Image("sha256:1", ("<none>:<none>",), ("<none>@<none>",)))
    assert not is_dangling(Image("sha256:1", ("<none>:<none>",), ("a@sha256:" + "0" * 64,)))
    # an image whose only tag cannot be parsed is not dangling, and has no rows (as docker)
    assert image_rows(Image("sha256:1", ("A:1",))) == []


def test_zero_created_time() -> None:
    fields = image_fields(image_rows(Image("sha256:1", created=-62135596800))[0], now=0)
    assert fields["CreatedSince"] == ""
    assert fields["CreatedAt"] == "0001-01-01 00:00:00 +0000 UTC"


def test_terminal_table(fake_engine: FakeEngine) -> None:
    res = run_dkr("images", tty=True)
    assert res.code == 0, res.err
    assert "REPOSITORY" in res.out and "localhost:5000/team/web" in res.out


def test_quiet_gives_way_to_an_explicit_format(fake_engine: FakeEngine) -> None:
    """As docker's NewImageFormat: -q only changes the table format."""
    assert run_dkr("images", "-q", "--format", "json").out == run_dkr("images", "--format", "json").out
