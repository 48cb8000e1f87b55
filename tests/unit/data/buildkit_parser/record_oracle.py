"""Record BuildKit's parser's answers for the differential test (see README.md): python record_oracle.py ORACLE."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent

#: the cases the issue names, and their neighbours
CASES = [
    "FROM a\nRUN << EOF\nx\nEOF\n",
    "FROM a\nRUN <<- EOF\nx\nEOF\n",
    "FROM a\nRUN << -EOF\nx\n-EOF\n",
    "FROM a\nRUN 3<< EOF\nx\nEOF\n",
    "FROM a\nRUN 3<<EOF cat\nx\nEOF\n",
    "FROM a\nRUN <<\tEOF\nx\nEOF\n",
    "FROM a\nRUN <<EOF\r\nx\r\nEOF\r\n",
    'FROM a\nRUN "<<EOF"\nEOF\nCMD x\n',
    "FROM a\nRUN '<<EOF'\nEOF\nCMD x\n",
    'FROM a\nRUN echo "<<EOF" <<X\nx\nX\n',
    "FROM a\nRUN echo a\\ <<EOF\nEOF\n",
    'FROM a\nRUN <<EOF "unclosed\nx\nEOF\n',
    "FROM a\nRUN <<EOF ${\nx\nEOF\n",
    "FROM a\nRUN <<EOF ${x:-a b}\nx\nEOF\n",
    "FROM a\nRUN <<'EOF\nx\nEOF\n",
    "FROM a\nRUN <<EOF'\nx\nEOF\n",
    "FROM a\nRUN cat <<EOF<<EOF2\na\nEOF\nb\nEOF2\n",
    "FROM a\nRUN <<EOF1 <<-EOF2\na\nEOF1\n\tb\n\tEOF2\n",
    "FROM a\nONBUILD RUN <<EOF\nx\nEOF\n",
    'FROM a\nRUN ["<<EOF"]\nCMD x\n',
    'FROM a\nRUN ["a", 1]\n',
    'FROM a\nCMD [ "echo", [ "nested" ] ]\n',
    "FROM a\nCMD [null]\n",
    "FROM a\nCMD [NaN]\n",
    'FROM a\nCMD ["a"] x\n',
    'FROM a\nCOPY ["a", true]\n',
    "FROM a\nVOLUME [1]\n",
    "FROM a\nHEALTHCHECK CMD [1]\n",
    'FROM a\nHEALTHCHECK CMD ["a"]\n',
    'FROM a\nENTRYPOINT {"a": 1}\n',
    "FROM a\nENV foo\n",
    "FROM a\nLABEL foo\n",
    "FROM a\nENV a=b c\n",
    "FROM a\nENV a=b c=d\n",
    "FROM a\nENV a b c\n",
    "FROM a\nENV a\u00a0b\n",
    'FROM a\nLABEL "a b"=c\n',
    'FROM a\nENV a="b c" d\n',
    "FROM a\nENV\n",
    'FROM a\nCOPY --chown="1:1" a b\n',
    "FROM a\nCOPY --chown='1:1' a b\n",
    "FROM a\nCOPY --chown=a\\ b a b\n",
    'FROM a\nCOPY --chown="a b" a b\n',
    'FROM a\nCOPY --chown="" a b\n',
    'FROM a\nCOPY --chown=x"y"z a b\n',
    'FROM a\nCOPY --chown="unclosed a b\n',
    "FROM a\nCOPY --chown=1 -- --x b\n",
    "FROM a\nCOPY --chown=jos\u00e9 a b\n",
    "FROM a\nCOPY --chown=a\u00a0b c d\n",
    "FROM a\nCOPY --chown=a\u3000b c d\n",
    "# escape=`\nFROM a\nCOPY --chown=a` b c d\n",
    "FROM a\nCOPY a\u00a0b c\n",
    "FROM a\nCOPY a\u3000b c\n",
    "FROM a\nCOPY a\x1cb c\n",
    "FROM a\nCOPY a\vb\fc\n",
    "FROM\u00a0a\n",
    "FROM a\u00a0AS\u00a0b\n",
    "FROM a\nEXPOSE 80\u00a0443\n",
    "FROM a\nRUN\u3000echo\n",
    "\u00a0FROM a\n",
    "\x1cFROM a\n",
    'FROM a\nWORKDIR "/app"\n',
    "FROM a\nUSER\u00a0\n",
]


def generated(n: int, seed: int = 14) -> list[str]:
    """Dockerfile-like text from tricky pieces: quotes, escapes, heredoc openers, Unicode blanks, JSON."""
    rng = random.Random(seed)
    keywords = ["RUN", "COPY", "ADD", "CMD", "ENV", "LABEL", "EXPOSE", "VOLUME", "WORKDIR", "ONBUILD RUN",
                "HEALTHCHECK CMD", "ARG", "USER", "ENTRYPOINT"]  # fmt: skip
    pieces = ["a", "b=c", "--chown=1", "--x=\"q r\"", "'s t'", "\"u\"", "\\", "\\ ", "<<EOF", "<< EOF", "<<-X",
              "3<<EOF", "'<<EOF'", "\"<<EOF\"", "$V", "${V}", "${V:-w x}", "${", "[\"j\"]", "[1]", "[\"k\", 2]",
              "\u00a0", "\u3000", "\x1c", "\t", "  ", "=", "#c", "`", "--", "-"]  # fmt: skip
    bodies = ["EOF", "X", "\tX", "x", "", "  # c", "EOF2", "RUN y"]
    out = []
    for _ in range(n):
        lines = ["FROM a"]
        for _ in range(rng.randint(1, 4)):
            words = [rng.choice(pieces) for _ in range(rng.randint(0, 5))]
            sep = rng.choice([" ", "", " ", "\t"])
            lines.append(rng.choice(keywords) + " " + sep.join(words) + rng.choice(["", "", " \\"]))
            lines.extend(rng.choice(bodies) for _ in range(rng.randint(0, 3)))
        out.append("\n".join(lines) + rng.choice(["\n", ""]))
    return out


def lines(n: int, seed: int = 1414) -> list[str]:
    """One instruction of random characters from the lexer's special ones, with a possible heredoc body."""
    rng = random.Random(seed)
    alphabet = [*"<-'\"\\$:{}/#%?+ \t\u00a0aE0=[],`", "EOF", "<<", "${", "--x=", "\u3000", "\u00e9"]
    keywords = ["RUN", "COPY", "ADD", "ENV", "LABEL", "CMD", "ONBUILD RUN", "EXPOSE", "WORKDIR", "VOLUME",
                "HEALTHCHECK CMD", "ARG", "ENTRYPOINT"]  # fmt: skip
    out = []
    for _ in range(n):
        line = rng.choice(keywords) + " " + "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
        body = rng.choice(["", "\nEOF", "\nx\nEOF", "\n\tEOF", "\na"])
        escape = rng.choice(["", "", "# escape=`\n"])
        out.append(escape + "FROM a\n" + line + body + rng.choice(["\n", ""]))
    return out


def corpus() -> list[tuple[str, str]]:
    """(name, Dockerfile text) for every case."""
    cases = []
    for folder in ("testfiles", "testfiles-negative"):
        for d in sorted((HERE / folder).iterdir()):
            cases.append((f"{folder}/{d.name}", (d / "Dockerfile").read_text(encoding="utf-8")))
    cases.append(("testfile-line", (HERE / "testfile-line" / "Dockerfile").read_text(encoding="utf-8")))
    cases.append(("heredoc-test", (HERE / "heredoc_test.Dockerfile").read_text(encoding="utf-8")))
    cases += [(f"case-{i}", text) for i, text in enumerate(CASES)]
    cases += [(f"generated-{i}", text) for i, text in enumerate(generated(400))]
    cases += [(f"line-{i}", text) for i, text in enumerate(lines(800))]
    return cases


def main(oracle: str) -> None:
    cases = corpus()
    answer = subprocess.run(
        [oracle], input=json.dumps([text for _, text in cases]), capture_output=True, text=True, check=True
    )
    records = [
        {"name": name, "dockerfile": text, **json.loads(line)}
        for (name, text), line in zip(cases, answer.stdout.splitlines(), strict=True)
    ]
    for record in records:
        for node in record["Nodes"] or ():
            del node["Dump"]  # the values are compared one by one; the dump only repeats them
            for key in [
                k for k, v in node.items() if v in (None, False, [], "") and k not in ("Start", "End")
            ]:
                del node[key]  # absent: none, false or empty
    with open(HERE / "oracle.json", "w", encoding="utf-8") as f:
        f.write("[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n")


if __name__ == "__main__":
    main(sys.argv[1])
