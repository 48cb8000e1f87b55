"""Which Engines a call names (dkr.options.engines): repeated -c, comma lists, --all-contexts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkr.errors import UsageError
from dkr.options.engines import context_list, one_engine_only, selected

#: docker's context names: ^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$
NAME = st.from_regex(r"[a-zA-Z0-9][a-zA-Z0-9_.+-]{1,8}", fullmatch=True)


@pytest.mark.parametrize(
    ("values", "names"),
    [
        pytest.param(["a"], ["a"], id="one"),
        pytest.param(["a,b"], ["a", "b"], id="comma-list"),
        pytest.param(["a", "b"], ["a", "b"], id="repeated"),
        pytest.param(["a,b", "c"], ["a", "b", "c"], id="both"),
        pytest.param(["b,a", "a"], ["b", "a"], id="twice-counts-once-where-first-given"),
        pytest.param([], [], id="none"),
    ],
)
def test_context_list(values: list[str], names: list[str]) -> None:
    assert context_list(values) == names


@pytest.mark.parametrize("value", ["", ",", "a,", ",a", "a,,b", "a, ,b"])
def test_an_empty_name_is_a_usage_error(value: str) -> None:
    with pytest.raises(UsageError, match="empty context name"):
        context_list([value])


@given(st.lists(st.lists(NAME, min_size=1, max_size=4), max_size=4))
def test_any_grouping_of_names_gives_each_once_in_first_order(groups: list[list[str]]) -> None:
    flat = [n for g in groups for n in g]
    assert context_list([",".join(g) for g in groups]) == list(dict.fromkeys(flat))
    # as repeated -c options, one name each, the same
    assert context_list(flat) == list(dict.fromkeys(flat))


def test_all_contexts_is_default_then_the_store_sorted() -> None:
    assert selected(None, [], True, ["zed", "default", "alpha"]) == ["default", "alpha", "zed"]
    assert selected(None, [], True, []) == ["default"]


def test_nothing_named_leaves_the_choice_to_dockers_precedence() -> None:
    assert selected(None, [], False, ["x"]) is None


@pytest.mark.parametrize(
    ("host", "contexts", "all_contexts", "needle"),
    [
        pytest.param("unix:///x", ["a"], False, "both --host and --context", id="host-and-context"),
        pytest.param("unix:///x", [], True, "both --host and --all-contexts", id="host-and-all"),
        pytest.param(None, ["a"], True, "both --context and --all-contexts", id="context-and-all"),
    ],
)
def test_conflicts(host: str | None, contexts: list[str], all_contexts: bool, needle: str) -> None:
    with pytest.raises(UsageError, match=needle):
        selected(host, contexts, all_contexts, [])


def test_the_refusal_names_the_command_and_how_the_engines_were_given() -> None:
    exc = one_engine_only("run", ["a", "b"], False)
    assert exc.message == "dkr run works on one Engine; 2 were given (-c a,b)"
    assert one_engine_only("exec", ["default", "x", "y"], True).message.endswith(
        "3 were given (--all-contexts)"
    )
