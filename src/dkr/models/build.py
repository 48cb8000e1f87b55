"""A build: what to build, its steps, and where the layer cache broke."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, BinaryIO, Literal

#: --progress: auto (the live view on a terminal, else plain), plain (a line per step and every output line
#: as it comes, prefixed by its step), tty (the live view; it needs a terminal)
Progress = Literal["auto", "plain", "tty"]
PROGRESS: tuple[Progress, ...] = ("auto", "plain", "tty")

#: why the layer cache broke at a step
CacheBreak = Literal[
    "no-cache",
    "files-changed",
    "instruction-changed",
    "new-step",
    "build-args",
    "base-changed",
    "pulled",
    "no-record",
    "unknown",
]


@dataclass(frozen=True)
class BuildRequest:
    """What to build: the core's input, from `dkr build` options or a compose file's `build:` section."""

    #: the context folder
    context: str = "."
    #: the Dockerfile, relative to the current folder as `docker build -f` takes it (compose's `dockerfile:`
    #: is relative to the context: join the two first); None = `Dockerfile` in the context
    dockerfile: str | None = None
    tags: tuple[str, ...] = ()
    build_args: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    no_cache: bool = False
    pull: bool = False
    #: build up to this stage of a multi-stage Dockerfile
    target: str | None = None
    #: what `-` (the context or the Dockerfile) reads: the command's stdin
    stdin: BinaryIO | None = None


@dataclass(frozen=True)
class BuildStep:
    """A step of a build, as `dkr build --format json` reports it (index, instruction, cached), and what else
    dkr build saw of it while it ran (the other fields; a step read back from a record has only the first)."""

    index: int
    #: the instruction as the builder echoes it (`COPY . /app`)
    instruction: str
    #: True when the layer came from the cache (a FROM counts as cached unless its image had to be pulled)
    cached: bool
    #: the M of the builder's `Step N/M`
    total: int = 0
    seconds: float = 0.0
    #: the layer (image) id the step produced, short form as echoed, "" if none
    layer_id: str = ""
    #: the last lines the step printed (at most dkr.engine.buildstream.OUTPUT_KEPT of them)
    output: tuple[str, ...] = ()
    #: how many lines it printed in all
    output_lines: int = 0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BuildStep:
        return cls(int(data["index"]), str(data["instruction"]), bool(data["cached"]))

    @property
    def keyword(self) -> str:
        return self.instruction.split(None, 1)[0].upper() if self.instruction.strip() else ""

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "instruction": self.instruction,
            "cached": self.cached,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class CacheExplanation:
    """Where the layer cache broke in a build, and why."""

    #: the first step that ran
    step: BuildStep
    reason: CacheBreak
    #: the reason in words, e.g. "1 file changed (server.js)"
    detail: str
    #: steps after it that ran as well
    reran_after: tuple[int, ...] = ()
    changed_files: tuple[str, ...] = ()
    #: advice on ordering the Dockerfile so the cache survives, if any
    advice: str | None = None


@dataclass(frozen=True)
class BuildResult:
    id: str
    tags: tuple[str, ...]
    steps: tuple[BuildStep, ...]
    total_steps: int
    seconds: float = 0.0
    explanation: CacheExplanation | None = None
    context_files: int = 0
    context_bytes: int = 0
    warnings: tuple[str, ...] = ()
    #: what `dkr build` prints as hints after its summary (dkr.build.hints), without the `hint: ` prefix
    hints: tuple[str, ...] = ()

    @property
    def cached_steps(self) -> int:
        return sum(1 for s in self.steps if s.cached)

    @property
    def first_miss(self) -> int | None:
        return next((s.index for s in self.steps if not s.cached), None)

    def to_json(self) -> dict[str, Any]:
        """The contract's shape: `{"id", "tags", "steps", "total_steps", "cached_steps", "first_miss"}`."""
        return {
            "id": self.id,
            "tags": list(self.tags),
            "steps": [s.to_json() for s in self.steps],
            "total_steps": self.total_steps,
            "cached_steps": self.cached_steps,
            "first_miss": self.first_miss,
        }


# --- build events: the Engine's build stream as dkr.engine.buildstream reads it ---------------------------


@dataclass(frozen=True)
class ContextReady:
    """The context is planned and about to be sent."""

    root: str
    files: int
    size: int
    #: the root is a URL the Engine fetches itself (files and size unknown here)
    remote: bool = False


@dataclass(frozen=True)
class StepStarted:
    index: int
    total: int
    instruction: str


@dataclass(frozen=True)
class StepOutput:
    index: int
    line: str


@dataclass(frozen=True)
class StepFinished:
    step: BuildStep


@dataclass(frozen=True)
class BuildWarning:
    message: str


@dataclass(frozen=True)
class BuildFailed:
    """The Engine reported an error in the stream; `index` is 0 when no step had started."""

    index: int
    total: int
    instruction: str
    message: str
    #: the failing step's output: all of it (in `tail`), or its first lines, how many lines were left out
    #: between, and its last lines
    head: tuple[str, ...] = ()
    left_out: int = 0
    tail: tuple[str, ...] = ()
    #: a RUN's exit code
    exit_code: int | None = None
    #: the layer of the last step that succeeded (to start a shell in, to debug)
    last_layer: str = ""


BuildEvent = ContextReady | StepStarted | StepOutput | StepFinished | BuildWarning | BuildFailed
