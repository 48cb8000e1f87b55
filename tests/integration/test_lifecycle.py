"""inspect, start, restart, kill, pause/unpause, wait, port and rename against the real Engine, with the
docker CLI as the reference on the same containers."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

from tests.integration.support import dkr, free_port, unique


def docker(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=60)


def test_inspect_is_dockers_json_array_and_reports_the_missing_one(
    make_container: Any, base_image: str
) -> None:
    ctr = make_container("sleep 300", labels={"dkr.k": "v<&>"})
    missing = unique("missing")
    args = [ctr.name, base_image, missing]
    res, ref = dkr("inspect", *args), docker("inspect", *args)
    assert res.returncode == ref.returncode == 1, res.stderr
    assert json.loads(res.stdout) == json.loads(ref.stdout)
    assert [o["Id"] for o in json.loads(res.stdout)] == [ctr.id, json.loads(ref.stdout)[1]["Id"]]
    assert res.stdout.startswith("[\n    {\n        ")
    assert res.stderr.splitlines() == [f"dkr: error: No such object: {missing}"]


def test_inspect_templates_match_docker(make_container: Any, base_image: str) -> None:
    ctr = make_container("sleep 300", labels={"dkr.k": "v<&>"})
    for template in [
        "{{.State.Status}} {{.Name}} {{.State.Running}}",
        '{{index .Config.Labels "dkr.k"}}|{{index .Config.Labels "nope"}}',
        "{{json .Config.Labels}}",
        "{{.Config.Cmd}} {{.State.Pid}}",
        "{{.State.Nope}}",
        "a\n{{.Config.Labels.nope}}",
        "table {{.Name}}\\t{{.State.Running}} ",
    ]:
        res, ref = dkr("inspect", "-f", template, ctr.name), docker("inspect", "-f", template, ctr.name)
        assert (res.returncode, res.stdout) == (ref.returncode, ref.stdout), template
        assert res.stderr == ("dkr: error: " + ref.stderr if ref.stderr else ""), template
    # {{json .}}: the Engine's object (docker's CLI re-encodes its own struct, whose fields follow its version)
    res = dkr("inspect", "-f", "{{json .}}", ctr.name)
    ctr.reload()
    assert json.loads(res.stdout) == ctr.attrs
    res = dkr("inspect", "--type", "image", "-f", "{{.Id}}", base_image)
    assert res.returncode == 0 and res.stdout.startswith("sha256:"), res.stderr
    res, ref = dkr("inspect", "--type", "image", ctr.name), docker("inspect", "--type", "image", ctr.name)
    assert res.returncode == ref.returncode == 1 and res.stdout == ref.stdout == "[]\n"
    assert res.stderr.lower() == "dkr: error: " + ref.stderr.lower().removeprefix(
        "error response from daemon: "
    )


def test_kill_wait_start_and_their_exit_codes(make_container: Any) -> None:
    a, b = make_container("sleep 300"), make_container("sleep 300")
    res = dkr("kill", a.name, b.name)
    assert (res.returncode, res.stdout.splitlines()) == (0, [a.name, b.name]), res.stderr
    res = dkr("wait", a.name, b.name)
    assert (res.returncode, res.stdout) == (0, "137\n137\n")
    # a stopped container cannot be killed: exit 1 as docker's
    res, ref = dkr("kill", a.name), docker("kill", a.name)
    assert res.returncode == ref.returncode == 1
    assert res.stderr.startswith(f"dkr: error: cannot kill '{a.name}': ") and res.stdout == ""
    missing = unique("missing")
    res, ref = dkr("start", missing, a.name), docker("start", missing)
    assert res.returncode == ref.returncode == 1
    assert res.stdout == f"{a.name}\n"
    a.reload()
    assert a.attrs["State"]["Running"]
    # -a: the output and the exit code passed through
    c = make_container(["sh", "-c", "echo out; echo err >&2; exit 7"], start=False)
    res = dkr("start", "-a", c.name)
    assert (res.returncode, res.stdout, res.stderr) == (7, "out\n", "err\n")
    res = dkr("wait", c.name, missing)
    assert res.returncode == 1 and res.stdout == "7\n"


def test_kill_signal_restart_pause_rename(make_container: Any) -> None:
    ctr = make_container(["sh", "-c", "trap 'exit 3' USR1; while :; do sleep 0.1; done"])
    assert dkr("kill", "-s", "USR1", ctr.name).returncode == 0
    assert dkr("wait", ctr.name).stdout == "3\n"
    res = dkr("restart", "-t", "1", ctr.name)
    assert res.returncode == 0 and res.stdout == f"{ctr.name}\n"
    ctr.reload()
    assert ctr.attrs["State"]["Running"] and ctr.attrs["RestartCount"] == 0
    assert dkr("pause", ctr.name).returncode == 0
    ctr.reload()
    assert ctr.attrs["State"]["Paused"]
    assert dkr("unpause", ctr.name).returncode == 0
    ctr.reload()
    assert not ctr.attrs["State"]["Paused"]
    new = unique("renamed")
    res = dkr("rename", ctr.name, new)
    assert (res.returncode, res.stdout) == (0, "")
    ctr.reload()
    assert ctr.name == new


def test_port_matches_docker(make_container: Any) -> None:
    p1, p2 = free_port(), free_port()
    ctr = make_container("sleep 300", ports={"80/tcp": ("127.0.0.1", p1), "53/udp": ("127.0.0.1", p2)})
    for extra in [[], ["80"], ["53/udp"]]:
        res, ref = dkr("port", ctr.name, *extra), docker("port", ctr.name, *extra)
        assert (res.returncode, res.stdout) == (0, ref.stdout), extra
    assert dkr("port", ctr.name).stdout == f"53/udp -> 127.0.0.1:{p2}\n80/tcp -> 127.0.0.1:{p1}\n"
    res, ref = dkr("port", ctr.name, "81"), docker("port", ctr.name, "81")
    assert res.returncode == ref.returncode == 1
    assert res.stderr == f"dkr: error: No public port '81' published for {ctr.name}\n"


def _tree(root: Path) -> dict[str, str]:
    """Every path under root (relative) with its content, "dir" for a folder."""
    return {str(p.relative_to(root)): "dir" if p.is_dir() else p.read_text() for p in sorted(root.rglob("*"))}


def test_cp_from_a_container_as_docker(make_container: Any, tmp_path: Path) -> None:
    ctr = make_container(["sh", "-c", "mkdir -p /d/sub && echo a > /d/a && echo b > /d/sub/b && sleep 300"])
    time.sleep(0.5)
    cases = [
        ("/d", "new"),  # a folder copied as a new name
        ("/d", "existing/"),  # into an existing folder, under its own name
        ("/d/.", "existing/"),  # its contents into an existing folder
        ("/d/a", "file"),  # a file under a new name
        ("/d/a", "existing/"),  # a file into a folder
    ]
    for i, (src, dst) in enumerate(cases):
        trees = []
        for tool in (dkr, docker):
            root = tmp_path / f"{tool.__name__}{i}"
            (root / "existing").mkdir(parents=True)
            res = tool("cp", f"{ctr.name}:{src}", f"{root}/{dst}")
            assert res.returncode == 0, (src, dst, res.stderr)
            trees.append(_tree(root))
        assert trees[0] == trees[1], (src, dst)
    root = tmp_path / "errors"
    root.mkdir()
    (root / "f").write_text("x")
    for src, dst in [("/nope", "x"), ("/d", "f"), ("/d/a", "nodir/"), ("/d/a", "missing/parent")]:
        res, ref = (
            dkr("cp", f"{ctr.name}:{src}", f"{root}/{dst}"),
            docker("cp", f"{ctr.name}:{src}", f"{root}/{dst}"),
        )
        assert res.returncode == ref.returncode == 1, (src, dst, res.stderr, ref.stderr)
        assert res.stderr.startswith("dkr: error: ") and len(res.stderr.splitlines()) == 1, res.stderr
    # -: the tar stream itself on stdout
    out = subprocess.run(
        [sys.executable, "-m", "dkr", "cp", f"{ctr.name}:/d", "-"], capture_output=True, timeout=60
    )
    assert out.returncode == 0
    with tarfile.open(fileobj=io.BytesIO(out.stdout)) as tar:
        assert sorted(tar.getnames()) == ["d", "d/a", "d/sub", "d/sub/b"]


def test_cp_into_a_container_as_docker(make_container: Any, tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "a").write_text("a")
    (src / "sub" / "b").write_text("b")
    for tool in (dkr, docker):
        ctr = make_container(["sh", "-c", "mkdir /into && sleep 300"])
        time.sleep(0.5)
        assert tool("cp", str(src), f"{ctr.name}:/new").returncode == 0
        assert tool("cp", str(src), f"{ctr.name}:/into").returncode == 0
        assert tool("cp", f"{src}/.", f"{ctr.name}:/into").returncode == 0
        assert tool("cp", str(src / "a"), f"{ctr.name}:/file").returncode == 0
        listing = ctr.exec_run(["sh", "-c", "find /new /into /file | sort; cat /file /into/src/sub/b"]).output
        if tool is dkr:
            ours = listing
        else:
            assert listing == ours
    ctr = make_container("sleep 300")
    res, ref = dkr("cp", str(src), f"{ctr.name}:/nope/x"), docker("cp", str(src), f"{ctr.name}:/nope/x")
    assert res.returncode == ref.returncode == 1, (res.stderr, ref.stderr)
    res = dkr("cp", str(tmp_path / "missing"), f"{ctr.name}:/")
    assert res.returncode == 1 and res.stderr.startswith("dkr: error: lstat "), res.stderr
    # -: a tar stream on stdin, extracted into a folder
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        tar.add(src / "a", arcname="piped")
    res = subprocess.run(
        [sys.executable, "-m", "dkr", "cp", "-", f"{ctr.name}:/"],
        input=buf.getvalue(),
        capture_output=True,
    )
    assert res.returncode == 0, res.stderr
    assert ctr.exec_run(["cat", "/piped"]).output == b"a"


def test_top_matches_docker_shape(make_container: Any) -> None:
    ctr = make_container("sleep 300")
    for extra in [[], ["-o", "pid,comm"]]:
        res, ref = dkr("top", ctr.name, *extra), docker("top", ctr.name, *extra)
        assert res.returncode == ref.returncode == 0, res.stderr
        # the same processes and columns (the TIME and C columns may tick between the two calls)
        assert [ln.split()[:2] for ln in res.stdout.splitlines()] == [
            ln.split()[:2] for ln in ref.stdout.splitlines()
        ]
        assert res.stdout.splitlines()[0] == ref.stdout.splitlines()[0]
    ctr.stop(timeout=0)
    res, ref = dkr("top", ctr.name), docker("top", ctr.name)
    assert res.returncode == ref.returncode == 1 and "is not running" in res.stderr


def test_stats_no_stream_as_docker(make_container: Any) -> None:
    a, b = make_container("sleep 300"), make_container("sleep 300")
    res, ref = dkr("stats", "--no-stream", a.name, b.name), docker("stats", "--no-stream", a.name, b.name)
    assert res.returncode == ref.returncode == 0, res.stderr
    ours, theirs = res.stdout.splitlines(), ref.stdout.splitlines()
    assert ours[0] == theirs[0]  # docker's header, column for column
    # the same containers; ids, names, limits and PIDs agree (usage figures move between the two samples)
    assert [ln.split()[:2] + ln.split()[-1:] for ln in ours] == [
        ln.split()[:2] + ln.split()[-1:] for ln in theirs
    ]
    assert [ln.split()[5:7] for ln in ours[1:]] == [ln.split()[5:7] for ln in theirs[1:]]
    res = dkr("stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}", a.name)
    assert res.stdout == f"{a.name} 1\n"
    res = dkr("stats", "--no-stream", "--format", "json", a.name)
    assert json.loads(res.stdout)["Name"] == a.name
    missing = unique("missing")
    res, ref = dkr("stats", "--no-stream", missing), docker("stats", "--no-stream", missing)
    assert res.returncode == ref.returncode == 1, res.stderr


def test_start_ai_sends_stdin_and_passes_the_exit_code(make_container: Any) -> None:
    ctr = make_container(["sh", "-c", "read line; echo got $line; exit 4"], start=False, stdin_open=True)
    res = dkr("start", "-ai", ctr.name, input="hello\n")
    assert (res.returncode, res.stdout) == (4, "got hello\n"), res.stderr
    res, ref = dkr("start", "-a", unique("missing")), docker("start", "-a", unique("missing"))
    assert res.returncode == ref.returncode == 1
