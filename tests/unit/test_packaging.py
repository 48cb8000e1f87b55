"""What the distribution promises, read from pyproject.toml and MANIFEST.in (cheap: nothing is built here;
`make dist` builds the sdist and the wheel and checks what they hold)."""

from __future__ import annotations

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_the_distribution_is_not_the_unrelated_dkr_on_pypi_but_the_command_is_dkr() -> None:
    assert PROJECT["name"] == "dkr-cli"
    assert PROJECT["scripts"] == {"dkr": "dkr.entry:run"}


def test_the_license_the_metadata_promises_is_there() -> None:
    assert PROJECT["license"] == "MIT"
    assert PROJECT["license-files"] == ["LICENSE"]
    assert "MIT License" in (ROOT / "LICENSE").read_text()


def test_urls_and_classifiers() -> None:
    assert {"Homepage", "Source", "Issues"} <= set(PROJECT["urls"])
    assert (
        "License :: OSI Approved :: MIT License" not in PROJECT["classifiers"]
    )  # PEP 639: the expression says it
    assert "Environment :: Console" in PROJECT["classifiers"]


def test_the_sdist_carries_the_tests_and_the_examples() -> None:
    manifest = (ROOT / "MANIFEST.in").read_text().splitlines()
    assert {"graft tests", "graft examples"} <= set(manifest)


def test_typer_is_pinned_below_the_release_that_triples_start_up_and_readme_says_why() -> None:
    typer = next(d for d in PROJECT["dependencies"] if d.startswith("typer"))
    assert "<0.29" in typer
    assert f"`{typer}`" in (ROOT / "README.md").read_text()  # the pin, as written, with its reason
