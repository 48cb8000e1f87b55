"""The docker CLI's context store, read and written as docker/cli's cli/context/store does, so that a context
either tool makes works in both: `$DOCKER_CONFIG/contexts/meta/<sha256(name)>/meta.json` (folder 0755, file
0644, Go's compact JSON), the TLS files in `contexts/tls/<sha256(name)>/<endpoint>/{ca,cert,key}.pem`
(folders 0700, files 0600), the current context in config.json's `currentContext` (dkr.dockerconfig).

Files only, never the Engine nor the SDK. The implicit `default` context is not stored: it is DOCKER_HOST,
else the local socket, as docker shows it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import ssl
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dkr.errors import DkrError, printable
from dkr.grammars.contexts import DEFAULT_CONTEXT, DockerEndpointConfig, go_quote
from dkr.hosts import DEFAULT_HOST, docker_config_dir

DOCKER_ENDPOINT = "docker"
#: docker's description of the implicit context (command.DefaultContextStoreConfig)
DEFAULT_DESCRIPTION = "Current DOCKER_HOST based configuration"
#: what `docker context inspect default` shows as its storage
IN_MEMORY = "<IN MEMORY>"
#: the TLS files of an endpoint, as docker names them (context.TLSData.ToStoreTLSData)
TLS_FILES = ("ca.pem", "cert.pem", "key.pem")


def digest(name: str) -> str:
    """The folder of a context: sha256 of its name, byte for byte as given."""
    return hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()


@dataclass(frozen=True)
class Context:
    """One context's metadata, as meta.json holds it (Metadata and Endpoints as decoded JSON)."""

    name: str
    metadata: dict[str, Any] = field(default_factory=dict)
    endpoints: dict[str, Any] = field(default_factory=dict)

    @property
    def description(self) -> str:
        value = self.metadata.get("Description", "")
        return value if isinstance(value, str) else ""

    def docker_endpoint(self) -> tuple[dict[str, Any] | None, str]:
        """The docker endpoint, or None and docker's words for why it cannot be read."""
        ep = self.endpoints.get(DOCKER_ENDPOINT)
        if ep is None and DOCKER_ENDPOINT not in self.endpoints:
            return None, "cannot find docker endpoint in context"
        if not isinstance(ep, dict):
            return None, f'endpoint "{DOCKER_ENDPOINT}" is not of type EndpointMeta'
        return ep, ""

    def meta_json(self) -> dict[str, Any]:
        """meta.json's object: docker's store.Metadata (Name, Metadata, Endpoints; the docker endpoint as
        its EndpointMeta: Host omitted when empty, SkipTLSVerify always)."""
        endpoints = {k: typed_endpoint(v) if k == DOCKER_ENDPOINT else v for k, v in self.endpoints.items()}
        out: dict[str, Any] = {"Name": self.name, "Metadata": typed_metadata(self.metadata)}
        if endpoints:
            out["Endpoints"] = dict(sorted(endpoints.items()))
        return out


def typed_endpoint(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    if value.get("Host"):
        out["Host"] = value["Host"]
    out["SkipTLSVerify"] = bool(value.get("SkipTLSVerify", False))
    return out


def typed_metadata(value: dict[str, Any]) -> dict[str, Any]:
    """command.DockerContext: Description (omitted when empty) then the other fields, sorted."""
    out: dict[str, Any] = {}
    if value.get("Description"):
        out["Description"] = value["Description"]
    out.update(sorted((k, v) for k, v in value.items() if k != "Description"))
    return out


def go_compact(value: Any) -> str:
    """Go's json.Marshal: compact, `<`, `>`, `&`, U+2028 and U+2029 escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028")):
        text = text.replace(char, escape)
    return text.replace("\u2029", "\\u2029")


class ContextNotFound(DkrError):
    """No such context in the store (docker's errdefs.NotFound)."""


class Store:
    """The store under one docker config folder ($DOCKER_CONFIG, else ~/.docker)."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self.env = os.environ if env is None else env
        self.config_dir = docker_config_dir(self.env)
        self.meta_root = self.config_dir / "contexts" / "meta"
        self.tls_root = self.config_dir / "contexts" / "tls"

    # --- where things are -------------------------------------------------------------------------------

    def meta_dir(self, name: str) -> Path:
        return self.meta_root / digest(name)

    def tls_dir(self, name: str) -> Path:
        return self.tls_root / digest(name)

    def storage(self, name: str) -> dict[str, str]:
        """docker's StorageInfo, as inspect shows it."""
        if name == DEFAULT_CONTEXT:
            return {"MetadataPath": IN_MEMORY, "TLSPath": IN_MEMORY}
        return {"MetadataPath": str(self.meta_dir(name)), "TLSPath": str(self.tls_dir(name))}

    # --- reading ----------------------------------------------------------------------------------------

    def default(self) -> Context:
        """The implicit context: DOCKER_HOST, else the local socket."""
        host = self.env.get("DOCKER_HOST") or DEFAULT_HOST
        return Context(DEFAULT_CONTEXT, {}, {DOCKER_ENDPOINT: {"Host": host, "SkipTLSVerify": False}})

    def get(self, name: str) -> Context:
        """A context by name; ContextNotFound (docker's words) when there is none; a meta.json that cannot be
        read is one error naming the file."""
        if name == DEFAULT_CONTEXT:
            return self.default()
        path = self.meta_dir(name) / "meta.json"
        try:
            return self._read(path)
        except FileNotFoundError:
            raise ContextNotFound(
                f"context {go_quote(name)}: context not found: open {path}: no such file or directory",
                "List contexts with 'dkr context ls'.",
            ) from None

    def _read(self, path: Path) -> Context:
        try:
            raw = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise DkrError(f"cannot read {path}: {(exc.strerror or str(exc)).lower()}") from None
        except ValueError as exc:
            raise DkrError(
                f"cannot read context metadata {path}: not valid JSON ({exc})", "Fix or remove it."
            ) from None
        if not isinstance(raw, dict):
            raise DkrError(f"cannot read context metadata {path}: not a JSON object", "Fix or remove it.")
        name, metadata, endpoints = raw.get("Name", ""), raw.get("Metadata") or {}, raw.get("Endpoints") or {}
        if not isinstance(name, str) or not isinstance(metadata, dict) or not isinstance(endpoints, dict):
            raise DkrError(
                f"cannot read context metadata {path}: Name, Metadata or Endpoints of the wrong type",
                "Fix or remove it.",
            )
        return Context(name, metadata, endpoints)

    def stored(self) -> list[Context]:
        """Every stored context (docker looks for meta.json in every folder below contexts/meta)."""
        found = []
        if self.meta_root.is_dir():
            for path in sorted(self.meta_root.rglob("meta.json")):
                if path.is_file():
                    with contextlib.suppress(FileNotFoundError):  # removed meanwhile
                        found.append(self._read(path))
        return found

    def exists(self, name: str) -> bool:
        return name == DEFAULT_CONTEXT or (self.meta_dir(name) / "meta.json").is_file()

    def tls_listing(self, name: str) -> dict[str, list[str]]:
        """docker's ListTLSFiles: {endpoint: [file names]} of the context's TLS folder."""
        base = self.tls_dir(name)
        if name == DEFAULT_CONTEXT or not base.is_dir():
            return {}
        return {
            ep.name: sorted(f.name for f in ep.iterdir() if not f.is_dir())
            for ep in sorted(base.iterdir())
            if ep.is_dir()
        }

    def tls_data(self, name: str) -> dict[str, dict[str, bytes]]:
        """The TLS files' contents, by endpoint (for --from)."""
        base = self.tls_dir(name)
        return {
            ep: {f: (base / ep / f).read_bytes() for f in files}
            for ep, files in self.tls_listing(name).items()
        }

    # --- writing ----------------------------------------------------------------------------------------

    def create(self, context: Context, tls: Mapping[str, Mapping[str, bytes]]) -> None:
        """Write a new context: its TLS files, then meta.json (which makes it visible), with docker's modes.
        A failure or an interruption part-way removes what was written: no half context is left."""
        try:
            for endpoint, files in tls.items():
                target = self.tls_dir(context.name) / endpoint
                self.tls_root.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
                for level in (self.tls_root, target.parent, target):  # as Go's MkdirAll(target, 0700)
                    level.mkdir(mode=0o700, exist_ok=True)
                for filename, data in files.items():
                    _atomic_write(target / filename, data, 0o600)
            folder = self.meta_dir(context.name)
            folder.mkdir(mode=0o755, parents=True, exist_ok=True)
            _atomic_write(folder / "meta.json", go_compact(context.meta_json()).encode(), 0o644)
        except BaseException as exc:
            for path in (self.meta_dir(context.name), self.tls_dir(context.name)):
                shutil.rmtree(path, ignore_errors=True)
            if isinstance(exc, OSError):
                raise DkrError(f"cannot write context {go_quote(context.name)}: {_os_error(exc)}") from None
            raise

    def remove(self, name: str) -> None:
        for path, what in ((self.meta_dir(name), "metadata"), (self.tls_dir(name), "TLS data")):
            try:
                shutil.rmtree(path)
            except FileNotFoundError:
                pass
            except OSError as exc:
                why = _os_error(exc)
                raise DkrError(
                    f"failed to remove context {go_quote(name)}: failed to remove {what}: {why}"
                ) from None


def _os_error(exc: OSError) -> str:
    why = (exc.strerror or str(exc)).lower()
    return f"{why}: {exc.filename}" if exc.filename else why


def _atomic_write(path: Path, data: bytes, mode: int) -> None:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fchmod(f.fileno(), mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


# --- the current context ----------------------------------------------------------------------------------


def current_name(host: str | None, context: str | None, env: Mapping[str, str]) -> str:
    """The context the command line and environment select, with docker's precedence (resolveContextName):
    --context, then -H or DOCKER_HOST (both: "default"), then DOCKER_CONTEXT, then config.json's
    currentContext, then "default"."""
    from dkr.hosts import current_context

    if context:
        return context
    if host or env.get("DOCKER_HOST"):
        return DEFAULT_CONTEXT
    return current_context(env) or DEFAULT_CONTEXT


# --- creating --------------------------------------------------------------------------------------------


def new_context(
    store: Store, name: str, description: str, config: DockerEndpointConfig
) -> tuple[Context, dict[str, dict[str, bytes]]]:
    """The context `--docker` describes, and its TLS files (read and checked as docker checks them)."""
    if config.from_context is not None:
        source = store.get(config.from_context)
        ep, _ = source.docker_endpoint()
        if ep is None:
            raise DkrError(
                f"unable to create docker endpoint config: unable to get endpoint from context "
                f"{go_quote(config.from_context)}"
            )
        return Context(name, _described({}, description), {DOCKER_ENDPOINT: typed_endpoint(ep)}), {}
    files: dict[str, bytes] = {}
    for filename, given in zip(TLS_FILES, (config.ca, config.cert, config.key), strict=True):
        if given:
            try:
                files[filename] = Path(given).read_bytes()
            except OSError as exc:
                why = (exc.strerror or str(exc)).lower()
                raise DkrError(
                    f"unable to create docker endpoint config: open {printable(given)}: {why}"
                ) from None
    if config.host and not config.host.startswith(("unix://", "npipe://", "ssh://")):
        problem = tls_problem(files, config.skip_tls_verify)
        if problem:
            raise DkrError(
                f"unable to create docker endpoint config: invalid docker endpoint options: {problem}"
            )
    endpoint: dict[str, Any] = {"SkipTLSVerify": config.skip_tls_verify}
    if config.host:
        endpoint = {"Host": config.host, **endpoint}
    return Context(name, _described({}, description), {DOCKER_ENDPOINT: endpoint}), (
        {DOCKER_ENDPOINT: files} if files else {}
    )


def copied_context(
    store: Store, name: str, description: str, source_name: str
) -> tuple[Context, dict[str, dict[str, bytes]]]:
    """`--from`, or no --docker at all: the source's endpoints and TLS files under a new name (docker's
    export and import); the description given replaces the source's. The implicit context copies as docker
    exports it: DOCKER_HOST (or the socket) with its description."""
    source = store.get(source_name)
    if source_name == DEFAULT_CONTEXT:
        source = Context(source.name, {"Description": DEFAULT_DESCRIPTION}, source.endpoints)
        tls: dict[str, dict[str, bytes]] = {}
    else:
        tls = store.tls_data(source_name)
    metadata = _described(dict(source.metadata), description)
    return Context(name, metadata, dict(source.endpoints)), tls


def _described(metadata: dict[str, Any], description: str) -> dict[str, Any]:
    if description:
        metadata["Description"] = description
    return metadata


def tls_problem(files: Mapping[str, bytes], skip_verify: bool) -> str | None:
    """The checks docker's Endpoint.tlsConfig makes of the TLS files: a CA that is PEM certificates, a key
    that is a PEM key and not encrypted, a certificate and key that belong together (Go's X509KeyPair, in
    its words)."""
    if not files and not skip_verify:
        return None
    if "ca.pem" in files:
        try:
            ssl.create_default_context(cadata=files["ca.pem"].decode("ascii", "replace"))
        except (ssl.SSLError, ValueError):
            return "failed to retrieve context tls info: ca.pem seems invalid"
    if "cert.pem" not in files or "key.pem" not in files:
        return None
    key = files["key.pem"]
    if not _pem_types(key):
        return "no valid private key found"
    if b"Proc-Type: 4,ENCRYPTED" in key:
        return (
            "private key is encrypted - support for encrypted private keys has been removed, see "
            "https://docs.docker.com/go/deprecated/"
        )
    problem = _key_pair_problem(files["cert.pem"], key)
    return f"failed to retrieve context tls info: tls: {problem}" if problem else None


_PEM_BEGIN = re.compile(rb"-----BEGIN ([^\r\n-]*)-----")


def _pem_types(data: bytes) -> list[str]:
    return [m.group(1).decode("ascii", "replace") for m in _PEM_BEGIN.finditer(data)]


def _key_pair_problem(cert: bytes, key: bytes) -> str | None:
    cert_types, key_types = _pem_types(cert), _pem_types(key)
    if "CERTIFICATE" not in cert_types:
        if not cert_types:
            return "failed to find any PEM data in certificate input"
        if len(cert_types) == 1 and cert_types[0].endswith("PRIVATE KEY"):
            return (
                "failed to find certificate PEM data in certificate input, but did find a private key; PEM "
                "inputs may have been switched"
            )
        return (
            'failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the '
            f"following types: [{' '.join(cert_types)}]"
        )
    if not any(t == "PRIVATE KEY" or t.endswith(" PRIVATE KEY") for t in key_types):
        if key_types == ["CERTIFICATE"]:
            return "found a certificate rather than a key in the PEM for the private key"
        return (
            'failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM '
            f"blocks of the following types: [{' '.join(key_types)}]"
        )
    with tempfile.TemporaryDirectory() as tmp:
        cert_path, key_path = Path(tmp, "cert.pem"), Path(tmp, "key.pem")
        cert_path.write_bytes(cert)
        key_path.write_bytes(key)
        try:
            ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_cert_chain(cert_path, key_path)
        except ssl.SSLError as exc:
            if exc.reason == "KEY_VALUES_MISMATCH":
                return "private key does not match public key"
            return str(exc.args[-1] if exc.args else exc)
    return None
