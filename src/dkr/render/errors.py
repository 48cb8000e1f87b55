"""The words of every error: `describe(exc)` gives the `dkr: error:` line and the optional hint line.

The Engine boundary raises typed failures that carry data (dkr.errors); this module is where they become
sentences, so a change of wording is made here and nowhere else. dkr's own errors (usage errors, files it
cannot read) carry their sentence and pass through as they are. No rich here: cli.main() calls this on
every failure, including those of the fastest commands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from dkr.errors import (
    BuildError,
    BuildWithoutImage,
    CommandNotFound,
    CommandNotInvokable,
    ContainerActive,
    CreateFailed,
    CredentialHelperFailed,
    DkrError,
    DockerfileRejected,
    EngineError,
    EngineLost,
    EngineTimeout,
    EngineTooOld,
    EngineUnreachable,
    ImageNotLocal,
    ImageRefused,
    ImageStillMissing,
    InitUnavailable,
    NameInUse,
    NameTaken,
    NoSuchImage,
    NoSuchObject,
    NotAnEngine,
    NotReady,
    NotSwarmManager,
    OnSeveralEngines,
    PortInUse,
    PortUnavailable,
    PullFailed,
    RegistryProblem,
    RolledBack,
    ServiceNotReady,
    StartFailed,
    StopFailed,
    SwarmProblem,
    SwarmRefused,
    TlsFileUnreadable,
    TransferFailed,
    Unreachable,
    WaitFailed,
)

if TYPE_CHECKING:
    from dkr.hosts import Endpoint

Words = tuple[str, str | None]
X = TypeVar("X", bound=DkrError)

_DESCRIBERS: dict[type[DkrError], Callable[[Any], Words]] = {}


def _describes(cls: type[X]) -> Callable[[Callable[[X], Words]], Callable[[X], Words]]:
    def register(fn: Callable[[X], Words]) -> Callable[[X], Words]:
        _DESCRIBERS[cls] = fn
        return fn

    return register


def describe(exc: DkrError) -> Words:
    """The error line (without `dkr: error: `) and the hint line (or None) for `exc`."""
    for cls in type(exc).__mro__:
        fn = _DESCRIBERS.get(cls)
        if fn is not None:
            return fn(exc)
    return exc.message, exc.hint


def message(exc: DkrError) -> str:
    """The error line alone (for a line that names its object first: `cannot stop 'web': ...`)."""
    return describe(exc)[0]


def _prefixed(operation: str, text: str) -> str:
    return f"cannot {operation}: {text}" if operation else text


# --- reaching the Engine ------------------------------------------------------------------------------------

TLS_UNTRUSTED = "TLS: the Engine's certificate is not trusted"
TLS_CLIENT_CERT_REQUIRED = "TLS: the Engine requires a client certificate and none was presented"
TLS_CLIENT_CERT_REFUSED = "TLS: the Engine refused the client certificate"
TLS_NOT_TLS = "TLS handshake failed: the endpoint does not speak TLS"
TLS_CLOSED = "TLS handshake failed: the endpoint closed the connection"


def unreachable_reason(reason: Unreachable, detail: str = "") -> str:
    """What went wrong, as the end of `cannot connect to the Docker Engine at X: ...`."""
    if reason is Unreachable.TLS_UNTRUSTED:
        return f"{TLS_UNTRUSTED} ({detail})"
    if reason is Unreachable.TLS_CLIENT_CERT_REQUIRED:
        return TLS_CLIENT_CERT_REQUIRED
    if reason is Unreachable.TLS_CLIENT_CERT_REFUSED:
        return f"{TLS_CLIENT_CERT_REFUSED} ({detail})"
    if reason is Unreachable.TLS_NOT_TLS:
        return TLS_NOT_TLS
    if reason is Unreachable.TLS_CLOSED:
        return f"{TLS_CLOSED} ({detail})" if detail else TLS_CLOSED
    if reason is Unreachable.TLS_CLOSED_NO_CERT:
        return f"{TLS_CLOSED} (it may require a client certificate; none was presented)"
    if reason is Unreachable.TLS_OTHER:
        return f"TLS error: {detail}"
    if reason is Unreachable.SSH:
        return detail
    if reason is Unreachable.EXPECTS_TLS:
        return "it expects TLS"
    return str(reason.value)


def _tls_files(endpoint: Endpoint) -> str:
    return "the context's TLS files" if endpoint.source.startswith("context") else "DOCKER_CERT_PATH"


def _unreachable_hint(endpoint: Endpoint, reason: Unreachable) -> str:
    if reason is Unreachable.PERMISSION_DENIED:
        return "Add your user to the 'docker' group (then log in again), or run with sudo."
    if reason is Unreachable.TLS_UNTRUSTED:
        ca = endpoint.tls.ca_cert if endpoint.tls and endpoint.tls.ca_cert else "the CA file"
        return f"Check {_tls_files(endpoint)}: {ca} must be the CA that signed the Engine's certificate."
    no_cert = (Unreachable.TLS_CLIENT_CERT_REQUIRED, Unreachable.TLS_CLOSED_NO_CERT)
    if reason in no_cert and endpoint.tls and endpoint.tls.folder and not endpoint.tls.client_cert:
        return (
            f"Put a client certificate signed by the Engine's CA in {endpoint.tls.folder} as cert.pem, "
            "with its key as key.pem."
        )
    if reason in (*no_cert, Unreachable.TLS_CLIENT_CERT_REFUSED, Unreachable.TLS_CLOSED):
        return (
            f"Check {_tls_files(endpoint)}: cert.pem and key.pem must be a client certificate from the "
            "Engine's CA."
        )
    if reason is Unreachable.TLS_NOT_TLS:
        return "For a plain-HTTP Engine unset DOCKER_TLS_VERIFY and DOCKER_TLS; otherwise check the port."
    if reason is Unreachable.EXPECTS_TLS:
        return (
            "Set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH (the directory with ca.pem, cert.pem and key.pem), "
            "or use a docker context with TLS."
        )
    if endpoint.url.startswith("ssh://"):
        from dkr.hosts import ssh_target

        command = ssh_target(endpoint.url, endpoint.source).check_command()
        return f"Check that '{command}' works without a prompt (key authentication, known host key)."
    if endpoint.url.startswith("unix://"):
        return "Is dockerd running? Check -H/--host, DOCKER_HOST and the current docker context."
    return "Check that the Engine is up and reachable, and -H/--host, DOCKER_HOST or the docker context."


@_describes(EngineUnreachable)
def _unreachable(exc: EngineUnreachable) -> Words:
    ep = exc.endpoint
    return (
        f"cannot connect to the Docker Engine at {ep.describe()}: "
        + unreachable_reason(exc.reason, exc.detail)
        + _presented(ep, exc.reason),
        _unreachable_hint(ep, exc.reason),
    )


def _presented(endpoint: Endpoint, reason: Unreachable) -> str:
    """What dkr presented in a TLS handshake that failed over the client certificate: the certificate it
    sent, or where it looked for one and found none (the usual mistake: a folder with ca.pem only)."""
    tls = endpoint.tls
    if tls is None:
        return ""
    if reason in (Unreachable.TLS_CLIENT_CERT_REFUSED, Unreachable.TLS_CLOSED) and tls.client_cert:
        return f"; presented {tls.client_cert[0]}"
    if reason in (Unreachable.TLS_CLIENT_CERT_REQUIRED, Unreachable.TLS_CLOSED_NO_CERT) and tls.folder:
        return f"; no cert.pem and key.pem in {tls.folder}"
    return ""


#: what a lost connection leaves behind, by what was in progress
_BACK = "dkr ps -a shows it once the Engine is back."
_AFTERMATH = {
    "build": "The build did not finish: no image was tagged. Check the Engine (dkr version), build again.",
    "create the container": f"The container may have been created: {_BACK}",
    "start the container": f"The container may be running: {_BACK}",
    "attach to the container": f"The container may be running: {_BACK}",
    "read the container's exit code": f"The container may still be running: {_BACK}",
    "wait for the container": f"The container may still be running: {_BACK}",
    "read the log stream": "The container itself is not affected: dkr logs again once the Engine is back.",
}


@_describes(EngineLost)
def _lost(exc: EngineLost) -> Words:
    during = f" while trying to {exc.operation}" if exc.operation else ""
    return (
        f"the Engine connection was lost{during}: {unreachable_reason(exc.reason, exc.detail)}",
        _AFTERMATH.get(exc.operation, "Check that the Engine is running (dkr version), then try again."),
    )


@_describes(NotAnEngine)
def _not_an_engine(exc: NotAnEngine) -> Words:
    return (
        f"the server at {exc.endpoint.describe()} is not a Docker Engine: {exc.detail}",
        "Check that -H/--host, DOCKER_HOST or the docker context name the Engine's socket or port "
        "(a TLS port also needs DOCKER_TLS_VERIFY).",
    )


@_describes(EngineTooOld)
def _too_old(exc: EngineTooOld) -> Words:
    return (
        f"the Engine at {exc.endpoint.describe()} speaks API {exc.api_version}; dkr needs {exc.minimum} "
        "(Docker Engine 20.10) or newer",
        None,
    )


@_describes(TlsFileUnreadable)
def _tls_file(exc: TlsFileUnreadable) -> Words:
    return (
        f"cannot read TLS file {exc.path} for {exc.endpoint.describe()}: {exc.reason}",
        "DOCKER_CERT_PATH (default ~/.docker) must hold ca.pem, cert.pem and key.pem.",
    )


@_describes(EngineTimeout)
def _timeout(exc: EngineTimeout) -> Words:
    return _prefixed(exc.operation, f"the Engine at {exc.endpoint.describe()} did not answer in time"), None


# --- the Engine's refusals ----------------------------------------------------------------------------------


@_describes(EngineError)
def _engine_error(exc: EngineError) -> Words:
    return _prefixed(exc.operation, exc.engine_message), None


@_describes(NoSuchObject)
def _no_such(exc: NoSuchObject) -> Words:
    # the Engine's own line names the kind and the reference ("no such container: web")
    return _prefixed(exc.operation, exc.engine_message or f"no such {exc.kind}: {exc.ref}"), None


@_describes(NoSuchImage)
def _no_such_image(exc: NoSuchImage) -> Words:
    line = exc.engine_message or f"no such image: {exc.ref}"
    if exc.operation == "read its layers":
        return line, "dkr layers reads local images: build or pull it first."
    return _prefixed(exc.operation, line), None


@_describes(OnSeveralEngines)
def _on_several(exc: OnSeveralEngines) -> Words:
    names = ", ".join(exc.engines[:-1]) + " and " + exc.engines[-1]
    return f"it is on {len(exc.engines)} Engines, {names}: nothing was done (name one with -c)", None


@_describes(ContainerActive)
def _active(exc: ContainerActive) -> Words:
    return f"container is {exc.state}: stop it first, or use -f to force it", None


# --- dkr run ------------------------------------------------------------------------------------------------


@_describes(NameInUse)
def _name_in_use(exc: NameInUse) -> Words:
    return (
        f"the container name '{exc.name}' is already in use by container {exc.holder[:12]}",
        f"Remove that container (dkr rm -f {exc.name}) or choose another --name.",
    )


@_describes(PortInUse)
def _port_in_use(exc: PortInUse) -> Words:
    if exc.by_container:
        return (
            f"cannot start container: host port {exc.address} is already in use (by another container)",
            "Publish on another host port (-p OTHER:PORT), or stop the container that holds it.",
        )
    return (
        f"cannot start container: host port {exc.address} is already in use",
        "Publish on another host port (-p OTHER:PORT), or stop whatever listens there.",
    )


@_describes(PortUnavailable)
def _port_unavailable(exc: PortUnavailable) -> Words:
    return f"cannot start container: cannot publish on {exc.address}: {exc.reason}", None


@_describes(CommandNotFound)
def _command_not_found(exc: CommandNotFound) -> Words:
    if not exc.command:
        return f"cannot start container: {exc.engine_message}", None
    where = "in the image's PATH" if exc.in_path else "in the image"
    return f"command not found: '{exc.command}' does not exist {where}", None


@_describes(CommandNotInvokable)
def _not_invokable(exc: CommandNotInvokable) -> Words:
    if not exc.command:
        return f"cannot start container: {exc.engine_message}", None
    why = "it is a directory" if exc.is_directory else "permission denied: not an executable file"
    return f"command cannot be invoked: '{exc.command}' ({why})", None


@_describes(InitUnavailable)
def _init_unavailable(exc: InitUnavailable) -> Words:
    return (
        f"cannot run container with --init: {exc.engine_message}",
        "The Engine has no init binary (Podman: install catatonit); run without --init (dkr up: --no-init).",
    )


@_describes(CreateFailed)
def _create_failed(exc: CreateFailed) -> Words:
    return f"cannot create container: {exc.engine_message}", None


@_describes(StartFailed)
def _start_failed(exc: StartFailed) -> Words:
    return f"cannot start container: {exc.engine_message}", None


@_describes(TransferFailed)
def _transfer_failed(exc: TransferFailed) -> Words:
    line = f"cannot {exc.verb} {exc.ref}: {exc.engine_message}"
    login = "dkr login" if exc.registry in ("", "docker.io") else f"dkr login {exc.registry}"
    hints = {
        RegistryProblem.AUTH: f"The registry wants credentials it did not get or accept: {login}.",
        RegistryProblem.NOT_LOCAL: "There is no such image here: build it with -t, or dkr tag IMAGE "
        f"{exc.ref}, then push.",
        RegistryProblem.NOT_IN_REGISTRY: "Check the name and tag (dkr pull --all-tags NAME fetches every "
        "tag the registry has).",
        RegistryProblem.UNREACHABLE: f"Check that the registry {exc.registry} runs and that this Engine can "
        "reach it (plain HTTP only for 127.0.0.0/8 and --insecure-registry).",
    }
    return line, hints.get(exc.problem)


@_describes(PullFailed)
def _pull_failed(exc: PullFailed) -> Words:
    return (
        f"cannot pull image '{exc.ref}': {exc.engine_message}",
        "Check the name and that the registry is reachable, or build the image locally.",
    )


@_describes(ImageRefused)
def _image_refused(exc: ImageRefused) -> Words:
    return f"cannot use image '{exc.ref}': {exc.engine_message}", None


@_describes(ImageNotLocal)
def _image_not_local(exc: ImageNotLocal) -> Words:
    hint = (
        "Build or pull it first, or run with --pull missing."
        if exc.policy == "never"
        else "Check the image name or id."
    )
    return f"no such image locally: {exc.ref}", hint


@_describes(ImageStillMissing)
def _still_missing(exc: ImageStillMissing) -> Words:
    return f"image '{exc.ref}' is still missing after the pull", None


@_describes(WaitFailed)
def _wait_failed(exc: WaitFailed) -> Words:
    return f"waiting for the container failed: {exc.engine_message}", None


@_describes(NotReady)
def _not_ready(exc: NotReady) -> Words:
    name = exc.container
    if exc.why == "exited":
        code = exc.container_exit_code
        how = f"exited with code {code}" if code is not None else "exited"
        line = f"container {name} {how} before it was ready"
    elif exc.why == "unhealthy":
        line = f"container {name} reported unhealthy"
    else:
        what = (
            f"its health is still '{exc.health}'"
            if exc.health is not None
            else f"{', '.join(exc.pending)} did not answer"
        )
        line = f"container {name} was not ready after {exc.timeout:g}s: {what}"
    hint = "dkr removed it; its last output is above." if exc.removed else "Its last output is above."
    if exc.timed_out:
        hint += " Raise --wait-timeout if it needs longer."
    return line, hint


@_describes(ServiceNotReady)
def _service_not_ready(exc: ServiceNotReady) -> Words:
    where = f" on node {exc.node}" if exc.node else ""
    hint = f"dkr service ps {exc.service} lists its tasks; dkr service logs {exc.service} shows their output."
    if exc.removed:
        hint = "dkr removed the service it created; with -d it is kept for dkr service ps."
    if exc.why == "timeout":
        if not exc.task:
            line = f"service {exc.service} was not ready after {exc.timeout:g}s: no task was scheduled"
        else:
            what = f"waiting for {exc.waiting_for}" if exc.waiting_for else exc.state
            line = (
                f"service {exc.service} was not ready after {exc.timeout:g}s ({exc.running}/{exc.wanted} "
                f"ready): task {exc.task}{where} is {what}"
            )
            if exc.error:
                line += f": {exc.error}"
        return line, hint + " Raise --wait-timeout if it needs longer."
    if not exc.node and exc.state:  # the update itself paused or rolled back
        return f"service {exc.service}: update {exc.state.replace('_', ' ')}: {exc.error}", hint
    line = f"service {exc.service}: task {exc.task}{where} {exc.state or 'failed'}"
    return (line + f": {exc.error}" if exc.error else line), hint


# --- dkr up -------------------------------------------------------------------------------------------------


@_describes(NameTaken)
def _name_taken(exc: NameTaken) -> Words:
    if exc.kind == "service":
        return (
            f"the name '{exc.name}' is taken by service {exc.holder[:12]}, which dkr up did not create",
            f"dkr up rolls out only its own services: remove that one (dkr service rm {exc.name}), choose "
            "another --name, or pass --replace to roll it out anyway.",
        )
    return (
        f"the name '{exc.name}' is taken by container {exc.holder[:12]}, which dkr up did not create",
        f"dkr up replaces only its own containers: remove that one (dkr rm -f {exc.name}), choose another "
        "--name, or pass --replace to replace it.",
    )


@_describes(StopFailed)
def _stop_failed(exc: StopFailed) -> Words:
    return f"cannot stop {exc.name} ({exc.container_id[:12]}) to replace it: {message(exc.cause)}", None


@_describes(NotSwarmManager)
def _not_swarm_manager(exc: NotSwarmManager) -> Words:
    where = "is in no swarm" if exc.state in ("", "inactive") else f"is not a Swarm manager ({exc.state})"
    return (
        f"dkr up --replicas rolls out a Swarm service, and this Engine {where}",
        "Point -H/--context at a Swarm manager, or drop --replicas to run one container on this Engine.",
    )


@_describes(RolledBack)
def _rolled_back(exc: RolledBack) -> Words:
    return rollback_words(exc.service, exc.image, exc.task, exc.node, exc.error, exc.reason)


def rollback_words(service: str, image: str, task: str, node: str, error: str, reason: str) -> Words:
    """`rolled back to <old image>: <why>`: the failed task, its node and its error, else the Engine's
    reason."""
    if task:
        why = f"task {task}" + (f" on node {node}" if node else "") + " failed"
        why += f": {error}" if error else ""
    else:
        why = reason or "the update failed"
    return (
        f"service {service} rolled back to {image}: {why}",
        f"It still runs the previous version. dkr service ps {service} lists the failed tasks; "
        f"dkr service logs {service} shows their output.",
    )


# --- builds -------------------------------------------------------------------------------------------------


@_describes(BuildError)
def _build_error(exc: BuildError) -> Words:
    failure = exc.failure
    if failure.index == 0:
        return f"the build failed: {failure.message}", None
    where = f"step {failure.index}/{failure.total} `{failure.instruction}`"
    words = failure.instruction.split()
    keyword = words[0].upper() if words else ""
    if failure.exit_code is not None:
        hint = None
        if failure.last_layer:
            layer = failure.last_layer
            hint = f"To debug, start a shell in the layer before it: dkr run --rm -it {layer} sh"
        return f"{where} failed with exit code {failure.exit_code}", hint
    if keyword == "FROM":
        image = words[1] if len(words) > 1 else "the image"
        if exc.pulling:
            return (
                f"{where} failed: --pull could not pull {image}: {failure.message}",
                "Leave out --pull to build from the image that is present locally.",
            )
        return (
            f"{where} failed: {image} is not present locally and could not be pulled: {failure.message}",
            f"Build or load {image} first (docker images lists what is present), or fix its name.",
        )
    return f"{where} failed: {failure.message}", None


@_describes(DockerfileRejected)
def _dockerfile_rejected(exc: DockerfileRejected) -> Words:
    return f"invalid Dockerfile ({exc.dockerfile}): {exc.detail}", None


@_describes(BuildWithoutImage)
def _without_image(exc: BuildWithoutImage) -> Words:
    return "the Engine ended the build without an image id", None


# --- registry credentials -----------------------------------------------------------------------------------


@_describes(CredentialHelperFailed)
def _helper_failed(exc: CredentialHelperFailed) -> Words:
    return (
        f"cannot {exc.action} the credentials for {exc.server} with docker-credential-{exc.helper}: "
        f"{exc.detail}",
        "Check the credsStore / credHelpers of the docker config.json, and that the helper is on PATH.",
    )


# --- swarm --------------------------------------------------------------------------------------------------

_NOT_A_MANAGER = "this node is not a swarm manager"
_SWARM_WORDS: dict[SwarmProblem, Words] = {
    SwarmProblem.NOT_IN_SWARM: (
        "this node is not part of a swarm",
        "Use 'dkr swarm init' to start one, or 'dkr swarm join' to join one.",
    ),
    SwarmProblem.NOT_A_MANAGER: (
        f"{_NOT_A_MANAGER}: it is not part of a swarm",
        "Use 'dkr swarm init' or 'dkr swarm join' to connect it to a swarm, or -H to ask a manager.",
    ),
    SwarmProblem.WORKER: (
        f"{_NOT_A_MANAGER}: a worker cannot show or change the cluster's state",
        "Run the command on a manager node (-H, or a docker context).",
    ),
    SwarmProblem.MANAGER_NOT_READY: (
        f"{_NOT_A_MANAGER} yet: its manager is starting or cannot reach the cluster",
        "Try again in a moment; if it persists, check the connection between the managers.",
    ),
    SwarmProblem.ALREADY_IN_SWARM: (
        "this node is already part of a swarm",
        "Use 'dkr swarm leave' to leave that swarm before you init or join another.",
    ),
    SwarmProblem.LOCKED: (
        "the swarm is encrypted and locked: it must be unlocked before it can be used",
        "Unlock it with 'docker swarm unlock' (dkr has no unlock).",
    ),
    SwarmProblem.JOIN_TIMEOUT: (
        "the node had not joined when the Engine stopped waiting: it goes on trying in the background",
        "'dkr node ls' on a manager shows it once it has joined.",
    ),
    SwarmProblem.CERTIFICATES_EXPIRED: (
        "the swarm certificates of this node have expired",
        "To replace them, leave the swarm (dkr swarm leave -f) and join it again.",
    ),
}


@_describes(SwarmRefused)
def _swarm_refused(exc: SwarmRefused) -> Words:
    if exc.problem is SwarmProblem.LEAVING_MANAGER:
        why = exc.detail.rstrip(". ")
        return (
            "this node is a swarm manager" + (f": {why[0].lower()}{why[1:]}" if why else ""),
            "Use 'dkr swarm leave --force' to leave anyway.",
        )
    # the node's state says it all: no "cannot list nodes: " before it
    return _SWARM_WORDS[exc.problem]
