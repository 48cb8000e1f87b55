"""The Go-template subset behind --format TEMPLATE, and docker's tabwriter layout."""

from __future__ import annotations

import re

import pytest

from dkr.errors import UsageError
from dkr.grammars.gotemplate import TemplateExecError, compile_template, tabwrite

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


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # docker's formatter trims spaces around every format (Context.preFormat)
        pytest.param(" {{.ID}} ", "abc", id="trimmed"),
        # Go's strings.Title: only the first letter of each word changes; digits and "_" join words
        pytest.param("{{title .Names}}", "MyApp 1st_try-X", id="go-title"),
    ],
)
def test_render_like_docker(source: str, expected: str) -> None:
    fields = {**FIELDS, "Names": "myApp 1st_try-x"}
    assert compile_template(source, KNOWN, "ps").render(fields) == expected


@pytest.mark.parametrize(
    ("source", "header"),
    [
        pytest.param("table {{.ID}}\t{{.Names}}", "CONTAINER ID\tNAMES", id="fields"),
        # docker renders a table's header with HeaderFunctions: json, upper, lower, title leave it alone
        pytest.param("table {{lower .Names}}\t{{json .ID}}", "NAMES\tCONTAINER ID", id="functions"),
        # ... and a label's column is the last part of its key, "-" and "_" read as spaces
        pytest.param('table {{.Label "com.example.build-tier_x"}}', "build tier x", id="label"),
        pytest.param("table {{json .}}", "", id="json-dot"),
        # "table" needs no space after it (docker: HasPrefix(format, "table"))
        pytest.param("table{{.ID}}", "CONTAINER ID", id="no-space"),
    ],
)
def test_table_header_like_docker(source: str, header: str) -> None:
    tmpl = compile_template(source, KNOWN, "ps")
    assert tmpl.table
    assert tmpl.header({"ID": "CONTAINER ID", "Names": "NAMES"}) == header


def test_json_dot_uses_every_field() -> None:
    """docker ps asks the Engine for sizes when a template reads .Size, and {{json .}} reads every field."""
    assert compile_template("{{json .}}", KNOWN, "ps").fields_used == KNOWN
    assert compile_template("{{.ID}} {{json .Names}}", KNOWN, "ps").fields_used == ("ID", "Names")


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


def test_json_escapes_html_for_the_row_but_not_for_a_field() -> None:
    """docker: `{{json .}}` marshals the row with json.Marshal (`->` becomes `-\\u003e`, as recorded from
    docker 28.2.2's `ps --format json`); `{{json .Ports}}` is the template function, which does not escape
    (docker 28.2.2: `docker version --format '{{json "a->b<&"}}'` prints "a->b<&")."""
    fields = {"ID": "abc", "Names": "web", "Ports": "0.0.0.0:80->80/tcp", "Status": "Up"}
    assert compile_template("{{json .Ports}}", KNOWN, "ps").render(fields) == '"0.0.0.0:80->80/tcp"'
    row = compile_template("{{json .}}", KNOWN, "ps").render(fields)
    assert '"Ports":"0.0.0.0:80-\\u003e80/tcp"' in row


# --- over a whole Engine object (inspect) ------------------------------------------------------------------

OBJ = {
    "State": {"Status": "running", "Pid": 7, "Health": None},
    "Config": {"Labels": None, "Env": ["A=1"], "Ports": {"80/tcp": {}}, "Empty": {}},
}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("{{.State.Status}}", "running", id="path"),
        pytest.param("{{.State.Pid}} {{.State.Health}}", "7 <nil>", id="int-nil"),
        pytest.param("{{.State}}", "map[Health:<nil> Pid:7 Status:running]", id="map"),
        pytest.param("{{.Config.Env}}", "[A=1]", id="list"),
        pytest.param('{{index .Config.Labels "k"}}', "", id="index-nil-map"),
        pytest.param('{{index .State "Status"}}', "running", id="index"),
        pytest.param("{{json .Config.Env}}", '["A=1"]', id="json-path"),
        pytest.param("{{json .State.Health}}", "null", id="json-nil"),
        pytest.param(
            "{{.Config.Ports.x}} {{.Config.Empty.X}}", "<no value> <no value>", id="map-missing-key"
        ),
        pytest.param("{{upper .State.Status}}", "RUNNING", id="upper"),
        pytest.param("table {{.State.Pid}}\\t ", "table 7\\t ", id="text-as-given"),
    ],
)
def test_object_templates(source: str, expected: str) -> None:
    assert compile_template(source, None, "inspect").render(OBJ) == expected


@pytest.mark.parametrize(
    ("source", "needle"),
    [
        pytest.param("{{.Nope}}", ':1:2: executing "" at <.Nope>: map has no entry for key "Nope"', id="key"),
        pytest.param(
            "a\n {{ .State.Nope }}", ':2:10: executing "" at <.State.Nope>: map has no entry', id="line-col"
        ),
        pytest.param(
            "{{.State.Health.Status}}",
            ':1:15: executing "" at <.State.Health.Status>: nil pointer evaluating interface {}.Status',
            id="nil",
        ),
        pytest.param("{{.State.Status.X}}", "can't evaluate field X in type string", id="string-field"),
        pytest.param('{{index .State.Pid "x"}}', "can't index item of type float64", id="index-int"),
    ],
)
def test_object_template_execution_errors(source: str, needle: str) -> None:
    with pytest.raises(TemplateExecError, match=re.escape(needle)):
        compile_template(source, None, "inspect").render(OBJ)
