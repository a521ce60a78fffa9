"""Stage `parse`: every table of every raw source -> one long table of cells.

Load: raw/sources.yaml and the markdown files it lists. Process: find pipe tables by their
header row, recognise their kind, emit one record per cell with its position. Save:
`cells.parquet` and `parse_rejects.parquet` (rows that cannot be read as a table row).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

from memwall.markdown import find_tables
from memwall.sources import Source, load_catalog, sha256_file
from memwall.tablekinds import recognise, unknown_header_reason
from memwall.textio import read_text

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
                        "code": "unknown-table",
                        "reason": reason,
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
                        "code": "ragged-row",
                        "reason": f"row has {len(row.cells)} cells, the header has {table.width}",
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


def parse_sources(catalog_path: Path, root: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Parse every source listed in the catalog; raw files are checked against their sha256."""
    catalog = load_catalog(catalog_path)
    all_cells: list[dict] = []
    all_rejects: list[dict] = []
    for source in catalog.sources:
        path = root / source.path
        expected = source.meta.get("sha256")
        if expected and sha256_file(path) != expected:
            raise SystemExit(
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


def main(argv: list[str] | None = None) -> int:
    """`python -m memwall.parse --sources raw/sources.yaml --cells OUT --rejects OUT`."""
    ap = argparse.ArgumentParser(prog="memwall.parse", description=__doc__)
    ap.add_argument("--sources", type=Path, required=True)
    ap.add_argument("--cells", type=Path, required=True)
    ap.add_argument("--rejects", type=Path, required=True)
    args = ap.parse_args(argv)
    cells, rejects = parse_sources(args.sources, Path.cwd())
    args.cells.parent.mkdir(parents=True, exist_ok=True)
    cells.write_parquet(args.cells)
    rejects.write_parquet(args.rejects)
    print(f"parse: {cells.height} cells, {rejects.height} rejected rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
