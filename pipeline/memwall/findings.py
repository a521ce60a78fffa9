"""Stage `findings`: consistency checks over every observation, and the findings report.

Load: the interim observations and provenance, the corrections registry (for the text a
correction put in place of the raw one) and the acceptances. Process: build the cells frame,
run every check (`memwall.checks`), mark accepted findings. Save: `findings.json`,
`findings.md` and a metrics file of counts by check and severity. Exits 1 when an error is
neither corrected nor accepted, after writing the report.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import polars as pl

from memwall.acceptances import apply_acceptances, load_acceptances
from memwall.checks import CHECKS, run_checks
from memwall.checks.base import CELLS_SCHEMA, ERROR, SEVERITIES, Finding, half_unit
from memwall.corrections import load_registry
from memwall.markdown import table_row

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


def params_from_yaml(doc: dict) -> dict:
    """The checks' thresholds from a parsed params.yaml, as the stage receives them."""
    thresholds = doc["findings"]
    return {
        "gb_basis": int(doc["normalize"]["gb_basis"]),
        "bytes_per_param": float(thresholds["bytes_per_param"]),
        "optimizer_ratios": [float(r) for r in str(thresholds["optimizer_ratios"]).split()],
        "inference_ratio_min": float(thresholds["inference_ratio_min"]),
        "inference_ratio_max": float(thresholds["inference_ratio_max"]),
        "copy_min_identical": int(thresholds["copy_min_identical"]),
        "earliest_date": str(thresholds["earliest_date"]),
        "latest_date": str(doc["validate"]["latest_date"]),
        "year_tolerance": int(thresholds["year_tolerance"]),
    }


def counts(findings: list[Finding]) -> dict:
    """Counts by severity, by check and severity, accepted and unresolved errors.

    Keys are plural ("errors"): `dvc metrics show` takes any key named "error" for a
    failure to load the file.
    """
    plural = {s: f"{s}s" if s != "info" else "infos" for s in SEVERITIES}
    by_check: dict[str, dict[str, int]] = {code: {"total": 0} for code in CHECKS}
    for f in findings:
        by_check[f.code]["total"] += 1
        key = plural[f.severity]
        by_check[f.code][key] = by_check[f.code].get(key, 0) + 1
    return {
        "total": len(findings),
        **{plural[s]: sum(1 for f in findings if f.severity == s) for s in SEVERITIES},
        "accepted": sum(1 for f in findings if f.accepted),
        "unresolved_errors": sum(1 for f in findings if f.severity == ERROR and not f.accepted),
        "by_check": by_check,
    }


def render_markdown(findings: list[Finding], summary: dict) -> str:
    """A readable report: counts, then one section per finding."""
    lines = [
        "# Findings",
        "",
        "Consistency checks over every value of every source (`memwall.findings`).",
        f"{summary['total']} findings: {summary['errors']} errors, {summary['warnings']} "
        f"warnings, {summary['infos']} info; {summary['accepted']} accepted, "
        f"{summary['unresolved_errors']} unresolved errors.",
        "",
        "| check | error | warning | info |",
        "|---|---|---|---|",
    ]
    for code, c in summary["by_check"].items():
        lines.append(
            table_row((f"`{code}`", c.get("errors", 0), c.get("warnings", 0), c.get("infos", 0)))
        )
    for f in findings:
        status = " (accepted)" if f.accepted else ""
        lines += ["", f"## {f.severity}{status}: `{f.code}` {f.model_id}", "", f.message, ""]
        lines.append(f"- fields: {', '.join(f.fields)}")
        lines.append(f"- expected: {f.expected}")
        lines += [f"- `{where}`: `{text}`" for where, text in sorted(f.observed.items())]
        lines += [f"- source: `{s}`" for s in f.sources]
        if f.accepted:
            lines.append(f"- accepted: {f.accepted['reason']} Evidence: {f.accepted['evidence']}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the stage with the paths and thresholds dvc.yaml passes."""
    ap = argparse.ArgumentParser(prog="memwall.findings", description=__doc__)
    ap.add_argument("--interim", type=Path, required=True)
    ap.add_argument("--corrections", type=Path, required=True)
    ap.add_argument("--accepted", type=Path, required=True)
    ap.add_argument("--gb-basis", type=int, required=True)
    ap.add_argument("--bytes-per-param", type=float, required=True)
    ap.add_argument("--optimizer-ratios", type=float, nargs="+", required=True)
    ap.add_argument("--inference-ratio-min", type=float, required=True)
    ap.add_argument("--inference-ratio-max", type=float, required=True)
    ap.add_argument("--copy-min-identical", type=int, required=True)
    ap.add_argument("--earliest-date", required=True)
    ap.add_argument("--latest-date", required=True)
    ap.add_argument("--year-tolerance", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True, help="findings.json")
    ap.add_argument("--markdown", type=Path, required=True)
    ap.add_argument("--metrics", type=Path, required=True)
    args = ap.parse_args(argv)
    params = {k: v for k, v in vars(args).items() if not isinstance(v, Path)}
    replaced = {c.id: c.value for c in load_registry(args.corrections) if c.value is not None}
    cells = build_cells(
        pl.read_parquet(args.interim / "observations.parquet"),
        pl.read_parquet(args.interim / "provenance.parquet"),
        replaced,
    )
    findings, unused = apply_acceptances(run_checks(cells, params), load_acceptances(args.accepted))
    summary = counts(findings)
    report = {
        "summary": summary,
        "findings": [f.as_dict() for f in findings],
        "unused_acceptances": [{"code": a.code, "model_id": a.model_id} for a in unused],
    }
    for path in (args.out, args.markdown, args.metrics):
        path.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    args.markdown.write_text(render_markdown(findings, summary), encoding="utf-8")
    args.metrics.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    for a in unused:
        print(
            f"findings: warning: {args.accepted}: acceptance {a.code} {a.model_id} matches no "
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
