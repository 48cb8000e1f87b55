"""dkr run's --network, --network-alias and --add-host against the real Engine: an app reaches its database by
name on a user network (read through the app's port published on 127.0.0.1), the create body equals the
docker CLI's for the same flags, and bad input is one line, exit 2, nothing created."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.integration.support import Case, assert_failed, dkr, get, side_by_side

CGI = '#!/bin/sh\necho "Content-Type: text/plain"\necho ""\nnc db 5432 </dev/null\n'


def test_the_app_reaches_the_db_by_name(
    case: Case, base_image: str, make_network: Any, tmp_path: Path
) -> None:
    net = make_network()
    db = dkr(
        "run", "-d", *case.args, "--network", net, "--network-alias", "db", base_image,
        "sh", "-c", 'while true; do echo "row from db" | nc -l -p 5432; done',
    )  # fmt: skip
    assert db.returncode == 0, db.stderr
    script = tmp_path / "www" / "cgi-bin" / "db"
    script.parent.mkdir(parents=True)
    script.write_text(CGI)
    script.chmod(0o755)
    app = dkr(
        "run", "-d", *case.args, "--net", net, "-p", "80", "-v", f"{tmp_path / 'www'}:/www:ro", base_image,
        "httpd", "-f", "-p", "80", "-h", "/www",
    )  # fmt: skip
    assert app.returncode == 0, app.stderr
    port = int(case.client.api.port(app.stdout.strip(), 80)[0]["HostPort"])
    assert get(port, tries=50, path="/cgi-bin/db") == "row from db\n"
    # and from another container's output, by the same name
    reader = dkr("run", "--rm", *case.args, "--network", net, base_image, "nc", "db", "5432")
    assert (reader.returncode, reader.stdout) == (0, "row from db\n"), reader.stderr


def _network_of(case: Case, cid: str, net: str) -> tuple[Any, ...]:
    info = case.client.api.inspect_container(cid)
    aliases = info["NetworkSettings"]["Networks"][net]["Aliases"] or []
    return (
        info["HostConfig"]["NetworkMode"],
        info["HostConfig"]["ExtraHosts"],
        sorted(a for a in aliases if a != cid[:12]),  # the Engine adds the short id itself
    )


def test_the_create_body_equals_dockers(case: Case, base_image: str, make_network: Any) -> None:
    net = make_network()
    flags = [
        "--network", net, "--network-alias", "api", "--network-alias", "web", "--add-host", "h1:10.1.2.3",
        "--add-host", "h2=[::1]", "--add-host", "gw:host-gateway",
    ]  # fmt: skip
    made = {
        tool: _network_of(case, cid, net)
        for tool, cid in side_by_side("run", "-d", *case.args, *flags, base_image, "sleep", "300")
    }
    assert made["dkr"] == made["docker"]
    assert made["dkr"][1] == ["h1:10.1.2.3", "h2:::1", "gw:host-gateway"]


@pytest.mark.parametrize("mode", ["none", "host", "bridge"])
def test_builtin_networks_equal_dockers(case: Case, base_image: str, mode: str) -> None:
    made = {
        tool: case.client.api.inspect_container(cid)["HostConfig"]["NetworkMode"]
        for tool, cid in side_by_side("run", "-d", *case.args, "--network", mode, base_image, "sleep", "300")
    }
    assert made == {"dkr": mode, "docker": mode}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        pytest.param(["--add-host", "nohost"], "expected HOST:IP", id="add-host"),
        pytest.param(["--add-host", "h:999.1.1.1"], "'999.1.1.1' is not an IP address", id="add-host-ip"),
        pytest.param(
            ["--network-alias", "db"], "only supported for user-defined networks", id="alias-default"
        ),
        pytest.param(["--network", "bridge", "--network-alias", "db"], "user-defined", id="alias-bridge"),
        pytest.param(["--network", "a", "--network", "b"], "one --network only", id="two"),
    ],
)
def test_bad_network_flags_are_refused_before_the_engine(
    case: Case, base_image: str, args: list[str], needle: str
) -> None:
    assert_failed(dkr("run", "-d", *case.args, *args, base_image, "true"), 2, needle)
    assert case.containers() == []


def test_a_missing_network_is_the_engines_refusal(case: Case, base_image: str) -> None:
    assert_failed(
        dkr("run", "-d", *case.args, "--network", "dkr-no-such-net", base_image, "true"), 125, "not found"
    )
    assert case.containers() == []  # dkr removes the container the failed start left
