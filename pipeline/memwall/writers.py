"""Writing published files: Parquet, JSON records and spreadsheet-safe CSV, byte-stable."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, BinaryIO

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


# What `json.dumps(..., ensure_ascii=False)` escapes in a string; any other text is written
# as it is between quotes.
_JSON_ESCAPED = r'[\x00-\x1f"\\]'
# Rows of one slice of a frame encoded and written at a time: the text of a 1,000,000-row
# table is never held whole (its encoded columns and joined text were 2 GB).
CHUNK_ROWS = 100_000


def _fixed(
    series: pl.Series,
    odd: pl.Series,
    fix: Callable[[Any], str],
    text: pl.Series | None = None,
) -> pl.Series:
    """`text` (default: `series`) with the values where `odd` is true replaced by Python's
    `fix` of the value of `series` there."""
    text = series if text is None else text
    odd = odd.fill_null(False)
    if not odd.any():
        return text
    at = odd.arg_true()
    values = [fix(v) for v in series.gather(at).to_list()]
    return text.scatter(at, pl.Series(values, dtype=pl.String))


def _json_value(series: pl.Series) -> tuple[pl.Series, bool] | None:
    """The text of each value as `json.dumps` writes it, without the quotes of strings and
    dates, and whether the value is quoted (null stays null); None when the dtype is not a
    plain scalar one (the caller then falls back to `json.dumps`). Polars does the common
    case; Python the values that need it (strings with characters JSON escapes, dates
    outside years 1000-9999, floats)."""
    dtype, name = series.dtype, series.name
    if dtype.is_integer():
        return series.cast(pl.String), False
    if dtype == pl.Boolean:
        flag = pl.col(name)
        text = pl.when(flag).then(pl.lit("true")).when(~flag).then(pl.lit("false"))
        return series.to_frame().select(text.alias(name)).to_series(), False
    if dtype == pl.String:
        return _fixed(series, series.str.contains(_JSON_ESCAPED), _escaped_inner), True
    if dtype == pl.Float64 or dtype == pl.Float32:
        values = [None if v is None else _json_float(v) for v in series.to_list()]
        return pl.Series(name, values, dtype=pl.String), False
    if dtype == pl.Date:
        return _dates(series), True
    if isinstance(dtype, pl.Datetime):
        values = [None if v is None else _escaped_inner(v.isoformat()) for v in series]
        return pl.Series(name, values, dtype=pl.String), True
    return None


def _escaped_inner(text: str) -> str:
    return encode_basestring(text)[1:-1]


def _dates(series: pl.Series) -> pl.Series:
    """Each date as `date.isoformat` writes it: polars' text for years 1000 to 9999, Python's
    for the others."""
    year = series.dt.year()
    odd = (year < 1000) | (year > 9999)
    return _fixed(series, odd, dt.date.isoformat, series.cast(pl.String))


def _plain(frame: pl.DataFrame) -> bool:
    """True when every column is one `_json_value` encodes."""
    return all(_json_value(frame[c].head(0)) is not None for c in frame.columns)


def _rows(frame: pl.DataFrame) -> pl.DataFrame:
    """One string column: each row of `frame` (plain columns) as its indented JSON object.

    The constant text between two values (quotes, key, indent) is one literal; a column with
    nulls is turned into its "null" or (quoted) value first."""
    columns: dict[str, pl.Series] = {}
    parts: list[pl.Expr] = []
    pending = "  {\n"  # constant text before the next value
    for n, name in enumerate(frame.columns):
        encoded = _json_value(frame[name])
        assert encoded is not None
        text, quoted = encoded
        pending += ("" if n == 0 else ",\n") + f"    {encode_basestring(name)}: "
        if text.null_count() == 0:
            columns[name] = text
            parts += [pl.lit(pending + ('"' if quoted else "")), pl.col(name)]
            pending = '"' if quoted else ""
            continue
        value = pl.col(name)
        if quoted:
            value = pl.concat_str(pl.lit('"'), value, pl.lit('"'))
        columns[name] = text.to_frame().select(value.fill_null(pl.lit("null"))).to_series()
        parts += [pl.lit(pending), pl.col(name)]
        pending = ""
    parts.append(pl.lit(pending + "\n  }"))
    return pl.DataFrame(columns).select(pl.concat_str(parts).alias("row"))


def write_records_json(frame: pl.DataFrame, out: BinaryIO, chunk_rows: int = CHUNK_ROWS) -> None:
    """Write `records_json(frame)`'s text (UTF-8) to `out`, `chunk_rows` rows at a time; the
    rows' text goes from polars to the file without becoming Python strings."""
    if frame.height == 0 or frame.width == 0 or not _plain(frame):
        out.write(_dumped(frame).encode("utf-8"))
        return
    out.write(b"[\n")
    for start in range(0, frame.height, chunk_rows):
        rows = _rows(frame.slice(start, chunk_rows))
        last = start + chunk_rows >= frame.height
        # unquoted CSV of one column: each row's text followed by the separator
        body = rows.head(rows.height - 1) if last else rows
        body.write_csv(out, include_header=False, quote_style="never", line_terminator=",\n")
        if last:
            rows.tail(1).write_csv(
                out, include_header=False, quote_style="never", line_terminator=""
            )
    out.write(b"\n]\n")


def _dumped(frame: pl.DataFrame) -> str:
    """`json.dumps` itself: empty frames, frames without columns, nested columns."""
    if frame.height == 0:
        return "[]\n"
    if frame.width == 0:
        return "[\n" + ",\n".join(["  {}"] * frame.height) + "\n]\n"
    return json.dumps(frame.to_dicts(), indent=2, ensure_ascii=False, default=_json_default) + "\n"


def records_json(frame: pl.DataFrame, chunk_rows: int = CHUNK_ROWS) -> str:
    """`frame` as the text `write_json(frame.to_dicts(), ...)` writes, byte for byte, built
    column by column (the pure-Python indenting encoder costs ~10 us per value).

    Rows become objects with the columns in order, two-space indent, `ensure_ascii=False`;
    dates as ISO text. Frames with nested columns go through `json.dumps` itself.
    """
    buffer = io.BytesIO()
    write_records_json(frame, buffer, chunk_rows)
    return buffer.getvalue().decode("utf-8")


def write_table(frame: pl.DataFrame, out: Path, name: str, formats: tuple[str, ...]) -> list[Path]:
    """Write one table in the given formats; returns the files written."""
    written = []
    if "parquet" in formats:
        frame.write_parquet(out / f"{name}.parquet", compression="zstd", statistics=True)
        written.append(out / f"{name}.parquet")
    if "json" in formats:
        with (out / f"{name}.json").open("wb") as fh:
            write_records_json(frame, fh)
        written.append(out / f"{name}.json")
    if "csv" in formats:
        csv_safe(frame).write_csv(
            out / f"{name}.csv", date_format="%Y-%m-%d", datetime_format="%Y-%m-%dT%H:%M:%SZ"
        )
        written.append(out / f"{name}.csv")
    return written
