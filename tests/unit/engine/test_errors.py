"""The Engine's refusals read into typed errors (dkr.engine.errors) with docker's exit codes (docker/cli's
toStatusError), and their words (dkr.render.errors); messages recorded from Engine 20.10."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import docker.errors
import pytest
import requests

from dkr.engine.errors import create_error, from_api_error, no_such, start_error
from dkr.errors import (
    CommandNotInvokable,
    CreateFailed,
    ExitCode,
    InitUnavailable,
    NameInUse,
    NoSuchContainer,
    NoSuchImage,
    NoSuchNetwork,
    NoSuchObject,
    NoSuchVolume,
)
from dkr.render.errors import describe

DATA = Path(__file__).parents[1] / "data"

# --- Engine errors -> exit codes (docker/cli toStatusError) ----------------------------------------

OCI = (
    "failed to create shim task: OCI runtime create failed: runc create failed: "
    "unable to start container process: "
)
DRIVER = "driver failed programming external connectivity on endpoint web (0f): "


@pytest.mark.parametrize(
    ("message", "code", "line"),
    [
        pytest.param(
            OCI + 'exec: "nosuchcmd": executable file not found in $PATH: unknown',
            127,
            "command not found: 'nosuchcmd' does not exist in the image's PATH",
            id="not in PATH",
        ),
        pytest.param(
            OCI + 'exec: "/nonexist/x": stat /nonexist/x: no such file or directory: unknown',
            127,
            "command not found: '/nonexist/x' does not exist in the image",
            id="no such file",
        ),
        pytest.param(
            OCI + 'exec: "/www/index.html": permission denied: unknown',
            126,
            "command cannot be invoked: '/www/index.html' (permission denied: not an executable file)",
            id="not executable",
        ),
        pytest.param(
            OCI + 'exec: "/bin": is a directory: unknown',
            126,
            "command cannot be invoked: '/bin' (it is a directory)",
            id="directory",
        ),
        pytest.param(
            "driver failed programming external connectivity on endpoint web (074f): Error starting userland "
            "proxy: listen tcp4 127.0.0.1:59803: bind: address already in use",
            125,
            "cannot start container: host port 127.0.0.1:59803 is already in use",
            id="port taken by a process",
        ),
        pytest.param(
            DRIVER + "Bind for 127.0.0.1:8080 failed: port is already allocated",
            125,
            "cannot start container: host port 127.0.0.1:8080 is already in use (by another container)",
            id="port taken by a container",
        ),
        pytest.param(
            DRIVER + "Error starting userland proxy: "
            "listen tcp4 10.9.9.9:8080: bind: cannot assign requested address",
            125,
            "cannot start container: cannot publish on 10.9.9.9:8080: cannot assign requested address",
            id="address not on this host",
        ),
        pytest.param(
            DRIVER + "Error starting userland proxy: protocol not supported",
            125,
            "cannot start container: driver failed programming external connectivity on endpoint web (0f): "
            "Error starting userland proxy: protocol not supported",
            id="other",
        ),
    ],
)
def test_start_error(message: str, code: int, line: str) -> None:
    err = start_error(message)
    assert err.exit_code == code
    assert describe(err)[0] == line


def test_start_error_names_the_spec_command_when_the_engine_does_not() -> None:
    err = start_error("permission denied", ("/app/run",))
    assert isinstance(err, CommandNotInvokable) and err.command == "/app/run"
    assert (
        describe(err)[0]
        == "command cannot be invoked: '/app/run' (permission denied: not an executable file)"
    )


def test_create_error_name_in_use_names_the_holder() -> None:
    err = create_error(
        'conflict. The container name "/web" is already in use by container '
        '"9ef2c017d99d28e7e4d4f6b6c6cb96353db8841067672c2f9fb30d927ff383ae". '
        "You have to remove (or rename) that container to be able to reuse that name."
    )
    assert isinstance(err, NameInUse) and (err.name, err.holder[:12]) == ("web", "9ef2c017d99d")
    assert err.exit_code == ExitCode.RUN_FAILED
    assert describe(err) == (
        "the container name 'web' is already in use by container 9ef2c017d99d",
        "Remove that container (dkr rm -f web) or choose another --name.",
    )


def test_create_error_other() -> None:
    err = create_error("no command specified")
    assert isinstance(err, CreateFailed)
    assert (err.exit_code, describe(err)[0]) == (125, "cannot create container: no command specified")


@pytest.mark.parametrize(
    ("message", "cls", "ref"),
    [
        pytest.param("no such container: web", NoSuchContainer, "web", id="container"),
        pytest.param("no such image: app:1", NoSuchImage, "app:1", id="image"),
        pytest.param("network front not found", NoSuchNetwork, "front", id="network"),
        pytest.param("get data: no such volume", NoSuchVolume, "data", id="volume"),
        pytest.param("page not found", NoSuchObject, "", id="other"),
        # Podman 4.3's words for the same 404s (GET …/json and …/history of a missing object)
        pytest.param(
            'no container with name or ID "web" found: no such container',
            NoSuchContainer,
            "web",
            id="podman-container",
        ),
        pytest.param(
            "failed to find image app:1: docker.io/library/app:1: No such image",
            NoSuchImage,
            "app:1",
            id="podman-image",
        ),
        pytest.param(
            "failed to find image docker.io/library/app:1: docker.io/library/app:1: image not known",
            NoSuchImage,
            "docker.io/library/app:1",
            id="podman-image-history",
        ),
        pytest.param(
            "volume with name data not found: no such volume", NoSuchVolume, "data", id="podman-volume"
        ),
        pytest.param(
            f"container {'c' * 64} does not exist in database: no such container",
            NoSuchContainer,
            "c" * 64,
            id="podman-removed-meanwhile",
        ),
        pytest.param(
            "unable to find network with name or ID front: network not found",
            NoSuchNetwork,
            "front",
            id="podman-network",
        ),
    ],
)
def test_no_such_names_the_kind_and_the_reference(message: str, cls: type, ref: str) -> None:
    err = no_such(message)
    assert type(err) is cls and err.ref == ref
    daemons_words = {
        NoSuchContainer: f"no such container: {ref}",
        NoSuchImage: f"no such image: {ref}",
        NoSuchVolume: f"get {ref}: no such volume",
        NoSuchNetwork: f"network {ref} not found",
        NoSuchObject: message,
    }[cls]
    assert describe(err)[0] == daemons_words  # Podman's words are said in the daemon's


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(
            create_error,
            json.loads((DATA / "podman_init_refused.json").read_text())["body"]["message"],
            id="podman-without-catatonit",
        ),
        pytest.param(
            start_error,
            "failed to create shim: OCI runtime create failed: runc create failed: unable to start container "
            'process: exec: "docker-init": executable file not found in $PATH: unknown',
            id="docker-without-docker-init",
        ),
    ],
)
def test_init_binary_missing_is_the_engines_reason_not_the_command(make: Any, message: str) -> None:
    """`run --init` on an Engine without its init binary (recorded from Podman 4.3): not "command not found"
    (exit 127) for the container's command, but the Engine's own reason (125) and what to do."""
    err = make(message, ("echo", "hi"))
    assert isinstance(err, InitUnavailable)
    line, hint = describe(err)
    assert (err.exit_code, line) == (125, f"cannot run container with --init: {message}")
    assert hint is not None and "--init" in hint


def test_podmans_500_about_a_container_removed_meanwhile_is_no_such_container() -> None:
    """`run --rm -d --wait` on Podman 4.3: the container exits and is removed while dkr inspects it, and
    Podman answers 500, not 404 (seen in test_run.py::test_wait_fails_when_the_container_exits[rm])."""
    response = requests.Response()
    response.status_code = 500
    message = f"container {'c' * 64} does not exist in database: no such container"
    err = from_api_error(docker.errors.APIError("500 Server Error", response, explanation=message))
    assert isinstance(err, NoSuchContainer)
