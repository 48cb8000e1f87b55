"""-v, --mount and --tmpfs: upstream's own cases (docker/cli opts/mount_test.go, cli/compose/loader/
volume_test.go; moby's linux mount modes and parser errors) as tables, the Engine's checks that dkr makes
before asking, go-units RAMInBytes, Go's csv record, and hypothesis properties."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkr.errors import ExitCode, UsageError
from dkr.grammars.mounts import (
    GoCsvError,
    duplicate_target,
    engine_bind_error,
    go_csv_record,
    is_file_path,
    parse_mount,
    parse_mount_fields,
    parse_tmpfs,
    parse_volumes,
    split_volume,
    valid_mode,
)
from dkr.grammars.units import ram_in_bytes
from dkr.models.run import Mount

CWD = "/home/me/app"

# --- opts/mount_test.go -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "source"),
    [
        pytest.param(".", CWD, id="current"),
        pytest.param("./", CWD, id="current-slash"),
        pytest.param("../", "/home/me", id="parent-slash"),
        pytest.param("..", "/home/me", id="parent"),
    ],
)
def test_mount_relative(path: str, source: str) -> None:
    assert parse_mount_fields(f"type=bind,source={path},target=/target", CWD) == Mount(
        type="bind", source=source, target="/target"
    )


@pytest.mark.parametrize(
    "value",
    [
        "type=bind,src=/source,dst=/target",
        "type=bind,source=/source,target=/target",
        "type=bind,source=/source,destination=/target",
    ],
)
def test_mount_source_target_aliases(value: str) -> None:
    assert parse_mount_fields(value) == Mount(type="bind", source="/source", target="/target")


def test_mount_default_type() -> None:
    assert parse_mount_fields("target=/target,source=/foo").type == "volume"


@pytest.mark.parametrize(
    ("value", "error"),
    [
        pytest.param("type=tmpfs", "target is required", id="missing tmpfs target"),
        pytest.param("type=bind", "target is required", id="missing bind target"),
        pytest.param("type=volume,source=/foo", "target is required", id="missing volume target"),
        pytest.param(
            "type=volume,target=/foo,bogus=foo", "unexpected key 'bogus' in 'bogus=foo'", id="bad key"
        ),
        pytest.param(
            "type=volume, src=/foo,target=/foo", "unexpected key ' src' in ' src=/foo'", id="lead-blank"
        ),
        pytest.param(
            "type=volume,src =/foo,target=/foo", "unexpected key 'src ' in 'src =/foo'", id="trail-blank"
        ),
        pytest.param(
            "type=volume,target=/foo,bogus", "invalid field 'bogus' must be a key=value pair", id="no-value"
        ),
        pytest.param("type=tmpfs,target=/foo,tmpfs-size=foo", "invalid value for tmpfs-size: foo", id="size"),
        pytest.param("type=tmpfs,target=/foo,tmpfs-mode=foo", "invalid value for tmpfs-mode: foo", id="mode"),
        pytest.param(
            "type=volume,target=/foo,source=/foo,bind-propagation=rprivate",
            "cannot mix 'bind-*' options with mount type 'volume'",
            id="mixed bind and volume",
        ),
        pytest.param(
            "type=bind,target=/foo,source=/foo,volume-nocopy=true",
            "cannot mix 'volume-*' options with mount type 'bind'",
            id="mixed volume and bind",
        ),
        pytest.param("type=,target=/foo", "type is required", id="empty type"),
        pytest.param("", "EOF", id="empty"),
        pytest.param('type=bind,src="/tmp",dst=/x', 'bare " in non-quoted-field', id="bare-quote"),
        pytest.param('"type=tmpfs,dst=/x', 'extraneous or missing " in quoted-field', id="open-quote"),
        pytest.param('type=tmpfs,"dst=/x"x', 'extraneous or missing " in quoted-field', id="after-quote"),
        pytest.param("type=volume,dst=/x,readonly=maybe", "invalid value for readonly: maybe", id="readonly"),
    ],
)
def test_mount_errors(value: str, error: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_mount_fields(value)
    assert str(info.value) == error


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", False), ("readonly", True), ("readonly=", "invalid value for readonly: "),
        ("readonly= true", "invalid value for readonly:  true"), ("readonly=no", "invalid value for readonly: no"),
        ("readonly=1", True), ("readonly=true", True), ("readonly=0", False), ("readonly=false", False),
        ("ro", True), ("ro=1", True), ("ro=true", True), ("ro=0", False), ("ro=false", False),
    ],
)  # fmt: skip
def test_mount_read_only(value: str, expected: bool | str) -> None:
    mount = _parsed_or_refused("type=bind,target=/foo,source=/foo", value, expected)
    assert mount is None or mount.read_only is expected


def _parsed_or_refused(base: str, value: str, expected: bool | str) -> Mount | None:
    """`base` plus the field `value`, parsed; when `expected` is a message, the refusal with it (then None)."""
    text = base + (f",{value}" if value else "")
    if not isinstance(expected, str):
        return parse_mount_fields(text)
    with pytest.raises(ValueError) as info:
        parse_mount_fields(text)
    assert str(info.value) == expected
    return None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", False), ("volume-nocopy", True), ("volume-nocopy=", "invalid value for volume-nocopy: "),
        ("volume-nocopy= true", "invalid value for volume-nocopy:  true"),
        ("volume-nocopy=no", "invalid value for volume-nocopy: no"), ("volume-nocopy=1", True),
        ("volume-nocopy=true", True), ("volume-nocopy=0", False), ("volume-nocopy=false", False),
    ],
)  # fmt: skip
def test_mount_volume_nocopy(value: str, expected: bool | str) -> None:
    mount = _parsed_or_refused("type=volume,target=/foo,source=foo", value, expected)
    assert mount is None or (mount.volume_options, mount.no_copy) == (bool(value), expected)


@pytest.mark.parametrize(
    ("value", "options"),
    [
        pytest.param(
            "volume-label=foo=foo-value", {"Labels": {"foo": "foo-value"}, "DriverConfig": {}}, id="label"
        ),
        pytest.param(
            "volume-label=foo=foo-value,volume-label=bar=bar-value",
            {"Labels": {"foo": "foo-value", "bar": "bar-value"}, "DriverConfig": {}},
            id="labels",
        ),
        # Go's omitempty leaves empty strings in a map: only an empty map is left out
        pytest.param(
            "volume-label=foo=,volume-label=bar",
            {"Labels": {"foo": "", "bar": ""}, "DriverConfig": {}},
            id="label-empty",
        ),
        pytest.param("volume-label==foo-value", {"DriverConfig": {}}, id="label-empty-key"),
        pytest.param("volume-driver=my-driver", {"DriverConfig": {"Name": "my-driver"}}, id="driver"),
        pytest.param(
            "volume-opt=foo=foo-value", {"DriverConfig": {"Options": {"foo": "foo-value"}}}, id="opt"
        ),
        pytest.param(
            "volume-opt=foo=foo-value,volume-opt=bar=bar-value",
            {"DriverConfig": {"Options": {"foo": "foo-value", "bar": "bar-value"}}},
            id="opts",
        ),
        pytest.param(
            "volume-opt=foo=,volume-opt=bar",
            {"DriverConfig": {"Options": {"foo": "", "bar": ""}}},
            id="opt-empty",
        ),
        pytest.param("volume-opt==foo-value", {"DriverConfig": {}}, id="opt-empty-key"),
        pytest.param(
            "volume-driver=my-driver,volume-label=foo=foo-value,volume-label=empty=,volume-opt=foo=foo-value,volume-opt=empty=",
            {
                "Labels": {"foo": "foo-value", "empty": ""},
                "DriverConfig": {"Name": "my-driver", "Options": {"foo": "foo-value", "empty": ""}},
            },
            id="label-and-opt",
        ),
    ],
)
def test_mount_volume_options(value: str, options: dict[str, object]) -> None:
    body = parse_mount_fields(f"type=volume,target=/foo,{value}").body()
    assert body == {"Type": "volume", "Target": "/foo", "VolumeOptions": options}


@pytest.mark.parametrize(
    "value",
    [
        "type=tmpfs,target=/target,tmpfs-size=1m,tmpfs-mode=0700",
        "type=tmpfs,target=/target,tmpfs-size=1MB,tmpfs-mode=700",
    ],
)
def test_mount_tmpfs(value: str) -> None:
    assert parse_mount_fields(value).body() == {
        "Type": "tmpfs", "Target": "/target", "TmpfsOptions": {"SizeBytes": 1024 * 1024, "Mode": 0o700},
    }  # fmt: skip


def test_mount_bind_options_body() -> None:
    body = parse_mount_fields("type=bind,src=/a,dst=/b,bind-propagation=RSHARED,ro,consistency=cached").body()
    assert body == {
        "Type": "bind", "Source": "/a", "Target": "/b", "ReadOnly": True, "Consistency": "cached",
        "BindOptions": {"Propagation": "rshared"},
    }  # fmt: skip


# --- what the Engine refuses (measured on Engine 20.10 with docker 28's CLI), as exit 2 -----------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("type=bogus,dst=/x", 'invalid mount config for type "bogus": mount type unknown'),
        ("type=tmpfs,src=a,dst=/x", 'invalid mount config for type "tmpfs": field Source must not be specified'),
        ("type=volume,dst=rel", "invalid mount config for type \"volume\": invalid mount path: 'rel' mount path must be absolute"),
        ("type=bind,src=rel,dst=/x", "invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute"),
        ("type=tmpfs,dst=/", "invalid mount config for type \"tmpfs\": invalid specification: destination can't be '/'"),
        ("type=bind,dst=/x", 'invalid mount config for type "bind": field Source must not be empty'),
        ("type=volume,src=a b,dst=/x", 'create a b: "a b" includes invalid characters for a local volume name'),
        ("type=volume,src=/abs,dst=/x", 'create /abs: "/abs" includes invalid characters'),
    ],
)  # fmt: skip
def test_mount_engine_refusals(value: str, words: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_mount(value)
    assert info.value.exit_code == ExitCode.USAGE
    assert info.value.message.startswith(f"invalid --mount '{value}': {words}")


def test_mount_quoted_fields_and_later_lines() -> None:
    assert parse_mount('type=bind,"src=/tmp",dst=/x') == Mount(type="bind", source="/tmp", target="/x")
    assert parse_mount("\n\ntype=tmpfs,dst=/x\nfoo") == Mount(type="tmpfs", target="/x")


# --- cli/compose/loader/volume_test.go --------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/path", "/path/foo", "C:\\path", "Z:\\path\\foo", ".", "/a"])
def test_volume_anonymous(path: str) -> None:
    assert split_volume(path) == ("", path, "")


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ("/foo:/foo:ro:foo", "invalid spec: /foo:/foo:ro:foo: too many colons"),
        (":foo", "invalid spec: :foo: empty section between colons"),
        ("/foo::ro", "invalid spec: /foo::ro: empty section between colons"),
        ("/foo::rw", "invalid spec: /foo::rw: empty section between colons"),
        (":/vol", "invalid spec: :/vol: empty section between colons"),
        ("", "invalid empty volume spec"),
    ],
)
def test_volume_split_errors(spec: str, error: str) -> None:
    with pytest.raises(ValueError) as info:
        split_volume(spec)
    assert str(info.value) == error


@pytest.mark.parametrize("path", ["./foo", "~/thing", "../other", "/foo", "/home/user"])
def test_volume_bind_source(path: str) -> None:
    assert split_volume(f"{path}:/target") == (path, "/target", "")
    assert is_file_path(path)


def test_volume_options_are_the_engines_to_check() -> None:
    assert split_volume("/source:/target:slave") == ("/source", "/target", "slave")
    assert split_volume("name:/target:bogus") == ("name", "/target", "bogus")
    assert split_volume("C:\\source\\foo:D:\\target:ro,rprivate") == (
        "C:\\source\\foo",
        "D:\\target",
        "ro,rprivate",
    )


@pytest.mark.parametrize("source", ["a界", "1", "c", "name"])
def test_volume_is_not_file_path(source: str) -> None:
    assert not is_file_path(source)


@pytest.mark.parametrize(
    ("spec", "has_source"),
    [
        ("C:\\foo:d:", True), (":C:\\foo:d:", False), ("/foo:/bar:ro", True), ("C:\\foo\\:/foo", True),
        ("d:\\", False), ("d:", False), ("d:\\path", False), ("d:\\path with space", False),
        ("d:\\pathandmode:rw", True), ("c:\\:d:\\", True), ("c:\\windows\\:d:", True),
        ("c:\\windows:d:\\s p a c e", True), ("c:\\windows:d:\\s p a c e:RW", True),
        ("c:\\program files:d:\\s p a c e i n h o s t d i r", True), ("0123456789name:d:", True),
        ("MiXeDcAsEnAmE:d:", True), ("name:D:", True), ("name:D::rW", True), ("name:D::RW", True),
        ("c:/:d:/forward/slashes/are/good/too", True), ("c:\\Windows", False),
        ("c:\\Program Files (x86)", False), ("", False), (".", False), ("..\\", False), ("c:\\:..\\", True),
        ("c:\\:d:\\:xyzzy", True), ("/tmp/x/y:/foo/x/y", True),
    ],
)  # fmt: skip
def test_volume_split_cases(spec: str, has_source: bool) -> None:
    try:
        source = split_volume(spec)[0]
    except ValueError:
        source = ""
    assert (source != "") is has_source


# --- moby volume/mounts: the modes and ParseMountRaw on Linux ---------------------------------------------


@pytest.mark.parametrize(
    ("mode", "valid"),
    [
        ("", True), ("ro", True), ("rw", True), ("z", True), ("Z", True), ("ro,z", True), ("rw,Z,rslave", True),
        ("nocopy", True), ("ro,nocopy,cached", True), ("shared,delegated", True), ("consistent", True),
        ("ro,rw", False), ("z,Z", False), ("private,rprivate", False), ("zz", False), ("sw", False),
        ("rwz", False), ("RO", False), ("ro,", False), ("nocopy,nocopy", False), ("default", False),
    ],
)  # fmt: skip
def test_valid_mode(mode: str, valid: bool) -> None:
    assert valid_mode(mode) is valid


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("/home:/home", None), ("/home:/something/else", None), ("/with space:/x", None), ("/home:/with space", None),
        ("relative:/absolute-path", None), ("hostPath:/containerPath:ro", None), ("/hostPath:/containerPath:rw", None),
        ("/rw:/ro", None), ("vol:/b:ro,nocopy", None), ("vol:/b:z", None),
        ("/path:rw", "invalid volume specification: '/path:rw'"), ("/path:ro", "invalid volume specification: '/path:ro'"),
        ("/rw:rw", "invalid volume specification: '/rw:rw'"), ("path:ro", "invalid volume specification: 'path:ro'"),
        ("a:b:c:d", "invalid volume specification: 'a:b:c:d'"),
        ("/path:/path:sw", "invalid mode: sw"), ("/path:/path:rwz", "invalid mode: rwz"), ("/a:/b:ro,rw", "invalid mode: ro,rw"),
        ("/a:rel", "invalid volume specification: '/a:rel': invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute"),
        ("/a:/", "invalid volume specification: '/a:/': invalid mount config for type \"bind\": invalid specification: destination can't be '/'"),
        ("x/y:/z", 'create x/y: "x/y" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path'),
        ("~/x:/y", 'create ~/x: "~/x" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path'),
    ],
)  # fmt: skip
def test_engine_bind_error(raw: str, error: str | None) -> None:
    assert engine_bind_error(raw) == error


def test_parse_volumes_as_docker_run_sends_them() -> None:
    binds, anonymous = parse_volumes(
        ["/data", "/srv:/srv:ro", "./site:/site", "../x:/x", ".:/here", "vol:/v", "/data", "vol:/v"], CWD
    )
    assert binds == ("/srv:/srv:ro", f"{CWD}/site:/site", "/home/me/x:/x", f"{CWD}:/here", "vol:/v")
    assert anonymous == ("/data",)


@pytest.mark.parametrize("spec", ["rel", "C:/x", "/", "a:/x"])
def test_anonymous_volume_needs_an_absolute_path(spec: str) -> None:
    with pytest.raises(UsageError):
        parse_volumes([spec])


def test_tmpfs() -> None:
    assert parse_tmpfs(["/run", "/tmp:rw,noexec,size=64m", "/run:size=1m"]) == {
        "/run": "size=1m", "/tmp": "rw,noexec,size=64m",
    }  # fmt: skip
    for bad in ("rel", "", ":size=1m", "/", "//"):
        with pytest.raises(UsageError):
            parse_tmpfs([bad])


def test_duplicate_targets() -> None:
    assert duplicate_target(["/a:/x", "v:/y"], [Mount(type="tmpfs", target="/x/")]) == "/x/"
    assert duplicate_target(["/a:/x"], [Mount(type="tmpfs", target="/y")]) is None


# --- go-units RAMInBytes (size_test.go) and Go's csv ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("32", 32), ("32b", 32), ("32B", 32), ("32k", 32 * 1024), ("32K", 32 * 1024), ("32kb", 32 * 1024),
        ("32Kb", 32 * 1024), ("32Kib", 32 * 1024), ("32KIB", 32 * 1024), ("32Mb", 32 << 20), ("32Gb", 32 << 30),
        ("32Tb", 32 << 40), ("32Pb", 32 << 50), ("32PB", 32 << 50), ("32P", 32 << 50), ("32.3", 32),
        ("32.3 ", 32), ("32 KiB", 32 * 1024), ("1.5 kib", 1536), ("1e3", 1000), ("+1k", 1024), ("0.3 K", 307),
        ("-0", 0),
    ],
)  # fmt: skip
def test_ram_in_bytes(text: str, size: int) -> None:
    assert ram_in_bytes(text) == size


@pytest.mark.parametrize(
    "text",
    ["", "hello", "-32", " 32 ", "32m b", "32bm", "32 bm", "32kk", "1e", "1_0", "٣", "nan", "inf", "1e400", "32.3.4",
     "32Kib ", "9999999P", "K", ".", "32 B b"],
)  # fmt: skip
def test_ram_in_bytes_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        ram_in_bytes(text)


@pytest.mark.parametrize(
    ("text", "record"),
    [
        ("a,b,c", ["a", "b", "c"]), ('"a,b",c', ["a,b", "c"]), ('"a""b",c', ['a"b', "c"]), ("a,,", ["a", "", ""]),
        ('"a\nb",c', ["a\nb", "c"]), ("a\r\nb", ["a"]), ('""', [""]), ("\n\na", ["a"]),
    ],
)  # fmt: skip
def test_go_csv_record(text: str, record: list[str]) -> None:
    assert go_csv_record(text) == record


@pytest.mark.parametrize("text", ["", "\n", 'a"b', '"a', '"a"b', 'x,"a\n'])
def test_go_csv_errors(text: str) -> None:
    with pytest.raises(GoCsvError):
        go_csv_record(text)


# --- properties ---------------------------------------------------------------------------------------------

plain = st.text(string.ascii_letters + string.digits + "/._-", min_size=1, max_size=12)
name = st.from_regex(r"[a-zA-Z0-9][a-zA-Z0-9_.-]{1,10}", fullmatch=True)
absolute = plain.map(lambda s: "/" + s.lstrip("/")).filter(lambda p: p.strip("/") not in ("", ".", ".."))


def _quoted(field: str) -> str:
    """A field written as a csv writer would: quoted when it holds `,`, `"` or a newline."""
    if any(ch in field for ch in ',"\n'):
        return '"' + field.replace('"', '""') + '"'
    return field


@given(
    kind=st.sampled_from(["bind", "volume", "tmpfs"]),
    source=st.one_of(absolute, name),
    target=absolute,
    read_only=st.booleans(),
    opts=st.lists(st.tuples(name, st.text(max_size=6)), max_size=3),
    size=st.integers(0, 1 << 40),
)
def test_mount_written_out_parses_back(
    kind: str, source: str, target: str, read_only: bool, opts: list[tuple[str, str]], size: int
) -> None:
    fields = [f"type={kind}", f"dst={target}"]
    if kind == "bind":
        fields.append(f"src={'/' + source.lstrip('/')}")
    elif kind == "volume":
        fields.append(f"source={source}")
        fields += [f"volume-opt={k}={v}" for k, v in opts]
    else:
        fields.append(f"tmpfs-size={size}")
    if read_only:
        fields.append("ro")
    mount = parse_mount_fields(",".join(_quoted(f) for f in fields))
    assert (mount.type, mount.target, mount.read_only) == (kind, target, read_only)
    if kind == "volume":
        assert dict(mount.volume_opts) == dict(opts)
    if kind == "tmpfs":
        assert mount.tmpfs_size == size


@given(st.text(max_size=40))
def test_any_mount_value_is_a_mount_or_one_usage_line(value: str) -> None:
    try:
        mount = parse_mount(value)
    except UsageError as exc:
        assert "\n" not in exc.message and exc.exit_code == ExitCode.USAGE
    else:
        assert mount.target.startswith("/") and mount.type in ("bind", "volume", "tmpfs")


@given(
    st.lists(
        st.sampled_from(["/", ":", ".", ",", "a", "b", "z", "Z", "ro", "rw", "nocopy", "~", " "]), max_size=12
    ).map("".join)
)
def test_any_volume_is_accepted_as_the_engine_would_or_one_usage_line(spec: str) -> None:
    try:
        binds, anonymous = parse_volumes([spec], CWD)
    except UsageError as exc:
        assert "\n" not in exc.message
        return
    for bind in binds:
        assert engine_bind_error(bind) is None
        assert bind.split(":")[0].startswith("/") or "/" not in bind.split(":")[0]
    for path in anonymous:
        assert path.startswith("/")
