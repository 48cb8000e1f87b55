"""Pure: why the layer cache broke where it did, in words a developer can act on.

The classic builder only says "Using cache" or not. Every step's cache key depends on the layer before it, so
the first step that ran (the first miss) re-runs everything after it; dkr finds the first miss and explains it
by comparing this build with dkr's record of the last one for the same context and Dockerfile: which files
changed (and which COPY/ADD copies them), whether the instruction's text changed, whether a build arg or the
base image changed, or `--no-cache`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from dkr.grammars.goglob import filepath_match_regex, go_clean
from dkr.models.build import BuildStep, CacheBreak, CacheExplanation

#: Changed files named in a summary; the rest are counted.
NAMES_SHOWN = 5


@dataclass(frozen=True)
class FileChanges:
    modified: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(sorted((*self.modified, *self.added, *self.removed)))

    def only(self, keep: Sequence[str]) -> FileChanges:
        wanted = set(keep)
        return FileChanges(
            tuple(p for p in self.modified if p in wanted),
            tuple(p for p in self.added if p in wanted),
            tuple(p for p in self.removed if p in wanted),
        )

    def describe(self) -> str:
        """`1 file changed (server.js)`, `3 files changed (a.js, b.js (new), c.js (deleted))`."""
        marks = {p: "" for p in self.modified}
        marks.update({p: " (new)" for p in self.added})
        marks.update({p: " (deleted)" for p in self.removed})
        names = sorted(marks)
        shown = ", ".join(p + marks[p] for p in names[:NAMES_SHOWN])
        if len(names) > NAMES_SHOWN:
            shown += f" and {len(names) - NAMES_SHOWN} more"
        return f"{len(names)} file{'s' if len(names) != 1 else ''} changed ({shown})"


def diff_files(old: Mapping[str, Sequence[object]], new: Mapping[str, Sequence[object]]) -> FileChanges:
    """Entries whose fingerprint (kind, mode, size, content hash) differs between two sends of a context."""
    modified = tuple(sorted(p for p in new.keys() & old.keys() if list(new[p]) != list(old[p])))
    added = tuple(sorted(new.keys() - old.keys()))
    return FileChanges(modified, added, tuple(sorted(old.keys() - new.keys())))


@dataclass(frozen=True)
class PreviousBuild:
    """What dkr recorded about the last successful build of the same context and Dockerfile."""

    instructions: tuple[str, ...] = ()
    layers: tuple[str, ...] = ()
    #: build arg name -> a digest of its value
    build_args: Mapping[str, str] = field(default_factory=dict)
    #: what was sent: path -> fingerprint
    files: Mapping[str, Sequence[object]] = field(default_factory=dict)


# --- which files a COPY / ADD copies ----------------------------------------------------------------------

_URL = re.compile(r"^(https?://|git@|git://)")


def copy_sources(instruction: str) -> list[str] | None:
    """The context paths a COPY or ADD copies, as written; None if it is no COPY/ADD or copies from a stage
    or an image (`--from=`). Shell form splits on whitespace, JSON form is a list (as the builder reads)."""
    parts = instruction.strip().split(None, 1)
    if len(parts) != 2 or parts[0].upper() not in ("COPY", "ADD"):
        return None
    rest = parts[1].strip()
    while rest.startswith("--"):
        flag, _, rest = rest.partition(" ")
        if flag.startswith("--from"):
            return None
        rest = rest.strip()
    args: list[str] | None = None
    if rest.startswith("["):
        try:
            loaded = json.loads(rest)
        except ValueError:
            loaded = None
        if isinstance(loaded, list) and all(isinstance(a, str) for a in loaded):
            args = loaded
    if args is None:
        args = rest.split()
    if len(args) < 2:
        return None
    return [src for src in args[:-1] if not _URL.match(src)]


def copies(sources: Sequence[str], path: str) -> bool:
    """Does a COPY/ADD with these sources copy the context entry `path`?"""
    for source in sources:
        src = go_clean(source.lstrip("/") or ".")
        if src in (".", ""):
            return True
        if any(c in src for c in "*?[\\"):
            regex = filepath_match_regex(src)
            parts = path.split("/")
            # a matching folder is copied whole
            if any(regex.match("/".join(parts[: k + 1])) for k in range(len(parts))):
                return True
        elif path == src or path.startswith(src + "/"):
            return True
    return False


# --- the explanation ----------------------------------------------------------------------------------------


def _arg_names(steps: Sequence[BuildStep]) -> set[str]:
    names = set()
    for step in steps:
        if step.keyword == "ARG":
            for decl in step.instruction.split()[1:]:
                names.add(decl.split("=", 1)[0])
    return names


def explain(
    steps: Sequence[BuildStep],
    *,
    no_cache: bool = False,
    previous: PreviousBuild | None = None,
    files: Mapping[str, Sequence[object]] | None = None,
    build_args: Mapping[str, str] | None = None,
    hidden: Collection[str] = (),
) -> CacheExplanation | None:
    """Why the first step that ran did not come from the cache; None when every step did. `hidden`: files
    sent with the context that no COPY can see (an excluded Dockerfile or .dockerignore)."""
    position = next((i for i, s in enumerate(steps) if not s.cached), None)
    if position is None:
        return None
    first = steps[position]
    before = steps[:position]
    reran = tuple(s.index for s in steps[position + 1 :] if not s.cached)
    changes = diff_files(previous.files, files) if previous is not None and files is not None else None

    def result(reason: CacheBreak, detail: str, changed: FileChanges | None = None) -> CacheExplanation:
        return CacheExplanation(
            step=first,
            reason=reason,
            detail=detail,
            reran_after=reran,
            changed_files=changed.paths if changed else (),
            advice=_advice(first, steps, reran) if reason == "files-changed" else None,
        )

    if no_cache:
        return result("no-cache", "--no-cache was given, so no step used the layer cache")
    if first.keyword == "FROM":
        return result("pulled", "its image was not present locally and was pulled")
    if previous is None:
        return result("no-record", "dkr has no earlier build of this context and Dockerfile to compare with")
    # the base image: a FROM that produced another layer than last time changes every step after it
    base = next((s for s in reversed(before) if s.keyword == "FROM"), None)
    if base is not None and base.index - 1 < len(previous.layers):
        old_layer = previous.layers[base.index - 1]
        if old_layer and base.layer_id and old_layer != base.layer_id:
            image = base.instruction.split()[1] if len(base.instruction.split()) > 1 else "the base image"
            return result(
                "base-changed",
                f"the base image {image} changed since the last build "
                f"({old_layer[:12]} -> {base.layer_id[:12]})",
            )
    index = first.index - 1
    if index >= len(previous.instructions):
        return result("new-step", "it is new since the last build")
    if previous.instructions[index] != first.instruction:
        was = previous.instructions[index]
        return result("instruction-changed", f"its instruction changed since the last build (was `{was}`)")
    sources = copy_sources(first.instruction)
    if sources is not None and changes is not None:
        copied = changes.only([p for p in changes.paths if p not in hidden and copies(sources, p)])
        if copied.paths:
            return result("files-changed", copied.describe(), copied)
    if build_args is not None and first.keyword in ("RUN", "ARG"):
        declared = _arg_names(steps[: position + 1])
        changed_args = sorted(
            name for name in declared if build_args.get(name) != previous.build_args.get(name)
        )
        if changed_args:
            plural = "s" if len(changed_args) > 1 else ""
            names = ", ".join(changed_args)
            return result("build-args", f"build arg{plural} {names} changed since the last build")
    return result(
        "unknown",
        "nothing dkr can see changed since the last build (same instruction, files and build args): the "
        "layer was probably removed from the cache (docker image prune, docker builder prune)",
    )


def _advice(first: BuildStep, steps: Sequence[BuildStep], reran: Sequence[int]) -> str | None:
    """The tutorial's lesson: a broad COPY before an expensive RUN re-runs the RUN on every code change."""
    sources = copy_sources(first.instruction) or []
    broad = any(go_clean(s.lstrip("/") or ".") == "." or s.endswith("/") for s in sources)
    if not broad:
        return None
    run = next((s for s in steps if s.index in reran and s.keyword == "RUN"), None)
    if run is None:
        return None
    return (
        f"step {run.index} `{run.instruction}` re-ran only because step {first.index} copied changed files; "
        f"if it needs only a few of them (a dependency manifest, say), COPY those before it and "
        f"`{first.instruction}` after it, so that a code change no longer re-runs it"
    )


def step_ranges(indexes: Sequence[int]) -> str:
    """`6-7`, `6, 8-9`."""
    spans: list[list[int]] = []
    for i in sorted(indexes):
        if spans and i == spans[-1][1] + 1:
            spans[-1][1] = i
        else:
            spans.append([i, i])
    return ", ".join(f"{a}-{b}" if b > a else str(a) for a, b in spans)


def summary_line(expl: CacheExplanation) -> str:
    """`step 5/7 `COPY . /app` re-ran: 1 file changed (server.js); steps 6-7 re-ran after it`."""
    step = expl.step
    head = f"step {step.index}/{step.total} `{step.instruction}` "
    if expl.reason == "no-cache":
        ran = (step.index, *expl.reran_after)
        return f"--no-cache: step{'s' if len(ran) > 1 else ''} {step_ranges(ran)} ran without the layer cache"
    verb = "ran" if expl.reason == "no-record" else "re-ran"
    text = f"{head}{verb}: {expl.detail}"
    if expl.reran_after:
        many = len(expl.reran_after) > 1
        text += f"; step{'s' if many else ''} {step_ranges(expl.reran_after)} {verb} after it"
    return text
