"""Images: build one through the classic builder (the SDK's low-level streaming APIClient.build), with live
step events and an explanation of the layer cache. `dkr build` and `dkr up` both call `build()`."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import docker.errors
import requests

from dkr.build import record as buildrecord
from dkr.build.context import ContextPlan, Signature, plan_context, stream_context
from dkr.engine import sdk
from dkr.engine.buildstream import BuildLog
from dkr.engine.client import Engine
from dkr.engine.errors import api_message
from dkr.errors import BuildError, BuildWithoutImage, DkrError, DockerfileRejected
from dkr.grammars.reference import parse_normalized
from dkr.models.build import (
    BuildEvent,
    BuildRequest,
    BuildResult,
    BuildStep,
    BuildWarning,
    CacheExplanation,
    ContextReady,
)

EventHandler = Callable[[BuildEvent], None]


def build(engine: Engine, request: BuildRequest, on_event: EventHandler | None = None) -> BuildResult:
    """Build `request`; report progress to `on_event`; return the image and its steps, or raise a DkrError.

    The context and Dockerfile are checked (and the context listed) before anything is sent: a Dockerfile
    with BuildKit-only syntax the classic builder cannot run (dkr lint's DKR010) fails here, in one line
    naming the instruction and its line, and the Engine is never asked (what it only ignores is a warning).
    On Ctrl-C the upload or stream is closed, the step's container removed, and KeyboardInterrupt re-raised.
    """
    emit: EventHandler = on_event or (lambda _event: None)
    plan = plan_context(request.context, request.dockerfile, request.stdin)
    shown = _shown_dockerfile(plan)
    _classic_builder_check(plan, shown, request.target, emit)
    previous = buildrecord.load(plan.root, plan.dockerfile_path, request.target)
    emit(ContextReady(plan.root, plan.files, plan.size, remote=plan.remote is not None))
    started = time.monotonic()
    signatures: dict[str, Signature] = {}
    log = _run(engine, plan, request, signatures, emit)
    if log.failure is not None:
        raise BuildError(log.failure, pulling=request.pull, hints=_hints(shown, plan))
    if not log.image_id:
        raise BuildWithoutImage()
    with engine.errors("tag the image"):
        # every -t is tagged here rather than passed to /build: the SDK's build() takes one tag, and checks it
        # with its own simpler grammar (no "[::1]:5000/app"); options.build.parse_tag has checked docker's
        for text in request.tags:
            ref = parse_normalized(text).with_default_tag()
            engine.api.tag(log.image_id, ref.familiar_name, ref.tag)
    steps = tuple(log.steps)
    explanation = None
    if any(not s.cached for s in steps):
        # imported only when the cache broke: a fully cached rebuild has nothing to explain, and skipping
        # the analysis keeps it fast
        from dkr.build.cache_report import explain

        explanation = explain(
            steps,
            no_cache=request.no_cache,
            previous=previous,
            files=signatures,
            build_args=buildrecord.digest_args(request.build_args),
            hidden=plan.hidden_from_copy,
        )
    buildrecord.save(
        plan.root,
        plan.dockerfile_path,
        request.target,
        image_id=log.image_id,
        instructions=[s.instruction for s in steps],
        layers=[s.layer_id for s in steps],
        build_args=request.build_args,
        files=signatures,
    )
    result = BuildResult(
        id=log.image_id,
        tags=request.tags,
        steps=steps,
        total_steps=log.total or len(steps),
        seconds=time.monotonic() - started,
        explanation=explanation,
        context_files=plan.files,
        context_bytes=plan.size,
        warnings=tuple(log.warnings),
        # dkr lint's cache findings are hints on how to keep the cache: shown when it broke (or the build
        # failed), not after a rebuild that came entirely from it
        hints=_hints(shown, plan, steps, explanation) if explanation is not None else (),
    )
    # `dkr layers` shows which of an image's layers came from the cache in its last dkr build
    buildrecord.save_build(result)
    return result


def _classic_builder_check(plan: ContextPlan, shown: str, target: str | None, emit: EventHandler) -> None:
    """Raise DkrError when the classic builder would fail on BuildKit-only syntax, or build something else
    (dkr lint's DKR010): its own message names a heredoc's body line rather than the heredoc, says only
    "Unknown flag", or comes once every step before it has run (RUN --mount). What it only ignores (a
    `# syntax=` directive) is a warning."""
    from dkr.build.lint import classic_build_uses

    uses = classic_build_uses(plan.dockerfile_text, target)
    for use in uses:
        if use.blocks:
            raise DkrError(use.refusal(shown))
    for use in uses:
        emit(BuildWarning(f"{shown}:{use.line}: {use.message}"))


def _hints(
    shown: str,
    plan: ContextPlan,
    steps: tuple[BuildStep, ...] = (),
    explanation: CacheExplanation | None = None,
) -> tuple[str, ...]:
    from dkr.build.hints import build_hints  # the Dockerfile parser and linter: only when hints are shown

    return build_hints(shown, plan.dockerfile_text, plan.has_dockerignore, steps, explanation)


def _run(
    engine: Engine,
    plan: ContextPlan,
    request: BuildRequest,
    signatures: dict[str, Signature],
    emit: EventHandler,
) -> BuildLog:
    """Upload the context as it is read; turn the Engine's answer into events until it ends or fails."""
    log = BuildLog()
    api = engine.api
    responses: list[requests.Response] = []
    try:
        with engine.errors("build"):
            # The SDK's build() returns only the decoded stream; its HTTP response is kept so that Ctrl-C
            # can close it, which makes the Engine cancel the build.
            with sdk.responses(api) as kept:
                try:
                    stream = api.build(**_build_args(plan, request, signatures))
                finally:
                    responses.extend(kept)
            for item in _items(stream, plan):
                for event in log.feed(item):
                    emit(event)
                if log.failure is not None:
                    break
            for event in log.close():
                emit(event)
    except KeyboardInterrupt:
        _abort(engine, responses, log.running_container)
        raise
    finally:
        for response in responses:
            response.close()
    return log


def _build_args(plan: ContextPlan, request: BuildRequest, signatures: dict[str, Signature]) -> dict[str, Any]:
    # custom_context with a generator: the SDK posts it as a chunked body, read while it is sent; a URL is
    # the Engine's to fetch (the SDK passes it as `remote`)
    context: dict[str, Any] = {"path": plan.remote, "dockerfile": request.dockerfile}
    if plan.remote is None:
        context = {"fileobj": stream_context(plan, signatures), "custom_context": True}
        context["dockerfile"] = plan.dockerfile
    return {
        **context,
        "nocache": request.no_cache,
        "pull": request.pull,
        # remove intermediate containers, also after a failed step
        "rm": True,
        "forcerm": True,
        "buildargs": dict(request.build_args) or None,
        "labels": dict(request.labels) or None,
        "target": request.target,
        "decode": True,
        # no read deadline: a RUN may stay silent for a long time
        "timeout": None,
    }


def _items(stream: Iterator[Any], plan: ContextPlan) -> Iterator[Any]:
    """The decoded stream; an error the Engine answers before streaming (a Dockerfile it cannot parse)
    surfaces as the SDK's APIError on the first read."""
    try:
        yield from stream
    except docker.errors.APIError as exc:
        message = api_message(exc)
        if exc.status_code == 400 or "dockerfile parse error" in message.lower():
            # "dockerfile parse error line 2: unknown instruction: FORM"
            detail = re.sub(r"(?i)^dockerfile parse error (on )?", "", message)
            raise DockerfileRejected(_shown_dockerfile(plan), detail) from exc
        raise


def _shown_dockerfile(plan: ContextPlan) -> str:
    return plan.shown_dockerfile


def _abort(engine: Engine, responses: list[requests.Response], container: str | None) -> None:
    """Ctrl-C: close the connection (the Engine then cancels the build and, with forcerm, removes its
    container), and remove the step's container ourselves as well, in case the Engine is slower than us."""
    for response in responses:
        with contextlib.suppress(Exception):
            response.close()
    if container:
        with engine.best_effort():
            engine.api.remove_container(container, force=True)
