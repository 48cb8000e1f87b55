"""dkr run's pure rules: option values as docker/cli reads them, and the create body."""

from __future__ import annotations

import pytest

from dkr.errors import UsageError
from dkr.models.run import ImageInfo, PortMapping
from dkr.options.run import (
    MAX_EXECUTABLE_BYTES,
    check_env,
    check_name,
    check_network,
    check_pull,
    check_workdir,
    container_config,
    parse_add_host,
    parse_env_file,
    parse_labels,
    run_spec,
)

ENV = {"DEFINED_VAR": "defined-value", "HOME": "/root"}

# --- -e and --env-file (docker/cli opts.ValidateEnv, pkg/kvfile and its kvfile_test.go cases) ---------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("A=1", "A=1", id="key=value"),
        pytest.param("A=", "A=", id="empty value"),
        pytest.param("A=b=c", "A=b=c", id="value with ="),
        pytest.param("DEFINED_VAR", "DEFINED_VAR=defined-value", id="bare key from the environment"),
        pytest.param("UNDEFINED", "UNDEFINED", id="bare key not in the environment stays bare"),
        pytest.param("weird name=1", "weird name=1", id="names are not validated (moby#16585)"),
    ],
)
def test_check_env(value: str, expected: str) -> None:
    assert check_env(value, ENV.get) == expected


def test_check_env_rejects_an_empty_name_without_echoing_the_value() -> None:
    with pytest.raises(UsageError) as err:
        check_env("=hunter2", ENV.get, 3)
    assert err.value.message == "invalid -e/--env (the 3rd): no variable name before '='"


def test_env_file_with_lookup() -> None:
    content = b"# comment=\nVAR=VAR_VALUE\nEMPTY_VAR=\nUNDEFINED_VAR\nDEFINED_VAR\n"
    assert parse_env_file("f", content, ENV.get) == [
        "VAR=VAR_VALUE",
        "EMPTY_VAR=",
        "DEFINED_VAR=defined-value",
    ]


def test_env_file_good_file() -> None:
    content = (
        b"foo=bar\n    baz=quux\n# comment\n\n_foobar=foobaz\nwith.dots=working\nand_underscore=working too\n"
        b"\n    \t  "
    )
    assert parse_env_file("f", content, ENV.get) == [
        "foo=bar",
        "baz=quux",
        "_foobar=foobaz",
        "with.dots=working",
        "and_underscore=working too",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"", [], id="empty file"),
        pytest.param(b"\xef\xbb\xbfA=1\n", ["A=1"], id="BOM dropped"),
        pytest.param(b"A=1\r\nB=2\r\n", ["A=1", "B=2"], id="CRLF"),
        pytest.param(b"A=x\rB=2\n", ["A=x\rB=2"], id="a lone CR is part of the value, as bufio.ScanLines"),
        pytest.param(b'Q="quoted" \n', ['Q="quoted" '], id="quotes and trailing spaces kept"),
        pytest.param(b"A=1", ["A=1"], id="no final newline"),
    ],
)
def test_env_file_details(content: bytes, expected: list[str]) -> None:
    assert parse_env_file("f", content, ENV.get) == expected


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        pytest.param(
            b"foo=bar\n    f   =quux\n", "variable 'f   ' on line 2 contains whitespace", id="badly formatted"
        ),
        pytest.param(
            b"first line\nanother invalid line",
            "the variable name on line 1 contains whitespace",
            id="random",
        ),
        pytest.param(
            b"# comment=\n=blank variable names are an error case\n",
            "no variable name on line 2",
            id="no name",
        ),
        pytest.param(b"foo=" + b"a" * (64 * 1024 + 42), "longer than 64 KiB", id="line too long"),
        pytest.param(b"A=\xff\n", "invalid UTF-8 at line 1", id="not utf-8"),
    ],
)
def test_env_file_errors(content: bytes, needle: str) -> None:
    with pytest.raises(UsageError) as err:
        parse_env_file("vars.env", content, ENV.get)
    assert needle in err.value.message
    assert err.value.message.startswith("invalid env file vars.env: ")


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"=hunter2\n", id="no name"),
        pytest.param(b"A=1\n  =hunter2 \n", id="no name, indented"),
        pytest.param(b"my token hunter2\n", id="a stray value with blanks"),
        pytest.param(b"A=\xffhunter2\n", id="not utf-8"),
        pytest.param(b"A=hunter2" + b"x" * (64 * 1024), id="too long"),
    ],
)
def test_env_file_errors_never_show_a_value(content: bytes) -> None:
    with pytest.raises(UsageError) as err:
        parse_env_file("vars.env", content, ENV.get)
    assert "hunter2" not in err.value.message and "line" in err.value.message


# --- -l, --name, -w, --pull ----------------------------------------------------------------------------


def test_labels() -> None:
    assert parse_labels(["a=1", "b", "c=x=y", "a=2", "empty="]) == {
        "a": "2",
        "b": "",
        "c": "x=y",
        "empty": "",
    }


@pytest.mark.parametrize("value", ["=x", " =x", "a b=1"])
def test_bad_labels(value: str) -> None:
    with pytest.raises(UsageError, match="invalid label"):
        parse_labels([value])


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("web", True),
        ("/web", True),
        ("a1_b.c-d", True),
        ("w", False),
        ("-web", False),
        ("we b", False),
        ("é1", False),
    ],
)
def test_check_name(name: str, ok: bool) -> None:
    if ok:
        assert check_name(name) == name.removeprefix("/")
    else:
        with pytest.raises(UsageError, match="invalid container name"):
            check_name(name)


def test_check_workdir() -> None:
    assert check_workdir("/app") == "/app"
    assert check_workdir(None) is None
    with pytest.raises(UsageError, match="must be an absolute path"):
        check_workdir("app")


def test_check_pull() -> None:
    assert [check_pull(p) for p in ("missing", "never", "always")] == ["missing", "never", "always"]
    with pytest.raises(UsageError, match="expected missing, never or always"):
        check_pull("sometimes")


# --- the RunSpec and the create body ---------------------------------------------------------------------


def test_run_spec_applies_the_loopback_default_and_keeps_explicit_addresses() -> None:
    spec = run_spec(
        "img",
        ["sh", "-c", "ls -l"],
        environ={},
        publish=["8080:80", "0.0.0.0:9090:90", "[::1]::91/udp"],
    )
    assert spec.command == ("sh", "-c", "ls -l")
    assert spec.publish == (
        PortMapping("80/tcp", "127.0.0.1", "8080"),
        PortMapping("90/tcp", "0.0.0.0", "9090"),
        PortMapping("91/udp", "::1", ""),
    )


def test_run_spec_publish_ip_override() -> None:
    spec = run_spec("img", environ={"DKR_PUBLISH_IP": "0.0.0.0"}, publish=["80"])
    assert spec.publish == (PortMapping("80/tcp", "0.0.0.0", ""),)


def test_run_spec_env_file_then_e_flags() -> None:
    spec = run_spec(
        "img", environ=ENV, env=["B=from-flag", "DEFINED_VAR"], env_files=[("f", b"A=1\nB=from-file\n")]
    )
    assert spec.env == ("A=1", "B=from-file", "B=from-flag", "DEFINED_VAR=defined-value")


def test_run_spec_rejects_an_empty_image() -> None:
    with pytest.raises(UsageError, match="invalid image ' ': invalid reference format"):
        run_spec(" ", environ={})


# --- IMAGE: docker/cli's reference.ParseAnyReference, before any Engine call -----------------------------------

HEX = "0123456789abcdef" * 4


@pytest.mark.parametrize(
    "image",
    [
        "busybox", "busybox:1.36", f"busybox@sha256:{HEX}", f"busybox:1.36@sha256:{HEX}", "library/busybox",
        "docker.io/library/busybox:latest", "localhost:5000/team/app:v1", "[::1]:5000/app", "a" * 247,
        HEX, f"sha256:{HEX}", f"sha512:{HEX * 2}", "5d752f4cf217", "sha256:5d75",
    ],
)  # fmt: skip
def test_run_takes_what_parse_any_reference_takes(image: str) -> None:
    assert run_spec(image, environ={}).image == image


@pytest.mark.parametrize(
    ("image", "why"),
    [
        ("/", "invalid reference format"),
        (".", "invalid reference format"),
        ("..", "invalid reference format"),
        ("", "invalid reference format"),
        ("-", "invalid reference format"),
        ("a b", "invalid reference format"),
        ("busybox:", "invalid reference format"),
        ("busybox@sha256:abc", "invalid reference format"),
        ("Busybox", "repository name (library/Busybox) must be lowercase"),
        (HEX.upper(), "must be lowercase"),
        ("a" * 248, "repository name must not be more than 255 characters"),  # library/ + 248
        ("\udcff", "invalid reference format"),
        ("../images/json", "invalid reference format"),
    ],
)
def test_run_refuses_what_parse_any_reference_refuses(image: str, why: str) -> None:
    with pytest.raises(UsageError) as err:
        run_spec(image, environ={})
    assert err.value.message.startswith("invalid image '") and err.value.message.endswith(why)
    assert err.value.hint == "Run 'dkr run --help' for usage."


# --- COMMAND: the executable's path is at most PATH_MAX (a longer one hangs the Engine: moby#37525) ---------


def test_the_executable_may_be_as_long_as_path_max() -> None:
    longest = "/" + "a" * (MAX_EXECUTABLE_BYTES - 1)
    assert run_spec("img", [longest, "b" * 100_000], environ={}).command == (longest, "b" * 100_000)


@pytest.mark.parametrize(
    "first",
    [
        pytest.param("a" * (MAX_EXECUTABLE_BYTES + 1), id="ascii"),
        pytest.param("é" * 2048, id="2-byte characters"),
        pytest.param("a" * 100_000, id="the reported 100,000"),
    ],
)
def test_a_longer_executable_is_refused_naming_the_limit(first: str) -> None:
    with pytest.raises(UsageError) as err:
        run_spec("img", [first], environ={})
    assert "\n" not in err.value.message and len(err.value.message) < 200
    assert err.value.message.endswith(
        "is too long: an executable's path is at most 4,095 bytes (Linux's PATH_MAX)"
    )


def test_container_config() -> None:
    spec = run_spec(
        "img",
        ["echo", "hi"],
        environ={},
        publish=["8080:80", "127.0.0.1:9000-9001:90-91/udp"],
        publish_all=True,
        rm=True,
        init=True,
        env=["A=1"],
        labels=["k=v"],
        workdir="/w",
    )
    image = ImageInfo("sha256:x", "img", exposed=("80/tcp", "443/tcp"))
    body = container_config(spec, image, attach=True)
    assert body["ExposedPorts"] == {"80/tcp": {}, "90/udp": {}, "91/udp": {}, "443/tcp": {}}
    assert body["HostConfig"] == {
        "PortBindings": {
            "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}],
            "90/udp": [{"HostIp": "127.0.0.1", "HostPort": "9000"}],
            "91/udp": [{"HostIp": "127.0.0.1", "HostPort": "9001"}],
            "443/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}],
        },
        "AutoRemove": True,
        "Init": True,
    }
    assert body["Cmd"] == ["echo", "hi"]
    assert body["Env"] == ["A=1"]
    assert body["Labels"] == {"k": "v"}
    assert body["WorkingDir"] == "/w"
    assert (body["AttachStdout"], body["AttachStderr"], body["AttachStdin"], body["Tty"]) == (
        True,
        True,
        False,
        False,
    )


def test_container_config_defaults() -> None:
    body = container_config(run_spec("img", environ={}), ImageInfo("sha256:x", "img"), attach=False)
    assert body["Cmd"] is None  # the image's CMD
    assert body["HostConfig"] == {"PortBindings": {}, "AutoRemove": False}  # Init unset: the Engine's default
    assert body["AttachStdout"] is False


@pytest.mark.parametrize(
    ("value", "rm", "expected"),
    [("no", False, ("no", 0)), ("always", False, ("always", 0)), ("on-failure", False, ("on-failure", 0)),
     ("on-failure:5", False, ("on-failure", 5)), ("unless-stopped", False, ("unless-stopped", 0)),
     ("no", True, ("no", 0))],
)  # fmt: skip
def test_restart_policies(value: str, rm: bool, expected: tuple[str, int]) -> None:
    from dkr.options.run import parse_restart

    assert parse_restart(value, rm) == expected


@pytest.mark.parametrize(("value", "nano"), [("1", 10**9), ("1.5", 15 * 10**8), ("0.000000001", 1), ("0", 0)])
def test_cpus(value: str, nano: int) -> None:
    from dkr.options.run import parse_cpus

    assert parse_cpus(value) == nano


@pytest.mark.parametrize("value", ["-1", "x", "nan", "inf", "1e400", "0.0000000001", "\u0661"])
def test_cpus_refused(value: str) -> None:
    from dkr.options.run import parse_cpus

    with pytest.raises(UsageError):
        parse_cpus(value)


def test_caps_as_docker_normalises_them() -> None:
    from dkr.options.run import effective_caps

    assert effective_caps(["net_admin", "CAP_SYS_TIME"], ["chown"]) == (
        ("CAP_NET_ADMIN", "CAP_SYS_TIME"),
        ("CAP_CHOWN",),
    )
    assert effective_caps(["net_admin", "all", "NET_ADMIN"], []) == (("ALL", "CAP_NET_ADMIN"), ())
    assert effective_caps(["x"], ["X", "mknod"]) == (("CAP_X",), ("CAP_MKNOD", "CAP_X"))


def test_container_config_mounts_as_docker_run_sends_them() -> None:
    spec = run_spec(
        "img", environ={}, volumes=["/srv:/srv:ro", "/data", "vol:/v"], mounts=["type=volume,src=v2,dst=/w,ro"],
        tmpfs=["/run:size=1m"], cwd="/home",
    )  # fmt: skip
    body = container_config(spec, ImageInfo("sha256:x", "img"), attach=False)
    host = body["HostConfig"]
    assert isinstance(host, dict)
    assert host["Binds"] == ["/srv:/srv:ro", "vol:/v"]
    assert host["Mounts"] == [{"Type": "volume", "Source": "v2", "Target": "/w", "ReadOnly": True}]
    assert host["Tmpfs"] == {"/run": "size=1m"}
    assert body["Volumes"] == {"/data": {}}


# --- --add-host (docker/cli opts.ValidateExtraHost, hosts_test.go's cases), --network, --network-alias -----


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        ("myhost:192.168.0.1", "myhost:192.168.0.1"), ("thathost:10.0.2.1", "thathost:10.0.2.1"),
        ("anipv6host:2003:ab34:e::1", "anipv6host:2003:ab34:e::1"), ("ipv6local:::1", "ipv6local:::1"),
        ("host.docker.internal:host-gateway", "host.docker.internal:host-gateway"),
        ("myhost=192.168.0.1", "myhost:192.168.0.1"), ("ipv6local=[::1]", "ipv6local:::1"),
        ("ipv6local:[::1]", "ipv6local:::1"), ("h: 1.2.3.4", "h: 1.2.3.4"), ("h=host-gateway", "h:host-gateway"),
    ],
)  # fmt: skip
def test_add_host(value: str, sent: str) -> None:
    assert parse_add_host(value) == sent


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("myhost", "expected HOST:IP"), ("myhost:", "'' is not an IP address"), (":192.168.0.1", "expected HOST:IP"),
        ("=192.168.0.1", "expected HOST:IP"), ("myhost:192.notanipaddress.1", "is not an IP address"),
        ("thathost-nosemicolon10.0.0.1", "expected HOST:IP"), ("anipv6host:::::1", "is not an IP address"),
        ("ipv6local:::0::", "is not an IP address"), ("h:[::1", "is not an IP address"),
        ("h:001.2.3.4", "is not an IP address"), ("h:fe80::1%eth0", "is not an IP address"),
    ],
)  # fmt: skip
def test_add_host_errors(value: str, why: str) -> None:
    with pytest.raises(UsageError) as err:
        parse_add_host(value)
    assert why in err.value.message


def test_network_and_aliases() -> None:
    assert check_network([], []) == (None, ())
    assert check_network(["appnet"], ["db", "db", "database"]) == ("appnet", ("db", "database"))
    assert check_network(["host"], []) == ("host", ())
    for networks, aliases in ((["bridge"], ["x"]), (["container:c1"], ["x"]), ([], ["x"]), (["a", "b"], []),
                              ([""], []), (["n"], [""])):  # fmt: skip
        with pytest.raises(UsageError):
            check_network(networks, aliases)


def test_container_config_network() -> None:
    spec = run_spec("img", environ={}, networks=["appnet"], network_aliases=["db"], add_hosts=["h=10.0.0.1"])
    body = container_config(spec, ImageInfo("sha256:x", "img"), attach=False)
    host = body["HostConfig"]
    assert isinstance(host, dict)
    assert (host["NetworkMode"], host["ExtraHosts"]) == ("appnet", ["h:10.0.0.1"])
    assert body["NetworkingConfig"] == {"EndpointsConfig": {"appnet": {"Aliases": ["db"]}}}
    plain = container_config(
        run_spec("img", environ={}, networks=["none"]), ImageInfo("x", "img"), attach=False
    )
    assert "NetworkingConfig" not in plain
