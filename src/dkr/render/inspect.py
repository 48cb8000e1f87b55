"""inspect's output: docker's indented JSON array of the objects found, or a Go template's line for each;
then a line on stderr for each missing one."""

from __future__ import annotations

import json
from collections.abc import Sequence

from dkr import render
from dkr.errors import ExitCode
from dkr.grammars.gotemplate import TemplateExecError
from dkr.models.containers import Outcome
from dkr.models.output import OutputFormat
from dkr.render.errors import message


def show(outcomes: Sequence[Outcome], output: OutputFormat) -> int:
    found = [res.value for res in outcomes if res.error is None]
    failed = [res for res in outcomes if res.error is not None]
    broken: list[str] = []
    if output.template is None:
        # docker's json.Indent of the Engine's objects: four spaces, no space before ":"
        render.result(json.dumps(found, indent=4, separators=(",", ": "), ensure_ascii=False))
    else:
        lines = []
        for obj in found:
            try:
                lines.append(output.template.render(obj))
            except TemplateExecError as exc:
                broken.append(f"template parsing error: {exc}")  # docker's words
        render.results(lines or [""])  # as docker's: a line even when there was nothing to show
    for res in failed:
        assert res.error is not None
        render.error(message(res.error))
    for line in broken:
        render.error(line)
    return ExitCode.FAILURE if failed or broken else ExitCode.OK
