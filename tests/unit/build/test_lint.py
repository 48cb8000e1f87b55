"""dkr lint's rules: a table of Dockerfiles, good and bad, with the exact findings each must give."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dkr.build.dockerfile import DockerfileError
from dkr.build.lint import RULES, cache_findings, classic_blocker, fails, lint_text, rule_named
from dkr.models.lint import Finding

# The seed's own examples: the bad order, the optimised order, and a RUN that starts the app.
SEED_BAD_ORDER = """\
FROM node:18
WORKDIR /app
COPY . /app
RUN npm install
CMD ["node", "server.js"]
"""
SEED_OPTIMISED = """\
FROM node:18
WORKDIR /app
COPY package.json /app
RUN npm install
COPY . /app
CMD ["node", "server.js"]
"""
SEED_RUN_SERVER = """\
FROM node:18
WORKDIR /app
COPY package.json /app
RUN npm install
COPY . /app
RUN node server.js
"""


def found(text: str, has_dockerignore: bool | None = True) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in lint_text(text, has_dockerignore=has_dockerignore)]


def node_app(body: str) -> str:
    """A clean node Dockerfile around `body` (which follows a WORKDIR)."""
    return f'FROM node:20-slim\nWORKDIR /app\n{body}\nCMD ["node", "server.js"]\n'


def test_seed_bad_order_exact() -> None:
    assert lint_text(SEED_BAD_ORDER) == [
        Finding(
            "DKR001",
            "cache-order",
            "warning",
            4,
            "`RUN npm install` comes after `COPY . /app` (line 3): "
            "an edit to any source file re-runs the install",
            "copy the manifests first: `COPY package.json package-lock.json /app/`, then the install, then "
            "`COPY . /app`",
        )
    ]


def test_seed_optimised_is_clean() -> None:
    assert lint_text(SEED_OPTIMISED) == []


def test_seed_run_server_exact() -> None:
    assert lint_text(SEED_RUN_SERVER) == [
        Finding(
            "DKR002",
            "run-server",
            "error",
            6,
            "`RUN node server.js` starts a server while the image is built: "
            "the build waits on it (or it dies with the step), and no container runs it",
            'start it when a container starts: `CMD ["node", "server.js"]`',
        )
    ]


@pytest.mark.parametrize(
    ("text", "has_dockerignore", "expected"),
    [
        pytest.param(SEED_BAD_ORDER, True, [("DKR001", 4)], id="seed-bad-order"),
        pytest.param(SEED_OPTIMISED, True, [], id="seed-optimised"),
        pytest.param(SEED_RUN_SERVER, True, [("DKR002", 6)], id="seed-run-server"),
        pytest.param(SEED_BAD_ORDER, False, [("DKR005", 3), ("DKR001", 4)], id="seed-bad-no-dockerignore"),
        pytest.param(SEED_OPTIMISED, False, [("DKR005", 5)], id="optimised-no-dockerignore"),
        pytest.param(SEED_OPTIMISED, None, [], id="dockerignore-unknown"),
        pytest.param(
            "FROM node:20\nWORKDIR /app\nCOPY . .\nCOPY src /src\nCOPY * /x/\n",
            False,
            [("DKR005", 3)],
            id="no-dockerignore-reported-once",
        ),
        pytest.param(
            "FROM node:20 AS b\nWORKDIR /app\nCOPY . .\nFROM node:20\nWORKDIR /app\nCOPY --from=b /app .\n"
            "RUN npm ci\n",
            True,
            [],
            id="install-in-another-stage",
        ),
        pytest.param(
            "FROM node:20\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\nRUN npm ci\n",
            True,
            [],
            id="copy-from-stage-is-not-broad",
        ),
        pytest.param(node_app("COPY . .\nRUN npm install express"), True, [], id="npm-install-named-package"),
        pytest.param(
            node_app("COPY . .\nRUN cd /app && npm ci"), True, [("DKR001", 4)], id="npm-ci-compound"
        ),
        pytest.param(node_app("COPY . .\nRUN npm run build"), True, [], id="npm-run-build-ok"),
        pytest.param(
            "FROM rust:1.79\nWORKDIR /src\nCOPY Cargo.toml Cargo.lock ./\n"
            "RUN mkdir src && echo 'fn main(){}' > "
            "src/main.rs && cargo build --release\nCOPY . .\nRUN cargo build --release\n",
            True,
            [],
            id="cargo-deps-built-first",
        ),
        pytest.param(
            "FROM ruby:3.3\nWORKDIR /app\nADD . /app\nRUN bundle install\n",
            True,
            [("DKR001", 4)],
            id="add-dot-bundle",
        ),
        pytest.param(
            "FROM node:20\nWORKDIR /app\nCOPY . .\nONBUILD RUN npm install\n", True, [], id="onbuild-deferred"
        ),
        # run-server
        pytest.param(
            "FROM python:3.12\nWORKDIR /app\nRUN <<EOF\nset -e\nuvicorn main:app\nEOF\n",
            True,
            [("DKR002", 3), ("DKR010", 3)],  # and the classic builder cannot run a heredoc
            id="server-in-heredoc",
        ),
        pytest.param(
            "FROM python:3.12\nWORKDIR /app\nRUN python3 <<EOF\nimport app\napp.run()\nEOF\n",
            True,
            [("DKR010", 3)],
            id="heredoc-as-program-input",
        ),
        # paths
        pytest.param("FROM alpine:3.20\nWORKDIR app\n", True, [("DKR003", 2)], id="relative-workdir"),
        pytest.param("FROM alpine:3.20\nWORKDIR $HOME/app\n", True, [], id="workdir-variable"),
        pytest.param("FROM alpine:3.20\nCOPY . app\n", True, [("DKR004", 2)], id="relative-destination"),
        pytest.param(
            "FROM alpine:3.20\nCOPY x $DEST\nCOPY y /abs\n", True, [], id="variable-or-absolute-dest"
        ),
        pytest.param(
            "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY x C:\\app\\\n",
            True,
            [],
            id="windows-destination",
        ),
        pytest.param(
            "FROM alpine:3.20 AS base\nWORKDIR /srv\nFROM base\nCOPY x y\n", True, [], id="workdir-inherited"
        ),
        pytest.param(
            "FROM alpine:3.20\nWORKDIR /srv\nCOPY x y\nFROM alpine:3.20\nCOPY z w\n",
            True,
            [("DKR004", 5)],
            id="workdir-is-per-stage",
        ),
        # shell form
        pytest.param("FROM alpine:3.20\nCMD node server.js\n", True, [("DKR006", 2)], id="shell-form-cmd"),
        pytest.param(
            "FROM alpine:3.20\nENTRYPOINT ./start.sh && x\n", True, [("DKR006", 2)], id="shell-entry"
        ),
        pytest.param("FROM alpine:3.20\nCMD exec node server.js\n", True, [], id="shell-form-with-exec"),
        pytest.param("FROM alpine:3.20\nHEALTHCHECK CMD wget -q localhost\n", True, [], id="healthcheck-ok"),
        # apt
        pytest.param("FROM debian:12\nRUN apt-get update\n", True, [("DKR007", 2)], id="apt-update-alone"),
        pytest.param(
            "FROM debian:12\nRUN apt-get -o Acquire::Retries=3 update\n",
            True,
            [("DKR007", 2)],
            id="apt-update-with-option",
        ),
        pytest.param(
            "FROM debian:12\nRUN apt-get -qq update && apt-get -qq install -y curl \\\n"
            " && rm -rf /var/lib/apt/lists/*\n",
            True,
            [],
            id="apt-update-and-install",
        ),
        pytest.param("FROM debian:12\nRUN apt update && apt upgrade -y\n", True, [], id="apt-upgrade"),
        # base image
        pytest.param("FROM node\n", True, [("DKR008", 1)], id="untagged"),
        pytest.param("FROM node:latest\n", True, [("DKR008", 1)], id="latest"),
        pytest.param("FROM localhost:5000/team/node\n", True, [("DKR008", 1)], id="registry-port-untagged"),
        pytest.param("FROM localhost:5000/team/node:20\n", True, [], id="registry-port-tagged"),
        pytest.param("FROM node@sha256:" + "a" * 64 + "\n", True, [], id="digest"),
        pytest.param("ARG BASE=node:20\nFROM $BASE\n", True, [], id="variable-base"),
        pytest.param("FROM scratch\nCOPY x /x\n", True, [], id="scratch"),
        pytest.param("FROM golang:1.22 AS Build\nFROM build\n", True, [], id="earlier-stage"),
        # expose
        pytest.param("FROM nginx:1.27\nEXPOSE 80 443/tcp\n", True, [("DKR009", 2)], id="expose-note"),
    ],
)
def test_findings(text: str, has_dockerignore: bool | None, expected: list[tuple[str, int]]) -> None:
    assert found(text, has_dockerignore) == expected


@pytest.mark.parametrize(
    ("install", "manifests"),
    [
        pytest.param("npm install", "package.json package-lock.json", id="npm-install"),
        pytest.param("npm ci --omit=dev", "package.json package-lock.json", id="npm-ci"),
        pytest.param("yarn --frozen-lockfile", "package.json yarn.lock", id="yarn"),
        pytest.param("yarn install", "package.json yarn.lock", id="yarn-install"),
        pytest.param("pnpm install --frozen-lockfile", "package.json pnpm-lock.yaml", id="pnpm"),
        pytest.param("pip install -r requirements.txt", "requirements.txt", id="pip"),
        pytest.param(
            "pip3 install --no-cache-dir -rrequirements/prod.txt", "requirements/prod.txt", id="pip3"
        ),
        pytest.param("python -m pip install --requirement=reqs.txt", "reqs.txt", id="python-m-pip"),
        pytest.param("uv sync --frozen", "pyproject.toml uv.lock", id="uv-sync"),
        pytest.param("uv pip install -r requirements.txt", "requirements.txt", id="uv-pip"),
        pytest.param("poetry install --no-root", "pyproject.toml poetry.lock", id="poetry"),
        pytest.param("pipenv install --deploy", "Pipfile Pipfile.lock", id="pipenv"),
        pytest.param("go mod download", "go.mod go.sum", id="go"),
        pytest.param("bundle install", "Gemfile Gemfile.lock", id="bundle"),
        pytest.param("cargo fetch", "Cargo.toml Cargo.lock", id="cargo-fetch"),
        pytest.param("cargo build --release", "Cargo.toml Cargo.lock", id="cargo-build"),
        pytest.param("composer install --no-dev", "composer.json composer.lock", id="composer"),
        pytest.param("mvn -B dependency:go-offline", "pom.xml", id="maven"),
        pytest.param("sudo -u app env CI=1 npm ci", "package.json package-lock.json", id="wrapped"),
    ],
)
def test_install_after_broad_copy_names_manifests(install: str, manifests: str) -> None:
    findings = lint_text(f"FROM alpine:3.20\nWORKDIR /app\nCOPY . .\nRUN {install}\n")
    assert [(f.rule, f.line) for f in findings] == [("DKR001", 4)]
    assert f"`COPY {manifests} ./`" in findings[0].fix


@pytest.mark.parametrize(
    "command",
    [
        "node server.js",
        "node --max-old-space-size=512 dist/main.js",
        "nodejs index.js",
        "npm start",
        "npm run dev",
        "yarn start",
        "pnpm run serve",
        "python app.py",
        "python3 -u server.py",
        "python manage.py runserver 0.0.0.0:8000",
        "python -m http.server 8000",
        "flask run --host=0.0.0.0",
        "python -m flask run",
        "uvicorn main:app --host 0.0.0.0",
        "gunicorn -w 4 app:app",
        "poetry run uvicorn main:app",
        "java -jar target/app.jar",
        "rails s -b 0.0.0.0",
        "bundle exec rails server",
        "php artisan serve",
        "php -S 0.0.0.0:8000",
        "dotnet run",
        "go run .",
        "nginx -g 'daemon off;'",
        "httpd -D FOREGROUND",
        "sleep infinity",
        "tail -f /dev/null",
        "mvn spring-boot:run",
        "./gradlew bootRun",
        "npx serve -s build",
    ],
)
def test_run_server(command: str) -> None:
    findings = lint_text(f"FROM alpine:3.20\nWORKDIR /app\nRUN {command}\n")
    assert [(f.rule, f.severity, f.line) for f in findings] == [("DKR002", "error", 3)]


@pytest.mark.parametrize(
    "command",
    [
        "node build.js",
        "node -e 'require(\"./server\")'",
        "node --version",
        "npm run build",
        "npm test",
        "python setup.py install",
        "python -c 'import app'",
        "python -m compileall .",
        "pip install gunicorn uvicorn",
        "gunicorn --version",
        "uvicorn --help",
        "java -Djarmode=layertools -jar app.jar extract",
        "nginx -t",
        "echo node server.js",
        "flask db upgrade",
        "go build ./...",
    ],
)
def test_run_not_a_server(command: str) -> None:
    assert found(f"FROM alpine:3.20\nWORKDIR /app\nRUN {command}\n") == []


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        pytest.param("WORKDIR app", "use an absolute path: `WORKDIR /app`", id="workdir"),
        pytest.param(
            "WORKDIR /srv\nWORKDIR api/../web", "use an absolute path: `WORKDIR /srv/web`", id="joined"
        ),
        pytest.param(
            "COPY x app/", "copy to an absolute path (`/app/`), or set `WORKDIR /app` first", id="dest"
        ),
        pytest.param("COPY . .", "set an absolute working directory first (`WORKDIR /app`)", id="dest-dot"),
        pytest.param(
            "CMD python -u app.py --port 80",
            'use the exec form: `CMD ["python", "-u", "app.py", "--port", "80"]`',
            id="exec-form",
        ),
        pytest.param(
            'ENTRYPOINT echo "$GREETING" && node server.js',
            'use the exec form (`ENTRYPOINT ["/app/start.sh"]`, a script ending in `exec`), '
            "or put `exec` before the last command",
            id="needs-a-shell",
        ),
        pytest.param(
            "EXPOSE 3000 53/udp 8000-8001",
            "publish it when you run: `dkr run -p 3000:3000 -p 53:53/udp -p 8000-8001:8000-8001 IMAGE` "
            "(dkr binds 127.0.0.1 unless told otherwise)",
            id="expose",
        ),
        pytest.param(
            "RUN service nginx start",
            "start the program itself in the foreground from CMD, in exec form (a step that needs the "
            "service, such as a migration, must start and use it in the same RUN)",
            id="svc",
        ),
        pytest.param(
            "EXPOSE $PORT 80 ${ADMIN:-9000}/udp",
            "publish it when you run: `dkr run -p HOST_PORT:CONTAINER_PORT -p 80:80 "
            "-p HOST_PORT:CONTAINER_PORT/udp IMAGE`, where each CONTAINER_PORT is the value its variable "
            "(`$PORT`, `${ADMIN:-9000}`) had at build time (dkr binds 127.0.0.1 unless told otherwise)",
            id="expose-variable",
        ),
        pytest.param('WORKDIR "app"', "use an absolute path: `WORKDIR /app`", id="quoted-relative-workdir"),
        pytest.param(
            'WORKDIR "my app"', 'use an absolute path: `WORKDIR "/my app"`', id="workdir-with-a-blank"
        ),
    ],
)
def test_fixes(text: str, fix: str) -> None:
    (finding,) = lint_text(f"FROM alpine:3.20\n{text}\n")
    assert finding.fix == fix


def test_untagged_base_message() -> None:
    (finding,) = lint_text("FROM node\n")
    assert finding.message.startswith("base image `node` has no tag, so it means :latest")
    assert finding.fix == "pin a version: `FROM node:<version>` (add `@sha256:…` to pin it exactly)"


def test_ignore_by_id_or_name() -> None:
    text = "FROM node\nWORKDIR /app\nCOPY . .\nRUN npm ci\nEXPOSE 3000\n"
    assert [f.rule for f in lint_text(text)] == ["DKR008", "DKR001", "DKR009"]
    assert [f.rule for f in lint_text(text, ignore=["dkr008", "Cache-Order"])] == ["DKR009"]


def test_rules_catalogue() -> None:
    assert [r.id for r in RULES] == [f"DKR{i:03}" for i in range(1, 11)]
    assert len({r.name for r in RULES}) == len(RULES)
    assert {r.severity for r in RULES} == {"error", "warning", "info"}
    assert rule_named(" dkr002 ") is rule_named("run-server") is RULES[1]
    assert rule_named("DL3006") is None


def test_severity_and_exit() -> None:
    note = lint_text("FROM nginx:1.27\nEXPOSE 80\n")
    assert [f.severity for f in note] == ["info"] and not fails(note)
    assert fails(lint_text("FROM nginx\n"))


def test_cache_findings_for_build_hints() -> None:
    assert [f.rule for f in cache_findings(SEED_BAD_ORDER, has_dockerignore=True)] == ["DKR001"]
    assert [f.rule for f in cache_findings(SEED_BAD_ORDER, has_dockerignore=False)] == ["DKR005", "DKR001"]
    mixed = "FROM node\nWORKDIR app\nCOPY . .\nRUN apt-get update\nRUN npm i\nRUN npm start\nCMD npm start\n"
    assert [f.rule for f in cache_findings(mixed, has_dockerignore=True)] == ["DKR007", "DKR001"]
    assert cache_findings(SEED_OPTIMISED, has_dockerignore=True) == []
    assert cache_findings("FROM a\nNOPE x\n", has_dockerignore=True) == []


def test_parse_errors_propagate() -> None:
    with pytest.raises(DockerfileError, match="unknown instruction: NOPE"):
        lint_text("FROM a\nNOPE x\n")


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.lists(
            st.one_of(
                st.sampled_from(
                    [
                        "FROM node",
                        "FROM a AS b",
                        "FROM b",
                        "WORKDIR app",
                        "COPY . .",
                        "ADD . /x",
                        "COPY --from=b . y",
                        "RUN npm ci",
                        "RUN <<EOF",
                        "EOF",
                        "CMD x",
                        "EXPOSE",
                        "EXPOSE 80/udp",
                        'ENTRYPOINT ["a"]',
                        "ONBUILD RUN npm i",
                    ]
                ),
                st.builds(
                    lambda k, t: f"{k} {t}",
                    st.sampled_from(["RUN", "CMD", "COPY", "WORKDIR", "EXPOSE", "FROM", "ENTRYPOINT"]),
                    st.text(max_size=40),
                ),
            ),
            max_size=15,
        ).map("\n".join),
    ),
    st.sampled_from([True, False, None]),
)
def test_linter_never_crashes(text: str, has_dockerignore: bool | None) -> None:
    """Arbitrary text gives findings or the parser's own error, nothing else."""
    try:
        findings = lint_text(text, has_dockerignore=has_dockerignore)
    except DockerfileError:
        return
    for f in findings:
        assert rule_named(f.rule) is not None and f.line >= 1 and f.message and f.fix
    cache_findings(text, has_dockerignore)


# --- DKR010 buildkit-only --------------------------------------------------------------------------------


def buildkit(text: str) -> list[tuple[str, int]]:
    """DKR010's findings as (severity, line)."""
    return [(f.severity, f.line) for f in lint_text(text) if f.rule == "DKR010"]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("FROM a:1\nRUN --mount=type=cache,target=/x true\n", [("error", 2)], id="run-mount"),
        pytest.param("FROM a:1\nRUN --network=none true\n", [("error", 2)], id="run-network"),
        pytest.param("FROM a:1\nRUN --security=insecure true\n", [("error", 2)], id="run-security"),
        pytest.param("FROM a:1\nCOPY --link a /a\n", [("error", 2)], id="copy-link"),
        pytest.param("FROM a:1\nCOPY --link=false a /a\n", [("error", 2)], id="copy-link-false"),
        pytest.param("FROM a:1\nCOPY --chmod=600 a /a\n", [("error", 2)], id="copy-chmod"),
        pytest.param("FROM a:1\nADD --chmod=600 a /a\n", [("error", 2)], id="add-chmod"),
        pytest.param("FROM a:1\nCOPY --parents a/b /d/\n", [("error", 2)], id="copy-parents"),
        pytest.param("FROM a:1\nCOPY --exclude=*.md . /d/\n", [("error", 2)], id="copy-exclude"),
        pytest.param(
            "FROM a:1\nADD --checksum=sha256:00 https://x/y /y\n", [("error", 2)], id="add-checksum"
        ),
        pytest.param("FROM a:1\nADD --keep-git-dir=true a /a\n", [("error", 2)], id="add-keep-git-dir"),
        pytest.param("FROM a:1\nRUN <<EOF\necho one\nEOF\n", [("error", 2)], id="run-heredoc"),
        pytest.param("FROM a:1\nCOPY <<EOF /f\nhello\nEOF\n", [("error", 2)], id="copy-heredoc"),
        pytest.param("FROM a:1\nRUN cat <<-X > /f\n\thi\n\tX\n", [("error", 2)], id="chomped-heredoc"),
        pytest.param(
            "FROM a:1 AS base\nCOPY a /a\nFROM base\nWORKDIR /app\nRUN <<EOF\necho x\nEOF\n",
            [("error", 5)],
            id="heredoc-in-a-later-stage",
        ),
        pytest.param(
            "FROM a:1\nRUN echo one \\\n  && echo two\nRUN \\\n  --mount=type=cache,target=/x \\\n  true\n",
            [("error", 4)],
            id="continued-lines-name-the-first",
        ),
        pytest.param(
            "FROM a:1\nADD https://github.com/moby/buildkit.git#v0.10.1 /b\n", [("error", 2)], id="git"
        ),
        pytest.param("FROM a:1\nADD git@github.com:moby/buildkit.git /b\n", [("error", 2)], id="git-scp"),
        pytest.param("# syntax=docker/dockerfile:1\nFROM a:1\n", [("warning", 1)], id="syntax"),
        pytest.param("# escape=`\n# check=skip=all\nFROM a:1\n", [("warning", 2)], id="check"),
        pytest.param(
            "FROM a:1\nONBUILD RUN --mount=type=cache,target=/x true\n", [("warning", 2)], id="onbuild"
        ),
        pytest.param("FROM a:1\nONBUILD RUN <<EOF\necho x\nEOF\n", [("error", 2)], id="onbuild-heredoc"),
        pytest.param("FROM a:1\nRUN echo --mount=type=cache\n", [], id="echo-is-no-flag"),
        pytest.param('FROM a:1\nRUN echo "<<EOF" > /f\n', [], id="quoted-is-no-heredoc"),
        pytest.param("FROM a:1\nRUN --MOUNT=type=cache,target=/x true\n", [], id="flags-are-case-sensitive"),
        pytest.param('FROM a:1\nCOPY --"link" a /a\n', [("error", 2)], id="quoted-flag-name"),
        pytest.param("FROM a:1\nCOPY --li\\nk a /a\n", [("error", 2)], id="escaped-flag-name"),
        pytest.param("FROM a:1\nRUN --chmod=600 true\n", [], id="flag-of-another-instruction"),
        pytest.param('FROM a:1\nRUN ["sh", "-c", "cat <<EOF"]\n', [], id="exec-form"),
        pytest.param(
            "FROM --platform=linux/amd64 a:1 AS b\nCOPY --chown=1:1 a /a\nFROM a:1\nCOPY --from=b /a /a\n",
            [],
            id="classic-flags",
        ),
        pytest.param("FROM a:1\nADD https://example.com/x.tar.gz /x\n", [], id="plain-url"),
        pytest.param("# escape=\\\nFROM a:1\n", [], id="escape-directive"),
        pytest.param("FROM a:1\n# syntax=docker/dockerfile:1\n", [], id="syntax-after-an-instruction"),
    ],
)
def test_buildkit_only(text: str, expected: list[tuple[str, int]]) -> None:
    assert buildkit(text) == expected


def test_buildkit_only_words() -> None:
    (finding,) = lint_text("FROM a:1\nWORKDIR /app\nRUN --mount=type=cache,target=/x true\n")
    assert (finding.rule, finding.name, finding.severity) == ("DKR010", "buildkit-only", "error")
    assert finding.message == (
        "`RUN --mount` needs BuildKit; the Engine's classic builder cannot run it: it runs the steps before it, "
        "then fails at this one"
    )
    assert finding.fix == (
        "drop --mount: a cache, secret or ssh mount has no classic equivalent; or build with docker buildx"
    )
    (heredoc,) = lint_text("FROM a:1\nWORKDIR /app\nRUN <<EOF\necho x\nEOF\n")
    assert heredoc.fix == "use a RUN with && instead of a heredoc; or build with docker buildx"
    (link,) = lint_text("FROM a:1\nCOPY --link a /a\n")
    assert link.message.endswith('it rejects the whole Dockerfile ("unknown flag")')
    assert link.fix.startswith("drop --link")


def test_classic_blocker() -> None:
    text = "# syntax=docker/dockerfile:1\nFROM a:1\nRUN true\nCOPY --link a /a\nRUN --mount=type=cache,target=/x t\n"
    blocker = classic_blocker(text)
    assert blocker is not None
    assert blocker.refusal("Dockerfile") == (
        "Dockerfile:4: COPY --link needs BuildKit; the Engine's classic builder cannot run it "
        "(drop --link: the copy is then a layer on the one before; or build with docker buildx)"
    )
    # a directive alone, or an ONBUILD trigger's flag, does not stop a build; text the reader rejects is
    # the Engine's to judge
    assert classic_blocker("# syntax=docker/dockerfile:1\nFROM a:1\nRUN true\n") is None
    assert classic_blocker("FROM a:1\nONBUILD COPY --link a /a\n") is None
    assert classic_blocker("FROM a:1\nNOPE x\n") is None


def test_classic_blocker_and_target() -> None:
    """--target stops the classic builder after that stage: a construct it refuses only when its step runs
    does not count past it; one it refuses while parsing the file does."""
    text = "FROM a:1 AS one\nRUN true\nFROM one AS two\nRUN --mount=type=cache,target=/x true\n"
    assert classic_blocker(text, "ONE") is None
    assert classic_blocker(text, "two") is not None
    assert classic_blocker(text) is not None
    parsed = "FROM a:1 AS one\nRUN true\nFROM one AS two\nRUN --network=none true\n"
    assert classic_blocker(parsed, "one") is not None


# --- issue 14 item 2: no false alarms, and findings a team can adopt ---------------------------------------


@pytest.mark.parametrize(
    "workdir",
    ['"/app"', "'/app'", '"/srv/my app"', "/app\\ dir", '"$HOME"/app', '"C:\\\\app"'],
)
def test_quoted_workdir_is_absolute(workdir: str) -> None:
    """The builder strips the quotes: `WORKDIR "/app"` is /app (it was DKR003 with the fix `WORKDIR /"/app"`)."""
    assert found(f"FROM alpine:3.20\nWORKDIR {workdir}\nCOPY x y\n") == []


@pytest.mark.parametrize("dest", ['"/app/"', "'/app'", '"$DEST"'])
def test_quoted_destination_is_absolute(dest: str) -> None:
    assert found(f"FROM alpine:3.20\nCOPY x {dest}\n") == []


def test_quoted_destination_in_the_cache_order_fix() -> None:
    (finding,) = lint_text('FROM node:20\nWORKDIR /app\nCOPY . "/srv/"\nRUN npm ci\n')
    assert finding.fix.startswith("copy the manifests first: `COPY package.json package-lock.json /srv/`")


@pytest.mark.parametrize(
    "command",
    [
        "go run ./tools/gen.go",
        "go run ./cmd/stringer -type=Color",
        "go run github.com/99designs/gqlgen generate",
        "go run . generate",
        "go run -mod=mod entgo.io/ent/cmd/ent generate ./schema",
        "dotnet run --project tools/Generator",
        "node scripts/generate.js",
        "python app.py --check",
        "python manage.py migrate",
        "npm run generate",
        "node server.js --dry-run",
    ],
)
def test_build_time_tools_are_not_servers(command: str) -> None:
    assert found(f"FROM alpine:3.20\nWORKDIR /app\nRUN {command}\n") == []


@pytest.mark.parametrize(
    "command",
    ["go run .", "go run main.go", "go run ./cmd/server", "dotnet run", "dotnet run --project src/Web.Api"],
)
def test_apps_run_by_their_toolchain_are_servers(command: str) -> None:
    findings = lint_text(f"FROM alpine:3.20\nWORKDIR /app\nRUN {command}\n")
    assert [(f.rule, f.severity) for f in findings] == [("DKR002", "error")]
    assert "the build waits on it" in findings[0].message


@pytest.mark.parametrize(
    "command",
    [
        "service nginx start",
        "service postgresql restart",
        "systemctl start nginx",
        "/etc/init.d/mysql start",
        "nginx",
        "pm2 start app.js",
        "apachectl start",
        "mongod --fork --logpath /var/log/mongod.log",
        "redis-server --daemonize yes",
    ],
)
def test_daemons_return_at_once(command: str) -> None:
    """A service started in the background returns at once: pointless in a RUN (a warning), not a hang."""
    (finding,) = lint_text(f"FROM alpine:3.20\nWORKDIR /app\nRUN {command}\n")
    assert (finding.rule, finding.severity) == ("DKR002", "warning")
    assert "returns at once" in finding.message and "waits" not in finding.message


@pytest.mark.parametrize(
    "command",
    [
        "service postgresql start && ./migrate.sh",
        "service mysql start; mysql < schema.sql; service mysql stop",
        "redis-server --daemonize yes && python seed.py",
    ],
)
def test_daemon_used_by_the_same_run_is_a_build_step(command: str) -> None:
    assert found(f"FROM alpine:3.20\nWORKDIR /app\nRUN {command}\n") == []


def test_expose_variable_has_no_variable_in_the_fix() -> None:
    (finding,) = lint_text("FROM nginx:1.27\nARG PORT=8080\nEXPOSE $PORT\n")
    assert "$PORT:" not in finding.fix and ":$PORT" not in finding.fix
    assert finding.fix.startswith(
        "publish it when you run: `dkr run -p HOST_PORT:CONTAINER_PORT IMAGE`, where CONTAINER_PORT is the "
        "value `$PORT` had at build time"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "FROM node\n# dkr-lint ignore=DKR008\nFROM node\n", [("DKR008", 1)], id="line-before-only-its-own"
        ),
        pytest.param("# dkr-lint ignore=DKR008\nFROM node\n", [], id="line-before"),
        pytest.param("#dkr-lint ignore = untagged-base\nFROM node\n", [], id="by-name-and-spacing"),
        pytest.param(
            "FROM alpine:3.20\nWORKDIR /app\n# dkr-lint ignore=DKR007, DKR002\nRUN apt-get update && npm start\n",
            [],
            id="two-rules",
        ),
        pytest.param(
            "FROM alpine:3.20\nWORKDIR /app\nRUN npm start # dkr-lint ignore=DKR002\n", [], id="same-line-run"
        ),
        pytest.param(
            "FROM alpine:3.20\nWORKDIR /app\nRUN apt-get update \\\n  && echo # dkr-lint ignore=DKR007\n",
            [],
            id="same-instruction-continued",
        ),
        pytest.param(
            "FROM alpine:3.20\nWORKDIR /app\n# dkr-lint ignore=DKR002\n\nRUN npm start\n",
            [("DKR002", 5)],
            id="not-two-lines-above",
        ),
        pytest.param(
            "FROM alpine:3.20\nWORKDIR /app\n# dkr-lint ignore=DKR001\nRUN npm start\n",
            [("DKR002", 4)],
            id="another-rule",
        ),
        pytest.param(
            "FROM alpine:3.20\nCOPY . app # dkr-lint ignore=DKR004\n",
            [("DKR004", 2)],
            id="same-line-copy-is-arguments",
        ),
        pytest.param("# dkr-lint ignore=DKR099,DKR008\nFROM node\n", [], id="unknown-rule-passed-over"),
    ],
)
def test_inline_ignore(text: str, expected: list[tuple[str, int]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("severities", "threshold", "fails_"),
    [
        (["info"], "warning", False),
        (["info"], "info", True),
        (["warning"], "error", False),
        (["warning", "info"], "warning", True),
        (["error"], "error", True),
        ([], "info", False),
    ],
)
def test_severity_threshold(severities: list[str], threshold: str, fails_: bool) -> None:
    findings = [Finding("DKR001", "x", s, 1, "m", "f") for s in severities]  # type: ignore[arg-type]
    assert fails(findings, threshold) is fails_  # type: ignore[arg-type]
