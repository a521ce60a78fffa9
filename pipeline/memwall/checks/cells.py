"""The cells frame the consistency checks read, built from the normalize stage's outputs.

One row per observation (superseded ones too) with its number, the half unit of its printed
precision and whether it is the published value (see `checks.base.CELLS_SCHEMA`).
"""

from __future__ import annotations

import polars as pl

from memwall.checks.base import CELLS_SCHEMA, half_unit

_KEY = ["table", "model_id", "field", "source", "line", "char"]


def build_cells(
    observations: pl.DataFrame, provenance: pl.DataFrame, replaced: dict[str, str]
) -> pl.DataFrame:
    """The cells frame (see `checks.base`) from observations and the published provenance.

    `replaced` maps the ids of override/rename corrections to the text they put in place,
    so that rounding is read from the text actually used.
    """
    chosen = provenance.filter(pl.col("source").is_not_null()).select(_KEY).unique()
    obs = observations.join(
        chosen.with_columns(published=pl.lit(True)), on=_KEY, how="left"
    ).with_columns(pl.col("published").fill_null(False))
    rows = []
    for r in obs.iter_rows(named=True):
        text = r["raw"]
        for cid in filter(None, (r["corrections"] or "").split(",")):
            text = replaced.get(cid, text)
        number = None
        if r["status"] in ("value", "estimate") and r["value"] is not None:
            try:
                number = float(r["value"])
            except ValueError:
                number = None
        rows.append(
            {
                "table": r["table"],
                "model_id": r["model_id"],
                "field": r["field"],
                "value": r["value"],
                "number": number,
                "half": half_unit(text, number),
                "status": r["status"],
                "text": text,
                "at": f"{r['source']}:{r['line']}:{r['char']}",
                "published": r["published"],
            }
        )
    return pl.DataFrame(rows, schema=CELLS_SCHEMA, orient="row").sort(
        "table", "model_id", "field", "at"
    )


def newest_upstream(observations: pl.DataFrame) -> pl.DataFrame:
    """The observations the consistency checks read: every observation of a source that is
    not an upstream README version, and of upstream's versions only each cell's newest
    statement (a blank where no version states it). What upstream printed before and how
    it changed is the history stage's subject (`memwall.history_checks`), not a conflict
    between sources."""
    upstream = pl.col("version").is_not_null()
    stated = pl.col("status") != "unknown"
    newest = (
        observations.filter(upstream)
        .with_columns(stated.alias("_stated"))
        .sort("table", "model_id", "field", "_stated", "version", "line")
        .group_by("table", "model_id", "field", maintain_order=True)
        .last()
        .drop("_stated")
    )
    return pl.concat([observations.filter(~upstream), newest]).sort(
        "table", "model_id", "field", "rank", "line"
    )
