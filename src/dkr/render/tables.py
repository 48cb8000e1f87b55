"""Pure: a human table laid out for a terminal of a given width, without ever splitting a token.

docker prints one line per row and lets the terminal fold it, which breaks an id or a port mapping in two.
dkr fits the table instead. Each column says how it gives way (`Fit`): an id, a name or a size is kept whole;
a text cell (a command, a status, an age) may be cut with "…"; a list of tokens (PORTS) may wrap between
its tokens, never inside one. Headers are never cut. Laying out:

1. every column starts at the least width it accepts (its header, its longest token, its `min_width`);
2. while those do not fit, the least important column (lowest `rank`; on a tie, the rightmost) is dropped,
   down to one column, which is kept even when it is wider than the terminal (the terminal folds it, but dkr
   never splits it);
3. the width left over goes to the kept columns in order of importance, each up to its widest cell: first to
   the columns that are cut (a cut loses text), then to those that wrap (a wrap only takes more lines); the
   least important are the ones left cut.

No line carries trailing spaces. Which column matters more is each table's decision, made in its render
module (render/containers.py, images.py, layers.py, system.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from dkr.grammars.gotemplate import rune_width

#: the blank between two columns, as docker's tabwriter pads them
GAP = 3

#: keep: never cut nor wrapped · cut: cut with "…" (at a word boundary when that keeps at least half) ·
#: crop: cut silently (a decoration such as a bar) · wrap: folded between its `sep`-separated tokens
Give = Literal["keep", "cut", "crop", "wrap"]


@dataclass(frozen=True)
class Fit:
    """How one column gives way on a narrow terminal."""

    #: importance: the lowest is given the least room and dropped first
    rank: int
    give: Give = "keep"
    #: cut/crop: the narrowest the column is cut to before it is dropped (never narrower than its header)
    min_width: int = 0
    #: wrap: what separates the cell's tokens; its non-blank part stays at the end of a line ("a," / "b")
    sep: str = ", "
    right: bool = False


@dataclass(frozen=True)
class Laid:
    """A table fitted to a width: the header line, the table's width (for the rule under the header), and
    each row's lines (more than one only where a cell wrapped). No line ends in a blank."""

    header: str
    width: int
    rows: list[list[str]]
    #: the indexes of the columns kept, in their order
    kept: list[int]


def default_fits(n: int) -> list[Fit]:
    """Whole cells, the rightmost column the least important: for a table that has not ranked its own."""
    return [Fit(n - i) for i in range(n)]


def width_of(text: str) -> int:
    return sum(rune_width(ch) for ch in text)


def lay_out(headers: Sequence[str], rows: Sequence[Sequence[str]], fits: Sequence[Fit], width: int) -> Laid:
    if not len(headers) == len(fits):
        raise ValueError(f"{len(headers)} columns but {len(fits)} fits")
    columns = [[row[i] for row in rows] for i in range(len(headers))]
    natural = [max([width_of(headers[i]), *map(width_of, cells)]) for i, cells in enumerate(columns)]
    least = [_least(headers[i], cells, fits[i], natural[i]) for i, cells in enumerate(columns)]

    kept = list(range(len(headers)))
    # the order in which columns go: lowest rank first, the rightmost first among equals
    dropping = sorted(kept, key=lambda i: (fits[i].rank, -i))
    while len(kept) > 1 and sum(least[i] for i in kept) + GAP * (len(kept) - 1) > width:
        kept.remove(dropping.pop(0))

    widths = {i: least[i] for i in kept}
    spare = width - sum(widths.values()) - GAP * (len(kept) - 1)
    # a cut cell loses text, a wrapped one only takes more lines: cut columns are given room first
    for i in sorted(kept, key=lambda i: (fits[i].give == "wrap", -fits[i].rank, i)):
        grow = max(0, min(spare, natural[i] - widths[i]))
        widths[i] += grow
        spare -= grow

    def line(cells: Sequence[str]) -> str:
        padded = [_pad(cell, widths[i], fits[i].right) for i, cell in zip(kept, cells, strict=True)]
        return (" " * GAP).join(padded).rstrip()

    laid_rows = []
    for row in rows:
        parts = [_fold(row[i], widths[i], fits[i]) for i in kept]
        height = max((len(p) for p in parts), default=1)
        laid_rows.append([line([p[j] if j < len(p) else "" for p in parts]) for j in range(height)])
    total = sum(widths.values()) + GAP * (len(kept) - 1)
    return Laid(line([headers[i] for i in kept]), total, laid_rows, kept)


def _tokens(cell: str, sep: str) -> list[str]:
    """The cell's tokens, each with the non-blank part of the separator that followed it."""
    parts = cell.split(sep)
    tail = sep.rstrip()
    return [p + tail for p in parts[:-1]] + parts[-1:]


def _least(header: str, cells: Sequence[str], fit: Fit, natural: int) -> int:
    if fit.give == "keep":
        return natural
    if fit.give == "wrap":
        return max([width_of(header), *(width_of(t) for c in cells for t in _tokens(c, fit.sep))])
    return max(width_of(header), min(natural, fit.min_width))


def _fold(cell: str, width: int, fit: Fit) -> list[str]:
    """A cell as the lines it takes in a column `width` wide."""
    if width_of(cell) <= width or fit.give == "keep":
        return [cell]
    if fit.give == "crop":
        return [_prefix(cell, width)]
    if fit.give == "cut":
        return [cut(cell, width)]
    lines: list[str] = []
    blank = fit.sep[len(fit.sep.rstrip()) :]
    for token in _tokens(cell, fit.sep):
        joined = f"{lines[-1]}{blank}{token}" if lines else token
        if lines and width_of(joined) <= width:
            lines[-1] = joined
        else:
            lines.append(token)
    return lines


def cut(text: str, width: int) -> str:
    """`text` in at most `width` columns, its last being "…"; cut after a word when that keeps at least half
    the width, so an ellipsized instruction ends on a whole word rather than half a hash."""
    if width_of(text) <= width:
        return text
    head = _prefix(text, width - 1)
    if len(head) < len(text) and text[len(head)] == " ":
        return head.rstrip() + "…"
    space = head.rfind(" ")
    if space > 0 and width_of(head[:space].rstrip()) >= width // 2:
        return head[:space].rstrip() + "…"
    return head + "…"


def _prefix(text: str, width: int) -> str:
    used = 0
    for n, ch in enumerate(text):
        used += rune_width(ch)
        if used > width:
            return text[:n]
    return text


def _pad(cell: str, width: int, right: bool) -> str:
    blank = " " * max(0, width - width_of(cell))
    return blank + cell if right else cell + blank
