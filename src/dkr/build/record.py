"""dkr's records of its builds, in the cache folder (dkr.build.cachedir says where):

- the last successful build of each context + Dockerfile (+ target), so that a rebuild can say which files
  changed. It holds fingerprints, never file contents or build arg values: a value or a file's content is
  kept only as a keyed hash (blake2b with the user's record key), so that a weak secret (a `--build-arg
  TOKEN=...`, a `.env` file in the context) cannot be guessed offline from the record;
- the last build of each image dkr built (its `dkr build --format json` object), so that `dkr layers` can say
  which of the image's steps came from the layer cache.

The record key is 32 random bytes in the cache folder (cachedir.key_path), mode 0600, made once per user and
trusted only while it is a regular file of the user's, of the right size, with no group or other permission
bits; anything else is replaced (the records made with the old key then no longer match and are ignored).
Every folder dkr makes in the cache folder is 0700, and a cache folder with wider permissions is tightened.

Losing a record only costs an explanation: reading and writing never fail a command.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import stat
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dkr.build.cache_report import PreviousBuild
from dkr.build.cachedir import build_record_path, cache_dir, context_record_path, key_path
from dkr.models.build import BuildResult, BuildStep

#: 2: build arg values and file contents kept as blake2b keyed with the record key, whose id the record names
#: (1 kept unkeyed sha256/blake2b digests: such a record is ignored, as no record)
VERSION = 2
KEY_SIZE = 32
#: bytes of a keyed digest: with a secret key, 128 bits leave no collision to worry about
DIGEST_SIZE = 16

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
#: a FIFO planted where the key should be must not hang the open
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


@dataclass(frozen=True)
class RecordKey:
    """The key of the keyed hashes in the records."""

    secret: bytes = field(repr=False)
    #: False for a key made up for this run alone (the cache folder could not keep one): nothing is recorded
    #: with it, and no record can match it
    kept: bool = True

    @property
    def id(self) -> str:
        """Names the key in a record without telling anything about it."""
        return hashlib.blake2b(key=self.secret, digest_size=8, person=b"dkr key id").hexdigest()

    def file_hasher(self) -> hashlib.blake2b:
        """A keyed hash for one file's content (fed as the context is streamed)."""
        return hashlib.blake2b(key=self.secret, digest_size=DIGEST_SIZE, person=b"dkr file")

    def file_digest(self, data: bytes) -> str:
        hasher = self.file_hasher()
        hasher.update(data)
        return hasher.hexdigest()

    def arg_digest(self, name: str, value: str) -> str:
        """The name is hashed too: two args with one value get unrelated digests."""
        hasher = hashlib.blake2b(key=self.secret, digest_size=DIGEST_SIZE, person=b"dkr build arg")
        hasher.update(name.encode("utf-8", "surrogatepass") + b"\0" + value.encode("utf-8", "surrogatepass"))
        return hasher.hexdigest()


#: one key per cache folder per process: every digest of a build (the context's files as they are sent, the
#: build args, the record) is made with the same key even if the key file changes meanwhile
_KEYS: dict[str, RecordKey] = {}


def record_key() -> RecordKey:
    """The user's record key (read, or created on first use); never fails: a key for this run alone when the
    cache folder cannot keep one."""
    folder = cache_dir()
    key = _KEYS.get(str(folder))
    if key is None:
        key = _KEYS[str(folder)] = load_key(folder)
    return key


def load_key(folder: Path) -> RecordKey:
    """Read the key in `folder` if it can be trusted, else create it (or replace it); a key that is not kept
    if that fails (read-only or full disk)."""
    try:
        _private_folder(folder)
        secret = _kept_key(key_path(folder))
    except OSError:
        secret = None
    if secret is None:
        return RecordKey(secrets.token_bytes(KEY_SIZE), kept=False)
    return RecordKey(secret)


def _kept_key(path: Path) -> bytes | None:
    # a few rounds: another dkr may replace an untrusted key or publish a new one at the same time as this one
    for _round in range(3):
        found = _read_key(path)
        if isinstance(found, bytes):
            return found
        if found is not None:
            _remove_if_same(path, found)
        secret = secrets.token_bytes(KEY_SIZE)
        if _publish(path, secret):
            return secret
        # another process published its key first: the next round reads (and uses) that one
    return None


def _read_key(path: Path) -> bytes | tuple[int, int] | None:
    """The key if it can be trusted; (device, inode) of a file that cannot; None if there is none."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError:  # unreadable, or a symbolic link
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return None
        return (st.st_dev, st.st_ino)
    try:
        st = os.fstat(fd)
        data = os.read(fd, KEY_SIZE + 1) if stat.S_ISREG(st.st_mode) else b""
    finally:
        os.close(fd)
    trusted = (
        stat.S_ISREG(st.st_mode)
        and st.st_mode & 0o077 == 0
        and (not hasattr(os, "getuid") or st.st_uid == os.getuid())
        and st.st_size == KEY_SIZE
        and len(data) == KEY_SIZE
    )
    return data if trusted else (st.st_dev, st.st_ino)


def _remove_if_same(path: Path, file: tuple[int, int]) -> None:
    """Remove the untrusted key file, unless another process has replaced it since it was read."""
    with contextlib.suppress(FileNotFoundError):
        st = os.lstat(path)
        if (st.st_dev, st.st_ino) == file:
            os.unlink(path)


def _publish(path: Path, secret: bytes) -> bool:
    """Make `secret` the key file, whole or not at all: written to a new file (O_EXCL, 0600), then linked to
    its name, which fails if another process got there first (False: use theirs). A reader never sees a key
    half written."""
    tmp = path.with_name(f".{path.name}-{secrets.token_hex(8)}")
    _write_new(tmp, secret)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    except OSError:
        # a file system without hard links: create the key in place (a reader could see it half written and
        # replace it; each process then keeps its own key, and the other's records are ignored)
        try:
            _write_new(path, secret)
        except FileExistsError:
            return False
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return True


def _write_new(path: Path, data: bytes) -> None:
    """Create `path` exclusively, 0600 whatever the umask, and write `data` to it (removed if that fails)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | _NOFOLLOW, 0o600)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)  # the umask may have cut it further (0400 would still do, but say 0600)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        with contextlib.suppress(OSError):  # some file systems cannot
            os.fsync(fd)
    except OSError:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    os.close(fd)


def _private_folder(folder: Path) -> None:
    """Make `folder` (the cache folder or one in it) exist, it and each folder between 0700: those dkr
    creates (and missing parents of the cache folder) are made so whatever the umask; existing ones of the
    user's with group or other bits are tightened. Raises OSError if a folder cannot be made."""
    top = cache_dir()
    chain = [top]
    if folder.is_relative_to(top):
        for part in folder.relative_to(top).parts:
            chain.append(chain[-1] / part)
    else:  # not in the cache folder (the variables changed meanwhile): that folder alone
        chain = [folder]
    for current in chain:
        if not _make_folder(current):
            _tighten(current)


def _make_folder(folder: Path) -> bool:
    """Create `folder` and its missing parents, each 0700; False if it was there already."""
    try:
        folder.mkdir(mode=0o700)
    except FileNotFoundError:
        if folder.parent == folder:
            raise
        _make_folder(folder.parent)
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            return False
    except FileExistsError:
        return False
    os.chmod(folder, 0o700)  # mkdir's mode is cut by the umask (0o277 would leave it unwritable)
    return True


def _tighten(folder: Path) -> None:
    """0700 for a folder of the user's that is wider, unless it is a shared one (sticky, as /tmp): a cache
    folder set to one must not lock everyone else out of it. Best effort (a read-only file system)."""
    with contextlib.suppress(OSError):
        st = os.stat(folder)
        ours = not hasattr(os, "getuid") or st.st_uid == os.getuid()
        if stat.S_ISDIR(st.st_mode) and st.st_mode & 0o077 and ours and not st.st_mode & stat.S_ISVTX:
            os.chmod(folder, 0o700)


def digest_args(args: Mapping[str, str]) -> dict[str, str]:
    """Build arg values may be secrets: keep only enough to tell that one changed (a keyed hash)."""
    key = record_key()
    return {k: key.arg_digest(k, v) for k, v in args.items()}


def load(root: str, dockerfile_path: str, target: str | None = None) -> PreviousBuild | None:
    """The last build of this context, or None: no record, an unreadable one, one of another format (such as
    version 1's unkeyed digests) or made with another key (its digests cannot be compared with this run's)."""
    key = record_key()
    if not key.kept:
        return None
    try:
        data = json.loads(context_record_path(root, dockerfile_path, target).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != VERSION or data.get("key") != key.id:
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
    """Record a successful build. `files` are the context's fingerprints as stream_context made them (with
    record_key()); nothing is recorded when the key could not be kept, as no later run could read it."""
    key = record_key()
    if not key.kept:
        return
    record: dict[str, Any] = {
        "version": VERSION,
        "key": key.id,
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
    """Write-then-rename, so that a concurrent build never reads half a file; a failure is ignored. `path` is
    in the cache folder: the folders are made (or tightened to) 0700, the file is 0600 (mkstemp's mode)."""
    with contextlib.suppress(OSError):
        _private_folder(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "w") as fh:
                json.dump(data, fh, separators=(",", ":"))
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
