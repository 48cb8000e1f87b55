"""Exit codes and the one family of user-facing errors.

Everything that should reach the user as `dkr: error: ...` is a DkrError; `cli.main()` is the only place that
prints one and turns it into an exit code, with the words `dkr.render.errors.describe()` gives it.

Two kinds live here:
- dkr's own errors (`DkrError`, `UsageError`), raised by option checks, grammars and file reading, carry
  their sentence: the grammar that found the fault is the one that can say it;
- Engine failures (`EngineFailure` and below) are raised only at the Engine boundary (`dkr.engine`), typed
  and complete when raised: they carry data (what, which, the Engine's own message), never wording, which
  `dkr.render.errors` owns. Code outside the boundary decides by type, never by reading a message.

Nothing here is changed after it is raised: a caller whose contract gives another exit code raises a copy
(`with_exit_code`).
"""

from __future__ import annotations

import enum
from enum import IntEnum
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from dkr.hosts import Endpoint
    from dkr.models.build import BuildFailed

E = TypeVar("E", bound="DkrError")


class ExitCode(IntEnum):
    OK = 0
    #: the operation failed: engine error, not found, build failed, engine unreachable
    FAILURE = 1
    #: bad flags or arguments, detected before any Engine call
    USAGE = 2
    #: `dkr run`: the container could not be created or started (docker's 125)
    RUN_FAILED = 125
    #: `dkr run`: the command cannot be invoked (docker's 126)
    CANNOT_INVOKE = 126
    #: `dkr run`: the command was not found (docker's 127)
    COMMAND_NOT_FOUND = 127
    #: interrupted by Ctrl-C (128 + SIGINT)
    INTERRUPTED = 130
    #: terminated by SIGTERM (128 + SIGTERM), after the same clean-up as Ctrl-C
    TERMINATED = 143


class DkrError(Exception):
    """A failure the user should read as one line (plus an optional hint line)."""

    exit_code: int = ExitCode.FAILURE

    def __init__(self, message: str = "", hint: str | None = None, exit_code: int | None = None) -> None:
        super().__init__(message or type(self).__name__)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        if self.message:
            return self.message
        from dkr.render.errors import describe  # a typed failure's words live there (tracebacks, --debug)

        return describe(self)[0]

    def with_exit_code(self: E, code: int) -> E:
        """A copy that exits with `code` (dkr up reports run's 125-127 as its own failure, 1)."""
        copy = type(self).__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy.args = self.args
        copy.exit_code = code
        copy.__cause__ = self.__cause__
        return copy


def printable(text: str) -> str:
    """`text` with what is not printable escaped as Python writes it (`\\n`): a value quoted in an error keeps
    the error on one line."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


class UsageError(DkrError):
    """Bad input: exit 2, raised before any Engine call."""

    exit_code = ExitCode.USAGE

    def __init__(self, message: str, command: str | None = None, hint: str | None = None) -> None:
        if hint is None:
            hint = f"Run 'dkr {command} --help' for usage." if command else "Run 'dkr --help' for usage."
        super().__init__(message, hint)


class OnSeveralEngines(DkrError):
    """A name or id that several of the Engines named (-c a,b) have: dkr acts on none of them."""

    def __init__(self, ref: str, engines: list[str]) -> None:
        super().__init__()
        self.ref = ref
        self.engines = engines


# --- Engine failures: raised at the Engine boundary, data only ----------------------------------------------


class EngineFailure(DkrError):
    """The Engine could not do what dkr asked. `operation` says what dkr was doing, as a verb phrase
    ("list containers"), or "" when the failure speaks for itself."""

    def __init__(self, operation: str = "") -> None:
        super().__init__()
        self.operation = operation


class Unreachable(enum.Enum):
    """Why no Engine answered at an endpoint."""

    NO_SOCKET = "no such socket"
    PERMISSION_DENIED = "permission denied"
    REFUSED = "connection refused"
    CLOSED = "the connection was closed without an answer"
    RESET = "connection reset"
    TIMED_OUT = "timed out"
    UNKNOWN_HOST = "unknown host"
    NO_ANSWER = "no answer"
    #: the Engine's certificate failed verification (detail: OpenSSL's verify message)
    TLS_UNTRUSTED = "tls-untrusted"
    TLS_CLIENT_CERT_REQUIRED = "tls-client-cert-required"
    #: detail: the TLS alert
    TLS_CLIENT_CERT_REFUSED = "tls-client-cert-refused"
    TLS_NOT_TLS = "tls-not-tls"
    TLS_CLOSED = "tls-closed"
    #: a TLS endpoint hung up on a client that presented no certificate: most likely it wants one
    TLS_CLOSED_NO_CERT = "tls-closed-no-cert"
    #: detail: OpenSSL's reason
    TLS_OTHER = "tls-other"
    #: a plain-HTTP request reached the Engine's TLS port
    EXPECTS_TLS = "expects-tls"
    #: detail: ssh's own last words
    SSH = "ssh"
    #: the connection was up, and an answer stopped half-way (a truncated stream, EOF mid-JSON)
    CUT_OFF = "its answer was cut off"


class EngineUnreachable(EngineFailure):
    """No Engine answered at `endpoint` (which also says how it was chosen)."""

    def __init__(self, endpoint: Endpoint, reason: Unreachable, detail: str = "") -> None:
        super().__init__()
        self.endpoint = endpoint
        self.reason = reason
        self.detail = detail


class EngineLost(EngineFailure):
    """The Engine answered earlier in this command, then the connection broke while `operation` was in
    progress: the work may be half done (what that means depends on the operation)."""

    def __init__(self, endpoint: Endpoint, operation: str, reason: Unreachable, detail: str = "") -> None:
        super().__init__(operation)
        self.endpoint = endpoint
        self.reason = reason
        self.detail = detail


class NotAnEngine(EngineUnreachable):
    """Some other server answered at the endpoint; `detail` says what it answered."""

    def __init__(self, endpoint: Endpoint, detail: str) -> None:
        super().__init__(endpoint, Unreachable.NO_ANSWER, detail)


class EngineTooOld(EngineFailure):
    def __init__(self, endpoint: Endpoint, api_version: str, minimum: str) -> None:
        super().__init__()
        self.endpoint = endpoint
        self.api_version = api_version
        self.minimum = minimum


class TlsFileUnreadable(EngineFailure):
    def __init__(self, endpoint: Endpoint, path: str, reason: str) -> None:
        super().__init__()
        self.endpoint = endpoint
        self.path = path
        self.reason = reason


class EngineTimeout(EngineFailure):
    """The Engine did not answer within the request's deadline."""

    def __init__(self, endpoint: Endpoint, operation: str = "") -> None:
        super().__init__(operation)
        self.endpoint = endpoint


class EngineError(EngineFailure):
    """The Engine refused, in its own words (`engine_message`, first letter lowered as docker prints it)."""

    def __init__(self, engine_message: str, operation: str = "") -> None:
        super().__init__(operation)
        self.engine_message = engine_message


class Conflict(EngineError):
    """The Engine refused because of the object's state (HTTP 409)."""


class StreamBroken(EngineError):
    """A streamed answer (logs, build output) ended in an error or could not be read."""


class NoSuchObject(EngineError):
    """No such container / image / network / volume: `kind` and `ref` as the Engine named them."""

    kind = "object"

    def __init__(self, ref: str, engine_message: str, operation: str = "") -> None:
        super().__init__(engine_message, operation)
        self.ref = ref


class NoSuchContainer(NoSuchObject):
    kind = "container"


class NoSuchImage(NoSuchObject):
    kind = "image"


class NoSuchNetwork(NoSuchObject):
    kind = "network"


class NoSuchVolume(NoSuchObject):
    kind = "volume"


class NoSuchService(NoSuchObject):
    kind = "service"


#: any "no such ..." (the Engine's 404)
NotFound = NoSuchObject


class ContainerActive(Conflict):
    """Removal refused without force: the container is `state` (running, paused, restarting)."""

    def __init__(self, ref: str, state: str, engine_message: str = "") -> None:
        super().__init__(engine_message)
        self.ref = ref
        self.state = state


# --- pull and push: the registry side ----------------------------------------------------------------------


class RegistryProblem(enum.Enum):
    """Why a pull or a push failed, as far as the Engine's words tell."""

    #: the registry wants credentials, or refused the ones it got
    AUTH = "auth"
    #: the registry has no such repository, tag or manifest
    NOT_IN_REGISTRY = "not-in-registry"
    #: the image to push is not here (no such local tag)
    NOT_LOCAL = "not-local"
    #: the registry did not answer (refused, no such host, timed out, spoke HTTP to HTTPS)
    UNREACHABLE = "unreachable"
    OTHER = "other"


class TransferFailed(EngineError):
    """`dkr pull` / `dkr push` failed: `verb` is "pull" or "push", `ref` the reference, `registry` its
    registry's host (for the login hint), `problem` the kind of failure (exit 1)."""

    def __init__(
        self, verb: str, ref: str, registry: str, problem: RegistryProblem, engine_message: str
    ) -> None:
        super().__init__(engine_message)
        self.verb = verb
        self.ref = ref
        self.registry = registry
        self.problem = problem


# --- dkr run: the container could not be created or started (docker's 125, 126, 127) ----------------------


class RunFailure(EngineError):
    """The container was not created or did not start (docker run's 125)."""

    exit_code = ExitCode.RUN_FAILED


class NameInUse(RunFailure):
    def __init__(self, name: str, holder: str, engine_message: str = "") -> None:
        super().__init__(engine_message)
        self.name = name
        self.holder = holder


class PortInUse(RunFailure):
    """The host port is taken: by another container (`by_container`) or by something else listening."""

    def __init__(self, address: str, by_container: bool, engine_message: str = "") -> None:
        super().__init__(engine_message)
        self.address = address
        self.by_container = by_container


class InitUnavailable(RunFailure):
    """`--init`: the Engine has no init binary to run (Podman's catatonit, Docker's docker-init)."""


class PortUnavailable(RunFailure):
    """The Engine could not listen on `address` for another `reason` (the OS's words)."""

    def __init__(self, address: str, reason: str, engine_message: str = "") -> None:
        super().__init__(engine_message)
        self.address = address
        self.reason = reason


class CommandNotFound(RunFailure):
    """The command does not exist in the image (`in_path`: looked up in its PATH)."""

    exit_code = ExitCode.COMMAND_NOT_FOUND

    def __init__(self, command: str, in_path: bool, engine_message: str = "") -> None:
        super().__init__(engine_message)
        self.command = command
        self.in_path = in_path


class CommandNotInvokable(RunFailure):
    """The command exists but cannot run: a directory, or no permission to execute it."""

    exit_code = ExitCode.CANNOT_INVOKE

    def __init__(self, command: str, is_directory: bool, engine_message: str = "") -> None:
        super().__init__(engine_message)
        self.command = command
        self.is_directory = is_directory


class CreateFailed(RunFailure):
    """The Engine would not create the container, for a reason not named above."""


class StartFailed(RunFailure):
    """The container was created but did not start, for a reason not named above."""


class PullFailed(RunFailure):
    def __init__(self, ref: str, engine_message: str) -> None:
        super().__init__(engine_message)
        self.ref = ref


class ImageRefused(RunFailure):
    """The Engine would not look the image up (a malformed reference, say)."""

    def __init__(self, ref: str, engine_message: str) -> None:
        super().__init__(engine_message)
        self.ref = ref


class ImageNotLocal(RunFailure):
    """The image is not here and the pull policy (`never`, or an image id) does not fetch it."""

    def __init__(self, ref: str, policy: str) -> None:
        super().__init__("")
        self.ref = ref
        self.policy = policy


class ImageStillMissing(RunFailure):
    def __init__(self, ref: str) -> None:
        super().__init__("")
        self.ref = ref


class WaitFailed(RunFailure):
    """The Engine reported an error instead of the container's exit code."""


class StopFailed(EngineFailure):
    """A container that had to be stopped first (dkr up replacing it) did not stop."""

    def __init__(self, name: str, container_id: str, cause: DkrError) -> None:
        super().__init__()
        self.name = name
        self.container_id = container_id
        self.cause = cause


class NameTaken(EngineFailure):
    """dkr up: the name belongs to a container (or, `kind` "service", a Swarm service) dkr up did not
    create."""

    def __init__(self, name: str, holder: str, kind: str = "container") -> None:
        super().__init__()
        self.name = name
        self.holder = holder
        self.kind = kind


class NotReady(EngineFailure):
    """--wait gave up: the container exited, reported unhealthy, or did not answer in time (exit 1).
    `why` is "exited", "unhealthy" or "timeout"; `logs` its last output lines; `removed` is true once dkr
    removed it."""

    def __init__(
        self,
        container: str,
        why: str,
        *,
        logs: tuple[str, ...] = (),
        exit_code: int | None = None,
        timeout: float = 0.0,
        health: str | None = None,
        pending: tuple[str, ...] = (),
        removed: bool = False,
    ) -> None:
        super().__init__()
        self.container = container
        self.why = why
        self.logs = logs
        self.container_exit_code = exit_code
        self.timeout = timeout
        self.health = health
        self.pending = pending
        self.removed = removed

    @property
    def timed_out(self) -> bool:
        return self.why == "timeout"

    def after_removal(self) -> NotReady:
        """The same failure, once dkr has removed the container."""
        return NotReady(
            self.container, self.why, logs=self.logs, exit_code=self.container_exit_code,
            timeout=self.timeout, health=self.health, pending=self.pending, removed=True,
        )  # fmt: skip


class ServiceNotReady(DkrError):
    """`dkr service create|update|scale --wait`: the service did not become ready. `why` is "failed" (a
    task failed or was rejected, or the update paused or rolled back) or "timeout"; `task`, `node`, `state`
    and `error` name the task that failed, or the first one still not ready at the timeout, and what it
    waited for (`waiting_for`)."""

    def __init__(
        self, service: str, why: str, *, task: str = "", node: str = "", state: str = "", error: str = "",
        waiting_for: str = "", timeout: float = 0.0, running: int = 0, wanted: int = 0, removed: bool = False,
    ) -> None:  # fmt: skip
        super().__init__()
        self.service = service
        self.why = why
        self.task = task
        self.node = node
        self.state = state
        self.error = error
        self.waiting_for = waiting_for
        self.timeout = timeout
        self.running = running
        self.wanted = wanted
        #: dkr removed the service it had just created (create --wait leaves nothing behind)
        self.removed = removed

    def after_removal(self) -> ServiceNotReady:
        """The same failure, once dkr has removed the service it created."""
        copy = self.with_exit_code(self.exit_code)
        copy.removed = True
        return copy


class NotSwarmManager(EngineFailure):
    """`dkr up --replicas` on an Engine that is not a Swarm manager (`state`: its Swarm LocalNodeState,
    "inactive" when it is in no swarm)."""

    def __init__(self, state: str) -> None:
        super().__init__("roll out a service")
        self.state = state


class RolledBack(DkrError):
    """`dkr up`'s update failed and the Engine rolled the service back (update-failure-action rollback):
    `image` is what it runs again; `task`, `node` and `error` the failure that made it roll back, or
    `reason` the Engine's own words when no task is named."""

    def __init__(
        self, service: str, image: str, *, task: str = "", node: str = "", error: str = "", reason: str = ""
    ) -> None:
        super().__init__()
        self.service = service
        self.image = image
        self.task = task
        self.node = node
        self.error = error
        self.reason = reason


# --- builds ---------------------------------------------------------------------------------------------


class BuildError(EngineFailure):
    """The build failed inside the Engine: `failure` has the step, its output and the Engine's message;
    `pulling` is --pull; `hints` the lint hints on the Dockerfile (dkr.build.hints) that dkr build shows
    before the error."""

    def __init__(self, failure: BuildFailed, *, pulling: bool = False, hints: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.failure = failure
        self.pulling = pulling
        self.hints = hints


class BuildWithoutImage(EngineFailure):
    """The build stream ended without saying which image it made."""


class DockerfileRejected(EngineFailure):
    """The Engine could not parse the Dockerfile (`detail`: its words after "dockerfile parse error")."""

    def __init__(self, dockerfile: str, detail: str) -> None:
        super().__init__()
        self.dockerfile = dockerfile
        self.detail = detail


# --- registry credentials -----------------------------------------------------------------------------------


class CredentialHelperFailed(DkrError):
    """A docker credential helper (`docker-credential-<helper>`) failed to `action` (store, get, erase) the
    credentials of `server`; `detail` is what it said (or that it is not installed)."""

    def __init__(self, helper: str, action: str, server: str, detail: str) -> None:
        super().__init__()
        self.helper = helper
        self.action = action
        self.server = server
        self.detail = detail


# --- swarm --------------------------------------------------------------------------------------------------


class NoSuchNode(NoSuchObject):
    kind = "node"


class SwarmProblem(enum.Enum):
    """Why the Engine refused a swarm request, as far as its words tell."""

    #: the node is in no swarm (leave, join-token)
    NOT_IN_SWARM = "not-in-swarm"
    #: a manager's request on a node in no swarm
    NOT_A_MANAGER = "not-a-manager"
    #: a manager's request on a worker
    WORKER = "worker"
    #: a manager's request on a manager that is starting or cannot reach the others
    MANAGER_NOT_READY = "manager-not-ready"
    #: init or join on a node in a swarm already
    ALREADY_IN_SWARM = "already-in-swarm"
    #: an autolocked swarm after a restart
    LOCKED = "locked"
    #: leave without --force on a manager (`detail`: what leaving would do)
    LEAVING_MANAGER = "leaving-manager"
    #: join took longer than the Engine waits; it goes on in the background
    JOIN_TIMEOUT = "join-timeout"
    CERTIFICATES_EXPIRED = "certificates-expired"


class SwarmRefused(EngineError):
    """The Engine refused a request because of the node's swarm state (`problem`)."""

    def __init__(
        self, problem: SwarmProblem, engine_message: str, operation: str = "", detail: str = ""
    ) -> None:
        super().__init__(engine_message, operation)
        self.problem = problem
        self.detail = detail
