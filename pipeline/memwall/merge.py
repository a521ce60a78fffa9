"""Merge observations from every source into one typed row per model, newest source first.

For each (table, model_id, field) the chosen observation is the one from the newest source
that states something (a value, an estimate or N/A); a blank is used only when no source
states anything. The chosen observations are the provenance of the published cells.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from memwall.fields import TABLES, Field

ABSENT = "absent"
UNKNOWN = "unknown"

OBSERVATION_SCHEMA = {
    "table": pl.String,
    "model_id": pl.String,
    "field": pl.String,
    "value": pl.String,
    "status": pl.String,
    "raw": pl.String,
    "source_id": pl.String,
    "source": pl.String,
    "rank": pl.Int32,
    "line": pl.Int64,
    "char": pl.Int64,
    "column": pl.String,
    "corrections": pl.String,
    # Upstream README version and commit of the source (null for other sources), the table
    # layout read, the canonical text as that version printed it (before unit conventions),
    # and the unit conventions applied (data/unit_conventions.yaml ids, comma-joined).
    "version": pl.Int32,
    "commit": pl.String,
    "kind": pl.String,
    "printed": pl.String,
    "conventions": pl.String,
}
PROVENANCE_COLUMNS = [
    "table",
    "model_id",
    "field",
    "value",
    "status",
    "raw",
    "source",
    "source_id",
    "line",
    "char",
    "column",
    "corrections",
]
_DTYPES = {
    "string": pl.String,
    "int64": pl.Int64,
    "float64": pl.Float64,
    "date": pl.Date,
    "boolean": pl.Boolean,
    "datetime": pl.Datetime("us", "UTC"),
}
_SORT_KEYS = {"models": ["published", "model_id"], "memory": ["year", "model_id"]}


def polars_dtype(f: Field) -> pl.DataType:
    """The polars type of a dictionary field."""
    return _DTYPES[f.dtype]


def cast_value(text: str | None, f: Field) -> object:
    """An observation's canonical text -> the typed value of field `f`."""
    if text is None:
        return None
    match f.dtype:
        case "int64":
            return int(text)
        case "float64":
            return float(text)
        case "date":
            return dt.date.fromisoformat(text)
    return text


def choose(observations: pl.DataFrame) -> pl.DataFrame:
    """One observation per (table, model_id, field): newest stated, else newest blank."""
    return (
        observations.with_columns(stated=pl.col("status") != UNKNOWN)
        .sort(["table", "model_id", "field", "stated", "rank", "line"])
        .group_by(["table", "model_id", "field"], maintain_order=True)
        .last()
        .drop("stated")
    )


def inherit_domain(chosen: pl.DataFrame) -> pl.DataFrame:
    """Give each memory row the domain of its model in the models table (same model_id).

    The memory table states no domain: its rows take the models table's chosen observation
    (raw evidence: that table's header), relabelled `memory`. A memory row whose model has no
    models row keeps what it states itself (a `domain` correction), or none.
    """
    has = chosen.filter((pl.col("table") == "memory") & (pl.col("field") == "domain"))
    memory_ids = chosen.filter(pl.col("table") == "memory").select("model_id").unique()
    inherited = (
        chosen.filter((pl.col("table") == "models") & (pl.col("field") == "domain"))
        .join(memory_ids, on="model_id")
        .join(has.select("model_id"), on="model_id", how="anti")
        .with_columns(table=pl.lit("memory"))
    )
    return pl.concat([chosen, inherited]).sort(["table", "model_id", "field"], maintain_order=True)


def build_table(table: str, chosen: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The published table and its provenance (one row per cell, `absent` where no source)."""
    fields = TABLES[table]
    mine = chosen.filter(pl.col("table") == table)
    model_ids = sorted(mine["model_id"].unique().to_list())
    found = {(r["model_id"], r["field"]): r for r in mine.iter_rows(named=True)}
    columns: dict[str, list] = {f.name: [] for f in fields}
    provenance: list[dict] = []
    for model_id in model_ids:
        for f in fields:
            record = found.get((model_id, f.name))
            if record is None:
                record = dict.fromkeys(OBSERVATION_SCHEMA)
                record.update(
                    table=table, model_id=model_id, field=f.name, status=ABSENT, corrections=""
                )
            value = cast_value(record["value"], f)
            columns[f.name].append(value)
            provenance.append({k: record[k] for k in PROVENANCE_COLUMNS})
    frame = pl.DataFrame(columns, schema={f.name: polars_dtype(f) for f in fields}).sort(
        _SORT_KEYS[table], nulls_last=True
    )
    order = {m: i for i, m in enumerate(frame["model_id"].to_list())}
    field_order = {f.name: i for i, f in enumerate(fields)}
    provenance.sort(key=lambda r: (order[r["model_id"]], field_order[r["field"]]))
    prov = pl.DataFrame(
        provenance, schema={k: OBSERVATION_SCHEMA[k] for k in PROVENANCE_COLUMNS}, orient="row"
    ).with_columns(reason=pl.lit(None, pl.String))  # only hardware cells carry a reason
    return frame, prov


def merge(observations: pl.DataFrame) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """All published tables and the provenance of every one of their cells."""
    chosen = inherit_domain(choose(observations))
    tables: dict[str, pl.DataFrame] = {}
    provenances = []
    for table in TABLES:
        tables[table], prov = build_table(table, chosen)
        provenances.append(prov)
    return tables, pl.concat(provenances)
