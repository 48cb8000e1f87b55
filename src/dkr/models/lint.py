"""Findings of `dkr lint`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    """One lint finding on a Dockerfile: which rule fired, where, why, and what to do instead."""

    rule: str  # "DKR001"
    name: str  # "cache-order"
    severity: Severity
    line: int
    message: str
    fix: str

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "line": self.line,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class LintReport:
    """The outcome for one linted file: its findings, or why it could not be read or parsed."""

    path: str
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    #: the line the parse error is on (0: the file as a whole)
    error_line: int = 0
