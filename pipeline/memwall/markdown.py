"""Find GitHub-flavoured markdown pipe tables in text, with the position of every cell.

Plain string handling, no markdown library: a table is a header row, a delimiter row
(`|---|:--:|`) with the same number of cells, then body rows until a line without a pipe.
Lines inside fenced code blocks (``` or ~~~, as CommonMark defines them) are not tables.
Positions are 1-based (line, column) in characters, so errors can say `path:line:col`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

_DELIMITER_CELL = re.compile(r"^:?-+:?$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


@dataclass(frozen=True)
class Cell:
    """One cell: its text with surrounding spaces removed and `\\|` unescaped."""

    text: str
    line: int
    column: int


@dataclass(frozen=True)
class Row:
    """One body row; `cells` holds exactly what the line holds, even when ragged."""

    line: int
    cells: tuple[Cell, ...]
    text: str


@dataclass
class Table:
    """A pipe table: header cells, and body rows in file order."""

    header: tuple[Cell, ...]
    header_text: str = ""
    rows: list[Row] = field(default_factory=list)

    @property
    def line(self) -> int:
        """Line of the header row."""
        return self.header[0].line

    @property
    def width(self) -> int:
        return len(self.header)


def split_row(line: str, line_no: int) -> tuple[Cell, ...]:
    """Split one table line on unescaped pipes, keeping each cell's 1-based column.

    A leading and a trailing pipe are optional, as in GFM. A cell's column points at its
    first non-space character (or at the pipe's right for an empty cell).
    """
    bounds: list[int] = []  # positions of unescaped pipes
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line):
            i += 2
            continue
        if ch == "|":
            bounds.append(i)
        i += 1
    stripped_start = len(line) - len(line.lstrip())
    stripped_end = len(line.rstrip())
    edges = list(bounds)
    if not edges or edges[0] != stripped_start:
        edges.insert(0, stripped_start - 1)  # no leading pipe
    if edges[-1] != stripped_end - 1:
        edges.append(stripped_end)  # no trailing pipe
    cells = []
    for left, right in itertools.pairwise(edges):
        raw = line[left + 1 : right]
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip().replace("\\|", "|")
        column = left + 2 + (lead if text else 0)
        cells.append(Cell(text=text, line=line_no, column=column))
    return tuple(cells)


def is_delimiter(cells: tuple[Cell, ...]) -> bool:
    """True for a GFM delimiter row such as `|---|:---:|`."""
    return bool(cells) and all(_DELIMITER_CELL.match(c.text.replace(" ", "")) for c in cells)


def fenced_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it belongs to a fenced code block (its fences included).

    A fence is 3 or more backticks or tildes indented at most 3 spaces; it closes at a line
    of the same character, at least as long, with nothing but spaces after. A fence left
    open runs to the end of the text.
    """
    inside = [False] * len(lines)
    fence = ""
    for n, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence:
            inside[n] = True
            if opened and opened[1][0] == fence[0] and len(opened[1]) >= len(fence):
                fence = "" if not opened[2].strip() else fence
        elif opened and not (opened[1][0] == "`" and "`" in opened[2]):
            inside[n] = True
            fence = opened[1]
    return inside


def _lines(text: str) -> list[str]:
    """The lines of a text, LF or CRLF."""
    return [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]


def _header_at(lines: list[str], fenced: list[bool], i: int) -> tuple[Cell, ...] | None:
    """The header row of the table that starts at line index `i`, if one does: a line with a
    pipe, then a delimiter row of as many cells, neither inside a code fence."""
    if fenced[i] or fenced[i + 1] or "|" not in lines[i] or "-" not in lines[i + 1]:
        return None
    header = split_row(lines[i], i + 1)
    delimiter = split_row(lines[i + 1], i + 2)
    if not is_delimiter(delimiter) or len(delimiter) != len(header):
        return None
    return header


def first_header(text: str) -> tuple[Cell, ...] | None:
    """The header row of `find_tables`' first table, without reading that table's rows."""
    lines = _lines(text)
    fenced = fenced_lines(lines)
    starts = (_header_at(lines, fenced, i) for i in range(len(lines) - 1))
    return next((header for header in starts if header is not None), None)


def find_tables(text: str) -> Iterator[Table]:
    """Yield every pipe table in `text` outside code fences, in order. Accepts LF and CRLF."""
    lines = _lines(text)
    fenced = fenced_lines(lines)
    i = 0
    while i + 1 < len(lines):
        header = _header_at(lines, fenced, i)
        if header is None:
            i += 1
            continue
        table = Table(header=header, header_text=lines[i])
        j = i + 2
        while j < len(lines) and "|" in lines[j] and lines[j].strip() and not fenced[j]:
            table.rows.append(Row(j + 1, split_row(lines[j], j + 1), lines[j]))
            j += 1
        yield table
        i = j


_BEFORE_PIPE = re.compile(r"(\\*)\|")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def escape_cell(text: object) -> str:
    """Text that stays inside one cell of a pipe table, whatever it holds.

    A `|` becomes `\\|` (GFM reads it as a pipe, in code spans too), backslashes right
    before a pipe are doubled so they cannot escape the escape, and line breaks, which
    would end the row, become spaces. Every markdown table the project writes uses this.
    """
    flat = _LINE_BREAK.sub(" ", str(text))
    return _BEFORE_PIPE.sub(lambda m: m[1] * 2 + "\\|", flat)


def table_row(cells: Iterable[object]) -> str:
    """One pipe-table row of escaped cells: `| a | b |`."""
    return "| " + " | ".join(escape_cell(c) for c in cells) + " |"


_INLINE_SPECIAL = re.compile(r"([\\`\[\]|])")


def escape_text(text: object) -> str:
    """Data as inert inline markdown: HTML tags and entities shown, not rendered; links,
    code and pipes shown as typed; line breaks as spaces."""
    flat = _LINE_BREAK.sub(" ", str(text))
    html = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _INLINE_SPECIAL.sub(r"\\\1", html)


def code_span(text: object) -> str:
    """Data as a code span that holds any text: fenced by more backticks than it holds in a
    row, its line breaks as spaces (a code span shows `<` and `&` as typed)."""
    flat = _LINE_BREAK.sub(" ", str(text))
    longest = max((len(run) for run in re.findall("`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or longest else ""
    return f"{fence}{pad}{flat}{pad}{fence}"
