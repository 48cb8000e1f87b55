"""config.json as docker/cli's configfile reads and writes it: base64 auth entries, Go's tab-indented JSON,
mode 0600, an atomic replace, and every key dkr does not own kept as it was."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import pytest

from dkr import dockerconfig
from dkr.errors import DkrError


def test_config_path_follows_docker_config(tmp_path: Path) -> None:
    assert dockerconfig.config_path({"DOCKER_CONFIG": str(tmp_path)}) == tmp_path / "config.json"
    assert dockerconfig.config_path({"HOME": "/home/u"}) == Path("/home/u/.docker/config.json")


def test_a_login_entry_is_base64_of_user_colon_password() -> None:
    entry = dockerconfig.auth_entry("dkr", "pa:ss wörd")
    assert entry == {"auth": base64.b64encode("dkr:pa:ss wörd".encode()).decode()}
    # with an identity token docker keeps no password: auth is base64("user:")
    assert dockerconfig.auth_entry("dkr", "pw", "tok") == {"auth": "ZGtyOg==", "identitytoken": "tok"}


def test_dumps_is_gos_marshal_indent_with_a_tab() -> None:
    config = {"auths": {"b": {"auth": "x"}, "a": {}}, "psFormat": "<{{.ID}}> & é \u2028"}
    # what Go's json.MarshalIndent(c, "", "\t") writes for the same object (maps: docker sorts auths itself)
    assert dockerconfig.dumps(config) == (
        '{\n\t"auths": {\n\t\t"b": {\n\t\t\t"auth": "x"\n\t\t},\n\t\t"a": {}\n\t},\n'
        '\t"psFormat": "\\u003c{{.ID}}\\u003e \\u0026 é \\u2028"\n}'
    )
    assert dockerconfig.dumps({"auths": {}}) == '{\n\t"auths": {}\n}'


def test_save_keeps_every_other_key_and_sorts_auths(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    original = {
        "currentContext": "remote",
        "auths": {"z.example": {"auth": "eg=="}},
        "proxies": {"default": {"httpProxy": "http://proxy:3128"}},
        "credHelpers": {"gcr.io": "gcloud"},
        "x-unknown": [1, {"nested": True}],
    }
    path.write_text(json.dumps(original))
    config = dockerconfig.with_entry(dockerconfig.load(path), "a.example", dockerconfig.auth_entry("u", "p"))
    dockerconfig.save(path, config)
    written = json.loads(path.read_text())
    assert list(written) == list(original)  # same keys, same order
    assert {k: v for k, v in written.items() if k != "auths"} == {
        k: v for k, v in original.items() if k != "auths"
    }
    assert list(written["auths"]) == ["a.example", "z.example"]
    assert written["auths"]["a.example"] == {"auth": "dTpw"}
    assert path.read_text().startswith('{\n\t"currentContext": "remote",\n\t"auths": {\n\t\t"a.example"')


def test_a_new_file_is_0600_in_a_0700_folder_with_auths_first(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.json"
    dockerconfig.save(path, dockerconfig.with_entry({}, "r:5000", {"auth": "eA=="}))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.read_text() == '{\n\t"auths": {\n\t\t"r:5000": {\n\t\t\t"auth": "eA=="\n\t\t}\n\t}\n}'
    assert dockerconfig.with_entry({"credsStore": "x"}, "k", {}) == {"auths": {"k": {}}, "credsStore": "x"}


def test_an_existing_world_readable_file_becomes_0600(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text("{}")
    path.chmod(0o644)
    dockerconfig.save(path, {"auths": {}})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_save_is_atomic_a_rename_in_the_same_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"auths": {"old": {}}}')
    before = path.stat().st_ino
    renames: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        renames.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    dockerconfig.save(path, {"auths": {}})
    assert len(renames) == 1 and Path(renames[0][0]).parent == tmp_path and renames[0][1] == str(path)
    assert path.stat().st_ino != before  # a new file took its place: a reader never sees half of one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"auths": {}}')

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(DkrError, match=r"cannot write .*config\.json: no space left on device"):
        dockerconfig.save(path, {"auths": {"new": {}}})
    assert path.read_text() == '{"auths": {}}'
    assert [p.name for p in tmp_path.iterdir()] == ["config.json"]


def test_a_symlinked_config_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "docker.json"
    real.parent.mkdir()
    real.write_text("{}")
    link = tmp_path / "config.json"
    link.symlink_to(real)
    dockerconfig.save(link, {"auths": {}})
    assert link.is_symlink() and json.loads(real.read_text()) == {"auths": {}}


@pytest.mark.parametrize(
    ("text", "config"),
    [
        pytest.param(None, {}, id="missing"),
        pytest.param("", {}, id="empty"),
        pytest.param('{"auths": {"a": {}}}', {"auths": {"a": {}}}, id="object"),
    ],
)
def test_load(tmp_path: Path, text: str | None, config: dict[str, object]) -> None:
    path = tmp_path / "config.json"
    if text is not None:
        path.write_text(text)
    assert dockerconfig.load(path) == config


@pytest.mark.parametrize("text", ["{", "[]", '"x"'])
def test_an_unreadable_file_is_one_error_and_never_overwritten(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.json"
    path.write_text(text)
    with pytest.raises(DkrError, match=r"cannot read .*config\.json: ") as caught:
        dockerconfig.load(path)
    assert "\n" not in caught.value.message


def test_without_entries_and_helper_for() -> None:
    config = {
        "auths": {"a": {}, "b": {"auth": "x"}},
        "credsStore": "desktop",
        "credHelpers": {"gcr.io": "gcloud"},
    }
    assert dockerconfig.without_entries(config, ["a", "zzz"])["auths"] == {"b": {"auth": "x"}}
    assert dockerconfig.helper_for(config, "gcr.io") == "gcloud"
    assert dockerconfig.helper_for(config, "other") == "desktop"
    assert dockerconfig.helper_for({"credsStore": ""}, "x") is None
    assert dockerconfig.helper_for({}, "x") is None


@pytest.mark.parametrize(
    ("auth", "login"),
    [
        pytest.param("ZGtyOnB3", ("dkr", "pw"), id="user-password"),
        pytest.param("ZGtyOnA6dw==", ("dkr", "p:w"), id="colon-in-password"),
        pytest.param("ZGtyOg==", ("dkr", ""), id="no-password"),
        pytest.param("OnB3", None, id="no-username"),
        pytest.param("ZGty", None, id="no-colon"),
        pytest.param("not base64!", None, id="not-base64"),
        pytest.param("", None, id="empty"),
    ],
)
def test_decode_auth(auth: str, login: tuple[str, str] | None) -> None:
    assert dockerconfig.decode_auth(auth) == login
