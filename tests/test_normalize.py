"""normalize + merge on two tiny sources: newest statement wins, blanks never erase."""

from __future__ import annotations

import polars as pl
import pytest

from memwall.corrections import Report
from memwall.identity import Identities, slugify
from memwall.normalize import normalize
from memwall.parse import CELLS_SCHEMA, REJECTS_SCHEMA, parse_markdown
from memwall.rows import RowContext
from memwall.sources import Source
from support import FIXTURES


@pytest.fixture(scope="module")
def result():
    cells, rejects = [], []
    for rank, name in enumerate(["older.md", "newer-with-changes.md"], start=1):
        source = Source(id=name.removesuffix(".md"), path=f"fixtures/{name}", kind="t", rank=rank)
        c, r = parse_markdown((FIXTURES / "merge" / name).read_text(), source)
        cells += c
        rejects += r
    identities = Identities([{"model_id": "vgg-19", "name": "VGG-19", "aliases": ["VGG19"]}])
    ctx = RowContext([], identities, 2**30, Report())
    return normalize(
        pl.DataFrame(cells, schema=CELLS_SCHEMA, orient="row"),
        pl.DataFrame(rejects, schema=REJECTS_SCHEMA, orient="row"),
        ctx,
    )


def prov(result, model_id, field):
    return result.provenance.filter(
        (pl.col("model_id") == model_id) & (pl.col("field") == field)
    ).row(0, named=True)


def models(result):
    return {r["model_id"]: r for r in result.tables["models"].iter_rows(named=True)}


def test_newer_source_wins_a_changed_value(result):
    assert models(result)["gpt-2"]["params"] == 1_558_000_000
    assert prov(result, "gpt-2", "params")["source_id"] == "newer-with-changes"


def test_a_blank_in_the_newer_source_does_not_erase_an_older_value(result):
    assert models(result)["gpt-2"]["training_flop"] == 1e17
    assert prov(result, "gpt-2", "training_flop")["source_id"] == "older"


def test_not_applicable_is_a_statement_and_beats_an_older_blank(result):
    row = prov(result, "recsys", "training_flop")
    assert (row["status"], row["raw"], row["source_id"]) == (
        "not_applicable",
        "N/A",
        "newer-with-changes",
    )
    assert models(result)["recsys"]["training_flop"] is None


def test_estimates_keep_their_status(result):
    assert prov(result, "recsys", "inference_flop")["status"] == "estimate"


def test_superseded_values_stay_in_observations(result):
    old = result.observations.filter(
        (pl.col("model_id") == "gpt-2") & (pl.col("field") == "params")
    )
    assert sorted(old["raw"].to_list()) == ["1,500M", "1,558M"]


def test_models_only_in_the_older_source_are_kept(result):
    assert models(result)["only-old"]["input_tokens"] == 512


def test_rows_with_unreadable_cells_are_rejected_with_the_reason_and_counted(result):
    ledger = result.ledger
    bad = ledger.filter(pl.col("outcome") == "rejected").row(0, named=True)
    assert (bad["line"], bad["code"]) == (5, "unit")
    assert "'02/30/2020' is not a valid MM/DD/YYYY date" in bad["reason"]
    assert ledger.height == 3 + 4
    assert "bad-date" not in models(result)


def test_aliases_resolve_to_the_canonical_id_and_name(result):
    assert models(result)["vgg-19"]["model"] == "VGG-19"
    assert prov(result, "vgg-19", "model")["raw"] == "VGG19"


def test_every_published_cell_has_exactly_one_provenance_row(result):
    for name, table in result.tables.items():
        cells = result.provenance.filter(pl.col("table") == name)
        assert cells.height == table.height * table.width


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("ResNeXt101(64x4d)", "resnext101-64x4d"),
        ("ResNeXt101 (64x4d)", "resnext101-64x4d"),
        ("Transformer Big (WMT)", "transformer-big-wmt"),
        ("GPT-3", "gpt-3"),
    ],
)
def test_slugs_ignore_case_spaces_and_punctuation_runs(name, slug):
    assert slugify(name) == slug
