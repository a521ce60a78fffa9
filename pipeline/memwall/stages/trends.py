"""Stage `trends`: growth rates of the paper's claims, reproduced and measured again.

Reads processed/models.parquet, Epoch AI's notable models (raw/epoch/notable_ai_models.csv)
and, when their stages have run, processed/hardware.parquet, processed/figure_points.parquet
and processed/figure_claims.parquet; params `trends` (the bootstrap) and
pipeline/memwall/data/trends.yaml (series, comparison rows, plot groups, headline). Writes
reports/trends.json (the fits), reports/growth/ (headline growth rates, the DVC metrics),
reports/trends.md (claims against reproduction against datasheets), reports/trends/fits/ (one
flat JSON per fit), reports/trends/plots/ (DVC plots CSVs), reports/trends/findings.json and
reports/trends/figures/ (SVG and PNG). Exits 2 on broken definitions or params.
Library: `memwall.trend_inputs`, `memwall.trend_report`, `memwall.trend_files`,
`memwall.metrics`.
"""

from __future__ import annotations

import sys

import polars as pl

from memwall import config, stagerun
from memwall.trend_files import write_trends
from memwall.trend_inputs import OPTIONAL_TABLES, claims_table, epoch_models, hardware_table
from memwall.trend_report import check_bootstrap, check_config, run_trends


@stagerun.guarded("trends")
def main() -> int:
    """Run the stage from the checkout's root."""
    paths = config.paths()
    params = config.trends_config()
    problems = check_config(params)
    of_params = check_bootstrap(params)
    for problem in problems:
        where = paths.params if problem in of_params else paths.trend_definitions
        print(f"trends: error: {where}: {problem}", file=sys.stderr)
    if problems:
        return 2
    tables = {
        "models": pl.read_parquet(paths.processed / "models.parquet"),
        "epoch_models": epoch_models(paths.epoch_models),
    }
    optional = {name: paths.processed / f"{name}.parquet" for name in OPTIONAL_TABLES}
    found = {name: pl.read_parquet(path) for name, path in optional.items() if path.is_file()}
    if "hardware" in found:
        tables["hardware"] = hardware_table(found["hardware"])
    if "figure_points" in found:
        tables["figure_points"] = found["figure_points"]
    claims = claims_table(found["figure_claims"]) if "figure_claims" in found else None
    result = run_trends(params, tables, claims)
    write_trends(
        result, params, paths.trends, paths.trends_markdown, paths.trends_dir, paths.growth
    )
    for finding in result.findings:
        print(f"trends: {finding.severity}: {finding.message}", file=sys.stderr)
    print(f"trends: {len(result.fits)} fits; read {paths.trends_markdown}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
