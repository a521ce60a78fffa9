"""Stage `validate`: the gate. Schemas, row accounting and lineage back to the raw bytes.

Reads the interim outputs of parse and normalize, of hardware (table, provenance, rejects)
and of figures (points, claims, rejects), the raw files (lineage) and params
`validate.latest_date`. The published provenance (model and hardware cells,
`memwall.published_provenance`) is checked as well. Fails (exit 1) with one line per
problem, naming table, row and column; otherwise writes interim/validation.json, the
summary the export stage depends on.
Library: `memwall.validate`, `memwall.reference_gate`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import polars as pl

from memwall import config
from memwall.fields import TABLES
from memwall.figure_sources import figure_files, read_vintages
from memwall.published_provenance import published_provenance
from memwall.reference_gate import (
    figure_problems,
    hardware_problems,
    published_provenance_problems,
)
from memwall.validate import problems, summary


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
    # --- hardware and figures (issue 12) ---
    hardware = pl.read_parquet(interim / "hardware.parquet")
    hardware_prov = pl.read_parquet(interim / "hardware_provenance.parquet")
    found += hardware_problems(
        hardware,
        hardware_prov,
        pl.read_parquet(interim / "hardware_rejects.parquet"),
        latest,
        paths.root,
    )
    found += published_provenance_problems(
        published_provenance(provenance, hardware_prov, config.registered_sources())
    )
    figures = {
        name: pl.read_parquet(interim / f"{name}.parquet")
        for name in ("figure_points", "figure_claims", "figure_rejects")
    }
    found += figure_problems(
        figures["figure_points"],
        figures["figure_claims"],
        figures["figure_rejects"],
        figure_files(paths.figures_raw, read_vintages(paths.figures_readme)),
        latest,
    )
    if found:
        for p in found:
            print(f"validate: error: {p}", file=sys.stderr)
        print(f"validate: {len(found)} problem(s); nothing exported", file=sys.stderr)
        return 1
    result = summary(tables, provenance, ledger, latest)
    result["tables"] |= {
        "hardware": hardware.height,
        "figure_points": figures["figure_points"].height,
        "figure_claims": figures["figure_claims"].height,
    }
    result["rejected_figures"] = figures["figure_rejects"].height
    (interim / "validation.json").write_text(
        json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"validate: ok {result}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
