"""normalize's column-wise reading (`normalize_columns`, the default) gives exactly what reading
every row with `rows.read_row` gives (`normalize(..., columns=False)`, the reference): the
same observations, ledger, tables, provenance and corrections report, on the real raw
sources (corrections, aliases, the old versions' unit conventions) and on texts that carry
what only the row reader words: empty Model cells, unit errors, rows a correction touches,
drops, estimates, N/A, non-ASCII names, the memory table."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from memwall import config, merge
from memwall.conventions import load_conventions
from memwall.corrections import Correction, load_registry
from memwall.identity import Identities
from memwall.normalize import normalize
from memwall.normalize_columns import read_rows_columns
from memwall.parse import parse_frames, parse_sources
from memwall.rows import RowContext
from memwall.sources import Source

REPO = Path(__file__).resolve().parents[1]
PATHS = config.paths(REPO)
CONVENTIONS = load_conventions(PATHS.unit_conventions, PATHS.unit_conventions_schema)
HEADER = (
    "| Date | Model | Token Size | #Params | #Features | Inference GFLOPs | Training PFLOPs |\n"
    "|---|---|---|---|---|---|---|\n"
)
MEMORY = (
    "| Year | Model | Input Resolution (Sentence length) | Batch Size | Params Memory "
    "| Optimizer Memory | Activation Memory | Total Memory |\n|---|---|---|---|---|---|---|---|\n"
)
ROWS = (
    "| 05/28/2020 | GPT-3 | 2048 | 175,000M | | 3,400 | 310,000,000 |\n"
    "| 07/26/2019 | RoBERTa Large | 512 | 1,500M | 2,000M | 3,400 | 4,300,000 |\n"
    "| 01/01/2021 | Straße \uff38\uff2c | 1 | 1M | N/A | ~O(0.1) | - |\n"
    "| 01/01/2021 |  | 1 | 1M | | 1 | 1 |\n"
    "| 28/05/2020 | Bad Units | 2k | -5M | | 3 TFLOPs | 1e400 |\n"
    "| 01/01/2021 | Dropped Model | 1 | 1M | | 1 | 1 |\n"
    "| 01/01/2021 | Scaled Model | 1 | 1,5M | | 0.5 | 1 |\n"
    "| 09/04/2014 | VGG19 | 1 | 1.5B | 3T | 1.25 | 0.001 |\n"
)
EXTRA = [
    Correction("t-drop", "models", "Dropped Model", None, "drop", "r", "e"),
    Correction("t-scale", "nlp-models", "Scaled Model", "#Params", "scale", "r", "e", factor=2.0),
    Correction("t-stale", "models", "Scaled Model", "Token Size", "override", "r", "e", "9", "2"),
]


def context(extra: list[Correction] = ()) -> RowContext:
    """The registries and GB basis the normalize stage uses, plus `extra` corrections."""
    gb_basis = int(config.stage_params("normalize", REPO)["gb_basis"])
    corrections = load_registry(PATHS.corrections) + list(extra)
    return RowContext(corrections, Identities.load(PATHS.aliases), gb_basis)


def assert_same(cells: pl.DataFrame, rejects: pl.DataFrame, extra=()) -> None:
    got = normalize(cells, rejects, context(extra), CONVENTIONS)
    expected = normalize(cells, rejects, context(extra), CONVENTIONS, columns=False)
    assert_frame_equal(got.observations, expected.observations)
    assert_frame_equal(got.ledger, expected.ledger)
    assert_frame_equal(got.provenance, expected.provenance)
    assert got.tables.keys() == expected.tables.keys()
    for name in got.tables:
        assert_frame_equal(got.tables[name], expected.tables[name])
    assert json.dumps(got.corrections) == json.dumps(expected.corrections)


def test_column_reading_matches_row_reading_on_the_raw_sources():
    cells, rejects = parse_sources(config.catalog(REPO), REPO)
    assert cells["version"].n_unique() > 20  # the old layouts and their conventions
    assert_same(cells, rejects)


def _frames(texts: list[str], kind: str = "contrib") -> tuple[pl.DataFrame, pl.DataFrame]:
    parts = [
        parse_frames(
            text,
            Source(
                id=f"upstream-v{n + 2:02d}" if kind == "upstream" else f"{kind}-{n}",
                path=f"t{n}.md",
                kind=kind,
                rank=1000 + n,
                meta={"commit": "c" * 40},
            ),
        )
        for n, text in enumerate(texts)
    ]
    return pl.concat([c for c, _ in parts]), pl.concat([r for _, r in parts])


@pytest.mark.parametrize("kind", ["contrib", "upstream"])
def test_column_reading_matches_row_reading_on_rows_only_the_row_reader_words(kind):
    texts = [HEADER + ROWS, MEMORY + "| 2019 | GPT-2 | 1024 | 32 | 6 GB | 0.23 GB | N/A | |\n"]
    cells, rejects = _frames([*texts, HEADER + ROWS + "| a | ragged |\n"], kind)
    assert_same(cells, rejects, EXTRA)


@pytest.mark.parametrize(
    "path", sorted((REPO / "tests/fixtures").glob("*/*.md")), ids=lambda p: p.name
)
def test_column_reading_matches_row_reading_on_fixtures(path):
    text = path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
    assert_same(*_frames([text, text], "upstream"))


def test_only_rows_the_row_reader_words_are_left_to_it():
    cells, _ = _frames([HEADER + ROWS])
    rest = read_rows_columns(cells, context(EXTRA), CONVENTIONS).rest
    models = rest.filter(pl.col("column") == "Model")["text"].to_list()
    assert models == ["RoBERTa Large", "", "Bad Units", "Dropped Model", "Scaled Model"]


def test_inherited_domains_land_where_a_full_sort_puts_them():
    cells, rejects = parse_sources(config.catalog(REPO), REPO)
    observations = normalize(cells, rejects, context(), CONVENTIONS).observations
    chosen = merge.choose(observations)
    got = merge.inherit_domain(chosen)
    memory = chosen.filter(pl.col("table") == "memory")
    inherited = (
        chosen.filter((pl.col("table") == "models") & (pl.col("field") == "domain"))
        .join(memory.select("model_id").unique(), on="model_id")
        .join(
            memory.filter(pl.col("field") == "domain").select("model_id"), on="model_id", how="anti"
        )
        .with_columns(table=pl.lit("memory"))
    )
    assert not inherited.is_empty()
    expected = pl.concat([chosen, inherited]).sort(
        ["table", "model_id", "field"], maintain_order=True
    )
    assert_frame_equal(got, expected)
