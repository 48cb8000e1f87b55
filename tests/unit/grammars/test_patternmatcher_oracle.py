"""dkr against moby/patternmatcher itself: answers recorded from the real library (data/patternmatcher_oracle,
built with Go's toolchain; see record.py there) replayed here without Go, and the same comparison as a live
differential fuzz when DKR_PATTERNMATCHER_ORACLE names the built oracle."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.grammars.patternmatcher_cases import (
    LINE_TOKENS,
    PATH_TOKENS,
    PATTERN_TOKENS,
    Oracle,
    dkr_answer,
)

CASES = json.loads((Path(__file__).parent / "data" / "patternmatcher_oracle.json").read_text())


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=f"{i}-{c['request']['op']}") for i, c in enumerate(CASES)]
)
def test_recorded_answer(case: dict[str, Any]) -> None:
    assert dkr_answer(case["request"]) == case["go"], case["request"]


# --- the live differential fuzz (needs the oracle binary) -------------------------------------------------

ORACLE = os.environ.get("DKR_PATTERNMATCHER_ORACLE")


@pytest.fixture(scope="module")
def oracle() -> Iterator[Oracle]:
    if not ORACLE:
        pytest.skip("DKR_PATTERNMATCHER_ORACLE is not set (build it: data/patternmatcher_oracle/record.py)")
    live = Oracle(ORACLE)
    yield live
    live.close()


pattern = st.lists(st.sampled_from(PATTERN_TOKENS), min_size=1, max_size=7).map("".join)
segment = st.lists(st.sampled_from(PATH_TOKENS), min_size=1, max_size=4).map("".join)
path = st.lists(segment.filter(lambda s: s not in (".", "..")), min_size=1, max_size=3).map("/".join)
request = st.one_of(
    st.fixed_dictionaries(
        {"op": st.just("match"), "pattern": pattern, "name": st.one_of(st.just("."), path)}
    ),
    st.fixed_dictionaries({"op": st.just("compile"), "pattern": pattern}),
    st.fixed_dictionaries(
        {
            "op": st.just("matcher"),
            "patterns": st.lists(
                st.tuples(st.sampled_from(["", "!"]), pattern).map("".join), min_size=1, max_size=3
            ),
            "paths": st.lists(path, min_size=1, max_size=4),
        }
    ),
    st.fixed_dictionaries(
        {
            "op": st.just("readall"),
            "data": st.lists(
                st.lists(st.sampled_from(LINE_TOKENS), max_size=4).map("".join), min_size=1, max_size=4
            ).map("\n".join),
        }
    ),
)


@settings(
    max_examples=int(os.environ.get("DKR_FUZZ_EXAMPLES", "2000")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request)
def test_differential_fuzz(oracle: Oracle, request: dict[str, Any]) -> None:
    assert dkr_answer(request) == oracle.ask(request)
