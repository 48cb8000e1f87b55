"""dkr up and `make demo`'s script against the real Engine: the edit-rebuild-restart loop on the bundled
example app (FROM this run's base image), a failed or interrupted build that leaves the running container
alone, the rule for a name dkr up did not create, and scripts/demo from end to end."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import docker
import pytest

from tests.integration.support import HERE, LABELS, Case, assert_failed, dkr, get, unique

REPO = HERE.parent.parent
EXAMPLE = REPO / "examples" / "hello-web"
DEMO = REPO / "scripts" / "demo"


@pytest.fixture
def app(tmp_path: Path, base_image: str) -> Path:
    """A copy of examples/hello-web, built FROM this run's base image rather than the demo's."""
    folder = tmp_path / "hello-web"
    shutil.copytree(EXAMPLE, folder)
    dockerfile = folder / "Dockerfile"
    text = dockerfile.read_text()
    assert "FROM dkr-example-base:busybox\n" in text
    dockerfile.write_text(text.replace("FROM dkr-example-base:busybox\n", f"FROM {base_image}\n"))
    return folder


def up(case: Case, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return dkr("up", *case.args, *map(str, args))


def started(client: docker.DockerClient, res: subprocess.CompletedProcess[str]) -> tuple[Any, int]:
    """The container a successful `dkr up` printed (stdout: its id alone), and its host port for 80/tcp."""
    assert res.returncode == 0, res.stderr
    assert re.fullmatch(r"[0-9a-f]{64}\n", res.stdout), res.stdout
    ctr = client.containers.get(res.stdout.strip())
    assert ctr.status == "running"
    (binding,) = ctr.attrs["NetworkSettings"]["Ports"]["80/tcp"]
    assert binding["HostIp"] == "127.0.0.1"  # loopback unless asked
    return ctr, int(binding["HostPort"])


def gone(client: docker.DockerClient, ref: str, images: bool = False) -> bool:
    try:
        (client.images if images else client.containers).get(ref)
    except docker.errors.NotFound:
        return True
    return False


def test_up_twice_then_after_an_edit(client: docker.DockerClient, case: Case, app: Path) -> None:
    name = unique("up")
    first, port = started(client, up(case, "--name", name, app))
    labels = first.labels
    assert labels["dkr.up"] == name and labels["dkr.test.session"] == LABELS["dkr.test.session"]
    first_image = first.attrs["Image"]
    image = client.images.get(first_image)
    assert image.tags == [f"dkr-up/{name}:latest"]
    assert image.labels["dkr.up"] == name and image.labels["dkr.test.session"] == LABELS["dkr.test.session"]
    assert first.attrs["HostConfig"]["Init"] is True
    assert "Hello from hello-web" in get(port)
    assert "dependencies installed: ms" in get(port, path="/cgi-bin/hello")

    again = up(case, "--name", name, app)
    second, port2 = started(client, again)
    assert re.search(r"all \d+ steps came from the layer cache", again.stderr), again.stderr
    assert second.id != first.id and gone(client, first.id)
    assert second.attrs["Image"] == first_image  # nothing re-ran: the very same image
    assert port2 == port  # the URL survives the restart
    assert f"replacing {name} ({first.id[:12]})" in again.stderr
    assert f"http://127.0.0.1:{port} -> 80/tcp" in again.stderr
    assert "Hello from hello-web" in get(port)

    page = app / "public" / "index.html"
    page.write_text(page.read_text().replace("Hello from hello-web", "Hello, edited"))
    edited = up(case, "--name", name, app)
    third, port3 = started(client, edited)
    assert "1 file changed (public/index.html)" in edited.stderr, edited.stderr
    assert port3 == port
    assert "Hello, edited" in get(port)
    assert third.attrs["Image"] != first_image
    assert gone(client, first_image, images=True)  # the replaced, now untagged image was removed
    assert [c.id for c in case.containers()] == [third.id]


def test_ten_edits_leave_one_image(client: docker.DockerClient, case: Case, app: Path) -> None:
    """The edit loop does not pile up images: after ten ups, each after an edit, one dkr-up image remains
    for the app (each replaced image is removed once nothing uses it)."""
    name = unique("up10")
    page = app / "public" / "index.html"
    original = page.read_text()
    for i in range(10):
        page.write_text(original.replace("Hello from hello-web", f"Hello, edit {i}"))
        ctr, port = started(client, up(case, "--name", name, app))
    assert "Hello, edit 9" in get(port)
    images = client.images.list(filters={"label": [f"dkr.up={name}"]})
    assert [i.id for i in images] == [ctr.attrs["Image"]], [i.tags for i in images]
    dangling = client.images.list(filters={"label": [f"dkr.up={name}"], "dangling": True})
    assert dangling == []


def test_the_name_comes_from_the_folder(
    client: docker.DockerClient, case: Case, tmp_path: Path, app: Path
) -> None:
    folder = tmp_path / f"Up Test {unique('n')}"
    app.rename(folder)
    res = up(case, folder)
    ctr, _ = started(client, res)
    expected = re.sub(r"[^a-z0-9_.]+", "-", folder.name.lower())
    assert ctr.name == expected
    assert client.images.get(f"dkr-up/{expected}:latest").id == ctr.image.id


def up_then_add(client: docker.DockerClient, case: Case, app: Path, step: str) -> tuple[str, Any, int]:
    """`dkr up` the app, then add a step to its Dockerfile: its name, container and host port."""
    name = unique("up")
    first, port = started(client, up(case, "--name", name, app))
    with (app / "Dockerfile").open("a") as f:
        f.write(step + "\n")
    return name, first, port


def assert_untouched(case: Case, first: Any, port: int, stderr: str) -> None:
    assert f"{first.name} ({first.id[:12]}) still runs its previous image: nothing was replaced" in stderr
    first.reload()
    assert first.status == "running"
    assert "Hello from hello-web" in get(port)
    assert [c.id for c in case.containers()] == [first.id]


def test_a_failed_build_leaves_the_container_running(
    client: docker.DockerClient, case: Case, app: Path
) -> None:
    name, first, port = up_then_add(client, case, app, "RUN exit 3")
    res = up(case, "--name", name, app)
    assert_failed(res, 1, "`RUN exit 3` failed with exit code 3")
    assert_untouched(case, first, port, res.stderr)


def test_ctrl_c_during_the_build_leaves_the_container_running(
    client: docker.DockerClient, case: Case, app: Path
) -> None:
    name, first, port = up_then_add(client, case, app, "RUN sleep 30")
    proc = subprocess.Popen(
        [sys.executable, "-m", "dkr", "up", *case.args, "--name", name, str(app)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(60, proc.kill)
    watchdog.start()
    try:
        seen = []
        assert proc.stderr is not None
        for line in proc.stderr:  # piped: one line per finished step; CMD is the step before the sleep
            seen.append(line)
            if " CMD [" in line:
                break
        time.sleep(0.5)  # the RUN has started
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        watchdog.cancel()
    err = "".join(seen) + err
    assert proc.returncode == 130, err
    assert out == "" and "Traceback" not in err
    assert "build interrupted" in err
    assert_untouched(case, first, port, err)


def test_a_name_held_by_another_container(
    client: docker.DockerClient, case: Case, app: Path, make_container: Any
) -> None:
    name = unique("up")
    # --init: its sleep stops at once on SIGTERM when --replace stops it
    key, _, value = case.label.partition("=")
    other = make_container("sleep 300", name=name, init=True, labels={key: value})
    res = up(case, "--name", name, app)
    assert_failed(
        res, 1, f"the name '{name}' is taken by container {other.id[:12]}, which dkr up did not create"
    )
    assert "--replace" in res.stderr.splitlines()[-1]
    other.reload()
    assert other.status == "running"
    assert client.images.list(name=f"dkr-up/{name}") == []  # refused before building anything

    replaced, _ = started(client, up(case, "--name", name, "--replace", app))
    assert gone(client, other.id)
    assert replaced.name == name and replaced.labels["dkr.up"] == name


def test_a_name_that_is_only_an_id_prefix_is_free(
    client: docker.DockerClient, case: Case, app: Path, make_container: Any
) -> None:
    other = make_container("sleep 300", init=True)
    prefix = other.id[:16]  # the Engine's inspect also resolves id prefixes: this names no container
    ctr, _ = started(client, up(case, "--name", prefix, app))
    assert ctr.name == prefix
    other.reload()
    assert other.status == "running"


# --- scripts/demo (make demo) -------------------------------------------------------------------------------


def demo(case: Case, dkr_command: str) -> subprocess.CompletedProcess[str]:
    labels = " ".join([*(f"{k}={v}" for k, v in LABELS.items()), case.label])
    env = {**os.environ, "DKR": dkr_command, "DKR_DEMO_LABEL": labels}
    return subprocess.run([str(DEMO)], capture_output=True, text=True, timeout=120, env=env, cwd="/")


def test_demo_end_to_end(client: docker.DockerClient, case: Case) -> None:
    res = demo(case, f"{sys.executable} -m dkr")
    assert res.returncode == 0, res.stderr
    assert "Hello from hello-web" in res.stdout
    assert "dependencies installed: ms" in res.stdout
    for step in range(1, 11):
        assert f"\n{step}. " in res.stderr
    assert "done in" in res.stderr and "FAILED" not in res.stderr
    assert case.containers() == []  # nothing left behind but the example images
    built = {tag for image in case.images() for tag in image.tags}
    assert built == {"dkr-example-base:busybox", "dkr-example-hello-web:latest"}


def test_a_failing_demo_step_says_which_and_cleans_up(case: Case, tmp_path: Path) -> None:
    failing = tmp_path / "dkr"
    failing.write_text(
        "#!/bin/sh\n"
        '[ "$1" = logs ] && { echo "dkr: error: simulated failure" >&2; exit 7; }\n'
        f'exec {sys.executable} -m dkr "$@"\n'
    )
    failing.chmod(0o755)
    res = demo(case, str(failing))
    assert res.returncode == 7, res.stderr
    last = res.stderr.splitlines()[-1]
    assert last.startswith(
        "demo: FAILED at step 8, Read its logs: exit code 7; cleaned up (removed container"
    )
    assert case.containers() == []


def test_up_v_serves_an_edit_without_a_rebuild(client: docker.DockerClient, case: Case, app: Path) -> None:
    name = unique("upv")
    public = app / "public"
    ctr, port = started(client, up(case, "--name", name, "-v", f"{public}:/app/public:ro", app))
    assert ctr.attrs["HostConfig"]["Binds"] == [f"{public}:/app/public:ro"]
    assert "Hello from hello-web" in get(port)
    page = public / "index.html"
    page.write_text(page.read_text().replace("Hello from hello-web", "Hello, live"))
    assert "Hello, live" in get(port)  # no dkr up, no build: the same container serves the edit
    assert [c.id for c in case.containers()] == [ctr.id]
