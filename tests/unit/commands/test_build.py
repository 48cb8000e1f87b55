"""`dkr build` through the real entry point and the SDK's real HTTP path, against a fake Engine that takes the
chunked context upload and streams a recorded build back in odd-sized chunks; and the usage errors, which must
never reach an Engine."""

from __future__ import annotations

import io
import json
import os
import socketserver
import sys
import tarfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from dkr.errors import ExitCode
from tests.helpers import assert_one_line_error, run_dkr

DATA = Path(__file__).parents[1] / "data"


def image_id(name: str) -> str:
    return next(i["aux"]["ID"] for i in json.loads((DATA / f"{name}.json").read_text()) if "aux" in i)


REBUILD_ID = image_id("build_tutorial_rebuild")


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # dkr hanging up while the fake still writes (a failed build, a closed stream) is the client's
        # right; printed, it would land in whichever test's stderr is being captured then
        if not isinstance(sys.exc_info()[1], ConnectionResetError | BrokenPipeError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class BuildEngine:
    """Answers /_ping, /version, POST /build (reading the chunked tar), tag and container removal."""

    def __init__(self, sock: Path) -> None:
        self.url = f"unix://{sock}"
        self.sock = sock
        self.items: list[Any] = []
        self.status = 200
        self.builds: list[dict[str, list[str]]] = []
        #: the names in each uploaded context tar
        self.contexts: list[list[str]] = []
        self.requests: list[str] = []
        #: (repo, tag) of each tag request
        self.tags: list[tuple[str, str]] = []

    def __enter__(self) -> BuildEngine:
        engine = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _body(self) -> bytes:
                if self.headers.get("Transfer-Encoding") == "chunked":
                    data = b""
                    while size := int(self.rfile.readline().strip(), 16):
                        data += self.rfile.read(size)
                        self.rfile.readline()
                    self.rfile.readline()
                    return data
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _send(self, status: int, payload: Any) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Api-Version", "1.41")  # as dockerd does on every answer (/_ping's is read)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self) -> None:
                body = self._body()
                url = urlsplit(self.path)
                engine.requests.append(f"{self.command} {url.path}")
                if url.path.endswith("/version"):
                    return self._send(
                        200, {"Version": "20.10.0-fake", "ApiVersion": "1.41", "MinAPIVersion": "1.12"}
                    )
                if url.path.endswith("/_ping"):
                    return self._send(200, "OK")
                if url.path.endswith("/tag"):
                    query = parse_qs(url.query)
                    engine.tags.append((query["repo"][0], query["tag"][0]))
                if url.path.endswith("/build"):
                    engine.builds.append(parse_qs(url.query))
                    with tarfile.open(fileobj=io.BytesIO(body)) as tar:
                        engine.contexts.append(tar.getnames())
                    if engine.status != 200:
                        return self._send(
                            engine.status,
                            {"message": "dockerfile parse error line 2: unknown instruction: FORM"},
                        )
                    return self._stream()
                return self._send(201 if self.command == "POST" else 204, {})

            def _stream(self) -> None:
                # the recorded stream in 7-byte chunks: JSON objects arrive in pieces (the Engine's own "\r\n"
                # after each object stays with its last piece, as the Engine writes them)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for item in engine.items:
                    raw = json.dumps(item).encode()
                    pieces = [raw[k : k + 7] for k in range(0, len(raw), 7)]
                    pieces[-1] += b"\r\n"
                    for piece in pieces:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.write(b"0\r\n\r\n")

            do_GET = do_POST = do_DELETE = do_HEAD = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def address_string(self) -> str:
                return "fake"

        self._server = _Server(str(self.sock), H)
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def play(self, name: str) -> None:
        self.items = json.loads((DATA / f"{name}.json").read_text())


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[BuildEngine]:
    monkeypatch.setenv("DKR_CACHE_DIR", str(tmp_path / "cache"))
    with BuildEngine(tmp_path / "engine.sock") as fake:
        monkeypatch.setenv("DOCKER_HOST", fake.url)
        yield fake


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    ctx = tmp_path / "app"
    ctx.mkdir()
    (ctx / "Dockerfile").write_text("FROM base\nCOPY . /app\n")
    (ctx / "package.json").write_text("{}\n")
    (ctx / "server.js").write_text("console.log(1)\n")
    monkeypatch.chdir(ctx)
    return ctx


def test_stdout_is_the_image_id_alone(engine: BuildEngine, app: Path) -> None:
    engine.play("build_tutorial_rebuild")
    res = run_dkr("build", ".")
    assert res.code == 0, res.err
    assert res.out == REBUILD_ID + "\n"
    assert "step 5/9  ran " in res.err and "COPY . /app" in res.err
    assert "step 1/9  cached      FROM dkrbuild-exp:base" in res.err
    assert "built sha256:" in res.err


def test_quiet_silences_progress_only(engine: BuildEngine, app: Path) -> None:
    engine.play("build_tutorial_rebuild")
    res = run_dkr("build", "-q", ".")
    assert (res.code, res.out, res.err) == (0, REBUILD_ID + "\n", "")


def test_json_shape(engine: BuildEngine, app: Path) -> None:
    engine.play("build_tutorial_rebuild")
    res = run_dkr("build", "--format", "json", "-t", "app:dev", ".")
    data = json.loads(res.out)
    assert list(data) == ["id", "tags", "steps", "total_steps", "cached_steps", "first_miss"]
    assert list(data["steps"][0]) == ["index", "instruction", "cached", "seconds"]
    assert data["id"] == REBUILD_ID and data["tags"] == ["app:dev"]
    assert [s["index"] for s in data["steps"]] == list(range(1, 10))
    assert data["steps"][4]["instruction"] == "COPY . /app"
    assert (data["total_steps"], data["cached_steps"], data["first_miss"]) == (9, 4, 5)


def test_options_reach_the_engine(engine: BuildEngine, app: Path) -> None:
    (app / "docker").mkdir()
    (app / "docker" / "Dockerfile.dev").write_text("FROM base\n")
    engine.play("build_tutorial_rebuild")
    res = run_dkr(
        "build", "-t", "app:dev", "-t", "registry:5000/app:2", "-f", "docker/Dockerfile.dev",
        "--build-arg", "V=1", "--label", "a=b", "--no-cache", "--pull", "--target", "dev",
        "--iidfile", str(app / "iid"), ".",
    )  # fmt: skip
    assert res.code == 0, res.err
    assert (app / "iid").read_text() == res.out.strip()  # docker's --iidfile: the id, no newline
    params = engine.builds[0]
    assert params["target"] == ["dev"]
    assert "t" not in params  # tagged afterwards, all of them
    assert params["dockerfile"] == ["docker/Dockerfile.dev"]
    assert json.loads(params["buildargs"][0]) == {"V": "1"}
    assert json.loads(params["labels"][0]) == {"a": "b"}
    assert (params["nocache"], params["pull"], params["rm"], params["forcerm"]) == (["True"],) * 4
    assert engine.requests.count("POST /v1.41/images/" + REBUILD_ID + "/tag") == 2
    assert engine.tags == [("app", "dev"), ("registry:5000/app", "2")]
    names = engine.contexts[0]
    assert sorted(names) == ["Dockerfile", "docker", "docker/Dockerfile.dev", "package.json", "server.js"]


def test_rebuild_names_the_changed_file(engine: BuildEngine, app: Path) -> None:
    engine.play("build_tutorial_first")
    assert run_dkr("build", ".").code == 0
    (app / "server.js").write_text("console.log(2)\n")
    engine.play("build_tutorial_rebuild")
    res = run_dkr("build", ".")
    assert "step 5/9 `COPY . /app` re-ran: 1 file changed (server.js); steps 6-9 re-ran after it" in res.err


def test_run_failure_block(engine: BuildEngine, app: Path) -> None:
    engine.play("build_run_fails")
    res = run_dkr("build", "-q", ".")
    assert (res.code, res.out) == (ExitCode.FAILURE, "")
    assert res.err_lines == [
        """step 2/4 `RUN echo compiling; echo "warning: x" >&2; exit 3`: its output""",
        "  | compiling",
        "  | warning: x",
        """  The command '/bin/sh -c echo compiling; echo "warning: x" >&2; exit 3' returned a non-zero code: 3""",
        """dkr: error: step 2/4 `RUN echo compiling; echo "warning: x" >&2; exit 3` failed with exit code 3""",
        "To debug, start a shell in the layer before it: dkr run --rm -it c59e63521c1c sh",
    ]


def test_plain_progress_shows_each_output_line_as_it_comes(engine: BuildEngine, app: Path) -> None:
    """Piped (auto = plain), every RUN output line is on stderr, prefixed by its step, before the step ends."""
    engine.play("build_run_fails")
    res = run_dkr("build", "--progress", "plain", ".")
    lines = res.err_lines
    assert "  2| compiling" in lines and "  2| warning: x" in lines
    assert lines.index("  2| compiling") < lines.index(
        """step 2/4 `RUN echo compiling; echo "warning: x" >&2; exit 3`: its output"""
    )


def test_progress_is_checked() -> None:
    res = run_dkr("build", "--progress", "fancy", ".")
    assert (res.code, res.err_lines[0]) == (
        ExitCode.USAGE,
        "dkr: error: invalid --progress 'fancy' (expected auto, plain or tty)",
    )


def test_missing_base(engine: BuildEngine, app: Path) -> None:
    engine.play("build_base_missing")
    res = run_dkr("build", "-q", ".")
    assert_one_line_error(
        res, ExitCode.FAILURE, "step 1/4 `FROM nosuch-dkr-image:1` failed: nosuch-dkr-image:1 is not present "
        "locally and could not be pulled", "Build or load nosuch-dkr-image:1 first",
    )  # fmt: skip


def test_dockerfile_syntax_error(engine: BuildEngine, app: Path) -> None:
    engine.status = 400
    res = run_dkr("build", ".")
    assert res.code == ExitCode.FAILURE
    assert (
        res.err_lines[-1] == "dkr: error: invalid Dockerfile (Dockerfile): line 2: unknown instruction: FORM"
    )
    assert "Traceback" not in res.err and res.out == ""


@pytest.mark.parametrize(
    ("dockerfile", "line"),
    [
        pytest.param(
            "FROM base\nWORKDIR /app\nRUN --mount=type=cache,target=/x true\n",
            "Dockerfile:3: RUN --mount needs BuildKit; the Engine's classic builder cannot run it (drop --mount: "
            "a cache, secret or ssh mount has no classic equivalent; or build with docker buildx)",
            id="run-mount",
        ),
        pytest.param(
            "FROM base AS deps\nRUN echo one \\\n  && echo two\nFROM deps\nCOPY \\\n  --link . /app\n",
            "Dockerfile:5: COPY --link needs BuildKit; the Engine's classic builder cannot run it (drop --link: "
            "the copy is then a layer on the one before; or build with docker buildx)",
            id="continued-line-in-a-later-stage",
        ),
        pytest.param(
            "# syntax=docker/dockerfile:1\nFROM base\nRUN <<EOF\necho one\nEOF\n",
            "Dockerfile:3: RUN <<EOF (a heredoc) needs BuildKit; the Engine's classic builder cannot run it (use "
            "a RUN with && instead of a heredoc; or build with docker buildx)",
            id="heredoc",
        ),
    ],
)
def test_buildkit_only_syntax_fails_before_the_engine_is_asked(
    engine: BuildEngine, app: Path, dockerfile: str, line: str
) -> None:
    (app / "Dockerfile").write_text(dockerfile)
    engine.play("build_tutorial_rebuild")
    res = run_dkr("build", ".")
    assert (res.code, res.out) == (ExitCode.FAILURE, "")
    assert res.err_lines == [f"dkr: error: {line}"]  # not even "sending build context"
    assert engine.requests == []


def test_buildkit_only_names_the_dockerfile_given_with_f(engine: BuildEngine, app: Path) -> None:
    (app / "docker").mkdir()
    (app / "docker" / "Dockerfile.ci").write_text("FROM base\nRUN --network=none true\n")
    res = run_dkr("build", "-q", "-f", "docker/Dockerfile.ci", ".")
    assert_one_line_error(res, ExitCode.FAILURE, "docker/Dockerfile.ci:2: RUN --network needs BuildKit")
    assert engine.requests == []


def test_buildkit_only_past_the_target_stage_builds(engine: BuildEngine, app: Path) -> None:
    """--target stops the classic builder after that stage: a --mount in a later stage never runs."""
    (app / "Dockerfile").write_text(
        "FROM base AS app\nCOPY . /app\nFROM app AS dev\nRUN --mount=type=cache,target=/x t\n"
    )
    engine.play("build_tutorial_rebuild")
    res = run_dkr("build", "-q", "--target", "app", ".")
    assert (res.code, res.out) == (0, REBUILD_ID + "\n"), res.err
    assert len(engine.builds) == 1


def test_syntax_directive_alone_is_a_warning(engine: BuildEngine, app: Path) -> None:
    (app / "Dockerfile").write_text("# syntax=docker/dockerfile:1\nFROM base\nCOPY . /app\n")
    engine.play("build_tutorial_rebuild")
    res = run_dkr("build", ".")
    assert (res.code, res.out) == (0, REBUILD_ID + "\n"), res.err
    assert res.err_lines[0] == (
        "dkr: warning: Dockerfile:1: `# syntax=docker/dockerfile:1` is only a comment to the Engine's classic "
        "builder: it parses the file itself, not with that frontend"
    )
    assert len(engine.builds) == 1


def test_terminal_view(engine: BuildEngine, app: Path) -> None:
    engine.play("build_tutorial_first")
    res = run_dkr("build", ".", tty=True, color=True)
    assert res.code == 0, res.err
    assert res.out.strip() == image_id("build_tutorial_first")
    assert "RUN echo" in res.err and "\x1b[" in res.err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        pytest.param(["--label", "foo"], "invalid --label 'foo' (expected KEY=VALUE", id="label-no-equals"),
        pytest.param(["--label", "=x"], "invalid --label '=x' (empty key)", id="label-empty-key"),
        pytest.param(["--build-arg", "DKR_SURELY_UNSET"], "invalid --build-arg 'DKR_SURELY_UNSET'", id="arg"),
        pytest.param(["-t", "App"], "invalid tag 'App': repository names must be lowercase", id="tag"),
        pytest.param(["--format", "yaml"], "invalid --format 'yaml'", id="format"),
        pytest.param(["--nope"], "no such option: --nope", id="unknown-flag"),
        pytest.param(["--push"], "--push needs a name to push: add -t NAME[:TAG]", id="push-without-tag"),
        pytest.param(
            ["-f", "-", "-"], "can't use stdin for both the build context and the Dockerfile", id="stdin"
        ),
    ],
)
def test_usage_errors_never_reach_the_engine(
    engine: BuildEngine, app: Path, args: list[str], needle: str
) -> None:
    res = run_dkr("build", *args) if "-" in args else run_dkr("build", *args, ".")
    assert_one_line_error(res, ExitCode.USAGE, needle, "dkr build --help")
    assert engine.requests == []


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        pytest.param(["nope"], "build context folder 'nope' does not exist", id="context"),
        pytest.param(["-f", "Nope.df", "."], "Dockerfile 'Nope.df' does not exist", id="dockerfile"),
    ],
)
def test_missing_input_fails_before_any_upload(
    engine: BuildEngine, app: Path, args: list[str], needle: str
) -> None:
    res = run_dkr("build", *args)
    assert_one_line_error(res, ExitCode.FAILURE, needle)
    assert engine.requests == []


# --- the lint hints after the summary --------------------------------------------------------------------

#: `COPY . /app` before the install: DKR001 on line 4, and DKR005 on line 3 (the app has no .dockerignore)
BAD_ORDER = "FROM base\nWORKDIR /app\nCOPY . /app\nRUN npm ci\n"
HINT_005 = (
    "hint: {path}:3 DKR005 no-dockerignore: add a .dockerignore at the root of the build context listing .git, "
    "node_modules, build output, .env, *.log"
)
HINT_001 = (
    "hint: {path}:4 DKR001 cache-order: copy the manifests first: `COPY package.json package-lock.json /app/`, "
    "then the install, then `COPY . /app`"
)


@pytest.fixture
def bad_order(app: Path) -> Path:
    (app / "Dockerfile").write_text(BAD_ORDER)
    return app


def hints(path: str = "Dockerfile") -> list[str]:
    return [HINT_005.format(path=path), HINT_001.format(path=path)]


def test_hints_follow_the_summary_on_stderr(engine: BuildEngine, bad_order: Path) -> None:
    engine.play("build_tutorial_rebuild")
    res = run_dkr("build", ".")
    assert (res.code, res.out) == (0, REBUILD_ID + "\n")
    built = next(i for i, line in enumerate(res.err_lines) if line.startswith("built sha256:"))
    # the summary, the cache report's line, then one line per finding, by line, plain when piped
    assert res.err_lines[built + 1].startswith("step 5/9 `COPY . /app` ran: dkr has no earlier build")
    assert res.err_lines[built + 2 :] == hints()
    assert "\x1b[" not in res.err


def test_hints_with_json_stay_on_stderr(engine: BuildEngine, bad_order: Path) -> None:
    engine.play("build_tutorial_rebuild")
    res = run_dkr("build", "--format", "json", ".")
    assert res.code == 0, res.err
    assert res.out.count("\n") == 1 and json.loads(res.out)["id"] == REBUILD_ID
    assert res.err_lines[-2:] == hints()


def test_quiet_has_no_hints(engine: BuildEngine, bad_order: Path) -> None:
    engine.play("build_tutorial_rebuild")
    res = run_dkr("build", "-q", "--format", "json", ".")
    assert (res.code, res.err) == (0, "")
    assert json.loads(res.out)["id"] == REBUILD_ID


def test_no_dockerignore_hint_with_one(engine: BuildEngine, bad_order: Path) -> None:
    (bad_order / ".dockerignore").write_text("node_modules\n")
    engine.play("build_tutorial_rebuild")
    res = run_dkr("build", ".")
    assert res.err_lines[-1:] == hints()[1:]
    assert "DKR005" not in res.err


def test_hints_read_the_dockerfile_given_with_f_outside_the_context(
    engine: BuildEngine, bad_order: Path, tmp_path: Path
) -> None:
    (bad_order / "Dockerfile").write_text("FROM base\n")  # not the one used
    outside = tmp_path / "outside.Dockerfile"
    outside.write_text(BAD_ORDER)
    engine.play("build_tutorial_rebuild")
    res = run_dkr("build", "-f", "../outside.Dockerfile", ".")
    assert res.code == 0, res.err
    assert res.err_lines[-2:] == hints(os.path.realpath(outside))


def test_failed_build_hints_come_before_the_error(engine: BuildEngine, bad_order: Path) -> None:
    engine.play("build_run_fails")
    res = run_dkr("build", ".")
    assert (res.code, res.out) == (ExitCode.FAILURE, "")
    assert res.err_lines[-4:-2] == hints()
    assert res.err_lines[-2].startswith("dkr: error: step 2/4 ")
    assert "hint:" not in run_dkr("build", "-q", ".").err


def test_hints_on_a_terminal(engine: BuildEngine, bad_order: Path) -> None:
    engine.play("build_tutorial_first")
    res = run_dkr("build", ".", tty=True, color=True)
    assert res.code == 0, res.err
    assert res.out.strip() == image_id("build_tutorial_first")
    plain = [line.replace("\x1b[2m", "").replace("\x1b[0m", "") for line in res.err_lines[-2:]]
    assert plain == hints()


def test_a_fully_cached_rebuild_has_no_hints(engine: BuildEngine, bad_order: Path) -> None:
    """Lint's cache hints say how to keep the cache; after a rebuild that came entirely from it they would
    only repeat themselves (and the analysis would cost the fastest build its start-up time)."""
    engine.play("build_tutorial_rebuild")
    cached: list[dict[str, object]] = []
    for item in engine.items:
        text = item.get("stream")
        if isinstance(text, str) and (text.startswith(" ---> Running in") or text.startswith("Removing")):
            continue
        if isinstance(text, str) and text.startswith(" ---> ") and "Using cache" not in text:
            previous = cached[-1].get("stream") if cached else ""
            if previous == "\n":
                cached.append({"stream": " ---> Using cache\n"})
        cached.append(item)
    engine.items = cached
    res = run_dkr("build", ".")
    assert res.code == 0, res.err
    assert any("all 9 steps came from the layer cache" in line for line in res.err_lines), res.err
    assert not [line for line in res.err_lines if line.startswith("hint:")]
