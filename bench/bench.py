"""dkr against the docker CLI, side by side, in one run, on one Engine (issue 6).

Every case alternates dkr and docker runs, reports both medians and the ratio dkr/docker, and checks that
both did the job (all listed, all stopped, the same files, fully cached). Everything it creates carries the
label `dkr.bench=<run id>` and is removed at the end. Results go to stdout and to bench/README.md.

    make bench                 # all cases
    .venv/bin/python bench/bench.py --quick a c   # fewer repetitions, some cases
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import docker

ROOT = Path(__file__).resolve().parent.parent
DKR = [str(Path(sys.executable).parent / "dkr")]
PY = sys.executable
RUN_ID = uuid.uuid4().hex[:8]
LABEL = f"dkr.bench={RUN_ID}"
LABEL_FILTER = f"label={LABEL}"
NO_BUILDKIT = {**os.environ, "DOCKER_BUILDKIT": "0"}


@dataclass
class Sample:
    wall: float
    cpu: float
    maxrss_mb: float
    rc: int
    out: str


def measure(cmd: Sequence[str], env: dict[str, str] | None = None) -> Sample:
    """Wall time, the client process's CPU time and peak RSS (from wait4), its exit code and stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, out)


@dataclass
class Row:
    case: str
    what: str
    dkr: float
    docker: float | None
    unit: str = "s"
    target: str = ""
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.dkr / self.docker if self.docker else None


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        other = f"{row.docker:.3f}{row.unit}" if row.docker is not None else "-"
        print(
            f"  {row.case:<3} {row.what:<52} dkr {row.dkr:.3f}{row.unit:<3} vs {other:<10} {ratio:>7}  {row.note}"
        )

    def check(self, ok: bool, what: str) -> None:
        self.checks.append(f"{'ok' if ok else 'FAILED'}: {what}")
        print(f"  check {'ok' if ok else 'FAILED'}: {what}")
        if not ok:
            raise SystemExit(f"bench: correctness check failed: {what}")


def alternate(a: Callable[[], Sample], b: Callable[[], Sample], n: int) -> tuple[list[Sample], list[Sample]]:
    """Run a and b alternately n times each (after one warm-up of each), so drift hits both alike."""
    a(), b()
    sa, sb = [], []
    for i in range(n):
        if i % 2:
            sb.append(b())
            sa.append(a())
        else:
            sa.append(a())
            sb.append(b())
    return sa, sb


def med(samples: list[Sample], attr: str = "wall") -> float:
    return statistics.median(getattr(s, attr) for s in samples)


# --- fixtures ---------------------------------------------------------------------------------------------


class Bench:
    def __init__(self, quick: bool) -> None:
        self.client = docker.from_env(timeout=300)
        self.api = self.client.api
        self.quick = quick
        self.tmp = Path(tempfile.mkdtemp(prefix="dkr-bench-"))
        self.base = f"dkr-bench-base:{RUN_ID}"
        self.report = Report()

    def reps(self, n: int) -> int:
        return max(3, n // 3) if self.quick else n

    def build_base(self) -> None:
        ctx = self.tmp / "base"
        ctx.mkdir()
        shutil.copy("/bin/busybox", ctx / "busybox")
        (ctx / "Dockerfile").write_text(
            'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n'
        )
        self.client.images.build(path=str(ctx), tag=self.base, labels={"dkr.bench": RUN_ID}, rm=True)

    def create(self, n: int, command: str = "sleep 600", start: bool = False) -> list[str]:
        def one(_: int) -> str:
            cid: str = self.api.create_container(self.base, command, labels={"dkr.bench": RUN_ID})["Id"]
            if start:
                self.api.start(cid)
            return cid

        with ThreadPoolExecutor(8) as pool:
            return list(pool.map(one, range(n)))

    def remove(self, ids: Sequence[str]) -> None:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda c: self.api.remove_container(c, force=True), ids))

    def cleanup(self) -> None:
        self.remove([c["Id"] for c in self.api.containers(all=True, filters={"label": LABEL})])
        for img in self.api.images(filters={"label": LABEL}):
            for tag in img.get("RepoTags") or [img["Id"]]:
                with suppress(docker.errors.APIError):
                    self.api.remove_image(tag, force=True)
        self.api.prune_images(filters={"label": LABEL, "dangling": True})
        shutil.rmtree(self.tmp, ignore_errors=True)


@contextmanager
def containers(b: Bench, n: int, **kw: object) -> Iterator[list[str]]:
    ids = b.create(n, **kw)  # type: ignore[arg-type]
    try:
        yield ids
    finally:
        b.remove(ids)


# --- cases ------------------------------------------------------------------------------------------------


def case_a(b: Bench) -> None:
    print("a. start-up: ps with 5 running containers, the Python floor, --help and a usage error")
    r = b.report
    n = b.reps(21)
    with containers(b, 5, start=True):
        dk, dc = alternate(lambda: measure([*DKR, "ps"]), lambda: measure(["docker", "ps"]), n)
        r.check(all(s.rc == 0 for s in dk + dc), "ps exits 0 on both sides")
        r.check(dk[-1].out.count("\n") >= 6, "dkr ps lists the 5 containers")
        floor_pass = [measure([PY, "-c", "pass"]) for _ in range(n)]
        floor_imp = [measure([PY, "-c", "import docker, typer"]) for _ in range(n)]
        typer_imp = [measure([PY, "-c", "import typer"]) for _ in range(n)]
        helps, usage = alternate(
            lambda: measure([*DKR, "--help"]), lambda: measure([*DKR, "ps", "--bogus"]), n
        )
    r.add(Row("a", "dkr ps / docker ps", med(dk), med(dc)))
    r.add(Row("a", "python -c pass (floor)", med(floor_pass), None))
    r.add(Row("a", "dkr ps / python -c 'import docker, typer'", med(dk), med(floor_imp), target="<= 1.15x"))
    r.add(Row("a", "dkr --help / python -c 'import typer'", med(helps), med(typer_imp), target="<= 1.2x"))
    r.add(
        Row("a", "dkr ps --bogus (usage error) / import typer", med(usage), med(typer_imp), target="<= 1.2x")
    )


def case_b(b: Bench) -> None:
    print("b. ps -a with 50 and 500 created containers")
    r = b.report
    medians = {}
    for count in (50, 500):
        with containers(b, count):
            dk, dc = alternate(
                lambda: measure([*DKR, "ps", "-a", "-f", LABEL_FILTER]),
                lambda: measure(["docker", "ps", "-a", "-f", LABEL_FILTER]),
                b.reps(9),
            )
            r.check(
                dk[-1].out.count("\n") == count + 1 and dc[-1].out.count("\n") == count + 1,
                f"both list all {count} containers",
            )
        medians[count] = (med(dk), med(dc))
        r.add(
            Row("b", f"ps -a, {count} containers", med(dk), med(dc), target="<= 2.5x" if count == 500 else "")
        )
    growth_dkr = medians[500][0] - medians[50][0]
    growth_docker = medians[500][1] - medians[50][1]
    r.add(
        Row(
            "b",
            "growth 50 -> 500 (seconds added)",
            growth_dkr,
            growth_docker,
            target="no steeper than docker",
        )
    )


def case_c(b: Bench) -> None:
    print("c. stop -t 2 of 8 containers whose PID 1 ignores SIGTERM")
    r = b.report

    def run(cmd: list[str]) -> Sample:
        ids = b.create(8, start=True)
        try:
            s = measure(
                [*cmd, "stop", "-t", "2", *ids] if cmd == DKR else ["docker", "stop", "-t", "2", *ids]
            )
            states = [b.api.inspect_container(c)["State"] for c in ids]
            r.check(all(not st["Running"] for st in states), f"{cmd[0]} stopped all 8")
            return s
        finally:
            b.remove(ids)

    dk, dc = alternate(lambda: run(DKR), lambda: run(["docker"]), b.reps(5))
    r.add(Row("c", "stop -t 2, 8 containers ignoring SIGTERM", med(dk), med(dc), target="<= 1.1x"))


def _context(b: Bench, files: int) -> Path:
    """A context of `files` small files in nested folders; .dockerignore drops about half of them."""
    ctx = b.tmp / f"ctx{files}"
    for i in range(files):
        folder = ctx / f"d{i % 40}" / f"e{i % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        ext = "log" if i % 2 else "txt"
        (folder / f"f{i}.{ext}").write_text(f"file {i}\n" * 4)
    (ctx / ".dockerignore").write_text("**/*.log\n!d0/e0/keep*.log\n")
    (ctx / "Dockerfile").write_text(f"FROM {b.base}\nCOPY . /ctx\n")
    return ctx


def _files_in(b: Bench, image: str) -> list[str]:
    out = b.client.containers.run(
        image, ["find", "/ctx", "-type", "f"], remove=True, labels={"dkr.bench": RUN_ID}
    )
    return sorted(out.decode().split())


def case_d(b: Bench) -> None:
    print("d. build --no-cache of a 20,000-file context (.dockerignore drops half)")
    r = b.report
    ctx = _context(b, 20_000)
    tag_dkr, tag_docker = f"dkr-bench-d-dkr:{RUN_ID}", f"dkr-bench-d-docker:{RUN_ID}"
    dk, dc = alternate(
        lambda: measure([*DKR, "build", "--no-cache", "-q", "--label", LABEL, "-t", tag_dkr, str(ctx)]),
        lambda: measure(
            ["docker", "build", "--no-cache", "-q", "--label", LABEL, "-t", tag_docker, str(ctx)],
            env=NO_BUILDKIT,
        ),
        b.reps(3),
    )
    r.check(all(s.rc == 0 for s in dk + dc), "both builds succeed")
    r.check(_files_in(b, tag_dkr) == _files_in(b, tag_docker), "both images hold the same files")
    r.add(Row("d", "build --no-cache 20k files: wall", med(dk), med(dc), target="<= 1.2x"))
    r.add(Row("d", "  client CPU time", med(dk, "cpu"), med(dc, "cpu"), target="<= 1.5x"))
    r.add(
        Row("d", "  client peak memory", med(dk, "maxrss_mb"), med(dc, "maxrss_mb"), "MB", "< 150 MB (dkr)")
    )


def case_e(b: Bench) -> None:
    print("e. fully cached rebuild of a 10-step Dockerfile")
    r = b.report
    ctx = b.tmp / "ten"
    ctx.mkdir()
    (ctx / "app.txt").write_text("app\n")
    steps = [f"FROM {b.base}", "WORKDIR /app", "ENV A=1", "COPY app.txt /app/", "RUN echo one > /one"]
    steps += ["RUN echo two > /two", "LABEL x=y", "EXPOSE 80", "USER 0", 'CMD ["httpd", "-f"]']
    (ctx / "Dockerfile").write_text("\n".join(steps) + "\n")
    tag = f"dkr-bench-e:{RUN_ID}"
    subprocess.run(
        ["docker", "build", "-q", "-t", tag, str(ctx)], env=NO_BUILDKIT, check=True, capture_output=True
    )
    dk, dc = alternate(
        lambda: measure([*DKR, "build", "--format", "json", "-t", tag, str(ctx)]),
        lambda: measure(["docker", "build", "-q", "-t", tag, str(ctx)], env=NO_BUILDKIT),
        b.reps(9),
    )
    result = json.loads(dk[-1].out)
    r.check(result["cached_steps"] == result["total_steps"] == 10, "dkr's rebuild is fully cached (10/10)")
    r.add(Row("e", "cached rebuild, 10 steps", med(dk), med(dc), target="<= 3.5x"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as resp:
            return bool(resp.status == 200)
    except OSError:
        return False


def case_f(b: Bench) -> None:
    print("f. run -d -p ... --wait of a small web server, against docker run -d + a polling loop")
    r = b.report
    ctx = b.tmp / "web"
    ctx.mkdir()
    (ctx / "Dockerfile").write_text(
        f"FROM {b.base}\nRUN mkdir /www && echo ok > /www/index.html\nEXPOSE 80\n"
        'CMD ["sh", "-c", "sleep 0.5; exec httpd -f -p 80 -h /www"]\n'
    )
    image = f"dkr-bench-f:{RUN_ID}"
    b.client.images.build(path=str(ctx), tag=image, labels={"dkr.bench": RUN_ID}, rm=True)

    def with_dkr() -> Sample:
        port = _free_port()
        s = measure([*DKR, "run", "-d", "-p", f"{port}:80", "-l", LABEL, "--wait", image])
        r.check(_answers(f"http://127.0.0.1:{port}/"), "dkr run --wait returned with the server answering")
        b.remove([s.out.strip()])
        return s

    def with_docker() -> Sample:
        port = _free_port()
        started = time.perf_counter()
        s = measure(["docker", "run", "-d", "-p", f"127.0.0.1:{port}:80", "-l", LABEL, image])
        while not _answers(f"http://127.0.0.1:{port}/"):
            time.sleep(0.05)
        s.wall = time.perf_counter() - started
        b.remove([s.out.strip()])
        return s

    dk, dc = alternate(with_dkr, with_docker, b.reps(5))
    r.add(Row("f", "run -d --wait until it answers", med(dk), med(dc)))


def _big_image(b: Bench, name: str) -> str:
    """A 200 MB image of five 40 MB layers of random bytes (nothing compresses), only tagged `name`."""
    ctx = b.tmp / name.replace("/", "_").replace(":", "_")
    ctx.mkdir()
    steps = [f"FROM {b.base}"] + [f"RUN head -c 40000000 /dev/urandom > /layer{i}" for i in range(5)]
    (ctx / "Dockerfile").write_text("\n".join(steps) + "\n")
    image, _ = b.client.images.build(
        path=str(ctx),
        tag=name,
        labels={"dkr.bench": RUN_ID},
        rm=True,
        nocache=True,  # new bytes each time
    )
    return str(image.id)


def case_g(b: Bench) -> None:
    """push and pull through a registry on this machine (Debian's docker-registry, the tests' runner).

    Two images of the same size, different bytes: dkr moves one, docker the other, so neither finds the
    other's layers already there. Before each push the registry's storage is emptied; before each pull both
    images are removed locally."""
    print("g. push and pull of a 200 MB, 5-layer image through a local registry")
    sys.path.insert(0, str(ROOT))
    from tests.integration.registry import Registry

    r = b.report
    registry = Registry().start()
    try:
        refs = {
            "dkr": f"{registry.host}/bench-dkr:{RUN_ID}",
            "docker": f"{registry.host}/bench-docker:{RUN_ID}",
        }
        ids = {who: _big_image(b, ref) for who, ref in refs.items()}
        r.check(ids["dkr"] != ids["docker"], "two images of the same size, different bytes")

        def push(who: str) -> Sample:
            registry.emptied()  # nothing of either image is in the registry: every layer is uploaded
            cmd = [*DKR, "push", "-q", refs[who]] if who == "dkr" else ["docker", "push", "-q", refs[who]]
            sample = measure(cmd)
            if who == "dkr":
                digest = registry.digest("bench-dkr", RUN_ID)
                r.check(sample.out.strip() == digest, "dkr push printed the digest the registry serves")
            return sample

        def pull(who: str) -> Sample:
            b.api.remove_image(refs[who], force=True)
            cmd = [*DKR, "pull", "-q", refs[who]] if who == "dkr" else ["docker", "pull", "-q", refs[who]]
            return measure(cmd)

        n = b.reps(3)
        dk, dc = alternate(lambda: push("dkr"), lambda: push("docker"), n)
        r.check(all(s.rc == 0 for s in dk + dc), "every push succeeded")
        r.add(Row("g", "push 200 MB, 5 layers", med(dk), med(dc), target="<= 1.1x"))
        for ref in refs.values():  # both images in the registry for the pulls (untimed)
            subprocess.run(["docker", "push", "-q", ref], check=True, capture_output=True)
        dk, dc = alternate(lambda: pull("dkr"), lambda: pull("docker"), n)
        r.check(all(s.rc == 0 for s in dk + dc), "every pull succeeded")
        r.check(b.client.images.get(refs["dkr"]).id == ids["dkr"], "dkr pulled the image it pushed")
        r.add(Row("g", "pull 200 MB, 5 layers", med(dk), med(dc), target="<= 1.1x"))
    finally:
        registry.stop()


def case_h(b: Bench) -> None:
    print("h. image prune of 200 dangling images (selected by a label filter)")
    r = b.report
    holder = b.create(1)[0]

    def dangling(n: int) -> None:
        def one(i: int) -> None:
            b.api.commit(holder, conf={"Labels": {"dkr.bench": RUN_ID, "dkr.bench.n": str(i)}})

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(one, range(n)))

    def prune(cmd: list[str]) -> Sample:
        dangling(200)
        s = measure(cmd)
        left = b.api.images(filters={"label": LABEL, "dangling": True})
        r.check(not left, f"{cmd[0]} image prune removed all 200")
        return s

    try:
        dk, dc = alternate(
            lambda: prune([*DKR, "image", "prune", "-f", "--filter", f"label={LABEL}"]),
            lambda: prune(["docker", "image", "prune", "-f", "--filter", f"label={LABEL}"]),
            b.reps(3),
        )
    finally:
        b.remove([holder])
    r.add(Row("h", "image prune, 200 dangling", med(dk), med(dc), target="<= 1.2x"))


def _through(cmd: Sequence[str], source: Path) -> tuple[float, int, float, int]:
    """Run cmd with `source` on stdin, counting the bytes it writes to stdout (read in chunks, never held):
    (wall seconds, bytes out, client peak RSS in MB, exit code)."""
    started = time.perf_counter()
    with source.open("rb") as stdin:
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    count = 0
    while chunk := proc.stdout.read(1 << 20):
        count += len(chunk)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - started, count, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def case_i(b: Bench) -> None:
    print("i. run -i --rm BASE cat: 200 MB from stdin to stdout")
    r = b.report
    source = b.tmp / "200mb"
    with source.open("wb") as f:
        for _ in range(200):
            f.write(os.urandom(1 << 20))
    size = source.stat().st_size
    results: dict[str, list[tuple[float, int, float, int]]] = {"dkr": [], "docker": []}
    cmds = {
        "dkr": [*DKR, "run", "-i", "--rm", "-l", LABEL, b.base, "cat"],
        "docker": ["docker", "run", "-i", "--rm", "-l", LABEL, b.base, "cat"],
    }
    for i in range(b.reps(3) + 1):
        for who in ("dkr", "docker") if i % 2 == 0 else ("docker", "dkr"):
            results[who].append(_through(cmds[who], source))
    for who, runs in results.items():
        r.check(all(n == size and rc == 0 for _, n, _, rc in runs[1:]), f"{who} moved all {size:,} bytes")
    rate = {
        who: statistics.median(size / w / 1e6 for w, _, _, _ in runs[1:]) for who, runs in results.items()
    }
    # throughput: higher is better, so the row's ratio is docker's rate over dkr's (lower is better, as all)
    r.add(
        Row(
            "i",
            "run -i cat, 200 MB: MB/s (ratio docker/dkr)",
            rate["dkr"],
            rate["docker"],
            "MB/s",
            "dkr >= 0.9x docker's rate",
            note=f"ratio shown as dkr/docker = {rate['dkr'] / rate['docker']:.2f}",
        )
    )
    peak = statistics.median(m for _, _, m, _ in results["dkr"][1:])
    r.add(Row("i", "  client peak memory (dkr)", peak, None, "MB", "flat in the size"))


def _keystrokes(argv: Sequence[str], n: int) -> list[float]:
    """Round trip of one typed byte on a pseudo-terminal: written, then its echo read back (the container's
    terminal echoes it). `argv` runs `cat` on a TTY."""
    import pty
    import select
    import tty

    master, slave = pty.openpty()
    tty.setraw(slave)  # no local echo: the only echo is the container terminal's
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    out = b""

    def read_until(needle: bytes, timeout: float) -> bool:
        nonlocal out
        deadline = time.monotonic() + timeout
        while needle not in out:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([master], [], [], left)[0]:
                return False
            out += os.read(master, 4096)
        return True

    times: list[float] = []
    try:
        for _attempt in range(60):  # until the container's cat echoes (it has started)
            os.write(master, b".")
            if read_until(b".", 0.5):
                break
        read_until(b"never", 0.5)  # the echoes of the other warm-up dots
        for i in range(n):
            key = b"abcdefghijklmnopqrstuvwxyz"[i % 26 : i % 26 + 1]
            out = b""
            started = time.perf_counter()
            os.write(master, key)
            if read_until(key, 5):
                times.append(time.perf_counter() - started)
        os.write(master, b"\x04\x04")  # EOF to cat: it ends, and the container with it
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
        os.close(slave)
    return times


def case_j(b: Bench) -> None:
    print("j. run -it keystroke round trip (a byte typed, its echo read back)")
    r = b.report
    n = 50 if not b.quick else 15
    dk = _keystrokes([*DKR, "run", "-it", "--rm", "-l", LABEL, b.base, "cat"], n)
    dc = _keystrokes(["docker", "run", "-it", "--rm", "-l", LABEL, b.base, "cat"], n)
    r.check(len(dk) == n and len(dc) == n, f"every keystroke came back ({len(dk)}, {len(dc)} of {n})")
    mdk, mdc = statistics.median(dk) * 1000, statistics.median(dc) * 1000
    r.add(
        Row(
            "j",
            "keystroke round trip (median)",
            mdk,
            mdc,
            "ms",
            "within 2 ms of docker",
            note=f"difference {mdk - mdc:+.2f} ms",
        )
    )


def case_k(b: Bench) -> None:
    print("k. logs -f of a container writing 50 MB as fast as it can")
    r = b.report
    script = "sleep 1; head -c 37500000 /dev/urandom | base64"  # ~50 MB of text lines

    def follow(cmd: list[str]) -> Sample:
        cid = b.api.create_container(b.base, ["sh", "-c", script], labels={"dkr.bench": RUN_ID})["Id"]
        b.api.start(cid)
        try:
            wall, count, _, rc = _through([*cmd, cid], Path("/dev/null"))
        finally:
            b.remove([cid])
        return Sample(wall, 0.0, 0.0, rc, str(count))

    dk, dc = alternate(
        lambda: follow([*DKR, "logs", "-f"]), lambda: follow(["docker", "logs", "-f"]), b.reps(3)
    )
    r.check(all(s.rc == 0 for s in dk + dc), "every logs -f ended with the container")
    r.check(len({s.out for s in dk + dc}) == 1, f"both read the same {dk[0].out} bytes each time")
    r.add(Row("k", "logs -f, 50 MB written as fast as possible", med(dk), med(dc), target=">= 0.9x rate"))


@contextmanager
def _engines(b: Bench, n: int) -> Iterator[list[tuple[str, str, docker.APIClient]]]:
    """The main Engine and n private dockerds (tests/integration/private_engine.py: own socket, bridge and
    data, --iptables=false) as (context name, endpoint, client), each with the base image built on it.
    The private ones are stopped, with all they hold, at the end."""
    sys.path.insert(0, str(ROOT))
    from tests.integration.private_engine import PrivateEngine

    private = [PrivateEngine() for _ in range(n)]
    try:
        with ThreadPoolExecutor(n) as pool:
            list(pool.map(lambda e: e.start(), private))
        main_url = os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"
        out = [("main", main_url, b.api)]
        for i, engine in enumerate(private, 1):
            api = engine.client().api
            list(api.build(path=str(b.tmp / "base"), tag=b.base, rm=True, decode=True))  # build_base's folder
            out.append((f"pe{i}", engine.url, api))
        yield out
    finally:
        for engine in private:
            engine.stop()


def _contexts(config: Path, endpoints: dict[str, str]) -> None:
    """Contexts as `docker context create NAME --docker host=URL` stores them, in a private DOCKER_CONFIG."""
    for name, url in endpoints.items():
        meta = config / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
        meta.mkdir(parents=True)
        endpoint = {"docker": {"Host": url, "SkipTLSVerify": False}}
        (meta / "meta.json").write_text(json.dumps({"Name": name, "Metadata": {}, "Endpoints": endpoint}))


def case_l(b: Bench) -> None:
    print("l. ps -a over three Engines (-c main,pe1,pe2), 5 containers each")
    r = b.report
    config = b.tmp / "docker-config"
    with _engines(b, 2) as engines:
        _contexts(config, {name: url for name, url, _ in engines})
        for _, _, api in engines:
            for _ in range(5):
                api.create_container(b.base, "sleep 600", labels={"dkr.bench": RUN_ID})
        env = {k: v for k, v in os.environ.items() if k not in ("DOCKER_HOST", "DOCKER_CONTEXT")}
        env["DOCKER_CONFIG"] = str(config)
        names = [name for name, _, _ in engines]
        ps = ["ps", "-a", "-f", LABEL_FILTER]
        n = b.reps(15)
        fan, one = alternate(
            lambda: measure([*DKR, "-c", ",".join(names), *ps], env),
            lambda: measure([*DKR, "-c", "main", *ps], env),
            n,
        )
        loop = " ".join(f"docker -c {name} ps -a -f {LABEL_FILTER};" for name in names)
        fan2, shell = alternate(
            lambda: measure([*DKR, "-c", ",".join(names), *ps], env),
            lambda: measure(["sh", "-c", loop], env),
            n,
        )
        r.check(all(s.rc == 0 for s in fan + one + fan2 + shell), "every ps exits 0")
        r.check(fan[-1].out.count("\n") == 16, "dkr over 3 Engines lists the 15 containers under one header")
        r.check(shell[-1].out.count("\n") == 18, "the docker loop lists the 15 containers under 3 headers")
        rows = fan[-1].out.splitlines()[1:]
        r.check(sorted({row.split()[0] for row in rows}) == sorted(names), "the ENGINE column names all 3")
        for _, _, api in engines:
            for c in api.containers(all=True, filters={"label": LABEL}):
                api.remove_container(c["Id"], force=True)
    r.add(Row("l", "dkr ps -a over 3 Engines / over 1", med(fan), med(one), target="<= 1.3x"))
    r.add(Row("l", "dkr ps -a over 3 Engines / docker -c X ps, a loop", med(fan2), med(shell)))


CASES = {
    "a": case_a, "b": case_b, "c": case_c, "d": case_d, "e": case_e, "f": case_f, "g": case_g, "h": case_h,
    "i": case_i, "j": case_j, "k": case_k, "l": case_l,
}  # fmt: skip


def write_readme(report: Report, started: str) -> None:
    lines = [
        "# dkr benchmark",
        "",
        "`make bench` runs `bench/bench.py`: dkr and the docker CLI side by side, alternating runs, in one",
        "invocation, against the same Engine, on objects it creates and removes itself. Figures are medians;",
        "ratio = dkr / docker (lower is better). This machine is noisy: differences under ~15% are noise.",
        "",
        f"Last run: {started}, {platform.node() or 'machine'}: {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, docker CLI {_docker_version()}.",
        "",
        "| case | what | dkr | docker / floor | ratio | target |",
        "|---|---|---|---|---|---|",
    ]
    for row in report.rows:
        other = f"{row.docker:.3f} {row.unit}" if row.docker is not None else "-"
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        lines.append(
            f"| {row.case} | {row.what} | {row.dkr:.3f} {row.unit} | {other} | {ratio} | {row.target} |"
        )
    lines += ["", "Checks:", "", *[f"- {c}" for c in report.checks], ""]
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text()]
    (ROOT / "bench" / "README.md").write_text("\n".join(lines))


def _docker_version() -> str:
    res = subprocess.run(["docker", "version", "--format", "{{.Client.Version}} / Engine {{.Server.Version}}"],
                         capture_output=True, text=True)  # fmt: skip
    return res.stdout.strip()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "cases", nargs="*", metavar="CASE", help=f"cases to run (default: all of {''.join(CASES)})"
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite bench/README.md")
    args = parser.parse_args(argv)
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; choose from {', '.join(CASES)}")
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    # measure the steady state a user has after the first call: bytecode compiled (an editable install
    # writes none, and PYTHONDONTWRITEBYTECODE would keep every run compiling dkr's sources)
    compileall.compile_dir(str(ROOT / "src"), quiet=1)
    b = Bench(args.quick)
    try:
        b.build_base()
        for name in args.cases or list(CASES):
            CASES[name](b)
    finally:
        b.cleanup()
    if not args.no_readme:
        write_readme(b.report, started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
