"""Stage `normalize`: raw cells -> typed observations, published tables and provenance.

Load: the parse stage's cells and rejects, the corrections and alias registries. Process:
read each raw row (corrections, identity, units), merge sources newest-first. Save: the
interim tables, their provenance, every observation (superseded ones too), the row ledger
(every raw row: kept with its model_id, or rejected with a reason) and the corrections report.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from memwall.corrections import load_registry
from memwall.identity import Identities
from memwall.merge import OBSERVATION_SCHEMA, merge
from memwall.rows import RawCell, RowContext, read_row
from memwall.tablekinds import KINDS

LEDGER_SCHEMA = {
    "source_id": pl.String,
    "source": pl.String,
    "line": pl.Int32,
    "table": pl.String,
    "kind": pl.String,
    "outcome": pl.String,  # kept | rejected
    "model_id": pl.String,
    "code": pl.String,
    "reason": pl.String,
    "text": pl.String,
}
_KINDS = {k.name: k for k in KINDS}


@dataclass
class Normalized:
    """Everything the normalize stage produces."""

    observations: pl.DataFrame
    ledger: pl.DataFrame
    tables: dict[str, pl.DataFrame]
    provenance: pl.DataFrame
    corrections: list[dict]


def normalize(cells: pl.DataFrame, parse_rejects: pl.DataFrame, ctx: RowContext) -> Normalized:
    """Read every raw row, then merge. Pure: inputs in, frames out."""
    observations: list[dict] = []
    ledger: list[dict] = [
        {**r, "table": None, "kind": None, "outcome": "rejected", "model_id": None}
        for r in parse_rejects.drop("char").iter_rows(named=True)
    ]
    rows = cells.sort(["rank", "source_id", "line", "char"]).partition_by(
        ["source_id", "line"], maintain_order=True
    )
    for row in rows:
        first = row.row(0, named=True)
        kind = _KINDS[first["kind"]]
        source = {k: first[k] for k in ("source_id", "source", "rank")}
        header = RawCell(first["header_line"], 1, "", first["header_text"])
        raw_cells = [
            RawCell(r["line"], r["char"], r["column"], r["text"]) for r in row.iter_rows(named=True)
        ]
        result = read_row(ctx, kind, source, header, raw_cells)
        entry = {
            "source_id": source["source_id"],
            "source": source["source"],
            "line": first["line"],
            "table": kind.table,
            "kind": kind.name,
            "model_id": result.model_id,
            "code": None,
            "reason": None,
            "text": None,
        }
        if result.dropped_by:
            entry.update(
                outcome="rejected",
                code="dropped",
                reason=f"dropped by correction {result.dropped_by}",
            )
        elif result.errors:
            entry.update(
                outcome="rejected",
                code=result.errors[0].code,
                reason="; ".join(f"col {e.char}: {e.message}" for e in result.errors),
            )
        else:
            entry["outcome"] = "kept"
            observations += result.observations
        ledger.append(entry)
    obs = pl.DataFrame(observations, schema=OBSERVATION_SCHEMA, orient="row")
    tables, provenance = merge(obs)
    return Normalized(
        observations=obs.sort(["table", "model_id", "field", "rank", "line"]),
        ledger=pl.DataFrame(ledger, schema=LEDGER_SCHEMA, orient="row").sort(["source_id", "line"]),
        tables=tables,
        provenance=provenance,
        corrections=ctx.report.as_dict(ctx.corrections),
    )


def main(argv: list[str] | None = None) -> int:
    """Run the stage with the paths and params dvc.yaml passes."""
    ap = argparse.ArgumentParser(prog="memwall.normalize", description=__doc__)
    ap.add_argument("--cells", type=Path, required=True)
    ap.add_argument("--parse-rejects", type=Path, required=True)
    ap.add_argument("--corrections", type=Path, required=True)
    ap.add_argument("--aliases", type=Path, required=True)
    ap.add_argument("--gb-basis", type=int, required=True, choices=(10**9, 2**30))
    ap.add_argument("--out", type=Path, required=True, help="interim directory")
    args = ap.parse_args(argv)
    ctx = RowContext(load_registry(args.corrections), Identities.load(args.aliases), args.gb_basis)
    result = normalize(pl.read_parquet(args.cells), pl.read_parquet(args.parse_rejects), ctx)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, frame in result.tables.items():
        frame.write_parquet(args.out / f"{name}.parquet")
    result.provenance.write_parquet(args.out / "provenance.parquet")
    result.observations.write_parquet(args.out / "observations.parquet")
    result.ledger.write_parquet(args.out / "ledger.parquet")
    (args.out / "corrections.json").write_text(
        json.dumps(result.corrections, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    for entry in result.corrections:
        if entry["status"] != "applied":
            print(
                f"normalize: correction {entry['id']} is {entry['status']}: "
                f"{entry['stale'] or 'no raw row matches'}",
                file=sys.stderr,
            )
    kept = result.ledger.filter(pl.col("outcome") == "kept").height
    print(
        f"normalize: {kept} raw rows kept, {result.ledger.height - kept} rejected; "
        + ", ".join(f"{n}: {t.height} rows" for n, t in result.tables.items()),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
