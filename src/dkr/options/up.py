"""Pure: `dkr up`'s names and option checks. The container's name comes from the folder unless given, the
image's from the container's; the ports to publish when no -p is given.

Standard library only, no I/O: the command hands in the current folder and the environment.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence

from dkr.errors import UsageError
from dkr.grammars.mounts import check_distinct, parse_volumes
from dkr.grammars.ports import parse_publish_specs, publish_all, publish_ip, with_default_ip
from dkr.models.build import BuildRequest
from dkr.models.run import PortMapping, PublishedPort, RunSpec
from dkr.models.up import UpRequest
from dkr.options.build import parse_tag
from dkr.options.run import MAX_WAIT_SECONDS, check_name, parse_labels

#: the label on every container and image dkr up creates; its value is the container's name. dkr up
#: replaces only a container that carries it (unless --replace).
UP_LABEL = "dkr.up"
#: the repository of the images dkr up builds: `dkr-up/<name>:latest`. A namespace of its own, so that
#: `dkr up` in a folder called `nginx` or `redis` never shadows the real image of that name.
IMAGE_NAMESPACE = "dkr-up"

#: a run of separators in an image path component: docker's reference grammar allows one `.`, one or two
#: `_`, or any number of `-` between letters and digits
_SEPARATORS = re.compile(r"[._-]+")
_VALID_SEPARATOR = re.compile(r"[._]|__|-+")


def derive_name(path: str, cwd: str) -> str:
    """The container name for the context folder `path`: the folder's own name, lowercased, each run of
    characters a container name cannot hold (it holds [a-zA-Z0-9_.-]) or of dashes made one `-`, and
    trimmed to start with a letter or digit. `My App (v2)` -> `my-app-v2`."""
    folder = posixpath.basename(posixpath.normpath(posixpath.join(cwd, path)))
    name = re.sub(r"[^a-z0-9_.]+", "-", folder.lower()).lstrip("_.-").rstrip("-")
    if len(name) < 2:
        shown = folder or "/"
        raise UsageError(
            f"cannot make a container name from the folder name '{shown}' (it needs two or more of "
            "[a-zA-Z0-9_.-], starting with a letter or digit)",
            "up",
            "Name the container with --name NAME.",
        )
    return name


def image_ref(name: str) -> str:
    """`dkr-up/<name>:latest`, the name lowercased and its separators made valid for an image reference
    (`My..App_` -> `dkr-up/my-app:latest`)."""

    def separator(match: re.Match[str]) -> str:
        return match.group() if _VALID_SEPARATOR.fullmatch(match.group()) else "-"

    repo = _SEPARATORS.sub(separator, name.lower()).strip("._-")
    return parse_tag(f"{IMAGE_NAMESPACE}/{repo}:latest", "up")


def up_request(
    path: str,
    *,
    cwd: str,
    environ: Mapping[str, str],
    name: str | None = None,
    dockerfile: str | None = None,
    publish: Iterable[str] = (),
    labels: Iterable[str] = (),
    init: bool = True,
    replace: bool = False,
    wait_timeout: float = 60.0,
    volumes: Iterable[str] = (),
) -> UpRequest:
    """Every `dkr up` option checked and turned into an UpRequest; a bad one raises UsageError (exit 2).
    `labels` go on both the image and the container, with dkr up's own label."""
    if not path.strip():
        raise UsageError("the build context folder is empty ('')", "up")
    if not 0 < wait_timeout <= MAX_WAIT_SECONDS:  # also NaN (the command reads the flag with parse_seconds)
        raise UsageError(
            f"invalid --wait-timeout '{wait_timeout:g}' (a number of seconds above 0, at most "
            f"{MAX_WAIT_SECONDS:.0f})",
            "up",
        )
    container = derive_name(path, cwd) if name is None else str(check_name(name, "up"))
    ip = publish_ip(environ, "up")
    tag = image_ref(container)
    all_labels = {**parse_labels(labels, "up"), UP_LABEL: container}
    binds, anonymous = parse_volumes(volumes, cwd, "up")  # as dkr run -v: `./src:/app/src` from cwd
    check_distinct(binds, (), "up")
    return UpRequest(
        build=BuildRequest(context=path, dockerfile=dockerfile, tags=(tag,), labels=all_labels),
        run=RunSpec(
            image=tag,
            name=container,
            publish=with_default_ip(parse_publish_specs(publish, "up"), ip),
            publish_ip=ip,
            labels=all_labels,
            pull="never",
            init=init,
            binds=binds,
            volumes=anonymous,
        ),
        replace=replace,
        wait_timeout=wait_timeout,
    )


def default_publish(
    exposed: Sequence[str], previous: Iterable[PublishedPort], ip: str
) -> tuple[PortMapping, ...]:
    """The bindings when no -p is given: every port the image EXPOSEs, on `ip` and any free host port, except
    that a port the replaced container published keeps that host address and port, so its URL survives the
    restart. (Of an IPv4/IPv6 wildcard pair on one host port only the IPv4 one is kept: dkr publishes on
    IPv4 unless asked.)"""
    wanted = set(exposed)
    wildcard_v4 = {(p.target, p.host_port) for p in previous if p.host_ip == "0.0.0.0"}
    kept = tuple(
        PortMapping(p.target, p.host_ip, str(p.host_port))
        for p in previous
        if p.target in wanted and not (p.host_ip == "::" and (p.target, p.host_port) in wildcard_v4)
    )
    return publish_all(kept, exposed, ip)
