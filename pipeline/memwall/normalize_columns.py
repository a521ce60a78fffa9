"""Raw rows read column-wise: what `rows.read_row` and `conversion.convert` give, as frames.

The rows of the parse stage's cells are read together by polars: identities by
`Identities.resolve_all`, each distinct (layout, column, text) by the units module once
(`readings`), unit conventions once per distinct (version, layout, field, status, value).
Only rows whose reading differs from that are left to `rows.read_row`, one at a time: a row
a correction may touch (its Model text is one a correction of its table and source names),
a row with an empty Model cell and a row with a cell the units module refuses (the row
reader words their errors and rejections).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from memwall.conventions import Convention
from memwall.conversion import convert
from memwall.merge import OBSERVATION_SCHEMA
from memwall.rows import DERIVED, RowContext, value_text
from memwall.tablekinds import HISTORIC_KINDS, KINDS, Column, read_cell
from memwall.units import VALUE, UnitError
from memwall.units_columns import read_plain

KINDS_BY_NAME = {k.name: k for k in KINDS + HISTORIC_KINDS}
READINGS_SCHEMA = {
    "text": pl.String,
    "_field": pl.String,
    "_sub": pl.Int64,
    "_value": pl.String,
    "_status": pl.String,
    "_error": pl.String,
}
_READ_SCHEMA = {"kind": pl.String, "column": pl.String, **READINGS_SCHEMA}
ROW_KEY = ["source_id", "line"]
# The observation columns a row read here fills before `_converted` (in this order).
OBSERVED = (
    "table", "model_id", "field", "value", "status", "raw", "source_id", "source", "rank",
    "line", "char", "column", "corrections", "version", "commit", "kind",
)  # fmt: skip


def reading_observed() -> dict[str, pl.Expr]:
    """The observation columns a reading gives a cell it was joined to (the cell's `text`,
    `line`, `char`): field, value, status, raw text and position."""
    return {
        "field": pl.col("_field"),
        "value": pl.col("_value"),
        "status": pl.col("_status"),
        "raw": pl.col("text"),
        "line": pl.col("line"),
        "char": pl.col("char"),
    }


def readings(column: Column, texts: pl.Series, gb_basis: int) -> pl.DataFrame:
    """Each distinct text of a column read once: one row per field it fills (`_field`,
    `_sub` its order, `_value` canonical text, `_status`), or one row with `_error`. Plain
    numbers are read column-wise (`units_columns`), the other texts by `read_cell`."""
    texts = texts.unique()
    plain = read_plain(column.reader, texts)
    rows = []
    for text in texts.filter(~texts.is_in(plain["text"].implode())).to_list():
        try:
            parsed = read_cell(column, text, gb_basis)
        except UnitError as exc:
            rows.append((text, None, 0, None, None, f"{exc.message} ({exc.expected})"))
            continue
        values = parsed.value if isinstance(parsed.value, dict) else {column.field: parsed.value}
        for sub, (field, value) in enumerate(values.items()):
            rows.append((text, field, sub, value_text(value), parsed.status, None))
    read = plain.select(
        "text",
        _field=pl.lit(column.field),
        _sub=pl.lit(0, pl.Int64),
        _value="value",
        _status=pl.lit(VALUE),
        _error=pl.lit(None, pl.String),
    )
    return pl.concat([read, pl.DataFrame(rows, schema=READINGS_SCHEMA, orient="row")])


@dataclass
class ColumnRows:
    """Rows read column-wise: `observations` (OBSERVATION_SCHEMA's columns), `kept` (the
    ledger columns of those rows), and `rest`: the cells of the rows left to `read_row`."""

    observations: pl.DataFrame
    kept: pl.DataFrame
    rest: pl.DataFrame


def read_rows_columns(
    cells: pl.DataFrame, ctx: RowContext, conventions: Sequence[Convention]
) -> ColumnRows:
    """The rows of `cells` (the parse stage's frame) read column-wise (see the module)."""
    if "version" not in cells.columns:
        cells = cells.with_columns(version=pl.lit(None, pl.Int32), commit=pl.lit(None, pl.String))
    columns = cells["column"].unique().to_list()
    is_model = pl.col("column").is_in([c for c in columns if c.casefold() == "model"])
    kinds = {n: (k.table, k.domain) for n, k in KINDS_BY_NAME.items()}
    rows = cells.filter(is_model).select(
        *ROW_KEY,
        "source",
        "rank",
        "kind",
        "header_line",
        "header_text",
        "version",
        "commit",
        model=pl.col("text"),
        model_char=pl.col("char"),
        model_column=pl.col("column"),
        table=pl.col("kind").replace_strict({n: t for n, (t, _) in kinds.items()}),
        domain=pl.col("kind").replace_strict(
            {n: d for n, (_, d) in kinds.items()}, return_dtype=pl.String
        ),
    )
    ranks = rows.select("source_id", "rank").unique()
    if ranks.height != ranks["source_id"].n_unique():  # as `normalize._raw_rows` requires
        raise ValueError("a source's rows carry more than one rank; rank is per source")
    values = cells.filter(~is_model).select(*ROW_KEY, "kind", "column", "text", "char")
    read = [_read_column(values, kind, column, ctx.gb_basis) for kind, column in _pairs(values)]
    values = values.join(
        pl.concat(read) if read else pl.DataFrame(schema=_READ_SCHEMA),
        on=["kind", "column", "text"],
        how="left",
    )
    slow = pl.concat(
        [
            rows.filter(pl.col("model") == "").select(ROW_KEY),
            rows.join(
                _touched(rows.select("source_id", "kind").unique(), ctx),
                on=["source_id", "kind", "model"],
                how="semi",
            ).select(ROW_KEY),
            values.filter(pl.col("_error").is_not_null()).select(ROW_KEY),
        ]
    ).unique()
    rest = cells.join(slow, on=ROW_KEY, how="semi")
    rows = rows.join(slow, on=ROW_KEY, how="anti")
    identity = ctx.identities.resolve_all(rows["model"]).rename(
        {"name": "model", "model_id": "_id", "display": "_name"}
    )
    rows = rows.join(identity, on="model", how="left")
    common = {
        "table": pl.col("table"),
        "model_id": pl.col("_id"),
        "source_id": pl.col("source_id"),
        "source": pl.col("source"),
        "rank": pl.col("rank"),
        "corrections": pl.lit(""),
        "version": pl.col("version"),
        "commit": pl.col("commit"),
        "kind": pl.col("kind"),
    }
    model = {
        "raw": pl.col("model"),
        "line": pl.col("line"),
        "char": pl.col("model_char"),
        "column": pl.col("model_column"),
    }
    parts = [
        rows.select(
            field=pl.lit("model_id"),
            value=pl.col("_id"),
            status=pl.lit(DERIVED),
            **model,
            **common,
        ),
        rows.filter(pl.col("domain").is_not_null() & (pl.col("domain") != "")).select(
            field=pl.lit("domain"),
            value=pl.col("domain"),
            status=pl.lit(DERIVED),
            raw=pl.col("header_text"),
            line=pl.col("header_line").cast(pl.Int64),
            char=pl.lit(1, pl.Int64),
            column=pl.lit(""),
            **common,
        ),
        rows.select(
            field=pl.lit("model"),
            value=pl.when(pl.col("_name") != "").then("_name").otherwise("model"),
            status=pl.lit("value"),
            **model,
            **common,
        ),
        values.join(rows.drop("kind"), on=ROW_KEY, how="inner").select(
            **reading_observed(), column=pl.col("column"), **common
        ),
    ]
    observations = _converted(
        pl.concat(
            [p.select(pl.col(k).cast(OBSERVATION_SCHEMA[k]) for k in OBSERVED) for p in parts]
        ),
        conventions,
    )
    kept = rows.select("source_id", "source", "line", "table", "kind", "rank", model_id="_id")
    return ColumnRows(observations, kept, rest)


def _pairs(values: pl.DataFrame) -> list[tuple[str, str]]:
    """The distinct (kind, column) pairs of the value cells, in a stable order."""
    return values.select("kind", "column").unique().sort("kind", "column").rows()


def _read_column(values: pl.DataFrame, kind: str, column: str, gb_basis: int) -> pl.DataFrame:
    """`readings` of the distinct texts of one column of one layout."""
    texts = values.filter((pl.col("kind") == kind) & (pl.col("column") == column))["text"]
    read = readings(KINDS_BY_NAME[kind].column(column), texts, gb_basis)
    return read.select(pl.lit(kind).alias("kind"), pl.lit(column).alias("column"), *READINGS_SCHEMA)


def _touched(pairs: pl.DataFrame, ctx: RowContext) -> pl.DataFrame:
    """(source_id, kind, model): the Model texts a correction may touch in each source's
    layout (`Correction.matches_row` before its guard)."""
    rows = [
        (source_id, kind, c.model)
        for source_id, kind in pairs.rows()
        for c in ctx.corrections
        if c.table in (kind, KINDS_BY_NAME[kind].table)
        and (c.source is None or c.source == source_id)
    ]
    return pl.DataFrame(
        rows, schema={"source_id": pl.String, "kind": pl.String, "model": pl.String}, orient="row"
    ).unique()


def _converted(observations: pl.DataFrame, conventions: Sequence[Convention]) -> pl.DataFrame:
    """`conversion.convert` of every observation, once per distinct (version, kind, field,
    status, value) of an upstream version: `value` in today's units, `printed`,
    `conventions`. Only the observations of upstream versions are gathered; the value and
    conventions columns take their results by position (the other columns are not copied)."""
    key = ["version", "kind", "field", "status", "value"]
    at = observations.select(pl.arg_where(pl.col("version").is_not_null())).to_series()
    mine = observations.select(key)[at]
    done: dict[tuple, tuple[str | None, str]] = {}
    for version, kind, field, status, value in mine.unique().rows():
        obs = {"field": field, "status": status, "value": value}
        out = convert(obs, KINDS_BY_NAME[kind], version, conventions)
        done[(version, kind, field, status, value)] = (out["value"], out["conventions"])
    results = [done[k] for k in mine.rows()]
    printed = observations["value"]
    value, applied = printed, pl.repeat("", observations.height, dtype=pl.String, eager=True)
    if results:
        value = value.clone().scatter(at, pl.Series([v for v, _ in results], dtype=pl.String))
        applied = applied.scatter(at, pl.Series([c for _, c in results], dtype=pl.String))
    return observations.with_columns(value=value, printed=printed, conventions=applied)
