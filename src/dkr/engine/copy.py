"""dkr cp's core: files between a container and the local machine, with docker's path rules (archive.CopyTo,
PrepareArchiveCopy): into an existing directory under the source's name, else as the destination's name; a
trailing `/.` copies a directory's contents; a missing parent is an error. The Engine's archive endpoints
(GET/HEAD/PUT /containers/{id}/archive) carry tar streams, read and written with the stdlib's tarfile."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any

from dkr.engine import sdk
from dkr.engine.client import Engine
from dkr.errors import DkrError
from dkr.options.cp import asserts_directory, contents_only

#: Go's os.ModeDir in the Engine's stat header
_GO_MODE_DIR = 1 << 31
#: a tar built to send is kept in memory up to this size, then spilled to a temporary file
_SPOOL = 16 * 1024 * 1024


class _Chunks(io.RawIOBase):
    """A readable stream over the Engine's chunks, for tarfile's stream mode."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buf = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buf:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buf = chunk
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


def _local_error(exc: OSError, what: str, path: str) -> DkrError:
    return DkrError(f"{what} {path}: {(exc.strerror or str(exc)).lower()}")


def copy_from(
    engine: Engine, container: str, path: str, dest: str, out: Callable[[bytes], None] | None
) -> None:
    """Container to local: `dest` a path, or with `out` the tar stream itself (`-`), chunk by chunk."""
    api = engine.api
    with engine.errors():
        api.inspect_container(container)  # a missing container is its own error, before the path's
    with engine.errors(f"copy from {container}"):
        # by the name given: the Engine's "Could not find the file" names the container with it
        chunks, info = api.get_archive(container, path, encode_stream=False)
    if out is not None:
        with engine.errors(f"copy from {container}"):
            for chunk in chunks:
                out(chunk)
        return
    src_is_dir = bool((info or {}).get("mode", 0) & _GO_MODE_DIR)
    where, new_top = _local_target(dest, src_is_dir, contents_only(path))
    owner = (os.getuid(), os.getgid())

    def placed(member: tarfile.TarInfo, to: str) -> tarfile.TarInfo | None:
        top, _, rest = member.name.partition("/")
        first = new_top or top
        name = os.path.join(first, rest) if rest else first
        checked = tarfile.tar_filter(member.replace(name=os.path.normpath(name), deep=False), to)
        # as docker cp (NoLchown): the files belong to whoever copies them
        return (
            checked.replace(uid=owner[0], gid=owner[1], uname="", gname="", deep=False) if checked else None
        )

    reader = io.BufferedReader(_Chunks(iter(chunks)))
    with engine.errors(f"copy from {container}"), tarfile.open(fileobj=reader, mode="r|") as tar:
        try:
            for member in tar:
                tar.extract(member, where, filter=placed)
        except tarfile.FilterError as exc:
            raise DkrError(f"refused to extract: {exc}") from None
        except OSError as exc:
            raise _local_error(exc, "cannot write", exc.filename or dest) from None


def _local_target(dest: str, src_is_dir: bool, contents: bool) -> tuple[str, str]:
    """Where to extract, and the name the source's top entry takes there."""
    try:
        st = os.stat(dest)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _local_error(exc, "stat", dest) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        return dest, "." if contents else ""  # "" keeps the source's own name (set below)
    if st is not None and src_is_dir:
        raise DkrError(f"cannot copy a directory to a file: {dest}")
    if st is None and not src_is_dir and asserts_directory(dest):
        raise DkrError(f"destination directory {dest} does not exist")
    parent = os.path.dirname(dest.rstrip("/")) or "."
    if not os.path.isdir(parent):
        raise DkrError(f'invalid output path: directory "{parent}" does not exist')  # docker's words
    return parent, os.path.basename(dest.rstrip("/"))


def copy_to(
    engine: Engine, source: str, container: str, path: str, stdin: IO[bytes] | None, keep_ids: bool
) -> None:
    """Local to container: `source` a path, or with `stdin` a tar stream (`-`), extracted into the directory
    `path`."""
    api = engine.api
    with engine.errors():
        cid = str(api.inspect_container(container)["Id"])
    with engine.errors(f"copy to {container}"):
        dst = sdk.stat_path(api, cid, path)
    dst_is_dir = dst is not None and bool(dst.get("mode", 0) & _GO_MODE_DIR)
    if stdin is not None:
        if not dst_is_dir:
            raise DkrError(f'destination "{container}:{path}" must be a directory')
        with engine.errors(f"copy to {container}"):
            sdk.put_archive(api, cid, path, stdin, keep_ids)
        return
    try:
        src_st = os.lstat(source)
        if asserts_directory(source) and not stat.S_ISDIR(os.stat(source).st_mode):
            raise DkrError(f"{source}: not a directory")
    except OSError as exc:
        raise _local_error(exc, "lstat", source) from None
    src_is_dir = stat.S_ISDIR(src_st.st_mode)
    if dst_is_dir:
        into, name = path, "." if contents_only(source) else os.path.basename(os.path.normpath(source))
    elif dst is not None and src_is_dir:
        raise DkrError(f"cannot copy a directory to a file: {container}:{path}")
    elif dst is None and not src_is_dir and asserts_directory(path):
        raise DkrError(f"destination directory {container}:{path} does not exist")
    else:
        into = os.path.dirname(path.rstrip("/")) or "/"
        name = os.path.basename(path.rstrip("/"))
        with engine.errors(f"copy to {container}"):
            parent = sdk.stat_path(api, cid, into)
        if parent is None or not parent.get("mode", 0) & _GO_MODE_DIR:
            raise DkrError(f"Could not find the file {into} in container {container}")  # the Engine's words
    with tempfile.SpooledTemporaryFile(_SPOOL) as spool:
        try:
            with tarfile.open(fileobj=spool, mode="w|") as tar:
                _add(tar, source, name, src_is_dir and name == ".")
        except OSError as exc:
            raise _local_error(exc, "cannot read", exc.filename or source) from None
        spool.seek(0)
        with engine.errors(f"copy to {container}"):
            sdk.put_archive(api, cid, into, spool, keep_ids)


def _add(tar: tarfile.TarFile, source: str, name: str, contents: bool) -> None:
    if not contents:
        tar.add(source, arcname=name)
        return
    for child in sorted(os.listdir(source)):
        tar.add(os.path.join(source, child), arcname=child)
