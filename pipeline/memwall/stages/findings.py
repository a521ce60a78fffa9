"""Stage `findings`: consistency checks over every observation, and the findings report.

Reads interim/observations.parquet (of upstream's README versions, each cell's newest statement:
older ones are the history stage's) and interim/provenance.parquet, the findings each area stage
wrote (interim/<area>_findings.json, areas in `config.FINDING_AREAS`), the corrections registry
(the text a correction put in place of the raw one), the acceptances and params `findings` (with
`normalize.gb_basis` and `validate.latest_date`). Writes reports/findings.json,
reports/findings.md and reports/metrics/findings.json (errors and warnings, a DVC metrics file;
counts by check are in the report's summary).
Exits 1 when an error is neither corrected nor accepted, after writing the report.
Library: `memwall.checks` (the checks, `checks.cells` their input), `memwall.report`,
`memwall.metrics`.
"""

from __future__ import annotations

import json
import sys

import polars as pl

from memwall import config, stagerun
from memwall.acceptances import apply_acceptances, load_acceptances
from memwall.checks import run_checks
from memwall.checks.base import ERROR
from memwall.checks.cells import build_cells, newest_upstream
from memwall.corrections import load_registry
from memwall.metrics import findings_metrics
from memwall.report import counts, read_area_findings, render_markdown


@stagerun.guarded("findings")
def main() -> int:
    """Run the stage from the checkout's root."""
    paths = config.paths()
    params = config.check_params(config.params())
    replaced = {c.id: c.value for c in load_registry(paths.corrections) if c.value is not None}
    cells = build_cells(
        newest_upstream(pl.read_parquet(paths.interim / "observations.parquet")),
        pl.read_parquet(paths.interim / "provenance.parquet"),
        replaced,
    )
    gathered = run_checks(cells, params)
    for area in config.FINDING_AREAS:
        gathered += read_area_findings(paths.interim / f"{area}_findings.json")
    findings, unused = apply_acceptances(
        sorted(gathered, key=lambda f: f.sort_key()), load_acceptances(paths.accepted)
    )
    summary = counts(findings)
    report = {
        "summary": summary,
        "findings": [f.as_dict() for f in findings],
        "unused_acceptances": [{"code": a.code, "model_id": a.model_id} for a in unused],
    }
    paths.reports.mkdir(parents=True, exist_ok=True)
    (paths.reports / "findings.json").write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    (paths.reports / "findings.md").write_text(render_markdown(findings, summary), "utf-8")
    paths.metrics.mkdir(parents=True, exist_ok=True)
    (paths.metrics / "findings.json").write_text(
        json.dumps(findings_metrics(summary), indent=2) + "\n", "utf-8"
    )
    for a in unused:
        print(
            f"findings: warning: {paths.accepted}: acceptance {a.code} {a.model_id} matches no "
            "finding (values changed or fixed upstream?)",
            file=sys.stderr,
        )
    open_errors = [f for f in findings if f.severity == ERROR and not f.accepted]
    for f in open_errors:
        print(f"{f.sources[-1]}: error: {f.code} {f.model_id}: {f.message}", file=sys.stderr)
    print(
        f"findings: {summary['errors']} errors ({summary['unresolved_errors']} unresolved), "
        f"{summary['warnings']} warnings, {summary['infos']} info, {summary['accepted']} accepted",
        file=sys.stderr,
    )
    return 1 if open_errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
