"""Record what Podman's Docker-compatible API answers where it differs from Docker Engine's, as test data
for dkr's unit tests (podman_*.json). Run it by hand against a Podman service, in its network namespace:

    scripts/podman-engine up /tmp/dkrpod-rec      # prints DOCKER_HOST=… and NETNS=…
    nsenter --net=/run/netns/NETNS env DOCKER_HOST=unix:///tmp/dkrpod-rec/podman.sock \
        .venv/bin/python -m tests.unit.data.record_podman
    scripts/podman-engine down /tmp/dkrpod-rec

Recorded from Podman 4.3.1 (Debian 12): a build without cache, the same build after one file changed, a
failing RUN, the history and inspect of the built image, the inspect of a running container without a
HEALTHCHECK, the refusal of `--init` without catatonit, and how long a stop waits by default.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import docker

HERE = Path(__file__).parent
LABELS = {"dkr.record": "podman"}
DOCKERFILE = """FROM {base}
WORKDIR /app
COPY deps.txt /app/
RUN echo "installing"; echo "a warning" >&2; cat deps.txt > /app/installed
COPY . /app
EXPOSE 80
CMD ["httpd", "-f", "-p", "80", "-h", "/app"]
"""


def save(name: str, payload: Any) -> None:
    (HERE / f"podman_{name}.json").write_text(json.dumps(payload, indent=1) + "\n")


def build(client: docker.DockerClient, path: Path, **kwargs: Any) -> list[dict[str, Any]]:
    return list(client.api.build(path=str(path), decode=True, rm=True, forcerm=True, labels=LABELS, **kwargs))


def main() -> None:
    client = docker.from_env()
    work = Path(tempfile.mkdtemp(prefix="dkrrec-"))
    made: list[str] = []
    try:
        base = work / "base"
        base.mkdir()
        shutil.copy("/bin/busybox", base / "busybox")
        (base / "Dockerfile").write_text(
            'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n'
        )
        build(client, base, tag="dkrrec-base:1")
        made.append("dkrrec-base:1")

        app = work / "app"
        app.mkdir()
        (app / "deps.txt").write_text("ms\n")
        (app / "index.html").write_text("hello\n")
        (app / "Dockerfile").write_text(DOCKERFILE.format(base="dkrrec-base:1"))
        save("build_first", build(client, app, tag="dkrrec-app:1", nocache=True))
        (app / "index.html").write_text("hello, edited\n")
        save("build_rebuild", build(client, app, tag="dkrrec-app:1"))
        made.append("dkrrec-app:1")
        save("history", client.api.history("dkrrec-app:1"))
        save("image_inspect", client.api.inspect_image("dkrrec-app:1"))

        fails = work / "fails"
        fails.mkdir()
        (fails / "Dockerfile").write_text(
            "FROM dkrrec-base:1\nRUN echo 'compiling'; echo 'error: missing thing' >&2; exit 3\n"
        )
        save("build_run_fails", build(client, fails))

        host = client.api.create_host_config(port_bindings={80: ("127.0.0.1", 0)})
        ctr = client.api.create_container("dkrrec-app:1", labels=LABELS, ports=[80], host_config=host)
        made.append(ctr["Id"])
        client.api.start(ctr["Id"])
        save("container_inspect", client.api.inspect_container(ctr["Id"]))

        # `--init` on a Podman without catatonit: refused at create
        try:
            init = client.api.create_host_config(init=True)
            refused = client.api.create_container("dkrrec-base:1", ["true"], labels=LABELS, host_config=init)
            made.append(refused["Id"])
            init_error: dict[str, Any] = {"created": True}
        except docker.errors.APIError as exc:
            init_error = {"status": exc.response.status_code, "body": exc.response.json()}
        save("init_refused", init_error)

        # a stop without ?t= of a PID 1 that ignores SIGTERM, with StopTimeout reported as 0
        sleeper = client.api.create_container("dkrrec-base:1", ["sleep", "300"], labels=LABELS)
        made.append(sleeper["Id"])
        client.api.start(sleeper["Id"])
        stop_timeout = client.api.inspect_container(sleeper["Id"])["Config"].get("StopTimeout")
        started = time.monotonic()
        client.api.stop(sleeper["Id"], timeout=None)
        waited = time.monotonic() - started
        exit_code = client.api.inspect_container(sleeper["Id"])["State"]["ExitCode"]
        save("stop", {"StopTimeout": stop_timeout, "seconds": round(waited, 1), "ExitCode": exit_code})
    finally:
        for ref in reversed(made):
            try:
                if ref.startswith("dkrrec-"):
                    client.api.remove_image(ref, force=True)
                else:
                    client.api.remove_container(ref, force=True)
            except docker.errors.APIError:
                pass
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
