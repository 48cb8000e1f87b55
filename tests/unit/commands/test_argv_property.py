"""No argv reaches an internal error (issue 16): argv built from dkr's real commands and flags, with hostile
values, run in-process through `dkr.cli.main` against the one fake Engine.

The grammar below is read from `src/dkr/commands/*.py`: every command, every flag it declares (all names of
it, `--flag value` and `--flag=value`), its arguments. Values are hostile on purpose, half the time (the other
half are values the flag takes, so that commands go on to the Engine): huge, negative, NaN, exponent and
other scripts' digits for numbers, empty strings, blanks, newlines, bytes that are not UTF-8 (a surrogate
escape, as Python decodes such argv), paths such as `/`, `.` and `..`, strings up to 5,000 characters
(100,000 for the container's command), unknown flags, `-h` and `--`. A NUL cannot be in argv.

The fake answers like an Engine where it matters for a command to run to its end: one image (`img`), the
container `dkr run` creates (its attach stream ends at once, so a foreground run returns its exit code and a
`--wait` sees it healthy), the listings from recorded payloads; anything else is the Engine's 404. Global
-H values are ones that fail at once (a usage error, a missing socket, a refused loopback port) or the fake
itself: nothing here reaches the machine's real Engine, the network or ssh. The working folder is an empty
temporary one, two levels below anything else (with a HOME and a dkr cache of its own), so `build .`,
`up .` or `up ..` never tar the repository; -f and --env-file values never name a file that exists.

Nothing is left out: every argv the grammar makes runs. What it found outside the option checks (npipe://
off Windows, a context name or a layers IMAGE that is not UTF-8, argv's bytes echoed to a strict stdout) is
fixed and pinned below.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dkr.cli import main
from dkr.options.numbers import GO_DURATION_MAX_SECONDS, INT64_MAX, INT64_MIN
from dkr.options.run import MAX_EXECUTABLE_BYTES
from dkr.render import Streams
from tests.helpers import write_context
from tests.unit.fake_engine import FakeEngine, Truncated

DATA = Path(__file__).parents[1] / "data"
EXAMPLES = 2000
#: the exit codes the contract allows (docs/cli-contract.md); 141 is a closed pipe
ALLOWED = {0, 1, 2, 125, 126, 127, 130, 141}
#: the container `dkr run` creates on the fake, and the one image there is
CID = "c0ffee" * 10 + "c0de"
IMAGE = "img"
#: a byte that is not UTF-8, as Python hands it over in sys.argv (surrogateescape)
NOT_UTF8 = "\udcff"

# --- the fake Engine's answers ----------------------------------------------------------------------------


def _json(name: str) -> Any:
    return json.loads((DATA / name).read_text())


def _named(path: str) -> str:
    """The object a route names: `/images/{name}/json`, `/containers/{name}/logs`, `/containers/{name}`."""
    parts = path.split("?", 1)[0].split("/")
    kinds = [i for i, part in enumerate(parts) if part in ("images", "containers")]
    return "/".join(parts[kinds[0] + 1 : -1] or parts[-1:]) if kinds else ""


def answer_like_an_engine(fake: FakeEngine) -> None:
    image = _json("run_image_inspect.json")
    container = _json("run_container_inspect.json")  # recorded, and trimmed: Tty is one of the rest
    container.update(Id=CID, Name="/argv", Config={**container["Config"], "Tty": False})
    history = _json("history_classic.json")

    def about_the_image(payload: Any) -> Callable[[str, str, bytes], tuple[int, Any]]:
        def handler(_m: str, path: str, _b: bytes) -> tuple[int, Any]:
            name = _named(path)
            return (200, payload) if name == IMAGE else (404, {"message": f"No such image: {name}"})

        return handler

    def about_the_container(status: int, payload: Any) -> Callable[[str, str, bytes], tuple[int, Any]]:
        def handler(_m: str, path: str, _b: bytes) -> tuple[int, Any]:
            name = _named(path)
            if name and (CID.startswith(name) or name == "argv"):
                return status, payload
            return 404, {"message": f"No such container: {name}"}

        return handler

    # a stream that ends at once: the connection closes after the empty body, as when a container's
    # output ends (the SDK reads an attach or logs stream until the connection closes)
    ended = Truncated(b"", 0)
    fake.route("GET", r"/containers/json", lambda m, p, b: (200, _json("containers_list.json")))
    fake.route("GET", r"/system/df", lambda m, p, b: (200, _json("system_df.json")))
    fake.route("GET", r"/images/json", lambda m, p, b: (200, _json("images.json")))
    fake.route("GET", r"/images/.+/json", about_the_image(image))
    fake.route("GET", r"/images/.+/history", about_the_image(history))
    fake.route("POST", r"/images/create", lambda m, p, b: (200, b'{"status":"Pulling from library/x"}\n'))
    pushed = b'{"status":"Pushed","id":"ab"}\n{"aux":{"Tag":"1","Digest":"sha256:' + b"a" * 64 + b'"}}\n'
    fake.route("POST", r"/images/.+/push", lambda m, p, b: (200, pushed))
    fake.route("POST", r"/containers/create", lambda m, p, b: (201, {"Id": CID, "Warnings": []}))
    fake.route("GET", r"/containers/.+/json", about_the_container(200, container))
    fake.route("POST", r"/containers/.+/attach", about_the_container(200, ended))
    fake.route("POST", r"/containers/.+/wait", about_the_container(200, {"StatusCode": 0, "Error": None}))
    fake.route("POST", r"/containers/.+/(start|stop|kill)", about_the_container(204, b""))
    fake.route("GET", r"/containers/.+/logs", about_the_container(200, ended))
    fake.route("DELETE", r"/containers/[^/]+", about_the_container(204, b""))


# --- the grammar ------------------------------------------------------------------------------------------

#: the values most likely to break something, drawn often
NASTY = [
    "", " ", "/", ".", "..", "-", "--", "=", "=hunter2", "\n", "a\nb", NOT_UTF8, "٣", "\uff11\uff10", "-1", "nan",
    "99999999999999999999", "a" * 5000,
]  # fmt: skip
LONG = [n * "a" for n in (255, 256, 4096, 5000)] + ["9" * 400, "٣" * 100, "/" * 300, "a=" + "b" * 4998]
NUMBERS = [
    "0", "-0", "+1", "-1", "1", "2.5", ".5", "1.", "010", "0x10", "1_000", "1e3", "nan", "NaN", "inf", "-inf",
    "٣", "١٢", "\uff11\uff10", " 5", "5 ", "99999999999999999999", "-99999999999999999999", str(INT64_MAX),
    str(INT64_MAX + 1), str(INT64_MIN), str(INT64_MIN - 1), str(GO_DURATION_MAX_SECONDS),
    str(GO_DURATION_MAX_SECONDS - 30), str(GO_DURATION_MAX_SECONDS - 29), "1000000000", "1000000000.5",
    "0." + "0" * 400 + "1",
]  # fmt: skip
WORDS = [
    "\t", "==", "=x", "K=V", "a=b=c", "K", " =x", "x y", "🐳", "ä", "\u202e", "'", '"', "\\", "$HOME", "*",
    "a/b", "A", "App", "a:b", "a@b", "{{", "}}", "{{.ID}}", "{{json .}}", "{{.Nope}}", "{{.Names}}\t{{.Ports}}",
    "table", "json", "text", "table {{.ID}}", "{{range .}}", '{{index .Labels "x"}}', "{{.Size}}", "xml",
    "80", "80:", "8080:80", "70000:80", "127.0.0.1::80", "[::1]:8080:80", "target=80,x", "1-65535:1-65535",
    "SIGTERM", "KILL", "9", "NOPE", "missing", "never", "always", "sometimes",
    "status=exited", "label=a=b", "colour=red", "nokey", "dangling=true", "reference=*",
    "10m", "2024-01-02T15:04:05Z", "1700000000", "all", "DKR001", "nosuchrule",
    IMAGE, "busybox", "busybox:1.36", "sha256:" + "a" * 64, "a" * 64, "5d752f4cf217", "sha256:5d75",
    CID, CID[:12], "argv", "/argv",
]  # fmt: skip
PATHS = ["", " ", ".", "..", "/", "./", "-", "nonexistent", "./nope", "nope/Dockerfile", "/nonexistent/x"]
#: -H values that fail at once (the fake's own URL is added): never the real Engine, the network or ssh
HOSTS = [
    "", " ", "ftp://x", "tcp://:abc", "tcp://127.0.0.1:99999", "tcp://127.0.0.1:1", "http://[::1",
    "unix:///nonexistent/dkr.sock", "/nonexistent/dkr.sock", "ssh://u:pw@h", "ssh://h?x=1", "npipe://x",
    "tcp://a://b", "٣", NOT_UTF8, "unix:///nonexistent/" + NOT_UTF8,
]  # fmt: skip
CONTEXTS = ["", "default", "nosuch", "a" * 300, "٣", NOT_UTF8]
#: several Engines (ps, images, logs, stop, rm and version fan out; the rest refuse): comma lists, repeats
CONTEXTS += ["default,fake", "default,nosuch", "default,default", "a,,b"]

hostile_text = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=12)
value = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(NUMBERS + WORDS),
    st.sampled_from(LONG),
    hostile_text,
    st.integers().map(str),
    st.floats().map(str),
)
#: paths never name a file that exists: relative ones are read in the empty working folder
path = st.one_of(
    st.sampled_from([*PATHS, "a" * 5000, NOT_UTF8, "x\ny"]), hostile_text.map(lambda s: s.lstrip("/"))
)


def good(*values: str) -> st.SearchStrategy[str]:
    """A flag's value: half the time one it takes (so that the command goes on, to the Engine), else hostile."""
    return st.one_of(st.sampled_from(values), value)


def rarely(strategy: st.SearchStrategy[list[str]]) -> st.SearchStrategy[list[str]]:
    """Usually nothing, sometimes an argument or two the command does not take."""
    return st.one_of(st.just([]), st.just([]), st.just([]), strategy)


#: each command's flags, as its module declares them: (names, the value strategy or None for a flag alone)
Flag = tuple[tuple[str, ...], st.SearchStrategy[str] | None]
FORMAT = good("table", "json", "text", "{{.ID}}", "{{json .}}", "{{.Names}}\t{{.Ports}}", "table {{.ID}}")
COMMANDS: dict[str, list[Flag]] = {
    "build": [
        (("-t", "--tag"), good("app", "app:1", "localhost:5000/a/b:c")), (("-f", "--file"), path),
        (("--build-arg",), good("A=1", "A", "HOME")), (("--label",), good("a=b", "a")), (("--no-cache",), None),
        (("--pull",), None), (("-q", "--quiet"), None), (("--format",), FORMAT),
    ],
    "images": [
        (("-a", "--all"), None), (("-q", "--quiet"), None), (("--no-trunc",), None), (("--digests",), None),
        (("-f", "--filter"), good("dangling=true", "label=app", "reference=web*", "before=web", "since=x")),
        (("--format",), FORMAT),
    ],
    "layers": [(("--format",), FORMAT)],
    "login": [
        (("-u", "--username"), good("dkr", " ", "a:b")), (("-p", "--password"), good("pw", "")),
        (("--password-stdin",), None),
    ],
    "logout": [],
    "lint": [(("--format",), FORMAT), (("--ignore",), good("DKR001", "DKR002"))],
    "logs": [
        (("-f", "--follow"), None), (("-n", "--tail"), good("0", "5", "all")),
        (("--since",), good("10m", "2024-01-02T15:04:05Z", "1700000000")),
        (("--until",), good("1s", "1700000000.5")), (("-t", "--timestamps"), None),
    ],
    "exec": [
        (("-i", "--interactive"), None), (("-t", "--tty"), None), (("-d", "--detach"), None),
        (("-e", "--env"), good("A=1", "HOME")), (("--env-file",), path), (("-w", "--workdir"), good("/app", "/")),
        (("-u", "--user"), good("0", "nobody", "1000:1000")), (("--privileged",), None),
        (("--detach-keys",), good("ctrl-p,ctrl-q", "ctrl-a,x")),
    ],
    "pull": [
        (("-a", "--all-tags"), None), (("-q", "--quiet"), None),
        (("--platform",), good("linux/amd64", "linux/arm64/v8", "amd64", "Linux/AMD64")),
    ],
    "push": [(("-a", "--all-tags"), None), (("-q", "--quiet"), None)],
    "ps": [
        (("-a", "--all"), None), (("-q", "--quiet"), None), (("--no-trunc",), None),
        (("-f", "--filter"), good("status=exited", "label=a=b", "name=web", "health=none", "publish=80")),
        (("-n", "--last"), good("0", "3", "-1")), (("-l", "--latest"), None), (("-s", "--size"), None),
        (("--format",), FORMAT),
    ],
    "rm": [(("-f", "--force"), None), (("-v", "--volumes"), None)],
    "rmi": [(("-f", "--force"), None), (("--no-prune",), None)],
    "tag": [],
    # groups: their subcommand and its flags come with the arguments below
    "image": [],
    "container": [],
    "system": [],
    "volume": [],
    "network": [],
    "context": [],
    "service": [],
    "swarm": [],
    "node": [],
    "run": [
        (("-p", "--publish"), good("80", "8080:80", "127.0.0.1::53/udp", "[::1]:8080:80", "target=80")),
        (("-P", "--publish-all"), None), (("-d", "--detach"), None), (("--name",), good("web", "argv")),
        (("--rm",), None), (("-e", "--env"), good("A=1", "HOME", "A=")), (("--env-file",), path),
        (("-l", "--label"), good("a=b", "a")), (("--pull",), good("missing", "never", "always")),
        (("--init",), None), (("-w", "--workdir"), good("/app", "/")), (("--wait",), None),
        (("--wait-timeout",), good("0.5", "1", "60")), (("-i", "--interactive"), None), (("-t", "--tty"), None),
        (("--detach-keys",), good("ctrl-p,ctrl-q", "ctrl-a,x", "DEL")),
        (("--entrypoint",), good("sh", "")), (("-u", "--user"), good("0", "nobody:1")),
        (("-h", "--hostname"), good("web", "a.b")), (("--restart",), good("no", "always", "on-failure:3")),
        (("-m", "--memory"), good("64m", "1g", "6MB")), (("--cpus",), good("0.5", "2")),
        (("--cap-add",), good("NET_ADMIN", "all")), (("--cap-drop",), good("CHOWN")), (("--read-only",), None),
        (("--stop-signal",), good("INT", "SIGTERM")), (("--stop-timeout",), good("0", "10", "-1")),
        (("--health-cmd",), good("true")), (("--health-interval",), good("1s", "500ms")),
        (("--health-timeout",), good("2s")), (("--health-start-period",), good("0s", "1m")),
        (("--health-retries",), good("3")), (("--no-healthcheck",), None),
        (("--platform",), good("linux/amd64", "amd64")),
        (("-v", "--volume"), good("/tmp:/x", "vol:/v:ro", "/data", "./x:/y", "x/y:/z", "/a:/b:zz")),
        (("--mount",), good("type=tmpfs,dst=/t,tmpfs-size=1m", "type=bind,src=/tmp,dst=/x,ro", "src=v,dst=/v", '"')),
        (("--tmpfs",), good("/run", "/run:size=1m", "rel")),
        (("--network", "--net"), good("bridge", "none", "host", "appnet", "container:x")),
        (("--network-alias",), good("db", "")), (("--add-host",), good("h:1.2.3.4", "h=[::1]", "h:host-gateway")),
    ],
    "stop": [
        (("-t", "--time", "--timeout"), good("0", "1", "-1", "10")),
        (("-s", "--signal"), good("SIGTERM", "KILL", "9", "SIGRTMIN+3", "0", "65")),
    ],
    "up": [
        (("--name",), good("web", "argv")), (("-p", "--publish"), good("80", "8080:80")), (("-f", "--file"), path),
        (("-l", "--label"), good("a=b")), (("--replace",), None), (("--init",), None), (("--no-init",), None),
        (("--wait-timeout",), good("1", "0.5")), (("-v", "--volume"), good("/tmp:/x", "./public:/app/public:ro")),
        (("--replicas",), good("1", "4")), (("--registry",), good("127.0.0.1:5000", "reg.example")),
    ],
    "version": [(("--format",), FORMAT)],
    "inspect": [
        (("-f", "--format"), good("json", "{{.State.Status}}", '{{index .Config.Labels "a"}}', "{{json .}}")),
        (("--type",), good("container", "image", "volume")),
    ],
    "start": [
        (("-a", "--attach"), None), (("-i", "--interactive"), None),
        (("--detach-keys",), good("ctrl-p,ctrl-q", "ctrl-a,x")),
    ],
    "restart": [(("-t", "--time", "--timeout"), good("0", "1", "-1", "10"))],
    "kill": [(("-s", "--signal"), good("SIGTERM", "KILL", "9", "SIGRTMIN+3", "0", "65"))],
    "wait": [],
    "pause": [],
    "unpause": [],
    "rename": [],
    "port": [],
    "cp": [(("-a", "--archive"), None), (("-q", "--quiet"), None)],
    "top": [],
    "stats": [
        (("-a", "--all"), None), (("--no-stream",), None), (("--no-trunc",), None), (("--format",), FORMAT),
    ],
}  # fmt: skip
container = st.one_of(st.sampled_from([CID[:12], CID, "argv", "/argv", "nosuch"]), value)
image = st.one_of(st.sampled_from([IMAGE, "busybox", "sha256:" + "a" * 64, "/", "."]), value)
server = st.one_of(
    st.sampled_from(["127.0.0.1:5000", "docker.io", "https://r.example/v2/", "[::1]:1"]), value
)
#: the container's command: words, flags, and an executable's path at its limit and far past it
command_word = st.one_of(value, st.sampled_from(["sh", "-c", "a" * MAX_EXECUTABLE_BYTES, "a" * 100_000]))
#: `dkr volume`'s subcommands, flags and values
VOLUME_WORDS = [
    "create", "ls", "inspect", "rm", "prune", "-q", "-f", "--force", "--filter", "label=a", "dangling=true",
    "until=1h", "--format", "json", "-d", "local", "--label", "a=b", "-o", "o=1", "v1",
]  # fmt: skip
#: `dkr network`'s subcommands, flags and values
NETWORK_WORDS = [
    "create", "ls", "inspect", "rm", "connect", "disconnect", "prune", "-q", "--no-trunc", "-f", "--force",
    "--filter", "type=custom", "label=a", "--format", "json", "-d", "bridge", "--label", "a=b", "-o", "o=1",
    "--internal", "--attachable", "--ipv6", "--subnet", "10.9.0.0/24", "--gateway", "10.9.0.1", "--alias", "db",
    "appnet",
]  # fmt: skip
#: `dkr context`'s subcommands, flags and values (the store is the temporary HOME's ~/.docker)
CONTEXT_WORDS = [
    "create", "ls", "use", "show", "inspect", "rm", "-q", "-f", "--force", "--format", "json", "--description",
    "--docker", "host=unix:///x", "host=tcp://127.0.0.1:1,skip-tls-verify=1", "from=c1", "ca=/nonexistent",
    "--from", "default", "c1", "c2",
]  # fmt: skip
#: `dkr service`'s subcommands, flags and values
SERVICE_WORDS = [
    "create", "ls", "ps", "inspect", "logs", "scale", "update", "rollback", "rm", "-q", "-d", "--wait",
    "--wait-timeout", "1", "--name", "web", "--replicas", "2", "--mode", "global", "-p", "mode=host,target=80",
    "8080:80", "-e", "A=1", "-l", "a=b", "--constraint", "node.role==manager", "--network", "net",
    "--mount", "type=tmpfs,dst=/t", "--update-delay", "1s", "--update-failure-action", "rollback",
    "--rollback-parallelism", "0", "--stop-grace-period", "1s", "--health-cmd", "true", "--endpoint-mode",
    "dnsrr", "--with-registry-auth", "--image", "img", "--env-add", "B=2", "--publish-rm", "80", "--force",
    "web=3", "-f", "name=web", "--format", "json", "--no-trunc", "-n", "5", "-t", "img", "web",
]  # fmt: skip
#: `dkr swarm`'s subcommands, flags and values
SWARM_WORDS = [
    "init", "join", "join-token", "leave", "worker", "manager", "-q", "-f", "--force", "--token", "SWMTKN-1-x",
    "--listen-addr", "--advertise-addr", "10.0.0.1", "10.0.0.1:2377", ":4000", "[::1]:", "eth0",
    "--default-addr-pool", "10.20.0.0/16", "--default-addr-pool-mask-length", "26", "--force-new-cluster",
]  # fmt: skip
#: `dkr node`'s subcommands, flags and values
NODE_WORDS = [
    "ls", "inspect", "ps", "self", "-q", "--no-trunc", "--no-resolve", "--pretty", "-f", "--filter",
    "role=manager", "membership=pending", "desired-state=running", "node.label=a=b", "--format", "json",
]  # fmt: skip
#: each command's arguments
ARGUMENTS: dict[str, st.SearchStrategy[list[str]]] = {
    "build": st.lists(path, max_size=2),
    "images": rarely(st.lists(image, max_size=2)),
    "layers": st.lists(image, min_size=1, max_size=2),
    "login": rarely(st.lists(server, max_size=2)),
    "logout": rarely(st.lists(server, max_size=2)),
    "lint": st.lists(path, max_size=3),
    "logs": st.lists(container, min_size=1, max_size=2),
    "ps": rarely(st.lists(value, max_size=1)),
    "exec": st.builds(
        lambda first, rest: [first, *rest],
        st.one_of(st.just("web"), container),
        st.lists(command_word, max_size=3),
    ),
    "pull": st.lists(st.one_of(image, st.just("127.0.0.1:5000/app")), max_size=2),
    "push": st.lists(st.one_of(image, st.just("127.0.0.1:5000/app:1")), max_size=2),
    "rm": st.lists(container, max_size=3),
    "rmi": st.lists(image, max_size=3),
    "tag": st.lists(image, max_size=3),
    "image": st.lists(
        st.one_of(
            st.sampled_from(["rm", "prune", "-a", "-f", "--force", "--filter", "label=a", "until=1h"]), image
        ),
        max_size=5,
    ),
    "container": st.lists(
        st.one_of(st.sampled_from(["prune", "-f", "--filter", "label!=a", "until=10m", "bogus=1"]), value),
        max_size=4,
    ),
    "system": st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "df",
                    "prune",
                    "-v",
                    "--format",
                    "json",
                    "-a",
                    "--volumes",
                    "-f",
                    "--filter",
                    "label=a",
                    "until=1h",
                ]
            ),
            value,
        ),
        max_size=5,
    ),
    "volume": st.lists(st.one_of(st.sampled_from(VOLUME_WORDS), value), max_size=5),
    "network": st.lists(st.one_of(st.sampled_from(NETWORK_WORDS), container, value), max_size=5),
    "context": st.lists(st.one_of(st.sampled_from(CONTEXT_WORDS), value), max_size=5),
    "service": st.lists(st.one_of(st.sampled_from(SERVICE_WORDS), value), max_size=6),
    "swarm": st.lists(st.one_of(st.sampled_from(SWARM_WORDS), value), max_size=5),
    "node": st.lists(st.one_of(st.sampled_from(NODE_WORDS), value), max_size=5),
    "run": st.builds(
        lambda first, rest: [first, *rest],
        st.one_of(st.just(IMAGE), image),
        st.lists(command_word, max_size=3),
    ),
    "stop": st.lists(container, max_size=3),
    "up": st.lists(path, max_size=2),
    "version": rarely(st.lists(value, max_size=1)),
    "inspect": st.lists(st.one_of(container, image), max_size=3),
    "start": st.lists(container, max_size=2),
    "restart": st.lists(container, max_size=2),
    "kill": st.lists(container, max_size=3),
    "wait": st.lists(container, max_size=2),
    "pause": st.lists(container, max_size=2),
    "unpause": st.lists(container, max_size=2),
    "rename": st.lists(st.one_of(container, st.just("new")), max_size=3),
    "stats": st.lists(container, max_size=2),
    "top": st.builds(
        lambda c, rest: [c, *rest], container, st.lists(good("-ef", "-o", "pid,comm", "aux"), max_size=3)
    ),
    "cp": st.lists(
        st.one_of(
            path, st.sampled_from(["argv:/", "argv:/etc/.", "nosuch:/x", "-", "a:b:c", "./a:b", "/x:y"])
        ),
        max_size=3,
    ),
    "port": st.builds(
        lambda c, rest: [c, *rest], container, st.lists(good("80", "80/tcp", "53/udp", "70000"), max_size=2)
    ),
}
UNKNOWN = st.sampled_from(["--bogus", "-Z", "--", "-", "--no-such=1", "--help", "-h"])
#: mostly dkr's commands, sometimes none of them
NAMES = sorted(COMMANDS) * 5 + ["nosuch", "", "--", "RUN"]


@st.composite
def argv(draw: st.DrawFn, fake_url: str) -> list[str]:
    out: list[str] = []
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        option = draw(st.sampled_from(["-H", "--host", "-c", "--context"] * 2 + ["--all-contexts"]))
        if option == "--all-contexts":
            out.append(option)
            continue
        choices = [*HOSTS, fake_url, fake_url] if option in ("-H", "--host") else CONTEXTS
        out += [option, draw(st.sampled_from(choices))]
    name = draw(st.sampled_from(NAMES))
    out.append(name)
    flags = COMMANDS.get(name, [])
    for _ in range(draw(st.integers(0, 4))):
        if not flags or draw(st.integers(0, 11)) == 0:
            out.append(draw(UNKNOWN))
            continue
        names, takes = draw(st.sampled_from(flags))
        flag = draw(st.sampled_from(names))
        if takes is None:
            out.append(flag)
        elif flag.startswith("--") and draw(st.booleans()):
            out.append(f"{flag}={draw(takes)}")
        else:
            out += [flag, draw(takes)]
    out += draw(ARGUMENTS.get(name, st.lists(value, max_size=2)))
    return out


def _after(args: list[str], *options: str) -> list[str]:
    found = [b for a, b in itertools.pairwise(args) if a in options]
    found += [a.split("=", 1)[1] for a in args if a.split("=", 1)[0] in options and "=" in a]
    return found


# --- the run ----------------------------------------------------------------------------------------------


@pytest.fixture
def arena(fake: FakeEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEngine]:
    """The fake answering like an Engine, an empty working folder (two levels below anything else, so that
    `..` is empty too), a HOME and dkr cache of its own, and no docker or dkr setting from the caller."""
    answer_like_an_engine(fake)
    # dkr hangs up on a kept-alive connection (a --wait's log stream, once ready) and the fake's server
    # thread prints that reset as a traceback, into whichever example's stderr is captured then: the fake's
    # business, not dkr's. Any other failure of the fake fails the test.
    broken: list[BaseException] = []

    def handle_error(_request: object, _address: object) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionResetError | BrokenPipeError) and error is not None:
            broken.append(error)

    monkeypatch.setattr(fake._server, "handle_error", handle_error)
    cwd = tmp_path / "a" / "b" / "cwd"
    cwd.mkdir(parents=True)
    for key in ("DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DKR_DEBUG",
                "DKR_PUBLISH_IP", "NO_COLOR"):  # fmt: skip
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DKR_CACHE_DIR", str(tmp_path / "cache"))
    write_context(tmp_path / "home" / ".docker", "fake", fake.url)  # -c default,fake: the fake twice
    monkeypatch.chdir(cwd)
    yield fake
    assert list(cwd.iterdir()) == [], "a command wrote into the working folder"
    assert broken == [], "the fake Engine failed"


def run_in_process(args: list[str], stdout_errors: str = "surrogateescape") -> tuple[int, str, str]:
    """main(argv) with captured streams that encode as a process's own do: stderr backslash-replaces what it
    cannot encode (Python's sys.stderr, always); stdout passes argv's bytes back out (Python's sys.stdout in
    the C and C.UTF-8 locales) unless told otherwise."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors=stdout_errors, write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace", write_through=True)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args, Streams(out, err, out_tty=False, err_tty=False, color=False, width=200))
    texts = []
    for stream in (out, err):
        assert isinstance(stream.buffer, io.BytesIO)
        texts.append(stream.buffer.getvalue().decode("utf-8", "replace"))
    return code, texts[0], texts[1]


def check(args: list[str], stdout_errors: str = "surrogateescape") -> None:
    code, _out, err = run_in_process(args, stdout_errors)
    assert code in ALLOWED, (args, code, err)
    assert "internal error" not in err, (args, err)
    assert "Traceback" not in err, (args, err)


def test_no_argv_reaches_an_internal_error(arena: FakeEngine) -> None:
    started = time.monotonic()
    ran = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,  # the same examples on every run: CI is reproducible
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(argv(arena.url))
    def property(args: list[str]) -> None:
        ran.append(args)
        check(args)

    property()
    assert len(ran) >= EXAMPLES
    assert time.monotonic() - started < 60, "the property test must stay well under a minute"


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["run", "/"], id="run-slash"),
        pytest.param(["run", "."], id="run-dot"),
        pytest.param(["-H", "", "run", "/"], id="empty-host-run-slash"),
        pytest.param(["stop", "-t", "99999999999999999999", CID[:12]], id="stop-huge-timeout"),
        pytest.param(["stop", "-t", str(GO_DURATION_MAX_SECONDS - 30), CID[:12]], id="stop-longest-timeout"),
        pytest.param(["stop", "-t", "-1", CID[:12]], id="stop-no-limit"),
        pytest.param(["stop", "-t", "٣", CID[:12]], id="stop-arabic-indic-digit"),
        pytest.param(["ps", "-n", "99999999999999999999"], id="ps-huge-last"),
        pytest.param(["ps", "-n", "\uff11\uff10"], id="ps-full-width-digits"),
        pytest.param(["run", "-d", "--wait", "--wait-timeout", "nan", IMAGE], id="wait-nan"),
        pytest.param(["up", "--wait-timeout", "inf"], id="up-wait-inf"),
        pytest.param(["run", IMAGE, "a" * 100_000], id="run-huge-command"),
        pytest.param(["run", IMAGE, "sh", "a" * 100_000], id="run-huge-argument"),
        pytest.param(["run", "-d", "--wait", IMAGE], id="run-detached-wait"),
        pytest.param(["run", "--rm", IMAGE, "sh", "-c", "exit 0"], id="run-foreground"),
    ],
)
def test_reported_argv(arena: FakeEngine, args: list[str]) -> None:
    check(args)


# --- errors never echo a secret (item 4 of issue 16) ----------------------------------------------------------

SECRET = "hunter2"


@pytest.mark.parametrize(
    ("args", "env_file", "names"),
    [
        pytest.param(["run", "-e", f"={SECRET}", IMAGE], None, "-e/--env (the 1st)", id="run-e"),
        pytest.param(["run", "-e", "A=1", "-e", f"={SECRET}", IMAGE], None, "(the 2nd)", id="run-e-2nd"),
        pytest.param(["run", "--env-file", "{file}", IMAGE], f"A=1\n={SECRET}\n", "line 2", id="env-file"),
        pytest.param(["run", "--env-file", "{file}", IMAGE], f"my {SECRET} token\n", "line 1", id="env-file-value"),
        pytest.param(["build", "--build-arg", f"={SECRET}"], None, "--build-arg (the 1st)", id="build-arg"),
        pytest.param(["build", "--build-arg", "A=1", "--build-arg", f"  ={SECRET}"], None, "(the 2nd)", id="build-arg-2nd"),
    ],
)  # fmt: skip
def test_errors_name_the_variable_never_its_value(
    arena: FakeEngine, tmp_path: Path, args: list[str], env_file: str | None, names: str
) -> None:
    if env_file is not None:
        (tmp_path / "vars.env").write_text(env_file)
        args = [str(tmp_path / "vars.env") if a == "{file}" else a for a in args]
    code, out, err = run_in_process(args)
    assert code == 2 and out == "" and names in err and SECRET not in err, err
    assert arena.requests == [], "refused before any Engine call"


# --- found by the property test, fixed -----------------------------------------------------------


def test_npipe_host_is_a_usage_error(arena: FakeEngine) -> None:
    check(["-H", "npipe://x", "images"])


def test_context_name_that_is_not_utf8(arena: FakeEngine) -> None:
    check(["-c", NOT_UTF8, "ps"])


def test_layers_image_that_is_not_utf8(arena: FakeEngine) -> None:
    check(["layers", NOT_UTF8])


def test_result_with_argv_bytes_on_a_strict_stdout(
    arena: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python's sys.stdout is strict in a UTF-8 locale other than C.UTF-8 (en_US.UTF-8, say): a result that
    carries a byte of argv back out (`dkr ps --format $'{{.ID}}\\xff'`) cannot be written. Through the
    streams dkr makes of sys.stdout and sys.stderr itself (Streams.from_env), as the console script does."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace", write_through=True)
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = main(["ps", "--format", "{{.ID}}" + NOT_UTF8])
    assert isinstance(err.buffer, io.BytesIO)
    assert code == 0, err.buffer.getvalue()


def test_the_grammar_names_every_command() -> None:
    from dkr.cli import COMMANDS as REAL

    assert sorted(COMMANDS) == sorted(REAL) == sorted(ARGUMENTS)
    assert not re.search(r"\bdocker\.sock\b", " ".join(HOSTS)), "never the machine's real Engine"
