"""`dkr lint` through the real entry point: files and folders, streams, exit codes, JSON, and no Engine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dkr.build.lint import RULES
from dkr.cli import AppState
from tests.helpers import assert_one_line_error, run_dkr
from tests.unit.build.test_lint import SEED_BAD_ORDER, SEED_OPTIMISED, SEED_RUN_SERVER


@pytest.fixture(autouse=True)
def no_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """dkr lint must never create an Engine: make creating one fail loudly."""

    def engine(self: AppState) -> None:
        raise AssertionError("dkr lint created an Engine")

    monkeypatch.setattr(AppState, "engine", property(engine))
    monkeypatch.setenv("DOCKER_HOST", "tcp://192.0.2.1:1")  # TEST-NET: nothing answers there


def project(tmp_path: Path, dockerfile: str, dockerignore: bool = True, name: str = "Dockerfile") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(dockerfile)
    if dockerignore:
        (tmp_path / ".dockerignore").write_text(".git\nnode_modules\n")
    return tmp_path


def test_clean_file_exits_0(tmp_path: Path) -> None:
    res = run_dkr("lint", str(project(tmp_path, SEED_OPTIMISED)))
    assert (res.code, res.out) == (0, "")
    assert res.err == f"{tmp_path}/Dockerfile: no findings\n"


def test_findings_on_stdout_exit_1(tmp_path: Path) -> None:
    res = run_dkr("lint", str(project(tmp_path, SEED_BAD_ORDER)))
    assert res.code == 1
    path = f"{tmp_path}/Dockerfile"
    assert res.out.splitlines() == [
        f"{path}:4: warning DKR001 cache-order: `RUN npm install` comes after `COPY . /app` (line 3): "
        "an edit to any source file re-runs the install",
        "  fix: copy the manifests first: `COPY package.json package-lock.json /app/`, "
        "then the install, then `COPY . /app`",
    ]
    assert res.err == f"{path}: 1 warning\n"


def test_error_finding_exit_1(tmp_path: Path) -> None:
    res = run_dkr("lint", str(project(tmp_path, SEED_RUN_SERVER)))
    assert res.code == 1
    assert ":6: error DKR002 run-server: `RUN node server.js` starts a server" in res.out
    assert res.err.endswith(": 1 error\n")


def test_buildkit_only_exit_1(tmp_path: Path) -> None:
    res = run_dkr("lint", str(project(tmp_path, "FROM a:1\nWORKDIR /app\nRUN <<EOF\necho hi\nEOF\n")))
    assert res.code == 1
    assert res.out.splitlines() == [
        f"{tmp_path}/Dockerfile:3: error DKR010 buildkit-only: `RUN <<EOF (a heredoc)` needs BuildKit; the "
        "Engine's classic builder cannot run it: it reads the heredoc's lines as instructions and rejects the "
        "Dockerfile",
        "  fix: use a RUN with && instead of a heredoc; or build with docker buildx",
    ]


def test_notes_alone_exit_0(tmp_path: Path) -> None:
    res = run_dkr("lint", str(project(tmp_path, "FROM nginx:1.27\nEXPOSE 80\n")))
    assert res.code == 0
    assert ":2: info DKR009 expose-documents:" in res.out
    assert res.err.endswith(": 1 note\n")


def test_default_is_current_folder_and_dockerignore_is_looked_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project(tmp_path, SEED_OPTIMISED, dockerignore=False))
    res = run_dkr("lint")
    assert res.code == 1
    assert res.out.startswith("Dockerfile:5: warning DKR005 no-dockerignore:")
    (tmp_path / ".dockerignore").write_text(".git\n")
    assert run_dkr("lint").code == 0


def test_named_file_and_its_own_dockerignore(tmp_path: Path) -> None:
    project(tmp_path, SEED_OPTIMISED, dockerignore=False, name="app.Dockerfile")
    target = str(tmp_path / "app.Dockerfile")
    assert "DKR005" in run_dkr("lint", target).out
    (tmp_path / "app.Dockerfile.dockerignore").write_text(".git\n")  # BuildKit's per-Dockerfile ignore file
    assert run_dkr("lint", target).code == 0


def test_several_files(tmp_path: Path) -> None:
    good = project(tmp_path / "good", SEED_OPTIMISED)
    bad = project(tmp_path / "bad", SEED_BAD_ORDER)
    res = run_dkr("lint", str(good), str(bad))
    assert res.code == 1
    assert res.out.startswith(f"{bad}/Dockerfile:4: warning DKR001")
    assert res.err == "2 Dockerfiles: 1 warning\n"


def test_ignore(tmp_path: Path) -> None:
    folder = str(project(tmp_path, "FROM node\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"))
    assert run_dkr("lint", folder).code == 1
    res = run_dkr("lint", folder, "--ignore", "DKR008", "--ignore", "cache-order")
    assert (res.code, res.out) == (0, "")


def test_json_contract(tmp_path: Path) -> None:
    res = run_dkr("lint", "--format", "json", str(project(tmp_path, SEED_BAD_ORDER + "EXPOSE 3000\n")))
    assert res.code == 1
    doc = json.loads(res.out)
    assert list(doc) == ["files", "summary"]
    (entry,) = doc["files"]
    assert list(entry) == ["path", "error", "findings"]
    assert entry["path"] == f"{tmp_path}/Dockerfile" and entry["error"] is None
    assert [list(f) for f in entry["findings"]] == [
        ["rule", "name", "severity", "line", "message", "fix"]
    ] * 2
    assert [(f["rule"], f["line"], f["severity"]) for f in entry["findings"]] == [
        ("DKR001", 4, "warning"),
        ("DKR009", 6, "info"),
    ]
    assert doc["summary"] == {"error": 0, "warning": 1, "info": 1}


def test_json_with_a_broken_file_exits_2(tmp_path: Path) -> None:
    good = project(tmp_path / "good", SEED_OPTIMISED)
    broken = project(tmp_path / "broken", "FROM a\nRUN x\nFOO y\n")
    res = run_dkr("lint", "--format", "json", str(good), str(broken))
    assert res.code == 2
    doc = json.loads(res.out)
    assert doc["files"][1]["error"] == {
        "message": f"cannot parse {broken}/Dockerfile: line 3: unknown instruction: FOO",
        "line": 3,
    }
    assert res.err_lines == [
        f"dkr: error: cannot parse {broken}/Dockerfile: line 3: unknown instruction: FOO"
    ]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        pytest.param(
            b"FROM a\nRUN ok\nBOGUS x\n", "line 3: unknown instruction: BOGUS", id="unknown-instruction"
        ),
        pytest.param(b"FROM a\nRUN <<EOF\necho\n", "line 2: unterminated heredoc <<EOF", id="heredoc"),
        pytest.param(b"# nothing\n", "file with no instructions", id="empty"),
        pytest.param(b"FROM a\n\xff\xfe\n", "not UTF-8 text", id="binary"),
        # what BuildKit's parser rejects is an error line, not a file lint accepts (issue 14)
        pytest.param(b"FROM a\nENV foo\n", "line 2: ENV must have two arguments", id="env-no-value"),
        pytest.param(b"FROM a\nLABEL foo\n", "line 2: LABEL must have two arguments", id="label-no-value"),
        pytest.param(b"FROM a\nENV a=b c\n", 'line 2: ENV: can\'t find = in "c"', id="env-a-b-c"),
        pytest.param(b'FROM a\nCMD ["a", 1]\n', "line 2: CMD: when using JSON array", id="json-non-string"),
        pytest.param(b"FROM a\nRUN " + b"x" * 70000 + b"\n", "line 2: the line is 70004 bytes", id="long"),
    ],
)
def test_unparseable_file_exits_2(tmp_path: Path, content: bytes, needle: str) -> None:
    (tmp_path / "Dockerfile").write_bytes(content)
    res = run_dkr("lint", str(tmp_path))
    assert_one_line_error(res, 2, needle)


def test_unreadable_paths_exit_2(tmp_path: Path) -> None:
    assert_one_line_error(run_dkr("lint", str(tmp_path / "nope")), 2, "cannot read", "no such file")
    assert_one_line_error(run_dkr("lint", str(tmp_path)), 2, f"cannot read {tmp_path}/Dockerfile")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        pytest.param(["--format", "yaml"], "invalid --format 'yaml'", id="format"),
        pytest.param(["--ignore", "DL3006"], "unknown rule 'DL3006'", id="rule"),
        pytest.param(["--severity", "fatal"], "invalid --severity 'fatal'", id="severity"),
        pytest.param(["--bogus"], "no such option", id="option"),
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str], needle: str) -> None:
    res = run_dkr("lint", str(project(tmp_path, SEED_OPTIMISED)), *args)
    assert_one_line_error(res, 2, needle, "dkr lint --help")


def test_help_lists_every_rule() -> None:
    res = run_dkr("lint", "--help")
    assert res.code == 0
    for rule in RULES:
        assert f"{rule.id}  {rule.severity:<7}  {rule.name}" in res.out


def test_colour_only_on_a_terminal(tmp_path: Path) -> None:
    folder = str(project(tmp_path, SEED_RUN_SERVER))
    assert "\x1b[" in run_dkr("lint", folder, tty=True, color=True).out
    assert "\x1b[" not in run_dkr("lint", folder, tty=True, color=False).out  # NO_COLOR
    assert "\x1b[" not in run_dkr("lint", folder).out


def test_lint_never_imports_the_sdk(tmp_path: Path) -> None:
    """A subprocess proves it: after a lint run the docker SDK and rich are not even imported."""
    folder = project(tmp_path, SEED_BAD_ORDER)
    code = (
        "import sys; from dkr.cli import main; rc = main(['lint', sys.argv[1]]); "
        "print(rc, 'docker' in sys.modules, 'rich' in sys.modules, file=sys.stderr)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True, timeout=60
    )
    assert proc.stderr.splitlines()[-1] == "1 False False"


@pytest.mark.parametrize(
    ("text", "args", "code"),
    [
        pytest.param(SEED_BAD_ORDER, [], 1, id="warning-fails-by-default"),
        pytest.param(SEED_BAD_ORDER, ["--severity", "error"], 0, id="warning-passes-at-error"),
        pytest.param(SEED_RUN_SERVER, ["--severity", "error"], 1, id="error-fails-at-error"),
        pytest.param("FROM nginx:1.27\nEXPOSE 80\n", [], 0, id="note-passes-by-default"),
        pytest.param("FROM nginx:1.27\nEXPOSE 80\n", ["--severity", "INFO"], 1, id="note-fails-at-info"),
        pytest.param(
            SEED_BAD_ORDER, ["--ignore", "DKR001", "--severity", "info"], 0, id="ignored-never-fails"
        ),
    ],
)
def test_severity_sets_the_exit_code(tmp_path: Path, text: str, args: list[str], code: int) -> None:
    res = run_dkr("lint", str(project(tmp_path, text)), *args)
    assert res.code == code


def test_inline_ignore_adopts_an_existing_file(tmp_path: Path) -> None:
    text = SEED_BAD_ORDER.replace("RUN npm install", "# dkr-lint ignore=DKR001\nRUN npm install")
    res = run_dkr("lint", str(project(tmp_path, text)))
    assert (res.code, res.out) == (0, "")
