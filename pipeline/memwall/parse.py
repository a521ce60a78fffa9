"""Parsing raw sources: every table of every raw source -> one long table of cells.

Find pipe tables by their header row, recognise their kind, emit one record per cell with its
position; rows that cannot be read as a table row are rejects with a reason. The `parse`
stage (`stages/parse.py`) saves both.

Tables are located by `memwall.history_parse.locate_tables`, which undoes the quirks of
upstream's older README layouts (two-row headers, separator and blank rows between data rows,
a model name continued on the next row), so one parser reads all 26 upstream versions. An
upstream source's tables are recognised among today's layouts and the historic ones
(`tablekinds.recognise_any_version`); a contributed table must have today's layout. Cells of
an upstream version carry its `version` number (1 = oldest) and `commit`.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from memwall import codes
from memwall.hardware_forms import format_of, is_hardware
from memwall.history_parse import locate_tables
from memwall.locate_columns import locate_table_columns
from memwall.sources import Catalog, Source, sha256_file
from memwall.tablekinds import recognise, recognise_any_version, unknown_header_reason
from memwall.textio import read_text

RAGGED, UNKNOWN_TABLE = codes.get("ragged-row"), codes.get("unknown-table")
CELLS_SCHEMA = {
    "source_id": pl.String,
    "version": pl.Int32,
    "commit": pl.String,
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


_VERSION_ID = re.compile(r"upstream-v(\d+)")


def upstream_version(source: Source) -> int | None:
    """The version number of an upstream README snapshot (from its id `upstream-vNN`)."""
    found = _VERSION_ID.fullmatch(source.id) if source.kind == "upstream" else None
    return int(found.group(1)) if found else None


def parse_markdown(text: str, source: Source) -> tuple[list[dict], list[dict]]:
    """Cells of every recognised table row, and the rows that cannot be used, with reasons.

    Separator and blank rows inside a table are not data rows; a continuation row's text
    joins the Model cell of the row above it (its line stays that row's line).
    """
    cells: list[dict] = []
    rejects: list[dict] = []
    where = {"source_id": source.id, "source": source.path}
    version = upstream_version(source)
    recognise_kind = recognise_any_version if version is not None else recognise
    stamp = {"version": version, "commit": source.meta.get("commit") if version else None}
    for table_no, table in enumerate(locate_tables(text), start=1):
        headers = [c.text for c in table.header]
        kind = recognise_kind(headers)
        for line, row_text, count in table.ragged:
            rejects.append(
                {
                    **where,
                    "line": line,
                    "char": 1,
                    "code": RAGGED.code,
                    "reason": RAGGED.message(count=count, width=len(headers), advice=""),
                    "text": row_text,
                }
            )
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
        for row in table.rows:
            for head, cell in zip(table.header, row.cells, strict=True):
                cells.append(
                    {
                        **where,
                        **stamp,
                        "rank": source.rank,
                        "table_no": table_no,
                        "kind": kind.name,
                        "table": kind.table,
                        "domain": kind.domain,
                        "header_line": table.header_line,
                        "header_text": table.header_text,
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
    all_cells: list[pl.DataFrame] = []
    all_rejects: list[pl.DataFrame] = []
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
        if source.kind == "contrib" and is_hardware(text, format_of(source.path)):
            continue  # contributed hardware rows: the hardware stage reads them
        cells, rejects = parse_frames(text, source)
        all_cells.append(cells)
        all_rejects.append(rejects)
    # One chunk each, as one frame built from all records was: Parquet's row groups (and so
    # the files' bytes) follow the chunks.
    return (
        pl.concat(all_cells, rechunk=True) if all_cells else pl.DataFrame(schema=CELLS_SCHEMA),
        pl.concat(all_rejects, rechunk=True)
        if all_rejects
        else pl.DataFrame(schema=REJECTS_SCHEMA),
    )


def parse_frames(text: str, source: Source) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`parse_markdown` then `cell_frames`, read column-wise (`locate_columns`) when the
    text allows it: the same frames, without a Python object per row or cell."""
    located = locate_table_columns(text)
    if located is None:
        return cell_frames(*parse_markdown(text, source))
    version = upstream_version(source)
    recognise_kind = recognise_any_version if version is not None else recognise
    stamp = {
        "source_id": source.id,
        "version": version,
        "commit": source.meta.get("commit") if version else None,
        "source": source.path,
        "rank": source.rank,
    }
    cells, rejects = [], []
    for table_no, table in enumerate(located, start=1):
        headers = [c.text for c in table.header]
        kind = recognise_kind(headers)
        where = {k: pl.lit(stamp[k], REJECTS_SCHEMA[k]) for k in ("source_id", "source")}
        reasons = {
            n: RAGGED.message(count=n, width=len(headers), advice="")
            for n in table.ragged["count"].unique().to_list()
        }
        rejects.append(
            table.ragged.select(
                **where,
                line="line",
                char=pl.lit(1),
                code=pl.lit(RAGGED.code),
                reason=pl.col("count").replace_strict(reasons, return_dtype=pl.String),
                text="text",
            )
        )
        if kind is None:
            reason = UNKNOWN_TABLE.message(reason=unknown_header_reason(headers))
            rejects.append(
                table.rows.select(
                    **where,
                    line="line",
                    char=pl.lit(1),
                    code=pl.lit(UNKNOWN_TABLE.code),
                    reason=pl.lit(reason),
                    text="text",
                )
            )
            continue
        columns = pl.DataFrame(
            {"k": range(len(headers)), "column": headers},
            schema={"k": table.cells["k"].dtype, "column": pl.String},
        )
        cells.append(
            table.cells.join(columns, on="k", how="left", maintain_order="left").select(
                **{k: pl.lit(v, CELLS_SCHEMA[k]) for k, v in stamp.items()},
                table_no=pl.lit(table_no),
                kind=pl.lit(kind.name),
                table=pl.lit(kind.table),
                domain=pl.lit(kind.domain, pl.String),
                header_line=pl.lit(table.header_line),
                header_text=pl.lit(table.header_text),
                line="line",
                char="char",
                column="column",
                text="text",
            )
        )
    return (
        _framed(cells, CELLS_SCHEMA),
        _framed(rejects, REJECTS_SCHEMA),
    )


def _framed(parts: list[pl.DataFrame], schema: dict) -> pl.DataFrame:
    """Parts in order, cast to `schema`."""
    casts = [pl.col(k).cast(v) for k, v in schema.items()]
    return pl.concat([p.select(casts) for p in parts]) if parts else pl.DataFrame(schema=schema)


def cell_frames(cells: list[dict], rejects: list[dict]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The records of `parse_markdown` as the frames the parse stage writes
    (interim/cells.parquet: CELLS_SCHEMA, interim/parse_rejects.parquet: REJECTS_SCHEMA).

    A seam for reading one text the way the pipeline reads a raw file: `parse_markdown`
    then `cell_frames` give what `normalize.normalize` and the history take.
    """
    return (
        pl.DataFrame(cells, schema=CELLS_SCHEMA, orient="row"),
        pl.DataFrame(rejects, schema=REJECTS_SCHEMA, orient="row"),
    )
