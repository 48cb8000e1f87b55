"""An Engine on "another host": a dockerd in a network namespace of its own, reached from the test run only
at the address of its veth (a namespace this run created, so the network rule allows it), over plain tcp://
and over ssh:// (an sshd in the same namespace). Its loopback is not this machine's: a port it publishes on
127.0.0.1 is on the remote host's loopback, as with a real remote Engine.

Own data, exec root, socket, key file; `nsenter --net` rather than `ip netns exec` (which remounts /sys:
"Devices cgroup isn't mounted"); iptables stays on *inside* its namespace (its own tables), so the main
Engine's chains are never touched. Torn down by the PIDs it started. See ../shared/docs/engines-recipe.md.
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
from types import TracebackType

import docker

from tests.integration.endpoints import PrivateSshd


class RemoteEngine:
    def __init__(self) -> None:
        tag = f"{os.getpid() % 10000:04d}{random.randrange(16**3):03x}"
        self.netns = f"dkrre{tag}"
        self.veth = f"dkrre{tag}"  # host side; the namespace side is named eth0
        octet = random.randrange(16, 250)
        self.host_ip = f"10.231.{octet}.1"
        self.ip = f"10.231.{octet}.2"
        self.dir = Path(tempfile.mkdtemp(prefix="dkrre-", dir="/tmp"))
        self.sock = self.dir / "sock"
        self.unix_url = f"unix://{self.sock}"
        self.tcp_url = f"tcp://{self.ip}:2375"
        self.proc: subprocess.Popen[bytes] | None = None
        self.sshd: PrivateSshd | None = None

    def __enter__(self) -> RemoteEngine:
        try:
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _ip(self, *args: str) -> None:
        subprocess.run(["ip", *args], check=True, capture_output=True, timeout=10)

    def _start(self) -> None:
        self._ip("netns", "add", self.netns)
        self._ip("link", "add", self.veth, "type", "veth", "peer", "name", f"{self.veth}n")
        self._ip("link", "set", f"{self.veth}n", "netns", self.netns)
        self._ip("addr", "add", f"{self.host_ip}/30", "dev", self.veth)
        self._ip("link", "set", self.veth, "up")
        self._ip("-n", self.netns, "link", "set", "lo", "up")
        self._ip("-n", self.netns, "link", "set", f"{self.veth}n", "name", "eth0")
        self._ip("-n", self.netns, "addr", "add", f"{self.ip}/30", "dev", "eth0")
        self._ip("-n", self.netns, "link", "set", "eth0", "up")
        self._ip("-n", self.netns, "route", "add", "default", "via", self.host_ip)
        config = self.dir / "daemon.json"
        config.write_text(json.dumps({"deprecated-key-path": str(self.dir / "key.json")}))
        self.log = (self.dir / "dockerd.log").open("wb")
        self.proc = subprocess.Popen(
            [
                "nsenter", f"--net=/run/netns/{self.netns}", "dockerd", "--config-file", str(config),
                "--data-root", str(self.dir / "data"), "--exec-root", str(self.dir / "exec"),
                "--pidfile", str(self.dir / "pid"), "-H", self.unix_url, "-H", self.tcp_url,
                "--storage-driver=overlay2", "--shutdown-timeout", "2",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(Exception):
                client = docker.DockerClient(base_url=self.unix_url, timeout=5)
                client.ping()
                client.close()
                break
            if self.proc.poll() is not None:
                raise RuntimeError(f"the remote Engine did not start: {self._log_tail()}")
            time.sleep(0.2)
        else:
            raise RuntimeError(f"the remote Engine did not answer in 30 s: {self._log_tail()}")
        (self.dir / "sshd").mkdir()
        self.sshd = PrivateSshd(self.dir / "sshd", 2222, address=self.ip, netns=self.netns).__enter__()

    @property
    def ssh_url(self) -> str:
        """ssh://USER@IP:2222/SOCKET: the remote side runs `docker --host=unix://SOCKET system dial-stdio`."""
        assert self.sshd is not None
        return f"{self.sshd.url}{self.sock}"

    def client(self) -> docker.DockerClient:
        return docker.DockerClient(base_url=self.unix_url, timeout=60)

    def in_netns(self, *argv: str, timeout: float = 10) -> subprocess.CompletedProcess[str]:
        """Run a command on the remote host (in its namespace): to look at its own loopback."""
        return subprocess.run(
            ["nsenter", f"--net=/run/netns/{self.netns}", *argv],
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def _log_tail(self) -> str:
        return (self.dir / "dockerd.log").read_text(errors="replace")[-2000:]

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self.sshd is not None:
            self.sshd.__exit__(None, None, None)
        if self.proc is not None and self.proc.poll() is None:
            # its containers first, at once: a stop at shutdown would give each its whole grace period
            with contextlib.suppress(Exception):
                client = docker.DockerClient(base_url=self.unix_url, timeout=20)
                for ctr in client.containers.list(all=True):
                    ctr.remove(force=True)
                client.close()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        for line in Path("/proc/mounts").read_text().splitlines()[::-1]:
            target = line.split()[1]
            if target.startswith(str(self.dir)):
                subprocess.run(["umount", "-l", target], check=False)
        # its containers' shims live in sessions of their own
        subprocess.run(["pkill", "-KILL", "-f", str(self.dir)], check=False)
        subprocess.run(["ip", "link", "del", self.veth], check=False, capture_output=True)
        subprocess.run(["ip", "netns", "del", self.netns], check=False, capture_output=True)
        if hasattr(self, "log"):
            self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
