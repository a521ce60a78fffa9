"""The gate: schemas, row accounting and lineage back to the raw bytes.

`problems` gives one line per problem, naming table, model and column, when:
- a published table or provenance breaks its pandera schema;
- a raw data row is neither kept nor rejected with a reason, or is counted twice;
- a provenance row does not point at a raw line that holds its original text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

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


def problems(
    tables: dict[str, pl.DataFrame],
    provenance: pl.DataFrame,
    cells: pl.DataFrame,
    parse_rejects: pl.DataFrame,
    ledger: pl.DataFrame,
    latest: dt.date,
    root: Path,
) -> list[str]:
    """Every problem of the normalized outputs: schemas, accounting, lineage (raw under root)."""
    found: list[str] = []
    for name, frame in tables.items():
        found += schema_problems(table_schema(name, latest), frame)
    found += schema_problems(provenance_schema(), provenance)
    found += accounting_problems(cells, parse_rejects, ledger, tables)
    found += lineage_problems(provenance, root)
    return found


def summary(
    tables: dict[str, pl.DataFrame], provenance: pl.DataFrame, ledger: pl.DataFrame, latest: dt.date
) -> dict:
    """The counts the export stage records: rows per table, raw rows kept and rejected."""
    return {
        "tables": {name: frame.height for name, frame in tables.items()},
        "provenance_rows": provenance.height,
        "raw_rows": ledger.height,
        "kept_rows": ledger.filter(pl.col("outcome") == "kept").height,
        "rejected_rows": ledger.filter(pl.col("outcome") == "rejected").height,
        "latest_date": latest.isoformat(),
    }
