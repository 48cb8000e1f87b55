"""Integration fixtures: a real Docker Engine, no mocks of it.

Everything a test creates carries the labels `dkr.test=1` and `dkr.test.session=<this run>` and is removed at
the end, even on failure; the final sweep removes only this run's objects, so a user's own containers and
images (and a concurrent run's) are never touched. Images are built locally FROM scratch with the static
busybox: nothing is ever pulled.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docker
import pytest

from tests.integration.registry import Registry
from tests.integration.support import (
    BUSYBOX,
    HERE,
    LABELS,
    SESSION,
    SESSION_FILTER,
    Case,
    build_labelled,
    unique,
)
from tests.integration.swarm import swarm, swarm_image, swarm_service  # noqa: F401 (fixtures: pytest finds them)


@pytest.fixture(scope="session")
def client() -> Iterator[docker.DockerClient]:
    """The SDK client tests use to set up and to read back what the Engine did. Fails (not skips) when no
    engine answers: `make test` starts one."""
    try:
        c = docker.from_env(timeout=120)
        c.ping()
    except Exception as exc:  # any failure to reach the Engine
        pytest.fail(
            f"no Docker Engine answers ({exc}); run scripts/ensure-engine (make test does)", pytrace=False
        )
    yield c
    _sweep(c)
    c.close()


def _sweep(c: docker.DockerClient) -> None:
    for ctr in c.containers.list(all=True, filters=SESSION_FILTER):
        with contextlib.suppress(docker.errors.APIError):
            ctr.remove(force=True, v=True)
    for img in c.images.list(filters=SESSION_FILTER):
        for tag in img.tags or [img.id]:
            with contextlib.suppress(docker.errors.APIError):
                c.images.remove(tag, force=True, noprune=False)
    for vol in c.volumes.list(filters=SESSION_FILTER):
        with contextlib.suppress(docker.errors.APIError):
            vol.remove(force=True)
    for net in c.networks.list(filters=SESSION_FILTER):
        with contextlib.suppress(docker.errors.APIError):
            net.remove()


@pytest.fixture(scope="session")
def base_image(client: docker.DockerClient, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`FROM scratch` + the static busybox, tagged for this run; removed at the end."""
    if not BUSYBOX.exists():
        pytest.fail(
            "/bin/busybox is missing: install busybox-static (scripts/ensure-engine does)", pytrace=False
        )
    ctx = tmp_path_factory.mktemp("base")
    shutil.copy(BUSYBOX, ctx / "busybox")
    (ctx / "Dockerfile").write_text(
        'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n'
    )
    tag = f"dkrtest-base:{SESSION}"
    client.images.build(path=str(ctx), tag=tag, labels=LABELS, rm=True, forcerm=True)
    yield tag
    with contextlib.suppress(docker.errors.APIError):
        client.images.remove(tag, force=True)


@pytest.fixture
def case(client: docker.DockerClient) -> Iterator[Case]:
    """A label for this test alone; what carries it is removed after the test."""
    c = Case(client, f"dkr.test.case={uuid.uuid4().hex[:12]}")
    yield c
    c.clean()


@pytest.fixture
def make_volume(client: docker.DockerClient) -> Iterator[Any]:
    """Create a labelled named volume; removed after the test, with this run's containers that use it (the
    `case` fixture may not have removed them yet)."""
    yield from _labelled(client, "volume", lambda name: client.volumes.create(name, labels=LABELS))


@pytest.fixture
def make_network(client: docker.DockerClient) -> Iterator[Any]:
    """Create a labelled bridge network; removed after the test, with this run's containers on it."""
    yield from _labelled(client, "network", lambda name: client.networks.create(name, labels=LABELS))


def _labelled(client: docker.DockerClient, kind: str, create: Any) -> Iterator[Any]:
    """A fixture's maker of volumes or networks: `make(name=None) -> name`; afterwards each is removed, with
    this run's containers that still use it."""
    made: list[Any] = []

    def make(name: str | None = None) -> str:
        obj = create(name or unique(kind[:3]))
        made.append(obj)
        return str(obj.name)

    yield make
    for obj in made:
        _remove_users(client, {kind: obj.name})
        with contextlib.suppress(docker.errors.APIError):
            obj.remove(**({"force": True} if kind == "volume" else {}))


def _remove_users(client: docker.DockerClient, filters: dict[str, Any]) -> None:
    """This run's containers that use a volume or network, removed so that it can be removed."""
    for ctr in client.containers.list(all=True, filters={**filters, **SESSION_FILTER}):
        with contextlib.suppress(docker.errors.APIError):
            ctr.remove(force=True, v=True)


@pytest.fixture
def make_container(client: docker.DockerClient, base_image: str) -> Iterator[Any]:
    """Create (and by default start) a labelled container from the base image; removed after the test."""
    made: list[Any] = []

    def make(
        command: list[str] | str = "sleep 300",
        *,
        start: bool = True,
        name: str | None = None,
        image: str | None = None,
        **kwargs: Any,
    ) -> Any:
        labels = {**LABELS, **kwargs.pop("labels", {})}
        ctr = client.containers.create(
            image or base_image, command, name=name or unique(), labels=labels, **kwargs
        )
        made.append(ctr)
        if start:
            ctr.start()
            ctr.reload()
        return ctr

    yield make
    for ctr in made:
        with contextlib.suppress(docker.errors.NotFound):
            ctr.remove(force=True, v=True)


@pytest.fixture
def dangling(client: docker.DockerClient, base_image: str, case: Case, tmp_path: Path) -> tuple[str, str]:
    """Two labelled builds under one tag: the first is left dangling. Returns (dangling id, tagged id)."""
    tag = f"{unique('prune')}:latest"
    old = build_labelled(client, base_image, case, tmp_path, "old")
    client.images.get(old).tag(tag)
    new = build_labelled(client, base_image, case, tmp_path, "new")
    client.images.get(new).tag(tag)  # the tag moves: `old` is dangling now
    return old, new


# --- pytest-docker: a compose-defined service dkr did not create ----------------------------------------


@pytest.fixture(scope="session")
def docker_compose_command() -> str:
    return "docker-compose"  # Debian's compose v1


@pytest.fixture(scope="session")
def docker_compose_file(base_image: str) -> str:
    os.environ["DKR_TEST_BASE"] = base_image
    return str(HERE / "compose" / "docker-compose.yml")


@pytest.fixture(scope="session")
def docker_compose_project_name() -> str:
    return f"dkrtest{SESSION}"


@pytest.fixture(scope="session")
def docker_setup() -> list[str]:
    return ["up --build -d"]


@pytest.fixture(scope="session")
def docker_cleanup() -> list[str]:
    return ["down -v --rmi local -t 1"]


# --- a private registry (Debian's docker-registry on 127.0.0.1:<free port>) ------------------------------


@pytest.fixture(scope="session")
def registry() -> Iterator[Registry]:
    """A registry without auth, for this run alone; its storage is deleted at the end."""
    with Registry() as reg:
        yield reg


@pytest.fixture(scope="session")
def auth_registry() -> Iterator[Registry]:
    """A registry with htpasswd auth (user `dkr`, password `dkr-test-secret`)."""
    with Registry(users={"dkr": "dkr-test-secret"}) as reg:
        yield reg
