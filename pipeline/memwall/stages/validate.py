"""Stage `validate`: the gate. Schemas, row accounting and lineage back to the raw bytes.

Reads the interim outputs of parse and normalize, the raw files (lineage) and params
`validate.latest_date`. Fails (exit 1) with one line per problem, naming table, model and
column; otherwise writes interim/validation.json, the summary the export stage depends on.
Library: `memwall.validate`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import polars as pl

from memwall import config, stagerun
from memwall.fields import TABLES
from memwall.validate import problems, summary


@stagerun.guarded("validate")
def main() -> int:
    """Run the stage from the checkout's root."""
    paths = config.paths()
    latest = dt.date.fromisoformat(str(config.stage_params("validate")["latest_date"]))
    interim = paths.interim
    tables = {name: pl.read_parquet(interim / f"{name}.parquet") for name in TABLES}
    provenance = pl.read_parquet(interim / "provenance.parquet")
    ledger = pl.read_parquet(interim / "ledger.parquet")
    found = problems(
        tables,
        provenance,
        pl.read_parquet(interim / "cells.parquet"),
        pl.read_parquet(interim / "parse_rejects.parquet"),
        ledger,
        latest,
        paths.root,
    )
    if found:
        for p in found:
            print(f"validate: error: {p}", file=sys.stderr)
        print(f"validate: {len(found)} problem(s); nothing exported", file=sys.stderr)
        return 1
    result = summary(tables, provenance, ledger, latest)
    (interim / "validation.json").write_text(
        json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"validate: ok {result}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
