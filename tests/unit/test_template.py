"""The Go-template subset behind --format TEMPLATE, and docker's tabwriter layout."""

from __future__ import annotations

import pytest

from dkr.errors import UsageError
from dkr.template import compile_template, tabwrite

KNOWN = ("ID", "Names", "Ports", "Status")
FIELDS = {"ID": "abc", "Names": "web", "Ports": "80/tcp", "Status": "Up 1 second"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("{{.ID}}", "abc", id="field"),
        pytest.param("{{ .ID }}", "abc", id="spaces"),
        pytest.param("{{.ID}}\\t{{.Names}}", "abc\tweb", id="tab-escape"),
        pytest.param("id={{.ID}} name={{.Names}}!", "id=abc name=web!", id="literals"),
        pytest.param('{{.Label "tier"}}', "api", id="label"),
        pytest.param('{{.Label "missing"}}', "", id="missing-label"),
        pytest.param("{{json .Names}}", '"web"', id="json-field"),
        pytest.param("{{upper .Names}}", "WEB", id="upper"),
        pytest.param(
            "{{json .}}", '{"ID":"abc","Names":"web","Ports":"80/tcp","Status":"Up 1 second"}', id="json"
        ),
        pytest.param("{{- .ID -}}", "abc", id="trim-markers"),
    ],
)
def test_render(source: str, expected: str) -> None:
    tmpl = compile_template(source, KNOWN, "ps")
    assert tmpl.render(FIELDS, {"tier": "api"}) == expected
    assert not tmpl.table


def test_table_prefix_keeps_columns() -> None:
    tmpl = compile_template("table {{.ID}}\\t{{.Status}}", KNOWN, "ps")
    assert tmpl.table
    assert tmpl.columns == ("ID", "Status")


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("{{.Nope}}", id="unknown-field"),
        pytest.param("{{.ID", id="unclosed"),
        pytest.param("{{range .}}x{{end}}", id="unsupported-action"),
        pytest.param("{{upper .}}", id="upper-needs-field"),
    ],
)
def test_bad_templates_are_usage_errors(source: str) -> None:
    with pytest.raises(UsageError) as err:
        compile_template(source, KNOWN, "ps")
    assert err.value.exit_code == 2
    assert err.value.hint == "Run 'dkr ps --help' for usage."


def test_tabwrite_like_docker() -> None:
    out = tabwrite([["CONTAINER ID", "IMAGE", "NAMES"], ["d1e529e17783", "scratchpad-bb", "sp1"]])
    assert out == ("CONTAINER ID   IMAGE           NAMES\nd1e529e17783   scratchpad-bb   sp1\n")


def test_tabwrite_minimum_width() -> None:
    assert tabwrite([["A", "B"], ["x", "y"]]) == "A         B\nx         y\n"
    assert tabwrite([]) == ""
