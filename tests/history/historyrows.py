"""Helpers of the history tests: paths, and a text read the way the pipeline reads a version.

`history_of_text` feeds one markdown text, as upstream README version `number`, through the
library calls the stages make, in process: `parse` (`parse.parse_markdown` with the Source of
an upstream version, `parse.cell_frames`), `normalize` (`normalize.normalize` with the real
corrections, aliases, GB basis and unit conventions of this checkout) and `history`
(`history_build.history_from_interim`). A fixture cut from an old layout therefore tests the
pipeline's own path, not a second implementation of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from memwall import config
from memwall.conventions import load_conventions
from memwall.corrections import load_registry
from memwall.history_build import history_from_interim
from memwall.history_parse import Version
from memwall.identity import Identities
from memwall.normalize import normalize
from memwall.parse import cell_frames, parse_markdown
from memwall.rows import RowContext
from memwall.sources import Source

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "pipeline" / "memwall" / "data"
FIXTURES = ROOT / "tests" / "fixtures" / "history"
COMMIT = "0" * 40


def row_context() -> RowContext:
    """The registries the normalize stage uses (corrections, aliases) and its GB basis."""
    paths = config.paths(ROOT)
    gb_basis = int(config.stage_params("normalize", ROOT)["gb_basis"])
    return RowContext(load_registry(paths.corrections), Identities.load(paths.aliases), gb_basis)


@dataclass(frozen=True)
class TextHistory:
    """What the stages make of one text: the parse stage's cells, the normalize stage's
    ledger, and the history stage's (history, rejects, tables)."""

    cells: pl.DataFrame
    ledger: pl.DataFrame
    history: pl.DataFrame
    rejects: pl.DataFrame
    tables: pl.DataFrame


def history_of_text(text: str, number: int = 1, path: str = "fixture.md") -> TextHistory:
    """Read `text` as upstream README version `number` through parse, normalize and history."""
    source = Source(
        id=f"upstream-v{number:02d}", path=path, kind="upstream", rank=number,
        meta={"commit": COMMIT},
    )  # fmt: skip
    cells, parse_rejects = cell_frames(*parse_markdown(text, source))
    paths = config.paths(ROOT)
    conventions = load_conventions(paths.unit_conventions, paths.unit_conventions_schema)
    normalized = normalize(cells, parse_rejects, row_context(), conventions)
    version = Version(number, path, COMMIT, dt.datetime(2021, 3, 16, tzinfo=dt.UTC), "fixture")
    history, rejects, tables = history_from_interim(
        normalized.observations, cells, parse_rejects, normalized.ledger, [version]
    )
    return TextHistory(cells, normalized.ledger, history, rejects, tables)
