"""Helpers of the history tests: paths and the registries the pipeline uses."""

from __future__ import annotations

from pathlib import Path

from memwall.corrections import load_registry
from memwall.identity import Identities
from memwall.rows import RowContext

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "pipeline" / "memwall" / "data"
FIXTURES = ROOT / "tests" / "fixtures" / "history"
GIB = 2**30


def row_context() -> RowContext:
    """The registries the pipeline uses (corrections, aliases), GB read as GiB."""
    return RowContext(
        load_registry(DATA / "corrections.yaml"),
        Identities.load(DATA / "aliases.yaml"),
        GIB,
    )
