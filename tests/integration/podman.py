"""Podman's Docker-compatible API service for tests, started by scripts/podman-engine (the same script
`make test-podman` uses): a network namespace of its own, its own storage and configuration in a temp dir,
its socket there. Ports it publishes are on that namespace's loopback: reach them from inside it
(`nsenter --net=/run/netns/<netns> …`). Its storage, mounts and namespace go in `stop()`.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import docker

SCRIPT = Path(__file__).parents[2] / "scripts" / "podman-engine"


class PodmanEngine:
    def __init__(self) -> None:
        # short: the socket's path must fit a unix socket's ~100 bytes
        self.dir = Path(tempfile.mkdtemp(prefix="dkrpod-", dir="/tmp"))
        self.url = ""
        self.netns = ""

    def start(self) -> PodmanEngine:
        res = subprocess.run(
            [str(SCRIPT), "up", str(self.dir)], capture_output=True, text=True, timeout=60, check=False
        )
        if res.returncode != 0:
            raise RuntimeError(f"Podman's API service did not start: {res.stderr.strip()}")
        found = dict(line.split("=", 1) for line in res.stdout.splitlines() if "=" in line)
        self.url, self.netns = found["DOCKER_HOST"], found["NETNS"]
        return self

    @property
    def netns_path(self) -> str:
        return f"/run/netns/{self.netns}"

    def client(self) -> docker.DockerClient:
        return docker.DockerClient(base_url=self.url, timeout=60)

    def stop(self) -> None:
        subprocess.run([str(SCRIPT), "down", str(self.dir)], capture_output=True, timeout=120, check=False)
