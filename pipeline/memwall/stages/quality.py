"""Stage `quality`: the great-expectations report over the exported tables, for people.

Reads processed/{models,memory,provenance}.parquet (provenance as its summary by table,
field, status and source), the suites (generated from fields.py, plus the hand-written
data/expectations/*.json), raw/sources.yaml (the newest commit time of the sources is the
run time the Data Docs show) and params `validate.latest_date`. Writes reports/quality.json
(expectations met per suite, for the site), reports/metrics/quality.json (expectations passed
and not met, a DVC metrics file) and the Data Docs site reports/data_docs/.
Library: `memwall.expectations` (the suites), `memwall.quality` (GX run, Data Docs),
`memwall.metrics`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys

import polars as pl

from memwall import config, stagerun
from memwall.expectations import load_suites, suite_frame
from memwall.metrics import quality_metrics
from memwall.quality import run_quality


@stagerun.guarded("quality")
def main() -> int:
    """Run the stage from the checkout's root."""
    paths = config.paths()
    latest = str(config.stage_params("validate")["latest_date"])
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    suites = load_suites(paths.expectations)
    tables = {
        name: suite_frame(name, pl.read_parquet(paths.processed / f"{name}.parquet"))
        for name in suites
    }
    # The Data Docs show the data's "as of" (newest raw source commit) as their run time.
    as_of = config.catalog().as_of() or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    summary = run_quality(tables, suites, paths.data_docs, {"latest_year": int(latest[:4])}, as_of)
    (paths.reports / "quality.json").write_text(
        json.dumps(summary, indent=2, sort_keys=True) + "\n", "utf-8"
    )
    paths.metrics.mkdir(parents=True, exist_ok=True)
    (paths.metrics / "quality.json").write_text(
        json.dumps(quality_metrics(summary), indent=2) + "\n", "utf-8"
    )
    for name, s in summary.items():
        print(
            f"quality: {name}: {s['passed']}/{s['expectations']} expectations met"
            + (f"; failed: {', '.join(s['failed'])}" if s["failed"] else ""),
            file=sys.stderr,
        )
    print(f"quality: Data Docs at {paths.data_docs / 'index.html'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
