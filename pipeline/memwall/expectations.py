"""great-expectations suites of the published tables: the structure from fields.py, plus the
hand-written expectations fields.py cannot state.

fields.py says each table's columns in order, which may not be null, which are unique, which
values are allowed and the bounds of each value; those expectations are generated here, so
the quality report never restates the gate's column lists and bounds. The JSON files under
`data/expectations/` keep only the rest: plausibility ranges narrower than the schema's,
`mostly` thresholds, relations between columns, patterns.

The provenance suite is stated over `provenance_summary`, one row per table, field, status and
source (tens of rows), not over the published provenance's cell rows (one per published cell:
1.2 million with a 100,000-row contribution): the per-cell checks are the `validate` stage's
gate; GX reports what holds for each group of cells, at a cost that does not grow with them.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from memwall.fields import PROVENANCE, TABLES, Field

PUBLISHED: dict[str, tuple[Field, ...]] = {**TABLES, "provenance": PROVENANCE}


def structural(fields: tuple[Field, ...]) -> list[dict]:
    """The expectations a table's fields state: ordered columns, then per column not null,
    unique, allowed values and bounds (in fields.py order)."""
    out = [
        {
            "type": "expect_table_columns_to_match_ordered_list",
            "kwargs": {"column_list": [f.name for f in fields]},
        }
    ]
    for f in fields:
        column = {"column": f.name}
        if not f.nullable:
            out.append({"type": "expect_column_values_to_not_be_null", "kwargs": column})
        if f.unique:
            out.append({"type": "expect_column_values_to_be_unique", "kwargs": column})
        if f.allowed:
            kwargs = {**column, "value_set": list(f.allowed)}
            out.append({"type": "expect_column_values_to_be_in_set", "kwargs": kwargs})
        if f.minimum is not None or f.maximum is not None:
            bounds = {"min_value": f.minimum, "max_value": f.maximum}
            kwargs = {**column, **{k: v for k, v in bounds.items() if v is not None}}
            out.append({"type": "expect_column_values_to_be_between", "kwargs": kwargs})
    return out


SUMMARY_KEYS = ("table", "field", "status", "source")
SUMMARY_TOTALS = ("cells", "field_cells", "field_row_ids", "sourced_share")


def _summary_aggregates() -> list[tuple[str, Field, str]]:
    """(summary column, provenance field, what) for each per-cell rule fields.py states on a
    column that is not a summary key: nulls counted, bounds as the group's min or max."""
    out = []
    for f in PROVENANCE:
        if f.name in SUMMARY_KEYS:
            continue
        if not f.nullable:
            out.append((f"{f.name}_nulls", f, "nulls"))
        if f.minimum is not None:
            out.append((f"{f.name}_min", f, "min"))
        if f.maximum is not None:
            out.append((f"{f.name}_max", f, "max"))
    return out


def provenance_summary(provenance: pl.DataFrame) -> pl.DataFrame:
    """The published provenance summarised for the quality suite: one row per table, field,
    status and source (sorted, nulls last) with its `cells`, the (table, field)'s cells and
    distinct row ids (`field_cells`, `field_row_ids`: equal when no row id has a field
    twice), the table's share of cells with a source (`sourced_share`), and per-cell rules
    as aggregates (`model_id_nulls`, `line_min`, ...; see `_summary_aggregates`)."""
    what = {
        "nulls": lambda c: pl.col(c).null_count().cast(pl.Int64),
        "min": lambda c: pl.col(c).min(),
        "max": lambda c: pl.col(c).max(),
    }
    aggregates = [what[kind](f.name).alias(name) for name, f, kind in _summary_aggregates()]
    per_field = provenance.group_by("table", "field").agg(
        field_cells=pl.len().cast(pl.Int64),
        field_row_ids=pl.col("model_id").n_unique().cast(pl.Int64),
    )
    per_table = provenance.group_by("table").agg(
        sourced_share=pl.col("source").is_not_null().mean()
    )
    return (
        provenance.group_by(SUMMARY_KEYS)
        .agg(pl.len().cast(pl.Int64).alias("cells"), *aggregates)
        .join(per_field, on=["table", "field"], how="left")
        .join(per_table, on="table", how="left")
        .sort(SUMMARY_KEYS, nulls_last=True)
        .select(*SUMMARY_KEYS, *SUMMARY_TOTALS, *(n for n, _, _ in _summary_aggregates()))
    )


def summary_structural() -> list[dict]:
    """The expectations fields.py states on the provenance, over `provenance_summary`: its
    columns, keys not null where cells may not be, null counts 0, bounds on min/max."""
    columns = [*SUMMARY_KEYS, *SUMMARY_TOTALS, *(n for n, _, _ in _summary_aggregates())]
    out = [
        {"type": "expect_table_columns_to_match_ordered_list", "kwargs": {"column_list": columns}}
    ]
    by_name = {f.name: f for f in PROVENANCE}
    for key in SUMMARY_KEYS:
        f = by_name[key]
        if not f.nullable:
            out.append({"type": "expect_column_values_to_not_be_null", "kwargs": {"column": key}})
        if f.allowed:
            kwargs = {"column": key, "value_set": list(f.allowed)}
            out.append({"type": "expect_column_values_to_be_in_set", "kwargs": kwargs})
    for name, f, kind in _summary_aggregates():
        bounds = {
            "nulls": {"min_value": 0, "max_value": 0},
            "min": {"min_value": f.minimum},
            "max": {"max_value": f.maximum},
        }[kind]
        out.append(
            {"type": "expect_column_values_to_be_between", "kwargs": {"column": name, **bounds}}
        )
    return out


SUMMARIES = {"provenance": (provenance_summary, summary_structural)}


def suite_frame(name: str, table: pl.DataFrame) -> pl.DataFrame:
    """The frame the suite `name` is stated over: the table itself, or its summary."""
    return SUMMARIES[name][0](table) if name in SUMMARIES else table


def load_suites(hand_written: Path) -> dict[str, dict]:
    """One suite per published table, by name: the structural expectations, then those of
    `hand_written/<table>.json` (name, meta, expectations) when it exists."""
    suites = {}
    for name, fields in PUBLISHED.items():
        path = hand_written / f"{name}.json"
        extra = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        suites[name] = {
            "name": name,
            "meta": extra.get("meta", {"notes": f"The published {name} table."}),
            "expectations": (SUMMARIES[name][1]() if name in SUMMARIES else structural(fields))
            + extra.get("expectations", []),
        }
    return suites
