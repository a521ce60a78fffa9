"""Epoch AI's Notable AI Models as a typed reference frame (one row per reference model).

Columns are read by name through `COLUMNS` (reference column -> our name), so a snapshot
whose columns were renamed fails with a message naming the missing column instead of
silently reading blanks. Numbers are read from Epoch's float text ("1.5e+09", "60000000.0");
a blank stays null (unknown, not zero). Data: Epoch AI, CC BY 4.0.
"""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl

from memwall.csvrecords import LINE, read_csv_records
from memwall.textio import InputError

# Reference column -> our column. Text fields keep Epoch's text; numeric ones are parsed.
COLUMNS: dict[str, str] = {
    "Model": "model",
    "Publication date": "published",
    "Parameters": "params",
    "Parameters notes": "params_notes",
    "Training compute (FLOP)": "training_flop",
    "Training compute notes": "training_flop_notes",
    "Confidence": "confidence",
    "Link": "link",
}
NUMERIC = ("params", "training_flop")
# The reference's note for each field both state (dates carry no note column).
NOTES = {"params": "params_notes", "training_flop": "training_flop_notes", "published": None}


def _number(text: str, path: Path, line: int, column: str) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{path}:{line}: column '{column}': '{text}' is not a number") from None
    if not math.isfinite(value):
        return None  # Epoch writes `inf` for a derived column divided by a blank one
    return value


def load_reference(path: Path, columns: dict[str, str] | None = None) -> pl.DataFrame:
    """The reference models with `line`, the text columns of `columns` and parsed numbers.

    Also `params_text`/`training_flop_text` (the cells as printed) and `published` as a date
    (null when blank). Raises `InputError` naming the file when a column is missing, a number
    or date does not parse, or a model name appears twice.
    """
    columns = columns or COLUMNS
    raw = read_csv_records(path)
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise InputError(
            f"{path}:1: the reference lacks column(s) {', '.join(missing)}; "
            "update the column mapping for this snapshot"
        )
    frame = raw.select(LINE, *[pl.col(c).alias(ours) for c, ours in columns.items()])
    rows = []
    for r in frame.iter_rows(named=True):
        row = dict(r)
        for name in NUMERIC:
            row[f"{name}_text"] = r[name]
            source_column = next(c for c, ours in columns.items() if ours == name)
            row[name] = _number(r[name], path, r[LINE], source_column)
        rows.append(row)
    out = pl.DataFrame(rows, infer_schema_length=None)
    dupes = out.filter(pl.col("model").is_duplicated()).sort(LINE)
    if dupes.height:
        first = dupes.row(0, named=True)
        raise InputError(f"{path}:{first[LINE]}: model name '{first['model']}' appears twice")
    try:
        published = out["published"].str.to_date("%Y-%m-%d", strict=True)
    except pl.exceptions.InvalidOperationError:
        bad = out.filter(
            pl.col("published").str.to_date("%Y-%m-%d", strict=False).is_null()
            & (pl.col("published") != "")
        ).row(0, named=True)
        raise InputError(
            f"{path}:{bad[LINE]}: date '{bad['published']}' is not YYYY-MM-DD"
        ) from None
    return out.with_columns(published_text=pl.col("published"), published=published).sort("model")
