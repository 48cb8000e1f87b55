"""Terminal tables that never split a token: render.tables' layout (a property over any table and width),
and `ps -a`, `images`, `layers` and `system df` drawn at 60, 80 and 120 columns from recorded payloads."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkr.render.tables import Fit, cut, lay_out, width_of
from tests.helpers import run_dkr
from tests.unit.fake_engine import FakeEngine

DATA = Path(__file__).parents[1] / "data"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# --- the layout ------------------------------------------------------------------------------------------

_word = st.text("abcdefghij0123456789:./->*", min_size=1, max_size=14)
_fit = st.builds(
    Fit,
    rank=st.integers(1, 5),
    give=st.sampled_from(["keep", "cut", "crop", "wrap"]),
    min_width=st.integers(0, 12),
    right=st.booleans(),
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]], list[Fit], int]:
    n = draw(st.integers(1, 7))
    headers = draw(
        st.lists(
            st.text("ABCDEFGH ", min_size=1, max_size=12).map(str.strip).filter(bool), min_size=n, max_size=n
        )
    )
    cell = st.lists(_word, max_size=4).map(", ".join)
    rows = draw(st.lists(st.lists(cell, min_size=n, max_size=n), max_size=5))
    fits = draw(st.lists(_fit, min_size=n, max_size=n))
    return headers, rows, fits, draw(st.integers(10, 160))


@given(tables())
def test_a_token_is_never_split(table: tuple[list[str], list[list[str]], list[Fit], int]) -> None:
    headers, rows, fits, width = table
    laid = lay_out(headers, rows, fits, width)
    lines = [laid.header, *(line for row in laid.rows for line in row)]
    assert all(line == line.rstrip() for line in lines), "no trailing blanks"
    if len(laid.kept) > 1:
        assert all(width_of(line) <= width for line in lines)
    assert laid.kept == sorted(laid.kept) and laid.kept
    # what was dropped mattered no more than anything kept
    dropped = set(range(len(headers))) - set(laid.kept)
    assert all(fits[d].rank <= fits[k].rank for d in dropped for k in laid.kept)
    assert len(laid.rows) == len(rows)
    for i in laid.kept:
        assert headers[i] in laid.header, "a header is never cut"
        for row, row_lines in zip(rows, laid.rows, strict=True):
            if fits[i].give == "keep":
                assert any(row[i] in line for line in row_lines), (row[i], row_lines)
            elif fits[i].give == "wrap":
                for token in row[i].split(", "):
                    assert any(token in line for line in row_lines), (token, row_lines)


def test_everything_fits_on_a_wide_terminal() -> None:
    laid = lay_out(["A", "B"], [["x", "1, 2"], ["long text", ""]], [Fit(2), Fit(1, "wrap")], 80)
    assert (laid.header, laid.rows, laid.width) == (
        "A           B",
        [["x           1, 2"], ["long text"]],
        16,
    )


def test_the_least_important_column_goes_first() -> None:
    headers, rows = ["ID", "COMMAND", "NAMES"], [["0409bf8db71e", "sleep 1000", "web"]]
    fits = [Fit(3), Fit(1, "cut", min_width=7), Fit(2)]
    assert lay_out(headers, rows, fits, 40).rows == [["0409bf8db71e   sleep 1000   web"]]
    # cut after a word, and given what room is left
    assert lay_out(headers, rows, fits, 30).rows == [["0409bf8db71e   sleep…    web"]]
    assert lay_out(headers, rows, fits, 25).rows == [["0409bf8db71e   web"]]
    # one column is kept even when it is wider than the terminal: the terminal folds it, dkr never splits it
    assert lay_out(headers, rows, fits, 8).rows == [["0409bf8db71e"]]


def test_a_token_list_wraps_between_tokens() -> None:
    ports = "127.0.0.1:8080->80/tcp, 127.0.0.1:8443->443/tcp, 9000/udp"
    laid = lay_out(["PORTS"], [[ports]], [Fit(1, "wrap")], 50)
    assert laid.rows == [["127.0.0.1:8080->80/tcp, 127.0.0.1:8443->443/tcp,", "9000/udp"]]
    laid = lay_out(["NAMES"], [["web,db/web"]], [Fit(1, "wrap", sep=",")], 6)
    assert laid.rows == [["web,", "db/web"]]


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        pytest.param("Exited (3) 1 second ago", 12, "Exited (3)…", id="after-a-word"),
        pytest.param("Exited (3) 1 second ago", 7, "Exited…", id="state-word"),
        pytest.param(
            "COPY file:73e2b2d48642 in /bin/busybox", 20, "COPY file:73e2b2d48…", id="word-too-short"
        ),
        pytest.param("short", 5, "short", id="fits"),
        pytest.param("日本語のテキスト", 7, "日本語…", id="wide-runes"),
    ],
)
def test_cut(text: str, width: int, expected: str) -> None:
    assert cut(text, width) == expected
    assert width_of(cut(text, width)) <= width


# --- the commands at 60, 80 and 120 columns ---------------------------------------------------------------


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEngine]:
    """The recorded containers, images, history and disk usage."""
    payloads = {
        r"/containers/json": "containers_list.json",
        r"/images/json": "images.json",
        r"/images/[^/]+/history": "history_classic.json",
        r"/system/df": "system_df.json",
    }
    with FakeEngine(tmp_path / "engine.sock") as fake:
        for pattern, name in payloads.items():
            payload = json.loads((DATA / name).read_text())
            fake.route("GET", pattern, lambda m, p, b, payload=payload: (200, payload))
        monkeypatch.setenv("DOCKER_HOST", fake.url)
        monkeypatch.setenv("DKR_CACHE_DIR", str(tmp_path / "cache"))
        yield fake


def draw(width: int, *args: str) -> list[str]:
    res = run_dkr(*args, tty=True, width=width)
    assert res.code == 0, res.err
    lines = ANSI.sub("", res.out).splitlines()
    assert all(line == line.rstrip() for line in lines), "no trailing blanks"
    assert all(width_of(line) <= width for line in lines), lines
    return lines


def columns(header: str) -> list[str]:
    return re.split(r" {3,}", header.strip())


def assert_whole(lines: list[str], tokens: list[str]) -> None:
    for token in tokens:
        assert any(token in line for line in lines), (token, lines)


PS_IDS = ["5d1ce3d3e42e", "d1e529e17783"]
PS_NAMES = ["rec-exited", "sp1"]
PS_PORTS = ["*:9000-9001->9000-9001/tcp", "127.0.0.1:18080->80/tcp"]


@pytest.mark.parametrize(
    ("width", "kept", "height"),
    [
        pytest.param(60, ["CONTAINER ID", "PORTS", "NAMES"], 5, id="60"),
        pytest.param(80, ["CONTAINER ID", "IMAGE", "STATUS", "PORTS", "NAMES"], 5, id="80"),
        pytest.param(
            120, ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"], 5, id="120"
        ),
        pytest.param(
            160, ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"], 4, id="160"
        ),
    ],
)
def test_ps(engine: FakeEngine, width: int, kept: list[str], height: int) -> None:
    """At 80 columns docker's layout folded `0409bf8db7` / `1e`: now COMMAND and CREATED go, STATUS and
    IMAGE are cut, and PORTS wraps between its two mappings (up to 160 columns, where it fits on one line)."""
    lines = draw(width, "ps", "-a")
    assert columns(lines[0]) == kept
    assert len(lines) == height
    assert_whole(lines, PS_IDS + PS_NAMES + PS_PORTS)
    if "STATUS" in kept and width < 120:
        assert "Exited…" in lines[2] and "Up 6…" in lines[3]


@pytest.mark.parametrize(
    ("width", "kept"),
    [
        pytest.param(60, ["REPOSITORY", "TAG", "IMAGE ID"], id="60"),
        pytest.param(80, ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"], id="80"),
        pytest.param(120, ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"], id="120"),
    ],
)
def test_images(engine: FakeEngine, width: int, kept: list[str]) -> None:
    lines = draw(width, "images")
    assert columns(lines[0]) == kept
    rows = [json.loads(line) for line in run_dkr("images", "--format", "json").out.splitlines()]
    assert len(lines) == 2 + len(rows)
    for row, line in zip(rows, lines[2:], strict=True):
        assert columns(line)[:3] == [row["Repository"], row["Tag"], row["ID"]]
        if "SIZE" in kept:
            assert columns(line)[-1] == row["Size"]


@pytest.mark.parametrize(
    ("width", "kept"),
    [
        pytest.param(40, ["#", "CREATED BY", "SIZE", "SHARE"], id="40"),
        pytest.param(60, ["#", "CREATED BY", "SIZE", "CUMULATIVE", "SHARE"], id="60"),
        pytest.param(80, ["#", "CREATED BY", "SIZE", "CUMULATIVE", "SHARE"], id="80"),
        pytest.param(120, ["#", "CREATED BY", "SIZE", "CUMULATIVE", "SHARE"], id="120"),
    ],
)
def test_layers(engine: FakeEngine, width: int, kept: list[str]) -> None:
    """At 60 columns rich's table lost the units (`1.98M` / `B`) and folded the headers."""
    lines = draw(width, "layers", "app:1")
    assert columns(lines[0]) == kept
    piped = [columns(line) for line in run_dkr("layers", "app:1").out.splitlines()[1:]]
    assert len(lines) == 2 + len(piped)
    for cells, line in zip(piped, lines[2:], strict=True):
        index, _, size, cumulative, share = cells
        shown = columns(line)
        assert shown[0] == index and shown[2] == size
        assert shown[3].startswith(share if "CUMULATIVE" not in kept else cumulative)
    assert ("█" in "".join(lines)) == (width >= 120), "the share bars are the first thing cut"


@pytest.mark.parametrize("width", [60, 80, 120])
def test_system_df(engine: FakeEngine, width: int) -> None:
    lines = draw(width, "system", "df", "-v")
    assert_whole(lines, ["webdata", "old", "4.096kB", "12.29kB", "k4bqv5lt0jt2*", "52.4MB", "973fb3b3dbdf"])
    # every table keeps its first column and its size
    headers = [columns(line) for line, under in itertools.pairwise(lines) if under.startswith("─")]
    assert [h[0] for h in headers] == ["REPOSITORY", "CONTAINER ID", "VOLUME NAME", "CACHE ID"]
    assert all("SIZE" in h for h in headers)
