"""Fixtures shared by the unit tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.unit.fake_engine import FakeEngine


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEngine]:
    """The fake Engine, made dkr's endpoint through DOCKER_HOST."""
    with FakeEngine(tmp_path / "engine.sock") as engine:
        monkeypatch.setenv("DOCKER_HOST", engine.url)
        yield engine
