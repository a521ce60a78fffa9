"""Stage `history`: every upstream README version, cell by cell, and how each cell changed.

Reads interim/observations.parquet (every version's cells, read once by parse and normalize,
stamped with version and commit, in today's units), interim/cells.parquet (which version has
which table), interim/parse_rejects.parquet and interim/ledger.parquet (rows left out, with
reasons), raw/upstream/index.csv (commit, time and subject of each version), the unit
conventions registry and params `history`. Writes processed/history.{parquet,json,csv},
interim/history_rejects.parquet, interim/history_findings.json and
reports/upstream_history.md.
Library: `memwall.history_build`, `memwall.history_checks`, `memwall.history_render`.
"""

from __future__ import annotations

import sys

import polars as pl

from memwall import config, stagerun
from memwall.conventions import load_conventions
from memwall.history_build import history_from_interim, published_history
from memwall.history_checks import history_findings
from memwall.history_findings import as_findings
from memwall.history_parse import load_versions
from memwall.history_render import upstream_history_markdown
from memwall.report import write_area_findings
from memwall.writers import write_table


@stagerun.guarded("history")
def main() -> int:
    """Run the stage from the checkout's root."""
    paths = config.paths()
    shift = config.stage_params("history")["unit_shift"]
    interim = paths.interim
    versions = load_versions(paths.upstream_index, paths.upstream_index.parent.as_posix())
    history, rejects, tables = history_from_interim(
        pl.read_parquet(interim / "observations.parquet"),
        pl.read_parquet(interim / "cells.parquet"),
        pl.read_parquet(interim / "parse_rejects.parquet"),
        pl.read_parquet(interim / "ledger.parquet"),
        versions,
    )
    conventions = load_conventions(paths.unit_conventions, paths.unit_conventions_schema)
    found = history_findings(
        history,
        tables,
        conventions,
        min_models=int(shift["min_models"]),
        min_fraction=float(shift["min_fraction"]),
        rel_tol=float(shift["rel_tol"]),
    )
    paths.processed.mkdir(parents=True, exist_ok=True)
    write_table(published_history(history), paths.processed, "history", ("parquet", "json", "csv"))
    rejects.write_parquet(interim / "history_rejects.parquet")
    write_area_findings(as_findings(found, versions, tables), paths.history_findings)
    paths.reports.mkdir(parents=True, exist_ok=True)
    (paths.reports / "upstream_history.md").write_text(
        upstream_history_markdown(history, versions), encoding="utf-8"
    )
    print(
        f"history: {history.height} rows over {len(versions)} versions, {rejects.height} "
        f"rejected rows, {found.height} findings",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
