"""pandera schemas (polars backend) for the published tables, built from `fields.py`.

The gate of the pipeline and of contributions: types, nullability, ranges, uniqueness,
allowed values, date range, and paired image sizes. Imports pandera, so keep it off paths
that must start fast unless validation is what they do.
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl

from memwall.fields import PROVENANCE, TABLES, Field
from memwall.merge import polars_dtype

EARLIEST_DATE = dt.date(1990, 1, 1)
PROVENANCE_STATUSES = ("value", "estimate", "not_applicable", "unknown", "derived", "absent")


def _checks(f: Field, latest: dt.date) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if f.minimum is not None:
        checks.append(pa.Check.ge(f.minimum))
    if f.maximum is not None:
        checks.append(pa.Check.le(f.maximum))
    if f.allowed:
        checks.append(pa.Check.isin(list(f.allowed)))
    if f.dtype == "date":
        checks.append(pa.Check.in_range(EARLIEST_DATE, latest))
    if f.name == "year":
        checks.append(pa.Check.le(latest.year))
    if f.dtype == "string" and not f.nullable:
        checks.append(pa.Check.str_length(min_value=1))
    return checks


def _image_size_paired(data: pa.PolarsData) -> pl.LazyFrame:
    height, width = pl.col("input_height"), pl.col("input_width")
    return data.lazyframe.select(height.is_null() == width.is_null())


def table_schema(table: str, latest: dt.date) -> pa.DataFrameSchema:
    """The schema of a published table; `latest` is the newest date accepted."""
    fields = TABLES[table]
    return pa.DataFrameSchema(
        {
            f.name: pa.Column(
                polars_dtype(f), checks=_checks(f, latest), nullable=f.nullable, unique=f.unique
            )
            for f in fields
        },
        checks=[pa.Check(_image_size_paired, error="input_height and input_width come in pairs")],
        strict=True,
        ordered=True,
        name=table,
    )


def provenance_schema() -> pa.DataFrameSchema:
    """Schema of provenance: one row per published cell, located in a raw file unless absent."""
    columns = {
        f.name: pa.Column(
            polars_dtype(f),
            nullable=f.nullable,
            checks=[pa.Check.ge(f.minimum)] if f.minimum is not None else [],
        )
        for f in PROVENANCE
    }
    columns["status"] = pa.Column(pl.String, checks=pa.Check.isin(list(PROVENANCE_STATUSES)))

    def located(data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col("status") == "absent") | pl.col("source").is_not_null()
        )

    return pa.DataFrameSchema(
        columns,
        checks=[pa.Check(located, error="every non-absent cell names its raw source")],
        unique=["table", "model_id", "field"],
        strict=True,
        ordered=True,
        name="provenance",
    )


def schema_problems(schema: pa.DataFrameSchema, frame: pl.DataFrame) -> list[str]:
    """Every violation as 'table: model M, column C: check (value V)'; empty when valid."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = []
        ids = frame["model_id"].to_list() if "model_id" in frame.columns else []
        for case in exc.failure_cases.iter_rows(named=True):
            index = case.get("index")
            model = ids[index] if index is not None and index < len(ids) else None
            where = f"model {model!r}, " if model else ""
            if case["column"] == schema.name or case["schema_context"] == "DataFrameSchema":
                problems.append(f"{schema.name}: {where}row: {case['check']}")
                continue
            problems.append(
                f"{schema.name}: {where}column {case['column']}: {case['check']} "
                f"(value {case['failure_case']!r})"
            )
        return sorted(set(problems))
    return []
