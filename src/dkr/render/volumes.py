"""The volume commands' output: docker's `volume ls` table, JSON lines or template, and `inspect`'s array."""

from __future__ import annotations

from collections.abc import Sequence

from dkr import render
from dkr.fields.volumes import HEADERS, fields, natural_key
from dkr.models.output import OutputFormat
from dkr.models.volumes import Volume
from dkr.render.listing import render_listing
from dkr.render.tables import Fit

#: DRIVER may be cut, VOLUME NAME stays whole
FITS = {"Driver": Fit(1, "cut", min_width=6), "Name": Fit(2)}


def render_volumes(volumes: Sequence[Volume], fmt: OutputFormat, quiet: bool) -> None:
    """`docker volume ls`: sorted by name as docker sorts them; -q the names alone."""
    ordered = sorted(volumes, key=lambda v: natural_key(v.name))
    if quiet:
        render.results(v.name for v in ordered)
        return
    rows = [(fields(v), v.labels) for v in ordered]
    render_listing(rows, fmt, HEADERS, ("Driver", "Name"), FITS)
