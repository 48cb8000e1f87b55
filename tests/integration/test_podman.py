"""Podman's Docker-compatible API beside the main Engine (the `podman_engine` fixture, scripts/podman-engine):
dkr reaches it by -H, and a container it publishes answers from inside Podman's network namespace."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.integration.podman import PodmanEngine
from tests.integration.support import LABEL_ARGS, dkr


def test_dkr_reaches_podman_beside_the_main_engine(podman_engine: PodmanEngine) -> None:
    version = dkr("-H", podman_engine.url, "version", "--format", "json")
    assert version.returncode == 0, version.stderr
    client = podman_engine.client()
    try:
        assert any(c.get("Name") == "Podman Engine" for c in client.version().get("Components") or [])
        assert json.loads(version.stdout)["Server"]["Version"] == client.version()["Version"]
        # its ports are on its own namespace's loopback: dkr's --wait runs there (nothing to wait for here)
        listed = subprocess.run(
            ["nsenter", f"--net={podman_engine.netns_path}", sys.executable, "-m", "dkr",
             "-H", podman_engine.url, "ps", "-a", "-q", "-f", f"label={LABEL_ARGS[1]}"],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert (listed.returncode, listed.stdout) == (0, ""), listed.stderr
    finally:
        client.close()
