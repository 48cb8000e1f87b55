"""An image's layers, as `dkr layers` shows them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dkr.models.build import BuildStep


@dataclass(frozen=True)
class Layer:
    """One entry of an image's history (GET /images/{name}/history): the step that made a layer."""

    id: str  # the image id of that step, or "<missing>" for steps of a pulled base image
    created: int
    created_by: str
    size: int
    comment: str = ""
    tags: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Layer:
        return cls(
            id=str(data.get("Id") or "<missing>"),
            created=int(data.get("Created") or 0),
            created_by=str(data.get("CreatedBy") or ""),
            size=int(data.get("Size") or 0),
            comment=str(data.get("Comment") or ""),
            tags=tuple(data.get("Tags") or ()),
        )

    @property
    def instruction(self) -> str:
        """The instruction that made the layer, on one line, without the builder's wrapping (see
        instruction_of)."""
        return instruction_of(self.created_by)


_SHELL_RUN = "/bin/sh -c "


_NOP = "/bin/sh -c #(nop) "


def instruction_of(created_by: str) -> str:
    """A history entry's CreatedBy as the instruction it came from, on one line.

    The classic builder records `/bin/sh -c #(nop) WORKDIR /app` for instructions that run nothing and
    `/bin/sh -c npm ci` for a RUN, prefixed by `|N K=V...` when N build args were in scope; BuildKit writes
    `RUN /bin/sh -c npm ci # buildkit`. All are shown as `WORKDIR /app` and `RUN npm ci`."""
    text = created_by.strip().removesuffix("# buildkit").strip()
    prefix = ""
    if text.startswith("RUN "):
        prefix, text = "RUN ", text[len("RUN ") :].lstrip()
    args = re.match(r"^\|(\d+) (.*)$", text, re.S)
    if args:
        at = args.group(2).find(_SHELL_RUN)
        text = args.group(2)[at:] if at >= 0 else args.group(2).split(" ", int(args.group(1)))[-1]
    if text.startswith(_NOP):
        text = text[len(_NOP) :]
    elif text.startswith(_SHELL_RUN):
        text = "RUN " + text[len(_SHELL_RUN) :]
    else:
        text = prefix + text
    # the classic builder names copied content by its full digest (`COPY file:73e2…(64 hex) in /bin/`): 12
    # characters identify it, as docker's short ids do
    text = re.sub(r"\b(file|dir|multi):([0-9a-f]{12})[0-9a-f]{52}\b", r"\1:\2", text)
    # one line for the table: a heredoc script's lines joined as the shell would chain them
    return "; ".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


@dataclass(frozen=True)
class ImageLayers:
    """An image's layers, oldest first, and for each the build step that made it when dkr's last build of
    this image is on record (None for the base image's layers, or when there is no record)."""

    image: str
    id: str
    layers: tuple[Layer, ...]
    steps: tuple[BuildStep | None, ...] = ()

    @property
    def total_size(self) -> int:
        return sum(layer.size for layer in self.layers)

    @property
    def has_build_record(self) -> bool:
        return any(step is not None for step in self.steps)
