"""Test helpers shared by the unit and integration suites."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from dkr.cli import main
from dkr.render import Streams


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def run_dkr(*args: str, tty: bool = False, color: bool = False, width: int = 200) -> Result:
    """Run dkr in-process through its real entry point `main(argv)`, capturing both streams; `width`: the
    terminal's, when `tty`."""
    out, err = io.StringIO(), io.StringIO()
    # click writes --help straight to sys.stdout: capture that too
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args), Streams(out, err, out_tty=tty, err_tty=tty, color=color, width=width))
    return Result(code, out.getvalue(), err.getvalue())


def write_context(config: Path, name: str, url: str) -> None:
    """A context as `docker context create NAME --docker host=URL` stores it."""
    meta = config / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
    meta.mkdir(parents=True)
    endpoint = {"Host": url, "SkipTLSVerify": False}
    (meta / "meta.json").write_text(
        json.dumps({"Name": name, "Metadata": {}, "Endpoints": {"docker": endpoint}})
    )


def assert_one_line_error(res: Result, code: int, *needles: str) -> None:
    """A failure is `dkr: error: ...` (plus at most one hint line), nothing on stdout, no traceback."""
    assert res.code == code, (res.code, res.err)
    assert res.out == "", res.out
    lines = res.err_lines
    assert 1 <= len(lines) <= 2, res.err
    assert lines[0].startswith("dkr: error: "), res.err
    assert "Traceback" not in res.err
    for needle in needles:
        assert needle in res.err, (needle, res.err)


#: a docker credential helper (docker-credential-helpers' protocol) that keeps its secrets in a JSON file
_CREDENTIAL_HELPER = """#!{python}
import json, sys
STORE = {store!r}
NOT_FOUND = "credentials not found in native keychain"
def load():
    try:
        with open(STORE) as f:
            return json.load(f)
    except FileNotFoundError:
        return {{}}
def save(data):
    with open(STORE, "w") as f:
        json.dump(data, f)
with open(STORE + ".log", "a") as log:
    log.write(sys.argv[1] + "\\n")
data, action, given = load(), sys.argv[1], sys.stdin.read()
if action == "store":
    creds = json.loads(given)
    data[creds["ServerURL"]] = {{"Username": creds["Username"], "Secret": creds["Secret"]}}
    save(data)
elif action == "get":
    server = given.strip()
    if server not in data:
        print(NOT_FOUND)
        sys.exit(1)
    print(json.dumps({{"ServerURL": server, **data[server]}}))
elif action == "erase":
    server = given.strip()
    if server not in data:
        print(NOT_FOUND)
        sys.exit(1)
    del data[server]
    save(data)
elif action == "list":
    print(json.dumps({{k: v["Username"] for k, v in data.items()}}))
else:
    print("unknown action: " + action)
    sys.exit(1)
"""


def write_credential_helper(folder: Path, name: str = "dkrtest") -> Path:
    """`folder/docker-credential-<name>`, a credential helper that keeps what it stores in
    `folder/<name>.json` (and logs each action to `folder/<name>.json.log`); returns that JSON file. Put
    `folder` first on PATH to use it."""
    import stat
    import sys

    folder.mkdir(parents=True, exist_ok=True)
    store = folder / f"{name}.json"
    script = folder / f"docker-credential-{name}"
    script.write_text(_CREDENTIAL_HELPER.format(python=sys.executable, store=str(store)))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return store
