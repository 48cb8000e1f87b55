"""Pure: dkr cp's two arguments as docker/cli reads them (splitCpArg): `CONTAINER:PATH`, a local path, or
`-` for a tar stream; exactly one side is a container."""

from __future__ import annotations

from dataclasses import dataclass

from dkr.errors import UsageError
from dkr.options.common import check_container_refs


@dataclass(frozen=True)
class CpEnd:
    path: str
    #: the container, or "" for the local side
    container: str = ""


def split_arg(arg: str) -> CpEnd:
    """docker's splitCpArg: an absolute path, one without ":", or one whose part before ":" starts with "."
    is local (`./a:b`); else CONTAINER:PATH."""
    if arg.startswith("/"):
        return CpEnd(arg)
    container, colon, path = arg.partition(":")
    if not colon or container.startswith("."):
        return CpEnd(arg)
    return CpEnd(path, container)


def cp_ends(src: str, dst: str) -> tuple[CpEnd, CpEnd]:
    source, dest = split_arg(src), split_arg(dst)
    if source.container and dest.container:
        raise UsageError("copying between containers is not supported", "cp")
    if not (source.container or dest.container):
        raise UsageError("must specify at least one container source", "cp")
    for end in (source, dest):
        if end.container:
            check_container_refs([end.container], "cp")
        if not end.path:
            raise UsageError("filesystem path cannot be empty", "cp")
    if dest.path == "-" and not dest.container and source.path == "-":
        raise UsageError("invalid use of '-' on both sides", "cp")
    return source, dest


def asserts_directory(path: str) -> bool:
    """A path that says it is a directory: a trailing "/" or "/." (docker's archive.assertsDirectory)."""
    return path.endswith("/") or path == "." or path.endswith("/.")


def contents_only(path: str) -> bool:
    """`dir/.`: the directory's contents, not the directory (docker's specifiesCurrentDir)."""
    return path == "." or path.endswith("/.")
