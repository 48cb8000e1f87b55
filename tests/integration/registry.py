"""A private image registry for the tests: Debian's `docker-registry` (the CNCF distribution registry 2.8,
installed by scripts/ensure-engine) on 127.0.0.1:<free port>, its storage in a temp dir, its own minimal config
(the packaged one wants htpasswd and systemd). Optionally with htpasswd auth (bcrypt, as the registry requires).
The Engine treats 127.0.0.0/8 as an insecure registry, so it pushes, pulls and logs in over plain HTTP with no
daemon configuration. Nothing here ever reaches a public registry.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.integration.support import free_port

BINARY = "docker-registry"


def htpasswd_line(user: str, password: str) -> str:
    import bcrypt

    return f"{user}:{bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=5)).decode()}"


class Registry:
    def __init__(self, users: dict[str, str] | None = None) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="dkrreg-"))
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.users = dict(users or {})
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 20.0) -> Registry:
        if shutil.which(BINARY) is None:
            raise RuntimeError(f"{BINARY} is not installed: run scripts/ensure-engine (make test does)")
        auth = ""
        if self.users:
            path = self.dir / "htpasswd"
            path.write_text("".join(htpasswd_line(u, p) + "\n" for u, p in self.users.items()))
            auth = f"auth:\n  htpasswd:\n    realm: dkr-test\n    path: {path}\n"
        config = self.dir / "config.yml"
        config.write_text(
            "version: 0.1\n"
            "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
            f"storage:\n  filesystem:\n    rootdirectory: {self.dir / 'data'}\n  delete:\n    enabled: true\n"
            f"http:\n  addr: {self.host}\n  secret: dkr-test-{self.port}\n" + auth
        )
        self.log = (self.dir / "registry.log").open("wb")
        self.proc = subprocess.Popen(
            [BINARY, "serve", str(config)], stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"http://{self.host}/v2/", timeout=2):
                    return self
            except urllib.error.HTTPError as exc:  # 401: up, and asking for credentials
                if exc.code == 401:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the registry did not start: {(self.dir / 'registry.log').read_text()[-2000:]}")

    def tags(self, repo: str) -> list[str]:
        """The registry's own list of a repository's tags (no auth: for the registry without users)."""
        try:
            with urllib.request.urlopen(f"http://{self.host}/v2/{repo}/tags/list", timeout=5) as resp:
                return list(json.load(resp).get("tags") or [])
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return []
            raise

    def digest(self, repo: str, tag: str) -> str:
        """The manifest digest the registry serves for repo:tag."""
        req = urllib.request.Request(
            f"http://{self.host}/v2/{repo}/manifests/{tag}",
            method="HEAD",
            headers={"Accept": "application/vnd.docker.distribution.manifest.v2+json"},
        )
        with urllib.request.urlopen(req, timeout=5) as resp:
            return str(resp.headers["Docker-Content-Digest"])

    def _terminate(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        with contextlib.suppress(Exception):
            self.log.close()

    def emptied(self) -> Registry:
        """The same registry (same port) with nothing stored: every layer pushed next is uploaded."""
        self._terminate()
        shutil.rmtree(self.dir / "data", ignore_errors=True)
        return self.start()

    def stop(self) -> None:
        self._terminate()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Registry:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
