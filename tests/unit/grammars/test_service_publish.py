"""`dkr service create -p`: docker/cli's PortOpt.Set (opts/port.go) read into the Engine's PortConfig, the
long form's fields and errors and the short form through the -p grammar."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkr.errors import UsageError
from dkr.grammars.ports import parse_port_spec, parse_service_publish


def port(target: int, published: int = 0, protocol: str = "tcp", mode: str = "ingress") -> dict[str, Any]:
    return {"Protocol": protocol, "TargetPort": target, "PublishedPort": published, "PublishMode": mode}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param("mode=host,target=80", [port(80, mode="host")], id="host-mode-any-port"),
        pytest.param("published=8080,target=80", [port(80, 8080)], id="long-ingress-default"),
        pytest.param(
            "target=53,published=53,protocol=udp,mode=ingress", [port(53, 53, "udp")], id="long-udp"
        ),
        pytest.param("MODE=HOST,TARGET=80", [port(80, mode="host")], id="long-lowercased-whole"),
        pytest.param("80", [port(80)], id="short-target-only"),
        pytest.param("8080:80", [port(80, 8080)], id="short"),
        pytest.param("8080:80/udp", [port(80, 8080, "udp")], id="short-udp"),
        pytest.param("8000-8001:80-81", [port(80, 8000), port(81, 8001)], id="short-ranges"),
        pytest.param(
            "8000-8002:80", [port(80, 8000), port(80, 8001), port(80, 8002)], id="host-range-one-port"
        ),
    ],
)
def test_publish_specs(spec: str, expected: list[dict[str, Any]]) -> None:
    assert parse_service_publish(spec) == expected


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        pytest.param("127.0.0.1:8080:80", "hostip is not supported", id="short-with-ip"),
        pytest.param("mode=vip,target=80", "invalid publish mode value vip", id="bad-mode"),
        pytest.param("protocol=icmp,target=80", "invalid protocol value icmp", id="bad-protocol"),
        pytest.param("published=8080", 'missing mandatory field "target"', id="no-target"),
        pytest.param("target=0", 'missing mandatory field "target"', id="target-zero"),
        pytest.param("target=70000", 'parsing "70000": value out of range', id="target-too-big"),
        pytest.param("target=8o", 'parsing "8o": invalid syntax', id="target-not-a-number"),
        pytest.param("target=80,host", "invalid field host", id="field-without-equals"),
        pytest.param("target=80,ip=1", "invalid field key ip", id="unknown-key"),
        pytest.param("8080:", "no container port", id="short-empty-target"),
        # one CSV field: its value is everything after the first "="
        pytest.param('"mode=host,target=80"', "invalid publish mode value host,target=80", id="quoted-field"),
    ],
)
def test_bad_publish_specs_are_usage_errors(spec: str, why: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_service_publish(spec)
    assert why in info.value.message
    assert info.value.exit_code == 2


_ports = st.integers(1, 65535)


@given(target=_ports, published=st.integers(0, 65535), protocol=st.sampled_from(["tcp", "udp", "sctp"]),
       mode=st.sampled_from(["host", "ingress"]), order=st.permutations(range(4)))  # fmt: skip
def test_the_long_form_reads_its_fields_in_any_order(
    target: int, published: int, protocol: str, mode: str, order: list[int]
) -> None:
    fields = [f"target={target}", f"published={published}", f"protocol={protocol}", f"mode={mode}"]
    spec = ",".join(fields[i] for i in order)
    assert parse_service_publish(spec) == [port(target, published, protocol, mode)]


@given(target=_ports, published=st.integers(0, 65535), protocol=st.sampled_from(["tcp", "udp", "sctp"]))
def test_the_short_form_is_the_run_grammar_in_ingress_mode(
    target: int, published: int, protocol: str
) -> None:
    spec = f"{published or ''}:{target}/{protocol}" if published else f"{target}/{protocol}"
    mapping = parse_port_spec(spec)[0]
    assert parse_service_publish(spec) == [
        port(mapping.container_port, int(mapping.host_port or 0), mapping.proto, "ingress")
    ]
