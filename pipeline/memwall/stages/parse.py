"""Stage `parse`: every table of every raw source -> one long table of cells.

Reads raw/sources.yaml and the raw files it lists (each checked against its sha256).
Writes interim/cells.parquet (one row per cell, with its position) and
interim/parse_rejects.parquet (rows that cannot be read as a table row, with reasons).
Library: `memwall.parse`.
"""

from __future__ import annotations

import sys

from memwall import config, stagerun
from memwall.parse import RawChanged, parse_sources


@stagerun.guarded("parse")
def main() -> int:
    """Run the stage from the checkout's root."""
    paths = config.paths()
    try:
        cells, rejects = parse_sources(config.catalog(), paths.root)
    except RawChanged as exc:
        print(f"parse: error: {exc}", file=sys.stderr)
        return 1
    paths.interim.mkdir(parents=True, exist_ok=True)
    cells.write_parquet(paths.interim / "cells.parquet")
    rejects.write_parquet(paths.interim / "parse_rejects.parquet")
    print(f"parse: {cells.height} cells, {rejects.height} rejected rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
