"""Pure: the hints `dkr build` prints on stderr after its summary: dkr lint's findings about the layer cache
(dkr.build.lint.cache_findings: DKR001 cache-order, DKR005 no-dockerignore, DKR007 apt-update-alone) on the
Dockerfile the build used, one line each with where and the fix (`Dockerfile:4 DKR001 cache-order: ...`),
and the cache report's own advice.

The cache report's advice and DKR001 can say the same thing: the report advises, after a broad `COPY . /app`
copied changed files and a RUN after it re-ran, to copy only what that RUN needs before it; DKR001 finds a
dependency install after the same kind of COPY. When a DKR001 install re-ran in this build after the COPY
the report blames, dkr prints ONE line: at DKR001's place, the report's fact about this build ("step 4 re-ran
only because step 3 copied changed files") followed by lint's concrete fix (which manifests to copy first),
and drops the report's generic advice. Lint's line wins the place because it names the Dockerfile line and
the files to copy; the fact keeps what only this build knows. Otherwise the advice comes first (it is about
this build), then the findings by line.
"""

from __future__ import annotations

from collections.abc import Sequence

from dkr.build.dockerfile import DockerfileError, parse
from dkr.build.lint import cache_findings
from dkr.models.build import BuildStep, CacheExplanation

CACHE_ORDER = "DKR001"


def build_hints(
    dockerfile: str,
    text: str,
    has_dockerignore: bool | None,
    steps: Sequence[BuildStep] = (),
    explanation: CacheExplanation | None = None,
) -> tuple[str, ...]:
    """The hint lines for a build of `text` (shown as `dockerfile`), without the `hint: ` prefix. `steps` and
    `explanation` are the build's, when it got that far (a failed build has neither)."""
    findings = cache_findings(text, has_dockerignore)
    advice = explanation.advice if explanation is not None else None
    reran: dict[int, int] = {}  # Dockerfile line -> step, for the steps that re-ran after the report's COPY
    if advice and explanation is not None:
        after = set(explanation.reran_after)
        reran = {line: index for index, line in step_lines(text, steps).items() if index in after}
    lines = []
    merged = False
    for f in findings:
        fix = f.fix
        if f.rule == CACHE_ORDER and f.line in reran and explanation is not None:
            copy = explanation.step.index
            fix = f"step {reran[f.line]} re-ran only because step {copy} copied changed files; {fix}"
            merged = True
        lines.append(f"{dockerfile}:{f.line} {f.rule} {f.name}: {fix}")
    if advice and not merged:
        lines.insert(0, advice)
    return tuple(lines)


def step_lines(text: str, steps: Sequence[BuildStep]) -> dict[int, int]:
    """The Dockerfile line of each build step (step index -> line). The classic builder numbers every
    instruction in file order, global ARGs and every stage up to --target included, and echoes it as written
    (`Step 4/6 : run echo  one    two`, continuation lines joined); the LABEL steps --label adds come after.
    Matched in order, each by its text, up to the first that differs."""
    try:
        instructions = parse(text).instructions
    except DockerfileError:
        return {}
    found = {}
    for ins, step in zip(instructions, steps, strict=False):
        if _words(ins.text) != _words(step.instruction):
            break
        found[step.index] = ins.line
    return found


def _words(instruction: str) -> list[str]:
    """An instruction compared as the builder reads it: keywords in any case, any run of blanks as one."""
    words = instruction.split()
    return [words[0].upper(), *words[1:]] if words else []
