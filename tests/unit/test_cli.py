"""CLI wiring through the real entry point: streams, exit codes, one-line errors, no Engine on usage errors.

A fake Engine (recorded payloads on a unix socket) stands in for the daemon here; tests/integration uses the
real one.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dkr import __version__
from dkr.cli import main
from dkr.entry import Terminated
from dkr.errors import ExitCode
from dkr.render import Streams
from tests.helpers import assert_one_line_error, run_dkr
from tests.unit.fake_engine import FakeEngine

DATA = Path(__file__).parent / "data"


@pytest.fixture
def listing(fake: FakeEngine) -> FakeEngine:
    payload = json.loads((DATA / "containers_list.json").read_text())
    fake.route("GET", r"/containers/json", lambda m, p, b: (200, payload))
    return fake


def test_version_flag() -> None:
    res = run_dkr("--version")
    assert (res.code, res.out, res.err) == (0, f"dkr version {__version__}\n", "")


def test_no_arguments_prints_help() -> None:
    res = run_dkr()
    assert res.code == 0
    assert "Usage: dkr" in res.out and "ps" in res.out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        pytest.param(["ps", "--bogus"], "no such option: --bogus", id="unknown-flag"),
        pytest.param(["nosuchcommand"], "no such command", id="unknown-command"),
        pytest.param(["ps", "-n", "x"], "invalid value for '-n' / '--last'", id="bad-int"),
        pytest.param(["ps", "-f", "colour=red"], "invalid filter 'colour'", id="bad-filter"),
        pytest.param(["ps", "-f", "nokey"], "bad format of filter", id="filter-without-equals"),
        pytest.param(["ps", "--format", "{{.Nope}}"], "no field '.Nope'", id="bad-template"),
        pytest.param(["stop"], "missing argument", id="stop-without-container"),
        pytest.param(["stop", "-s", "NOPE", "x"], "invalid signal 'NOPE'", id="bad-signal"),
        pytest.param(["stop", "-t", "soon", "x"], "invalid value for '-t'", id="bad-timeout"),
        pytest.param(
            ["-H", "unix:///a", "-c", "b", "ps"], "both --host and --context", id="host-and-context"
        ),
        pytest.param(["version", "--format", "xml"], "invalid --format 'xml'", id="bad-version-format"),
    ],
)
def test_usage_errors_exit_2_without_touching_the_engine(
    fake: FakeEngine, args: list[str], needle: str
) -> None:
    res = run_dkr(*args)
    assert_one_line_error(res, ExitCode.USAGE, needle)
    assert res.err_lines[-1].startswith("Run 'dkr") and res.err_lines[-1].endswith("--help' for usage.")
    assert fake.requests == [], "a usage error never reaches the Engine"


def test_bad_host_is_a_usage_error(fake: FakeEngine) -> None:
    res = run_dkr("-H", "ftp://x", "ps")
    assert_one_line_error(res, ExitCode.USAGE, "invalid host 'ftp://x' from --host: unsupported scheme")
    assert res.err_lines[1] == "Use unix:///path, tcp://host:port or ssh://user@host."
    assert fake.requests == []


@pytest.mark.parametrize(
    ("host", "needle"),
    [
        pytest.param("tcp://:abc", "bad port", id="port-word"),
        pytest.param("tcp://127.0.0.1:99999", "bad port", id="port-out-of-range"),
        pytest.param("http://[::1", "bad address", id="unclosed-ipv6"),
    ],
)
def test_bad_host_address_is_a_usage_error_not_a_bug(fake: FakeEngine, host: str, needle: str) -> None:
    res = run_dkr("-H", host, "ps")
    assert_one_line_error(res, ExitCode.USAGE, f"invalid host '{host}' from --host: {needle}")
    assert fake.requests == []


def test_usage_error_does_not_import_the_sdk() -> None:
    code = (
        "import sys; from dkr.cli import main; rc = main(['ps', '--bogus']); "
        "assert rc == 2, rc; assert 'docker' not in sys.modules and 'rich' not in sys.modules, 'heavy import'; "
        "assert 'dkr.completion' not in sys.modules, 'completion imported'"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["ps"], id="ps"),
        pytest.param(["images"], id="images"),
        pytest.param(["stop", "x"], id="stop"),
        pytest.param(["rm", "x"], id="rm"),
        pytest.param(["logs", "x"], id="logs"),
        pytest.param(["layers", "x"], id="layers"),
        pytest.param(["build", "."], id="build"),
        pytest.param(["version"], id="version"),
        pytest.param(["run", "img"], id="run"),
        pytest.param(["up", "."], id="up"),
    ],
)
def test_bad_host_does_not_import_the_sdk(args: list[str]) -> None:
    code = (
        f"import sys; from dkr.cli import main; rc = main(['-H', 'garbage', *{args!r}]); "
        "assert rc == 2, rc; assert 'docker' not in sys.modules and 'rich' not in sys.modules, 'heavy import'"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr


def test_help_does_not_import_the_sdk_or_rich() -> None:
    code = (
        "import sys; from dkr.cli import main; rc = main(['stop', '--help']); rc = rc or main(['--help']); "
        "assert rc == 0, rc; assert 'docker' not in sys.modules and 'rich' not in sys.modules, 'heavy import'; "
        "assert 'dkr.completion' not in sys.modules, 'completion imported'"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert "Usage: dkr stop" in res.stdout


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        pytest.param("unix:///nonexistent/dkr.sock", "no such socket", id="missing-socket"),
        pytest.param("tcp://127.0.0.1:1", "connection refused", id="refused"),
    ],
)
def test_unreachable_engine_is_one_line_and_fast(
    monkeypatch: pytest.MonkeyPatch, host: str, reason: str
) -> None:
    monkeypatch.setenv("DOCKER_HOST", host)
    started = time.monotonic()
    res = run_dkr("ps")
    elapsed = time.monotonic() - started
    assert_one_line_error(res, ExitCode.FAILURE, host, reason)
    assert elapsed < 10  # the contract's bound for an unreachable engine, not a performance target


def test_unreachable_through_the_console_script(tmp_path: Path) -> None:
    env = {**os.environ, "DOCKER_HOST": "unix:///nonexistent.sock"}
    res = subprocess.run(
        [sys.executable, "-m", "dkr", "ps"], capture_output=True, text=True, env=env, timeout=30
    )
    assert res.returncode == 1
    assert res.stdout == ""
    assert res.stderr.splitlines()[0] == (
        "dkr: error: cannot connect to the Docker Engine at unix:///nonexistent.sock (from DOCKER_HOST): "
        "no such socket"
    )
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize(
    ("status", "body", "needle"),
    [
        pytest.param(
            404, b"<html>File not found</html>", "it answered HTTP 404 to GET /_ping", id="web-server"
        ),
        pytest.param(200, b"<html>hello</html>", "no Api-Version header", id="html-page"),
    ],
)
def test_a_server_that_is_not_an_engine_is_named_so(
    fake: FakeEngine, status: int, body: bytes, needle: str
) -> None:
    """Some other HTTP server on the port answers, but not as an Engine: 'no answer' would send the user
    looking for a dead daemon."""
    fake.is_engine = False
    fake.route("GET", r"/_ping", lambda m, p, b: (status, body))
    res = run_dkr("ps")
    assert_one_line_error(res, ExitCode.FAILURE, "is not a Docker Engine", needle)
    assert "no answer" not in res.err


def test_permission_denied_is_named() -> None:
    from dkr.engine.errors import unreachable
    from dkr.hosts import Endpoint
    from dkr.render.errors import describe

    err = unreachable(
        Endpoint("unix:///var/run/docker.sock", "default"), PermissionError(13, "Permission denied")
    )
    line, hint = describe(err)
    assert "permission denied" in line
    assert hint and "docker' group" in hint


def test_ps_piped_is_a_plain_table(listing: FakeEngine) -> None:
    res = run_dkr("ps", "-a")
    assert res.code == 0, res.err
    lines = res.out.splitlines()
    assert lines[0].split() == ["CONTAINER", "ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"]
    assert "\x1b[" not in res.out, "no colour when piped"
    assert any("*:9000-9001->9000-9001/tcp, 127.0.0.1:18080->80/tcp" in line for line in lines)
    assert res.err == ""
    api_calls = [r for r in listing.requests if not r.startswith(("GET /version", "GET /_ping"))]
    assert len(api_calls) == 1 and "/containers/json" in api_calls[0], "one request, nothing per container"


def test_ps_on_a_terminal_uses_rich(listing: FakeEngine) -> None:
    res = run_dkr("ps", "-a", tty=True, color=True)
    assert res.code == 0
    assert "CONTAINER ID" in res.out and "sp1" in res.out
    assert "\x1b[" in res.out, "styled on a terminal"
    plain = run_dkr("ps", "-a", tty=True, color=False)
    assert not re.search(r"\x1b\[(3\d|9\d|38;)", plain.out), "NO_COLOR: no colour codes"


def test_ps_json_lines_and_quiet(listing: FakeEngine) -> None:
    res = run_dkr("ps", "-a", "--format", "json")
    rows = [json.loads(line) for line in res.out.splitlines()]
    assert [r["Names"] for r in rows] == ["rec-exited", "sp1"]
    quiet = run_dkr("ps", "-a", "-q")
    assert quiet.out.splitlines() == [r["ID"] for r in rows]
    no_trunc = run_dkr("ps", "-a", "-q", "--no-trunc")
    assert all(len(x) == 64 for x in no_trunc.out.splitlines())


def test_ps_filters_and_limit_are_sent_to_the_engine(listing: FakeEngine) -> None:
    run_dkr("ps", "-f", "status=exited", "-f", "label=a=b", "-n", "3")
    sent = [r for r in listing.requests if "/containers/json" in r][-1]
    assert "limit=3" in sent
    assert "%22status%22%3A+%5B%22exited%22%5D" in sent or "status" in sent


@pytest.mark.parametrize(
    ("fmt", "size"),
    [
        pytest.param("{{.Names}}", False, id="names"),
        pytest.param("{{.Names}} {{.Size}}", True, id="size-field"),
        pytest.param("{{json .}}", True, id="json-dot"),  # docker's FieldsUsed: json . reads .Size too
        pytest.param("json", False, id="json-lines"),
    ],
)
def test_ps_asks_for_sizes_when_the_format_reads_them(listing: FakeEngine, fmt: str, size: bool) -> None:
    assert run_dkr("ps", "--format", fmt).code == 0
    sent = [r for r in listing.requests if "/containers/json" in r][-1]
    assert ("size=1" in sent or "size=True" in sent) is size, sent


def test_engine_error_is_one_line(fake: FakeEngine) -> None:
    fake.route("GET", r"/containers/json", lambda m, p, b: (500, {"message": "Something broke inside"}))
    res = run_dkr("ps")
    assert_one_line_error(res, ExitCode.FAILURE, "cannot list containers: something broke inside")


def test_stop_echoes_in_order_and_reports_each_failure(fake: FakeEngine) -> None:
    def inspect(method: str, path: str, body: bytes) -> tuple[int, object]:
        name = path.split("/containers/")[1].split("/")[0]
        if name == "missing":
            return 404, {"message": "No such container: missing"}
        return 200, {"Id": name * 4, "State": {"Running": True, "ExitCode": 0}, "Config": {}}

    fake.route("GET", r"/containers/[^/]+/json", inspect)
    fake.route("POST", r"/containers/[^/]+/stop", lambda m, p, b: (204, b""))
    res = run_dkr("stop", "b", "missing", "a")
    assert res.code == ExitCode.FAILURE
    assert res.out == "b\na\n"
    assert res.err_lines == ["dkr: error: cannot stop 'missing': no such container: missing"]


@pytest.mark.parametrize(
    ("podman", "query"), [(True, "t=10"), (False, None)], ids=["podman-gives-10s", "docker-leaves-it"]
)
def test_stop_of_a_container_whose_stop_timeout_is_zero(
    fake: FakeEngine, podman: bool, query: str | None
) -> None:
    """Podman 4.3 records StopTimeout 0 for a container created through its Docker API without one (recorded
    inspect) and kills it at once on a stop without ?t=: dkr asks Podman for Docker's 10 s. On Docker a 0 is
    the user's own --stop-timeout 0 and stays the Engine's business."""
    inspect = json.loads((DATA / "podman_container_inspect.json").read_text())
    assert inspect["Config"]["StopTimeout"] == 0
    if podman:
        fake.headers["Libpod-Api-Version"] = "4.3.1"
    sent: list[str] = []

    def stop(method: str, path: str, body: bytes) -> tuple[int, object]:
        sent.append(path.partition("?")[2])
        return 204, b""

    fake.route("GET", r"/containers/[^/]+/json", lambda m, p, b: (200, inspect))
    fake.route("POST", r"/containers/[^/]+/stop", stop)
    res = run_dkr("stop", "web")
    assert (res.code, res.out) == (0, "web\n"), res.err
    assert sent == [query or ""]


def test_stop_notes_containers_killed_after_the_timeout(fake: FakeEngine) -> None:
    state = {"stopped": False}

    def inspect(method: str, path: str, body: bytes) -> tuple[int, object]:
        exit_code = 137 if state["stopped"] else 0
        return 200, {
            "Id": "c" * 64,
            "State": {"Running": not state["stopped"], "ExitCode": exit_code},
            "Config": {},
        }

    def stop(method: str, path: str, body: bytes) -> tuple[int, object]:
        state["stopped"] = True
        assert "t=2" in path
        return 204, b""

    fake.route("GET", r"/containers/[^/]+/json", inspect)
    fake.route("POST", r"/containers/[^/]+/stop", stop)
    res = run_dkr("stop", "-t", "2", "stubborn")
    assert res.code == 0
    assert res.out == "stubborn\n"
    assert "'stubborn' did not exit on its stop signal within 2s and was killed" in res.err
    assert "--init" in res.err


def test_internal_errors_have_no_traceback(fake: FakeEngine) -> None:
    fake.route("GET", r"/containers/json", lambda m, p, b: (200, b"not json at all"))
    res = run_dkr("ps")
    assert res.code == ExitCode.FAILURE
    assert "Traceback" not in res.err
    assert res.err.startswith("dkr: error: ")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        pytest.param(["ps", "-a"], "ps", id="plain"),
        pytest.param(["-H", "unix:///x", "stop", "a"], "stop", id="after-host-value"),
        pytest.param(["--context", "ps", "version"], "version", id="context-value-looks-like-a-command"),
        pytest.param(["--debug", "ps"], "ps", id="after-flag"),
        pytest.param(["nosuch"], None, id="unknown"),
        pytest.param(["--help"], None, id="help"),
        pytest.param([], None, id="empty"),
    ],
)
def test_command_name(argv: list[str], expected: str | None) -> None:
    from dkr.cli import command_name

    assert command_name(argv) == expected


def test_every_command_has_help_text() -> None:
    from dkr.cli import COMMANDS

    listing = run_dkr("--help").out
    for name, summary in COMMANDS.items():
        assert name in listing
        res = run_dkr(name, "--help")
        assert res.code == 0, (name, res.err)
        assert f"Usage: dkr {name}" in res.out
        help_text = " ".join(res.out.split("\n\n")[1].split())
        assert help_text and not help_text.startswith("Options"), f"{name} has no help text"
        # the summary `dkr --help` lists without importing the command is the start of its own help
        assert help_text.startswith(summary), (name, summary, help_text)


def serve_many_containers(fake: FakeEngine, count: int) -> None:
    many = [
        {"Id": f"{i:064x}", "Names": [f"/c{i}"], "Image": "x", "Command": "", "Created": 0, "State": "exited",
         "Status": "Exited (0)"}
        for i in range(count)
    ]  # fmt: skip
    fake.route("GET", r"/containers/json", lambda m, p, b: (200, many))


def test_broken_pipe_exits_141_quietly(fake: FakeEngine) -> None:
    """`dkr ps -a -q | head -1`: like a Go program killed by SIGPIPE, no traceback, no error line."""
    serve_many_containers(fake, 50_000)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dkr", "ps", "-a", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert first.strip() == f"{0:012x}".encode()
    assert err == ""


class _FullDisk(io.StringIO):
    def write(self, s: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_output_that_cannot_be_written_is_one_error_line_not_a_bug() -> None:
    err = io.StringIO()
    code = main(["--version"], Streams(_FullDisk(), err, out_tty=False, err_tty=False, color=False))
    assert code == ExitCode.FAILURE
    assert err.getvalue() == "dkr: error: cannot write the output: no space left on device\n"


@pytest.mark.parametrize(
    "redirect",
    [
        pytest.param(">&-", id="stdout-closed"),
        pytest.param(">/dev/full", id="disk-full"),
    ],
)
def test_stdout_that_cannot_be_written_through_the_console_script(tmp_path: Path, redirect: str) -> None:
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    res = subprocess.run(
        ["sh", "-c", f'exec "$0" -m dkr lint --format json "$1" {redirect}', sys.executable, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == ExitCode.FAILURE, res.stderr
    assert res.stderr.startswith("dkr: error: cannot write the output: "), res.stderr
    assert len(res.stderr.splitlines()) == 1, res.stderr


def test_top_level_help_imports_no_command_module() -> None:
    code = (
        "import sys; from dkr.cli import main; rc = main(['--help']); assert rc == 0, rc; "
        "loaded = [m for m in sys.modules if m.startswith('dkr.commands.') or m in ('docker', 'rich')]; "
        "assert not loaded, loaded"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert "Commands:" in res.stdout


def test_fast_exit_flushes_all_output(fake: FakeEngine) -> None:
    """dkr skips the interpreter's teardown (os._exit): everything written must still reach the pipe."""
    serve_many_containers(fake, 20_000)
    res = subprocess.run(
        [sys.executable, "-m", "dkr", "ps", "-a", "-q", "--no-trunc"], capture_output=True, timeout=60
    )
    assert res.returncode == 0
    lines = res.stdout.decode().splitlines()
    assert len(lines) == 20_000 and lines[-1] == f"{19_999:064x}"


@pytest.mark.parametrize(
    ("argv", "usage"),
    [
        (["run", "--help"], "Usage: dkr run [OPTIONS] IMAGE [COMMAND] [ARG...]"),
        (["exec", "--help"], "Usage: dkr exec [OPTIONS] CONTAINER COMMAND [ARG...]"),
        (["stop", "--help"], "Usage: dkr stop [OPTIONS] CONTAINER [CONTAINER...]"),
        (["rmi", "--help"], "Usage: dkr rmi [OPTIONS] IMAGE [IMAGE...]"),
        (["logs", "--help"], "Usage: dkr logs [OPTIONS] CONTAINER"),
        (["build", "--help"], "Usage: dkr build [OPTIONS] PATH | URL | -"),
        (["pull", "--help"], "Usage: dkr pull [OPTIONS] NAME[:TAG|@DIGEST]"),
    ],
)
def test_usage_lines_read_like_dockers(argv: list[str], usage: str) -> None:
    res = run_dkr(*argv)
    assert res.code == 0 and res.out.splitlines()[0] == usage
    assert "{" not in res.out.splitlines()[0]


def test_option_values_are_named_as_docker_names_them() -> None:
    out = run_dkr("run", "--help").out
    assert "--name string" in out and "<str>" not in out and "<int>" not in out
    assert "-w, --workdir DIR" in out  # an option that names its value keeps it
    assert "-t, --time, --timeout int" in run_dkr("stop", "--help").out


@pytest.mark.parametrize(("signal_exc", "code"), [(KeyboardInterrupt, 130), (Terminated, 143)])
def test_a_signal_before_mains_handler_is_quiet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], signal_exc: type, code: int
) -> None:
    """A Ctrl-C landing in main()'s first lines (before its try) escaped as a traceback: seen in the
    random-instant Ctrl-C test on a loaded machine."""
    import dkr.cli as cli

    def interrupted() -> bool:
        raise signal_exc

    exits: list[int] = []
    monkeypatch.setattr(cli, "_debug_env", interrupted)
    monkeypatch.setattr(cli, "_exit", exits.append)
    monkeypatch.delenv("_DKR_COMPLETE", raising=False)
    monkeypatch.setattr("sys.argv", ["dkr", "ps"])
    cli.run()
    assert exits == [code]
    assert "Traceback" not in capsys.readouterr().err


def test_rm_of_a_running_container_on_podman_says_stop_it_first(fake: FakeEngine) -> None:
    """Podman 4.3 refuses with 500 (Docker: 409) and its own words (seen in the Podman run of test_rm.py)."""
    refusal = (
        f"cannot remove container {'c' * 64} as it is running - running or paused containers cannot be "
        "removed without force: container state improper"
    )
    fake.route("DELETE", r"/containers/[^/]+", lambda m, p, b: (500, {"message": refusal}))
    running = {"Id": "c" * 64, "State": {"Running": True}, "Config": {}}
    fake.route("GET", r"/containers/[^/]+/json", lambda m, p, b: (200, running))
    res = run_dkr("rm", "web")
    assert_one_line_error(res, ExitCode.FAILURE, "container is running: stop it first, or use -f to force it")
