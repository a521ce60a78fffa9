"""Writing published files: Parquet, JSON records and spreadsheet-safe CSV, byte-stable."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl

from memwall.rules import FORMULA_PATTERN


def csv_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells a spreadsheet would execute with an apostrophe."""
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(FORMULA_PATTERN))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c, dtype in frame.schema.items()
        if dtype == pl.String
    )


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def write_json(data: object, path: Path) -> None:
    """Stable JSON: sorted keys where they are dicts, two-space indent, final newline."""
    path.write_text(
        json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n",
        encoding="utf-8",
    )


def write_table(frame: pl.DataFrame, out: Path, name: str, formats: tuple[str, ...]) -> list[Path]:
    """Write one table in the given formats; returns the files written."""
    written = []
    if "parquet" in formats:
        frame.write_parquet(out / f"{name}.parquet", compression="zstd", statistics=True)
        written.append(out / f"{name}.parquet")
    if "json" in formats:
        write_json(frame.to_dicts(), out / f"{name}.json")
        written.append(out / f"{name}.json")
    if "csv" in formats:
        csv_safe(frame).write_csv(
            out / f"{name}.csv", date_format="%Y-%m-%d", datetime_format="%Y-%m-%dT%H:%M:%SZ"
        )
        written.append(out / f"{name}.csv")
    return written
