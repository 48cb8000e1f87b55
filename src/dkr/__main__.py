"""`python -m dkr`."""

from __future__ import annotations

from dkr.cli import run

run()
