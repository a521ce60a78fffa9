"""Split CSV text into records whose every cell knows where it was written.

RFC 4180 quoting: a quoted cell may hold commas, doubled quotes and line breaks, so one
record can span several lines. Each cell keeps the 1-based line and character column of its
first character (the opening quote for a quoted cell) and each record the line it starts on.
Line ends are LF or CRLF; a CR before the LF that ends a record is not part of the last cell,
while line breaks inside a quoted cell are kept as written. Decode the bytes first
(`textio.decode` drops a BOM, so columns count from the first visible character).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from memwall.textio import InputError, read_text


@dataclass(frozen=True)
class Cell:
    """One cell: its text (quotes removed, doubled quotes undone) and where it starts."""

    text: str
    line: int
    char: int


@dataclass(frozen=True)
class Record:
    """One CSV record: the line it starts on and its cells in order."""

    line: int
    cells: tuple[Cell, ...]


class CsvSyntaxError(ValueError):
    """Text that is not CSV; `line` and `char` point at the offending character."""

    def __init__(self, message: str, line: int, char: int):
        super().__init__(f"{line}:{char}: {message}")
        self.message = message
        self.line = line
        self.char = char


_CELL_END = re.compile(r"[,\n]")


def read_records(text: str) -> list[Record]:
    """Every record of `text` (header included), in order; empty lines are not records.

    Raises `CsvSyntaxError` for an unterminated quoted cell or text after a closing quote.
    """
    records: list[Record] = []
    i, n = 0, len(text)
    line, line_start = 1, 0
    while i < n:
        record_line = line
        cells: list[Cell] = []
        while True:
            cell_line, cell_char = line, i - line_start + 1
            quoted = i < n and text[i] == '"'
            if quoted:
                parts: list[str] = []
                i += 1
                while True:
                    close = text.find('"', i)
                    if close < 0:
                        raise CsvSyntaxError("unterminated quoted cell", cell_line, cell_char)
                    chunk = text[i:close]
                    newlines = chunk.count("\n")
                    if newlines:
                        line += newlines
                        line_start = i + chunk.rfind("\n") + 1
                    parts.append(chunk)
                    i = close + 1
                    if i < n and text[i] == '"':
                        parts.append('"')
                        i += 1
                        continue
                    break
                if (
                    i < n
                    and text[i] not in ",\n"
                    and text[i : i + 2] != "\r\n"
                    and not (i == n - 1 and text[i] == "\r")  # a CR ending the text
                ):
                    raise CsvSyntaxError(
                        "text after a closing quote (a quote inside a cell is written twice)",
                        line,
                        i - line_start + 1,
                    )
                value = "".join(parts)
            else:
                found = _CELL_END.search(text, i)  # in C: a char-by-char loop was ~90% of it
                end = found.start() if found else n
                value = text[i:end]
                if value.endswith("\r"):  # CRLF (or a CR at the end of the file)
                    value = value[:-1]
                i = end
            cells.append(Cell(value, cell_line, cell_char))
            # (`i == n - 1`, not `text[i:] == "\r"`: slicing the rest per cell is quadratic)
            if text[i : i + 2] == "\r\n" or (i == n - 1 and text[i] == "\r"):
                i += 1
            if i >= n or text[i] == "\n":
                i += 1
                line, line_start = line + 1, i
                break
            i += 1  # the comma
        if not (len(cells) == 1 and cells[0].text == "" and not quoted):  # an empty line
            records.append(Record(record_line, tuple(cells)))
    return records


LINE = "line"


def read_csv_records(path: Path, max_bytes: int | None = None) -> pl.DataFrame:
    """Every record of a CSV file as a row of strings, with `line` (1-based, where it starts).

    The header names the columns; every cell stays text (typing belongs to the caller, which
    knows the columns). Raises `InputError` (with line and column) for undecodable bytes, a
    ragged record, a duplicate, empty or reserved header name, or broken quoting.
    """
    text, _ = read_text(path, max_bytes=max_bytes)
    try:
        records = read_records(text)
    except CsvSyntaxError as exc:
        raise InputError(f"bad CSV: {exc.message}", exc.line, exc.char) from None
    if not records:
        raise InputError("empty file: expected a header record", 1, 1)
    header = [cell.text for cell in records[0].cells]
    seen: set[str] = set()
    for cell in records[0].cells:
        if not cell.text or cell.text in seen or cell.text == LINE:
            raise InputError(
                f"empty, duplicate or reserved header name '{cell.text}'", cell.line, cell.char
            )
        seen.add(cell.text)
    for record in records[1:]:
        if len(record.cells) != len(header):
            raise InputError(
                f"record has {len(record.cells)} cells, the header has {len(header)}",
                record.line,
                1,
            )
    body = records[1:]
    frame = pl.DataFrame(
        {name: [r.cells[i].text for r in body] for i, name in enumerate(header)},
        schema=dict.fromkeys(header, pl.String),
    )
    lines = pl.Series(LINE, [r.line for r in body], dtype=pl.Int64)
    return frame.with_columns(lines).select(LINE, *header)
