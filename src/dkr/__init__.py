"""dkr: a thin container CLI over Docker Engine."""

from __future__ import annotations

__version__ = "0.1.0"
