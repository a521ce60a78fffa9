"""A contributed CSV read column-wise: records split, positioned and typed by polars.

Used when the text has no quote (so no quoted field, no field spanning lines) and no
character Python and polars disagree on as white space (U+001C..U+001F); other texts go to
the record reader in `records.py`, whose rules this module follows exactly: a record is a
line, blank lines are skipped, a trailing CR is dropped, a field is stripped and its column
is that of its first non-blank character. Cells in a plain form (ASCII digits, YYYY-MM-DD,
printable ASCII names) are typed by polars expressions; the few others go through
`records.read_base_cell`, the units module's readers, so values, statuses and messages are
the same as the record reader's.
"""

from __future__ import annotations

import re

import polars as pl

from memwall.contrib.frames import OBS_SCHEMA, ROW_SCHEMA, Contribution
from memwall.contrib.problems import ERROR, Problem
from memwall.contrib.records import (
    RAGGED,
    Located,
    _header_problems,
    _plain_record,
    read_base_cell,
)
from memwall.fields import TABLES
from memwall.identity import Identities
from memwall.rows import DERIVED, value_text
from memwall.units import INT64_MAX, NOT_APPLICABLE, UNKNOWN, VALUE, UnitError

_NOT_HERE = re.compile('["\x1c-\x1f]')
_NA = "^(?:N/?A|n/a|-|\u2014)$"
_INT = "^[0-9]{1,18}$"
_FLOAT = r"^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?$"
_DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_PRINTABLE = "^[\x20-\x7e]+$"
assert INT64_MAX > 10**18 - 1  # a run of 18 digits fits in int64


def applies(text: str) -> bool:
    """Whether the column-wise reader reads this text (else: `records.read_csv`)."""
    return _NOT_HERE.search(text) is None


def _lines(text: str) -> pl.DataFrame:
    """Non-blank lines with their 1-based numbers, a trailing CR dropped."""
    frame = (
        pl.DataFrame({"text": pl.Series([text]).str.split("\n").explode()})
        .with_row_index("line", offset=1)
        .with_columns(pl.col("line").cast(pl.Int64))
    )
    frame = frame.filter(pl.col("text").str.strip_chars().str.len_chars() > 0)
    return frame.with_columns(pl.col("text").str.strip_suffix("\r"))


def _typed(dtype: str, what: str, texts: pl.Series) -> pl.DataFrame:
    """For each distinct cell text: `value` (canonical text), `status`, and `error` (the
    unit problem's message, else null)."""
    uniq = pl.DataFrame({"raw": texts.unique()})
    raw = pl.col("raw")
    missing = pl.when(raw == "").then(pl.lit(UNKNOWN))
    if dtype != "string":  # names have no N/A (units.parse_name)
        missing = missing.when(raw.str.contains(_NA)).then(pl.lit(NOT_APPLICABLE))
    match dtype:
        case "int64":
            number = raw.str.contains(_INT).fill_null(False)
            typed = pl.when(number).then(raw.cast(pl.Int64, strict=False))
            value = pl.when(typed > 0).then(typed.cast(pl.String))
        case "float64":
            number = raw.str.contains(_FLOAT).fill_null(False)
            typed = pl.when(number).then(raw.cast(pl.Float64, strict=False))
            value = pl.when((typed > 0) & typed.is_finite()).then(typed)
        case "date":
            typed = pl.when(raw.str.contains(_DATE) & ~raw.str.starts_with("0000")).then(
                raw.str.to_date("%Y-%m-%d", strict=False)
            )
            value = pl.when(typed.is_not_null()).then(raw)
        case _:
            value = pl.when(raw.str.contains(_PRINTABLE)).then(raw)
    uniq = uniq.with_columns(
        status=missing.otherwise(pl.when(value.is_not_null()).then(pl.lit(VALUE))),
        value=pl.when(missing.is_null()).then(value),
        error=pl.lit(None, pl.String),
    )
    if dtype == "float64":  # canonical text is Python's repr of the float
        floats = uniq["value"].to_list()
        uniq = uniq.with_columns(
            value=pl.Series([None if v is None else repr(v) for v in floats], dtype=pl.String)
        )
    slow = uniq.filter(pl.col("status").is_null())
    if slow.is_empty():
        return uniq
    field = next(f for t in TABLES.values() for f in t if f.name == what)
    values, statuses, errors = [], [], []
    for text in slow["raw"].to_list():
        try:
            parsed = read_base_cell(field, text)
        except UnitError as exc:
            values.append(None)
            statuses.append(None)
            errors.append(f"{exc.message} ({exc.expected})")
            continue
        values.append(value_text(parsed.value))
        statuses.append(parsed.status)
        errors.append(None)
    fixed = pl.DataFrame(
        {"raw": slow["raw"], "value": values, "status": statuses, "error": errors},
        schema=uniq.schema,
    )
    return pl.concat([uniq.filter(pl.col("status").is_not_null()), fixed])


def read_csv_columns(
    name: str, text: str, identities: Identities, source: dict
) -> tuple[Contribution, list[Problem]]:
    """Rows and observations of a CSV without quotes (see `applies`), and its problems."""
    lines = _lines(text)
    if lines.is_empty():
        return Contribution.empty(), []
    header_line, header_text = lines.row(0)
    header = [
        Located(f.text.strip(), f.line, f.column) for f in _plain_record(header_text, header_line)
    ]
    table, problems = _header_problems(name, header)
    body = lines.slice(1).with_columns(parts=pl.col("text").str.split(","))
    body = body.with_columns(count=pl.col("parts").list.len())
    width = len(header)
    ragged = body.filter(pl.col("count") != width) if table else body
    rows = [
        ragged.select(
            path=pl.lit(name),
            line=pl.col("line"),
            table=pl.lit(table, pl.String),
            model_id=pl.lit(None, pl.String),
            model_column=pl.lit(1, pl.Int64),
            readable=pl.lit(False),
        )
    ]
    if table is not None:
        for line, line_text, count in ragged.select("line", "text", "count").iter_rows():
            fields = _plain_record(line_text, line)
            last = fields[min(count, width) - 1]
            message = RAGGED.message(count=count, width=width, advice="")
            problems.append(
                Problem(name, last.line, last.column, RAGGED.severity, RAGGED.code, message)
            )
    if table is None:
        return Contribution(rows[0], pl.DataFrame(schema=OBS_SCHEMA)), problems
    read, observations, found = _read_records(
        name, table, header, body.filter(pl.col("count") == width), identities, source
    )
    rows.append(read)
    problems += found
    all_rows = pl.concat(rows).sort("line", maintain_order=True).select(*ROW_SCHEMA)
    return Contribution(all_rows, observations), problems


def _cells(header: list[Located], records: pl.DataFrame) -> pl.DataFrame:
    """One column `<name>` (stripped text) and `<name>@` (1-based column) per header field."""
    columns = []
    start = pl.lit(1, pl.Int64)
    for i, h in enumerate(header):
        part = pl.col("parts").list.get(i)
        lead = part.str.len_chars() - part.str.strip_chars_start(" ").str.len_chars()
        columns += [part.str.strip_chars().alias(h.text), (start + lead).alias(f"{h.text}@")]
        start = start + part.str.len_chars() + 1
    return records.select(pl.col("line"), *columns)


def _read_records(
    name: str,
    table: str,
    header: list[Located],
    records: pl.DataFrame,
    identities: Identities,
    source: dict,
) -> tuple[pl.DataFrame, pl.DataFrame, list[Problem]]:
    """Rows, observations and problems of the records with as many fields as the header."""
    cells = _cells(header, records)
    problems: list[Problem] = []
    empty = cells.filter(pl.col("model") == "")
    problems += [
        Problem(name, line, column, ERROR, "missing-model", "the model cell is empty")
        for line, column in empty.select("line", "model@").iter_rows()
    ]
    names = cells.filter(pl.col("model") != "")["model"].unique()
    resolved = [identities.resolve(n) for n in names.to_list()]
    identity = pl.DataFrame(
        {
            "model": names,
            "_id": [i.model_id for i in resolved],
            "_name": [i.name for i in resolved],
        },
        schema={"model": pl.String, "_id": pl.String, "_name": pl.String},
    )
    cells = cells.join(identity, on="model", how="left", maintain_order="left")
    rows = cells.select(
        path=pl.lit(name),
        line=pl.col("line"),
        table=pl.lit(table),
        model_id=pl.col("_id"),
        model_column=pl.col("model@"),
        readable=pl.lit(True),
    )
    cells = cells.filter(pl.col("_id").is_not_null())
    columns = [h.text for h in header]
    base = {
        "table": pl.lit(table),
        "model_id": pl.col("_id"),
        "source_id": pl.lit(source["source_id"]),
        "source": pl.lit(source["source"]),
        "rank": pl.lit(source["rank"], pl.Int32),
        "corrections": pl.lit(""),
        "path": pl.lit(name),
        "row_line": pl.col("line"),
    }

    def observed(field: str, value: pl.Expr, status: pl.Expr, at: str, frame=None) -> pl.DataFrame:
        return (frame if frame is not None else cells).select(
            field=pl.lit(field),
            value=value,
            status=status,
            raw=pl.col(at),
            line=pl.col("line"),
            char=pl.col(f"{at}@"),
            column=pl.lit(field),
            **base,
        )

    if "model_id" in columns:
        given = pl.col("model_id")
        wrong = cells.filter((given != "") & (given != pl.col("_id")))
        problems += [
            Problem(
                name,
                line,
                column,
                ERROR,
                "model-id",
                f"model_id '{text}' does not match model '{model}', whose id is "
                f"'{model_id}' (slug of the name, or its entry in aliases.yaml)",
            )
            for line, column, text, model, model_id in wrong.select(
                "line", "model_id@", "model_id", "model", "_id"
            ).iter_rows()
        ]
    id_at = "model_id" if "model_id" in columns else "model"
    parts = [
        observed("model_id", pl.col("_id"), pl.lit(DERIVED), id_at),
        observed("model", pl.coalesce("_name", "model"), pl.lit(VALUE), "model"),
    ]
    fields = {f.name: f for f in TABLES[table]}
    for column in columns:
        if column in ("model", "model_id"):
            continue
        f = fields[column]
        typed = _typed(f.dtype, f.name, cells[column]).rename(
            {"raw": column, "value": "_value", "status": "_status", "error": "_error"}
        )
        joined = cells.select("line", "_id", column, f"{column}@").join(
            typed, on=column, how="left", maintain_order="left"
        )
        bad = joined.filter(pl.col("_error").is_not_null())
        problems += [
            Problem(name, line, char, ERROR, "unit", message)
            for line, char, message in bad.select("line", f"{column}@", "_error").iter_rows()
        ]
        good = joined.filter(pl.col("_error").is_null())
        parts.append(observed(column, pl.col("_value"), pl.col("_status"), column, good))
    observations = pl.concat(parts).select(*OBS_SCHEMA).sort("row_line", maintain_order=True)
    return rows, observations, problems
