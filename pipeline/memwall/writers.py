"""Writing published files: Parquet, JSON records and spreadsheet-safe CSV, byte-stable."""

from __future__ import annotations

import datetime as dt
import json
from json.encoder import encode_basestring
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


def _json_float(value: float) -> str:
    """A float as `json.dumps` writes it (repr; NaN and infinities as JavaScript names)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _json_column(series: pl.Series) -> pl.Series | None:
    """Each value of `series` as `json.dumps` encodes it (null -> "null"), or None when the
    dtype is not a plain scalar one (the caller then falls back to `json.dumps`)."""
    dtype = series.dtype
    if dtype.is_integer():
        encoded = series.cast(pl.String)
    elif dtype == pl.Boolean:
        values = [None if v is None else ("true" if v else "false") for v in series.to_list()]
        encoded = pl.Series(series.name, values, dtype=pl.String)
    elif dtype == pl.String:
        values = [None if v is None else encode_basestring(v) for v in series.to_list()]
        encoded = pl.Series(series.name, values, dtype=pl.String)
    elif dtype == pl.Float64 or dtype == pl.Float32:
        values = [None if v is None else _json_float(v) for v in series.to_list()]
        encoded = pl.Series(series.name, values, dtype=pl.String)
    elif dtype == pl.Date or isinstance(dtype, pl.Datetime):
        values = [None if v is None else encode_basestring(v.isoformat()) for v in series]
        encoded = pl.Series(series.name, values, dtype=pl.String)
    else:
        return None
    return encoded.fill_null("null")


def records_json(frame: pl.DataFrame) -> str:
    """`frame` as the text `write_json(frame.to_dicts(), ...)` writes, byte for byte, built
    column by column (the pure-Python indenting encoder costs ~10 us per value).

    Rows become objects with the columns in order, two-space indent, `ensure_ascii=False`;
    dates as ISO text. Frames with nested columns go through `json.dumps` itself.
    """
    if frame.height == 0:
        return "[]\n"
    if frame.width == 0:
        return "[\n" + ",\n".join(["  {}"] * frame.height) + "\n]\n"
    columns = [_json_column(frame[c]) for c in frame.columns]
    if any(c is None for c in columns):
        return (
            json.dumps(frame.to_dicts(), indent=2, ensure_ascii=False, default=_json_default) + "\n"
        )
    parts: list[pl.Expr] = []
    for n, name in enumerate(frame.columns):
        key = encode_basestring(name)
        parts.append(pl.lit(("  {\n" if n == 0 else ",\n") + f"    {key}: "))
        parts.append(pl.col(f"c{n}"))
    parts.append(pl.lit("\n  }"))
    encoded = pl.DataFrame({f"c{n}": c for n, c in enumerate(columns)})
    rows = encoded.select(pl.concat_str(parts).str.join(",\n")).item()
    return "[\n" + rows + "\n]\n"


def write_table(frame: pl.DataFrame, out: Path, name: str, formats: tuple[str, ...]) -> list[Path]:
    """Write one table in the given formats; returns the files written."""
    written = []
    if "parquet" in formats:
        frame.write_parquet(out / f"{name}.parquet", compression="zstd", statistics=True)
        written.append(out / f"{name}.parquet")
    if "json" in formats:
        (out / f"{name}.json").write_text(records_json(frame), encoding="utf-8")
        written.append(out / f"{name}.json")
    if "csv" in formats:
        csv_safe(frame).write_csv(
            out / f"{name}.csv", date_format="%Y-%m-%d", datetime_format="%Y-%m-%dT%H:%M:%SZ"
        )
        written.append(out / f"{name}.csv")
    return written
