"""Record what the docker CLI itself prints and sends, as ground truth for dkr's unit tests.

The fake Engine (tests/unit/fake_engine.py) serves images.json and records each request, and the real
`docker` CLI is run against it: `docker images ...` outputs and the `since` value `docker logs --since`
computes for each input. Run it by hand when the inputs change (it needs the docker CLI on PATH, no daemon):

    python -m tests.unit.data.record_docker_cli
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

from tests.unit.fake_engine import FakeEngine

HERE = Path(__file__).parent
#: a zone without daylight saving time, so "local" has one offset all year
ZONE = "Asia/Kolkata"
ZONE_OFFSET = 19800

IMAGE_COMMANDS: list[list[str]] = [
    ["images"],
    ["images", "--format", "json"],
    ["images", "--no-trunc", "--format", "json"],
    ["images", "--digests"],
    ["images", "--digests", "--format", "json"],
    ["images", "-q"],
    ["images", "-q", "--no-trunc"],
    ["images", "--format", "table {{.Repository}}\\t{{.Tag}}\\t{{.Digest}}\\t{{.Size}}"],
    ["images", "--digests", "--format", "table {{.Repository}}\\t{{.ID}}"],
    ["images", "--format", "{{.ID}} {{.Containers}} {{.SharedSize}} {{.UniqueSize}} {{.VirtualSize}}"],
]

SINCE_VALUES = [
    "2024-01-02",
    "2024-02-29",
    "2024-01-02T15",
    "2024-01-02T15:04",
    "2024-01-02T15:04:05",
    "2024-01-02T5:04:05",
    "2024-01-02T15:04:05,5",
    "2024-01-02T15:04:05.123456789",
    "2024-01-02T15:04:05.1234567891234",
    "2024-01-02Z",
    "2024-01-02+05:00",
    "2024-01-02T15Z",
    "2024-01-02T15:04Z",
    "2024-01-02T15:04:05Z",
    "2024-01-02T15:04:05.5Z",
    "2024-01-02T15:04:05+02:00",
    "2024-01-02T15:04:05-07:30",
    "2024-01-02T15:04:05.000000001-00:00",
    "2024-01-02T15:04+01:00",
    "2024-01-02T15+01:00",
    "1970-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "1700000000",
    "1700000000.5",
    "1700000000.123456789",
    "+1700000000",
    "0",
    "00",
]
#: relative values: docker sends now minus the duration, so only the distance from "now" is compared
DURATION_VALUES = ["10m", "1h30m", "1.5h", "90s", "2h45m30.5s", ".5h", "1h-", "-10m", "+5m", "300ms", "0s"]
BAD_VALUES = [
    "yesterday",
    "1d",
    "2024-13-01",
    "2024-02-30",
    "2023-02-29",
    "2024-01-02T24:00",
    "2024-01-02T15:60",
    "2024-01-02T15:04:60",
    "2024-01-02T15:04:05+25:00",
    "2024-1-02",
    "2024-01-02T",
    "2024-01-02 15:04",
    "1700000000.",
    "1700000000.x",
    "-5",
    "",
    "1h30",
    "2024-01-02T15:04:05z",
]


def _docker(sock: str, *args: str, zone: str = "UTC") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOCKER_HOST": f"unix://{sock}", "TZ": zone, "DOCKER_CONFIG": tempfile.mkdtemp()}
    return subprocess.run(["docker", *args], capture_output=True, text=True, env=env, timeout=30)


def main() -> None:
    images = json.loads((HERE / "images.json").read_text())
    with tempfile.TemporaryDirectory() as tmp, FakeEngine(Path(tmp) / "engine.sock") as engine:
        engine.route("GET", r"/images/json", lambda m, p, b: (200, images))
        engine.route("GET", r"/containers/[^/]+/json", lambda m, p, b: (200, {"Id": "c" * 64, "Config": {}}))
        engine.route("GET", r"/containers/[^/]+/logs", lambda m, p, b: (200, b""))
        sock = str(engine.sock)
        now = time.time()
        runs = []
        for args in IMAGE_COMMANDS:
            res = _docker(sock, *args)
            assert res.returncode == 0, (args, res.stderr)
            runs.append({"args": args, "stdout": res.stdout})
        (HERE / "docker_images.json").write_text(
            json.dumps({"now": now, "zone": "UTC", "runs": runs}, indent=1) + "\n"
        )

        def since(value: str, kind: str) -> dict[str, Any]:
            engine.requests.clear()
            before = time.time()
            ok = _docker(sock, "logs", "--since", value, "x", zone=ZONE).returncode == 0
            after = time.time()
            logs = [r for r in engine.requests if "/logs?" in r]
            query = (
                urllib.parse.parse_qs(urllib.parse.urlsplit(logs[0].split(" ", 1)[1]).query) if logs else {}
            )
            sent = query.get("since", [None])[0]
            return {"value": value, "kind": kind, "sent": sent, "ok": ok, "before": before, "after": after}

        cases = [
            *(since(v, "absolute") for v in SINCE_VALUES),
            *(since(v, "relative") for v in DURATION_VALUES),
            *(since(v, "bad") for v in BAD_VALUES),
        ]
        (HERE / "docker_since.json").write_text(
            json.dumps({"zone": ZONE, "offset": ZONE_OFFSET, "cases": cases}, indent=1) + "\n"
        )


if __name__ == "__main__":
    main()
