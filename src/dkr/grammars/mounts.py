"""Pure: `-v/--volume`, `--mount` and `--tmpfs` as docker reads them, and the Engine's own checks of what they
make, so that a mount the Engine would refuse is a usage error (exit 2) before any Engine call.

Hand-written from the reference implementations (read, not copied): docker/cli's `opts/mount.go`
(MountOpt.Set: one Go `encoding/csv` record of `key=value` fields), `cli/compose/loader/volume.go`
(ParseVolume, which `docker run` uses to split `-v` into HostConfig.Binds and Config.Volumes) and
`cli/command/container/opts.go` (a bind's host path starting with `.` made absolute); moby's
`volume/mounts/linux_parser.go` (ParseMountRaw, the mode words, validateMountConfig) and the local volume
driver's name rule. tests/unit/grammars/test_mounts.py carries upstream's test tables.

No I/O and standard library only: the working folder is handed in for `./path`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

from dkr.errors import UsageError, printable
from dkr.grammars.units import ram_in_bytes
from dkr.models.run import Mount
from dkr.options.common import shown

#: moby's RestrictedNamePattern, the local driver's rule for a volume name
VOLUME_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]+")
_NAME_CHARS = "[a-zA-Z0-9][a-zA-Z0-9_.-]"
#: moby linux_parser: the words a -v mode may hold, one of each group at most
_MODE_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"rw", "ro"}),
    frozenset({"z", "Z"}),
    frozenset({"private", "rprivate", "slave", "rslave", "shared", "rshared"}),
    frozenset({"nocopy"}),
    frozenset({"consistent", "cached", "delegated"}),
)
PROPAGATIONS = ("private", "rprivate", "shared", "rshared", "slave", "rslave")
#: the mount types an Engine on Linux takes (`npipe` is Windows'; `cluster` and `image` need newer APIs)
MOUNT_TYPES = ("bind", "volume", "tmpfs")
_TRUE = ("1", "t", "T", "TRUE", "true", "True")
_FALSE = ("0", "f", "F", "FALSE", "false", "False")


class GoCsvError(ValueError):
    """encoding/csv's error for the one record docker reads (its words, without line and column)."""


def go_csv_record(text: str) -> list[str]:
    """The first record of `text` as Go's csv.Reader reads it with its defaults (`,`, no comment character,
    strict quotes): empty lines before it skipped, `"..."` fields with `""` for a quote and newlines kept, a
    `"` inside an unquoted field an error, "\\r\\n" read as "\\n"."""
    rest = text.replace("\r\n", "\n").lstrip("\n")
    if rest == "":
        raise GoCsvError("EOF")
    fields: list[str] = []
    i = 0
    while True:
        if rest[i : i + 1] != '"':
            end = len(rest)
            for stop in (",", "\n"):
                found = rest.find(stop, i)
                if found != -1:
                    end = min(end, found)
            field = rest[i:end]
            if '"' in field:
                raise GoCsvError('bare " in non-quoted-field')
            fields.append(field)
            if end < len(rest) and rest[end] == ",":
                i = end + 1
                continue
            return fields
        value: list[str] = []
        i += 1
        while True:
            quote = rest.find('"', i)
            if quote == -1:
                raise GoCsvError('extraneous or missing " in quoted-field')
            value.append(rest[i:quote])
            after = rest[quote + 1 : quote + 2]
            if after == '"':
                value.append('"')
                i = quote + 2
                continue
            if after == ",":
                fields.append("".join(value))
                i = quote + 2
                break
            if after in ("", "\n"):
                fields.append("".join(value))
                return fields
            raise GoCsvError('extraneous or missing " in quoted-field')


def _go_bool(value: str) -> bool:
    """strconv.ParseBool."""
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(value)


def _made_absolute(path: str, cwd: str) -> str:
    """docker/cli: a host path starting with `.` (`.`, `./x`, `..`, `../x`) is read from the working
    folder."""
    if path.startswith("."):
        return posixpath.normpath(posixpath.join(cwd, path))
    return path


#: an Engine's message quoting a value is cut to this many characters (a huge argument is not echoed whole)
_MESSAGE_MAX = 300


def _one_line(message: str) -> str:
    text = printable(message)
    return text if len(text) <= _MESSAGE_MAX else text[:_MESSAGE_MAX] + "…"


# --- --mount -----------------------------------------------------------------------------------------------


def parse_mount_fields(value: str, cwd: str = "/") -> Mount:
    """docker/cli's MountOpt.Set: raises ValueError with docker's message."""
    try:
        fields = go_csv_record(value)
    except GoCsvError as exc:
        raise ValueError(str(exc)) from None
    kind = "volume"
    source = target = consistency = propagation = driver = ""
    read_only = no_copy = non_recursive = False
    bind_set = volume_set = tmpfs_set = False
    labels: dict[str, str] = {}
    options: dict[str, str] = {}
    size = mode = 0
    for field in fields:
        key, sep, val = field.partition("=")
        if not sep:
            if key in ("readonly", "ro"):
                read_only = True
            elif key == "volume-nocopy":
                volume_set, no_copy = True, True
            elif key == "bind-nonrecursive":
                bind_set, non_recursive = True, True
            else:
                raise ValueError(f"invalid field '{field}' must be a key=value pair")
            continue
        try:
            if key == "type":
                kind = val.lower()
            elif key in ("source", "src"):
                source = _made_absolute(val, cwd)
            elif key in ("target", "dst", "destination"):
                target = val
            elif key in ("readonly", "ro"):
                read_only = _go_bool(val)
            elif key == "consistency":
                consistency = val.lower()
            elif key == "bind-propagation":
                bind_set, propagation = True, val.lower()
            elif key == "bind-nonrecursive":
                bind_set, non_recursive = True, _go_bool(val)
            elif key == "volume-nocopy":
                volume_set, no_copy = True, _go_bool(val)
            elif key in ("volume-label", "volume-opt"):
                volume_set = True
                name, _, item = val.partition("=")
                if name:  # docker drops a pair without a name
                    (labels if key == "volume-label" else options)[name] = item
            elif key == "volume-driver":
                volume_set, driver = True, val
            elif key == "tmpfs-size":
                tmpfs_set, size = True, ram_in_bytes(val)
            elif key == "tmpfs-mode":
                tmpfs_set, mode = True, _parse_mode(val)
            else:
                raise KeyError(key)
        except ValueError:
            what = "volume-nocopy" if key == "volume-nocopy" else key
            raise ValueError(f"invalid value for {what}: {val}") from None
        except KeyError:
            raise ValueError(f"unexpected key '{key}' in '{field}'") from None
    if kind == "":
        raise ValueError("type is required")
    if target == "":
        raise ValueError("target is required")
    for family, used, wanted in (("volume", volume_set, "volume"), ("bind", bind_set, "bind")):
        if used and kind != wanted:
            raise ValueError(f"cannot mix '{family}-*' options with mount type '{kind}'")
    if tmpfs_set and kind != "tmpfs":
        raise ValueError(f"cannot mix 'tmpfs-*' options with mount type '{kind}'")
    return Mount(
        type=kind, source=source, target=target, read_only=read_only, consistency=consistency,
        bind_options=bind_set, propagation=propagation, non_recursive=non_recursive,
        volume_options=volume_set, no_copy=no_copy, volume_labels=tuple(labels.items()),
        volume_driver=driver, volume_opts=tuple(options.items()),
        tmpfs_options=tmpfs_set, tmpfs_size=size, tmpfs_mode=mode,
    )  # fmt: skip


def _parse_mode(val: str) -> int:
    """strconv.ParseUint(val, 8, 32)."""
    if val == "" or any(ch not in "01234567" for ch in val):
        raise ValueError(val)
    number = int(val, 8)
    if number >= 1 << 32:
        raise ValueError(val)
    return number


def engine_mount_error(mount: Mount) -> str | None:
    """moby's validateMountConfig for a --mount on Linux (the checks that need no host file): its message, or
    None. Whether a bind's source exists is the Engine's to say: it is a path on the Engine's machine."""
    prefix = f'invalid mount config for type "{mount.type}": '
    if mount.type not in MOUNT_TYPES:
        return prefix + "mount type unknown"
    problem = _target_error(mount.target)
    if problem:
        return prefix + problem
    if mount.type == "bind":
        if mount.source == "":
            return prefix + "field Source must not be empty"
        if not mount.source.startswith("/"):
            return prefix + f"invalid mount path: '{mount.source}' mount path must be absolute"
        if mount.propagation and mount.propagation not in PROPAGATIONS:
            return prefix + f"invalid propagation mode: {mount.propagation}"
    elif mount.type == "tmpfs":
        if mount.source:
            return prefix + "field Source must not be specified"
        if mount.tmpfs_size < 0:
            return prefix + "invalid tmpfs size"
    elif mount.source and not VOLUME_NAME.fullmatch(mount.source):
        return _name_error(mount.source)
    return None


def parse_mount(value: str, cwd: str = "/", command: str = "run") -> Mount:
    """One --mount, as docker reads it and the Engine checks it; a bad one is a UsageError."""
    try:
        mount = parse_mount_fields(value, cwd)
    except ValueError as exc:
        raise UsageError(f"invalid --mount {shown(value)}: {_one_line(str(exc))}", command) from None
    problem = engine_mount_error(mount)
    if problem:
        raise UsageError(f"invalid --mount {shown(value)}: {_one_line(problem)}", command)
    return mount


# --- -v/--volume -------------------------------------------------------------------------------------------


def split_volume(spec: str) -> tuple[str, str, str]:
    """docker/cli's compose loader ParseVolume: (source, target, options); source "" for an anonymous volume.
    Raises ValueError with docker's message. A drive letter (`C:`) stays in its part, as upstream keeps it."""
    if spec == "":
        raise ValueError("invalid empty volume spec")
    if len(spec.encode("utf-8", "surrogatepass")) <= 2:
        return "", spec, ""
    parts: list[str] = []
    buffer = ""
    for char in [*spec, None]:
        if char == ":" and len(buffer) == 1 and buffer.isalpha():
            buffer += char
        elif char in (":", None):
            if buffer == "":
                raise ValueError(f"invalid spec: {spec}: empty section between colons")
            if len(parts) == 2 and char == ":":
                raise ValueError(f"invalid spec: {spec}: too many colons")
            parts.append(buffer)
            buffer = ""
        else:
            buffer += char
    if len(parts) == 1:
        return "", parts[0], ""
    return parts[0], parts[1], parts[2] if len(parts) > 2 else ""


def is_file_path(source: str) -> bool:
    """ParseVolume's isFilePath on Linux: the source is a host path (a bind), not a volume name."""
    return source[:1] in (".", "/", "~") or (len(source) > 1 and source[0].isalpha() and source[1] == ":")


def valid_mode(mode: str) -> bool:
    """moby's linuxValidMountMode."""
    if mode == "":
        return True
    counts = [0] * len(_MODE_GROUPS)
    for word in mode.split(","):
        group = next((i for i, words in enumerate(_MODE_GROUPS) if word in words), None)
        if group is None:
            return False
        counts[group] += 1
    return max(counts) <= 1


def _target_error(target: str) -> str | None:
    if target == "":
        return "field Target must not be empty"
    if posixpath.normpath(target) in ("/", "//"):
        return "invalid specification: destination can't be '/'"
    if not target.startswith("/"):
        return f"invalid mount path: '{target}' mount path must be absolute"
    return None


def _name_error(name: str) -> str:
    return (
        f'create {name}: "{name}" includes invalid characters for a local volume name, only "{_NAME_CHARS}" '
        "are allowed. If you intended to pass a host directory, use absolute path"
    )


def engine_bind_error(raw: str) -> str | None:
    """moby's ParseMountRaw on Linux, then the local driver's name rule, for one HostConfig.Binds entry: its
    message, or None."""
    parts = raw.split(":", 3)
    if parts[0] == "" or len(parts) > 3 or (len(parts) == 2 and valid_mode(parts[1])):
        return f"invalid volume specification: '{raw}'"
    source, target, mode = parts[0], parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else ""
    if not valid_mode(mode):
        return f"invalid mode: {mode}"
    kind = "bind" if source.startswith("/") else "volume"
    problem = _target_error(target)
    if problem:
        return f"invalid volume specification: '{raw}': invalid mount config for type \"{kind}\": {problem}"
    if kind == "volume" and not VOLUME_NAME.fullmatch(source):
        return _name_error(source)
    return None


def parse_volumes(
    specs: Iterable[str], cwd: str = "/", command: str = "run"
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every -v as `docker run` sends it: (HostConfig.Binds, the Config.Volumes keys), each once in argument
    order (docker keeps them in a map). A spec docker or the Engine would refuse is a UsageError."""
    binds: list[str] = []
    anonymous: list[str] = []
    for spec in specs:
        try:
            source, _, _ = split_volume(spec)
        except ValueError as exc:
            raise UsageError(f"invalid -v/--volume {shown(spec)}: {_one_line(str(exc))}", command) from None
        if source == "":
            problem = _target_error(spec)
            if problem:
                raise UsageError(f"invalid -v/--volume {shown(spec)}: {_one_line(problem)}", command)
            if spec not in anonymous:
                anonymous.append(spec)
            continue
        bind = spec
        if is_file_path(source):
            host, _, rest = spec.partition(":")
            bind = f"{_made_absolute(host, cwd)}:{rest}"
        problem = engine_bind_error(bind)
        if problem:
            raise UsageError(f"invalid -v/--volume {shown(spec)}: {_one_line(problem)}", command)
        if bind not in binds:
            binds.append(bind)
    return tuple(binds), tuple(anonymous)


# --- --tmpfs -----------------------------------------------------------------------------------------------


def parse_tmpfs(specs: Iterable[str], command: str = "run") -> dict[str, str]:
    """--tmpfs PATH[:OPTIONS] as docker sends it (HostConfig.Tmpfs: path -> options, the last one wins), with
    the Engine's check of PATH. The options are the kernel's (`size=64m,mode=1777`): the Engine reads them."""
    out: dict[str, str] = {}
    for spec in specs:
        path, _, options = spec.partition(":")
        problem = _target_error(path)
        if problem:
            if path == "":
                problem = "invalid mount path: '' mount path must be absolute"
            raise UsageError(f"invalid --tmpfs {shown(spec)}: {_one_line(problem)}", command)
        out[path] = options
    return out


def check_distinct(binds: Iterable[str], mounts: Iterable[Mount], command: str = "run") -> None:
    """A UsageError when two mounts share a container path."""
    twice = duplicate_target(binds, mounts)
    if twice is not None:
        raise UsageError(f"duplicate mount point: {shown(twice)} is mounted twice (-v/--mount)", command)


def duplicate_target(binds: Iterable[str], mounts: Iterable[Mount]) -> str | None:
    """The Engine refuses two mounts on one container path (`Duplicate mount point`): the first such path."""
    seen: set[str] = set()
    targets = [b.split(":", 3)[1] for b in binds] + [m.target for m in mounts]
    for target in targets:
        clean = posixpath.normpath(target)
        if clean in seen:
            return target
        seen.add(clean)
    return None
