"""The record key (dkr.build.record): 32 random bytes per user in the cache folder, mode 0600, the key of the
hashes by which the records keep build arg values and file contents; created once even by racing processes,
replaced when it cannot be trusted; and the cache folders, 0700 whatever the umask."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dkr.build import record as buildrecord
from dkr.build.cachedir import context_record_path, key_path
from dkr.build.record import KEY_SIZE, RecordKey, load_key, record_key
from dkr.models.build import BuildResult

IMAGE_ID = "sha256:" + "ab" * 32
#: os.open itself, for "another process" while a test wraps it
REAL_OPEN = os.open


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DKR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(buildrecord, "_KEYS", {})
    return tmp_path / "cache"


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process umask for the test (restored after it)."""
    old = os.umask(0o022)
    os.umask(old)
    yield os.umask
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def save_everything() -> None:
    buildrecord.save("/c", "/c/D", image_id="", instructions=[], layers=[], build_args={"A": "1"}, files={})
    buildrecord.save_build(BuildResult(IMAGE_ID, (), (), 0))


# --- modes --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mask", [0o000, 0o002, 0o277], ids=["umask-000", "umask-002", "umask-277"])
def test_key_file_is_0600_and_folders_0700(cache: Path, umask: Callable[[int], None], mask: int) -> None:
    umask(mask)  # 0o277 would make mkdir(0o700) 0500: dkr could not write in its own folder
    save_everything()
    assert mode(key_path()) == 0o600
    assert [mode(f) for f in (cache, cache / "contexts", cache / "builds")] == [0o700] * 3
    assert mode(context_record_path("/c", "/c/D")) & 0o077 == 0  # mkstemp's 0600, cut by the umask
    assert len(key_path().read_bytes()) == KEY_SIZE


def test_missing_parents_of_the_cache_folder_are_0700(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask: Callable[[int], None]
) -> None:
    umask(0)
    monkeypatch.setenv("DKR_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home" / ".cache"))
    save_everything()
    assert (
        mode(tmp_path / "home")
        == mode(tmp_path / "home" / ".cache")
        == mode(tmp_path / "home/.cache/dkr")
        == 0o700
    )


def test_an_existing_cache_folder_is_tightened_when_dkr_writes(
    cache: Path, umask: Callable[[int], None]
) -> None:
    umask(0)
    (cache / "contexts").mkdir(parents=True, mode=0o777)  # an older dkr's folders, or a loose umask
    cache.chmod(0o755)
    buildrecord.save_build(BuildResult(IMAGE_ID, (), (), 0))  # no key needed: still tightened
    assert mode(cache) == mode(cache / "builds") == 0o700
    save_everything()
    assert mode(cache / "contexts") == 0o700


def test_a_shared_cache_folder_is_left_alone(cache: Path) -> None:
    """DKR_CACHE_DIR=/tmp must not lock everyone else out of /tmp, even for root: a sticky folder is shared."""
    cache.mkdir()
    cache.chmod(0o1777)
    save_everything()
    assert mode(cache) == 0o1777
    assert mode(cache / "contexts") == 0o700 and mode(key_path()) == 0o600


# --- digests --------------------------------------------------------------------------------------------------


def test_one_key_gives_one_digest_and_two_keys_two(tmp_path: Path) -> None:
    one, two = load_key(tmp_path / "one"), load_key(tmp_path / "two")
    assert one.kept and two.kept and one.secret != two.secret
    again = load_key(tmp_path / "one")  # a later run reads the key back
    assert again.secret == one.secret and again.id == one.id
    assert again.arg_digest("TOKEN", "hunter2") == one.arg_digest("TOKEN", "hunter2")
    assert again.file_digest(b"TOKEN=hunter2") == one.file_digest(b"TOKEN=hunter2")
    assert two.arg_digest("TOKEN", "hunter2") != one.arg_digest("TOKEN", "hunter2")
    assert two.file_digest(b"TOKEN=hunter2") != one.file_digest(b"TOKEN=hunter2")
    assert two.id != one.id
    # the name is hashed with the value, and the kinds of digest are kept apart
    assert one.arg_digest("A", "x") != one.arg_digest("B", "x")
    assert one.arg_digest("A", "x") != one.file_digest(b"A\0x")
    assert len(one.arg_digest("A", "x")) == len(one.file_digest(b"")) == 32


def test_build_args_digest_with_the_users_key(cache: Path) -> None:
    digests = buildrecord.digest_args({"TOKEN": "hunter2", "ODD": "\udcff"})  # an argv byte that is no UTF-8
    key = RecordKey(key_path().read_bytes())
    assert digests == {"TOKEN": key.arg_digest("TOKEN", "hunter2"), "ODD": key.arg_digest("ODD", "\udcff")}


def test_a_process_keeps_its_key_for_all_its_digests(cache: Path) -> None:
    """A key replaced during a build must not mix keys within its record: the record names the key it used."""
    first = record_key()
    key_path().unlink()
    assert record_key() is first


def test_the_key_is_made_once(cache: Path) -> None:
    first = load_key(cache)
    assert load_key(cache).secret == first.secret == key_path().read_bytes()
    assert sorted(p.name for p in cache.iterdir()) == [key_path().name]  # no temporary file left


# --- racing processes -------------------------------------------------------------------------------------


def another_process_publishes(path: Path, secret: bytes) -> None:
    fd = REAL_OPEN(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.write(fd, secret)
    os.close(fd)


def test_racing_creation_yields_one_key(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both found no key; the other process published first: its key is the one used, and kept."""
    theirs = secrets.token_bytes(KEY_SIZE)
    real_link = os.link

    def link(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if Path(dst) == key_path():
            another_process_publishes(key_path(), theirs)
        real_link(src, dst, *args, **kwargs)  # now fails (FileExistsError) as it would in the race

    monkeypatch.setattr(os, "link", link)
    key = load_key(cache)
    assert key.kept and key.secret == theirs and key_path().read_bytes() == theirs
    assert sorted(p.name for p in cache.iterdir()) == [key_path().name]


def test_racing_creation_without_hard_links_yields_one_key(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system without hard links: the key is created in place, O_EXCL; when that fails, theirs wins."""
    theirs = secrets.token_bytes(KEY_SIZE)

    def no_link(*_args: Any, **_kwargs: Any) -> None:
        raise PermissionError(1, "Operation not permitted")

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(path) == key_path() and flags & os.O_EXCL:
            another_process_publishes(key_path(), theirs)
        return REAL_OPEN(path, flags, *args, **kwargs)  # FileExistsError: O_EXCL failed

    monkeypatch.setattr(os, "link", no_link)
    monkeypatch.setattr(os, "open", open_)
    key = load_key(cache)
    assert key.kept and key.secret == theirs
    assert sorted(p.name for p in cache.iterdir()) == [key_path().name]


def test_without_hard_links_the_key_is_made_in_place(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_link(*_args: Any, **_kwargs: Any) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    key = load_key(cache)
    assert key.kept and key_path().read_bytes() == key.secret and mode(key_path()) == 0o600
    monkeypatch.undo()
    assert load_key(cache).secret == key.secret


# --- a key not to trust -------------------------------------------------------------------------------------


def plant(path: Path, how: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if how == "symlink":
        target = path.parent / "elsewhere"
        target.write_bytes(b"k" * KEY_SIZE)
        target.chmod(0o600)
        path.symlink_to(target)
    elif how == "fifo":
        os.mkfifo(path, 0o600)
    else:
        sizes = {"short": KEY_SIZE - 1, "long": KEY_SIZE + 1, "empty": 0}
        modes = {"group-readable": 0o640, "other-readable": 0o604, "group-writable": 0o620}
        path.write_bytes(b"k" * sizes.get(how, KEY_SIZE))
        path.chmod(modes.get(how, 0o600))


@pytest.mark.parametrize(
    "how", ["short", "long", "empty", "group-readable", "other-readable", "group-writable", "symlink", "fifo"]
)
def test_an_untrusted_key_file_is_replaced(cache: Path, how: str) -> None:
    plant(key_path(), how)
    key = load_key(cache)
    assert key.kept and key.secret != b"k" * KEY_SIZE
    assert stat.S_ISREG(key_path().lstat().st_mode) and mode(key_path()) == 0o600
    assert key_path().read_bytes() == key.secret
    assert load_key(cache).secret == key.secret


def test_an_unreadable_key_file_is_replaced(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plant(key_path(), "good")
    key_path().chmod(0)

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(path) == key_path() and not flags & os.O_CREAT and mode(key_path()) == 0:
            raise PermissionError(13, "Permission denied")  # as for a user (root reads it all the same)
        return REAL_OPEN(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    key = load_key(cache)
    assert key.kept and key.secret != b"k" * KEY_SIZE and mode(key_path()) == 0o600


def test_a_good_key_file_is_kept(cache: Path) -> None:
    plant(key_path(), "good")
    assert load_key(cache).secret == b"k" * KEY_SIZE


def test_a_cache_folder_that_cannot_keep_a_key(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    key = load_key(tmp_path / "file" / "below")
    assert not key.kept and len(key.secret) == KEY_SIZE
    assert load_key(tmp_path / "file" / "below").secret != key.secret  # a key for one run alone
