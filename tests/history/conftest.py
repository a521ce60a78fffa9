"""Shared fixtures of the history tests: the history the pipeline built from the real 26
upstream versions, read from the session's shared built checkout (`built_repo`)."""

from __future__ import annotations

import polars as pl
import pytest
from historyrows import DATA, ROOT

from memwall.conventions import load_conventions
from memwall.history_build import history_from_interim
from memwall.history_parse import load_versions


@pytest.fixture(scope="session")
def versions():
    return load_versions(ROOT / "raw" / "upstream" / "index.csv", "raw/upstream")


@pytest.fixture(scope="session")
def conventions():
    return load_conventions(DATA / "unit_conventions.yaml", DATA / "unit_conventions.schema.json")


@pytest.fixture(scope="session")
def built(built_repo):
    """(history, rejects, tables) of all 26 real versions, as the `history` stage computes
    them: `history_from_interim` over what `parse` and `normalize` wrote in the built copy."""
    interim = built_repo / "interim"
    return history_from_interim(
        pl.read_parquet(interim / "observations.parquet"),
        pl.read_parquet(interim / "cells.parquet"),
        pl.read_parquet(interim / "parse_rejects.parquet"),
        pl.read_parquet(interim / "ledger.parquet"),
        load_versions(built_repo / "raw" / "upstream" / "index.csv", "raw/upstream"),
    )
