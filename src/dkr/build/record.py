"""dkr's records of its builds, in the cache folder (dkr.build.cachedir says where):

- the last successful build of each context + Dockerfile (+ target), so that a rebuild can say which files
  changed. It holds fingerprints, never file contents or build arg values;
- the last build of each image dkr built (its `dkr build --format json` object), so that `dkr layers` can say
  which of the image's steps came from the layer cache.

Losing a record only costs an explanation: reading and writing never fail a command.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dkr.build.cache_report import PreviousBuild
from dkr.build.cachedir import build_record_path, context_record_path
from dkr.models.build import BuildResult, BuildStep

VERSION = 1


def digest_args(args: Mapping[str, str]) -> dict[str, str]:
    """Build arg values may be secrets: keep only enough to tell that one changed."""
    return {k: hashlib.sha256(v.encode()).hexdigest()[:16] for k, v in args.items()}


def load(root: str, dockerfile_path: str, target: str | None = None) -> PreviousBuild | None:
    try:
        data = json.loads(context_record_path(root, dockerfile_path, target).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return None
    try:
        return PreviousBuild(
            instructions=tuple(str(i) for i in data["instructions"]),
            layers=tuple(str(i) for i in data["layers"]),
            build_args={str(k): str(v) for k, v in data["build_args"].items()},
            files={str(k): list(v) for k, v in data["files"].items()},
        )
    except (KeyError, TypeError, AttributeError):
        return None


def save(
    root: str,
    dockerfile_path: str,
    target: str | None = None,
    *,
    image_id: str,
    instructions: Sequence[str],
    layers: Sequence[str],
    build_args: Mapping[str, str],
    files: Mapping[str, Sequence[object]],
) -> None:
    record: dict[str, Any] = {
        "version": VERSION,
        "context": root,
        "dockerfile": dockerfile_path,
        "image_id": image_id,
        "instructions": list(instructions),
        "layers": list(layers),
        "build_args": digest_args(build_args),
        "files": {k: list(v) for k, v in files.items()},
    }
    write_json(context_record_path(root, dockerfile_path, target), record)


def save_build(result: BuildResult) -> None:
    """Keep an image's last build for `dkr layers`: builds/<id>.json, the `dkr build --format json` object."""
    write_json(build_record_path(result.id), result.to_json())


def last_build(image_id: str) -> list[BuildStep] | None:
    """The steps of dkr's last build of this image, or None: no record, or one that does not read."""
    if not image_id.startswith("sha256:"):
        return None
    try:
        data = json.loads(build_record_path(image_id).read_text(encoding="utf-8"))
        if data.get("id") != image_id:
            return None
        return [BuildStep.from_json(step) for step in data["steps"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_json(path: Path, data: Any) -> None:
    """Write-then-rename, so that a concurrent build never reads half a file; a failure is ignored."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "w") as fh:
                json.dump(data, fh, separators=(",", ":"))
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
