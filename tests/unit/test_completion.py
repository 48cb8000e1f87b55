"""Shell completion (dkr.completion, cli.complete): what a TAB offers after each line, the scripts, their
installation. The Engine is the fake one, or a recorder standing in for it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import typer

from dkr import completion
from dkr.cli import COMMANDS, build_app, command_name, complete
from dkr.completion import FILES, NOTHING, Answer, split_line
from tests.helpers import assert_one_line_error, run_dkr
from tests.unit.fake_engine import FakeEngine


class Names:
    """Stands in for the Engine: records what was asked, answers from a table."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str | None, str | None]] = []
        self.table = {
            "running": ["web", "db"],
            "containers": ["web", "db", "old"],
            "images": ["busybox:latest", "app:1", "app:2"],
            "contexts": ["default", "remote"],
        }

    def __call__(self, kind: str, host: str | None, context: str | None) -> list[str]:
        self.asked.append((kind, host, context))
        return self.table[kind]


def offer(line: str, names: Names | None = None) -> Answer:
    words, incomplete = split_line(line)
    root = typer.main.get_command(build_app(command_name(words)))
    return completion.complete(words, incomplete, root, list(COMMANDS), names or Names())


@pytest.mark.parametrize(
    ("line", "words", "incomplete"),
    [
        pytest.param("dkr ", [], "", id="nothing-yet"),
        pytest.param("dkr st", [], "st", id="a-word-begun"),
        pytest.param("dkr stop web ", ["stop", "web"], "", id="after-a-space"),
        pytest.param("dkr run 'my img", ["run"], "my img", id="an-open-quote"),
        pytest.param("dkr", [], "dkr", id="the-program-itself"),
    ],
)
def test_split_line(line: str, words: list[str], incomplete: str) -> None:
    assert split_line(line)[1:] == (incomplete,)
    assert split_line(line)[0] == words


@pytest.mark.parametrize(
    ("line", "kind", "values"),
    [
        pytest.param("dkr stop ", "running", ("db", "web"), id="stop-running-only"),
        pytest.param("dkr stop web w", "running", ("web",), id="stop-repeats"),
        pytest.param("dkr rm ", "containers", ("db", "old", "web"), id="rm-all"),
        pytest.param("dkr logs ", "containers", ("db", "old", "web"), id="logs-all"),
        pytest.param("dkr logs -f ", "running", ("db", "web"), id="logs-follow-running"),
        pytest.param("dkr logs --follow -n 5 ", "running", ("db", "web"), id="logs-follow-after-a-value"),
        pytest.param("dkr rmi app", "images", ("app:1", "app:2"), id="rmi"),
        pytest.param("dkr image rm ", "images", ("app:1", "app:2", "busybox:latest"), id="image-rm"),
        pytest.param("dkr run -d --name x ", "images", ("app:1", "app:2", "busybox:latest"), id="run-image"),
        pytest.param("dkr tag app:1 ", "images", ("app:1", "app:2", "busybox:latest"), id="tag-target"),
        pytest.param("dkr push b", "images", ("busybox:latest",), id="push"),
        pytest.param("dkr layers ", "images", ("app:1", "app:2", "busybox:latest"), id="layers"),
        pytest.param("dkr -c ", "contexts", ("default", "remote"), id="context"),
        pytest.param("dkr --context=r", "contexts", ("--context=remote",), id="context-equals"),
        pytest.param("dkr context use ", "contexts", ("default", "remote"), id="context-use"),
        pytest.param("dkr context rm default r", "contexts", ("remote",), id="context-rm"),
        pytest.param("dkr context inspect ", "contexts", ("default", "remote"), id="context-inspect"),
    ],
)
def test_names_come_from_the_engine_for_the_arguments_that_take_them(
    line: str, kind: str, values: tuple[str, ...]
) -> None:
    names = Names()
    assert offer(line, names) == Answer("plain", values)
    assert [k for k, _, _ in names.asked] == [kind], "one question, of the right kind"


@pytest.mark.parametrize(
    ("line", "answer"),
    [
        pytest.param("dkr ", Answer("plain", tuple(COMMANDS)), id="commands"),
        pytest.param("dkr sto", Answer("plain", ("stop",)), id="a-command-begun"),
        pytest.param("dkr system ", Answer("plain", ("df", "prune")), id="subcommands"),
        pytest.param("dkr nosuch ", NOTHING, id="an-unknown-command"),
        pytest.param("dkr stop --t", Answer("plain", ("--time", "--timeout")), id="flags"),
        pytest.param("dkr --d", Answer("plain", ("--debug",)), id="global-flags"),
        pytest.param("dkr stop -t ", NOTHING, id="a-number"),
        pytest.param("dkr build -f ", FILES, id="a-file-option"),
        pytest.param("dkr build ", FILES, id="a-context-folder"),
        pytest.param("dkr run busybox ", FILES, id="the-containers-command"),
        pytest.param("dkr run busybox -", FILES, id="the-containers-flags-are-not-dkrs"),
        pytest.param("dkr tag a b ", NOTHING, id="past-the-last-argument"),
        pytest.param("dkr version ", NOTHING, id="no-arguments"),
    ],
)
def test_what_needs_no_engine_asks_none(line: str, answer: Answer) -> None:
    names = Names()
    assert offer(line, names) == answer
    assert names.asked == []


def test_host_and_context_on_the_line_choose_the_engine_asked() -> None:
    names = Names()
    offer("dkr -H unix:///x.sock stop ", names)
    offer("dkr --context remote rm ", names)
    assert names.asked == [("running", "unix:///x.sock", None), ("containers", None, "remote")]


def test_bash_gets_what_follows_the_last_colon() -> None:
    # bash splits `busybox:` into two words and replaces only the part after the colon
    answer = completion.for_bash(Answer("plain", ("app:1", "app:2", "busybox:latest")), "app:")
    assert answer == Answer("plain", ("1", "2"))
    assert completion.for_bash(FILES, "a:") == FILES


def fake_containers(fake: FakeEngine) -> None:
    def containers(method: str, path: str, body: bytes) -> tuple[int, Any]:
        everything = "all=1" in path
        return 200, [
            {"Names": ["/web"], "State": "running"},
            {"Names": ["/web/db-link", "/db"], "State": "running"},
            *([{"Names": ["/old"], "State": "exited"}] if everything else []),
        ]

    fake.route("GET", r"/containers/json", containers)
    fake.route("GET", r"/images/json", lambda m, p, b: (200, [{"RepoTags": ["app:1", "<none>:<none>"]}, {}]))


def test_one_request_to_the_engine(fake: FakeEngine) -> None:
    fake_containers(fake)
    env = {"DOCKER_HOST": fake.url}
    assert complete({**env, "_DKR_COMPLETE": "bash", "COMP_LINE": "dkr stop "}) == "plain\ndb\nweb\n"
    assert complete({**env, "_DKR_COMPLETE": "zsh", "COMP_LINE": "dkr rm "}) == "plain\ndb\nold\nweb\n"
    assert complete({**env, "_DKR_COMPLETE": "bash", "COMP_LINE": "dkr rmi app:"}) == "plain\n1\n"
    assert complete({**env, "_DKR_COMPLETE": "fish", "COMP_LINE": "dkr rmi app:"}) == "plain\napp:1\n"
    assert [r.split("?")[0] for r in fake.requests] == ["GET /v1.41/containers/json"] * 2 + [
        "GET /v1.41/images/json"
    ] * 2


def test_a_dead_engine_offers_nothing_at_once(tmp_path: Path) -> None:
    started = time.monotonic()
    env = {"_DKR_COMPLETE": "bash", "COMP_LINE": "dkr stop ", "DOCKER_HOST": f"unix://{tmp_path}/none.sock"}
    assert complete(env) == "plain\n"
    assert complete({**env, "DOCKER_HOST": "not a url"}) == "plain\n"
    assert complete({**env, "DOCKER_HOST": "ssh://nobody@192.0.2.1"}) == "plain\n"
    assert time.monotonic() - started < 1


def test_an_engine_that_does_not_answer_is_given_up_within_the_deadline(tmp_path: Path) -> None:
    import socket

    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "mute.sock"))
        server.listen()  # accepts, never answers
        started = time.monotonic()
        env = {"_DKR_COMPLETE": "bash", "COMP_LINE": "dkr rm ", "DOCKER_HOST": f"unix://{tmp_path}/mute.sock"}
        assert complete(env) == "plain\n"
        assert time.monotonic() - started < 1.5


def test_the_console_script_answers_a_completion_request(fake: FakeEngine) -> None:
    fake_containers(fake)
    res = subprocess.run(
        [sys.executable, "-c", "from dkr.cli import run; run()"],
        env={"_DKR_COMPLETE": "bash", "COMP_LINE": "dkr logs -f ", "DOCKER_HOST": fake.url, "PATH": ""},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (res.returncode, res.stdout, res.stderr) == (0, "plain\ndb\nweb\n", "")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_the_script(shell: str) -> None:
    res = run_dkr("--show-completion", shell)
    assert res.code == 0, res.err
    assert res.out == completion.SCRIPTS[shell]
    assert "_DKR_COMPLETE=" + shell in res.out


def test_show_completion_alone_uses_the_shell_in_SHELL(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHELL", "/usr/bin/fish")
    assert run_dkr("--show-completion").out == completion.SCRIPTS["fish"]
    monkeypatch.setenv("SHELL", "/bin/tcsh")
    assert_one_line_error(run_dkr("--show-completion"), 2, "$SHELL (/bin/tcsh) is not a shell dkr completes")
    assert_one_line_error(run_dkr("--show-completion", "pwsh"), 2, "'pwsh' is not a shell dkr completes")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_install_completion_writes_once(shell: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    first = run_dkr("--install-completion", shell)
    assert first.code == 0, first.err
    assert first.out == ""
    assert f"{shell} completion installed;" in first.err
    script = {
        "bash": tmp_path / ".local/share/bash-completion/completions/dkr",
        "zsh": tmp_path / ".zfunc/_dkr",
        "fish": tmp_path / ".config/fish/completions/dkr.fish",
    }[shell]
    assert script.read_text() == completion.SCRIPTS[shell]
    rc = {"bash": tmp_path / ".bashrc", "zsh": tmp_path / ".zshrc", "fish": None}[shell]
    before = rc.read_text() if rc else ""
    again = run_dkr("--install-completion", shell)
    assert "completion installed already" in again.err
    assert (rc.read_text() if rc else "") == before


def test_the_console_script_knows_the_variable() -> None:
    import inspect

    from dkr import cli

    assert f'"{completion.ENV_VAR}" in os.environ' in inspect.getsource(cli.run)


def test_every_command_named_for_completion_exists() -> None:
    for path in completion.ARGUMENTS:
        name, *sub = path.split()
        command: Any = typer.main.get_command(build_app(name)).commands[name]  # type: ignore[attr-defined]
        for word in sub:
            command = command.commands[word]
        assert command is not None


def test_network_and_volume_names(fake: FakeEngine) -> None:
    fake.route("GET", r"/networks", lambda m, p, b: (200, [{"Name": "bridge"}, {"Name": "appnet"}]))
    fake.route("GET", r"/volumes", lambda m, p, b: (200, {"Volumes": [{"Name": "data"}, {"Name": "db"}]}))
    env = {"DOCKER_HOST": fake.url, "_DKR_COMPLETE": "zsh"}
    assert complete({**env, "COMP_LINE": "dkr run --network a"}) == "plain\nappnet\n"
    assert complete({**env, "COMP_LINE": "dkr volume rm d"}) == "plain\ndata\ndb\n"
    assert complete({**env, "COMP_LINE": "dkr network rm "}) == "plain\nappnet\nbridge\n"
