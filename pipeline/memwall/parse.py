"""Parsing raw sources: every table of every raw source -> one long table of cells.

Find pipe tables by their header row, recognise their kind, emit one record per cell with its
position; rows that cannot be read as a table row are rejects with a reason. The `parse`
stage (`stages/parse.py`) saves both.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from memwall import codes
from memwall.markdown import find_tables
from memwall.sources import Catalog, Source, sha256_file
from memwall.tablekinds import recognise, unknown_header_reason
from memwall.textio import read_text

RAGGED, UNKNOWN_TABLE = codes.get("ragged-row"), codes.get("unknown-table")
CELLS_SCHEMA = {
    "source_id": pl.String,
    "source": pl.String,
    "rank": pl.Int32,
    "table_no": pl.Int32,
    "kind": pl.String,
    "table": pl.String,
    "domain": pl.String,
    "header_line": pl.Int32,
    "header_text": pl.String,
    "line": pl.Int32,
    "char": pl.Int32,
    "column": pl.String,
    "text": pl.String,
}
REJECTS_SCHEMA = {
    "source_id": pl.String,
    "source": pl.String,
    "line": pl.Int32,
    "char": pl.Int32,
    "code": pl.String,
    "reason": pl.String,
    "text": pl.String,
}


def parse_markdown(text: str, source: Source) -> tuple[list[dict], list[dict]]:
    """Cells of every recognised table row, and the rows that cannot be used, with reasons."""
    cells: list[dict] = []
    rejects: list[dict] = []
    where = {"source_id": source.id, "source": source.path}
    for table_no, table in enumerate(find_tables(text), start=1):
        headers = [c.text for c in table.header]
        kind = recognise(headers)
        if kind is None:
            reason = unknown_header_reason(headers)
            for row in table.rows:
                rejects.append(
                    {
                        **where,
                        "line": row.line,
                        "char": 1,
                        "code": UNKNOWN_TABLE.code,
                        "reason": UNKNOWN_TABLE.message(reason=reason),
                        "text": row.text,
                    }
                )
            continue
        header_text = table.header_text.strip()
        for row in table.rows:
            if len(row.cells) != table.width:
                rejects.append(
                    {
                        **where,
                        "line": row.line,
                        "char": 1,
                        "code": RAGGED.code,
                        "reason": RAGGED.message(
                            count=len(row.cells), width=table.width, advice=""
                        ),
                        "text": row.text,
                    }
                )
                continue
            for head, cell in zip(table.header, row.cells, strict=True):
                cells.append(
                    {
                        **where,
                        "rank": source.rank,
                        "table_no": table_no,
                        "kind": kind.name,
                        "table": kind.table,
                        "domain": kind.domain,
                        "header_line": table.line,
                        "header_text": header_text,
                        "line": cell.line,
                        "char": cell.column,
                        "column": head.text,
                        "text": cell.text,
                    }
                )
    return cells, rejects


class RawChanged(ValueError):
    """A raw snapshot whose bytes differ from the sha256 recorded in raw/sources.yaml."""


# Kinds of source read as markdown tables here: upstream READMEs and contributed tables.
MARKDOWN_KINDS = ("upstream", "contrib")


def parse_sources(catalog: Catalog, root: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Parse every source of the catalog (paths relative to `root`); raw files are checked
    against their sha256 first (`RawChanged`)."""
    all_cells: list[dict] = []
    all_rejects: list[dict] = []
    for source in catalog.sources:
        if source.kind not in MARKDOWN_KINDS:
            continue  # figures and reference CSVs have stages of their own
        path = root / source.path
        expected = source.meta.get("sha256")
        if expected and sha256_file(path) != expected:
            raise RawChanged(
                f"{source.path}: sha256 differs from raw/sources.yaml; raw snapshots are "
                "immutable (put fixes in the corrections registry)"
            )
        text, _ = read_text(path)
        cells, rejects = parse_markdown(text, source)
        all_cells += cells
        all_rejects += rejects
    return (
        pl.DataFrame(all_cells, schema=CELLS_SCHEMA, orient="row"),
        pl.DataFrame(all_rejects, schema=REJECTS_SCHEMA, orient="row"),
    )
