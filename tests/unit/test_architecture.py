"""The layers hold: read from the source tree itself (AST and text), so a change that breaks a boundary fails
here with the file and line, not in a review.

- only dkr.engine imports the docker SDK and the HTTP stack; only dkr.render imports rich (ruff's banned-api
  says the same for top-level imports; this also sees imports inside functions and per package);
- only dkr.engine.sdk touches the SDK's private internals;
- no code outside dkr.engine reads the Engine's words (its error messages and build stream);
- no exception is changed after it was raised (`except E as exc: exc.x = ...`);
- README's layout section names every module and package there is, and no other.
"""

from __future__ import annotations

import ast
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "dkr"
MODULES = sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


def rel(path: Path) -> str:
    return path.relative_to(SRC.parent).as_posix()


def imported_roots(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize(
    ("library", "home"),
    [
        pytest.param("docker", "dkr/engine/", id="docker"),
        pytest.param("requests", "dkr/engine/", id="requests"),
        pytest.param("urllib3", "dkr/engine/", id="urllib3"),
        pytest.param("rich", "dkr/render/", id="rich"),
    ],
)
def test_a_library_is_imported_only_in_its_home(library: str, home: str) -> None:
    outside = [
        f"{rel(path)}:{line} imports {name}"
        for path in MODULES
        if not rel(path).startswith(home)
        for line, name in imported_roots(ast.parse(path.read_text()))
        if name == library or name.startswith(library + ".")
    ]
    assert outside == []


#: The SDK's private names and modules that dkr needs (see dkr.engine.sdk's docstring).
SDK_INTERNALS = re.compile(
    r"\._(url|get|post|delete|put|result|raise_for_status|version|custom_adapter|stream_helper|"
    r"read_from_socket|get_raw_response_socket)\b|\.hooks\[|\bdocker\.(transport|utils\.socket)\b"
)


def code_lines(path: Path) -> dict[int, str]:
    """The module's code, line by line, without comments and string literals."""
    lines: dict[int, list[str]] = {}
    with path.open("rb") as f:
        for tok in tokenize.tokenize(f.readline):
            if tok.type in (tokenize.NAME, tokenize.OP, tokenize.NUMBER):
                lines.setdefault(tok.start[0], []).append(tok.string)
    return {n: "".join(parts) for n, parts in lines.items()}


def test_sdk_internals_only_in_engine_sdk() -> None:
    hits = [
        f"{rel(path)}:{n}: {line}"
        for path in MODULES
        if rel(path) != "dkr/engine/sdk.py"
        for n, line in code_lines(path).items()
        if SDK_INTERNALS.search(line)
    ]
    assert hits == []


#: Phrases only the Engine says: its error messages and the classic builder's stream.
ENGINE_WORDS = (
    "No such container",
    "no such container",
    "No such image",
    "is already in use by container",
    "port is already allocated",
    "address already in use",
    "executable file not found",
    "returned a non-zero code",
    "dockerfile parse error",
    "Using cache",
    "Running in",
    "HTTP request to an HTTPS server",
)


_MATCHERS = {"search", "match", "fullmatch", "compile", "findall", "finditer", "sub", "split"}
_STR_TESTS = {"startswith", "endswith", "find", "rfind", "index", "count", "partition", "removeprefix"}


def matched_strings(tree: ast.AST) -> list[tuple[int, str]]:
    """String constants a module matches text against: regexes, `in` tests, startswith and the like."""
    found: list[tuple[int, str]] = []

    def strings(node: ast.AST) -> list[str]:
        return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in _MATCHERS | _STR_TESTS:
                found += [(node.lineno, s) for arg in node.args for s in strings(arg)]
        elif isinstance(node, ast.Compare) and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops):
            found += [(node.lineno, s) for s in strings(node.left)]
    return found


def test_only_the_engine_boundary_reads_the_engines_words() -> None:
    hits = [
        f"{rel(path)}:{n}: {text!r}"
        for path in MODULES
        if not rel(path).startswith("dkr/engine/")
        for n, text in matched_strings(ast.parse(path.read_text()))
        if any(phrase.lower() in text.lower() for phrase in ENGINE_WORDS)
    ]
    assert hits == []


def test_the_engine_words_check_can_fail() -> None:
    code = 'if "port is already allocated" in message:\n    pass\nre.search(r"Running in (\\w+)", line)\n'
    assert [n for n, _ in matched_strings(ast.parse(code))] == [1, 3]


def mutated_exceptions(tree: ast.AST) -> list[int]:
    """Lines that assign an attribute of a name bound by `except ... as NAME` inside that handler."""
    lines = []
    for handler in ast.walk(tree):
        if not isinstance(handler, ast.ExceptHandler) or not handler.name:
            continue
        for node in ast.walk(ast.Module(body=handler.body, type_ignores=[])):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == handler.name
                ):
                    lines.append(node.lineno)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Name) and first.id == handler.name:
                    lines.append(node.lineno)
    return lines


def test_no_exception_is_changed_after_it_was_raised() -> None:
    hits = [f"{rel(p)}:{n}" for p in MODULES for n in mutated_exceptions(ast.parse(p.read_text()))]
    assert hits == []


def test_the_mutation_check_can_fail() -> None:
    code = "try:\n    f()\nexcept E as exc:\n    exc.hint = 'x'\n    raise\n"
    assert mutated_exceptions(ast.parse(code)) == [4]


def readme_layout() -> set[str]:
    """The modules and packages README's layout block names: `pkg/` lines open a package, and every
    `name.py` on the lines below it (indented deeper) is a module of that package."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Layout", 1)[1].split("```", 2)[1]
    named: set[str] = set()
    package: str | None = None
    for line in block.splitlines():
        indent = len(line) - len(line.lstrip())
        first = line.split()[0] if line.split() else ""
        modules = re.findall(r"(?<![\w.])([a-z_]+\.py)\b", line)
        if indent == 0:
            package = None
        elif indent == 2:
            package = first if first.endswith("/") else None
            named.update([first] if package else modules[:1])
        elif package:
            named.update(package + m for m in modules)
    return named


def test_readme_layout_names_the_tree() -> None:
    modules = {rel(p).removeprefix("dkr/") for p in MODULES if p.name not in ("__init__.py", "__main__.py")}
    packages = {rel(p.parent).removeprefix("dkr/") + "/" for p in MODULES if p.name == "__init__.py"} - {
        "dkr/"
    }
    named = readme_layout()
    assert sorted((modules | packages) - named) == []  # missing from README
    assert sorted(named - (modules | packages)) == []  # named in README, gone from the tree
