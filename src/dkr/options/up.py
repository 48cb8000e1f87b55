"""Pure: `dkr up`'s names and option checks. The container's name comes from the folder unless given, the
image's from the container's; the ports to publish when no -p is given.

Standard library only, no I/O: the command hands in the current folder and the environment.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from dkr.errors import UsageError
from dkr.grammars.mounts import check_distinct, parse_volumes
from dkr.grammars.ports import parse_publish_specs, publish_all, publish_ip, with_default_ip
from dkr.models.build import BuildRequest
from dkr.models.run import PortMapping, PublishedPort, RunSpec
from dkr.models.up import SwarmUpRequest, UpRequest
from dkr.options.build import parse_tag
from dkr.options.run import MAX_WAIT_SECONDS, check_name, parse_labels

if TYPE_CHECKING:
    from dkr.options.service import ServiceOptions

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


# --- dkr up --replicas: a Swarm service ---------------------------------------------------------------------

#: the registry `dkr up --replicas` pushes to when --registry is not given
REGISTRY_ENV = "DKR_REGISTRY"
#: how many hex digits of the image id make the content-derived tag (as docker shortens an id)
TAG_DIGITS = 12
#: how long the Swarm watches each updated task for a failure before it counts the update of it done
#: (docker's default): a task that exits within it makes the Engine roll the whole update back
UPDATE_MONITOR = "5s"
#: SIGTERM, then this long before SIGKILL: the tasks run under an init (as dkr up's containers), so a server
#: that ignores SIGTERM as PID 1 still stops at once; the grace only bounds one that hangs on purpose
STOP_GRACE_PERIOD = "2s"


def swarm_registry(flag: str | None, environ: Mapping[str, str]) -> str:
    """The registry every node pulls the image from: --registry, else DKR_REGISTRY; a usage error naming
    both when neither is set, or when it is not a registry host (`HOST[:PORT]`)."""
    from dkr.grammars.reference import is_domain
    from dkr.options.common import shown

    value = (flag if flag is not None else environ.get(REGISTRY_ENV, "")).strip().rstrip("/")
    if not value:
        raise UsageError(
            f"--replicas needs a registry every node can pull from: give --registry HOST:PORT or set "
            f"{REGISTRY_ENV}",
            "up",
        )
    if not is_domain(value):
        raise UsageError(f"invalid --registry {shown(value)}: expected a registry host, HOST[:PORT]", "up")
    return value


def parse_up_replicas(value: str) -> int:
    from dkr.options.numbers import parse_int

    return parse_int(value, "--replicas", "up", minimum=1, maximum=2**31 - 1)


def swarm_request(
    request: UpRequest,
    *,
    registry: str,
    replicas: int | None,
    publish: Iterable[str],
    wait_timeout: float | None = None,
) -> SwarmUpRequest:
    """The one-host request turned into a service rollout. `-p` is read as `docker service create -p` (the
    Swarm publishes on every interface of a node: no IP in the spec), checked now (exit 2). Without
    --wait-timeout (`wait_timeout` None) the wait is `dkr service`'s default, 120 s: a rollout pulls on
    every node and replaces the tasks one at a time."""
    from dkr.grammars.ports import parse_service_publish
    from dkr.options.service import DEFAULT_WAIT_SECONDS

    specs = tuple(publish)
    for spec in specs:
        parse_service_publish(spec, "up")
    if request.run.binds or request.run.volumes:
        raise UsageError("-v cannot be used with --replicas: a host folder is not on every node", "up")
    return SwarmUpRequest(
        build=request.build,
        name=request.run.name or "",
        registry=registry,
        replicas=replicas,
        publish=specs,
        labels=dict(request.run.labels),
        init=request.run.init,
        wait_timeout=DEFAULT_WAIT_SECONDS if wait_timeout is None else wait_timeout,
    )


def content_tag(registry: str, name: str, image_id: str) -> str:
    """`REGISTRY/NAME:<the first 12 hex digits of the image id>`: the same build gives the same tag, an edit
    a new one (`127.0.0.1:5000`, `web`, `sha256:3f2a...` -> `127.0.0.1:5000/web:3f2a...`)."""
    digits = image_id.removeprefix("sha256:")[:TAG_DIGITS]
    if len(digits) != TAG_DIGITS or any(c not in "0123456789abcdef" for c in digits):
        raise ValueError(f"not an image id: {image_id!r}")
    repo = image_ref(name).removeprefix(IMAGE_NAMESPACE + "/").rsplit(":", 1)[0]
    return parse_tag(f"{registry}/{repo}:{digits}", "up")


def default_service_publish(exposed: Iterable[str]) -> tuple[str, ...]:
    """Every EXPOSEd port (`80/tcp`) published in mode=host on a port the Engine picks on each node: several
    tasks can share a node, and the old and the new task can run side by side during an update."""
    out = []
    for port in exposed:
        number, _, proto = port.partition("/")
        out.append(f"mode=host,target={number},protocol={proto or 'tcp'}")
    return tuple(out)


def _service_options(request: SwarmUpRequest, image: str, publish: Sequence[str]) -> ServiceOptions:
    from dkr.grammars.ports import parse_service_publish
    from dkr.options.service import RolloutFlags, ServiceOptions

    ports = [p for spec in publish for p in parse_service_publish(spec, "up")]
    ingress = any(p["PublishMode"] == "ingress" for p in ports)
    # a fixed host-mode port holds one task per node: the new task cannot start beside the old one there
    fixed_host = any(p["PublishMode"] == "host" and p["PublishedPort"] for p in ports)
    order = "stop-first" if fixed_host else "start-first"
    labels = tuple(f"{k}={v}" for k, v in request.labels.items())
    return ServiceOptions(
        image=image,
        name=request.name,
        replicas=str(request.replicas or 1),
        publish=tuple(publish),
        labels=labels,
        container_labels=labels,
        stop_grace_period=STOP_GRACE_PERIOD,
        # a VIP needs IPVS and only an ingress port needs a VIP: without one, DNS round robin
        endpoint_mode="vip" if ingress else "dnsrr",
        update=RolloutFlags(parallelism="1", failure_action="rollback", monitor=UPDATE_MONITOR, order=order),
        rollback=RolloutFlags(parallelism="1", failure_action="pause", monitor=UPDATE_MONITOR, order=order),
    )


def service_body(request: SwarmUpRequest, image: str, exposed: Iterable[str]) -> dict[str, Any]:
    """The ServiceSpec of a new service (docker service create's, from ServiceOptions): the pinned image,
    the replicas, `-p` or every EXPOSEd port in mode=host, dkr up's labels on the service and its
    containers, an init, and the rollout: one task at a time, the new one started before the old one stops
    (unless a fixed host-mode port forbids two on a node), rolled back by the Engine when one fails."""
    publish = request.publish or default_service_publish(exposed)
    body = _service_options(request, image, publish).spec(lambda _key: None)
    body["TaskTemplate"]["ContainerSpec"]["Init"] = request.init
    return body


def service_change(request: SwarmUpRequest, image: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The update of an existing service: the new image, and the replicas and ports when given; the
    rollout settings made dkr up's again (a service made by hand keeps its other settings)."""
    import copy

    def change(current: dict[str, Any]) -> dict[str, Any]:
        spec = copy.deepcopy(current)
        container = spec.setdefault("TaskTemplate", {}).setdefault("ContainerSpec", {})
        publish = request.publish or tuple(
            f"mode={p.get('PublishMode') or 'ingress'},target={p.get('TargetPort')},"
            f"protocol={p.get('Protocol') or 'tcp'}"
            + (f",published={p['PublishedPort']}" if p.get("PublishedPort") else "")
            for p in (spec.get("EndpointSpec") or {}).get("Ports") or ()
        )
        wanted = _service_options(request, image, publish).spec(lambda _key: None)
        container["Image"] = image
        container["Init"] = request.init
        if request.replicas is not None:
            spec["Mode"] = wanted["Mode"]
        if request.publish:
            spec["EndpointSpec"] = wanted["EndpointSpec"]
        spec["UpdateConfig"] = wanted["UpdateConfig"]
        spec["RollbackConfig"] = wanted["RollbackConfig"]
        return spec

    return change


def pinned(tag: str, digest: str) -> str:
    """`REPO:TAG@DIGEST`, as docker pins a service's image to what the registry served."""
    return f"{tag}@{digest}"


def unpinned(image: str) -> str:
    """A service image without its `@sha256:...` pin, to name it in a sentence."""
    return image.split("@", 1)[0]


def service_registry(image: str) -> str:
    """The registry a service's image comes from (`127.0.0.1:5000/web:3f2a...@sha256:...` ->
    `127.0.0.1:5000`), or "" when it names none: plain `dkr up` rolls a service it made to the same one."""
    from dkr.grammars.reference import InvalidReference, parse, split_docker_domain

    try:
        name = parse(image).name
    except InvalidReference:
        return ""
    domain, _ = split_docker_domain(name)
    return "" if domain == "docker.io" else domain
