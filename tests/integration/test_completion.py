"""Shell completion against the real Engine: bash sources `dkr --show-completion bash` and calls its
completion function as bash would on a TAB (COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT set, the way
click tests its own bash completion), with the real `dkr` console script on PATH."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.integration.support import SESSION

DKR_BIN = Path(sys.executable).parent


def bash_tab(*words: str) -> list[str]:
    """What bash offers after `dkr WORDS...` (the last word is the one being completed)."""
    line = " ".join(["dkr", *words])
    script = f"""
set -u
source <(dkr --show-completion bash)
COMP_WORDS=(dkr {" ".join(shlex.quote(w) for w in words)})
COMP_CWORD={len(words)}
COMP_LINE={shlex.quote(line)}
COMP_POINT=${{#COMP_LINE}}
_dkr_completion dkr
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    env = {**os.environ, "PATH": f"{DKR_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    res = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30, env=env)
    assert res.returncode == 0, res.stderr
    return [line for line in res.stdout.splitlines() if line]


def test_stop_offers_running_containers_and_rm_every_container(make_container: Any) -> None:
    running = make_container("sleep 300")
    stopped = make_container("sleep 300")
    stopped.kill()
    created = make_container("sleep 300", start=False)
    prefix = f"dkrtest-{SESSION}-"  # this run's containers only: the Engine may hold others

    offered = bash_tab("stop", prefix)
    assert running.name in offered
    assert stopped.name not in offered and created.name not in offered

    offered = bash_tab("rm", prefix)
    assert {running.name, stopped.name, created.name} <= set(offered)
    offered = bash_tab("logs", "-f", prefix)
    assert running.name in offered and stopped.name not in offered


def test_image_names_and_their_tags_after_the_colon(base_image: str) -> None:
    repo, tag = base_image.split(":")
    assert base_image in bash_tab("rmi", repo)
    # bash splits `repo:` at the colon and replaces what follows it: the offer is the tag alone
    assert tag in bash_tab("run", repo + ":")
