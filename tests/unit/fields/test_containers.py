"""docker's container field forms, checked against payloads and `docker ps --format json` output recorded
from a real Engine (tests/unit/data/)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dkr.fields.containers import (
    JSON_KEYS,
    container_fields,
    ellipsis,
    go_json,
    go_quote,
    truncate_id,
)
from dkr.grammars.units import human_duration, human_size
from dkr.models.containers import Container

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def recorded() -> list[Container]:
    return [Container.from_api(c) for c in json.loads((DATA / "containers_list.json").read_text())]


@pytest.mark.parametrize(
    ("jsonl", "trunc"),
    [
        pytest.param("containers_docker_ps.jsonl", True, id="truncated"),
        pytest.param("containers_docker_ps_notrunc.jsonl", False, id="no-trunc"),
    ],
)
def test_fields_equal_recorded_docker_output(utc: None, jsonl: str, trunc: bool) -> None:
    docker_rows = {}
    for line in (DATA / jsonl).read_text().splitlines():
        row = json.loads(line)
        docker_rows[row["Names"]] = row
    for c in recorded():
        ours = container_fields(c, trunc)
        theirs = docker_rows[c.name]
        assert tuple(ours) == JSON_KEYS
        assert set(ours) == set(theirs)
        for key in JSON_KEYS:
            if key != "RunningFor":  # depends on the clock
                assert ours[key] == theirs[key], key


def test_json_line_is_byte_identical_to_docker(utc: None) -> None:
    line = (DATA / "containers_docker_ps.jsonl").read_text().splitlines()[1]
    sp1 = next(c for c in recorded() if c.name == "sp1")
    fields = container_fields(sp1, True)
    fields["RunningFor"] = json.loads(line)["RunningFor"]
    assert go_json(fields) == line


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        pytest.param(0.5, "Less than a second", id="sub-second"),
        pytest.param(1, "1 second", id="one-second"),
        pytest.param(59, "59 seconds", id="seconds"),
        pytest.param(60, "About a minute", id="minute"),
        pytest.param(119, "About a minute", id="still-a-minute"),
        pytest.param(120, "2 minutes", id="minutes"),
        pytest.param(3599, "59 minutes", id="59-minutes"),
        pytest.param(3600, "About an hour", id="hour"),
        pytest.param(5400, "2 hours", id="rounds-half-up"),
        pytest.param(47 * 3600, "47 hours", id="hours"),
        pytest.param(48 * 3600, "2 days", id="days"),
        pytest.param(14 * 86400, "2 weeks", id="weeks"),
        pytest.param(60 * 86400, "2 months", id="months"),
        pytest.param(2 * 365 * 86400, "2 years", id="years"),
    ],
)
def test_human_duration(seconds: float, expected: str) -> None:
    assert human_duration(seconds) == expected


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        pytest.param(0, "0B", id="zero"),
        pytest.param(123, "123B", id="bytes"),
        pytest.param(12300, "12.3kB", id="kilo"),
        pytest.param(1_000_000, "1MB", id="mega"),
        pytest.param(21_500_000, "21.5MB", id="decimal"),
        pytest.param(999_500, "1e+03kB", id="go-g-format"),
    ],
)
def test_human_size(size: int, expected: str) -> None:
    assert human_size(size) == expected


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        pytest.param("short", 20, "short", id="fits"),
        pytest.param("a" * 20, 20, "a" * 20, id="exact"),
        pytest.param("sh -c 'echo a long command'", 20, "sh -c 'echo a long …", id="cut"),
        pytest.param("日本語日本語日本語日本語", 20, "日本語日本語日本語…", id="wide-runes"),
        pytest.param("x", 0, "", id="zero-width"),
    ],
)
def test_ellipsis(text: str, width: int, expected: str) -> None:
    assert ellipsis(text, width) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("sleep 300", '"sleep 300"', id="plain"),
        pytest.param('echo "hi"', '"echo \\"hi\\""', id="quotes"),
        pytest.param("a\tb\nc\\", '"a\\tb\\nc\\\\"', id="escapes"),
        pytest.param("\x01", '"\\x01"', id="control"),
        pytest.param("héllo…", '"héllo…"', id="unicode-kept"),
    ],
)
def test_go_quote(text: str, expected: str) -> None:
    assert go_quote(text) == expected


def test_truncate_id() -> None:
    assert truncate_id("sha256:" + "ab" * 32) == "abababababab"
    assert truncate_id("0123456789abcdef") == "0123456789ab"


def test_go_json_escapes_like_go() -> None:
    assert (
        go_json({"P": "0.0.0.0:80->80/tcp & <x>"})
        == '{"P":"0.0.0.0:80-\\u003e80/tcp \\u0026 \\u003cx\\u003e"}'
    )


def _container(**kw: object) -> Container:
    base: dict[str, object] = {
        "Id": "f" * 64, "Names": ["/web"], "Image": "img", "ImageID": "sha256:" + "e" * 64,
        "Command": "run", "Created": 0, "State": "running", "Status": "Up",
    }  # fmt: skip
    base.update(kw)
    return Container.from_api(base)


@pytest.mark.parametrize(
    ("image", "image_id", "expected"),
    [
        pytest.param("nginx:1.25", "sha256:" + "e" * 64, "nginx:1.25", id="tagged"),
        pytest.param("docker.io/library/nginx:1.25", "sha256:" + "e" * 64, "nginx:1.25", id="familiar"),
        pytest.param(
            "nginx:1.25@sha256:" + "a" * 64, "sha256:" + "e" * 64, "nginx:1.25", id="digest-dropped"
        ),
        pytest.param("sha256:" + "e" * 64, "sha256:" + "e" * 64, "e" * 12, id="image-id"),
        pytest.param("", "", "<no image>", id="none"),
    ],
)
def test_image_field(image: str, image_id: str, expected: str) -> None:
    assert container_fields(_container(Image=image, ImageID=image_id))["Image"] == expected


def test_names_skip_legacy_links_when_truncated() -> None:
    c = _container(Names=["/other/alias", "/web"])
    assert container_fields(c, True)["Names"] == "web"
    assert container_fields(c, False)["Names"] == "other/alias,web"


def test_labels_sorted_and_size() -> None:
    c = _container(Labels={"z": "1", "a": "x=y"}, SizeRw=123, SizeRootFs=12300)
    fields = container_fields(c)
    assert fields["Labels"] == "a=x=y,z=1"
    assert fields["Size"] == "123B (virtual 12.3kB)"
