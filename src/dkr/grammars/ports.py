"""Pure: the `-p` grammar exactly as docker reads it, and dkr's loopback default. (How `ps` shows PORTS is
in dkr.fields.ports.)

No I/O and standard library only.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dkr.errors import UsageError, printable
from dkr.models.run import PortMapping

# --- the -p grammar ---------------------------------------------------------------------------------------
#
# Hand-written on purpose: no maintained Python library reads docker's publish specs the way docker does, and
# the SDK's `docker.utils.ports.split_port` disagrees with it (it accepts `70000:80` and turns `90-80` into no
# ports at all). This follows docker's own parser, go-connections `nat` (nat.go ParsePortSpec/ParsePortSpecs,
# parse.go parsePortRange/parsePortNumber, v0.8.0 as vendored by docker/cli), check for check and in the same
# order, so the same spec is accepted with the same result or rejected for the same reason.
# tests/unit/test_ports_grammar.py carries upstream's nat_test.go and parse_test.go cases as tables.

#: nat.validateProto
PROTOCOLS = ("tcp", "udp", "sctp")
#: dkr's default host address for a spec without one, and for -P (the contract's deliberate difference)
DEFAULT_PUBLISH_IP = "127.0.0.1"

_MAX_INT64 = (1 << 63) - 1
#: nat's message for a number outside 0-65535, with upstream's en dash
OUT_OF_RANGE = "value out of range (0\u201365535)"


class PortRangeError(ValueError):
    """nat's parsePortNumber / parsePortRange errors; `str()` is upstream's exact message."""

    def __init__(self, message: str, part: str = "", value: str = "", reason: str = "") -> None:
        super().__init__(message)
        #: "start", "end", "order" or "empty": which check failed
        self.part = part
        self.value = value
        #: the innermost reason: "value is empty", "invalid syntax", OUT_OF_RANGE, ...
        self.reason = reason


class PortSpecError(UsageError):
    """A `-p` spec docker would reject. `kind` says which of nat's checks failed; `go_error` is the message
    docker's parser gives for it; the user sees `invalid port spec 'SPEC' (why)`."""

    def __init__(self, spec: str, kind: str, detail: str, go_error: str, command: str = "run") -> None:
        # one line whatever the spec holds: a newline in it (or in the part the detail quotes) is escaped
        super().__init__(f"invalid port spec '{printable(spec)}' ({printable(detail)})", command)
        self.spec = spec
        #: "format" (long form), "no-port", "proto", "ip", "container-port", "host-port" or "ranges"
        self.kind = kind
        self.go_error = go_error


def _parse_int(text: str) -> int:
    """Go's strconv.ParseInt(text, 10, 64): an optional sign and ASCII digits, no spaces or underscores.
    Raises ValueError("invalid syntax" | "value out of range") as strconv's NumError.Err reads."""
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not digits:
        raise ValueError("invalid syntax")
    n = 0
    for ch in digits:
        if not "0" <= ch <= "9":
            raise ValueError("invalid syntax")
        n = n * 10 + (ord(ch) - 48)
        if n >= 1 << 64:  # ParseUint reports the overflow as soon as it happens, before later bad digits
            raise ValueError("value out of range")
    if text[:1] == "-":
        if n > _MAX_INT64 + 1:
            raise ValueError("value out of range")
        return -n
    if n > _MAX_INT64:
        raise ValueError("value out of range")
    return n


def parse_port_number(raw: str) -> int:
    """nat.parsePortNumber: a port 0-65535. Raises PortRangeError with upstream's message."""
    if raw == "":
        raise PortRangeError("value is empty", reason="value is empty")
    try:
        port = _parse_int(raw)
    except ValueError as exc:
        raise PortRangeError(str(exc), reason=str(exc)) from None
    if not 0 <= port <= 65535:
        raise PortRangeError(OUT_OF_RANGE, reason=OUT_OF_RANGE)
    return port


def parse_port_range(ports: str) -> tuple[int, int]:
    """nat.parsePortRange: `8000` or `8000-9000` -> (start, end)."""
    if ports == "":
        raise PortRangeError("empty string specified for ports", "empty", ports, "empty")
    start, sep, end = ports.partition("-")
    try:
        first = parse_port_number(start)
    except PortRangeError as exc:
        raise PortRangeError(f"invalid start port '{start}': {exc}", "start", start, exc.reason) from None
    if not sep or start == end:
        return first, first
    try:
        last = parse_port_number(end)
    except PortRangeError as exc:
        raise PortRangeError(f"invalid end port '{end}': {exc}", "end", end, exc.reason) from None
    if last < first:
        raise PortRangeError(f"invalid port range: {ports}", "order", ports, "order")
    return first, last


def parse_port(raw: str) -> int:
    """nat.ParsePort: "" is 0, otherwise a port number."""
    if raw == "":
        return 0
    try:
        return parse_port_number(raw)
    except PortRangeError as exc:
        raise PortRangeError(f"invalid port '{raw}': {exc}", "start", raw, exc.reason) from None


def split_proto_port(raw: str) -> tuple[str, str]:
    """nat.SplitProtoPort: `80/udp` -> ("udp", "80"); no protocol is tcp; no port is ("", ""). No checks."""
    port, _, proto = raw.partition("/")
    if port == "":
        return "", ""
    return proto or "tcp", port


def new_port(proto: str, port_or_range: str) -> str:
    """nat.NewPort: ("tcp", "80") -> "80/tcp", ("tcp", "80-81") -> "80-81/tcp"."""
    start, end = parse_port_range(port_or_range)
    return f"{start}/{proto}" if start == end else f"{start}-{end}/{proto}"


def split_host_port(hostport: str) -> tuple[str, str]:
    """Go's net.SplitHostPort; raises ValueError with Go's `address X: why` message."""

    def fail(why: str) -> ValueError:
        return ValueError(f"address {hostport}: {why}")

    i = hostport.rfind(":")
    if i < 0:
        raise fail("missing port in address")
    j = k = 0
    if hostport.startswith("["):
        end = hostport.find("]")
        if end < 0:
            raise fail("missing ']' in address")
        if end + 1 == len(hostport):
            raise fail("missing port in address")
        if end + 1 != i:
            raise fail(
                "too many colons in address" if hostport[end + 1] == ":" else "missing port in address"
            )
        host = hostport[1:end]
        j, k = 1, end + 1
    else:
        host = hostport[:i]
        if ":" in host:
            raise fail("too many colons in address")
    if "[" in hostport[j:]:
        raise fail("unexpected '[' in address")
    if "]" in hostport[k:]:
        raise fail("unexpected ']' in address")
    return host, hostport[i + 1 :]


def is_ip(text: str) -> bool:
    """Go's net.ParseIP(text) != nil: a plain IPv4 (no leading zeros) or IPv6 address, no zone."""
    if "%" in text:
        return False
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _split_parts(raw: str) -> tuple[str, str, str]:
    """nat.splitParts: [ip:][hostPort:]containerPort, where the ip may itself hold colons (IPv6)."""
    parts = raw.split(":")
    if len(parts) == 1:
        return "", "", parts[0]
    if len(parts) == 2:
        return "", parts[0], parts[1]
    return ":".join(parts[:-2]), parts[-2], parts[-1]


_FRIENDLY = {
    "value is empty": "is empty",
    "invalid syntax": "is not a number",
    "value out of range": "is out of range 0-65535",
    OUT_OF_RANGE: "is out of range 0-65535",
}


def _range_detail(label: str, text: str, exc: PortRangeError) -> str:
    if exc.part == "order":
        return f"{label} port range '{text}' ends before it starts"
    which = {"start": "start of ", "end": "end of "}.get(exc.part, "") if "-" in text else ""
    return f"{which}{label} port '{exc.value}' {_FRIENDLY.get(exc.reason, exc.reason)}"


def _spec_range(raw: str, label: str, text: str, command: str) -> tuple[int, int]:
    """The container or host part of a spec as a range; nat reports which (`invalid containerPort: X`)."""
    try:
        return parse_port_range(text)
    except PortRangeError as exc:
        go_name = "containerPort" if label == "container" else "hostPort"
        raise PortSpecError(
            raw, f"{label}-port", _range_detail(label, text, exc), f"invalid {go_name}: {text}", command
        ) from None


def parse_port_spec(raw: str, command: str = "run") -> list[PortMapping]:
    """nat.ParsePortSpec: `[ip:][hostPort[-end]:]containerPort[-end][/proto]` -> one mapping per container
    port. Raises PortSpecError."""
    ip, host_port, container_port = _split_parts(raw)
    proto, container_port = split_proto_port(container_port)
    if container_port == "":
        raise PortSpecError(raw, "no-port", "no container port", f"no port specified: {raw}<empty>", command)

    proto = proto.lower()
    if proto not in PROTOCOLS:
        raise PortSpecError(
            raw,
            "proto",
            f"unknown protocol '{proto}': use tcp, udp or sctp",
            f"invalid proto: {proto}",
            command,
        )

    if ip.startswith("["):
        # Strip [] from IPv6 addresses, as nat does through net.SplitHostPort
        try:
            ip, _ = split_host_port(ip + ":")
        except ValueError as exc:
            why = str(exc).rpartition(": ")[2]
            raise PortSpecError(
                raw, "ip", f"bad IP address '{ip}': {why}", f"invalid IP address {ip}: {exc}", command
            ) from None
    if ip and not is_ip(ip):
        raise PortSpecError(raw, "ip", f"'{ip}' is not an IP address", f"invalid IP address: {ip}", command)

    start, end = _spec_range(raw, "container", container_port, command)
    host_start = host_end = 0
    if host_port:
        host_start, host_end = _spec_range(raw, "host", host_port, command)
        # A host range with ONE container port means "any free port in this range"; otherwise the two
        # ranges must be the same size.
        if end - start != host_end - host_start and end != start:
            raise PortSpecError(
                raw,
                "ranges",
                f"host range {host_port} and container range {container_port} differ in size",
                f"invalid ranges specified for container and host Ports: {container_port} and {host_port}",
                command,
            )

    count = end - start + 1
    mappings = []
    for i in range(count):
        hp = ""
        if host_port:
            hp = str(host_start + i)
            if count == 1 and host_start != host_end:
                hp += f"-{host_end}"
        mappings.append(PortMapping(f"{start + i}/{proto}", ip, hp))
    return mappings


def convert_long_form(spec: str) -> str:
    """docker/cli's convertToStandardNotation (cli/command/container/opts.go): `published=8080,target=80,
    protocol=udp` -> `8080:80/udp`. As in docker, other keys are ignored and a missing one is empty.
    Raises ValueError with docker's message."""
    params = {"protocol": "tcp"}
    for param in spec.split(","):
        key, sep, value = param.partition("=")
        if not sep or key == "":
            raise ValueError(f"invalid publish opts format (should be name=value but got '{param}')")
        params[key] = value
    return f"{params.get('published', '')}:{params.get('target', '')}/{params['protocol']}"


def parse_publish(spec: str, command: str = "run") -> list[PortMapping]:
    """One `-p` value, short or long form, as `docker run` reads it."""
    if "=" not in spec:
        return parse_port_spec(spec, command)
    try:
        short = convert_long_form(spec)
    except ValueError as exc:
        param = str(exc).rpartition("got ")[2].rstrip(")")
        raise PortSpecError(spec, "format", f"expected name=value, got {param}", str(exc), command) from None
    try:
        return parse_port_spec(short, command)
    except PortSpecError as exc:
        # report the user's own spec, with the reason found in its short form
        detail = exc.message.partition(" (")[2].removesuffix(")")
        raise PortSpecError(spec, exc.kind, detail, exc.go_error, command) from None


def parse_publish_specs(specs: Iterable[str], command: str = "run") -> tuple[PortMapping, ...]:
    """Every `-p` value in order (nat.ParsePortSpecs keeps them in this order per container port)."""
    return tuple(m for spec in specs for m in parse_publish(spec, command))


def exposed_ports(mappings: Iterable[PortMapping]) -> dict[str, dict[str, str]]:
    """The container config's `ExposedPorts` for these mappings (ParsePortSpecs' first result)."""
    return {m.port: {} for m in mappings}


def port_bindings(mappings: Iterable[PortMapping]) -> dict[str, list[dict[str, str]]]:
    """The host config's `PortBindings` (ParsePortSpecs' second result), in the Engine API's JSON form."""
    out: dict[str, list[dict[str, str]]] = {}
    for m in mappings:
        out.setdefault(m.port, []).append({"HostIp": m.host_ip, "HostPort": m.host_port})
    return out


# --- dkr's loopback default -------------------------------------------------------------------------------


def publish_ip(env: Mapping[str, str], command: str = "run") -> str:
    """The host address for specs without one: DKR_PUBLISH_IP if set, else 127.0.0.1."""
    value = env.get("DKR_PUBLISH_IP", "").strip()
    if not value:
        return DEFAULT_PUBLISH_IP
    bare = value[1:-1] if value.startswith("[") and value.endswith("]") else value
    if not is_ip(bare):
        raise UsageError(f"invalid DKR_PUBLISH_IP '{value}' (not an IP address)", command)
    return bare


def with_default_ip(mappings: Iterable[PortMapping], ip: str) -> tuple[PortMapping, ...]:
    """Give every mapping that names no host address the default one; an explicit address is kept."""
    return tuple(m if m.host_ip else PortMapping(m.port, ip, m.host_port) for m in mappings)


def publish_all(
    mappings: Sequence[PortMapping], image_exposed: Iterable[str], ip: str
) -> tuple[PortMapping, ...]:
    """-P: every port the image EXPOSEs that has no binding yet gets one on `ip`, on any free host port (as
    the Engine does for PublishAllPorts, but on dkr's default address rather than every interface)."""
    bound = {m.port for m in mappings}
    extra: list[PortMapping] = []
    for raw in image_exposed:
        proto, number = split_proto_port(raw)
        try:
            port = new_port(proto.lower(), number)
        except PortRangeError:
            continue
        if port not in bound:
            bound.add(port)
            extra.append(PortMapping(port, ip, ""))
    return (*mappings, *extra)


def is_unspecified(ip: str) -> bool:
    """0.0.0.0 or :: (every interface)."""
    try:
        return ipaddress.ip_address(ip).is_unspecified
    except ValueError:
        return False


def on_all_interfaces(mappings: Iterable[PortMapping]) -> tuple[PortMapping, ...]:
    return tuple(m for m in mappings if is_unspecified(m.host_ip))


# --- docker service's --publish (docker/cli opts.PortOpt) ---------------------------------------------------

#: swarm's publish modes (swarm.PortConfigPublishMode)
PUBLISH_MODES = ("ingress", "host")
#: PortOpt's test for the long form: Go's `\w+=\w+(,\w+=\w+)*` found anywhere in the value (MatchString)
_LONG_SYNTAX = re.compile(r"[0-9A-Za-z_]+=[0-9A-Za-z_]+")


def _parse_uint16(text: str) -> int:
    """Go's strconv.ParseUint(text, 10, 16): ASCII digits only. ValueError with strconv's words."""
    if not text or not all("0" <= ch <= "9" for ch in text):
        raise ValueError(f'strconv.ParseUint: parsing "{text}": invalid syntax')
    value = int(text)
    if value > 65535:
        raise ValueError(f'strconv.ParseUint: parsing "{text}": value out of range')
    return value


def _service_port_error(spec: str, why: str, command: str) -> UsageError:
    return UsageError(f"invalid argument '{printable(spec)}' for -p/--publish: {printable(why)}", command)


def parse_service_publish(spec: str, command: str = "service create") -> list[dict[str, Any]]:
    """One `docker service create -p` value as docker/cli's PortOpt.Set reads it -> the Engine API's
    PortConfig objects (`{"Protocol", "TargetPort", "PublishedPort", "PublishMode"}`).

    The long form (`mode=host,target=80,published=8080,protocol=udp`) is a CSV record whose fields are
    lower-cased whole, as docker does; the short form is the `-p` grammar, without an IP (swarm publishes on
    every interface: `hostip is not supported`), always in ingress mode, a host range giving one port each.
    UsageError (exit 2) with docker's reason."""
    if _LONG_SYNTAX.search(spec):
        from dkr.grammars.mounts import GoCsvError, go_csv_record

        try:
            fields = go_csv_record(spec)
        except GoCsvError as exc:
            raise _service_port_error(spec, str(exc), command) from None
        config: dict[str, Any] = {"Protocol": "", "TargetPort": 0, "PublishedPort": 0, "PublishMode": ""}
        for item in fields:
            key, sep, value = item.lower().partition("=")
            if not sep or key == "":
                raise _service_port_error(spec, f"invalid field {item}", command)
            try:
                if key == "protocol":
                    if value not in PROTOCOLS:
                        raise ValueError(f"invalid protocol value {value}")
                    config["Protocol"] = value
                elif key == "mode":
                    if value not in PUBLISH_MODES:
                        raise ValueError(f"invalid publish mode value {value}")
                    config["PublishMode"] = value
                elif key == "target":
                    config["TargetPort"] = _parse_uint16(value)
                elif key == "published":
                    config["PublishedPort"] = _parse_uint16(value)
                else:
                    raise ValueError(f"invalid field key {key}")
            except ValueError as exc:
                raise _service_port_error(spec, str(exc), command) from None
        if config["TargetPort"] == 0:
            raise _service_port_error(spec, 'missing mandatory field "target"', command)
        config["PublishMode"] = config["PublishMode"] or "ingress"
        config["Protocol"] = config["Protocol"] or "tcp"
        return [config]
    out: list[dict[str, Any]] = []
    for mapping in parse_port_spec(spec, command):
        if mapping.host_ip:
            raise _service_port_error(spec, "hostip is not supported", command)
        first, last = (0, 0)
        if mapping.host_port:
            first, last = parse_port_range(mapping.host_port)
        for published in range(first, last + 1):
            out.append(
                {"Protocol": mapping.proto, "TargetPort": mapping.container_port,
                 "PublishedPort": published, "PublishMode": "ingress"}
            )  # fmt: skip
    return out
