"""--detach-keys against moby/term's own table (TestToBytesCtrl / TestToBytesChar and ToBytes' rules)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkr.grammars.keys import DEFAULT, InvalidKeys, to_bytes


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        # moby/term keys_test.go
        ("ctrl-a,a", b"\x01a"),
        ("ctrl-@", b"\x00"),
        ("ctrl-[", b"\x1b"),
        ("ctrl-\\", b"\x1c"),
        ("ctrl-]", b"\x1d"),
        ("ctrl-^", b"\x1e"),
        ("ctrl-_", b"\x1f"),
        ("a,b,c", b"abc"),
        ("DEL", b"\x7f"),
        (DEFAULT, b"\x10\x11"),
    ],
)
def test_to_bytes(keys: str, expected: bytes) -> None:
    assert to_bytes(keys) == expected


# "," is two empty keys: neither one character nor a name
@pytest.mark.parametrize(
    "keys", ["ctrl-", "ctrl-aa", "ctrl-A", "aa", "", ",", "ctrl-1", "é", "del", "ctrl-p,"]
)
def test_refused(keys: str) -> None:
    with pytest.raises(InvalidKeys):
        to_bytes(keys)


@given(st.lists(st.sampled_from([chr(c) for c in range(32, 127) if chr(c) != ","]), min_size=1, max_size=5))
def test_single_characters_are_themselves(chars: list[str]) -> None:
    assert to_bytes(",".join(chars)) == "".join(chars).encode()
