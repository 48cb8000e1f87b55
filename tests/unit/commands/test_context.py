"""`dkr context` through the real entry point, on a private DOCKER_CONFIG (no daemon: contexts are files).
The expected files and JSON are what the docker CLI 28.2.2 wrote and printed for the same commands
(recorded; tests/integration/test_contexts.py compares the two tools live)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from dkr.contexts import digest
from tests.helpers import assert_one_line_error, run_dkr

ENGINE_VARIABLES = ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_TLS", "DOCKER_CERT_PATH")


@pytest.fixture(autouse=True)
def config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A docker config folder that does not exist yet."""
    for name in ENGINE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "docker"
    monkeypatch.setenv("DOCKER_CONFIG", str(folder))
    return folder


def meta(config: Path, name: str) -> Path:
    return config / "contexts" / "meta" / digest(name) / "meta.json"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_create_writes_dockers_meta_json_with_its_modes(config: Path) -> None:
    res = run_dkr(
        "context",
        "create",
        "foo",
        "--description",
        'a<b&"c"',
        "--docker",
        "host=tcp://h:1,skip-tls-verify=true",
    )
    assert (res.code, res.out, res.err) == (0, "foo\n", 'Successfully created context "foo"\n')
    path = meta(config, "foo")
    assert path.read_bytes() == (
        b'{"Name":"foo","Metadata":{"Description":"a\\u003cb\\u0026\\"c\\""},'
        b'"Endpoints":{"docker":{"Host":"tcp://h:1","SkipTLSVerify":true}}}'
    )
    assert (mode(path), mode(path.parent), mode(config / "contexts")) == (0o644, 0o755, 0o755)
    assert not (config / "contexts" / "tls").exists()
    assert not (config / "config.json").exists()


@pytest.mark.parametrize(
    ("args", "written"),
    [
        pytest.param(
            ["--docker", "skip-tls-verify=1"],
            '{"Name":"x1","Metadata":{},"Endpoints":{"docker":{"SkipTLSVerify":true}}}',
            id="no-host",
        ),
        pytest.param(
            [],
            '{"Name":"x1","Metadata":{"Description":"Current DOCKER_HOST based configuration"},'
            '"Endpoints":{"docker":{"Host":"unix:///var/run/docker.sock","SkipTLSVerify":false}}}',
            id="copy-of-default",
        ),
        pytest.param(
            ["--from", "default", "--description", "d"],
            '{"Name":"x1","Metadata":{"Description":"d"},'
            '"Endpoints":{"docker":{"Host":"unix:///var/run/docker.sock","SkipTLSVerify":false}}}',
            id="from-default-described",
        ),
    ],
)
def test_create_variants_as_docker_writes_them(config: Path, args: list[str], written: str) -> None:
    assert run_dkr("context", "create", "x1", *args).code == 0
    assert meta(config, "x1").read_text() == written


def test_from_copies_endpoint_and_tls_files_and_docker_from_only_the_endpoint(config: Path) -> None:
    assert run_dkr("context", "create", "src", "--docker", "host=unix:///x").code == 0
    tls = config / "contexts" / "tls" / digest("src") / "docker"
    tls.mkdir(parents=True)
    (tls / "ca.pem").write_text("ca")
    assert run_dkr("context", "create", "copy", "--from", "src", "--description", "d").code == 0
    copied = json.loads(meta(config, "copy").read_text())
    assert copied == {
        "Name": "copy",
        "Metadata": {"Description": "d"},
        "Endpoints": {"docker": {"Host": "unix:///x", "SkipTLSVerify": False}},
    }
    copy_tls = config / "contexts" / "tls" / digest("copy")
    assert (copy_tls / "docker" / "ca.pem").read_text() == "ca"
    assert (mode(copy_tls), mode(copy_tls / "docker"), mode(copy_tls / "docker" / "ca.pem")) == (
        0o700,
    ) * 2 + (0o600,)
    # --docker from=: the endpoint alone, as docker's getDockerEndpoint
    assert run_dkr("context", "create", "ep", "--docker", "from=src").code == 0
    assert not (config / "contexts" / "tls" / digest("ep")).exists()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(["default"], 2, '"default" is a reserved context name', id="reserved"),
        pytest.param(["x"], 2, 'context name "x" is invalid', id="bad-name"),
        pytest.param(["ok1", "--docker", "foo=bar"], 2, "unrecognized config key: foo", id="unknown-key"),
        pytest.param(
            ["ok1", "--docker", "host=x", "--from", "y"],
            2,
            "cannot use --docker flag when --from is set",
            id="docker-and-from",
        ),
        pytest.param(
            ["ok1", "--docker", "host=bogus"], 2, "unable to parse docker host `bogus`", id="bad-host"
        ),
        pytest.param(
            ["ok1", "--docker", "host=tcp://h:1,ca=/nonexistent"],
            1,
            "unable to create docker endpoint config: open /nonexistent: no such file or directory",
            id="missing-file",
        ),
        pytest.param(
            ["ok1", "--from", "nothere"], 1, 'context "nothere": context not found', id="from-missing"
        ),
    ],
)
def test_create_refusals_are_one_line(config: Path, args: list[str], code: int, message: str) -> None:
    res = run_dkr("context", "create", *args)
    assert_one_line_error(res, code, message)
    assert not (config / "contexts").exists()


def test_tls_files_are_checked_as_docker_checks_them(config: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    res = run_dkr("context", "create", "t1", "--docker", f"host=tcp://h:1,ca={bad}")
    assert_one_line_error(res, 1, "failed to retrieve context tls info: ca.pem seems invalid")
    res = run_dkr("context", "create", "t1", "--docker", f"host=tcp://h:1,cert={bad},key={bad}")
    assert_one_line_error(res, 1, "no valid private key found")
    # a socket needs no TLS: docker does not look at the files then
    assert run_dkr("context", "create", "t1", "--docker", f"host=unix:///x,ca={bad}").code == 0


def test_create_refuses_a_name_that_exists(config: Path) -> None:
    assert run_dkr("context", "create", "foo", "--docker", "host=unix:///x").code == 0
    assert_one_line_error(run_dkr("context", "create", "foo"), 1, 'context "foo" already exists')


def test_ls_without_a_store_shows_default(config: Path) -> None:
    res = run_dkr("context", "ls")
    assert res.out == (
        "NAME        DESCRIPTION                               DOCKER ENDPOINT               ERROR\n"
        "default *   Current DOCKER_HOST based configuration   unix:///var/run/docker.sock   \n"
    )
    assert not config.exists()


def test_ls_json_and_template_keys(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_dkr("context", "create", "b10", "--description", "d", "--docker", "host=tcp://h:1")
    run_dkr("context", "create", "b9", "--docker", "host=tcp://h:2")
    monkeypatch.setenv("DOCKER_CONTEXT", "b9")
    lines = run_dkr("context", "ls", "--format", "json").out.splitlines()
    assert lines == [  # docker's natural order: b9 before b10
        '{"Current":true,"Description":"","DockerEndpoint":"tcp://h:2","Error":"","Name":"b9"}',
        '{"Current":false,"Description":"d","DockerEndpoint":"tcp://h:1","Error":"","Name":"b10"}',
        '{"Current":false,"Description":"Current DOCKER_HOST based configuration",'
        '"DockerEndpoint":"unix:///var/run/docker.sock","Error":"","Name":"default"}',
    ]
    res = run_dkr("context", "ls", "--format", "{{.Name}}|{{.Current}}")
    assert res.out == "b9|true\nb10|false\ndefault|false\n"
    assert run_dkr("context", "ls", "-q").out == "b9\nb10\ndefault\n"


def test_ls_with_docker_host_shows_it_and_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "tcp://9.9.9.9:1")
    res = run_dkr("context", "ls")
    assert res.out.splitlines()[1].split() == [
        "default",
        "*",
        "Current",
        "DOCKER_HOST",
        "based",
        "configuration",
        "tcp://9.9.9.9:1",
    ]
    assert res.err == (
        "Warning: DOCKER_HOST environment variable overrides the active context. To use a context, either set "
        "the global --context flag, or unset DOCKER_HOST environment variable.\n"
    )


def test_a_current_context_that_is_missing_is_listed_with_why(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKER_CONTEXT", "nope")
    line = run_dkr("context", "ls", "--format", "json").out.splitlines()[1]
    assert json.loads(line) == {
        "Current": True,
        "Description": "",
        "DockerEndpoint": "",
        "Error": f'context "nope": context not found: open {config}'[:44] + "…",
        "Name": "nope",
    }


def test_a_corrupt_meta_json_is_one_line_naming_the_file(config: Path) -> None:
    assert run_dkr("context", "create", "foo", "--docker", "host=unix:///x").code == 0
    path = meta(config, "foo")
    path.write_text("{not json")
    for args in (["context", "ls"], ["context", "inspect", "foo"], ["context", "use", "foo"]):
        res = run_dkr(*args)
        assert res.code == 1, args
        assert res.err_lines[0].startswith(f"dkr: error: cannot read context metadata {path}: not valid JSON")
    assert_one_line_error(run_dkr("-c", "foo", "ps"), 1, str(path))


def test_inspect_is_dockers_json(config: Path) -> None:
    run_dkr("context", "create", "foo", "--description", "d", "--docker", "host=tcp://h:1")
    res = run_dkr("context", "inspect", "foo", "default")
    base = config / "contexts"
    assert json.loads(res.out) == [
        {
            "Name": "foo",
            "Metadata": {"Description": "d"},
            "Endpoints": {"docker": {"Host": "tcp://h:1", "SkipTLSVerify": False}},
            "TLSMaterial": {},
            "Storage": {
                "MetadataPath": str(base / "meta" / digest("foo")),
                "TLSPath": str(base / "tls" / digest("foo")),
            },
        },
        {
            "Name": "default",
            "Metadata": {},
            "Endpoints": {"docker": {"Host": "unix:///var/run/docker.sock", "SkipTLSVerify": False}},
            "TLSMaterial": {},
            "Storage": {"MetadataPath": "<IN MEMORY>", "TLSPath": "<IN MEMORY>"},
        },
    ]
    assert '"MetadataPath": "\\u003cIN MEMORY\\u003e"' in res.out  # Go's HTML escaping, as docker prints it
    res = run_dkr("context", "inspect", "-f", "{{.Name}} {{.Endpoints.docker.Host}}", "foo")
    assert res.out == "foo tcp://h:1\n"
    # without a name: the current one; a missing one is a line on stderr and exit 1, the others still shown
    assert json.loads(run_dkr("context", "inspect").out)[0]["Name"] == "default"
    res = run_dkr("context", "inspect", "foo", "nope")
    assert res.code == 1
    assert [c["Name"] for c in json.loads(res.out)] == ["foo"]
    assert res.err_lines[0].startswith('dkr: error: context "nope": context not found')


def test_use_writes_current_context_and_default_removes_it(config: Path) -> None:
    config.mkdir()
    (config / "config.json").write_text('{"auths": {"r": {}}, "x-other": 1}')
    run_dkr("context", "create", "foo", "--docker", "host=unix:///x")
    res = run_dkr("context", "use", "foo")
    assert (res.code, res.out, res.err) == (0, "foo\n", 'Current context is now "foo"\n')
    assert json.loads((config / "config.json").read_text()) == {
        "auths": {"r": {}},
        "x-other": 1,
        "currentContext": "foo",
    }
    assert mode(config / "config.json") == 0o600
    assert run_dkr("context", "show").out == "foo\n"
    assert run_dkr("context", "use", "default").out == "default\n"
    assert json.loads((config / "config.json").read_text()) == {"auths": {"r": {}}, "x-other": 1}


def test_use_default_writes_nothing_when_nothing_changes(config: Path) -> None:
    assert run_dkr("context", "use", "default").code == 0
    assert not config.exists()


def test_use_refuses_a_missing_context_and_warns_about_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    assert_one_line_error(run_dkr("context", "use", "nope"), 1, 'context "nope": context not found')
    run_dkr("context", "create", "foo", "--docker", "host=unix:///x")
    monkeypatch.setenv("DOCKER_HOST", "unix:///y")
    monkeypatch.setenv("DOCKER_CONTEXT", "bar")
    res = run_dkr("context", "use", "foo")
    assert res.err_lines == [
        'Current context is now "foo"',
        'Warning: DOCKER_HOST environment variable overrides the active context. To use "foo", either set the '
        "global --context flag, or unset DOCKER_HOST environment variable.",
        'Warning: DOCKER_CONTEXT environment variable overrides the active context. To use "foo", either set the '
        "global --context flag, or unset DOCKER_CONTEXT environment variable.",
    ]


def test_show_follows_dockers_precedence(monkeypatch: pytest.MonkeyPatch, config: Path) -> None:
    config.mkdir()
    (config / "config.json").write_text('{"currentContext": "fromfile"}')
    assert run_dkr("context", "show").out == "fromfile\n"
    monkeypatch.setenv("DOCKER_CONTEXT", "fromenv")
    assert run_dkr("context", "show").out == "fromenv\n"
    monkeypatch.setenv("DOCKER_HOST", "unix:///x")
    assert run_dkr("context", "show").out == "default\n"
    assert run_dkr("-c", "flag", "context", "show").out == "flag\n"


def test_rm(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a1", "a2"):
        run_dkr("context", "create", name, "--docker", "host=unix:///x")
    run_dkr("context", "use", "a1")
    res = run_dkr("context", "rm", "a1", "default", "nope", "a2")
    assert res.code == 1
    assert res.out == "a2\n"
    assert res.err_lines == [
        'dkr: error: context "a1" is in use, set -f flag to force remove',
        'dkr: error: context "default" cannot be removed',
        'dkr: error: context "nope" does not exist',
    ]
    res = run_dkr("context", "rm", "-f", "a1", "nope")
    assert (res.code, res.out) == (0, "a1\nnope\n")
    assert "currentContext" not in json.loads((config / "config.json").read_text())
    assert list((config / "contexts" / "meta").iterdir()) == []


def test_rm_f_of_a_context_current_through_docker_context_keeps_the_files_setting(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a1", "a2"):
        run_dkr("context", "create", name, "--docker", "host=unix:///x")
    run_dkr("context", "use", "a1")
    monkeypatch.setenv("DOCKER_CONTEXT", "a2")
    assert run_dkr("context", "rm", "-f", "a2").out == "a2\n"
    assert json.loads((config / "config.json").read_text())["currentContext"] == "a1"


def test_a_context_dkr_made_selects_the_engine(config: Path) -> None:
    from dkr.hosts import resolve

    run_dkr("context", "create", "foo", "--docker", "host=tcp://127.0.0.1:2")
    assert resolve(None, "foo", {"DOCKER_CONFIG": str(config)}).url == "tcp://127.0.0.1:2"


@pytest.mark.parametrize("blocked", ["tls", "meta"])
def test_a_create_that_fails_part_way_leaves_no_half_context(
    config: Path, tmp_path: Path, blocked: str
) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("x")  # not looked at: a socket needs no TLS
    (config / "contexts").mkdir(parents=True)
    (config / "contexts" / blocked).write_text("a file where a folder should be")
    res = run_dkr("context", "create", "half", "--docker", f"host=unix:///x,ca={ca}")
    assert_one_line_error(res, 1, 'cannot write context "half"')
    assert [p.name for p in (config / "contexts").rglob("*") if p.is_file()] == [blocked]
    assert not any(digest("half") in str(p) for p in (config / "contexts").rglob("*"))
    assert run_dkr("context", "ls", "-q").out == "default\n"
