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
import re
import secrets
import stat
import tarfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from dkr.build.record import RecordKey, record_key
from dkr.errors import DkrError
from dkr.grammars.dockerignore import Matcher, build_excludes, read_patterns
from dkr.grammars.goglob import PatternError

DEFAULT_DOCKERFILE = "Dockerfile"
#: `-` as the context or the Dockerfile: read it from stdin (docker build - < ctx.tar, -f - < Dockerfile)
STDIN = "-"
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
    #: the context read from stdin as it will be sent (a tar, maybe compressed: the Engine unpacks it), and
    #: the fingerprints of its files, taken when it was planned
    archive: BinaryIO | None = None
    archive_signatures: dict[str, Signature] = field(default_factory=dict)
    #: a git or http(s) URL the Engine fetches the context from itself (nothing is sent, nothing listed)
    remote: str | None = None

    @property
    def shown_dockerfile(self) -> str:
        """The Dockerfile as a message names it: relative to the current folder when below it."""
        if self.remote is not None:
            return f"{self.dockerfile} in {self.remote}"
        if self.archive is not None:
            return f"<stdin>/{self.dockerfile}"
        if self.dockerfile_path == STDIN:
            return "<stdin>"
        rel = os.path.relpath(self.dockerfile_path)
        return rel if not rel.startswith("..") else self.dockerfile_path


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


def plan_context(context: str, dockerfile: str | None = None, stdin: BinaryIO | None = None) -> ContextPlan:
    """Resolve the context and Dockerfile as the docker CLI does and list what it would send. Raises DkrError
    (missing folder or Dockerfile, bad .dockerignore rule, unreadable file) before anything is uploaded.
    `stdin` is what `-` reads: the context (`context == "-"`) or the Dockerfile (`dockerfile == "-"`)."""
    if context == STDIN:
        return plan_archive(_stdin(stdin), dockerfile)
    url = remote_context(context)
    if url is not None:
        return plan_remote(url, dockerfile)
    root = _context_root(context)
    if dockerfile == STDIN:
        # docker: the Dockerfile read from stdin is sent under a random name, as one from outside the context
        try:
            content = _stdin(stdin).read()
        except OSError as exc:
            raise DkrError(f"cannot read the Dockerfile from stdin: {exc.strerror or exc}") from exc
        df_path, rel = STDIN, "../" + STDIN
    else:
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
        except PatternError as exc:
            raise DkrError(f"{_show(ignore)}: {exc}") from exc
    try:
        matcher = Matcher(build_excludes(patterns, rel))
        if matcher.compile_errors():
            # docker's ValidateContextDirectory walk fails where it evaluates such a rule, before sending
            _validate(root, Matcher(patterns))
    except PatternError as exc:
        raise DkrError(f"{_show(ignore)}: {exc}") from exc
    plan = ContextPlan(root, name, df_path, inline, patterns)
    plan.dockerfile_text = content.decode("utf-8", "replace")
    plan.has_dockerignore = os.path.lexists(ignore)
    daemon_rules = Matcher(patterns)  # the daemon judges with the file's own rules (patternmatcher.Matches)
    plan.hidden_from_copy = tuple(
        p for p in (".dockerignore", rel) if inline is None and daemon_rules.matches_legacy(p)
    )
    try:
        _walk(plan, matcher)
    except PatternError as exc:
        raise DkrError(
            f"{_show(ignore)}: {exc}",
            "docker would stop sending the context there and build with the part already sent; dkr refuses.",
        ) from exc
    return plan


def _validate(root: str, matcher: Matcher) -> None:
    """The docker CLI's ValidateContextDirectory walk, for its one effect on the rules: it evaluates them
    (MatchesOrParentMatches) on every path it visits, skipping excluded folders, and fails on the first rule
    Go's regexp rejects. Raises PatternError there; a rule it never evaluates is no error."""
    folders = [""]
    while folders:
        folder = folders.pop()
        for name in _listdir(root, folder):
            rel = f"{folder}/{name}" if folder else name
            if matcher.matches_or_parent(rel):
                continue  # docker skips an excluded folder here, whatever the `!` rules say
            try:
                if stat.S_ISDIR(os.lstat(os.path.join(root, rel)).st_mode):
                    folders.append(rel)
            except FileNotFoundError:
                continue  # vanished while walking


#: docker's urlutil.IsGitURL: an http(s) URL of a `.git` path (maybe with a #ref:folder fragment), or these
_GIT_URL = re.compile(r"^https?://.*\.git(?:#.+)?$")
_GIT_PREFIXES = ("git://", "github.com/", "git@")


def remote_context(context: str) -> str | None:
    """The context as a URL the Engine fetches (the classic builder's `remote`), or None for a folder or `-`.
    docker/cli's rules: a git URL (urlutil.IsGitURL) or any http:// or https:// URL (a tarball, or a plain
    Dockerfile that is then the whole context)."""
    if _GIT_URL.match(context) or context.startswith(_GIT_PREFIXES):
        return context
    if context.startswith(("http://", "https://")):
        return context
    return None


def plan_remote(url: str, dockerfile: str | None) -> ContextPlan:
    """A context the Engine fetches: nothing to list or send; the Dockerfile is read there (-f names it
    inside the fetched context)."""
    if dockerfile == STDIN:
        raise DkrError("a Dockerfile from stdin needs a local build context, not a URL")
    name = dockerfile or DEFAULT_DOCKERFILE
    return ContextPlan(url, name, f"{url}#{name}", None, [], remote=url)


def _stdin(stdin: BinaryIO | None) -> BinaryIO:
    if stdin is None:
        raise DkrError("'-' reads from stdin, and there is none to read")
    return stdin


#: what starts a compressed archive (docker's DetectCompression: gzip, bzip2, xz, zstd)
_COMPRESSED = (b"\x1f\x8b\x08", b"BZh", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd")


def _is_archive(head: bytes) -> bool:
    """docker's IsArchive for a build context on stdin: compressed, or a tar header (its checksum right)."""
    if head.startswith(_COMPRESSED):
        return True
    if len(head) < BLOCK:
        return False
    try:
        tarfile.TarInfo.frombuf(head[:BLOCK], "utf-8", "surrogateescape")
    except tarfile.HeaderError:
        return False
    return True


def plan_archive(stdin: BinaryIO, dockerfile: str | None = None, key: RecordKey | None = None) -> ContextPlan:
    """`docker build -`: stdin is a tar (plain or compressed), sent as it is, its Dockerfile `-f` (default
    `Dockerfile`) inside it; or a Dockerfile alone, then the context is that file and nothing else (docker
    then ignores -f). The archive is read once here, into a temporary file, to find the Dockerfile and
    fingerprint each file for the cache report."""
    import shutil
    import tempfile

    if dockerfile == STDIN:
        raise DkrError("cannot read both the build context and the Dockerfile from stdin")
    # the plan owns the spool until the upload has read it (an unlinked file: nothing is left on disk)
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        shutil.copyfileobj(stdin, spool, READ_SIZE)
    except OSError as exc:
        spool.close()
        raise DkrError(f"cannot read the build context from stdin: {exc.strerror or exc}") from exc
    spool.seek(0)
    head = spool.read(BLOCK)
    spool.seek(0)
    if not _is_archive(head):
        content = spool.read()
        spool.seek(0)
        spool.truncate()
        spool.write(_memory_entry(DEFAULT_DOCKERFILE, content) + b"\0" * (2 * BLOCK))
        spool.seek(0)
        dockerfile = None
    key = key if key is not None else record_key()
    name = os.path.normpath(dockerfile or DEFAULT_DOCKERFILE).lstrip("/")
    plan = ContextPlan(STDIN, name, f"{STDIN}/{name}", None, [], archive=spool)
    text: bytes | None = None
    try:
        with tarfile.open(fileobj=spool, mode="r:*") as tar:
            for member in tar:
                rel = os.path.normpath(member.name).lstrip("/")
                plan.entries.append(rel)
                if member.isreg():
                    data = tar.extractfile(member)
                    body = data.read() if data is not None else b""
                    plan.files += 1
                    plan.size += member.size
                    plan.archive_signatures[rel] = ["f", member.mode, member.size, key.file_digest(body)]
                    if rel == name:
                        text = body
                    if rel == ".dockerignore":
                        plan.has_dockerignore = True
                else:
                    kind = "d" if member.isdir() else "l" if member.issym() else "o"
                    kind = "h" if member.islnk() else kind
                    plan.archive_signatures[rel] = [kind, member.mode, 0, member.linkname]
    except (tarfile.TarError, EOFError, OSError) as exc:
        spool.close()
        raise DkrError(f"cannot read the build context from stdin: {exc}") from exc
    if text is None:
        spool.close()
        raise DkrError(
            f"the build context from stdin has no {name}", "Name the Dockerfile inside it with -f."
        )
    spool.seek(0)
    plan.dockerfile_text = text.decode("utf-8", "replace")
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
    if plan.archive is not None:
        signatures.update(plan.archive_signatures)
        while chunk := plan.archive.read(CHUNK_SIZE):
            yield chunk
        return
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
