"""dkr lint: check Dockerfiles for instruction orders that defeat the layer cache, and other habits.

A pure analysis of the files: it never contacts (or even creates) an Engine.
"""

from __future__ import annotations

import os

import typer

from dkr.build.lint import RULES, SEVERITIES, rule_named
from dkr.errors import ExitCode, UsageError
from dkr.models.lint import LintReport
from dkr.options.formats import parse_format

_HELP = "\n".join(
    [
        "Check Dockerfiles for what breaks the layer cache, and other habits. No Engine needed.",
        "",
        "A PATH that is a folder means PATH/Dockerfile; default: ./Dockerfile. Exit 0 when nothing at or",
        "above --severity (default: warning) was found, 1 when something was, 2 when a file cannot be read",
        "or the builder would reject it. A comment `# dkr-lint ignore=DKR001[,DKR002]` on the line above an",
        "instruction (or at the end of a RUN, CMD or ENTRYPOINT in shell form) leaves those rules out there.",
        "",
        "\b",
        "Rules (--ignore takes an id or a name):",
        *(f"  {r.id}  {r.severity:<7}  {r.name:<20}  {r.summary}" for r in RULES),
    ]
)


def _lint_one(arg: str, ignore: list[str]) -> LintReport:
    """Read one Dockerfile (a folder means FOLDER/Dockerfile) and lint it; the context is its folder."""
    from dkr.build.dockerfile import DockerfileError
    from dkr.build.lint import lint_text

    path = os.path.normpath(os.path.join(arg, "Dockerfile") if os.path.isdir(arg) else arg)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        return LintReport(path, error=f"cannot read {path}: {(exc.strerror or str(exc)).lower()}")
    except UnicodeDecodeError:
        return LintReport(path, error=f"cannot read {path}: not UTF-8 text")
    context = os.path.dirname(path) or "."
    # BuildKit also honours FILE.dockerignore beside a Dockerfile given with -f
    has_dockerignore = os.path.isfile(os.path.join(context, ".dockerignore")) or os.path.isfile(
        path + ".dockerignore"
    )
    try:
        findings = lint_text(text, has_dockerignore=has_dockerignore, ignore=ignore)
    except DockerfileError as exc:
        return LintReport(path, error=f"cannot parse {path}: {exc}", error_line=exc.line)
    return LintReport(path, tuple(findings))


def lint(
    paths: list[str] | None = typer.Argument(
        None, metavar="PATH|FILE", help="Dockerfiles, or folders holding one (default: .)."
    ),
    format: str = typer.Option("text", "--format", metavar="text|json", help="text, or one JSON object."),
    ignore: list[str] = typer.Option(
        [], "--ignore", metavar="RULE", help="Skip a rule (id or name); repeatable."
    ),
    severity: str = typer.Option(
        "warning",
        "--severity",
        metavar="error|warning|info",
        help="The least severity that fails (exit 1): error lets warnings pass, info fails on notes too.",
    ),
) -> int:
    fmt = parse_format(format, "lint", ("text", "json"), default="text")
    threshold = next((s for s in SEVERITIES if s == severity.strip().lower()), None)
    if threshold is None:
        raise UsageError(f"invalid --severity '{severity}' (error, warning or info)", "lint")
    for key in ignore:
        if rule_named(key) is None:
            raise UsageError(f"unknown rule '{key}' (rules: {', '.join(r.id for r in RULES)})", "lint")

    reports = [_lint_one(arg, ignore) for arg in paths or ["."]]

    from dkr.build.lint import fails
    from dkr.render.lint import render_lint

    render_lint(reports, fmt)
    if any(r.error for r in reports):
        return ExitCode.USAGE  # the contract: 2 for a file that cannot be read or parsed
    return ExitCode.FAILURE if any(fails(r.findings, threshold) for r in reports) else ExitCode.OK


def register(app: typer.Typer) -> None:
    app.command("lint", help=_HELP)(lint)
