"""`python -m dkr`."""

from __future__ import annotations

from dkr.entry import run

run()
