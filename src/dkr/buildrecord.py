"""dkr's small record of its last successful build of each context + Dockerfile (+ target), so that a rebuild
can say which files changed: one JSON file per pair in `<cache folder>/contexts/` (the caller passes the
folder: engine.layers.cache_dir(), $DKR_CACHE_DIR else $XDG_CACHE_HOME/dkr else ~/.cache/dkr). A record holds
fingerprints, never file contents or build arg values. Losing it only costs the explanation: reading and
writing never fail a build.
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

from dkr.cache_report import PreviousBuild

VERSION = 1


def record_path(folder: Path, root: str, dockerfile_path: str, target: str | None = None) -> Path:
    """One record per context, Dockerfile and --target (another target runs other steps)."""
    key_text = f"{root}\0{dockerfile_path}\0{target or ''}"
    key = hashlib.sha256(key_text.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return folder / "contexts" / f"{key}.json"


def digest_args(args: Mapping[str, str]) -> dict[str, str]:
    """Build arg values may be secrets: keep only enough to tell that one changed."""
    return {k: hashlib.sha256(v.encode()).hexdigest()[:16] for k, v in args.items()}


def load(folder: Path, root: str, dockerfile_path: str, target: str | None = None) -> PreviousBuild | None:
    try:
        data = json.loads(record_path(folder, root, dockerfile_path, target).read_text())
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
    folder: Path,
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
    write_json(record_path(folder, root, dockerfile_path, target), record)


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
