"""docker's --detach-keys grammar (moby/term's ToBytes): a comma-separated list of keys, each one ASCII
character (`a`), `ctrl-@`, `ctrl-a` ... `ctrl-z`, `ctrl-[`, `ctrl-\\`, `ctrl-]`, `ctrl-^`, `ctrl-_`, or
`DEL`. Names are case-sensitive, as upstream's. Hand-written: a dozen lines, and no Python library reads
this notation.

The default is docker's `ctrl-p,ctrl-q`. The sequence is matched on the client, as the docker CLI does
(its escape proxy), so a detach works the same over every transport.
"""

from __future__ import annotations

DEFAULT = "ctrl-p,ctrl-q"
_CTRL = ["@", *"abcdefghijklmnopqrstuvwxyz", "[", "\\", "]", "^", "_"]


class InvalidKeys(ValueError):
    """Not a key list docker reads: `key` is the part it refused."""

    def __init__(self, key: str) -> None:
        super().__init__(f"unknown character: {key!r}")
        self.key = key


def to_bytes(keys: str) -> bytes:
    """The bytes a terminal sends for `keys` (ToBytes): `ctrl-p,ctrl-q` -> b"\\x10\\x11"."""
    codes = bytearray()
    for key in keys.split(","):
        if len(key) == 1 and key.isascii():
            codes.append(ord(key))
        elif key.startswith("ctrl-") and key[5:] in _CTRL:
            codes.append(_CTRL.index(key[5:]))
        elif key == "DEL":
            codes.append(127)
        else:
            raise InvalidKeys(key)
    return bytes(codes)
