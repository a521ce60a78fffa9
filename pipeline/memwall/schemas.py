"""pandera schemas (polars backend) for the published tables, built from `fields.py`.

The gate of the pipeline and of contributions: types, nullability, ranges, uniqueness,
allowed values, date range, and paired image sizes. Imports pandera, so keep it off paths
that must start fast unless validation is what they do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandera.polars as pa
import polars as pl

from memwall.fields import PROVENANCE, TABLES, Field
from memwall.merge import polars_dtype
from memwall.rules import Rule, table_rules

PROVENANCE_STATUSES = (
    "value",
    "estimate",
    "not_applicable",
    "unknown",
    "derived",
    "absent",
    "invalid",
)


def as_check(rule: Rule) -> pa.Check:
    """A pandera check that evaluates `rule` (column rules on their column, row rules on rows)."""

    def evaluate(data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(rule.passes.fill_null(True))

    return pa.Check(evaluate, name=rule.code, error=rule.message)


def rules_schema(
    name: str,
    fields: Sequence[Field],
    rules: Sequence[Rule],
    unique: Sequence[str] | None = None,
) -> pa.DataFrameSchema:
    """A strict, ordered schema of `fields` (types, nullability, per-column uniqueness from
    fields.py) whose checks are `rules`: a rule on a field checks that column, a rule on no
    field checks rows. `unique` names a key that is unique as a whole."""
    return pa.DataFrameSchema(
        {
            f.name: pa.Column(
                polars_dtype(f),
                checks=[as_check(r) for r in rules if r.field == f.name],
                nullable=f.nullable,
                unique=f.unique,
            )
            for f in fields
        },
        checks=[as_check(r) for r in rules if r.field is None],
        unique=list(unique) if unique else None,
        strict=True,
        ordered=True,
        name=name,
    )


def table_schema(table: str, latest: dt.date) -> pa.DataFrameSchema:
    """The schema of a published table; `latest` is the newest date accepted.

    Types, nullability, uniqueness and strict column order are pandera's; every value rule
    comes from `rules.py`, the same rules `memwall validate` applies to contributions.
    """
    return rules_schema(table, TABLES[table], table_rules(table, latest))


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
        status = pl.col("status")
        computed = status.is_in(["derived", "unknown"]) & pl.col("reason").is_not_null()
        return data.lazyframe.select(
            (status == "absent") | pl.col("source").is_not_null() | computed
        )

    return pa.DataFrameSchema(
        columns,
        checks=[
            pa.Check(
                located,
                error="every non-absent cell names its raw source or why it has none",
            )
        ],
        unique=["table", "model_id", "field"],
        strict=True,
        ordered=True,
        name="provenance",
    )


def schema_problems(
    schema: pa.DataFrameSchema, frame: pl.DataFrame, id_column: str = "model_id"
) -> list[str]:
    """Every violation as 'table: model M, column C: check (value V)'; empty when valid.
    `id_column` names the row (hardware_id for the hardware table)."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = []
        ids = frame[id_column].to_list() if id_column in frame.columns else []
        noun = "model" if id_column == "model_id" else id_column.removesuffix("_id")
        for case in exc.failure_cases.iter_rows(named=True):
            index = case.get("index")
            model = ids[index] if index is not None and index < len(ids) else None
            where = f"{noun} {model!r}, " if model else ""
            if case["column"] == schema.name or case["schema_context"] == "DataFrameSchema":
                problems.append(f"{schema.name}: {where}row: {case['check']}")
                continue
            problems.append(
                f"{schema.name}: {where}column {case['column']}: {case['check']} "
                f"(value {case['failure_case']!r})"
            )
        return sorted(set(problems))
    return []
