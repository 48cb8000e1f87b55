"""Moving images between the Engine and a registry: the progress events of a pull or a push, and what each
one left (the reference and its digest)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TransferEvent:
    """One step of a pull or a push as the Engine reports it: a layer's state ("Pulling fs layer",
    "Downloading", "Pushed"), with its byte counts while it moves, or a line about the whole image
    ("Pulling from library/busybox", "Digest: sha256:…") when `layer` is empty."""

    status: str
    layer: str = ""
    current: int | None = None
    total: int | None = None

    @property
    def is_tick(self) -> bool:
        """A byte count moving forward ("Downloading 2MB/5MB"): worth a bar on a terminal, not a log line."""
        return self.current is not None


@dataclass(frozen=True)
class Pulled:
    """A pulled reference (`127.0.0.1:5000/app:1`, or a repository with --all-tags) and its digest."""

    ref: str
    digest: str = ""
    #: whether anything new came down ("Downloaded newer image") or the local copy was already current
    updated: bool = True


@dataclass(frozen=True)
class Pushed:
    """A pushed tag: its full reference and the manifest digest the registry now serves for it."""

    ref: str
    digest: str
    size: int = 0
