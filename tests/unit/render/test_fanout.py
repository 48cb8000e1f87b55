"""Several Engines' answers, decided and shown (dkr.models.fanout, dkr.render.fanout), with made-up answers
per Engine: no daemon."""

from __future__ import annotations

import pytest

from dkr.errors import (
    DkrError,
    EngineError,
    EngineUnreachable,
    NoSuchContainer,
    OnSeveralEngines,
    Unreachable,
)
from dkr.hosts import Endpoint
from dkr.models.fanout import Answer, merged, placed
from dkr.render.errors import message
from dkr.render.fanout import Prefixer, failure_line, with_engine
from dkr.render.tables import Fit


def test_merged_keeps_the_engines_order_and_each_engines_own_order() -> None:
    answers = [
        Answer("b", ["b2", "b1"]),
        Answer("down", error=DkrError("gone")),
        Answer("a", ["a1"]),
        Answer("empty", []),
    ]
    assert merged(answers) == (["b2", "b1", "a1"], ["b", "b", "a"])


def _missing(ref: str) -> NoSuchContainer:
    return NoSuchContainer(ref, f"No such container: {ref}")


def test_placed_on_the_one_engine_that_has_it() -> None:
    looked = {"a": [None, _missing("y")], "b": [_missing("x"), None]}
    assert placed(["x", "y"], looked) == ["a", "b"]


def test_a_name_on_two_engines_is_acted_on_nowhere_and_names_both() -> None:
    (where,) = placed(["web"], {"a": [None], "b": [_missing("web")], "c": [None]})
    assert isinstance(where, OnSeveralEngines)
    assert where.engines == ["a", "c"]
    assert message(where) == "it is on 2 Engines, a and c: nothing was done (name one with -c)"


def test_nowhere_is_todays_no_such_container_unless_a_look_up_failed_otherwise() -> None:
    (where,) = placed(["x"], {"a": [_missing("x")], "b": [_missing("x")]})
    assert isinstance(where, NoSuchContainer) and message(where) == "No such container: x"
    odd = EngineError("something else")
    assert placed(["x"], {"a": [_missing("x")], "b": [odd]}) == [odd]


def test_no_engine_answered() -> None:
    (where,) = placed(["x"], {})
    assert isinstance(where, DkrError) and "no Engine answered" in str(where)


def test_with_engine_puts_the_column_and_the_key_first() -> None:
    rows = [({"ID": "1", "Names": "n"}, {}), ({"ID": "2", "Names": "m"}, {"k": "v"})]
    tagged, headers, columns, fits = with_engine(
        rows,
        ["a", "b"],
        {"ID": "CONTAINER ID", "Names": "NAMES"},
        ["ID", "Names"],
        {"ID": Fit(8), "Names": Fit(9)},
    )
    assert [list(f) for f, _ in tagged] == [["Engine", "ID", "Names"]] * 2
    assert [f["Engine"] for f, _ in tagged] == ["a", "b"]
    assert tagged[1][1] == {"k": "v"}
    assert columns == ["Engine", "ID", "Names"] and headers["Engine"] == "ENGINE"
    assert fits["Engine"].rank > max(f.rank for k, f in fits.items() if k != "Engine")
    with pytest.raises(ValueError):
        with_engine(rows, ["a"], {}, [], {})


def test_failure_line_names_the_context_and_the_endpoint_once() -> None:
    ep = Endpoint("unix:///tmp/pe/sock", "context 'pe'")
    down = EngineUnreachable(ep, Unreachable.NO_SOCKET)
    line = failure_line("pe", ep.url, down)
    assert line.startswith("Engine 'pe': cannot connect to the Docker Engine at unix:///tmp/pe/sock")
    assert line.count("unix:///tmp/pe/sock") == 1
    assert failure_line("pe", ep.url, EngineError("boom")) == "Engine 'pe' at unix:///tmp/pe/sock: boom"


def test_prefixer_gives_whole_lines_prefixed_and_padded() -> None:
    p = Prefixer(["a", "long"])
    assert p.feed("a", 1, b"one\ntw") == b"a    | one\n"
    assert p.feed("long", 2, b"err\n") == b"long | err\n"
    assert p.feed("a", 2, b"x") == b""  # another stream of the same Engine keeps its own line
    assert p.feed("a", 1, b"o\nthree\n") == b"a    | two\na    | three\n"
    assert p.end("a") == [(2, b"a    | x\n")]
    assert p.end("long") == []
