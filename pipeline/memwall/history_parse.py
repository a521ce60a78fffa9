"""Locate the tables of every upstream README version, whatever layout the version used.

Upstream's README used several layouts over its 26 versions. Tables are found by their
header row (`memwall.markdown.find_tables`, never by line position), then the quirks of the
old layouts are undone here:

- a two-row header ("FLOPs" over "(GFLOPs)"): the pipe row right above the header joins it;
- separator rows (`|----|----|`) between data rows and empty trailing rows (`|  |  |`) are
  not data rows;
- a model name continued on the next row ("ResNeXt152" / "(64x4d)"): a row whose only text
  is a parenthesised Model cell right after a data row extends that row's name.

`memwall.parse.parse_markdown` recognises each located table's kind and emits its cells (the
parse stage); the normalize stage reads the rows (corrections, aliases, units, unit
conventions), and `memwall.history_build` makes the history of them. Also here: the upstream
versions (`Version`, `load_versions`, `versions_frame`) and the table a layout belongs to
(`history_table`).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from memwall.markdown import Cell, find_tables, is_delimiter, split_row
from memwall.tablekinds import TableKind


@dataclass(frozen=True)
class Version:
    """One upstream README version: its number (1 = oldest), file and commit."""

    number: int
    path: str
    commit: str
    committed: dt.datetime
    subject: str


def load_versions(index_csv: Path, directory: str) -> list[Version]:
    """The versions listed in an index CSV (`seq,file,commit,committed_utc,subject`).

    `directory` is prefixed to each file name (e.g. "raw/upstream").
    """
    with index_csv.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    versions = [
        Version(
            number=int(r["seq"]),
            path=f"{directory}/{r['file']}",
            commit=r["commit"],
            committed=dt.datetime.fromisoformat(r["committed_utc"].replace("Z", "+00:00")),
            subject=r["subject"],
        )
        for r in records
    ]
    return sorted(versions, key=lambda v: v.number)


def versions_frame(versions: list[Version]) -> pl.DataFrame:
    """The versions as a frame: version, path, commit, committed (UTC), subject."""
    return pl.DataFrame(
        {
            "version": [v.number for v in versions],
            "path": [v.path for v in versions],
            "commit": [v.commit for v in versions],
            "committed": [v.committed for v in versions],
            "subject": [v.subject for v in versions],
        },
        schema={
            "version": pl.Int32,
            "path": pl.String,
            "commit": pl.String,
            "committed": pl.Datetime("us", "UTC"),
            "subject": pl.String,
        },
    )


def history_table(kind: TableKind) -> str:
    """The upstream table a layout belongs to, the same across layouts: nlp-models, cv-models,
    memory (the CV table kept its identity when it dropped Top-1)."""
    return f"{kind.domain}-{kind.table}" if kind.domain else kind.table


@dataclass
class LogicalRow:
    """A data row, with the lines of its continuation rows folded into its Model cell."""

    line: int
    cells: list[Cell]
    text: str
    continued: list[int] = field(default_factory=list)


@dataclass
class LocatedTable:
    """A table with its (possibly two-row) header merged and its data rows."""

    header: list[Cell]
    header_line: int
    header_text: str
    rows: list[LogicalRow]
    ragged: list[tuple[int, str, int]]  # line, text, cell count


def _merge_header(top: tuple[Cell, ...], bottom: tuple[Cell, ...]) -> list[Cell]:
    merged = []
    for upper, lower in zip(top, bottom, strict=True):
        text = " ".join(t for t in (upper.text, lower.text) if t)
        anchor = upper if upper.text else lower
        merged.append(Cell(text=text, line=anchor.line, column=anchor.column))
    return merged


def table_header(
    header: tuple[Cell, ...], header_text: str, above: str | None
) -> tuple[list[Cell], int, str]:
    """A table's header cells, header line and header text, a two-row header merged: the
    pipe row `above` the header row (None at the top of the text) joins it when it has as
    many cells and is no delimiter row."""
    line = header[0].line
    if above is not None and "|" in above and above.strip():
        top = split_row(above, line - 1)
        if len(top) == len(header) and not is_delimiter(top):
            return _merge_header(top, header), line - 1, above.strip() + "\n" + header_text.strip()
    return list(header), line, header_text.strip()


def model_position(header: list[Cell]) -> int | None:
    """The index of a header's Model column, if it has one."""
    return next((i for i, c in enumerate(header) if c.text.casefold() == "model"), None)


def locate_tables(text: str) -> list[LocatedTable]:
    """Every pipe table of `text` with old-layout quirks undone (see the module docstring)."""
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]
    located = []
    for table in find_tables(text):
        above = table.line - 2  # 0-based index of the line above the header
        header, header_line, header_text = table_header(
            table.header, table.header_text, lines[above] if above >= 0 else None
        )
        model_at = model_position(header)
        rows: list[LogicalRow] = []
        ragged: list[tuple[int, str, int]] = []
        previous_was_data = False
        for row in table.rows:
            if is_delimiter(row.cells):
                previous_was_data = False
                continue
            if len(row.cells) != table.width:
                ragged.append((row.line, row.text, len(row.cells)))
                previous_was_data = False
                continue
            texts = [c.text for c in row.cells]
            if not any(texts):
                previous_was_data = False
                continue
            if (
                previous_was_data
                and model_at is not None
                and texts[model_at].startswith("(")
                and not any(t for i, t in enumerate(texts) if i != model_at)
            ):
                last = rows[-1]
                head = last.cells[model_at]
                last.cells[model_at] = Cell(
                    f"{head.text} {texts[model_at]}", head.line, head.column
                )
                last.continued.append(row.line)
                continue
            rows.append(LogicalRow(row.line, list(row.cells), row.text))
            previous_was_data = True
        located.append(LocatedTable(header, header_line, header_text, rows, ragged))
    return located
