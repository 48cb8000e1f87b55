"""A private Docker Engine beside the main one, for tests that kill it or need a second Engine: its own socket,
bridge, data and exec roots, key file, `--iptables=false` (a 20.10 dockerd with iptables on flushes the main
Engine's DOCKER chains when it starts), in a process group of its own so that it and its containerd die
together. With `tls=`, it also serves tcp://127.0.0.1:<free port> with `--tlsverify` (dockerd's own TLS, not
a proxy's). See ../shared/docs/engines-recipe.md for why each flag is there.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import docker

from tests.integration.endpoints import TlsFiles
from tests.integration.support import free_port


class PrivateEngine:
    def __init__(self, tls: TlsFiles | None = None) -> None:
        # short paths: a unix socket's path has a limit of about 100 bytes, and containerd's sit below exec
        self.dir = Path(tempfile.mkdtemp(prefix="dkrpe-", dir="/tmp"))
        self.sock = self.dir / "sock"
        self.url = f"unix://{self.sock}"
        self.bridge = f"dkrpe{random.randrange(16**4):04x}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.tls = tls
        #: tcp://127.0.0.1:PORT when `tls` was given (every tcp listener of a --tlsverify dockerd is TLS)
        self.tcp_url: str | None = None

    def start(self, timeout: float = 30.0) -> PrivateEngine:
        subnet = random.randrange(100, 250)
        subprocess.run(["ip", "link", "add", self.bridge, "type", "bridge"], check=True)
        subprocess.run(["ip", "addr", "add", f"172.31.{subnet}.1/24", "dev", self.bridge], check=True)
        subprocess.run(["ip", "link", "set", self.bridge, "up"], check=True)
        config = self.dir / "daemon.json"
        config.write_text(json.dumps({"deprecated-key-path": str(self.dir / "key.json")}))
        self.log = (self.dir / "dockerd.log").open("wb")
        tcp: list[str] = []
        if self.tls is not None:
            self.tcp_url = f"tcp://127.0.0.1:{free_port()}"
            tcp = [
                "-H", self.tcp_url, "--tlsverify", "--tlscacert", str(self.tls.ca),
                "--tlscert", str(self.tls.server_cert), "--tlskey", str(self.tls.server_key),
            ]  # fmt: skip
        self.proc = subprocess.Popen(
            [
                "dockerd", "--config-file", str(config), "--data-root", str(self.dir / "data"),
                "--exec-root", str(self.dir / "exec"), "--pidfile", str(self.dir / "pid"),
                "-H", self.url, *tcp, "-b", self.bridge, "--storage-driver=overlay2", "--shutdown-timeout", "2",
                "--iptables=false", "--ip-masq=false", "--ip-forward=false",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(Exception):
                client = docker.DockerClient(base_url=self.url, timeout=5)
                client.ping()
                client.close()
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(
            f"the private Engine did not start: {(self.dir / 'dockerd.log').read_text()[-2000:]}"
        )

    def client(self) -> docker.DockerClient:
        return docker.DockerClient(base_url=self.url, timeout=60)

    def kill(self) -> None:
        """SIGKILL the Engine and its containerd (its process group): the Engine dies mid-answer."""
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        self.kill()
        # what a killed Engine leaves: its containers' shims (their own sessions) and overlay mounts
        for line in Path("/proc/mounts").read_text().splitlines()[::-1]:
            target = line.split()[1]
            if target.startswith(str(self.dir)):
                subprocess.run(["umount", "-l", target], check=False)
        subprocess.run(["pkill", "-KILL", "-f", str(self.dir)], check=False)
        subprocess.run(["ip", "link", "del", self.bridge], check=False)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
