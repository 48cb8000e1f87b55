"""docker's -p grammar: upstream's own cases (go-connections nat/nat_test.go and nat/parse_test.go at v0.8.0,
docker/cli's TestConvertToStandardNotation) as tables, dkr's messages, the loopback default, and hypothesis
properties."""

from __future__ import annotations

import ipaddress
import string

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dkr.errors import ExitCode, UsageError, printable
from dkr.grammars.ports import (
    DEFAULT_PUBLISH_IP,
    OUT_OF_RANGE,
    PortRangeError,
    PortSpecError,
    convert_long_form,
    exposed_ports,
    is_ip,
    new_port,
    on_all_interfaces,
    parse_port,
    parse_port_number,
    parse_port_range,
    parse_port_spec,
    parse_publish,
    parse_publish_specs,
    port_bindings,
    publish_all,
    publish_ip,
    split_host_port,
    split_proto_port,
    with_default_ip,
)
from dkr.models.run import PortMapping


def pm(port: str, ip: str = "", host: str = "") -> PortMapping:
    return PortMapping(port, ip, host)


# --- parse_test.go: TestParsePortRange ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("1234", (1234, 1234), id="single port"),
        pytest.param("1234-1234", (1234, 1234), id="single port range"),
        pytest.param("1234-1235", (1234, 1235), id="two port range"),
        pytest.param("8000-9000", (8000, 9000), id="large range"),
        pytest.param("0", (0, 0), id="zero port"),
        pytest.param("0-0", (0, 0), id="zero range"),
    ],
)
def test_parse_port_range_valid(text: str, expected: tuple[int, int]) -> None:
    assert parse_port_range(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("", "empty string specified for ports", id="empty value"),
        pytest.param("asdf", "invalid start port 'asdf': invalid syntax", id="non-numeric port"),
        pytest.param("9000-8000", "invalid port range: 9000-8000", id="reversed range"),
        pytest.param("8000-", "invalid end port '': value is empty", id="range missing end"),
        pytest.param("-9000", "invalid start port '': value is empty", id="range missing start"),
        pytest.param("8000-a", "invalid end port 'a': invalid syntax", id="invalid range end"),
        pytest.param("8000-9000a", "invalid end port '9000a': invalid syntax", id="invalid range end port"),
        pytest.param("a-9000", "invalid start port 'a': invalid syntax", id="range range start"),
        pytest.param("8000a-9000", "invalid start port '8000a': invalid syntax", id="range range start port"),
        pytest.param("-8000-", "invalid start port '': value is empty", id="range with trailing hyphen"),
        pytest.param("-", "invalid start port '': value is empty", id="range without ports"),
    ],
)
def test_parse_port_range_invalid(text: str, message: str) -> None:
    with pytest.raises(PortRangeError) as err:
        parse_port_range(text)
    assert str(err.value) == message


# --- parse_test.go: TestParsePortNumber --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", "value is empty", id="empty string"),
        pytest.param("   ", "invalid syntax", id="whitespace only"),
        pytest.param("1234", 1234, id="single valid port"),
        pytest.param("0", 0, id="zero port"),
        pytest.param("65535", 65535, id="max valid port"),
        pytest.param("  42  ", "invalid syntax", id="leading/trailing spaces"),
        pytest.param("-1", OUT_OF_RANGE, id="negative port"),
        pytest.param("70000", OUT_OF_RANGE, id="too large port"),
        pytest.param("foo", "invalid syntax", id="non-numeric"),
        pytest.param("1234abc", "invalid syntax", id="trailing garbage"),
        # strconv.ParseInt details the upstream table does not list
        pytest.param("+80", 80, id="plus sign (ParseInt accepts it)"),
        pytest.param("0080", 80, id="leading zeros"),
        pytest.param("8_0", "invalid syntax", id="underscore (base 10 has none)"),
        pytest.param("٨٠", "invalid syntax", id="non-ascii digits"),
        pytest.param("99999999999999999999", "value out of range", id="int64 overflow"),
        pytest.param("99999999999999999999x", "value out of range", id="overflow found before the bad digit"),
        pytest.param("+", "invalid syntax", id="sign alone"),
    ],
)
def test_parse_port_number(text: str, expected: int | str) -> None:
    if isinstance(expected, int):
        assert parse_port_number(text) == expected
        return
    with pytest.raises(PortRangeError) as err:
        parse_port_number(text)
    assert str(err.value) == expected


def test_out_of_range_message_is_upstreams_en_dash() -> None:
    assert OUT_OF_RANGE == "value out of range (0\u201365535)"


# --- nat_test.go: TestParsePort, TestParsePortRangeToInt, TestPort -----------------------------------------


@pytest.mark.parametrize(
    ("text", "port", "message"),
    [
        pytest.param("asdf", 0, "invalid port 'asdf': invalid syntax", id="invalid value"),
        pytest.param("1asdf", 0, "invalid port '1asdf': invalid syntax", id="invalid value with number"),
        pytest.param("", 0, "", id="empty value"),
        pytest.param("0", 0, "", id="zero value"),
        pytest.param("-1", 0, f"invalid port '-1': {OUT_OF_RANGE}", id="negative value"),
        pytest.param("0123", 123, "", id="octal value"),
        pytest.param("65535", 65535, "", id="max value"),
        pytest.param("65536", 0, f"invalid port '65536': {OUT_OF_RANGE}", id="value out of range"),
    ],
)
def test_parse_port(text: str, port: int, message: str) -> None:
    if not message:
        assert parse_port(text) == port
        return
    with pytest.raises(PortRangeError) as err:
        parse_port(text)
    assert str(err.value) == message


def test_parse_port_range_to_int() -> None:
    # ParsePortRangeToInt("") is (0, 0): ParsePortSpec's "no host port". Its range cases are parsePortRange's.
    assert parse_port_spec("::80") == [pm("80/tcp")]
    assert parse_port_range("8000-9000") == (8000, 9000)


def test_new_port() -> None:
    port = new_port("tcp", "1234")
    assert port == "1234/tcp"
    mapping = pm(port)
    assert (mapping.proto, mapping.container_port) == ("tcp", 1234)
    for bad in ("asd1234", "1234-1230"):
        with pytest.raises(PortRangeError):
            new_port("tcp", bad)
    assert new_port("tcp", "1234-1242") == "1234-1242/tcp"


# --- nat_test.go: TestSplitProtoPort ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "port", "proto"),
    [
        pytest.param("", "", "", id="empty value"),
        pytest.param("0", "0", "tcp", id="zero value"),
        pytest.param("/udp", "", "", id="empty port"),
        pytest.param("1234", "1234", "tcp", id="single port"),
        pytest.param("1234/", "1234", "tcp", id="single port with empty protocol"),
        pytest.param("1234/udp", "1234", "udp", id="single port with protocol"),
        pytest.param("80-8080", "80-8080", "tcp", id="port range"),
        pytest.param("80-8080/", "80-8080", "tcp", id="port range with empty protocol"),
        pytest.param("80-8080/udp", "80-8080", "udp", id="port range with protocol"),
        pytest.param("-1", "-1", "tcp", id="negative value"),
        pytest.param("1234/UDP", "1234", "UDP", id="uppercase protocol"),
        pytest.param("any port value", "any port value", "tcp", id="any value"),
        pytest.param(
            "any port value/any proto value",
            "any port value",
            "any proto value",
            id="any value with protocol",
        ),
    ],
)
def test_split_proto_port(text: str, port: str, proto: str) -> None:
    assert split_proto_port(text) == (proto, port)


# --- nat_test.go: ParsePortSpec ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "go_error"),
    [
        pytest.param("", "no port specified: <empty>", id="empty spec"),
        pytest.param(
            "0.0.0.0:1234-1235:/tcp",
            "no port specified: 0.0.0.0:1234-1235:/tcp<empty>",
            id="empty container port",
        ),
        pytest.param(
            "0.0.0.0:1234-1235:",
            "no port specified: 0.0.0.0:1234-1235:<empty>",
            id="empty container port and proto",
        ),
    ],
)
def test_parse_port_spec_empty_container_port(spec: str, go_error: str) -> None:
    with pytest.raises(PortSpecError) as err:
        parse_port_spec(spec)
    assert err.value.go_error == go_error
    assert err.value.kind == "no-port"


def test_parse_port_spec_full() -> None:
    assert parse_port_spec("0.0.0.0:1234-1235:3333-3334/tcp") == [
        pm("3333/tcp", "0.0.0.0", "1234"),
        pm("3334/tcp", "0.0.0.0", "1235"),
    ]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param(
            "[2001:4860:0:2001::68]::333",
            pm("333/tcp", "2001:4860:0:2001::68"),
            id="square angled IPV6 without host port",
        ),
        pytest.param("[::1]:80:80", pm("80/tcp", "::1", "80"), id="square angled IPV6 with host port"),
        pytest.param(
            "2001:4860:0:2001::68::333", pm("333/tcp", "2001:4860:0:2001::68"), id="IPV6 without host port"
        ),
        pytest.param("::1:80:80", pm("80/tcp", "::1", "80"), id="IPV6 with host port"),
        pytest.param("::::80", pm("80/tcp", "::"), id=":: IPV6, without host port"),
    ],
)
def test_parse_port_spec_ipv6(spec: str, expected: PortMapping) -> None:
    assert parse_port_spec(spec) == [expected]


def _specs(*specs: str) -> tuple[dict[str, dict[str, str]], dict[str, list[dict[str, str]]]]:
    mappings = parse_publish_specs(specs)
    return exposed_ports(mappings), port_bindings(mappings)


@pytest.mark.parametrize("ip", ["", "0.0.0.0"], ids=["no ip", "0.0.0.0"])
@pytest.mark.parametrize("with_host", [False, True], ids=["container only", "host:container"])
def test_parse_port_specs(ip: str, with_host: bool) -> None:
    specs = ["1234/tcp", "2345/udp", "3456/sctp"]
    if with_host:
        specs = [f"{s.split('/')[0]}:{s}" for s in specs]
    if ip:
        specs = [f"{ip}:{s}" if with_host else f"{ip}::{s}" for s in specs]
    exposed, bindings = _specs(*specs)
    assert set(exposed) == {"1234/tcp", "2345/udp", "3456/sctp"}
    for port, found in bindings.items():
        host = port.split("/")[0] if with_host else ""
        assert found == [{"HostIp": ip, "HostPort": host}], port


@pytest.mark.parametrize("ip", ["", "0.0.0.0"], ids=["no ip", "0.0.0.0"])
@pytest.mark.parametrize("with_host", [False, True], ids=["container only", "host:container"])
def test_parse_port_specs_with_range(ip: str, with_host: bool) -> None:
    specs = ["1234-1236/tcp", "2345-2347/udp", "3456-3458/sctp"]
    if with_host:
        specs = [f"{s.split('/')[0]}:{s}" for s in specs]
    if ip:
        specs = [f"{ip}:{s}" if with_host else f"{ip}::{s}" for s in specs]
    exposed, bindings = _specs(*specs)
    assert {"1235/tcp", "2346/udp", "3456/sctp"} <= set(exposed)
    assert len(exposed) == 9
    for port, found in bindings.items():
        host = port.split("/")[0] if with_host else ""
        assert found == [{"HostIp": ip, "HostPort": host}], port


@pytest.mark.parametrize(
    "spec", ["localhost:1234:1234/tcp", "localhost:1234-1236:1234-1236/tcp"], ids=["port", "range"]
)
def test_parse_port_specs_host_name_is_not_an_ip(spec: str) -> None:
    with pytest.raises(PortSpecError) as err:
        parse_publish_specs([spec])
    assert err.value.go_error == "invalid IP address: localhost"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param("192.168.1.100::80", pm("80/tcp", "192.168.1.100"), id="PrivateOnly"),
        pytest.param("192.168.1.100:8080:80", pm("80/tcp", "192.168.1.100", "8080"), id="Public"),
        pytest.param("192.168.1.100::6000/udp", pm("6000/udp", "192.168.1.100"), id="Udp"),
        pytest.param("192.168.1.100::6000/sctp", pm("6000/sctp", "192.168.1.100"), id="Sctp"),
    ],
)
def test_parse_network_opts(spec: str, expected: PortMapping) -> None:
    assert parse_publish_specs([spec]) == (expected,)
    exposed, bindings = _specs(spec)
    assert list(exposed) == [expected.port]
    assert bindings == {expected.port: [{"HostIp": expected.host_ip, "HostPort": expected.host_port}]}


@pytest.mark.parametrize(
    ("spec", "go_error"),
    [
        pytest.param("192.168.1.100", "invalid containerPort: 192.168.1.100", id="PublicNoPort"),
        pytest.param("192.168.1.100:-1:-1", "invalid containerPort: -1", id="NegativePorts"),
    ],
)
def test_parse_network_opts_rejected(spec: str, go_error: str) -> None:
    with pytest.raises(PortSpecError) as err:
        parse_publish_specs([spec])
    assert err.value.go_error == go_error


# --- nat_test.go: TestStringer -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param(":8080:6000/tcp", ":8080:6000/tcp", id="no host mapping"),
        pytest.param("192.168.1.100:8080:6000", "192.168.1.100:8080:6000/tcp", id="no proto"),
        pytest.param("192.168.1.100::6000/udp", "192.168.1.100::6000/udp", id="no host port"),
        pytest.param("::6000", "::6000/tcp", id="no mapping, port, or proto"),
        pytest.param("192.168.1.100:8080:6000/udp", "192.168.1.100:8080:6000/udp", id="ipv4 mapping"),
        pytest.param("[::1]:8080:6000/udp", "[::1]:8080:6000/udp", id="ipv6 mapping"),
        pytest.param("[::1]::6000/udp", "[::1]::6000/udp", id="ipv6 mapping without host port"),
        pytest.param("::1:8080:6000/udp", "[::1]:8080:6000/udp", id="ipv6 legacy mapping"),
        pytest.param("::::6000/udp", "[::]::6000/udp", id="ipv6 legacy mapping without host port"),
    ],
)
def test_stringer(spec: str, expected: str) -> None:
    mappings = parse_port_spec(spec)
    assert len(mappings) == 1
    assert mappings[0].spec() == expected


@pytest.mark.parametrize(
    "group",
    [
        ["1234/tcp", "2345/udp", "3456/sctp"],
        ["1234:1234/tcp", "2345:2345/udp", "3456:3456/sctp"],
        ["0.0.0.0:1234:1234/tcp", "0.0.0.0:2345:2345/udp", "0.0.0.0:3456:3456/sctp"],
        ["1234-1236/tcp", "2345-2347/udp", "3456-3458/sctp"],
        ["1234-1236:1234-1236/tcp", "2345-2347:2345-2347/udp", "3456-3458:3456-3458/sctp"],
        [
            "0.0.0.0:1234-1236:1234-1236/tcp",
            "0.0.0.0:2345-2347:2345-2347/udp",
            "0.0.0.0:3456-3458:3456-3458/sctp",
        ],
        ["[2001:4860:0:2001::68]::333"],
        ["[::1]:80:80"],
        ["::1:80:80"],
        ["::::80"],
    ],
    ids=lambda g: " ".join(g),
)
def test_benchmark_specs_parse(group: list[str]) -> None:
    assert parse_publish_specs(group)


# --- more of docker's behaviour, and where the SDK's split_port differs ------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param("80", [pm("80/tcp")], id="container port only"),
        pytest.param("8080:80", [pm("80/tcp", "", "8080")], id="host:container"),
        pytest.param("8000-8010:80", [pm("80/tcp", "", "8000-8010")], id="host range, one container port"),
        pytest.param(
            "127.0.0.1:8000-8010:80/udp", [pm("80/udp", "127.0.0.1", "8000-8010")], id="ip, host range, udp"
        ),
        pytest.param("80/UDP", [pm("80/udp")], id="upper-case protocol"),
        pytest.param("80/Sctp", [pm("80/sctp")], id="mixed-case protocol"),
        pytest.param("80-80", [pm("80/tcp")], id="one-port range"),
        pytest.param("0:80", [pm("80/tcp", "", "0")], id="host port 0"),
        pytest.param("+80", [pm("80/tcp")], id="plus sign"),
        pytest.param("[]:8080:80", [pm("80/tcp", "", "8080")], id="empty brackets: no address"),
        pytest.param("[127.0.0.1]:8080:80", [pm("80/tcp", "127.0.0.1", "8080")], id="bracketed IPv4"),
        pytest.param("::ffff:10.0.0.1:8080:80", [pm("80/tcp", "::ffff:10.0.0.1", "8080")], id="v4-mapped v6"),
        pytest.param(
            "7000-7001:8000-8001",
            [pm("8000/tcp", "", "7000"), pm("8001/tcp", "", "7001")],
            id="range to range",
        ),
        pytest.param("published=8080,target=80", [pm("80/tcp", "", "8080")], id="long form"),
        pytest.param(
            "published=8080,target=80,protocol=udp", [pm("80/udp", "", "8080")], id="long form with protocol"
        ),
        pytest.param("target=80", [pm("80/tcp")], id="long form without published"),
        pytest.param("target=80,mode=host", [pm("80/tcp")], id="long form ignores other keys, as docker"),
        pytest.param("target=80,protocol=UDP", [pm("80/udp")], id="long form upper-case protocol"),
    ],
)
def test_accepted(spec: str, expected: list[PortMapping]) -> None:
    assert parse_publish(spec) == expected


@pytest.mark.parametrize(
    ("spec", "kind", "message"),
    [
        pytest.param("80:", "no-port", "invalid port spec '80:' (no container port)", id="no container port"),
        pytest.param(
            "70000:80",
            "host-port",
            "invalid port spec '70000:80' (host port '70000' is out of range 0-65535)",
            id="host port too large (the SDK accepts it)",
        ),
        pytest.param(
            "90-80",
            "container-port",
            "invalid port spec '90-80' (container port range '90-80' ends before it starts)",
            id="reversed range (the SDK yields no ports)",
        ),
        pytest.param(
            "abc",
            "container-port",
            "invalid port spec 'abc' (container port 'abc' is not a number)",
            id="word",
        ),
        pytest.param(
            "80-x",
            "container-port",
            "invalid port spec '80-x' (end of container port 'x' is not a number)",
            id="bad range end",
        ),
        pytest.param(
            "1-2-3",
            "container-port",
            "invalid port spec '1-2-3' (end of container port '2-3' is not a number)",
            id="two dashes",
        ),
        pytest.param(
            "80/xyz",
            "proto",
            "invalid port spec '80/xyz' (unknown protocol 'xyz': use tcp, udp or sctp)",
            id="proto",
        ),
        pytest.param(
            "localhost:80:80",
            "ip",
            "invalid port spec 'localhost:80:80' ('localhost' is not an IP address)",
            id="host name",
        ),
        pytest.param(
            "[::1:80:80",
            "ip",
            "invalid port spec '[::1:80:80' (bad IP address '[::1': missing ']' in address)",
            id="unclosed bracket",
        ),
        pytest.param(
            "fe80::1%eth0:80:80",
            "ip",
            "invalid port spec 'fe80::1%eth0:80:80' ('fe80::1%eth0' is not an IP address)",
            id="zone",
        ),
        pytest.param(
            "010.0.0.1:80:80",
            "ip",
            "invalid port spec '010.0.0.1:80:80' ('010.0.0.1' is not an IP address)",
            id="leading zero in IPv4",
        ),
        pytest.param(
            "8000-8001:80-82",
            "ranges",
            "invalid port spec '8000-8001:80-82' "
            "(host range 8000-8001 and container range 80-82 differ in size)",
            id="range sizes differ",
        ),
        pytest.param(
            "8080:80-81",
            "ranges",
            "invalid port spec '8080:80-81' (host range 8080 and container range 80-81 differ in size)",
            id="one host port for a range",
        ),
        pytest.param(
            "published=8080,target",
            "format",
            "invalid port spec 'published=8080,target' (expected name=value, got 'target')",
            id="long form without =",
        ),
        pytest.param(
            "published=8080",
            "no-port",
            "invalid port spec 'published=8080' (no container port)",
            id="long form without target",
        ),
        pytest.param(
            "target=80,protocol=icmp",
            "proto",
            "invalid port spec 'target=80,protocol=icmp' (unknown protocol 'icmp': use tcp, udp or sctp)",
            id="long form bad protocol",
        ),
    ],
)
def test_rejected(spec: str, kind: str, message: str) -> None:
    with pytest.raises(PortSpecError) as err:
        parse_publish(spec)
    assert err.value.kind == kind
    assert err.value.message == message
    assert err.value.exit_code == ExitCode.USAGE
    assert err.value.hint == "Run 'dkr run --help' for usage."


@pytest.mark.parametrize(
    ("spec", "go_error"),
    [
        pytest.param("80/xyz", "invalid proto: xyz", id="proto"),
        pytest.param("foo:80/xyz", "invalid proto: xyz", id="proto is checked before the address"),
        pytest.param("foo:bar:80", "invalid IP address: foo", id="address is checked before the ports"),
        pytest.param(
            "[::1:80:80", "invalid IP address [::1: address [::1:: missing ']' in address", id="bracket"
        ),
        pytest.param(
            "[::1]x:80:80", "invalid IP address [::1]x: address [::1]x:: missing port in address", id="junk"
        ),
        pytest.param("90-80", "invalid containerPort: 90-80", id="container before host"),
        pytest.param("x:90-80", "invalid containerPort: 90-80", id="container checked first"),
        pytest.param("x:80", "invalid hostPort: x", id="host port"),
        pytest.param(
            "1-2:3-5", "invalid ranges specified for container and host Ports: 3-5 and 1-2", id="ranges"
        ),
    ],
)
def test_go_errors_in_nats_order(spec: str, go_error: str) -> None:
    with pytest.raises(PortSpecError) as err:
        parse_publish(spec)
    assert err.value.go_error == go_error


# --- docker/cli TestConvertToStandardNotation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("ports", "expected"),
    [
        (["target=10,published=20"], ["20:10/tcp"]),
        (["40:30"], ["40:30"]),
        (["20:20", "80:4444"], ["20:20", "80:4444"]),
        (["target=2500,published=1500", "1400:1300"], ["1500:2500/tcp", "1400:1300"]),
        (["published=1500,target=200", "target=80,published=90"], ["1500:200/tcp", "90:80/tcp"]),
    ],
    ids=lambda v: " ".join(v),
)
def test_convert_to_standard_notation(ports: list[str], expected: list[str]) -> None:
    assert [convert_long_form(p) if "=" in p else p for p in ports] == expected


@pytest.mark.parametrize(
    "spec", ["published=1500,target:444", "published=1500,444", "published=1500,target,444", "=80,target=80"]
)
def test_convert_to_standard_notation_invalid(spec: str) -> None:
    with pytest.raises(ValueError, match="invalid publish opts format"):
        convert_long_form(spec)


# --- Go helpers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[::1]:80", ("::1", "80")),
        ("1.2.3.4:80", ("1.2.3.4", "80")),
        (":80", ("", "80")),
        ("[::1]:", ("::1", "")),
        ("::1:80", "address ::1:80: too many colons in address"),
        ("[::1", "address [::1: missing ']' in address"),
        ("[::1]", "address [::1]: missing port in address"),
        ("[::1]]:80", "address [::1]]:80: missing port in address"),
        ("[::1]:[80", "address [::1]:[80: unexpected '[' in address"),
        ("a]:80", "address a]:80: unexpected ']' in address"),
        ("noport", "address noport: missing port in address"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_split_host_port(text: str, expected: tuple[str, str] | str) -> None:
    if isinstance(expected, tuple):
        assert split_host_port(text) == expected
        return
    with pytest.raises(ValueError) as err:
        split_host_port(text)
    assert str(err.value) == expected


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("127.0.0.1", True),
        ("::", True),
        ("::ffff:1.2.3.4", True),
        ("2001:db8::1", True),
        ("01.2.3.4", False),
        ("1.2.3", False),
        ("256.0.0.1", False),
        ("fe80::1%eth0", False),
        ("localhost", False),
        ("", False),
        (" 1.2.3.4", False),
    ],
)
def test_is_ip(text: str, ok: bool) -> None:
    assert is_ip(text) is ok


# --- dkr's loopback default ---------------------------------------------------------------------------------


def test_default_ip_fills_only_missing_addresses() -> None:
    mappings = parse_publish_specs(["8080:80", "0.0.0.0:9090:90", "[::1]::91", "92/udp"])
    assert with_default_ip(mappings, DEFAULT_PUBLISH_IP) == (
        pm("80/tcp", "127.0.0.1", "8080"),
        pm("90/tcp", "0.0.0.0", "9090"),
        pm("91/tcp", "::1"),
        pm("92/udp", "127.0.0.1"),
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        pytest.param({}, "127.0.0.1", id="unset"),
        pytest.param({"DKR_PUBLISH_IP": ""}, "127.0.0.1", id="empty"),
        pytest.param({"DKR_PUBLISH_IP": "0.0.0.0"}, "0.0.0.0", id="all interfaces"),
        pytest.param({"DKR_PUBLISH_IP": "::1"}, "::1", id="ipv6"),
        pytest.param({"DKR_PUBLISH_IP": "[::1]"}, "::1", id="bracketed"),
        pytest.param({"DKR_PUBLISH_IP": " 10.0.0.5 "}, "10.0.0.5", id="spaces"),
    ],
)
def test_publish_ip(env: dict[str, str], expected: str) -> None:
    assert publish_ip(env) == expected


def test_publish_ip_rejects_a_host_name() -> None:
    with pytest.raises(UsageError, match="invalid DKR_PUBLISH_IP 'localhost'"):
        publish_ip({"DKR_PUBLISH_IP": "localhost"})


def test_publish_all_adds_unbound_exposed_ports() -> None:
    mappings = (pm("80/tcp", "0.0.0.0", "8080"),)
    result = publish_all(mappings, ["80/tcp", "443/tcp", "53/udp", "9000", "junk/tcp"], "127.0.0.1")
    assert result == (
        pm("80/tcp", "0.0.0.0", "8080"),
        pm("443/tcp", "127.0.0.1"),
        pm("53/udp", "127.0.0.1"),
        pm("9000/tcp", "127.0.0.1"),
    )


def test_on_all_interfaces() -> None:
    mappings = with_default_ip(
        parse_publish_specs(["80", "0.0.0.0::81", "[::]::82", "10.1.2.3::83"]), "127.0.0.1"
    )
    assert [m.port for m in on_all_interfaces(mappings)] == ["81/tcp", "82/tcp"]


def test_bindings_keep_every_spec_for_one_port() -> None:
    mappings = parse_publish_specs(["127.0.0.1:8080:80", "[::1]:8080:80", "9000-9001:90-91"])
    assert exposed_ports(mappings) == {"80/tcp": {}, "90/tcp": {}, "91/tcp": {}}
    assert port_bindings(mappings) == {
        "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}, {"HostIp": "::1", "HostPort": "8080"}],
        "90/tcp": [{"HostIp": "", "HostPort": "9000"}],
        "91/tcp": [{"HostIp": "", "HostPort": "9001"}],
    }


# --- properties ------------------------------------------------------------------------------------------

GRAMMAR = string.digits + ":-/[]., =+abcdefptuTCPUDSlohs%"


def _check_mappings(mappings: list[PortMapping]) -> None:
    assert mappings
    for m in mappings:
        number, _, proto = m.port.partition("/")
        assert proto in ("tcp", "udp", "sctp")
        assert 0 <= int(number) <= 65535
        assert m.host_ip == "" or is_ip(m.host_ip)
        if m.host_port:
            first, _, last = m.host_port.partition("-")
            assert 0 <= int(first) <= int(last or first) <= 65535


@given(st.one_of(st.text(), st.text(alphabet=GRAMMAR, max_size=40)))
@example("[::1]:80:80")
@example("::::80")
@example("80-90:80")
@example("published=1,target=2,protocol=sctp")
@example("\n/")  # found by hypothesis: the error was two lines
def test_any_string_parses_or_raises_port_spec_error(text: str) -> None:
    try:
        mappings = parse_publish(text)
    except PortSpecError as exc:
        assert exc.message.startswith(f"invalid port spec '{printable(text)}' (")
        assert "\n" not in exc.message  # one line, whatever the spec holds
        return
    _check_mappings(mappings)


@given(st.text(alphabet=GRAMMAR, max_size=40))
def test_each_accepted_mapping_prints_back_to_itself(text: str) -> None:
    try:
        mappings = parse_publish(text)
    except PortSpecError:
        return
    for m in mappings:
        assert parse_port_spec(m.spec()) == [m]


ports = st.integers(0, 65535)


@st.composite
def valid_specs(draw: st.DrawFn) -> tuple[str, list[PortMapping]]:
    """A spec docker accepts, built from its parts, with the mappings nat yields for it."""
    proto = draw(st.sampled_from(["tcp", "udp", "sctp", "TCP", "Udp", ""]))
    start = draw(st.integers(0, 65000))
    count = draw(st.integers(1, 4))
    container = f"{start}" if count == 1 else f"{start}-{start + count - 1}"
    host = draw(st.sampled_from(["none", "empty", "same", "range"]))
    if host == "range" and count == 1:
        host_start = draw(st.integers(0, 60000))
        host_text = f"{host_start}-{host_start + draw(st.integers(1, 50))}"
    elif host in ("same", "range"):
        host_start = draw(st.integers(0, 65535 - count))
        host_text = f"{host_start}" if count == 1 else f"{host_start}-{host_start + count - 1}"
    else:
        host_text = ""
    address = draw(st.one_of(st.just(""), st.ip_addresses(v=4).map(str), st.ip_addresses(v=6).map(str)))
    brackets = ":" in address and draw(st.booleans())
    ip_text = f"[{address}]" if brackets else address
    spec = container + (f"/{proto}" if proto else "")
    if host != "none" or address:
        spec = f"{host_text}:{spec}"
    if address:
        spec = f"{ip_text}:{spec}"
    p = (proto or "tcp").lower()
    expected = []
    for i in range(count):
        hp = ""
        if host_text:
            first, _, last = host_text.partition("-")
            hp = str(int(first) + i)
            if count == 1 and last and last != first:
                hp += f"-{last}"
        expected.append(PortMapping(f"{start + i}/{p}", address, hp))
    return spec, expected


@given(valid_specs())
def test_built_specs_parse_to_their_parts(case: tuple[str, list[PortMapping]]) -> None:
    spec, expected = case
    assert parse_publish(spec) == expected
    for m in expected:
        if m.host_ip:
            ipaddress.ip_address(m.host_ip)
