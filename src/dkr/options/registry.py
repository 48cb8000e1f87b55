"""Pure: what names a registry or an image in it, checked before any Engine call.

- `dkr pull` / `dkr push` arguments, as docker/cli checks them (cli/command/image/pull.go, push.go:
  ParseNormalizedNamed, then the --all-tags rules), and `--platform`;
- the SERVER of dkr login / logout, read into the key docker's config.json files credentials under. docker
  login keys Docker Hub as `https://index.docker.io/v1/` and any other registry by its host[:port], an
  `http://` or `https://` in front dropped (docker/cli's GetDefaultAuthConfig and ConvertToHostname). Where
  dkr differs it refuses what docker would silently change: a path after the host is an error (docker drops
  it: the credentials are the whole registry's), and so is a host that a reference could not name. Hub's
  other names (`docker.io`, `index.docker.io`, `registry-1.docker.io`) are the Hub key, which is where
  docker pull looks.
"""

from __future__ import annotations

import re

from dkr.errors import UsageError
from dkr.grammars.reference import InvalidReference, Reference, is_image_id, parse_normalized
from dkr.options.common import shown

#: containerd's platform specifier: os[/arch[/variant]] (or an architecture alone), each part of this set
_PLATFORM_PART = re.compile(r"[A-Za-z0-9_-]+")


def _parse(value: str, command: str) -> Reference:
    if is_image_id(value):
        raise UsageError(
            f"invalid reference {shown(value)}: an image id names a local image; {command} needs a "
            "repository name",
            command,
        )
    try:
        return parse_normalized(value)
    except InvalidReference as exc:
        raise UsageError(f"invalid reference {shown(value)}: {exc.reason}", command) from None


def pull_reference(value: str, all_tags: bool) -> Reference:
    """`NAME[:TAG|@DIGEST]`; with --all-tags a name alone. (Without a tag or digest the command pulls
    `:latest`, and says so, as docker.)"""
    ref = _parse(value, "pull")
    if all_tags and (ref.tag or ref.digest):
        raise UsageError("tag can't be used with --all-tags/-a", "pull")
    return ref


def push_reference(value: str, all_tags: bool) -> Reference:
    """`NAME[:TAG]` (a digest names content, not something to push); with --all-tags a name alone."""
    ref = _parse(value, "push")
    if ref.digest:
        raise UsageError(f"invalid reference {shown(value)}: cannot push a digest reference", "push")
    if all_tags and ref.tag:
        raise UsageError("tag can't be used with --all-tags/-a", "push")
    return ref


def parse_platform(value: str | None, command: str) -> str | None:
    """`--platform os[/arch[/variant]]`, lowered as containerd normalises it; None when not given."""
    if value is None:
        return None
    parts = value.split("/")
    if not value or len(parts) > 3 or not all(_PLATFORM_PART.fullmatch(p) for p in parts):
        raise UsageError(
            f"invalid --platform {shown(value)}: expected os[/arch[/variant]], e.g. linux/amd64", command
        )
    return value.lower()


# --- dkr login / logout: SERVER ---------------------------------------------------------------------------

#: docker's key for Docker Hub (registry.IndexServer), and its default SERVER
HUB_KEY = "https://index.docker.io/v1/"
#: the names docker gives Hub's registry
HUB_HOSTS = ("docker.io", "index.docker.io", "registry-1.docker.io")
_SCHEMES = ("https://", "http://")


def registry_key(server: str | None, command: str) -> str:
    """The config.json key for SERVER (None or "": Docker Hub); a UsageError (exit 2) for what is not one."""
    if not server or server == HUB_KEY:
        return HUB_KEY
    rest = server
    for scheme in _SCHEMES:
        if rest[: len(scheme)].lower() == scheme:
            rest = rest[len(scheme) :]
            break
    else:
        if "://" in rest:
            raise UsageError(
                f"invalid registry server {shown(server)}: only http:// and https:// are registry URLs",
                command,
            )
    host, _, path = rest.partition("/")
    hub = host.lower() in HUB_HOSTS
    if path and not (hub and path in ("v1/", "v1")):
        raise UsageError(
            f"invalid registry server {shown(server)}: it has a path ({shown('/' + path)}); "
            f"credentials are for a whole registry: use {shown(host)}",
            command,
        )
    if hub:
        return HUB_KEY
    from dkr.grammars.reference import is_domain

    if not is_domain(host):
        raise UsageError(f"invalid registry server {shown(server)}: not a host[:port]", command)
    return host


def logout_keys(key: str) -> list[str]:
    """The keys docker logout erases for `key`: Hub's own, or the host and the legacy forms with a scheme
    that older docker versions stored (docker/cli's runLogout)."""
    if key == HUB_KEY:
        return [key]
    return [key, f"http://{key}", f"https://{key}"]
