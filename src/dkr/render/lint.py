"""dkr lint's output: compiler-style lines on stdout (coloured on a terminal) or one JSON object; files that
cannot be read as error lines and the tally as a note, both on stderr."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from dkr import render
from dkr.models.lint import LintReport, Severity
from dkr.models.output import OutputFormat

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_NOUNS: dict[Severity, tuple[str, str]] = {
    "error": ("error", "errors"),
    "warning": ("warning", "warnings"),
    "info": ("note", "notes"),
}


def lint_json(reports: Sequence[LintReport]) -> dict[str, Any]:
    """The --format json document: every file with its findings (or its error), and a tally by severity."""
    tally = Counter(f.severity for r in reports for f in r.findings)
    return {
        "files": [
            {
                "path": r.path,
                "error": {"message": r.error, "line": r.error_line} if r.error else None,
                "findings": [f.to_json() for f in r.findings],
            }
            for r in reports
        ],
        "summary": {severity: tally.get(severity, 0) for severity in _NOUNS},
    }


def render_lint(reports: Sequence[LintReport], fmt: OutputFormat) -> None:
    for r in reports:
        if r.error:
            render.error(r.error)
    if fmt.json:
        render.result(json.dumps(lint_json(reports), ensure_ascii=False))
        return
    s = render.streams()
    found = [(r.path, f) for r in reports for f in r.findings]
    if s.out_tty and s.color:
        from rich.text import Text

        console = s.console()
        for path, f in found:
            console.print(
                Text.assemble(
                    (f"{path}:{f.line}: ", "bold"),
                    (f.severity, _STYLE[f.severity]),
                    (f" {f.rule} {f.name}: ", "dim"),
                    f.message,
                )
            )
            console.print(Text.assemble(("  fix: ", "green"), f.fix))
    else:
        render.results(
            line
            for path, f in found
            for line in (f"{path}:{f.line}: {f.severity} {f.rule} {f.name}: {f.message}", f"  fix: {f.fix}")
        )
    linted = [r for r in reports if not r.error]
    if linted:
        render.note(_summary(linted))


def _summary(reports: Sequence[LintReport]) -> str:
    where = reports[0].path if len(reports) == 1 else f"{len(reports)} Dockerfiles"
    tally = Counter(f.severity for r in reports for f in r.findings)
    parts = [f"{n} {_NOUNS[sev][n != 1]}" for sev in _NOUNS if (n := tally.get(sev, 0))]
    return f"{where}: {', '.join(parts) if parts else 'no findings'}"
