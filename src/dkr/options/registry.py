"""Pure: the SERVER of dkr login / logout, read into the key docker's config.json files credentials under.

docker login keys Docker Hub as `https://index.docker.io/v1/` and any other registry by its host[:port], an
`http://` or `https://` in front dropped (docker/cli's GetDefaultAuthConfig and ConvertToHostname). Where dkr
differs it refuses what docker would silently change: a path after the host is an error (docker drops it: the
credentials are the whole registry's), and so is a host that a reference could not name. Hub's other names
(`docker.io`, `index.docker.io`, `registry-1.docker.io`) are the Hub key, which is where docker pull looks.
"""

from __future__ import annotations

from dkr.errors import UsageError
from dkr.options.common import shown

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
