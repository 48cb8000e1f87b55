"""Requests for the patternmatcher oracle (data/patternmatcher_oracle/main.go) and dkr's own answer to each,
in the oracle's form, so that recorded answers and a live differential fuzz compare like with like.

A request is a dict: op (match | compile | regexp | matcher | readall) and strings, kept here as Python
strings read with surrogateescape (so undecodable bytes survive) and sent to Go as base64 bytes."""

from __future__ import annotations

import base64
import json
import random
import subprocess
from typing import Any

from dkr.grammars.dockerignore import Matcher, read_patterns
from dkr.grammars.goglob import (
    PatternError,
    go_match,
    go_regexp,
    go_regexp_subject,
    patternmatcher_compile,
)

#: Go's matchType numbers (patternmatcher's unknownMatch ... regexpMatch)
KINDS = {"exact": 1, "prefix": 2, "suffix": 3, "regexp": 4}

#: the pieces rules are made of: glob syntax, Go regexp syntax that reaches the regexp, and bytes that differ
PATTERN_TOKENS = [
    *"abxAZ09_-./!^:,",
    *"*?[]\\|{}()$+",
    "**",
    "**/",
    "é",
    "€",
    "\ufeff",
    "\udcff",
    " ",
    "\t",
    "\v",
    "[:digit:]",
    "[:alpha:]",
    "[:^space:]",
    "[:word:]",
    "[:nope:]",
    "\\d",
    "\\s",
    "\\w",
    "\\b",
    "\\B",
    "\\D",
    "\\S",
    "\\W",
    "\\z",
    "\\Z",
    "\\A",
    "\\Q",
    "\\E",
    "\\x41",
    "\\x{263a}",
    "\\x{",
    "\\1",
    "\\0",
    "\\12",
    "\\é",
    "\\v",
    "\\_",
    "{2}",
    "{1,3}",
    "{,2}",
    "{0}",
    "{1001}",
    "{2,}",
]
PATH_TOKENS = [*"abxAZ059_-.|{}[]$\\*^", "é", "€", "\ufeff", "\udcff", " ", "\t", "\v", "aa", "ab"]
LINE_TOKENS = ["\ufeff", "#", " ", "\t", "!", "\r", "/", "..", ".", "a", "b*", "\udcff", "\x1c", "\u00a0"]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8", "surrogateescape")).decode()


def _text(data: str) -> str:
    return base64.b64decode(data).decode("utf-8", "surrogateescape")


def encode(request: dict[str, Any]) -> str:
    """The request as one JSON line for the oracle."""
    out: dict[str, Any] = {"op": request["op"]}
    for key, value in request.items():
        if key != "op":
            out[key] = [_b64(v) for v in value] if isinstance(value, list) else _b64(value)
    return json.dumps(out)


def decode(op: str, answer: dict[str, Any]) -> dict[str, Any]:
    """The oracle's answer with its bytes back as strings."""
    if op == "readall":
        return {"err": answer["err"], "patterns": [_text(p) for p in answer["patterns"]]}
    if op == "compile":
        return {**answer, "re": _text(answer["re"])}
    return answer


class Oracle:
    """The built oracle binary, one request and answer at a time."""

    def __init__(self, binary: str) -> None:
        self.proc = subprocess.Popen(
            [binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(encode(request) + "\n")
        self.proc.stdin.flush()
        return decode(request["op"], json.loads(self.proc.stdout.readline()))

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()


def _guard(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except PatternError:
        return "error"


def _walk(matcher: Matcher, path: str) -> Any:
    """MatchesUsingParentResults for `path` after each of its folders, as the CLI's tar walk calls it."""
    parts = path.split("/")
    info = None
    for k in range(1, len(parts)):
        _, info = matcher.matches("/".join(parts[:k]), info)
    return matcher.matches(path, info)[0]


def dkr_answer(request: dict[str, Any]) -> dict[str, Any]:
    """What dkr says to a request, in the oracle's form."""
    op = request["op"]
    if op == "match":
        try:
            return {"match": go_match(request["pattern"], request["name"]), "err": False}
        except PatternError:
            return {"match": False, "err": True}
    if op == "compile":
        kind, text = patternmatcher_compile(request["pattern"])
        if text is not None and _guard(go_regexp, text) == "error":
            return {"kind": 0, "re": "", "err": True}
        return {"kind": KINDS[kind], "re": text or "", "err": False}
    if op == "regexp":
        try:
            regexp = go_regexp(request["pattern"])
        except PatternError:
            return {"err": True}
        found = [regexp.search(go_regexp_subject(p)) is not None for p in request["paths"]]
        return {"err": False, "matches": found}
    if op == "matcher":
        try:
            matcher = Matcher(request["patterns"])
        except PatternError:
            return {"err": True}
        paths = request["paths"]
        return {
            "err": False,
            "walk": [_guard(_walk, matcher, p) for p in paths],
            "or_parent": [_guard(matcher.matches_or_parent, p) for p in paths],
            "legacy": [_guard(_legacy, request["patterns"], p) for p in paths],
        }
    if op == "readall":
        return {"err": False, "patterns": read_patterns(request["data"])}
    raise ValueError(op)


def _legacy(patterns: list[str], path: str) -> bool:
    """patternmatcher.Matches(path, patterns): a new matcher, the path cleaned, "." never excluded."""
    from dkr.grammars.goglob import go_clean

    path = go_clean(path)
    return path != "." and Matcher(patterns)._matches_legacy(path)


# --- requests made at random (the recorder's seed makes them the same each time) --------------------------


def random_pattern(rng: random.Random) -> str:
    return "".join(rng.choice(PATTERN_TOKENS) for _ in range(rng.randint(1, 7)))


def random_path(rng: random.Random) -> str:
    parts = [
        "".join(rng.choice(PATH_TOKENS) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 3))
    ]
    return "/".join(p for p in parts if p not in (".", "..")) or "a"


def random_request(rng: random.Random) -> dict[str, Any]:
    op = rng.choice(["match", "compile", "regexp", "matcher", "matcher", "readall"])
    if op == "match":
        name = rng.choice([".", random_path(rng)])
        return {"op": op, "pattern": random_pattern(rng), "name": name}
    if op == "compile":
        return {"op": op, "pattern": random_pattern(rng)}
    if op == "regexp":
        _, text = patternmatcher_compile(random_pattern(rng) + rng.choice(["*", "?", "[a]", ""]))
        paths = [random_path(rng) for _ in range(4)]
        return {"op": op, "pattern": text or "^$", "paths": paths}
    if op == "matcher":
        patterns = [rng.choice(["", "!"]) + random_pattern(rng) for _ in range(rng.randint(1, 3))]
        return {"op": op, "patterns": patterns, "paths": [random_path(rng) for _ in range(4)]}
    lines = [
        "".join(rng.choice(LINE_TOKENS) for _ in range(rng.randint(0, 4))) for _ in range(rng.randint(1, 4))
    ]
    return {"op": op, "data": rng.choice(["\n", "\r\n"]).join(lines)}
