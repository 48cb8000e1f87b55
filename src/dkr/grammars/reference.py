"""Pure: image references exactly as docker reads them (distribution/reference v0.6 and go-digest).

The one home of this grammar: `dkr build -t`, the image listing's REPOSITORY/TAG columns, tagging a built
image and naming what `dkr run` pulls all parse here. Hand-written because the SDK's
`docker.utils.parse_repository_tag` only splits at the last colon (it accepts `App:tag`, `a//b` and
`app:tägé`, which docker rejects) and no maintained Python package implements distribution/reference.
The rules, read from distribution/reference (regexp.go, reference.go, normalize.go) for the facts:

- `Parse` reads a reference as written: `[DOMAIN[:PORT]/]PATH[:TAG][@DIGEST]`; a first component that looks
  like a host (anything before the first `/` that fits the domain grammar) is the domain;
- `ParseNormalizedNamed` first splits off the domain as the docker CLI does (a first component with `.` or
  `:`, `localhost`, or an upper-case letter is a domain; else the domain is docker.io, and a one-component
  path gets `library/`), refuses a 64-hex string (it is an image id) and an upper-case repository;
- tags are `[\\w][\\w.-]{0,127}` with Go's ASCII `\\w`; the repository path is at most 255 characters;
- digests are go-digest's: `ALGORITHM:HEX`, with sha256, sha384 and sha512 checked for length and lower-case
  hex, other well-formed algorithms "unsupported".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_DOMAIN = "docker.io"
LEGACY_DEFAULT_DOMAIN = "index.docker.io"
OFFICIAL_REPO_PREFIX = "library/"
NAME_TOTAL_LENGTH_MAX = 255

# regexp.go, term for term. re.ASCII: Go's \w is [0-9A-Za-z_]; Python's would also take "ä".
_ALPHANUMERIC = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALPHANUMERIC}(?:{_SEPARATOR}{_ALPHANUMERIC})*"
_DOMAIN_NAME_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_IPV6_ADDRESS = r"\[(?:[a-fA-F0-9:]+)\]"
_DOMAIN_NAME = rf"{_DOMAIN_NAME_COMPONENT}(?:\.{_DOMAIN_NAME_COMPONENT})*"
_HOST = rf"(?:{_DOMAIN_NAME}|{_IPV6_ADDRESS})"
_DOMAIN_AND_PORT = rf"{_HOST}(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}"
_REMOTE_NAME = rf"{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_NAME = rf"(?:{_DOMAIN_AND_PORT}/)?{_REMOTE_NAME}"

_REFERENCE = re.compile(rf"({_NAME})(?::({_TAG}))?(?:@({_DIGEST}))?", re.ASCII)
_ANCHORED_NAME = re.compile(rf"(?:({_DOMAIN_AND_PORT})/)?({_REMOTE_NAME})", re.ASCII)
_ANCHORED_TAG = re.compile(_TAG, re.ASCII)
_ANCHORED_IDENTIFIER = re.compile(r"[a-f0-9]{64}")
#: go-digest's DigestRegexpAnchored: an unknown algorithm is "unsupported" only when it reads like one
_GO_DIGEST = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+")
#: go-digest's algorithms that docker registers, with the length of their lower-case hex encoding
_DIGEST_ALGORITHMS = {"sha256": 64, "sha384": 96, "sha512": 128}

# distribution/reference's and go-digest's error texts, as docker prints them
NAME_EMPTY = "repository name must have at least one component"
NAME_CONTAINS_UPPERCASE = "repository name must be lowercase"
NAME_TOO_LONG = f"repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters"
REFERENCE_INVALID_FORMAT = "invalid reference format"
TAG_INVALID_FORMAT = "invalid tag format"
DIGEST_INVALID_FORMAT = "invalid checksum digest format"
DIGEST_INVALID_LENGTH = "invalid checksum digest length"
DIGEST_UNSUPPORTED = "unsupported digest algorithm"


class InvalidReference(ValueError):
    """A string docker would not accept as an image reference; `reason` is docker's own error text."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Reference:
    """A parsed reference. `domain` is "" when `parse` found none (normalized references nearly always have
    one: `0_0.0/0` is read as a domain, then the whole as a path, upstream too)."""

    domain: str
    path: str
    tag: str = ""
    digest: str = ""

    @property
    def name(self) -> str:
        """The repository's full name: `docker.io/library/busybox`, `localhost:5000/app`."""
        return f"{self.domain}/{self.path}" if self.domain else self.path

    @property
    def familiar_name(self) -> str:
        """The name as docker shows it (FamiliarName): without docker.io/ and an official image's library/."""
        if self.domain not in (DEFAULT_DOMAIN, ""):
            return self.name
        path = self.path
        if self.domain == DEFAULT_DOMAIN:
            short = path.removeprefix(OFFICIAL_REPO_PREFIX)
            if path.startswith(OFFICIAL_REPO_PREFIX) and "/" not in short:
                path = short
        return path

    def _suffix(self) -> str:
        return (f":{self.tag}" if self.tag else "") + (f"@{self.digest}" if self.digest else "")

    def __str__(self) -> str:
        return self.name + self._suffix()

    @property
    def familiar_string(self) -> str:
        """FamiliarString: `busybox:1.36`, `localhost:5000/app@sha256:…`."""
        return self.familiar_name + self._suffix()

    def with_default_tag(self) -> Reference:
        """TagNameOnly: `latest` when there is neither tag nor digest (what docker pulls for `busybox`)."""
        if self.tag or self.digest:
            return self
        return Reference(self.domain, self.path, "latest")


def _check_digest(digest: str) -> None:
    """go-digest's Digest.Validate."""
    i = digest.find(":")
    if i <= 0 or i + 1 == len(digest):
        raise InvalidReference(DIGEST_INVALID_FORMAT)
    algorithm, encoded = digest[:i], digest[i + 1 :]
    size = _DIGEST_ALGORITHMS.get(algorithm)
    if size is None:
        if not _GO_DIGEST.fullmatch(digest):
            raise InvalidReference(DIGEST_INVALID_FORMAT)
        raise InvalidReference(DIGEST_UNSUPPORTED)
    if len(encoded) != size:
        raise InvalidReference(DIGEST_INVALID_LENGTH)
    if not re.fullmatch(r"[a-f0-9]+", encoded):
        raise InvalidReference(DIGEST_INVALID_FORMAT)


def parse(text: str) -> Reference:
    """distribution/reference Parse: the reference as written, without docker.io's normalization."""
    m = _REFERENCE.fullmatch(text)
    if m is None:
        if text == "":
            raise InvalidReference(NAME_EMPTY)
        if _REFERENCE.fullmatch(text.lower()):
            raise InvalidReference(NAME_CONTAINS_UPPERCASE)
        raise InvalidReference(REFERENCE_INVALID_FORMAT)
    name, tag, digest = m.group(1), m.group(2) or "", m.group(3) or ""
    parts = _ANCHORED_NAME.fullmatch(name)
    assert parts is not None  # the reference matched, so its name does
    if len(parts.group(2)) > NAME_TOTAL_LENGTH_MAX:  # the path's length, not the domain's (v0.6)
        raise InvalidReference(NAME_TOO_LONG)
    if digest:
        _check_digest(digest)
    return Reference(parts.group(1) or "", parts.group(2), tag, digest)


def split_docker_domain(name: str) -> tuple[str, str]:
    """splitDockerDomain: the domain docker reads into a name (docker.io unless the first component looks
    like a host), and the rest (an official image's one component gets `library/`)."""
    first, sep, rest = name.partition("/")
    if not sep or ("." not in first and ":" not in first and first != "localhost" and first.lower() == first):
        domain, remainder = DEFAULT_DOMAIN, name
    else:
        domain, remainder = first, rest
    if domain == LEGACY_DEFAULT_DOMAIN:
        domain = DEFAULT_DOMAIN
    if domain == DEFAULT_DOMAIN and "/" not in remainder:
        remainder = OFFICIAL_REPO_PREFIX + remainder
    return domain, remainder


def parse_normalized(text: str) -> Reference:
    """distribution/reference ParseNormalizedNamed: what `docker pull NAME`, `docker tag` and `docker build
    -t NAME` accept, with docker.io and library/ filled in."""
    if _ANCHORED_IDENTIFIER.fullmatch(text):
        raise InvalidReference(
            f"invalid repository name ({text}), cannot specify 64-byte hexadecimal strings"
        )
    domain, remainder = split_docker_domain(text)
    remote = remainder.split(":", 1)[0]
    if remote.lower() != remote:
        raise InvalidReference(f"{REFERENCE_INVALID_FORMAT}: repository name ({remote}) must be lowercase")
    return parse(f"{domain}/{remainder}")


def is_tag(text: str) -> bool:
    """A tag on its own (`docker tag IMAGE NAME:TAG`'s TAG)."""
    return _ANCHORED_TAG.fullmatch(text) is not None


def is_image_id(text: str) -> bool:
    """64 lower-case hex characters: an image id, never a name (with or without `sha256:`)."""
    return _ANCHORED_IDENTIFIER.fullmatch(text.removeprefix("sha256:")) is not None


_ANCHORED_DOMAIN = re.compile(_DOMAIN_AND_PORT, re.ASCII)


def is_domain(text: str) -> bool:
    """Whether `text` is a registry host as a reference's domain is written: `host[:port]` or `[v6]:port`."""
    return _ANCHORED_DOMAIN.fullmatch(text) is not None
