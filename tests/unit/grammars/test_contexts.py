"""`docker context create`'s input as docker/cli reads it: context names (store.ValidateContextName), the
`--docker` value (pflag's StringToString over Go's encoding/csv) and its keys and host (options.go). The
expected words are the docker CLI 28.2.2's, recorded."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkr.errors import UsageError
from dkr.grammars.contexts import (
    DOCKER_KEYS,
    DockerEndpointConfig,
    check_docker_config,
    csv_record,
    go_quote,
    host_problem,
    name_problem,
    parse_docker_flag,
)

PATTERN = '"^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$"'


def invalid(quoted: str) -> str:
    return f"context name {quoted} is invalid, names are validated against regexp {PATTERN}"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        pytest.param("foo", None, id="plain"),
        pytest.param("a1", None, id="two-characters"),
        pytest.param("A.b_c+d-e", None, id="separators"),
        pytest.param("0x", None, id="digit-first"),
        pytest.param("", "context name cannot be empty", id="empty"),
        pytest.param("default", '"default" is a reserved context name', id="default"),
        pytest.param("x", invalid('"x"'), id="one"),
        pytest.param("a b", invalid('"a b"'), id="space"),
        pytest.param("-ab", invalid('"-ab"'), id="dash-first"),
        pytest.param("a/b", invalid('"a/b"'), id="slash"),
        pytest.param("a\nb", invalid('"a\\nb"'), id="newline"),
        pytest.param("ab\udcff", invalid('"ab\\xff"'), id="not-utf8"),
        pytest.param("ä1", invalid('"ä1"'), id="non-ascii"),
    ],
)
def test_names_as_docker_validates_them(name: str, problem: str | None) -> None:
    assert name_problem(name) == problem


@pytest.mark.parametrize(
    ("values", "config"),
    [
        pytest.param(["host=tcp://x:1"], {"host": "tcp://x:1"}, id="one-pair"),
        # one "=": the whole value is one pair (no CSV), quotes trimmed at both ends
        pytest.param(["host=tcp://x,y"], {"host": "tcp://x,y"}, id="one-pair-keeps-commas"),
        pytest.param(['"host=tcp://x"'], {"host": "tcp://x"}, id="one-pair-quotes-trimmed"),
        pytest.param(
            ["host=tcp://x:1,ca=/a,skip-tls-verify=1"],
            {"host": "tcp://x:1", "ca": "/a", "skip-tls-verify": "1"},
            id="csv",
        ),
        pytest.param(['"host=tcp://x:1",ca=a=b'], {"host": "tcp://x:1", "ca": "a=b"}, id="quoted-field"),
        pytest.param(['a="",b=1'], None, id="quote-inside-a-field"),
        pytest.param(['"a=x""y",b=1'], {"a": 'x"y', "b": "1"}, id="doubled-quote"),
        pytest.param(
            ["host=tcp://x:1", "skip-tls-verify=true"],
            {"host": "tcp://x:1", "skip-tls-verify": "true"},
            id="repeated-adds",
        ),
        pytest.param(["a=1,a=2"], {"a": "2"}, id="last-wins"),
        pytest.param(["a==1,b="], {"a": "=1", "b": ""}, id="empty-value"),
    ],
)
def test_the_docker_flag_is_pflags_string_to_string(values: list[str], config: dict[str, str] | None) -> None:
    if config is None:
        with pytest.raises(UsageError):
            parse_docker_flag(values)
    else:
        assert parse_docker_flag(values) == config


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(
            "", 'invalid argument "" for "--docker" flag:  must be formatted as key=value', id="empty"
        ),
        pytest.param(
            "host",
            'invalid argument "host" for "--docker" flag: host must be formatted as key=value',
            id="no-equals",
        ),
        pytest.param(
            "a=1,b,c=2",
            'invalid argument "a=1,b,c=2" for "--docker" flag: b must be formatted as key=value',
            id="a-field-without-equals",
        ),
        pytest.param(
            'a="b,c=d',
            'invalid argument "a=\\"b,c=d" for "--docker" flag: parse error on line 1, '
            'column 3: bare " in non-quoted-field',
            id="bare-quote",
        ),
        pytest.param(
            '"a=b,c"=d,e=f',
            'invalid argument "\\"a=b,c\\"=d,e=f" for "--docker" flag: parse error on '
            'line 1, column 7: extraneous or missing " in quoted-field',
            id="text-after-quote",
        ),
        pytest.param(
            '"a=b,c=d',
            'invalid argument "\\"a=b,c=d" for "--docker" flag: parse error on line 1, '
            'column 9: extraneous or missing " in quoted-field',
            id="unclosed",
        ),
        pytest.param(
            'x=1,"a=b,c=d',
            'invalid argument "x=1,\\"a=b,c=d" for "--docker" flag: parse error on '
            'line 1, column 13: extraneous or missing " in quoted-field',
            id="unclosed-later",
        ),
    ],
)
def test_a_malformed_docker_flag_is_dockers_usage_error(value: str, message: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_docker_flag([value])
    assert info.value.message == message
    assert info.value.exit_code == 2


def go_csv_field(text: str) -> str:
    """A field as Go's csv.Writer writes it: quoted when it holds a comma, quote, CR or LF or starts with a
    space; quotes doubled."""
    if text == "" or not (any(c in text for c in ',"\r\n') or text[0] in " \t"):
        return text
    return '"' + text.replace('"', '""') + '"'


#: values without a line break (the flag is one line; Go's reader would turn a CRLF inside quotes into LF)
flag_value = st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=30)


@given(st.dictionaries(st.sampled_from(DOCKER_KEYS), flag_value, min_size=1))
def test_what_gos_csv_writer_writes_reads_back(config: dict[str, str]) -> None:
    line = ",".join(go_csv_field(f"{k}={v}") for k, v in config.items())
    if line.count("=") < 2:  # pflag reads a single pair without CSV: quotes trimmed, commas kept
        key, _, value = line.strip('"').partition("=")
        assert parse_docker_flag([line]) == {key: value}
    else:
        assert parse_docker_flag([line]) == config


@given(st.lists(st.text(max_size=40), min_size=1, max_size=3))
def test_any_docker_flag_is_a_config_or_a_usage_error(values: list[str]) -> None:
    try:
        config = parse_docker_flag(values)
    except UsageError as exc:
        assert exc.message.startswith("invalid argument ")
        assert "\n" not in exc.message.replace("\\n", "")
        return
    merged: dict[str, str] = {}
    for value in values:
        merged.update(parse_docker_flag([value]))
    assert config == merged


@given(st.lists(st.text(st.characters(blacklist_characters='",\r\n'), max_size=10), min_size=1, max_size=5))
def test_unquoted_fields_split_at_commas(fields: list[str]) -> None:
    assert csv_record(",".join(fields)) == fields


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        pytest.param({"host": "tcp://h:1"}, DockerEndpointConfig(host="tcp://h:1"), id="host"),
        pytest.param({"skip-tls-verify": "T"}, DockerEndpointConfig(skip_tls_verify=True), id="go-bool-T"),
        pytest.param({"skip-tls-verify": "0"}, DockerEndpointConfig(), id="go-bool-0"),
        pytest.param(
            {"from": "x", "host": "ignored"}, DockerEndpointConfig(from_context="x"), id="from-wins"
        ),
        pytest.param(
            {"ca": "/c", "cert": "/d", "key": "/k", "host": "tcp://h"},
            DockerEndpointConfig(host="tcp://h", ca="/c", cert="/d", key="/k"),
            id="files",
        ),
    ],
)
def test_docker_config_checked(config: dict[str, str], expected: DockerEndpointConfig) -> None:
    assert check_docker_config(config) == expected


@pytest.mark.parametrize(
    ("config", "message"),
    [
        pytest.param({"foo": "bar"}, "unrecognized config key: foo", id="unknown-key"),
        pytest.param(
            {"foo": "1", "bar": "2", "host": "tcp://x"},
            "unrecognized config key: bar; unrecognized config key: foo",
            id="unknown-keys",
        ),
        pytest.param(
            {"skip-tls-verify": "maybe"}, 'skip-tls-verify: parsing "maybe": invalid syntax', id="bool"
        ),
        pytest.param({"skip-tls-verify": "yes"}, 'skip-tls-verify: parsing "yes": invalid syntax', id="yes"),
        pytest.param(
            {"host": "bogus"},
            "unable to apply docker endpoint options: unable to parse docker host `bogus`",
            id="no-scheme",
        ),
    ],
)
def test_docker_config_refused_in_dockers_words(config: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError) as info:
        check_docker_config(config)
    assert info.value.message == "unable to create docker endpoint config: " + message


@pytest.mark.parametrize(
    ("host", "problem"),
    [
        pytest.param("unix:///var/run/docker.sock", None, id="unix"),
        pytest.param("tcp://x", None, id="tcp-no-port"),
        pytest.param("tcp://x:99999", None, id="port-not-range-checked"),
        pytest.param("tcp://[::1]:2375", None, id="ipv6"),
        pytest.param("ssh://u@h:22/run/docker.sock", None, id="ssh"),
        pytest.param("foo://x", None, id="unknown-scheme"),
        pytest.param("http://h:1", None, id="http"),
        pytest.param(
            "unix://",
            "unable to apply docker endpoint options: unable to parse docker host `unix://`",
            id="no-address",
        ),
        pytest.param(
            "tcp://x:abc",
            'invalid docker endpoint options: parse "tcp://x:abc": invalid port ":abc" after host',
            id="bad-port",
        ),
        pytest.param(
            "tcp://[::1",
            "invalid docker endpoint options: parse \"tcp://[::1\": missing ']' in host",
            id="unclosed-bracket",
        ),
        pytest.param(
            "tcp://x y",
            'invalid docker endpoint options: parse "tcp://x y": invalid character " " in host name',
            id="space",
        ),
        pytest.param(
            '"tcp://x',
            'invalid docker endpoint options: parse "\\"tcp://x": first path segment in URL '
            "cannot contain colon",
            id="bad-scheme",
        ),
        pytest.param(
            "ssh://u:p@h",
            "invalid docker endpoint options: ssh host connection is not valid: invalid "
            "SSH URL: plain-text password is not supported",
            id="ssh-password",
        ),
        pytest.param(
            "npipe:////./pipe/x",
            "unable to apply docker endpoint options: protocol not available",
            id="npipe",
        ),
    ],
)
def test_hosts_as_dockers_endpoint_options_check_them(host: str, problem: str | None) -> None:
    assert host_problem(host) == problem


def test_go_quote_as_gos_strconv_quote() -> None:
    # what docker printed for the same name (recorded): `context name "…" is invalid`
    given = 'a\x01b\x7fc\u00a0d\u200be\udcff"\\\t\U0001f433'
    assert go_quote(given) == '"a\\x01b\\x7fc\\u00a0d\\u200be\\xff\\"\\\\\\t\U0001f433"'
