"""The hints dkr build prints after its summary (dkr.build.hints): lint's cache findings with their lines, and
the cache report's advice, merged where both speak of the same re-run install."""

from __future__ import annotations

import pytest

from dkr.build.cache_report import PreviousBuild, explain
from dkr.build.hints import build_hints, step_lines
from dkr.models.build import BuildStep, CacheExplanation

#: COPY . before the install: DKR001 on line 4, DKR005 on line 3 without a .dockerignore
BAD_ORDER = 'FROM base\nWORKDIR /app\nCOPY . /app\nRUN npm ci\nCMD ["node", "server.js"]\n'
FIX = "copy the manifests first: `COPY package.json package-lock.json /app/`, then the install, then `COPY . /app`"


def built(text: str, cached_until: int, labels: int = 0) -> list[BuildStep]:
    """The steps the classic builder runs for `text` (one per instruction, then one per --label)."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    lines += [f"LABEL l{i}=1" for i in range(labels)]
    return [BuildStep(i, line, i <= cached_until, total=len(lines)) for i, line in enumerate(lines, 1)]


def rebuilt(text: str, cached_until: int) -> tuple[list[BuildStep], CacheExplanation | None]:
    """A rebuild in which src/server.js changed: steps after `cached_until` ran."""
    steps = built(text, cached_until)
    old = {
        "src": ["d", 0o755, 0, ""],
        "src/server.js": ["f", 0o644, 1, "a"],
        "package.json": ["f", 0o644, 1, "p"],
    }
    new = {**old, "src/server.js": ["f", 0o644, 2, "b"]}
    prev = PreviousBuild(tuple(s.instruction for s in steps), (), {}, old)
    return steps, explain(steps, previous=prev, files=new, build_args={})


def test_merged_with_the_reports_advice() -> None:
    """The report's advice on step 4 and DKR001 on its line become one line: this build's fact, lint's fix."""
    steps, expl = rebuilt(BAD_ORDER, 2)
    assert expl is not None and expl.advice is not None and expl.advice.startswith("step 4 `RUN npm ci`")
    assert build_hints("Dockerfile", BAD_ORDER, True, steps, expl) == (
        "Dockerfile:4 DKR001 cache-order: step 4 re-ran only because step 3 copied changed files; " + FIX,
    )


def test_advice_kept_when_lint_has_nothing_on_that_step() -> None:
    text = BAD_ORDER.replace("RUN npm ci", "RUN make")  # not a dependency install: no DKR001
    steps, expl = rebuilt(text, 2)
    assert expl is not None and expl.advice is not None
    assert build_hints("Dockerfile", text, False, steps, expl) == (
        expl.advice,
        "Dockerfile:3 DKR005 no-dockerignore: add a .dockerignore at the root of the build context listing .git, "
        "node_modules, build output, .env, *.log",
    )


def test_not_merged_when_the_install_came_from_the_cache() -> None:
    """The cache broke after the install: DKR001 still holds, but this build did not re-run the install."""
    text = BAD_ORDER.replace('CMD ["node", "server.js"]', "COPY src/ /app/src/\nRUN make")
    steps, expl = rebuilt(text, 4)
    assert expl is not None and expl.advice is not None and expl.advice.startswith("step 6 `RUN make`")
    assert build_hints("Dockerfile", text, True, steps, expl) == (
        expl.advice,
        f"Dockerfile:4 DKR001 cache-order: {FIX}",
    )


@pytest.mark.parametrize(
    ("text", "has_dockerignore", "expected"),
    [
        pytest.param(BAD_ORDER, True, (f"Dockerfile:4 DKR001 cache-order: {FIX}",), id="cache-order"),
        pytest.param(
            BAD_ORDER,
            False,
            (
                "Dockerfile:3 DKR005 no-dockerignore: add a .dockerignore at the root of the build context listing .git, "
                "node_modules, build output, .env, *.log",
                f"Dockerfile:4 DKR001 cache-order: {FIX}",
            ),
            id="by-line",
        ),
        pytest.param(
            "FROM base\nRUN apt-get update\nRUN apt-get install -y curl\n",
            True,
            (
                "Dockerfile:2 DKR007 apt-update-alone: update and install in one RUN: `RUN apt-get update && "
                "apt-get install -y --no-install-recommends PACKAGE... && rm -rf /var/lib/apt/lists/*`",
            ),
            id="apt-update-alone",
        ),
        pytest.param("FROM base:latest\nWORKDIR app\nRUN node server.js\n", False, (), id="only-cache-rules"),
        pytest.param("FROM base\nFORM x\n", False, (), id="unparsable"),
        pytest.param(
            "FROM base\nCOPY package.json /app/\nRUN npm ci\nCOPY . /app\n", True, (), id="well-ordered"
        ),
    ],
)
def test_failed_or_first_build_hints_are_lints(
    text: str, has_dockerignore: bool, expected: tuple[str, ...]
) -> None:
    assert build_hints("Dockerfile", text, has_dockerignore) == expected


def test_dockerfile_named_as_shown() -> None:
    assert build_hints("docker/app.Dockerfile", BAD_ORDER, True)[0].startswith(
        "docker/app.Dockerfile:4 DKR001"
    )


@pytest.mark.parametrize(
    ("text", "instructions", "expected"),
    [
        pytest.param(BAD_ORDER, None, {1: 1, 2: 2, 3: 3, 4: 4, 5: 5}, id="one-stage"),
        pytest.param(
            "# comment\n\nARG B=base\nFROM $B AS one\nRUN echo  one \\\n   two\nfrom one\nrun make\n",
            ["ARG B=base", "FROM $B AS one", "RUN echo  one    two", "from one", "run make", "LABEL a=1"],
            {1: 3, 2: 4, 3: 5, 4: 7, 5: 8},
            id="global-arg-stages-continuation-case-labels",
        ),
        pytest.param(
            BAD_ORDER,
            ["FROM base", "WORKDIR /app", "COPY other /app"],
            {1: 1, 2: 2},
            id="stops-at-a-mismatch",
        ),
        pytest.param("FROM base\nFORM x\n", None, {}, id="unparsable"),
    ],
)
def test_step_lines(text: str, instructions: list[str] | None, expected: dict[int, int]) -> None:
    steps = (
        built(text, 0)
        if instructions is None
        else [BuildStep(i, ins, False) for i, ins in enumerate(instructions, 1)]
    )
    assert step_lines(text, steps) == expected
