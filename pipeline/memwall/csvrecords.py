"""Read a CSV file into a frame of text cells, keeping the line each record starts on.

A quoted cell may span several lines (notes, abstracts), so a record's line is not its index
plus one: the reader counts physical lines as it goes. Every cell stays text; typing belongs
to the caller, which knows the columns.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl

from memwall.textio import InputError, read_text

LINE = "line"


def read_csv_records(path: Path, max_bytes: int | None = None) -> pl.DataFrame:
    """Every record of a CSV file as a row of strings, with `line` (1-based, where it starts).

    Raises `InputError` (with line and column) for undecodable bytes, a ragged record, a
    duplicate or empty header, or an unterminated quote.
    """
    text, _ = read_text(path, max_bytes=max_bytes)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("empty file: expected a header record", 1, 1) from None
    except csv.Error as exc:
        raise InputError(f"bad CSV header: {exc}", 1, 1) from None
    seen: set[str] = set()
    for col, name in enumerate(header, start=1):
        if not name or name in seen or name == LINE:
            raise InputError(f"header column {col}: empty, duplicate or reserved name '{name}'", 1)
        seen.add(name)
    rows: list[list[str]] = []
    lines: list[int] = []
    start = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"bad CSV record: {exc}", start, 1) from None
        if record and len(record) != len(header):
            raise InputError(
                f"record has {len(record)} cells, the header has {len(header)}", start, 1
            )
        if record:
            rows.append(record)
            lines.append(start)
        start = reader.line_num + 1
    frame = pl.DataFrame(
        {name: [r[i] for r in rows] for i, name in enumerate(header)},
        schema=dict.fromkeys(header, pl.String),
    )
    return frame.with_columns(pl.Series(LINE, lines, dtype=pl.Int64)).select(LINE, *header)
