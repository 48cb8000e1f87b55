"""Pure: what `docker context create` accepts before it writes anything, read as docker/cli reads it.

- a context name: docker's store.ValidateContextName (`^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$`, "default" reserved);
- `--docker host=…,ca=…,cert=…,key=…,skip-tls-verify=…,from=…`: pflag's StringToString value (one `=`: the
  whole value is one pair, quotes trimmed; more: one record of Go's encoding/csv; a repeated flag adds to
  the first), then the keys and values as cli/command/context/options.go checks them;
- the endpoint's host as the Engine client's ParseHostURL reads it.

Every fault is a UsageError (exit 2) with docker's words, raised before a file is read or written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dkr.errors import UsageError, printable

DEFAULT_CONTEXT = "default"
#: docker's words for the pattern (store.validNameFormat)
NAME_FORMAT = "^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$"
_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.+-]+")
#: the keys `--docker` takes (options.go allowedDockerConfigKeys)
DOCKER_KEYS = ("from", "host", "ca", "cert", "key", "skip-tls-verify")
#: Go's strconv.ParseBool
_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def name_problem(name: str) -> str | None:
    """docker's store.ValidateContextName: why `name` cannot name a context, or None."""
    if name == "":
        return "context name cannot be empty"
    if name == DEFAULT_CONTEXT:
        return '"default" is a reserved context name'
    if not _NAME.fullmatch(name):
        pattern = go_quote(NAME_FORMAT)
        return f"context name {go_quote(name)} is invalid, names are validated against regexp {pattern}"
    return None


_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
               "\v": "\\v", '"': '\\"', "\\": "\\\\"}  # fmt: skip


def go_quote(text: str) -> str:
    """Go's %q of a string (strconv.Quote): double quotes, Go's escapes for what is not printable; a byte
    that was not UTF-8 (a surrogate escape, as Python decodes such argv) as \\xNN."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif ch.isprintable():
            out.append(ch)
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


# --- --docker: pflag's StringToString -----------------------------------------------------------------------


def csv_record(text: str) -> list[str]:
    """The first record of Go's encoding/csv reader (comma ",", strict quotes): fields split at ",", a field
    that starts with `"` is quoted (`""` is a quote inside it); a `"` elsewhere is Go's parse error."""
    fields: list[str] = []
    i, n, line, col_base = 0, len(text), 1, 0

    def error(pos: int, why: str) -> UsageError:
        return UsageError(f"parse error on line {line}, column {pos - col_base + 1}: {why}")

    while True:
        if i < n and text[i] == '"':  # a quoted field
            i += 1
            value: list[str] = []
            while True:
                if i >= n:
                    raise error(i, 'extraneous or missing " in quoted-field')
                ch = text[i]
                if ch == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        value.append('"')
                        i += 2
                        continue
                    i += 1
                    if i >= n or text[i] in "\r\n":
                        fields.append("".join(value))
                        return fields
                    if text[i] == ",":
                        fields.append("".join(value))
                        i += 1
                        break
                    raise error(i - 1, 'extraneous or missing " in quoted-field')
                if ch == "\n":
                    line, col_base = line + 1, i + 1
                value.append(ch)
                i += 1
            continue
        end = i
        while end < n and text[end] not in ",\r\n":
            if text[end] == '"':
                raise error(end, 'bare " in non-quoted-field')
            end += 1
        fields.append(text[i:end])
        if end < n and text[end] == ",":
            i = end + 1
            continue
        return fields


def parse_docker_flag(values: Sequence[str], command: str = "context create") -> dict[str, str]:
    """`--docker` given once or more, as pflag's StringToString reads it: {key: value}."""
    config: dict[str, str] = {}
    for value in values:
        count = value.count("=")
        if count == 0:
            pairs = [value]
        elif count == 1:
            pairs = [value.strip('"')]
        else:
            try:
                pairs = csv_record(value)
            except UsageError as exc:
                raise UsageError(f"{_invalid(value)}: {exc.message}", command) from None
        for pair in pairs:
            key, eq, val = pair.partition("=")
            if not eq:
                raise UsageError(
                    f"{_invalid(value)}: {printable(pair)} must be formatted as key=value",
                    command,
                )
            config[key] = val
    return config


def _invalid(value: str) -> str:
    return f'invalid argument {go_quote(value)} for "--docker" flag'


@dataclass(frozen=True)
class DockerEndpointConfig:
    """`--docker` checked: either `from` another context, or a host, TLS files and skip-tls-verify."""

    host: str = ""
    skip_tls_verify: bool = False
    ca: str = ""
    cert: str = ""
    key: str = ""
    from_context: str | None = None


def go_parse_bool(text: str) -> bool | None:
    return True if text in _TRUE else False if text in _FALSE else None


def check_docker_config(config: dict[str, str], command: str = "context create") -> DockerEndpointConfig:
    """options.go's getDockerEndpoint, up to reading the files: the keys, skip-tls-verify, the host."""
    prefix = "unable to create docker endpoint config: "
    unknown = sorted(k for k in config if k not in DOCKER_KEYS)
    if unknown:
        raise UsageError(prefix + "; ".join(f"unrecognized config key: {k}" for k in unknown), command)
    if "from" in config:
        return DockerEndpointConfig(from_context=config["from"])
    skip = False
    if "skip-tls-verify" in config:
        parsed = go_parse_bool(config["skip-tls-verify"])
        if parsed is None:
            raise UsageError(
                f"{prefix}skip-tls-verify: parsing {go_quote(config['skip-tls-verify'])}: invalid syntax",
                command,
            )
        skip = parsed
    host = config.get("host", "")
    if host:
        problem = host_problem(host)
        if problem:
            raise UsageError(prefix + problem, command)
    return DockerEndpointConfig(
        host=host, skip_tls_verify=skip, ca=config.get("ca", ""), cert=config.get("cert", ""),
        key=config.get("key", ""),
    )  # fmt: skip


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
#: what Go's net/url accepts in a host name besides letters and digits
_HOST_CHARS = set("-._~!$&'()*+,;=:[]%")


def host_problem(host: str) -> str | None:
    """The checks docker's endpoint options make of a host: the Engine client's ParseHostURL (`PROTO://ADDR`)
    and Go's url.Parse of the whole URL (scheme, host characters, bracketed IPv6, a numeric port), ssh's
    refusal of a password, npipe:// off Windows."""
    proto, sep, addr = host.partition("://")
    options = "invalid docker endpoint options: "
    if not _SCHEME.fullmatch(proto):
        return f"{options}parse {go_quote(host)}: first path segment in URL cannot contain colon"
    authority = re.split(r"[/?#]", addr, maxsplit=1)[0]
    userinfo, at, hostport = authority.rpartition("@")
    if hostport.startswith("["):
        close = hostport.find("]")
        if close < 0:
            return f"{options}parse {go_quote(host)}: missing ']' in host"
        name, port = hostport[1:close], hostport[close + 1 :]
        if port and not port.startswith(":"):
            return f"{options}parse {go_quote(host)}: invalid port {go_quote(port)} after host"
        port = port[1:]
    else:
        name, _, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "")
    if port and not (port.isascii() and port.isdigit()):
        return f"{options}parse {go_quote(host)}: invalid port {go_quote(':' + port)} after host"
    for ch in name:
        if not (ch.isascii() and ch.isalnum()) and ch not in _HOST_CHARS and ord(ch) < 0x80:
            return f"{options}parse {go_quote(host)}: invalid character {go_quote(ch)} in host name"
    if not sep or not addr:
        return f"unable to apply docker endpoint options: unable to parse docker host `{host}`"
    if proto == "ssh" and at and ":" in userinfo:
        why = "invalid SSH URL: plain-text password is not supported"
        return f"{options}ssh host connection is not valid: {why}"
    if proto == "npipe":
        return "unable to apply docker endpoint options: protocol not available"
    return None
