"""Pure: `docker stats` fields from one sample of the Engine's stats (docker/cli stats_helpers.go and
formatter/stats.go): CPU % from the sample and the one before it, memory without the page cache, network and
block I/O summed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dkr.grammars.units import bytes_size, human_size

#: the fields a --format template may read, and their column titles
TITLES = {
    "Container": "CONTAINER",
    "ID": "CONTAINER ID",
    "Name": "NAME",
    "CPUPerc": "CPU %",
    "MemUsage": "MEM USAGE / LIMIT",
    "MemPerc": "MEM %",
    "NetIO": "NET I/O",
    "BlockIO": "BLOCK I/O",
    "PIDs": "PIDS",
}
#: docker's default: `table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t ... {{.PIDs}}`
_DEFAULT_COLUMNS = ("ID", "Name", "CPUPerc", "MemUsage", "MemPerc", "NetIO", "BlockIO", "PIDs")
DEFAULT_TABLE = "table " + "\t".join(f"{{{{.{name}}}}}" for name in _DEFAULT_COLUMNS)


def _cpu_percent(s: Mapping[str, Any]) -> float:
    cpu, pre = s.get("cpu_stats") or {}, s.get("precpu_stats") or {}
    cpu_delta = float((cpu.get("cpu_usage") or {}).get("total_usage") or 0) - float(
        (pre.get("cpu_usage") or {}).get("total_usage") or 0
    )
    system_delta = float(cpu.get("system_cpu_usage") or 0) - float(pre.get("system_cpu_usage") or 0)
    online = float(cpu.get("online_cpus") or len((cpu.get("cpu_usage") or {}).get("percpu_usage") or ()))
    if system_delta > 0 and cpu_delta > 0:
        return cpu_delta / system_delta * online * 100.0
    return 0.0


def _memory(s: Mapping[str, Any]) -> tuple[float, float]:
    mem = s.get("memory_stats") or {}
    usage = int(mem.get("usage") or 0)
    stats = mem.get("stats") or {}
    if "total_inactive_file" in stats and stats["total_inactive_file"] < usage:  # cgroup v1
        used = usage - int(stats["total_inactive_file"])
    elif int(stats.get("inactive_file") or 0) < usage:  # cgroup v2
        used = usage - int(stats.get("inactive_file") or 0)
    else:
        used = usage
    return float(used), float(mem.get("limit") or 0)


def stats_fields(arg: str, s: Mapping[str, Any]) -> dict[str, str]:
    """One row of `docker stats`, for the container argument `arg` (keys sorted: docker's JSON order)."""
    used, limit = _memory(s)
    rx = sum(int(n.get("rx_bytes") or 0) for n in (s.get("networks") or {}).values())
    tx = sum(int(n.get("tx_bytes") or 0) for n in (s.get("networks") or {}).values())
    read = write = 0
    for entry in (s.get("blkio_stats") or {}).get("io_service_bytes_recursive") or ():
        op = str(entry.get("op") or "")[:1].lower()
        if op == "r":
            read += int(entry.get("value") or 0)
        elif op == "w":
            write += int(entry.get("value") or 0)
    fields = {
        "Container": arg,
        "ID": str(s.get("id") or "")[:12],
        "Name": str(s.get("name") or "").removeprefix("/") or "--",
        "CPUPerc": f"{_cpu_percent(s):.2f}%",
        "MemUsage": f"{bytes_size(used)} / {bytes_size(limit)}",
        "MemPerc": f"{used / limit * 100.0 if limit else 0.0:.2f}%",
        "NetIO": f"{human_size(rx)} / {human_size(tx)}",
        "BlockIO": f"{human_size(read)} / {human_size(write)}",
        "PIDs": str(int((s.get("pids_stats") or {}).get("current") or 0)),
    }
    return dict(sorted(fields.items()))
