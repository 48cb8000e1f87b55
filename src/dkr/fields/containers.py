"""Pure: docker's container fields (docker/cli formatter/container.go) for the ps table, JSON and templates.

Each value has docker's exact string form, so `dkr ps --format json` reads like `docker ps --format json`.
"""

from __future__ import annotations

import datetime as _dt
import json
import time
from collections.abc import Callable

from dkr.fields.ports import displayable_ports
from dkr.grammars.gotemplate import rune_width
from dkr.grammars.units import human_duration, human_size
from dkr.models.containers import Container

#: The keys of `docker ps --format json` (docker CLI 28), in the order docker's JSON writer sorts them.
JSON_KEYS = (
    "Command",
    "CreatedAt",
    "ID",
    "Image",
    "Labels",
    "LocalVolumes",
    "Mounts",
    "Names",
    "Networks",
    "Platform",
    "Ports",
    "RunningFor",
    "Size",
    "State",
    "Status",
)

TABLE_HEADERS = {
    "ID": "CONTAINER ID",
    "Image": "IMAGE",
    "Command": "COMMAND",
    "CreatedAt": "CREATED AT",
    "RunningFor": "CREATED",
    "Status": "STATUS",
    "Ports": "PORTS",
    "Names": "NAMES",
    "State": "STATE",
    "Size": "SIZE",
    "Labels": "LABELS",
    "Mounts": "MOUNTS",
    "LocalVolumes": "LOCAL VOLUMES",
    "Networks": "NETWORKS",
    "Platform": "PLATFORM",
}

DEFAULT_COLUMNS = ("ID", "Image", "Command", "RunningFor", "Status", "Ports", "Names")


def truncate_id(value: str) -> str:
    """docker's TruncateID: drop an algorithm prefix, keep 12 characters."""
    if ":" in value:
        value = value.split(":", 1)[1]
    return value[:12]


def ellipsis(text: str, max_width: int) -> str:
    """docker's Ellipsis: cut to max_width display cells, the last being '…'."""
    if max_width <= 0:
        return ""
    widths: list[int] = []
    total = 0
    for ch in text:
        total += rune_width(ch)
        widths.append(total)
    if total <= max_width:
        return text
    for i in range(len(widths) - 1):
        if widths[i] <= max_width - 1 < widths[i + 1]:
            return text[: i + 1] + "…"
    return text


def go_quote(text: str) -> str:
    """Go's strconv.Quote: double quotes, Go escapes, printable Unicode kept."""
    out = ['"']
    simple = {'"': '\\"', "\\": "\\\\", "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
              "\t": "\\t", "\v": "\\v"}  # fmt: skip
    for ch in text:
        if ch in simple:
            out.append(simple[ch])
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def go_time(ts: int) -> str:
    """Go's time.Unix(ts, 0).String() in the local zone: '2006-01-02 15:04:05 -0700 MST'."""
    local = _dt.datetime.fromtimestamp(ts).astimezone()
    zone = local.tzname() or local.strftime("%z")
    return local.strftime("%Y-%m-%d %H:%M:%S %z ") + zone


def _image(c: Container, trunc: bool) -> str:
    if not c.image:
        return "<no image>"
    if not trunc:
        return c.image
    if truncate_id(c.image_id) == truncate_id(c.image):
        return truncate_id(c.image)
    image = c.image
    if "@" in image:
        # docker strips a digest but keeps a tag
        image = image.split("@", 1)[0]
    for prefix in ("docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/"):
        if image.startswith(prefix):
            image = image[len(prefix) :]
            break
    return image


def _names(c: Container, trunc: bool) -> str:
    names = [n.removeprefix("/") for n in c.names]
    if trunc:
        for n in names:
            if "/" not in n:
                return n
        return ""
    return ",".join(names)


def _mounts(c: Container, trunc: bool) -> str:
    out = []
    for m in c.mounts:
        name = m.name or m.source
        out.append(ellipsis(name, 15) if trunc else name)
    return ",".join(out)


def _size(c: Container) -> str:
    srw = human_size(c.size_rw)
    if c.size_root_fs > 0:
        return f"{srw} (virtual {human_size(c.size_root_fs)})"
    return srw


FieldFn = Callable[[Container, bool, float], "str | None"]

FIELDS: dict[str, FieldFn] = {
    "ID": lambda c, t, now: truncate_id(c.id) if t else c.id,
    "Names": lambda c, t, now: _names(c, t),
    "Image": lambda c, t, now: _image(c, t),
    "Command": lambda c, t, now: go_quote(ellipsis(c.command, 20) if t else c.command),
    "CreatedAt": lambda c, t, now: go_time(c.created),
    "RunningFor": lambda c, t, now: human_duration(now - c.created) + " ago",
    "Ports": lambda c, t, now: displayable_ports(c.ports),
    "State": lambda c, t, now: c.state,
    "Status": lambda c, t, now: c.status,
    "Size": lambda c, t, now: _size(c),
    "Labels": lambda c, t, now: ",".join(sorted(f"{k}={v}" for k, v in c.labels.items())),
    "Mounts": lambda c, t, now: _mounts(c, t),
    "LocalVolumes": lambda c, t, now: str(sum(1 for m in c.mounts if m.driver == "local")),
    "Networks": lambda c, t, now: ",".join(c.networks),
    # The list endpoint of Engines before API 1.46 carries no platform: docker shows null.
    "Platform": lambda c, t, now: None,
}


def container_fields(c: Container, trunc: bool = True, now: float | None = None) -> dict[str, str | None]:
    """All of docker's fields for one container, keyed as docker's JSON and templates name them."""
    now = time.time() if now is None else now
    return {key: FIELDS[key](c, trunc, now) for key in JSON_KEYS}


def go_json(value: object) -> str:
    """JSON as Go's encoding/json writes it: compact, HTML-sensitive characters escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
