"""The reference implementations' own test rows for the --format template subset and docker's tabwriter.

Sources (rows copied, inputs adapted only where noted): docker/cli templates/templates_test.go,
cli/command/formatter/formatter_test.go and container_test.go (containers as plain field dicts), the
tabwriter fork docker's formatter uses (cli/command/formatter/tabwriter/tabwriter_test.go: Go's
text/tabwriter table, cells measured by go-runewidth), Go's src/strings/strings_test.go (docker's upper,
lower and title are strings.ToUpper, ToLower, Title) and src/text/template/parse/parse_test.go.
"""

from __future__ import annotations

import json

import pytest

from dkr.errors import UsageError
from dkr.grammars.gotemplate import compile_template, tabwrite

# docker ps's template fields (container_test.go TestContainerContextWriteJSON) and their table headers
TITLES = {
    "Command": "COMMAND", "CreatedAt": "CREATED AT", "ID": "CONTAINER ID", "Image": "IMAGE", "Labels": "LABELS",
    "LocalVolumes": "LOCAL VOLUMES", "Mounts": "MOUNTS", "Names": "NAMES", "Networks": "NETWORKS",
    "Ports": "PORTS", "RunningFor": "CREATED", "Size": "SIZE", "State": "STATE", "Status": "STATUS",
}  # fmt: skip
KNOWN = tuple(TITLES)
CREATED = "2024-05-01 10:00:00 +0000 UTC"  # upstream: time.Unix(now-1 day).String()
C1 = {
    **dict.fromkeys(KNOWN, ""),
    **{"ID": "containerID1", "Names": "foobar_baz", "Image": "ubuntu", "Command": '""', "State": "running"},
    **{"CreatedAt": CREATED, "RunningFor": "24 hours ago", "LocalVolumes": "0", "Size": "0B"},
}
C2 = {**C1, "ID": "containerID2", "Names": "foobar_bar"}
DEFAULT = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}"


def write(source: str, rows: list[dict[str, str]], known=KNOWN, titles=TITLES) -> str:
    """docker's Context.Write: one line a row; with `table`, the header first and all through the tabwriter."""
    tmpl = compile_template(source, known, "ps")
    lines = [tmpl.render(fields) for fields in rows]
    if not tmpl.table:
        return "".join(f"{line}\n" for line in lines)
    text = "\n".join([tmpl.header(titles), *lines])
    return tabwrite([line.split("\t") for line in text.split("\n")])


@pytest.mark.parametrize(
    ("source", "rows", "expected"),
    [
        # container_test.go TestContainerContextWrite
        pytest.param(
            DEFAULT + "\t{{.Size}}",
            [C1, C2],
            "CONTAINER ID   IMAGE     COMMAND   CREATED        STATUS    PORTS     NAMES        SIZE\n"
            'containerID1   ubuntu    ""        24 hours ago                       foobar_baz   0B\n'
            'containerID2   ubuntu    ""        24 hours ago                       foobar_bar   0B\n',
            id="table-default-size",
        ),
        pytest.param(
            DEFAULT,
            [C1, C2],
            "CONTAINER ID   IMAGE     COMMAND   CREATED        STATUS    PORTS     NAMES\n"
            'containerID1   ubuntu    ""        24 hours ago                       foobar_baz\n'
            'containerID2   ubuntu    ""        24 hours ago                       foobar_bar\n',
            id="table-default",
        ),
        pytest.param("table {{.Image}}", [C1, C2], "IMAGE\nubuntu\nubuntu\n", id="table-image"),
        pytest.param("table {{.State}}", [C1, C2], "STATE\nrunning\nrunning\n", id="table-state"),
        pytest.param("{{.Image}}", [C1, C2], "ubuntu\nubuntu\n", id="custom-image"),
        pytest.param("{{.ID}}", [C1, C2], "containerID1\ncontainerID2\n", id="quiet-id"),
        pytest.param("{{.Names}}", [C1], "foobar_baz\n", id="names"),
        # ... TestContainerContextWriteWithNoContainers
        pytest.param("{{.Image}}", [], "", id="none-custom"),
        pytest.param("table {{.Image}}", [], "IMAGE\n", id="none-table"),
        pytest.param("table {{.Image}}\t{{.Size}}", [], "IMAGE     SIZE\n", id="none-table-size"),
        pytest.param("table {{.Image}}\\t{{.Size}}", [], "IMAGE     SIZE\n", id="none-escaped-tab"),
    ],
)
def test_container_context_write(source: str, rows: list[dict[str, str]], expected: str) -> None:
    assert write(source, rows) == expected


def test_container_json() -> None:
    """TestContainerContextWriteJSON and ...JSONField: each line is the container's object, or the ID."""
    lines = write("{{json .}}", [C1, C2]).splitlines()
    assert [json.loads(line) for line in lines] == [C1, C2]
    ids = write("{{json .ID}}", [C1, C2]).splitlines()
    assert [json.loads(line) for line in ids] == ["containerID1", "containerID2"]


@pytest.mark.parametrize("field", ["ID", "Names", "Image", "Command", "CreatedAt", "RunningFor", "Ports",
                                   "Status", "Size", "Labels", "Mounts"])  # fmt: skip
def test_container_back_compat(field: str) -> None:
    """TestContainerBackCompat: `{{ .Field }}` renders every documented field."""
    assert write(f"{{{{ .{field} }}}}", [C1]) == f"{C1[field]}\n"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        # TestContainerPsContext: ctx.Label
        pytest.param("com.docker.swarm.swarm-id", "33", id="swarm-id"),
        pytest.param("com.docker.swarm.node_name", "ubuntu", id="node-name"),
        pytest.param("anything.really", "", id="missing"),
    ],
)
def test_label(key: str, expected: str) -> None:
    labels = {"com.docker.swarm.swarm-id": "33", "com.docker.swarm.node_name": "ubuntu"}
    assert compile_template(f'{{{{.Label "{key}"}}}}', KNOWN, "ps").render(C1, labels) == expected


@pytest.mark.parametrize(
    ("source", "value", "expected"),
    [
        # templates_test.go TestParseJSONFunctions (GitHub #32120): json does not escape HTML
        pytest.param("{{json .Ports}}", "0.0.0.0:2->8/udp", '"0.0.0.0:2->8/udp"', id="json-32120"),
        # strings_test.go upperTests / lowerTests (docker's upper, lower)
        pytest.param("{{upper .Names}}", "abc", "ABC", id="upper-abc"),
        pytest.param("{{upper .Names}}", "azAZ09_", "AZAZ09_", id="upper-azAZ09_"),
        pytest.param("{{upper .Names}}", "\u0250" * 5, "\u2c6f" * 5, id="upper-grows"),
        pytest.param("{{upper .Names}}", "a\u0080\U0010ffff", "A\u0080\U0010ffff", id="upper-runeself"),
        pytest.param("{{lower .Names}}", "AbC123", "abc123", id="lower-AbC123"),
        pytest.param("{{lower .Names}}", "\u2c6d" * 5, "\u0251" * 5, id="lower-shrinks"),
        pytest.param("{{lower .Names}}", "A\u0080\U0010ffff", "a\u0080\U0010ffff", id="lower-runeself"),
        # strings_test.go TitleTests (docker's title)
        pytest.param("{{title .Names}}", "", "", id="title-empty"),
        pytest.param("{{title .Names}}", " aaa aaa aaa ", " Aaa Aaa Aaa ", id="title-spaces"),
        pytest.param("{{title .Names}}", "123a456", "123a456", id="title-digits"),
        pytest.param("{{title .Names}}", "double-blind", "Double-Blind", id="title-hyphen"),
        pytest.param("{{title .Names}}", "ÿøû", "Ÿøû", id="title-latin1"),
        pytest.param("{{title .Names}}", "with_underscore", "With_underscore", id="title-underscore"),
        pytest.param(
            "{{title .Names}}",
            "unicode \u2028 line separator",
            "Unicode \u2028 Line Separator",
            id="title-u2028",
        ),
        # parse_test.go "Trimming spaces" (the constant 3 read as .Names): trim markers eat white space
        pytest.param("x \r\n\t{{- .Names}}", "3", "x3", id="trim-left"),
        pytest.param("{{.Names -}}\n\n\ty", "3", "3y", id="trim-right"),
        pytest.param("x \r\n\t{{- .Names -}}\n\n\ty", "3", "x3y", id="trim-both"),
        pytest.param("x\n{{-  .Names   -}}\ny", "3", "x3y", id="trim-extra-spaces"),
    ],
)
def test_functions(source: str, value: str, expected: str) -> None:
    fields = {**C1, "Ports": value, "Names": value}
    assert compile_template(source, KNOWN, "ps").render(fields) == expected


@pytest.mark.parametrize(
    ("source", "is_table", "expected"),
    [
        # formatter_test.go TestFormat / TestContext (one field .Name, header NAME); "table" alone is
        # an empty header and an empty row (ps reads it as its default table)
        pytest.param("table", True, "\n\n", id="table-alone"),
        pytest.param("other", False, "other\n", id="other"),
        pytest.param("table {{.Name}}", True, "NAME\ntest\n", id="context-table"),
        pytest.param("{{json .}}", False, '{"Name":"test"}\n', id="context-json"),
        # formatter.go preFormat: "table" cut, spaces trimmed, then \t and \n escapes replaced
        pytest.param("table{{.Name}}  ", True, "NAME\ntest\n", id="prefix-no-space"),
        pytest.param("  {{.Name}}\\t", False, "test\t\n", id="escape-after-trim"),
        pytest.param("{{.Name}}\\n{{.Name}}", False, "test\ntest\n", id="escaped-newline"),
    ],
)
def test_formatter_context(source: str, is_table: bool, expected: str) -> None:
    assert compile_template(source, ("Name",), "ps").table is is_table
    assert write(source, [{"Name": "test"}], ("Name",), {"Name": "NAME"}) == expected


@pytest.mark.parametrize("func", ["json", "title", "lower", "upper"])
def test_header_functions(func: str) -> None:
    """templates_test.go TestHeaderFunctions: in a header the functions give their input back."""
    tmpl = compile_template(f"table {{{{ {func} .Names}}}}", KNOWN, "ps")
    assert tmpl.header({"Names": "hello world"}) == "hello world"


# tabwriter_test.go rows with flags 0 whose input ends in a newline, as docker's lines do: (name, minwidth,
# padding, padchar, input lines, output lines); tabwrite pads with spaces, and no input holds its padchar
T13 = (
    "999999999\t22",
    "7\t22",
    "\t\t\t88888888",
    "",
    "666666\t666666\t666666\t4444",
    "1\t1\t999999999\t0000000000",
)
TABWRITER = [
    ("2", 8, 1, ".", ("", "", ""), ("", "", "")),
    ("5b", 8, 1, ".", ("*\t*",), ("*.......*",)),
    ("6", 8, 1, ".", ("\t",), ("........",)),
    ("7d", 8, 1, ".", ("d) foo\tbar",), ("d) foo..bar",)),
    ("7e", 8, 1, ".", ("e) foo\tbar\t",), ("e) foo..bar.....",)),
    ("8", 8, 1, "*", ("Hello, world!",), ("Hello, world!",)),
    ("9a", 1, 0, ".", ("1\t2\t3\t4", "11\t222\t3333\t44444"), ("1.2..3...4", "11222333344444")),
    ("10a", 5, 0, ".", ("1\t2\t3\t4",), ("1....2....3....4",)),
    ("10b", 5, 0, ".", ("1\t2\t3\t4\t",), ("1....2....3....4....",)),
    # docker's fork measures cells with go-runewidth: 本 is two columns wide (Go's own row pads by runes)
    ("11", 8, 1, ".", ("本\tb\tc", "aa\t本本本\tcccc\tddddd", "aaa\tbbbb"),
     ("本......b.......c", "aa......本本本..cccc....ddddd", "aaa.....bbbb")),
    ("12b", 2, 0, " ", ("a\tb\tc", "aa\tbbb\tcccc", "aaa\tbbbb"), ("a  b  c", "aa bbbcccc", "aaabbbb")),
    ("12c", 8, 1, "_", ("a\tb\tc", "aa\tbbb\tcccc", "aaa\tbbbb"),
     ("a_______b_______c", "aa______bbb_____cccc", "aaa_____bbbb")),
    # a column is a block of consecutive lines having that cell: its own width, per block
    ("13a", 4, 1, "-", ("4444\t日本語\t22\t1\t333", *T13),
     ("4444------日本語-22--1---333", "999999999-22", "7---------22", "------------------88888888", "",
      "666666-666666-666666----4444", "1------1------999999999-0000000000")),
    ("13b", 4, 3, ".", ("4444\t333\t22\t1\t333", *T13),
     ("4444........333...22...1...333", "999999999...22", "7...........22", "....................88888888", "",
      "666666...666666...666666......4444", "1........1........999999999...0000000000")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("minwidth", "padding", "padchar", "src", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in TABWRITER],
)
def test_tabwriter(minwidth: int, padding: int, padchar: str, src: tuple, expected: tuple) -> None:
    want = "".join(f"{line}\n" for line in expected).replace(padchar, " ")
    assert tabwrite([line.split("\t") for line in src], minwidth=minwidth, padding=padding) == want


@pytest.mark.parametrize(
    "source",
    [
        # templates_test.go
        pytest.param('{{join (split . ":") "/"}}', id="join-split"),
        pytest.param("this is a {{ . }}", id="dot"),
        pytest.param("{{truncate . 5}}", id="truncate"),
        pytest.param("{{pad . 3 3}}", id="pad"),
        pytest.param('{{ split . ","}}', id="split"),
        pytest.param('{{ join . ","}}', id="join"),
        # container_test.go: errors upstream too, and the special headers' truncate/pad/split
        pytest.param("{{InvalidFunction}}", id="invalid-function"),
        pytest.param("{{nil}}", id="nil"),
        pytest.param(
            "table {{truncate .ID 5}}\\t{{json .Image}} {{.RunningFor}}/{{title .Status}}/{{pad .Ports 2 2}}."
            "{{upper .Names}} {{lower .Status}}",
            id="special-headers",
        ),
        pytest.param('table {{split .Image ":"}}', id="table-split"),
        # parse_test.go (fields renamed to docker's)
        pytest.param("{{if .ID}}hello{{end}}", id="if"),
        pytest.param("{{range .Names}}{{.}}{{ continue }}{{end}}", id="range"),
        pytest.param("{{with .ID}}hello{{end}}", id="with"),
        pytest.param('{{\n"x"\n|\nprintf\n}}', id="printf-pipeline"),
        pytest.param("x \r\n\t{{- /* hi */}}", id="comment"),
        pytest.param('{{block "foo" .}}hello{{end}}', id="block"),
    ],
)
def test_outside_the_subset_is_a_usage_error(source: str) -> None:
    with pytest.raises(UsageError) as err:
        compile_template(source, KNOWN, "ps")
    assert err.value.exit_code == 2
