"""Images: list (one request), tag, remove (in parallel), prune; and the containers' prune."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from dkr.engine.client import Engine
from dkr.engine.containers import in_parallel
from dkr.errors import DkrError
from dkr.grammars.reference import InvalidReference, parse_normalized
from dkr.models.images import Image, Pruned, Removed, removal_items


def list_images(
    engine: Engine, *, all: bool = False, filters: Mapping[str, list[str]] | None = None
) -> list[Image]:
    """One GET /images/json for the whole listing, in the Engine's order (newest first)."""
    with engine.errors("list images"):
        payload: list[dict[str, Any]] = engine.api.images(all=all, filters=dict(filters or {}) or None)
    return [Image.from_api(item) for item in payload]


def tag_image(engine: Engine, source: str, target: str) -> None:
    """`docker tag SOURCE TARGET` (TARGET already checked: a name with an optional tag)."""
    ref = parse_normalized(target).with_default_tag()
    with engine.errors(f"tag {source} as {target}"):
        engine.api.tag(source, ref.familiar_name, ref.tag)


def _remove_one(engine: Engine, arg: str, force: bool, prune: bool) -> Removed:
    try:
        with engine.errors():
            payload: list[dict[str, Any]] = engine.api.remove_image(arg, force=force, noprune=not prune)
    except DkrError as exc:
        return Removed(arg, error=exc)
    return Removed.from_api(arg, payload)


def remove_images(
    engine: Engine, args: Sequence[str], *, force: bool = False, prune: bool = True
) -> Iterator[Removed]:
    """Remove the images at once; yield the outcomes in argument order as soon as each is known.

    Arguments that name the same image (two of its tags, a tag and its id) are removed one after the other,
    in argument order, as docker does: removed at once, the last tag's removal deletes the image while the
    other's is still looking it up, which then fails ("unrecognized image ID")."""
    groups: dict[str, list[int]] = {}
    for i, key in enumerate(_image_keys(engine, args)):
        groups.setdefault(key, []).append(i)

    def remove_group(key: str) -> list[Removed]:
        return [_remove_one(engine, args[i], force, prune) for i in groups[key]]

    outcomes: dict[int, Removed] = {}
    finished = in_parallel(engine, list(groups), remove_group, "rmi")  # in the order of first appearance
    pending = iter(groups.values())
    for i in range(len(args)):
        while i not in outcomes:
            outcomes.update(zip(next(pending), next(finished), strict=True))
        yield outcomes.pop(i)


def _image_keys(engine: Engine, args: Sequence[str]) -> list[str]:
    """Which image each argument names, as far as one listing tells (its id), else the argument itself."""
    if len(args) < 2:
        return list(args)
    with engine.errors("list images"):
        listed: list[dict[str, Any]] = engine.api.images(all=True)
    names: dict[str, str] = {}
    for item in listed:
        for ref in (*(item.get("RepoTags") or ()), *(item.get("RepoDigests") or ())):
            names[ref] = str(item["Id"])
    ids = [str(item["Id"]) for item in listed]
    return [_image_key(arg, names, ids) for arg in args]


def _image_key(arg: str, names: Mapping[str, str], ids: Sequence[str]) -> str:
    hexpart = arg.removeprefix("sha256:")
    if hexpart and all(c in "0123456789abcdef" for c in hexpart):
        found = [i for i in ids if i.removeprefix("sha256:").startswith(hexpart)]
        if len(found) == 1:
            return found[0]
    try:
        ref = parse_normalized(arg).with_default_tag()
    except InvalidReference:
        return arg
    return names.get(ref.familiar_string) or names.get(str(ref)) or arg


def prune_images(engine: Engine, *, all: bool, filters: Mapping[str, list[str]]) -> Pruned:
    """POST /images/prune: dangling images only, unless `all` (every image no container uses)."""
    query = {**{k: list(v) for k, v in filters.items()}, "dangling": ["false" if all else "true"]}
    with engine.errors("prune images"):
        data: dict[str, Any] = engine.api.prune_images(filters=query)
    return Pruned(removal_items(data.get("ImagesDeleted")), int(data.get("SpaceReclaimed") or 0))


def prune_containers(engine: Engine, *, filters: Mapping[str, list[str]]) -> Pruned:
    """POST /containers/prune: every stopped container the filters select."""
    with engine.errors("prune containers"):
        data: dict[str, Any] = engine.api.prune_containers(filters=dict(filters) or None)
    items = [("Deleted", str(cid)) for cid in data.get("ContainersDeleted") or ()]
    return Pruned(tuple(items), int(data.get("SpaceReclaimed") or 0))
