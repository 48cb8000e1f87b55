"""The Dockerfile reader: BuildKit's line rules, heredocs, directives, stages, and what a RUN runs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dkr.build.dockerfile import DockerfileError, Heredoc, parse, run_scripts, simple_commands


def summary(text: str) -> list[tuple[str, str, int, int]]:
    return [(i.keyword, i.args, i.line, i.end_line) for i in parse(text).instructions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "FROM a\nRUN echo a \\\n  && echo b\nCMD x\n",
            [("FROM", "a", 1, 1), ("RUN", "echo a   && echo b", 2, 3), ("CMD", "x", 4, 4)],
            id="continuation",
        ),
        pytest.param(
            "FROM a\nRUN apt-get update \\\n# a comment\n  && apt-get install x\n",
            [("FROM", "a", 1, 1), ("RUN", "apt-get update   && apt-get install x", 2, 4)],
            id="comment-inside-continuation-skipped",
        ),
        pytest.param(
            "FROM a\nRUN echo \\\n\n   \n  b\n",
            [("FROM", "a", 1, 1), ("RUN", "echo   b", 2, 5)],
            id="empty-continuation-lines-skipped",
        ),
        pytest.param(
            "FROM a\nRUN echo a\\\\\nCMD b\n",
            [("FROM", "a", 1, 1), ("RUN", "echo a\\\\", 2, 2), ("CMD", "b", 3, 3)],
            id="escaped-escape-is-not-continuation",
        ),
        pytest.param(
            "# escape=`\nFROM a\nRUN dir c:\\ `\n  /w\nCOPY c:\\src c:\\dst\n",
            [("FROM", "a", 2, 2), ("RUN", "dir c:\\   /w", 3, 4), ("COPY", "c:\\src c:\\dst", 5, 5)],
            id="escape-directive-backtick",
        ),
        pytest.param(
            "\n# escape=`\nFROM a\nRUN x `\n",
            [("FROM", "a", 3, 3), ("RUN", "x `", 4, 4)],
            id="directive-after-blank-line-is-a-comment",
        ),
        pytest.param(
            "# syntax=docker/dockerfile:1\n# escape=\\\nFROM a\n",
            [("FROM", "a", 3, 3)],
            id="two-directives",
        ),
        pytest.param(
            "\ufefffrom a\r\nrun x \\\r\n y\r\n",
            [("FROM", "a", 1, 1), ("RUN", "x  y", 2, 3)],
            id="bom-crlf-lowercase",
        ),
        pytest.param(
            "  # indented comment\n\tFROM a\n",
            [("FROM", "a", 2, 2)],
            id="indented",
        ),
        pytest.param(
            "ARG V=1\nFROM a:$V\n",
            [("ARG", "V=1", 1, 1), ("FROM", "a:$V", 2, 2)],
            id="arg-before-from",
        ),
        pytest.param(
            "FROM a\nRUN x \\",
            [("FROM", "a", 1, 1), ("RUN", "x", 2, 2)],
            id="continuation-at-eof",
        ),
    ],
)
def test_lines(text: str, expected: list[tuple[str, str, int, int]]) -> None:
    assert summary(text) == expected


def test_heredocs() -> None:
    text = (
        "FROM a\n"
        "RUN <<EOF\nnode server.js\nEOF\n"
        'COPY <<-"A" <<B /dst/\n\thello\n\tA\nbee\nB\n'
        "RUN cat <<X > /f && echo done\n<<notadoc\nX\n"
        "CMD x\n"
    )
    run, copy, cat, cmd = parse(text).instructions[1:]
    assert (run.line, run.end_line, run.heredocs) == (2, 4, (Heredoc("EOF", "node server.js\n"),))
    assert (copy.line, copy.end_line) == (5, 9)
    assert copy.heredocs == (Heredoc("A", "\thello\n", chomp=True), Heredoc("B", "bee\n"))
    assert copy.words == ('<<-"A"', "<<B", "/dst/")
    assert cat.heredocs == (Heredoc("X", "<<notadoc\n"),)
    assert (cmd.keyword, cmd.line) == ("CMD", 13)


def test_heredoc_not_in_exec_form_or_other_instructions() -> None:
    d = parse('FROM a\nRUN ["cat", "<<EOF"]\nENV A=<<EOF\n')
    assert [i.heredocs for i in d.instructions] == [(), (), ()]


@pytest.mark.parametrize(
    "line",
    [
        pytest.param('RUN echo "<<EOF" > /f', id="double-quoted"),
        pytest.param("RUN echo '<<EOF'", id="single-quoted"),
        pytest.param("RUN echo a\\ <<EOF", id="escaped-blank-joins-the-word"),
        pytest.param("RUN echo <<", id="no-name"),
    ],
)
def test_not_a_heredoc(line: str) -> None:
    """BuildKit splits the line with its quotes kept: a quoted `<<EOF` is an argument, not a heredoc."""
    run = parse(f"FROM a\n{line}\nCMD x\n").instructions[1]
    assert (run.heredocs, run.end_line) == ((), 2)


def test_onbuild_heredoc_and_inner() -> None:
    d = parse("FROM a\nONBUILD RUN <<X\nnpm i\nX\nCMD y\n")
    onbuild = d.instructions[1]
    assert onbuild.keyword == "ONBUILD" and onbuild.inner is not None
    assert (onbuild.inner.keyword, onbuild.inner.heredocs) == ("RUN", (Heredoc("X", "npm i\n"),))
    assert d.instructions[2].line == 5


def test_flags_exec_form_and_stages() -> None:
    d = parse(
        "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n"
        'RUN --mount=type=cache,target="/root/.cache x" go build\n'
        "FROM scratch\n"
        "COPY --from=build --chown=1:1 /out /app\n"
        'CMD ["/app", "serve"]\n'
        "CMD [not json\n"
    )
    frm, run, _, copy, cmd, bad = d.instructions
    assert frm.flags == ("--platform=$BUILDPLATFORM",) and frm.words == ("golang:1.22", "AS", "build")
    assert run.flags == ('--mount=type=cache,target="/root/.cache x"',) and run.args == "go build"
    assert copy.flag("from") == "build" and copy.flag("chown") == "1:1" and copy.flag("chmod") is None
    assert copy.text == "COPY --from=build --chown=1:1 /out /app"
    assert cmd.exec_form == ("/app", "serve")
    assert bad.exec_form is None and bad.args == "[not json"
    stages = d.stages
    assert [(s.index, s.base, s.name, len(s.instructions)) for s in stages] == [
        (0, "golang:1.22", "build", 1),
        (1, "scratch", None, 3),
    ]


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        pytest.param("", 0, "no instructions", id="empty"),
        pytest.param("# just a comment\n\n", 0, "no instructions", id="only-comments"),
        pytest.param("FROM a\nFOO bar\n", 2, "unknown instruction: FOO", id="unknown-instruction"),
        pytest.param("FROM a\nRUN <<EOF\nnode x\n", 2, "unterminated heredoc", id="unterminated-heredoc"),
        pytest.param("# escape=x\nFROM a\n", 1, "invalid escape token", id="bad-escape"),
        pytest.param("# escape=`\n# escape=`\nFROM a\n", 2, "only one escape", id="repeated-directive"),
        pytest.param("RUN x\nFROM a\n", 1, "before the first FROM", id="run-before-from"),
        pytest.param("FROM\n", 1, "FROM requires at least one argument", id="from-no-args"),
        pytest.param("FROM a b\n", 1, "FROM requires either one or three", id="from-two-args"),
        pytest.param("FROM a\nCOPY x\n", 2, "COPY requires at least two", id="copy-one-arg"),
        pytest.param("FROM a\n\nRUN\n", 3, "RUN requires at least one", id="run-no-args"),
        pytest.param("FROM a\nONBUILD\n", 2, "ONBUILD requires", id="onbuild-empty"),
        pytest.param("FROM a\nONBUILD FROM b\n", 2, "isn't allowed as an ONBUILD", id="onbuild-from"),
        pytest.param("FROM a\nONBUILD BLAH x\n", 2, "unknown instruction: BLAH", id="onbuild-unknown"),
    ],
)
def test_parse_errors(text: str, line: int, needle: str) -> None:
    with pytest.raises(DockerfileError) as info:
        parse(text)
    assert info.value.line == line
    assert needle in str(info.value)
    assert str(info.value).startswith(f"line {line}: ") if line else True


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        pytest.param(
            "apt-get update && apt-get install -y x",
            [["apt-get", "update"], ["apt-get", "install", "-y", "x"]],
            id="and",
        ),
        pytest.param("a || b; c | d & e", [["a"], ["b"], ["c"], ["d"], ["e"]], id="separators"),
        pytest.param("npm ci 2>&1 > /dev/null", [["npm", "ci"]], id="redirections"),
        pytest.param("echo \"a && b\" 'c;d'", [["echo", "a && b", "c;d"]], id="quotes"),
        pytest.param(
            "(cd /app && npm i)\n# a; comment\nyarn",
            [["cd", "/app"], ["npm", "i"], ["yarn"]],
            id="subshell-comment",
        ),
        pytest.param("x # trailing; comment\ny", [["x"], ["y"]], id="trailing-comment"),
        pytest.param(
            "uvicorn main:app --port=80", [["uvicorn", "main:app", "--port=80"]], id="colons-and-equals"
        ),
        pytest.param("a \\\n  b", [["a", "b"]], id="backslash-newline"),
        pytest.param(
            'echo "unclosed && npm i', [["echo", '"unclosed'], ["npm", "i"]], id="unbalanced-quotes"
        ),
    ],
)
def test_simple_commands(script: str, expected: list[list[str]]) -> None:
    assert simple_commands(script) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("RUN npm ci", ["npm ci"], id="shell-form"),
        pytest.param('RUN ["npm", "ci"]', ["npm ci"], id="exec-form"),
        pytest.param('RUN ["sh", "-c", "npm ci && x"]', ["npm ci && x"], id="exec-sh-c"),
        pytest.param("RUN <<EOF\nnpm ci\nEOF", ["npm ci\n"], id="heredoc-script"),
        pytest.param("RUN bash <<EOF\nnpm ci\nEOF", ["bash", "npm ci\n"], id="heredoc-to-shell"),
        pytest.param("RUN python3 <<EOF\nprint(1)\nEOF", ["python3"], id="heredoc-is-input"),
    ],
)
def test_run_scripts(text: str, expected: list[str]) -> None:
    ins = parse("FROM a\n" + text + "\n").instructions[1]
    assert run_scripts(ins) == expected


KEYWORD_LINES = st.sampled_from(
    [
        "FROM",
        "RUN",
        "COPY",
        "ADD",
        "CMD",
        "ENTRYPOINT",
        "WORKDIR",
        "EXPOSE",
        "ONBUILD",
        "ARG",
        "# escape=`",
        "#",
    ]
)


@st.composite
def dockerfile_like(draw: st.DrawFn) -> str:
    """Lines that mostly start with instructions, with arbitrary arguments, continuations and heredocs."""
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        head = draw(KEYWORD_LINES)
        tail = draw(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
        extra = draw(st.sampled_from(["", " \\", " `", " <<EOF", " <<-X", ' ["a", "b"]', " . /app"]))
        lines.append(f"{head} {tail}{extra}")
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["EOF", "\tX", "", "  # c", "npm start"])))
    return "\n".join(lines)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), dockerfile_like()))
def test_parser_never_crashes(text: str) -> None:
    try:
        d = parse(text)
    except DockerfileError as exc:
        assert exc.line >= 0
        return
    for ins in d.instructions:
        assert 1 <= ins.line <= ins.end_line
        run_scripts(ins)
    d.stages  # noqa: B018 (the property must not fail either)
