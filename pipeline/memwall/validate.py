"""Stage `validate`: the gate. Schemas, row accounting and lineage back to the raw bytes.

Fails (exit 1) with one line per problem, naming table, model and column, when:
- a published table or provenance breaks its pandera schema;
- a raw data row is neither kept nor rejected with a reason, or is counted twice;
- a provenance row does not point at a raw line that holds its original text.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import polars as pl

from memwall.fields import TABLES
from memwall.schemas import provenance_schema, schema_problems, table_schema


def accounting_problems(
    cells: pl.DataFrame,
    parse_rejects: pl.DataFrame,
    ledger: pl.DataFrame,
    tables: dict[str, pl.DataFrame],
) -> list[str]:
    """Every raw row read by parse is in the ledger exactly once; kept rows reach a table."""
    problems = []
    seen = pl.concat(
        [cells.select("source_id", "line").unique(), parse_rejects.select("source_id", "line")]
    ).with_columns(pl.col("line").cast(pl.Int32))
    ledger_keys = ledger.select("source_id", "line")
    dupes = ledger_keys.filter(ledger_keys.is_duplicated()).unique().sort(["source_id", "line"])
    problems += [f"ledger: {r['source_id']}:{r['line']} counted twice" for r in dupes.to_dicts()]
    missing = seen.join(ledger_keys, on=["source_id", "line"], how="anti").sort("source_id", "line")
    problems += [
        f"ledger: {r['source_id']}:{r['line']} neither kept nor rejected"
        for r in missing.to_dicts()
    ]
    unexplained = ledger.filter((pl.col("outcome") == "rejected") & pl.col("reason").is_null())
    problems += [
        f"ledger: {r['source_id']}:{r['line']} rejected without a reason"
        for r in unexplained.to_dicts()
    ]
    for name, table in tables.items():
        kept = ledger.filter((pl.col("outcome") == "kept") & (pl.col("table") == name))
        lost = kept.join(table.select("model_id"), on="model_id", how="anti")
        problems += [
            f"{name}: kept row {r['source_id']}:{r['line']} ({r['model_id']}) is missing"
            for r in lost.to_dicts()
        ]
        orphans = table.select("model_id").join(kept, on="model_id", how="anti")
        problems += [f"{name}: model {r['model_id']!r} has no raw row" for r in orphans.to_dicts()]
    return problems


def lineage_problems(provenance: pl.DataFrame, root: Path) -> list[str]:
    """Each located provenance row's raw text is found at its line and column in the file."""
    problems = []
    files: dict[str, list[str]] = {}
    for r in provenance.filter(pl.col("source").is_not_null()).iter_rows(named=True):
        if r["source"] not in files:
            text = (root / r["source"]).read_text(encoding="utf-8-sig")
            files[r["source"]] = [ln.rstrip("\r") for ln in text.split("\n")]
        lines = files[r["source"]]
        where = (
            f"provenance: {r['table']} {r['model_id']!r} {r['field']}: {r['source']}:{r['line']}"
        )
        if not 1 <= r["line"] <= len(lines):
            problems.append(f"{where}: no such line")
            continue
        line = lines[r["line"] - 1]
        if r["status"] == "derived" and not r["column"]:
            ok = line.strip() == r["raw"]
        else:
            rest = line[r["char"] - 1 :].replace("\\|", "|")
            ok = rest.startswith(r["raw"]) if r["raw"] else rest.lstrip(" ").startswith("|")
        if not ok:
            problems.append(f"{where}:{r['char']}: raw text {r['raw']!r} is not there")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Validate the interim outputs; write a summary the export stage depends on."""
    ap = argparse.ArgumentParser(prog="memwall.validate", description=__doc__)
    ap.add_argument("--interim", type=Path, required=True)
    ap.add_argument("--latest-date", type=dt.date.fromisoformat, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    interim = args.interim
    tables = {name: pl.read_parquet(interim / f"{name}.parquet") for name in TABLES}
    provenance = pl.read_parquet(interim / "provenance.parquet")
    ledger = pl.read_parquet(interim / "ledger.parquet")
    problems: list[str] = []
    for name, frame in tables.items():
        problems += schema_problems(table_schema(name, args.latest_date), frame)
    problems += schema_problems(provenance_schema(), provenance)
    problems += accounting_problems(
        pl.read_parquet(interim / "cells.parquet"),
        pl.read_parquet(interim / "parse_rejects.parquet"),
        ledger,
        tables,
    )
    problems += lineage_problems(provenance, Path.cwd())
    if problems:
        for p in problems:
            print(f"validate: error: {p}", file=sys.stderr)
        print(f"validate: {len(problems)} problem(s); nothing exported", file=sys.stderr)
        return 1
    summary = {
        "tables": {name: frame.height for name, frame in tables.items()},
        "provenance_rows": provenance.height,
        "raw_rows": ledger.height,
        "kept_rows": ledger.filter(pl.col("outcome") == "kept").height,
        "rejected_rows": ledger.filter(pl.col("outcome") == "rejected").height,
        "latest_date": args.latest_date.isoformat(),
    }
    args.out.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"validate: ok {summary}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
