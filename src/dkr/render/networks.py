"""`network ls` as docker prints it: a table, JSON lines or a template (inspect is render.listing's)."""

from __future__ import annotations

from collections.abc import Sequence

from dkr import render
from dkr.fields.networks import HEADERS, fields
from dkr.fields.volumes import natural_key
from dkr.models.networks import Network
from dkr.models.output import OutputFormat
from dkr.render.listing import render_listing
from dkr.render.tables import Fit

#: NETWORK ID and NAME stay whole; SCOPE then DRIVER are cut first
FITS = {
    "ID": Fit(4),
    "Name": Fit(3),
    "Driver": Fit(2, "cut", min_width=6),
    "Scope": Fit(1, "cut", min_width=5),
}


def render_networks(networks: Sequence[Network], fmt: OutputFormat, quiet: bool, trunc: bool) -> None:
    """`docker network ls`: sorted by name as docker sorts them; -q the ids alone."""
    ordered = sorted(networks, key=lambda n: natural_key(n.name))
    rows = [(fields(n, trunc), n.labels) for n in ordered]
    if quiet:
        render.results(row["ID"] for row, _ in rows)
        return
    render_listing(rows, fmt, HEADERS, ("ID", "Name", "Driver", "Scope"), FITS)
