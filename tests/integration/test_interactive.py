"""`run -i` and `run -it` on the real Engine. Piped input reaches the container and its EOF ends it; with -t,
dkr runs on a pseudo-terminal this test owns (stdlib `os.openpty`): it types into the shell, reads the
output, resizes the window, and checks after every way out that the terminal's attributes are exactly what
they were before dkr started."""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from typing import Any

import docker
import pytest

from tests.integration.support import LABEL_ARGS, Case, dkr, unique


def test_piped_stdin_reaches_the_container(base_image: str, case: Case) -> None:
    res = dkr("run", "-i", "--rm", *case.args, base_image, "cat", input="hi\n")
    assert (res.returncode, res.stdout, res.stderr) == (0, "hi\n", "")
    assert case.containers() == []


def test_stdin_eof_ends_it_and_its_exit_code_is_dkrs(base_image: str, case: Case) -> None:
    script = "wc -l; echo to-stderr >&2; exit 7"
    res = dkr("run", "-i", "--rm", *case.args, base_image, "sh", "-c", script, input="a\nb\nc\n")
    assert res.returncode == 7
    assert res.stdout.strip() == "3" and res.stderr == "to-stderr\n"


def test_a_large_input_goes_through_whole(base_image: str, case: Case) -> None:
    data = "".join(f"line {i}\n" for i in range(200_000))  # ~2.5 MB, more than any buffer on the way
    res = dkr("run", "-i", "--rm", *case.args, base_image, "sh", "-c", "wc -c", input=data)
    assert res.returncode == 0 and int(res.stdout) == len(data)


def test_it_without_a_terminal_is_dockers_error(base_image: str, case: Case) -> None:
    res = dkr("run", "-it", "--rm", *case.args, base_image, "true", input="")
    assert res.returncode == 1
    assert res.stderr.splitlines()[0] == "dkr: error: the input device is not a TTY"
    assert case.containers() == []  # refused before anything was created


def test_bad_detach_keys_are_a_usage_error(base_image: str, case: Case) -> None:
    res = dkr("run", "-it", "--detach-keys", "ctrl-", *case.args, base_image, "true")
    assert res.returncode == 2 and "invalid --detach-keys 'ctrl-'" in res.stderr
    assert case.containers() == []


# --- on a pseudo-terminal --------------------------------------------------------------------------------


class Terminal:
    """dkr on a pty of this test's: the slave is dkr's stdin, stdout and stderr; the test reads and types
    on the master."""

    def __init__(self, argv: list[str], rows: int = 24, cols: int = 80) -> None:
        self.master, self.slave = os.openpty()
        self.resize(rows, cols)
        self.before = termios.tcgetattr(self.slave)
        self.out = b""
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dkr", *argv],
            stdin=self.slave, stdout=self.slave, stderr=self.slave, start_new_session=True,
        )  # fmt: skip

    def resize(self, rows: int, cols: int) -> None:
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def read_until(self, needle: bytes, timeout: float = 20.0) -> bytes:
        deadline = time.monotonic() + timeout
        while needle not in self.out:
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} never came; got {self.out[-500:]!r}")
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.out += os.read(self.master, 4096)
                except OSError:
                    break
        return self.out

    def type(self, text: bytes) -> None:
        os.write(self.master, text)

    def shell_says(self, command: bytes, timeout: float = 20.0) -> str:
        """Run `command` in the shell and return what it printed (between two markers)."""
        mark = f"m{time.monotonic_ns()}".encode()
        start = len(self.out)
        # the markers are arithmetic for the shell: the echoed command line never contains what it prints
        self.type(b"echo " + mark + b"$((40+1)); " + command + b"; echo " + mark + b"$((40+2))\r")
        self.read_until(mark + b"42\r\n", timeout)
        text = self.out[start:].split(mark + b"41\r\n")[-1].split(mark + b"42")[0]
        return text.decode(errors="replace").strip()

    def wait(self, timeout: float = 30.0) -> int:
        code = self.proc.wait(timeout)
        with_rest = select.select([self.master], [], [], 0.2)[0]
        if with_rest:
            with contextlib.suppress(OSError):
                self.out += os.read(self.master, 65536)
        return code

    def restored(self) -> bool:
        return termios.tcgetattr(self.slave) == self.before

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)


@pytest.fixture
def terminal() -> Iterator[Any]:
    made: list[Terminal] = []

    def make(argv: list[str], **kw: int) -> Terminal:
        made.append(Terminal(argv, **kw))
        return made[-1]

    yield make
    for t in made:
        t.close()


PROMPT = b"# "


def test_a_shell_exits_with_its_code_and_the_terminal_is_restored(
    terminal: Any, base_image: str, case: Case
) -> None:
    t = terminal(["run", "-it", "--rm", *case.args, base_image, "sh"])
    t.read_until(PROMPT)
    assert not t.restored()  # raw while the container runs
    assert t.shell_says(b"stty size") == "24 80", repr(t.out[-400:])  # sent at start
    assert t.shell_says(b"tty") == "/dev/pts/0"
    t.resize(30, 100)
    t.proc.send_signal(signal.SIGWINCH)  # the kernel sends it to a controlling terminal's group; not ours
    deadline = time.monotonic() + 10
    while (size := t.shell_says(b"stty size")) != "30 100" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert size == "30 100"
    t.type(b"exit 3\r")
    assert t.wait() == 3
    assert t.restored()


def test_ctrl_c_goes_to_the_container(terminal: Any, base_image: str, case: Case) -> None:
    t = terminal(["run", "-it", "--rm", *case.args, base_image, "sh"])
    t.read_until(PROMPT)
    t.type(b"sleep 60; echo sl''ept\r")  # the echoed line never reads "slept"
    time.sleep(0.5)
    t.type(b"\x03")  # raw mode: a byte for the container's terminal, which interrupts the sleep
    assert t.shell_says(b"echo still-here") == "still-here"
    assert b"slept" not in t.out
    t.type(b"exit\r")
    assert t.wait() == 0  # the shell's last command succeeded: the Ctrl-C did not end dkr
    assert t.restored()


def test_detach_keys_leave_it_running(
    terminal: Any, client: docker.DockerClient, base_image: str, case: Case
) -> None:
    name = unique("detach")
    t = terminal(["run", "-it", "--name", name, *case.args, base_image, "sh"])
    t.read_until(PROMPT)
    t.type(b"\x10\x11")  # ctrl-p, ctrl-q: docker's default
    assert t.wait() == 0
    assert b"read escape sequence" in t.out
    assert t.restored()
    assert client.containers.get(name).status == "running"


def test_custom_detach_keys_and_a_broken_sequence_is_typed(
    terminal: Any, client: docker.DockerClient, base_image: str, case: Case
) -> None:
    name = unique("detach")
    t = terminal(["run", "-it", "--detach-keys", "ctrl-a,x", "--name", name, *case.args, base_image, "sh"])
    t.read_until(PROMPT)
    t.type(b"\x01")  # the sequence starts ...
    t.type(b"echo typed\r")  # ... and breaks: the held ctrl-a goes through, then the rest
    t.read_until(b"typed\r\n")
    t.type(b"\x01x")
    assert t.wait() == 0
    assert t.restored()
    assert client.containers.get(name).status == "running"


def test_sigterm_to_dkr_restores_the_terminal(terminal: Any, base_image: str, case: Case) -> None:
    t = terminal(["run", "-it", "--rm", "--init", *case.args, base_image, "sleep", "60"])
    deadline = time.monotonic() + 20
    while not case.containers() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    t.proc.send_signal(signal.SIGTERM)  # docker's sig-proxy: the container gets it and ends
    assert t.wait() == 143, t.out  # the container's own exit code (SIGTERM, forwarded by its init)
    assert t.restored()


def test_it_with_d_runs_a_shell_in_the_background(
    client: docker.DockerClient, base_image: str, case: Case
) -> None:
    res = dkr("run", "-dit", *LABEL_ARGS, *case.args, base_image, "sh")
    assert res.returncode == 0, res.stderr
    ctr = client.containers.get(res.stdout.strip())
    time.sleep(0.5)
    ctr.reload()
    assert ctr.status == "running"  # a shell with an open stdin and a TTY waits, as with docker run -dit
    assert ctr.attrs["Config"]["Tty"] is True and ctr.attrs["Config"]["OpenStdin"] is True


# --- exec ----------------------------------------------------------------------------------------------------


@pytest.fixture
def running(make_container: Any) -> Any:
    return make_container("sleep 300")


def test_exec_passes_output_and_exit_code(running: Any) -> None:
    res = dkr("exec", running.name, "sh", "-c", "echo out; echo err >&2; exit 5")
    assert (res.returncode, res.stdout, res.stderr) == (5, "out\n", "err\n")


def test_exec_with_env_workdir_and_user(running: Any) -> None:
    res = dkr(
        "exec",
        "-e",
        "A=1",
        "-w",
        "/bin",
        "-u",
        "65534:65534",
        running.name,
        "sh",
        "-c",
        'echo "$A $(pwd) $(id -u)"',
    )
    assert (res.returncode, res.stdout) == (0, "1 /bin 65534\n")


def test_exec_i_takes_piped_input(running: Any) -> None:
    res = dkr("exec", "-i", running.name, "wc", "-l", input="a\nb\n")
    assert (res.returncode, res.stdout.strip()) == (0, "2")


def test_exec_d_returns_at_once(running: Any) -> None:
    res = dkr("exec", "-d", running.name, "sh", "-c", "sleep 1; touch /detached")
    assert (res.returncode, res.stdout, res.stderr) == (0, "", "")
    time.sleep(2)
    assert dkr("exec", running.name, "test", "-f", "/detached").returncode == 0


def test_exec_of_a_missing_command_is_the_engines_code(running: Any) -> None:
    res = dkr("exec", running.name, "dkr-no-such-command")
    assert res.returncode in (126, 127)  # 126 on Engine 20.10, 127 on newer Engines: docker says the same
    assert "executable file not found" in res.stderr or "executable file not found" in res.stdout


def test_exec_in_a_stopped_or_missing_container_is_one_line(make_container: Any) -> None:
    stopped = make_container("true", start=False)
    res = dkr("exec", stopped.name, "true")
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr.splitlines() == [
        f"dkr: error: cannot exec in {stopped.name}: container {stopped.id} is not running"
    ]
    res = dkr("exec", unique("missing"), "true")
    assert res.returncode == 1 and res.stderr.startswith("dkr: error: ") and "no such container" in res.stderr


def test_exec_it_on_a_terminal(terminal: Any, running: Any) -> None:
    t = terminal(["exec", "-it", running.name, "sh"], rows=33, cols=90)
    t.read_until(PROMPT)
    assert t.shell_says(b"stty size") == "33 90"
    t.type(b"exit 4\r")
    assert t.wait() == 4
    assert t.restored()
