"""Stage `normalize`: raw cells -> typed observations, published tables and provenance.

Reads interim/cells.parquet, interim/parse_rejects.parquet, the corrections, alias and
unit conventions registries and params `normalize.gb_basis`. Writes to interim/: the tables
(models.parquet, memory.parquet), provenance.parquet, observations.parquet (superseded
ones too), ledger.parquet (every raw row kept or rejected) and corrections.json.
Library: `memwall.normalize`.
"""

from __future__ import annotations

import json
import sys

import polars as pl

from memwall import config, stagerun
from memwall.conventions import load_conventions
from memwall.corrections import load_registry
from memwall.identity import Identities
from memwall.normalize import normalize
from memwall.rows import RowContext


@stagerun.guarded("normalize")
def main() -> int:
    """Run the stage from the checkout's root."""
    paths = config.paths()
    gb_basis = int(config.stage_params("normalize")["gb_basis"])
    if gb_basis not in (10**9, 2**30):
        print(f"normalize: error: gb_basis must be 10**9 or 2**30, not {gb_basis}", file=sys.stderr)
        return 2
    ctx = RowContext(load_registry(paths.corrections), Identities.load(paths.aliases), gb_basis)
    interim = paths.interim
    result = normalize(
        pl.read_parquet(interim / "cells.parquet"),
        pl.read_parquet(interim / "parse_rejects.parquet"),
        ctx,
        load_conventions(paths.unit_conventions, paths.unit_conventions_schema),
    )
    for name, frame in result.tables.items():
        frame.write_parquet(interim / f"{name}.parquet")
    result.provenance.write_parquet(interim / "provenance.parquet")
    result.observations.write_parquet(interim / "observations.parquet")
    result.ledger.write_parquet(interim / "ledger.parquet")
    (interim / "corrections.json").write_text(
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
