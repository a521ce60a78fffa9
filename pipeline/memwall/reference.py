"""Epoch AI's Notable AI Models as a typed reference frame (one row per reference model).

Columns are read by name through the mapping in `data/reference_columns.yaml` (our name ->
the reference's exact header; every other header listed as ignored with a reason), so a
snapshot whose columns were renamed, dropped or added fails with a message naming them
instead of silently reading blanks. Numbers are read from Epoch's float text ("1.5e+09",
"60000000.0"); a blank stays null (unknown, not zero). Data: Epoch AI, CC BY 4.0.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import polars as pl
import yaml

from memwall.csvrecords import LINE, read_csv_records
from memwall.textio import InputError

DATA = Path(__file__).resolve().parent / "data"
DEFAULT_COLUMNS = DATA / "reference_columns.yaml"
DEFAULT_COLUMNS_SCHEMA = DATA / "reference_columns.schema.json"
NUMERIC = ("params", "training_flop")
# The reference's note for each field both state (dates carry no note column).
NOTES = {"params": "params_notes", "training_flop": "training_flop_notes", "published": None}


@dataclass(frozen=True)
class ReferenceColumns:
    """Reference header -> our column for the columns read, and the ignored headers."""

    columns: dict[str, str]
    ignored: dict[str, str]


def load_columns(
    path: Path = DEFAULT_COLUMNS, schema_path: Path = DEFAULT_COLUMNS_SCHEMA
) -> ReferenceColumns:
    """The column mapping (`data/reference_columns.yaml`), checked against its schema.

    Raises `InputError` naming `path` when the file breaks the schema, an output is read
    twice, or a reference header is listed twice.
    """
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    error = next(iter(jsonschema.Draft202012Validator(schema).iter_errors(doc)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise InputError(f"{path}: {where}: {error.message}")
    columns = {c["source"]: c["output"] for c in doc["columns"]}
    ignored = {c["source"]: c["reason"] for c in doc["ignored"]}
    headers = [c["source"] for c in doc["columns"]] + [c["source"] for c in doc["ignored"]]
    twice = sorted({h for h in headers if headers.count(h) > 1})
    if twice:
        raise InputError(f"{path}: reference column(s) listed twice: {', '.join(twice)}")
    if len(set(columns.values())) != len(doc["columns"]):
        raise InputError(f"{path}: an output is read from two reference columns")
    return ReferenceColumns(columns, ignored)


def header_problems(header: list[str], mapping: ReferenceColumns) -> list[str]:
    """What is wrong with a snapshot's header: read columns it lacks, columns nobody knows.

    A renamed column shows as both (its old name missing, its new name unknown).
    """
    known = set(mapping.columns) | set(mapping.ignored)
    problems = [
        f"lacks column '{c}' (read as {ours}); renamed or dropped?"
        for c, ours in mapping.columns.items()
        if c not in header
    ]
    problems += [
        f"has column '{c}' that the mapping neither reads nor ignores; new or renamed?"
        for c in header
        if c not in known
    ]
    return problems


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


def load_reference(path: Path, mapping: ReferenceColumns | None = None) -> pl.DataFrame:
    """The reference models with `line`, the columns `mapping` reads and parsed numbers.

    Also `params_text`/`training_flop_text` (the cells as printed) and `published` as a date
    (null when blank). `mapping` defaults to `data/reference_columns.yaml`. Raises
    `InputError` naming the file when a read column is missing or a column is unknown (all
    named at once), a number or date does not parse, or a model name appears twice.
    """
    mapping = mapping or load_columns()
    columns = mapping.columns
    raw = read_csv_records(path)
    problems = header_problems([c for c in raw.columns if c != LINE], mapping)
    if problems:
        raise InputError(
            f"{path}:1: the reference's header does not fit the column mapping "
            f"({DEFAULT_COLUMNS.name}): " + "; ".join(problems)
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
