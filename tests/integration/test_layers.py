"""dkr layers against the real Engine, on an image built here FROM the base image, read back via the SDK."""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker
import pytest

from tests.helpers import assert_one_line_error
from tests.integration.support import LABELS, as_result, dkr, label_instructions, on_podman, unique

#: the steps of the image built below, after FROM (the builder adds one LABEL step per --label at the end)
INSTRUCTIONS = ["WORKDIR /app", "COPY small /app/small", "COPY big /app/big", "RUN echo {stamp} > /app/stamp",
                "ENV A=1", 'CMD ["sh"]']  # fmt: skip


@dataclass
class Built:
    tag: str
    id: str
    size: int
    #: the build's steps as `dkr build --format json` reports them, read from the builder's own stream
    steps: list[dict[str, Any]]


@pytest.fixture(scope="module")
def built(
    client: docker.DockerClient, base_image: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Built]:
    ctx = tmp_path_factory.mktemp("layers")
    (ctx / "small").write_bytes(os.urandom(150_000))
    (ctx / "big").write_bytes(os.urandom(1_200_000))
    stamp = unique("stamp")
    body = "\n".join(i.format(stamp=stamp) for i in INSTRUCTIONS)
    (ctx / "Dockerfile").write_text(f"FROM {base_image}\n{body}\n")
    tag = f"{unique('layers')}:1"
    stream = []
    try:
        for chunk in client.api.build(
            path=str(ctx), tag=tag, labels=LABELS, rm=True, forcerm=True, decode=True
        ):
            assert "error" not in chunk, chunk
            stream.append(chunk.get("stream", ""))
        image = client.images.get(tag)
        yield Built(tag, image.id, image.attrs["Size"], steps_of("".join(stream)))
    finally:
        with contextlib.suppress(docker.errors.APIError):
            client.images.remove(tag, force=True)


def steps_of(output: str) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    for line in output.splitlines():
        m = re.match(r"(?:Step|STEP) (\d+)/\d+ ?: (.*)$", line)  # Docker's words, or Podman's
        if m:
            # a FROM whose image is present counts as cached (the contract's rule)
            steps.append({"index": int(m[1]), "instruction": m[2], "cached": m[2].startswith("FROM ")})
        elif "Using cache" in line and steps:
            steps[-1]["cached"] = True
    return steps


@pytest.fixture
def cache_dir(tmp_path: Path) -> dict[str, str]:
    """An empty dkr cache: no record of any build unless a test writes one."""
    return {"DKR_CACHE_DIR": str(tmp_path / "cache")}


def test_json_equals_the_engines_history(
    built: Built, client: docker.DockerClient, cache_dir: dict[str, str]
) -> None:
    res = dkr("layers", built.tag, "--format", "json", env=cache_dir)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    history = list(reversed(client.api.history(built.tag)))
    assert (doc["image"], doc["id"]) == (built.tag, built.id)
    assert [row["id"] for row in doc["layers"]] == [h["Id"] for h in history]
    assert [row["size"] for row in doc["layers"]] == [h["Size"] for h in history]
    assert [row["created_by"] for row in doc["layers"]] == [h["CreatedBy"] for h in history]
    assert doc["size"] == doc["layers"][-1]["cumulative"] == built.size
    assert abs(sum(row["percent"] for row in doc["layers"]) - 100) < 1
    ours = [row["instruction"] for row in doc["layers"]][-len(INSTRUCTIONS) - 2 :]
    assert ours[0] == "WORKDIR /app"
    assert re.fullmatch(r"COPY file:[0-9a-f]{12} in /app/small", ours[1])
    assert ours[3].startswith("RUN echo dkrtest-") and ours[4:6] == ["ENV A=1", 'CMD ["sh"]']
    assert sorted(ours[6:]) == sorted(f"LABEL {k}={v}" for k, v in LABELS.items())
    assert not any("#(nop)" in row["instruction"] for row in doc["layers"])
    assert all(row["cached"] is None for row in doc["layers"])


@pytest.mark.podman
def test_table_piped(built: Built, client: docker.DockerClient, cache_dir: dict[str, str]) -> None:
    res = dkr("layers", built.tag, env=cache_dir)
    assert res.returncode == 0, res.stderr
    header, *rows = res.stdout.splitlines()
    assert header.split() == ["#", "CREATED", "BY", "SIZE", "CUMULATIVE", "SHARE"]
    assert len(rows) == len(client.api.history(built.tag))
    big = next(r for r in rows if "in /app/big" in r)
    size, _, share = big.split()[-3:]
    assert size == "1.2MB" and re.fullmatch(r"\d+\.\d%", share)
    assert "\x1b[" not in res.stdout
    assert re.fullmatch(
        rf"{re.escape(built.tag)} \({built.id[7:19]}\): \S+ in {len(rows)} layers; .*\n", res.stderr
    )


def test_cache_column_from_the_last_build_record(built: Built, cache_dir: dict[str, str]) -> None:
    """The record dkr build keeps: builds/<image id>.json holding its --format json object."""
    record = Path(cache_dir["DKR_CACHE_DIR"]) / "builds" / f"{built.id.removeprefix('sha256:')}.json"
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps({"id": built.id, "tags": [built.tag], "steps": built.steps}))
    res = dkr("layers", built.tag, "--format", "json", env=cache_dir)
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)["layers"]
    # every step after FROM made one history entry, in order; the FROM is the base image's top entry
    made_here = built.steps
    assert [(r["step"], r["cached"]) for r in rows[-len(made_here) :]] == [
        (s["index"], s["cached"]) for s in made_here
    ]
    assert all(r["step"] is None for r in rows[: -len(made_here)])
    table = dkr("layers", built.tag, env=cache_dir)
    header, *lines = table.stdout.splitlines()
    assert header.split()[-1] == "CACHE"
    assert [line.split()[-1] for line in lines[-len(made_here) :]] == [
        "cached" if s["cached"] else "ran" for s in made_here
    ]
    assert "last dkr build:" in table.stderr


def test_one_history_request(built: Built, tmp_path: Path, cache_dir: dict[str, str]) -> None:
    from tests.integration.proxy import CountingProxy

    with CountingProxy(tmp_path / "proxy.sock") as proxy:
        res = dkr("-H", f"unix://{proxy.path}", "layers", built.tag, env=cache_dir)
    assert res.returncode == 0, res.stderr
    assert [r for r in proxy.requests if "/version" not in r and not r.endswith("/_ping")] == [
        f"GET /v{_api(proxy.requests)}/images/{built.tag}/history"
    ]


def _api(requests: list[str]) -> str:
    versions = {m[1] for r in requests if (m := re.search(r"/v([0-9.]+)/", r))}
    assert len(versions) == 1, requests
    return versions.pop()


@pytest.mark.podman
def test_no_such_image(cache_dir: dict[str, str]) -> None:
    res = dkr("layers", unique("missing"), env=cache_dir)
    assert_one_line_error(as_result(res), 1, "no such image", "build or pull it first")


def test_unreachable_engine(tmp_path: Path) -> None:
    res = dkr("-H", f"unix://{tmp_path}/nothing.sock", "layers", "img")
    assert_one_line_error(as_result(res), 1, "cannot connect to the Docker Engine", "no such socket")


def test_cache_column_after_a_rebuild_matches_dkr_build(
    client: docker.DockerClient, base_image: str, tmp_path: Path, cache_dir: dict[str, str]
) -> None:
    """dkr build, a rebuild after one file changed, then dkr layers: each step of the last build, the FROM
    and the --label steps included, is on its layer with the `cached` dkr build --format json reported."""
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    (ctx / "config.txt").write_text("one\n")
    (ctx / "app.txt").write_text("v1\n")
    (ctx / "Dockerfile").write_text(
        f"FROM {base_image}\nWORKDIR /app\nCOPY config.txt /app/\nRUN cat config.txt > configured\n"
        "COPY app.txt /app/\nRUN wc -c app.txt > size\nENV A=1\n"
    )
    tag = f"{unique('rebuilt')}:1"
    labels = [arg for k, v in LABELS.items() for arg in ("--label", f"{k}={v}")]
    made: list[str] = []
    try:
        first = dkr("build", *labels, "-t", tag, "--format", "json", str(ctx), env=cache_dir)
        assert first.returncode == 0, first.stderr
        made.append(json.loads(first.stdout)["id"])
        (ctx / "app.txt").write_text("v2\n")
        second = dkr("build", *labels, "-t", tag, "--format", "json", str(ctx), env=cache_dir)
        assert second.returncode == 0, second.stderr
        build = json.loads(second.stdout)
        made.append(build["id"])
        steps = build["steps"]
        assert [s["cached"] for s in steps] == [True] * 4 + [False] * (len(steps) - 4)
        assert label_instructions(steps[-2:]) == {f"LABEL {k}={v}" for k, v in LABELS.items()}

        image = client.images.get(tag)
        history = list(reversed(client.api.history(tag)))
        podman = on_podman(client)
        for name in (tag, build["id"], build["id"][7:19]):  # a tag, the full id, a short id
            res = dkr("layers", name, "--format", "json", env=cache_dir)
            assert res.returncode == 0, res.stderr
            doc = json.loads(res.stdout)
            assert doc["id"] == build["id"] == image.id
            rows = [r for r in doc["layers"] if r["step"] is not None]
            assert [(r["step"], r["cached"]) for r in rows] == [(s["index"], s["cached"]) for s in steps]
            # on the newest history entries, the FROM on the base image's own top entry
            assert [r["id"] for r in rows] == [h["Id"] for h in history[-len(steps) :]]
            if not podman:  # Podman's history names the image that made each layer, and <missing> above it
                assert rows[0]["id"] == client.images.get(base_image).id
            assert [r["instruction"] for r in rows[-2:]] == [s["instruction"] for s in steps[-2:]]

        table = dkr("layers", tag, env=cache_dir)
        assert table.returncode == 0, table.stderr
        header, *lines = table.stdout.splitlines()
        assert header.split()[-1] == "CACHE"
        assert [line.split()[-1] for line in lines[-len(steps) :]] == [
            "cached" if s["cached"] else "ran" for s in steps
        ]
        assert table.stderr.endswith(
            f"; last dkr build: {build['cached_steps']} of {len(steps)} steps from the cache\n"
        )
    finally:
        for image_id in reversed(made):
            with contextlib.suppress(docker.errors.APIError):
                client.images.remove(image_id, force=True)
