"""The build context: the folder and Dockerfile `docker build` would use, the entries it would send (after
`.dockerignore`), and the tar stream of them. Filesystem I/O, stdlib only; engine/build.py uploads the stream.

Why not the SDK's docker.utils.build.tar(): besides its .dockerignore drift (see dockerignore.py), it writes
the whole archive to a temporary file before the first byte is uploaded, resolves `-f` against the context
rather than the current folder, and records the user's uid/gid and names. The docker CLI streams the tar while
walking (go-archive TarWithOptions) with uid/gid 0 and no user names (ChownOpts, FileInfoHeaderNoLookups);
so does this module, and a context never sits in memory or on disk twice. While streaming it fingerprints
every entry (kind, mode, size, content hash) for the cache report: the hash rides on the upload's own read.
The content hash is keyed with the user's record key (dkr.build.record): a weak secret in a context file
cannot be guessed offline from the record that keeps the fingerprints.
"""

from __future__ import annotations

import os
import secrets
import stat
import tarfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from dkr.build.record import RecordKey, record_key
from dkr.errors import DkrError
from dkr.grammars.dockerignore import Matcher, build_excludes, read_patterns
from dkr.grammars.goglob import PatternError

DEFAULT_DOCKERFILE = "Dockerfile"
#: Bytes handed to the HTTP upload at a time (one chunk of the chunked request body).
CHUNK_SIZE = 256 * 1024
#: Bytes read from a file at a time: a large file never sits in memory whole.
READ_SIZE = 1024 * 1024
BLOCK = 512

#: A fingerprint of one sent entry: [kind, mode, size, digest-or-link-target]; kind is f(ile), d(ir),
#: l(symlink), h(ardlink) or o(ther); the digest is keyed (RecordKey.file_digest). mtime is left out on
#: purpose: the builder's cache ignores it too.
Signature = list[object]


@dataclass
class ContextPlan:
    """What `docker build` would send for a context folder and a Dockerfile, decided before any upload."""

    root: str
    #: the Dockerfile's name inside the tar (the API's `dockerfile` parameter)
    dockerfile: str
    #: where the Dockerfile is on disk
    dockerfile_path: str
    #: the Dockerfile's content when it lies outside the context (sent under a random name, as docker does)
    dockerfile_inline: bytes | None
    patterns: list[str]
    #: relative paths to send, in docker's walk order (lexical, depth first)
    entries: list[str] = field(default_factory=list)
    files: int = 0
    size: int = 0
    #: the Dockerfile's text, as read when the context was planned (for the hints after the build)
    dockerfile_text: str = ""
    #: whether the context has a .dockerignore (the classic builder reads no FILE.dockerignore beside -f)
    has_dockerignore: bool = False
    #: the Dockerfile and .dockerignore when .dockerignore excludes them: they are sent all the same, but the
    #: daemon drops them from the context once read (moby's removeDockerfile), so no COPY ever copies them
    hidden_from_copy: tuple[str, ...] = ()


def _show(path: str) -> str:
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else path


def _context_root(context: str) -> str:
    absolute = os.path.abspath(context)
    if not os.path.exists(absolute):
        raise DkrError(
            f"build context folder '{context}' does not exist",
            "Pass the folder that holds the files to build (default: the current folder).",
        )
    root = os.path.realpath(absolute)  # docker evaluates symlinks in the context path
    if not os.path.isdir(root):
        raise DkrError(f"build context '{context}' is not a folder")
    return root


def _dockerfile_path(root: str, dockerfile: str | None) -> str:
    if dockerfile:
        # docker: `-f` is relative to the current folder, not to the context (GetContextFromLocalDir)
        candidate = os.path.abspath(dockerfile)
    else:
        candidate = os.path.join(root, DEFAULT_DOCKERFILE)
        lower = os.path.join(root, DEFAULT_DOCKERFILE.lower())
        if not os.path.lexists(candidate) and os.path.lexists(lower):
            candidate = lower
    if not os.path.exists(candidate):
        if dockerfile:
            raise DkrError(f"Dockerfile '{dockerfile}' does not exist")
        raise DkrError(
            f"no Dockerfile in '{_show(root)}'",
            "Add one there, or name it with -f FILE (relative to the current folder).",
        )
    path = os.path.realpath(candidate)
    if not os.path.isfile(path):
        raise DkrError(f"Dockerfile '{dockerfile or _show(candidate)}' is not a file")
    return path


def plan_context(context: str, dockerfile: str | None = None) -> ContextPlan:
    """Resolve the context and Dockerfile as the docker CLI does and list what it would send. Raises DkrError
    (missing folder or Dockerfile, bad .dockerignore rule, unreadable file) before anything is uploaded."""
    root = _context_root(context)
    df_path = _dockerfile_path(root, dockerfile)
    rel = os.path.relpath(df_path, root)
    try:
        with open(df_path, "rb") as fh:
            content = fh.read()
    except OSError as exc:
        raise DkrError(f"cannot read Dockerfile '{_show(df_path)}': {exc.strerror or exc}") from exc
    inline = None
    if rel == ".." or rel.startswith("../"):
        inline = content
        name = ".dockerfile." + secrets.token_hex(10)  # docker: ".dockerfile." + 20 random hex digits
    else:
        name = rel
    ignore = os.path.join(root, ".dockerignore")
    patterns: list[str] = []
    if os.path.lexists(ignore):
        try:
            with open(ignore, "rb") as fh:
                patterns = read_patterns(fh.read().decode("utf-8", "surrogateescape"))
        except OSError as exc:
            raise DkrError(f"cannot read {_show(ignore)}: {exc.strerror or exc}") from exc
    try:
        matcher = Matcher(build_excludes(patterns, rel))
    except PatternError as exc:
        raise DkrError(f"{_show(ignore)}: {exc}") from exc
    plan = ContextPlan(root, name, df_path, inline, patterns)
    plan.dockerfile_text = content.decode("utf-8", "replace")
    plan.has_dockerignore = os.path.lexists(ignore)
    daemon_rules = Matcher(patterns)  # the daemon judges with the file's own rules (patternmatcher.Matches)
    plan.hidden_from_copy = tuple(
        p for p in (".dockerignore", rel) if inline is None and daemon_rules.matches_legacy(p)
    )
    _walk(plan, matcher)
    return plan


def _walk(plan: ContextPlan, matcher: Matcher) -> None:
    """go-archive's TarWithOptions walk: lexical depth-first order; each entry is judged with what every rule
    said about its folder; an excluded folder is skipped unless a `!` rule may re-include something in it
    (then it is walked but not itself sent)."""
    root = plan.root
    # a stack of (folder, what each rule said about it, its remaining entries), instead of recursion
    stack: list[tuple[str, list[bool] | None, Iterator[str]]] = [("", None, iter(_listdir(root, "")))]
    while stack:
        folder, info, names = stack[-1]
        name = next(names, None)
        if name is None:
            stack.pop()
            continue
        rel = f"{folder}/{name}" if folder else name
        path = os.path.join(root, rel)
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            continue  # vanished while walking
        is_dir = stat.S_ISDIR(st.st_mode)
        excluded, rule_info = matcher.matches(rel, info)
        if excluded:
            if is_dir and matcher.exclusions and matcher.keeps_descending(rel):
                stack.append((rel, rule_info, iter(_listdir(root, rel))))
            continue
        if stat.S_ISSOCK(st.st_mode):
            continue  # Go's tar writer cannot store sockets; docker skips them too
        plan.entries.append(rel)
        if is_dir:
            stack.append((rel, rule_info, iter(_listdir(root, rel))))
        elif stat.S_ISREG(st.st_mode):
            plan.files += 1
            plan.size += st.st_size
            if not os.access(path, os.R_OK):
                raise DkrError(
                    f"cannot read '{rel}' in the build context (permission denied)",
                    "Fix its permissions, or exclude it in .dockerignore.",
                )


def _listdir(root: str, rel: str) -> list[str]:
    try:
        return sorted(os.listdir(os.path.join(root, rel) if rel else root))
    except OSError as exc:
        raise DkrError(
            f"cannot read folder '{rel or '.'}' in the build context: {exc.strerror or exc}",
            "Fix its permissions, or exclude it in .dockerignore.",
        ) from exc


def _header(rel: str, st: os.stat_result, path: str) -> tarfile.TarInfo | None:
    info = tarfile.TarInfo(rel)
    info.mode = st.st_mode & 0o7777
    info.uid = info.gid = 0  # docker: ChownOpts{UID: 0, GID: 0}, no user or group names
    info.uname = info.gname = ""
    info.mtime = int(st.st_mtime)  # docker truncates to whole seconds
    mode = st.st_mode
    if stat.S_ISREG(mode):
        info.type = tarfile.REGTYPE
        info.size = st.st_size
    elif stat.S_ISDIR(mode):
        info.type = tarfile.DIRTYPE
    elif stat.S_ISLNK(mode):
        info.type = tarfile.SYMTYPE
        info.linkname = os.readlink(path)
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        info.type = tarfile.CHRTYPE if stat.S_ISCHR(mode) else tarfile.BLKTYPE
        info.devmajor, info.devminor = os.major(st.st_rdev), os.minor(st.st_rdev)
    elif stat.S_ISFIFO(mode):
        info.type = tarfile.FIFOTYPE
    else:
        return None
    return info


def _encode(info: tarfile.TarInfo) -> bytes:
    return info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")


def _memory_entry(name: str, data: bytes, mode: int = 0o600) -> bytes:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    info.mtime = int(time.time())
    return _encode(info) + data + b"\0" * (-len(data) % BLOCK)


def stream_context(
    plan: ContextPlan, signatures: dict[str, Signature], key: RecordKey | None = None
) -> Iterator[bytes]:
    """The context as an uncompressed tar in CHUNK_SIZE pieces, read lazily; fills `signatures` as it goes,
    their content digests keyed with `key` (default: the user's record key, as the records keep them)."""
    key = key if key is not None else record_key()
    buf = bytearray()
    linked: dict[tuple[int, int], str] = {}
    ignore_sent = False
    for rel in plan.entries:
        path = os.path.join(plan.root, rel)
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            continue  # deleted since the walk: docker skips it too
        info = _header(rel, st, path)
        if info is None:
            continue
        if rel == ".dockerignore" and plan.dockerfile_inline is not None and info.isreg():
            data = _ignore_with_dockerfile(path, plan.dockerfile)
            info.size = len(data)
            buf += _encode(info) + data + b"\0" * (-len(data) % BLOCK)
            signatures[rel] = ["f", info.mode, info.size, key.file_digest(data)]
            ignore_sent = True
        elif info.isreg() and st.st_nlink > 1 and (st.st_dev, st.st_ino) in linked:
            # later names of a hard-linked file are links to the first, as in docker's tar
            info.type = tarfile.LNKTYPE
            info.linkname = linked[(st.st_dev, st.st_ino)]
            info.size = 0
            buf += _encode(info)
            signatures[rel] = ["h", info.mode, 0, info.linkname]
        elif info.isreg():
            if st.st_nlink > 1:
                linked[(st.st_dev, st.st_ino)] = rel
            buf += _encode(info)
            digest = key.file_hasher()
            yield from _file_data(path, rel, info.size, buf, digest.update)
            signatures[rel] = ["f", info.mode, info.size, digest.hexdigest()]
        else:
            buf += _encode(info)
            kind = "d" if info.isdir() else "l" if info.issym() else "o"
            signatures[rel] = [kind, info.mode, 0, info.linkname]
        if len(buf) >= CHUNK_SIZE:
            yield bytes(buf)
            buf.clear()
    if plan.dockerfile_inline is not None:
        if not ignore_sent:
            data = f".dockerignore\n{plan.dockerfile}\n".encode()
            buf += _memory_entry(".dockerignore", data)
            signatures[".dockerignore"] = ["f", 0o600, len(data), key.file_digest(data)]
        buf += _memory_entry(plan.dockerfile, plan.dockerfile_inline)
    buf += b"\0" * (2 * BLOCK)  # end of archive
    yield bytes(buf)


def _file_data(
    path: str, rel: str, size: int, buf: bytearray, digest: Callable[[bytes], None]
) -> Iterator[bytes]:
    """Append a file's bytes (exactly `size`, as its header says) to buf, yielding whenever buf is full."""
    remaining = size
    try:
        with open(path, "rb") as fh:
            while remaining:
                data = fh.read(min(READ_SIZE, remaining))
                if not data:
                    break  # it shrank since lstat: pad below, like a short read
                digest(data)
                buf += data
                remaining -= len(data)
                if len(buf) >= CHUNK_SIZE:
                    yield bytes(buf)
                    buf.clear()
    except OSError as exc:
        raise DkrError(f"cannot read '{rel}' in the build context: {exc.strerror or exc}") from exc
    if remaining:
        digest(b"changed while sending")
        buf += b"\0" * remaining
    buf += b"\0" * (-size % BLOCK)


def _ignore_with_dockerfile(path: str, name: str) -> bytes:
    """docker's AddDockerfileToBuildContext: an outside Dockerfile is listed in .dockerignore, so that the
    Engine drops it from the context again."""
    with open(path, "rb") as fh:
        return fh.read() + f"\n{name}\n".encode()
