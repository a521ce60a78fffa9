"""Read every table of every upstream README version into one long frame of cells.

Upstream's README used several layouts over its 26 versions. Tables are found by their
header row (`memwall.markdown.find_tables`, never by line position), then the quirks of the
old layouts are undone here:

- a two-row header ("FLOPs" over "(GFLOPs)"): the pipe row right above the header joins it;
- separator rows (`|----|----|`) between data rows and empty trailing rows (`|  |  |`) are
  not data rows;
- a model name continued on the next row ("ResNeXt152" / "(64x4d)"): a row whose only text
  is a parenthesised Model cell right after a data row extends that row's name.

Each data row is then read by `memwall.rows.read_row` (corrections, aliases, units), exactly
as the normalize stage reads today's versions. Every data row ends in the cells frame or in
the rejects frame with a reason.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from memwall.markdown import Cell, find_tables, is_delimiter, split_row
from memwall.rows import RawCell, RowContext, read_row
from memwall.tablekinds import TableKind, recognise_any_version, unknown_header_reason

CELLS_SCHEMA = {
    "version": pl.Int32,
    "table": pl.String,
    "kind": pl.String,
    "model_id": pl.String,
    "field": pl.String,
    "raw": pl.String,
    "canonical": pl.String,
    "value_printed": pl.Float64,
    "status": pl.String,
    "line": pl.Int32,
    "col": pl.Int32,
    "header": pl.String,
    "corrections": pl.String,
}
REJECTS_SCHEMA = {
    "version": pl.Int32,
    "path": pl.String,
    "line": pl.Int32,
    "col": pl.Int32,
    "code": pl.String,
    "reason": pl.String,
    "text": pl.String,
}
TABLES_SCHEMA = {
    "version": pl.Int32,
    "table": pl.String,
    "kind": pl.String,
    "header_line": pl.Int32,
    "header_text": pl.String,
    "data_rows": pl.Int32,
}
# Fields `read_row` derives rather than reads; the history keeps what a cell states.
_DERIVED_FIELDS = ("model_id", "domain")


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


def locate_tables(text: str) -> list[LocatedTable]:
    """Every pipe table of `text` with old-layout quirks undone (see the module docstring)."""
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]
    located = []
    for table in find_tables(text):
        header = list(table.header)
        header_line = table.line
        header_text = table.header_text.strip()
        above = table.line - 2  # 0-based index of the line above the header
        if above >= 0 and "|" in lines[above] and lines[above].strip():
            top = split_row(lines[above], above + 1)
            if len(top) == table.width and not is_delimiter(top):
                header = _merge_header(top, table.header)
                header_line = above + 1
                header_text = lines[above].strip() + "\n" + header_text
        model_at = next((i for i, c in enumerate(header) if c.text.casefold() == "model"), None)
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


def _to_float(value: str | None, field_name: str) -> float | None:
    if value is None or field_name in ("published", "model"):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def parse_version(
    text: str, version: Version, ctx: RowContext
) -> tuple[list[dict], list[dict], list[dict]]:
    """Cells, rejects and tables of one version's text (records of the three schemas)."""
    cells: list[dict] = []
    rejects: list[dict] = []
    tables: list[dict] = []
    source = {"source_id": f"upstream-v{version.number}", "source": version.path}
    source["rank"] = version.number

    def reject(line: int, col: int, code: str, reason: str, row_text: str) -> None:
        rejects.append(
            {
                "version": version.number,
                "path": version.path,
                "line": line,
                "col": col,
                "code": code,
                "reason": reason,
                "text": row_text,
            }
        )

    for located in locate_tables(text):
        headers = [c.text for c in located.header]
        kind = recognise_any_version(headers)
        for line, row_text, count in located.ragged:
            reason = f"row has {count} cells, the header has {len(headers)}"
            reject(line, 1, "ragged-row", reason, row_text)
        if kind is None:
            for row in located.rows:
                reject(row.line, 1, "unknown-table", unknown_header_reason(headers), row.text)
            continue
        table = history_table(kind)
        tables.append(
            {
                "version": version.number,
                "table": table,
                "kind": kind.name,
                "header_line": located.header_line,
                "header_text": located.header_text,
                "data_rows": len(located.rows),
            }
        )
        header_cell = RawCell(located.header_line, 1, "header", located.header_text)
        for row in located.rows:
            raw_cells = [
                RawCell(c.line, c.column, h.text, c.text)
                for h, c in zip(located.header, row.cells, strict=True)
            ]
            result = read_row(ctx, kind, source, header_cell, raw_cells)
            for error in result.errors:
                reject(error.line, error.char, error.code, error.message, row.text)
            if result.dropped_by:
                reject(
                    row.line, 1, "dropped", f"dropped by correction {result.dropped_by}", row.text
                )
            for obs in result.observations:
                if obs["field"] in _DERIVED_FIELDS:
                    continue
                cells.append(
                    {
                        "version": version.number,
                        "table": table,
                        "kind": kind.name,
                        "model_id": obs["model_id"],
                        "field": obs["field"],
                        "raw": obs["raw"],
                        "canonical": obs["value"],
                        "value_printed": _to_float(obs["value"], obs["field"]),
                        "status": obs["status"],
                        "line": obs["line"],
                        "col": obs["char"],
                        "header": obs["column"],
                        "corrections": obs["corrections"],
                    }
                )
    return cells, rejects, tables


def parse_versions(
    versions: list[Version], root: Path, ctx: RowContext
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Parse every version (files read under `root`): cells, rejects, tables frames, sorted.

    A model stated twice in one table of one version keeps its first row; the later row is
    rejected (`duplicate-row`), so (version, table, model_id, field) is a key of the cells.
    """
    cells: list[dict] = []
    rejects: list[dict] = []
    tables: list[dict] = []
    for version in versions:
        text = (root / version.path).read_bytes().decode("utf-8")
        c, r, t = parse_version(text, version, ctx)
        cells += c
        rejects += r
        tables += t
    cells_df = pl.DataFrame(cells, schema=CELLS_SCHEMA, orient="row")
    first_line = cells_df.group_by("version", "table", "model_id").agg(
        pl.col("line").min().alias("first_line")
    )
    cells_df = cells_df.join(first_line, on=["version", "table", "model_id"])
    duplicates = (
        cells_df.filter(pl.col("line") != pl.col("first_line"))
        .group_by("version", "line", "model_id")
        .agg(pl.col("first_line").first())
    )
    by_version = {v.number: v.path for v in versions}
    for d in duplicates.iter_rows(named=True):
        rejects.append(
            {
                "version": d["version"],
                "path": by_version[d["version"]],
                "line": d["line"],
                "col": 1,
                "code": "duplicate-row",
                "reason": f"{d['model_id']} is already stated on line {d['first_line']}",
                "text": "",
            }
        )
    cells_df = cells_df.filter(pl.col("line") == pl.col("first_line")).drop("first_line")
    return (
        cells_df.sort("version", "table", "line", "col", "field"),
        pl.DataFrame(rejects, schema=REJECTS_SCHEMA, orient="row").sort(
            "version", "line", "col", "code"
        ),
        pl.DataFrame(tables, schema=TABLES_SCHEMA, orient="row").sort("version", "header_line"),
    )
