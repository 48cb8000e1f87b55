"""Pure: where dkr keeps what it remembers between runs, and what lies where. Stdlib only, no file I/O: the
records themselves are read and written by dkr.build.record.

The folder is $DKR_CACHE_DIR, else $XDG_CACHE_HOME/dkr, else ~/.cache/dkr (the XDG base directory rule).
Inside it:
- `contexts/<key>.json`: the last successful build of a context + Dockerfile (+ --target), which `dkr build`
  compares a rebuild with to say which files changed;
- `builds/<image id>.json`: for an image dkr built, its last build as `dkr build --format json` prints it,
  which `dkr layers` reads to say which step came from the layer cache;
- `record.key`: the user's key (random, mode 0600) of the keyed hashes by which the context records keep
  build arg values and file contents.
The folders are the user's alone (0700).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_dir() -> Path:
    """$DKR_CACHE_DIR, else $XDG_CACHE_HOME/dkr, else ~/.cache/dkr (read on each call: tests and scripts set
    the variables per run)."""
    if os.environ.get("DKR_CACHE_DIR"):
        return Path(os.environ["DKR_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dkr"


def context_record_path(root: str, dockerfile_path: str, target: str | None = None) -> Path:
    """One record per context folder, Dockerfile and --target (another target runs other steps)."""
    key_text = f"{root}\0{dockerfile_path}\0{target or ''}"
    key = hashlib.sha256(key_text.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return cache_dir() / "contexts" / f"{key}.json"


def build_record_path(image_id: str) -> Path:
    """One record per image id (`sha256:…`, the prefix left out of the name)."""
    return cache_dir() / "builds" / f"{image_id.removeprefix('sha256:')}.json"


def key_path(folder: Path | None = None) -> Path:
    """The record key's file, in `folder` (default: the cache folder)."""
    return (folder if folder is not None else cache_dir()) / "record.key"
