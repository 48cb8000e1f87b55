"""The Engine's failures read into dkr's typed errors (dkr.errors): the one place that catches the SDK's and
the HTTP stack's exceptions and reads the Engine's own words.

Everything outside dkr.engine decides by the type of what is raised here, never by its text. The wording is
dkr.render.errors'.
"""

from __future__ import annotations

import errno
import http.client
import re
import socket
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import docker.errors
import requests.exceptions
import urllib3.exceptions

from dkr.errors import (
    CommandNotFound,
    CommandNotInvokable,
    Conflict,
    CreateFailed,
    DkrError,
    EngineError,
    EngineFailure,
    EngineLost,
    EngineTimeout,
    EngineUnreachable,
    NameInUse,
    NoSuchContainer,
    NoSuchImage,
    NoSuchNetwork,
    NoSuchNode,
    NoSuchObject,
    NoSuchService,
    NoSuchVolume,
    PortInUse,
    PortUnavailable,
    RegistryProblem,
    RunFailure,
    StartFailed,
    SwarmProblem,
    SwarmRefused,
    Unreachable,
)
from dkr.hosts import Endpoint

#: What the SDK and the HTTP stack raise when the Engine refuses, goes away or cannot be read.
ENGINE_EXCEPTIONS: tuple[type[BaseException], ...] = (
    docker.errors.DockerException,
    requests.exceptions.RequestException,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    ConnectionError,
)

# --- unreachable --------------------------------------------------------------------------------------------

#: OpenSSL's names for the alerts a TLS server sends when it refuses the client's certificate.
_CLIENT_CERT_REFUSED = (
    "BAD_CERTIFICATE",
    "UNKNOWN_CA",
    "CERTIFICATE_UNKNOWN",
    "UNSUPPORTED_CERTIFICATE",
    "CERTIFICATE_EXPIRED",
    "ACCESS_DENIED",
)
#: What OpenSSL says when the other end answers the TLS handshake with something that is not TLS.
_NOT_TLS = ("WRONG_VERSION_NUMBER", "UNKNOWN_PROTOCOL", "PACKET_LENGTH_TOO_LONG", "RECORD_LAYER_FAILURE")


def _tls_reason(exc: ssl.SSLError) -> tuple[Unreachable, str]:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return Unreachable.TLS_UNTRUSTED, str(exc.verify_message)
    code = str(exc.reason or "")
    if "CERTIFICATE_REQUIRED" in code:
        return Unreachable.TLS_CLIENT_CERT_REQUIRED, ""
    if any(alert in code for alert in _CLIENT_CERT_REFUSED):
        return Unreachable.TLS_CLIENT_CERT_REFUSED, code.lower().replace("_", " ")
    if code in _NOT_TLS:
        return Unreachable.TLS_NOT_TLS, ""
    if isinstance(exc, ssl.SSLEOFError):
        return Unreachable.TLS_CLOSED, ""
    return Unreachable.TLS_OTHER, code.lower().replace("_", " ") if code else str(exc)


def unreachable_reason(exc: BaseException) -> tuple[Unreachable, str]:
    """Why the connection failed, from the exception and everything it wraps."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ssl.SSLError):
            return _tls_reason(cur)
        number = getattr(cur, "errno", None)
        if isinstance(cur, FileNotFoundError) or number == errno.ENOENT:
            return Unreachable.NO_SOCKET, ""
        if isinstance(cur, PermissionError) or number == errno.EACCES:
            return Unreachable.PERMISSION_DENIED, ""
        if isinstance(cur, ConnectionRefusedError) or number == errno.ECONNREFUSED:
            return Unreachable.REFUSED, ""
        if isinstance(cur, http.client.RemoteDisconnected):  # a ConnectionResetError: test it first
            return Unreachable.CLOSED, ""
        if isinstance(cur, ConnectionResetError) or number == errno.ECONNRESET:
            return Unreachable.RESET, ""
        if isinstance(cur, socket.timeout | TimeoutError | requests.exceptions.Timeout):
            return Unreachable.TIMED_OUT, ""
        if isinstance(cur, socket.gaierror):
            return Unreachable.UNKNOWN_HOST, ""
        for arg in getattr(cur, "args", ()):
            if isinstance(arg, BaseException):
                inner = unreachable_reason(arg)
                if inner[0] is not Unreachable.NO_ANSWER:
                    return inner
        cur = cur.__cause__ or cur.__context__
    text = str(exc)
    for needle, reason in (
        ("No such file", Unreachable.NO_SOCKET),
        ("Permission denied", Unreachable.PERMISSION_DENIED),
        ("Connection refused", Unreachable.REFUSED),
        ("timed out", Unreachable.TIMED_OUT),
    ):
        if needle in text:
            return reason, ""
    return Unreachable.NO_ANSWER, ""


def unreachable(endpoint: Endpoint, exc: BaseException, ssh_failure: str | None = None) -> EngineUnreachable:
    """The error for an Engine that cannot be reached; `ssh_failure` (ssh's own last words) wins."""
    reason, detail = (Unreachable.SSH, ssh_failure) if ssh_failure else unreachable_reason(exc)
    hung_up = (Unreachable.TLS_CLOSED, Unreachable.CLOSED, Unreachable.RESET)
    if endpoint.tls and not endpoint.tls.client_cert and reason in hung_up:
        # A TLS server that wants a client certificate sends an alert and hangs up; the alert is often lost
        # to the reset (the request was already on its way), so say what is most likely.
        reason, detail = Unreachable.TLS_CLOSED_NO_CERT, ""
    return EngineUnreachable(endpoint, reason, detail)


# --- the Engine's refusals ----------------------------------------------------------------------------------


def api_message(exc: docker.errors.APIError) -> str:
    """The Engine's own message, first letter lowered as docker prints it (not an acronym's)."""
    explanation = exc.explanation
    if isinstance(explanation, bytes):
        explanation = explanation.decode(errors="replace")
    return as_docker_prints(str(explanation or exc))


def as_docker_prints(message: str) -> str:
    """An Engine message with its first letter lowered, as docker prints it (not an acronym's)."""
    text = message.strip()
    return text[0].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


#: The Engine's 404 sentences: "No such container: web", "No such image: app:1", "network x not found",
#: "get x: no such volume" (moby errdefs, as the daemon words them).
_NO_SUCH = (
    (re.compile(r"no such container: ?(\S+)", re.I), NoSuchContainer),
    (re.compile(r"no such image: ?(\S+)", re.I), NoSuchImage),
    (re.compile(r"network (\S+) not found", re.I), NoSuchNetwork),
    (re.compile(r"service (\S+) not found", re.I), NoSuchService),
    (re.compile(r"^node (\S+) not found", re.I), NoSuchNode),
    (re.compile(r"(?:^|(?<=\s))(?:get )?(\S+?):? no such volume", re.I), NoSuchVolume),
)


def no_such(message: str, operation: str = "") -> NoSuchObject:
    for pattern, cls in _NO_SUCH:
        found = pattern.search(message)
        if found:
            return cls(found.group(1), message, operation)
    return NoSuchObject("", message, operation)


def from_api_error(exc: docker.errors.APIError, operation: str = "") -> EngineError:
    message = api_message(exc)
    if isinstance(exc, docker.errors.NotFound) or exc.status_code == 404:
        return no_such(message, operation)
    if exc.status_code == 409:
        return Conflict(message, operation)
    swarm = swarm_refusal(message, operation)
    if swarm is not None:
        return swarm
    return EngineError(message, operation)


#: The Engine's words for a node's swarm state (moby daemon/cluster/errors.go, cluster.go, swarm.go), in the
#: order they are checked: "This node is not part of a swarm"; "This node is not a swarm manager." followed
#: by "Worker nodes can't be used to view or modify cluster state ...", by "Manager is being prepared or has
#: trouble connecting to the cluster." or by "Use \"docker swarm init\" or \"docker swarm join\" ...";
#: "This node is already part of a swarm. ..."; "Swarm is encrypted and needs to be unlocked ..." (or "... and
#: locked. ..."); "You are attempting to leave the swarm on a node that is participating as a manager. ...";
#: "Timeout was reached before node joined. ..."; "Swarm certificates have expired. ...".
_SWARM_WORDS = (
    ("this node is not part of a swarm", SwarmProblem.NOT_IN_SWARM),
    ("worker nodes can't be used", SwarmProblem.WORKER),
    ("manager is being prepared", SwarmProblem.MANAGER_NOT_READY),
    ("this node is not a swarm manager", SwarmProblem.NOT_A_MANAGER),
    ("this node is already part of a swarm", SwarmProblem.ALREADY_IN_SWARM),
    ("swarm is encrypted and", SwarmProblem.LOCKED),
    ("leave the swarm on a node that is participating as a manager", SwarmProblem.LEAVING_MANAGER),
    ("timeout was reached before node joined", SwarmProblem.JOIN_TIMEOUT),
    ("swarm certificates have expired", SwarmProblem.CERTIFICATES_EXPIRED),
)
_LEAVING = re.compile(
    r"participating as a manager\.\s*(.*?)\s*Use `--force` to (?:ignore|suppress) this message", re.S
)


def swarm_refusal(message: str, operation: str = "") -> SwarmRefused | None:
    """The typed refusal for a message about the node's swarm state, or None."""
    lowered = message.lower()
    for words, problem in _SWARM_WORDS:
        if words in lowered:
            leaving = _LEAVING.search(message) if problem is SwarmProblem.LEAVING_MANAGER else None
            return SwarmRefused(problem, message, operation, leaving.group(1) if leaving else "")
    return None


#: makes the error for a connection that failed or broke (the Engine knows its transport and whether it had
#: answered before): (the exception, the operation, whether an answer was cut off half-way)
Lost = Callable[[BaseException, str, bool], EngineFailure]


def lost_or_unreachable(
    endpoint: Endpoint,
    exc: BaseException,
    operation: str,
    *,
    answered: bool,
    cut: bool,
    ssh_failure: str | None,
) -> EngineFailure:
    """An Engine that answered earlier in this command and then broke is lost (the work may be half done);
    one that never answered is unreachable."""
    if not answered:
        return unreachable(endpoint, exc, ssh_failure)
    if ssh_failure:
        return EngineLost(endpoint, operation, Unreachable.SSH, ssh_failure)
    if cut:
        return EngineLost(endpoint, operation, Unreachable.CUT_OFF)
    reason, detail = unreachable_reason(exc)
    return EngineLost(endpoint, operation, reason, detail)


@contextmanager
def translated(endpoint: Endpoint, operation: str, lost: Lost) -> Iterator[None]:
    """Turn SDK and HTTP exceptions raised inside into dkr's typed errors."""
    try:
        yield
    except DkrError:
        raise
    except docker.errors.APIError as exc:
        raise from_api_error(exc, operation) from exc
    except requests.exceptions.ConnectionError as exc:
        raise lost(exc, operation, False) from exc
    except requests.exceptions.Timeout as exc:
        raise EngineTimeout(endpoint, operation) from exc
    except docker.errors.StreamParseError as exc:  # EOF in the middle of a JSON message
        raise lost(exc, operation, True) from exc
    except docker.errors.DockerException as exc:
        raise EngineError(str(exc), operation) from exc
    except (
        requests.exceptions.RequestException,
        urllib3.exceptions.HTTPError,
        http.client.HTTPException,
    ) as exc:
        # a chunked body that stopped half-way (ChunkedEncodingError, ProtocolError, IncompleteRead)
        raise lost(exc, operation, True) from exc


# --- dkr run: create and start refusals into docker's exit codes --------------------------------------------

_EXEC = re.compile(r'exec: "([^"]*)"')
_LISTEN = re.compile(r"listen (?:tcp|udp|sctp)[46]? (\S+): bind: (.+?)(?:$|: unknown)")
_ALLOCATED = re.compile(r"Bind for (\S+) failed: port is already allocated")
_NAME_IN_USE = re.compile(r'container name "/?([^"]+)" is already in use by container "([0-9a-f]+)"')
_NOT_FOUND = ("executable file not found", "no such file or directory", "system cannot find the file")


def start_error(message: str, command: tuple[str, ...] = ()) -> RunFailure:
    """The error for a container that was created but did not start: docker/cli's toStatusError
    (cli/command/container/run.go) reads the Engine's message the same way: 127 when the command is not
    found, 126 when it cannot be invoked, else 125, naming the host port or the command."""
    exe = _EXEC.search(message)
    cmd = exe.group(1) if exe else (command[0] if command else "")
    if any(needle in message for needle in _NOT_FOUND):
        return CommandNotFound(cmd, "executable file not found" in message, message)
    if "permission denied" in message or "is a directory" in message:
        return CommandNotInvokable(cmd, "is a directory" in message, message)
    taken = _ALLOCATED.search(message)
    if taken:
        return PortInUse(taken.group(1), by_container=True, engine_message=message)
    listen = _LISTEN.search(message)
    if listen:
        address, why = listen.groups()
        if "already in use" in why:
            return PortInUse(address, by_container=False, engine_message=message)
        return PortUnavailable(address, why, message)
    return StartFailed(message)


def create_error(message: str, command: tuple[str, ...] = ()) -> RunFailure:
    """The error for a container the Engine would not create."""
    in_use = _NAME_IN_USE.search(message)
    if in_use:
        name, holder = in_use.groups()
        return NameInUse(name, holder, message)
    failure = start_error(message, command)
    if isinstance(failure, CommandNotFound | CommandNotInvokable):
        return failure
    return CreateFailed(message)


# --- pull and push: what the registry said, through the Engine ---------------------------------------------

#: The Engine's words for each kind of registry failure (distribution's and the daemon's errors), checked in
#: this order: "denied: requested access to the resource is denied", "no basic auth credentials",
#: "unauthorized: authentication required"; "tag does not exist: …", "An image does not exist locally with
#: the tag: …"; "manifest for … not found: manifest unknown", "repository … not found"; "dial tcp …:
#: connect: connection refused", "no such host", "i/o timeout", "http: server gave HTTP response to HTTPS
#: client".
_REGISTRY_WORDS: tuple[tuple[RegistryProblem, tuple[str, ...]], ...] = (
    (
        RegistryProblem.AUTH,
        ("no basic auth credentials", "unauthorized", "authentication required", "denied", "incorrect"),
    ),
    (RegistryProblem.NOT_LOCAL, ("tag does not exist", "does not exist locally", "no such image")),
    (
        RegistryProblem.NOT_IN_REGISTRY,
        ("manifest unknown", "not found", "repository does not exist", "name unknown"),
    ),
    (
        RegistryProblem.UNREACHABLE,
        (
            "connection refused", "no such host", "i/o timeout", "timeout exceeded", "network is unreachable",
            "server gave http response to https client", "connection reset", "tls: ",
        ),
    ),
)  # fmt: skip


def registry_problem(message: str) -> RegistryProblem:
    """The kind of a pull's or push's failure, from the Engine's message."""
    lowered = message.lower()
    for problem, words in _REGISTRY_WORDS:
        if any(word in lowered for word in words):
            return problem
    return RegistryProblem.OTHER
