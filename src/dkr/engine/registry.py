"""Images to and from a registry: pull and push through the Engine (the SDK's streaming APIClient.pull and
.push), with every progress event reported and every failure raised.

The SDK raises when the Engine refuses a pull before streaming (404 manifest unknown, 500 for auth), but a
push reports its failures *inside* the stream (`{"error": "no basic auth credentials"}`) and ends normally:
each such error is raised here as a TransferFailed, never lost. Credentials come from the docker CLI's
config.json (and its credential helpers), which the SDK reads when the client is made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import docker.errors

from dkr.engine.client import Engine
from dkr.engine.errors import api_message, as_docker_prints, registry_problem
from dkr.errors import TransferFailed
from dkr.grammars.reference import Reference
from dkr.models.transfer import Pulled, Pushed, TransferEvent

#: receives each progress event of a pull or a push
OnEvent = Callable[[TransferEvent], None]

_DIGEST = "Digest: "
_DOWNLOADED = "Status: Downloaded newer image"


def event_from_api(raw: dict[str, Any]) -> TransferEvent:
    """One decoded JSON message of the Engine's pull/push stream as a TransferEvent."""
    detail = raw.get("progressDetail") or {}
    current = detail.get("current") if isinstance(detail, dict) else None
    total = detail.get("total") if isinstance(detail, dict) else None
    return TransferEvent(
        status=str(raw.get("status") or ""),
        layer=str(raw.get("id") or ""),
        current=int(current) if isinstance(current, int) else None,
        total=int(total) if isinstance(total, int) and total > 0 else None,
    )


def _failed(verb: str, ref: Reference, message: str) -> TransferFailed:
    return TransferFailed(verb, str(ref), ref.domain, registry_problem(message), message)


@contextmanager
def _refusals(engine: Engine, verb: str, ref: Reference) -> Iterator[None]:
    """The Engine's refusals (an HTTP error before the stream) as TransferFailed; connection trouble as
    engine.errors() reports it (a lost Engine names the pull or push in progress)."""
    with engine.errors(f"{verb} {ref}"):
        try:
            yield
        except docker.errors.APIError as exc:
            raise _failed(verb, ref, api_message(exc)) from exc


def _stream(
    engine: Engine, verb: str, ref: Reference, events: Iterator[dict[str, Any]], on_event: OnEvent | None
) -> Iterator[dict[str, Any]]:
    """The raw messages of a pull or push stream after reporting each; an error inside it is raised."""
    with _refusals(engine, verb, ref):
        for raw in events:
            error = raw.get("error") or (raw.get("errorDetail") or {}).get("message")
            if error:
                raise _failed(verb, ref, as_docker_prints(str(error)))
            if on_event is not None and raw.get("status"):
                on_event(event_from_api(raw))
            yield raw


def pull(
    engine: Engine,
    ref: Reference,
    *,
    all_tags: bool = False,
    platform: str | None = None,
    on_event: OnEvent | None = None,
) -> Pulled:
    """`docker pull`: `ref` already has its tag (or digest) unless `all_tags`. Returns what was pulled and the
    digest the registry served (the last one, with --all-tags)."""
    digest = ""
    updated = False
    with _refusals(engine, "pull", ref):
        events = engine.api.pull(
            ref.name,
            tag=None if all_tags else (ref.digest or ref.tag or "latest"),
            all_tags=all_tags,
            platform=platform,
            stream=True,
            decode=True,
        )
    for raw in _stream(engine, "pull", ref, events, on_event):
        status = str(raw.get("status") or "")
        if status.startswith(_DIGEST):
            digest = status[len(_DIGEST) :].strip()
        elif status.startswith(_DOWNLOADED):
            updated = True
    return Pulled(str(ref), digest, updated)


def push(
    engine: Engine, ref: Reference, *, all_tags: bool = False, on_event: OnEvent | None = None
) -> list[Pushed]:
    """`docker push`: every tag of the repository with `all_tags`, else `ref`'s tag. Returns each pushed tag
    with the digest the registry now serves for it, in the order the Engine pushed them."""
    pushed: list[Pushed] = []
    with _refusals(engine, "push", ref):
        events = engine.api.push(ref.name, tag=None if all_tags else ref.tag, stream=True, decode=True)
    for raw in _stream(engine, "push", ref, events, on_event):
        aux = raw.get("aux")
        if isinstance(aux, dict) and aux.get("Digest"):
            tag = str(aux.get("Tag") or ref.tag)
            pushed.append(Pushed(f"{ref.name}:{tag}", str(aux["Digest"]), int(aux.get("Size") or 0)))
    if not pushed:
        # a stream that ended without an error and without a digest: nothing the user can rely on was pushed
        raise _failed("push", ref, "the Engine reported no pushed digest")
    return pushed
