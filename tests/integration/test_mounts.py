"""dkr run's -v, --mount and --tmpfs against the real Engine: the create body equals the one docker's CLI sends
for the same flags (read back with inspect), a bind mount's host-side edit is served without a rebuild, a
named volume outlives its container, and bad input is one line, exit 2, nothing created."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.integration.support import Case, assert_failed, dkr, get, side_by_side


def _mounts_of(case: Case, cid: str) -> dict[str, Any]:
    info = case.client.api.inspect_container(cid)
    host = info["HostConfig"]
    return {
        "Binds": sorted(host.get("Binds") or []),  # docker's CLI sends them in a Go map's order
        "Mounts": host.get("Mounts"),
        "Tmpfs": host.get("Tmpfs"),
        "Volumes": info["Config"].get("Volumes"),
    }


def test_the_create_body_equals_dockers(
    case: Case, base_image: str, make_volume: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named, other = make_volume(), make_volume()
    (tmp_path / "site").mkdir()
    monkeypatch.chdir(tmp_path)
    flags = [
        "-v", f"{tmp_path}:/host:ro", "-v", "./site:/site", "-v", f"{named}:/named:rw,nocopy", "-v", "/anon",
        "--mount", f"type=bind,src={tmp_path}/site,dst=/m/bind,readonly,bind-propagation=rprivate",
        "--mount", f"type=volume,source={other},target=/m/vol,volume-nocopy",
        "--mount", "type=tmpfs,dst=/m/tmp,tmpfs-size=1m,tmpfs-mode=1770",
        "--mount", "type=volume,dst=/m/anon",
        "--tmpfs", "/run", "--tmpfs", "/scratch:size=64k,mode=1777",
    ]  # fmt: skip
    made = {
        tool: _mounts_of(case, cid)
        for tool, cid in side_by_side("run", "-d", *case.args, *flags, base_image, "sleep", "300")
    }
    assert made["dkr"] == made["docker"]
    assert f"{tmp_path}/site:/site" in made["dkr"]["Binds"]  # ./site taken from the working folder


def test_a_bind_mounted_edit_is_served_without_a_rebuild(case: Case, base_image: str, tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text("before\n")
    res = dkr(
        "run", "-d", *case.args, "-p", "80", "-v", f"{tmp_path}:/www:ro", base_image, "httpd", "-f", "-p", "80",
        "-h", "/www",
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    port = int(case.client.api.port(res.stdout.strip(), 80)[0]["HostPort"])
    assert get(port, tries=50) == "before\n"
    page.write_text("after the edit\n")
    deadline = time.monotonic() + 10
    while get(port) != "after the edit\n":
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_a_named_volume_outlives_its_container(case: Case, base_image: str, make_volume: Any) -> None:
    name = make_volume()
    first = dkr(
        "run",
        *case.args,
        "-v",
        f"{name}:/data",
        "-v",
        "/scratch",
        base_image,
        "sh",
        "-c",
        "echo kept > /data/f",
    )
    assert first.returncode == 0, first.stderr
    (ctr,) = case.containers()
    anonymous = [m["Name"] for m in ctr.attrs["Mounts"] if m["Destination"] == "/scratch"]
    removed = dkr("rm", "-v", ctr.id)  # -v: the anonymous volume goes, the named one stays
    assert removed.returncode == 0, removed.stderr
    volumes = {v.name for v in case.client.volumes.list()}
    assert name in volumes and anonymous[0] not in volumes
    second = dkr("run", "--rm", *case.args, "--mount", f"src={name},dst=/d,ro", base_image, "cat", "/d/f")
    assert (second.returncode, second.stdout) == (0, "kept\n"), second.stderr
    assert case.containers() == []  # --rm


def test_tmpfs_and_read_only_reach_the_container(case: Case, base_image: str, tmp_path: Path) -> None:
    res = dkr(
        "run", "--rm", *case.args, "--tmpfs", "/scratch:size=64k", "-v", f"{tmp_path}:/ro:ro", base_image,
        "sh", "-c", "grep ' /scratch ' /proc/mounts; touch /ro/x 2>/dev/null && echo writable || echo read-only",
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "tmpfs" in res.stdout and "size=64k" in res.stdout
    assert res.stdout.endswith("read-only\n")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        pytest.param(
            ["-v", "src/app:/app"], "includes invalid characters for a local volume name", id="relative"
        ),
        pytest.param(["-v", "/a:/b:bogus"], "invalid mode: bogus", id="mode"),
        pytest.param(["-v", "/a:ro"], "invalid volume specification: '/a:ro'", id="spec"),
        pytest.param(["-v", "data"], "mount path must be absolute", id="anonymous"),
        pytest.param(["--mount", "type=bind,src=/tmp"], "target is required", id="mount-target"),
        pytest.param(["--mount", "type=nfs,dst=/x"], "mount type unknown", id="mount-type"),
        pytest.param(
            ["--mount", 'type=bind,src="/tmp",dst=/x'], 'bare " in non-quoted-field', id="mount-csv"
        ),
        pytest.param(["--tmpfs", "/"], "destination can't be '/'", id="tmpfs-root"),
    ],
)
def test_bad_mounts_are_refused_before_the_engine(
    case: Case, base_image: str, args: list[str], needle: str
) -> None:
    before = {v.name for v in case.client.volumes.list()}
    assert_failed(dkr("run", "-d", *case.args, *args, base_image, "true"), 2, needle)
    assert case.containers() == []
    assert {v.name for v in case.client.volumes.list()} == before


def test_a_missing_bind_source_is_the_engines_refusal(case: Case, base_image: str) -> None:
    res = dkr("run", "-d", *case.args, "--mount", "type=bind,src=/nonexistent/dkr,dst=/x", base_image, "true")
    assert_failed(res, 125, "/nonexistent/dkr")
    assert case.containers() == []
