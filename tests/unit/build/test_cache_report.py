"""Why the layer cache broke (dkr.build.cache_report): the first miss, its reason, and the words for it."""

from __future__ import annotations

import pytest

from dkr.build.cache_report import (
    FileChanges,
    PreviousBuild,
    copies,
    copy_sources,
    diff_files,
    explain,
    step_ranges,
    summary_line,
)
from dkr.models.build import BuildStep

TUTORIAL = (
    "FROM base",
    "WORKDIR /app",
    "COPY package.json /app",
    "RUN npm install",
    "COPY . /app",
    "EXPOSE 80",
    'CMD ["node", "server.js"]',
)


def steps(
    cached_until: int, instructions: tuple[str, ...] = TUTORIAL, layers: str = "abcdefghij"
) -> list[BuildStep]:
    """Steps 1..cached_until cached, the rest ran."""
    return [
        BuildStep(
            i, text, i <= cached_until, total=len(instructions), seconds=0.1, layer_id=layers[i - 1] * 12
        )
        for i, text in enumerate(instructions, start=1)
    ]


FILES = {
    "package.json": ["f", 0o644, 10, "p1"],
    "server.js": ["f", 0o644, 20, "s1"],
    "lib": ["d", 0o755, 0, ""],
    "lib/util.js": ["f", 0o644, 5, "u1"],
}


def previous(**kw: object) -> PreviousBuild:
    base = {"instructions": TUTORIAL, "layers": tuple(c * 12 for c in "abcdefghij"[:7]), "files": FILES}
    base.update(kw)
    return PreviousBuild(**base)  # type: ignore[arg-type]  # test data


def test_changed_app_file_is_named_on_the_copy_that_copies_it() -> None:
    now = {**FILES, "server.js": ["f", 0o644, 21, "s2"]}
    expl = explain(steps(4), previous=previous(), files=now, build_args={})
    assert expl is not None
    assert (expl.step.index, expl.reason, expl.changed_files) == (5, "files-changed", ("server.js",))
    assert expl.reran_after == (6, 7)
    assert summary_line(expl) == (
        "step 5/7 `COPY . /app` re-ran: 1 file changed (server.js); steps 6-7 re-ran after it"
    )
    assert expl.advice is None  # nothing expensive after it: the Dockerfile is already well ordered


def test_an_excluded_dockerfile_is_not_what_a_copy_copied() -> None:
    """A .dockerignore that lists the Dockerfile: docker still sends it, the daemon drops it after reading,
    so `COPY . /app` never saw it change."""
    before = {**FILES, "Dockerfile": ["f", 0o644, 90, "d1"]}
    now = {**before, "Dockerfile": ["f", 0o644, 91, "d2"], "server.js": ["f", 0o644, 21, "s2"]}
    expl = explain(
        steps(4), previous=previous(files=before), files=now, build_args={}, hidden=("Dockerfile",)
    )
    assert expl is not None
    assert expl.changed_files == ("server.js",)
    seen = explain(steps(4), previous=previous(files=before), files=now, build_args={})
    assert seen is not None and seen.changed_files == ("Dockerfile", "server.js"), "not hidden: it counts"


def test_manifest_change_breaks_the_earlier_copy() -> None:
    now = {**FILES, "package.json": ["f", 0o644, 11, "p2"]}
    expl = explain(steps(2), previous=previous(), files=now, build_args={})
    assert expl is not None
    assert (expl.step.instruction, expl.detail) == ("COPY package.json /app", "1 file changed (package.json)")
    assert expl.reran_after == (4, 5, 6, 7)


def test_broad_copy_before_an_expensive_run_gets_advice() -> None:
    badly_ordered = (
        "FROM base",
        "WORKDIR /app",
        "COPY . /app",
        "RUN npm install",
        'CMD ["node", "server.js"]',
    )
    now = {**FILES, "server.js": ["f", 0o644, 21, "s2"]}
    expl = explain(
        steps(2, badly_ordered), previous=previous(instructions=badly_ordered), files=now, build_args={}
    )
    assert expl is not None and expl.advice is not None
    assert "step 4 `RUN npm install` re-ran only because step 3 copied changed files" in expl.advice


def test_added_removed_and_mode_changes() -> None:
    now = {k: v for k, v in FILES.items() if k != "lib/util.js"}
    now["server.js"] = ["f", 0o755, 20, "s1"]
    now["new.js"] = ["f", 0o644, 1, "n"]
    changes = diff_files(FILES, now)
    assert changes == FileChanges(modified=("server.js",), added=("new.js",), removed=("lib/util.js",))
    assert changes.describe() == "3 files changed (lib/util.js (deleted), new.js (new), server.js)"


def test_many_changes_are_counted() -> None:
    changes = FileChanges(modified=tuple(f"f{i}" for i in range(8)))
    assert changes.describe() == "8 files changed (f0, f1, f2, f3, f4 and 3 more)"


@pytest.mark.parametrize(
    ("instruction", "reason", "detail"),
    [
        pytest.param("RUN npm ci", "instruction-changed", "was `RUN npm install`", id="run-text"),
        pytest.param("EXPOSE 8080", "instruction-changed", "was `EXPOSE 80`", id="metadata-text"),
    ],
)
def test_instruction_changed(instruction: str, reason: str, detail: str) -> None:
    index = next(i for i, t in enumerate(TUTORIAL) if t.split()[0] == instruction.split()[0])
    changed = (*TUTORIAL[:index], instruction, *TUTORIAL[index + 1 :])
    expl = explain(steps(index, changed), previous=previous(), files=FILES, build_args={})
    assert expl is not None
    assert expl.reason == reason
    assert detail in expl.detail
    assert "its instruction changed since the last build" in summary_line(expl)


def test_new_step() -> None:
    longer = (*TUTORIAL, "USER node")
    expl = explain(steps(7, longer), previous=previous(), files=FILES, build_args={})
    assert expl is not None and expl.reason == "new-step"


def test_no_cache() -> None:
    expl = explain(steps(1), no_cache=True, previous=previous(), files=FILES, build_args={})
    assert expl is not None and expl.reason == "no-cache"
    assert summary_line(expl) == "--no-cache: steps 2-7 ran without the layer cache"


def test_everything_cached() -> None:
    assert explain(steps(7), previous=previous(), files=FILES, build_args={}) is None


def test_no_record() -> None:
    expl = explain(steps(1), previous=None, files=FILES, build_args={})
    assert expl is not None and expl.reason == "no-record"
    assert summary_line(expl).startswith("step 2/7 `WORKDIR /app` ran: dkr has no earlier build")


def test_base_image_changed() -> None:
    expl = explain(steps(1, layers="zbcdefghij"), previous=previous(), files=FILES, build_args={})
    assert expl is not None and expl.reason == "base-changed"
    assert "the base image base changed since the last build (aaaaaaaaaaaa -> zzzzzzzzzzzz)" in expl.detail


def test_build_arg_changed() -> None:
    with_arg = ("FROM base", "ARG VERSION=1", "RUN echo $VERSION")
    before = previous(instructions=with_arg, build_args={"VERSION": "d1"})
    expl = explain(steps(2, with_arg), previous=before, files=FILES, build_args={"VERSION": "d2"})
    assert expl is not None and expl.reason == "build-args"
    assert expl.detail == "build arg VERSION changed since the last build"


def test_unknown_when_nothing_changed() -> None:
    expl = explain(steps(3), previous=previous(), files=FILES, build_args={})
    assert expl is not None and expl.reason == "unknown"
    assert "removed from the cache" in expl.detail


def test_pulled_base() -> None:
    expl = explain(steps(0), previous=previous(), files=FILES, build_args={})
    assert expl is not None and expl.reason == "pulled"


@pytest.mark.parametrize(
    ("instruction", "sources"),
    [
        pytest.param("COPY . /app", ["."], id="dot"),
        pytest.param("COPY a b /dst/", ["a", "b"], id="many"),
        pytest.param('COPY ["a b", "c", "/dst"]', ["a b", "c"], id="json"),
        pytest.param("COPY --chown=1:1 --chmod=644 src /app", ["src"], id="flags"),
        pytest.param("COPY --from=builder /out /app", None, id="from-stage"),
        pytest.param("ADD https://example.com/x.tgz local.tgz /app", ["local.tgz"], id="url-skipped"),
        pytest.param("add lower /x", ["lower"], id="lowercase-keyword"),
        pytest.param("RUN make", None, id="not-a-copy"),
        pytest.param("COPY onlyone", None, id="no-destination"),
    ],
)
def test_copy_sources(instruction: str, sources: list[str] | None) -> None:
    assert copy_sources(instruction) == sources


@pytest.mark.parametrize(
    ("sources", "path", "expected"),
    [
        (["."], "anything/at/all", True),
        (["./"], "x", True),
        (["/"], "x", True),
        (["src"], "src/a/b.py", True),
        (["src/"], "src/a/b.py", True),
        (["src"], "srcfoo", False),
        (["*.json"], "package.json", True),
        (["*.json"], "sub/package.json", False),
        (["sub*"], "sub1/deep/file", True),
        (["file?.txt"], "file1.txt", True),
        (["[a-c].txt"], "b.txt", True),
        (["[^a-c].txt"], "b.txt", False),
        (["package.json"], "server.js", False),
    ],
)
def test_copies(sources: list[str], path: str, expected: bool) -> None:
    assert copies(sources, path) is expected


@pytest.mark.parametrize(
    ("indexes", "text"),
    [([6, 7], "6-7"), ([6], "6"), ([6, 8, 9], "6, 8-9"), ([3, 1, 2], "1-3")],
)
def test_step_ranges(indexes: list[int], text: str) -> None:
    assert step_ranges(indexes) == text
