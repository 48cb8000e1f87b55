"""run's everyday flags, differential against the docker CLI on the same Engine: the same flags given to
`docker run -d` and `dkr run -d` must give the same Config and HostConfig fields (the way -p is tested)."""

from __future__ import annotations

import subprocess
from typing import Any

import docker
import pytest

from tests.integration.support import Case, dkr

FLAGS: list[tuple[list[str], list[str]]] = [
    (["--entrypoint", "sh", "-u", "65534:65534", "-h", "dkrhost"], ["Config.Entrypoint", "Config.User", "Config.Hostname"]),
    (["--entrypoint", ""], ["Config.Entrypoint"]),
    (["--restart", "on-failure:3"], ["HostConfig.RestartPolicy"]),
    (["--restart", "unless-stopped"], ["HostConfig.RestartPolicy"]),
    (["-m", "64m", "--cpus", "1.5"], ["HostConfig.Memory", "HostConfig.NanoCpus"]),
    (["--cap-add", "NET_ADMIN", "--cap-drop", "CHOWN", "--read-only"],
     ["HostConfig.CapAdd", "HostConfig.CapDrop", "HostConfig.ReadonlyRootfs"]),
    (["--cap-add", "sys_time", "--cap-add", "NET_ADMIN", "--cap-add", "net_admin", "--cap-drop", "cap_chown"],
     ["HostConfig.CapAdd", "HostConfig.CapDrop"]),
    (["--cap-add", "SYS_TIME", "--cap-drop", "sys_time", "--cap-drop", "MKNOD"],
     ["HostConfig.CapAdd", "HostConfig.CapDrop"]),
    (["--stop-signal", "INT", "--stop-timeout", "5"], ["Config.StopSignal", "Config.StopTimeout"]),
    (["--health-cmd", "true", "--health-interval", "1s", "--health-timeout", "2s", "--health-start-period",
      "3s", "--health-retries", "4"], ["Config.Healthcheck"]),
    (["--health-interval", "5s"], ["Config.Healthcheck"]),
    (["--no-healthcheck"], ["Config.Healthcheck"]),
]  # fmt: skip


def field(attrs: dict[str, Any], path: str) -> Any:
    value: Any = attrs
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


@pytest.mark.parametrize(("flags", "fields"), FLAGS, ids=[" ".join(f) or "empty" for f, _ in FLAGS])
def test_flags_match_docker(
    client: docker.DockerClient, base_image: str, case: Case, flags: list[str], fields: list[str]
) -> None:
    command = ["-c", "sleep 300"] if "--entrypoint" in flags and "sh" in flags else ["sleep", "300"]
    ours = dkr("run", "-d", *case.args, *flags, base_image, *command)
    theirs = subprocess.run(
        ["docker", "run", "-d", *case.args, *flags, base_image, *command], capture_output=True, text=True
    )
    assert ours.returncode == theirs.returncode == 0, (ours.stderr, theirs.stderr)
    a = client.containers.get(ours.stdout.strip()).attrs
    b = client.containers.get(theirs.stdout.strip()).attrs
    for path in fields:
        assert field(a, path) == field(b, path), path


@pytest.mark.parametrize(
    ("flags", "line"),
    [
        (["--restart", "sometimes"], "invalid restart policy 'sometimes'"),
        (["--restart", "always:3"], "maximum retry count cannot be used with restart policy 'always'"),
        (["--rm", "--restart", "always"], "conflicting options: --restart and --rm"),
        (["-m", "lots"], "invalid -m/--memory 'lots'"),
        (["--cpus", "-1"], "invalid --cpus '-1'"),
        (["--stop-signal", "NOPE"], "invalid signal 'NOPE'"),
        (["--stop-timeout", "x"], "--stop-timeout"),
        (["--health-interval", "-1s"], "--health-interval cannot be negative"),
        (["--health-retries", "-1"], "--health-retries cannot be negative"),
        (["--no-healthcheck", "--health-cmd", "true"], "--no-healthcheck conflicts with --health-* options"),
        (["--platform", "a/b/c/d"], "invalid --platform 'a/b/c/d'"),
        (["-h", ""], "invalid -h/--hostname ''"),
    ],
)
def test_bad_flags_are_exit_2_and_create_nothing(
    base_image: str, case: Case, flags: list[str], line: str
) -> None:
    res = dkr("run", "-d", *case.args, *flags, base_image, "true")
    assert res.returncode == 2, res.stderr
    assert res.stderr.startswith("dkr: error: ") and line in res.stderr.splitlines()[0]
    assert case.containers() == []
