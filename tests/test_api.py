"""memwall.load and memwall.provenance on the local checkout, and their errors."""

from __future__ import annotations

import sys

import pytest

import memwall
from support import run

pytestmark = pytest.mark.slow


@pytest.fixture
def in_built_repo(built_repo, monkeypatch):
    monkeypatch.chdir(built_repo / "processed")
    return built_repo


def test_load_with_no_version_reads_the_checkout(in_built_repo):
    models = memwall.load()
    gpt3 = models.filter(model_id="gpt-3").row(0, named=True)
    assert gpt3["params"] == 175_000_000_000 and str(gpt3["published"]) == "2020-05-28"
    assert memwall.load("memory").height == 8


def test_unknown_table_lists_the_valid_ones(in_built_repo):
    with pytest.raises(
        memwall.DatasetError,
        match="valid tables: models, memory, hardware, figure_points, figure_claims, provenance",
    ):
        memwall.load("model")


def test_missing_artifact_says_to_pull(fresh_repo, monkeypatch):
    monkeypatch.chdir(fresh_repo)
    with pytest.raises(memwall.DatasetError, match="dvc pull"):
        memwall.load("models")


def test_provenance_answers_where_a_value_comes_from_in_one_call(in_built_repo):
    row = memwall.provenance("gpt-2", "input_tokens", table="memory")
    assert (row["value"], row["raw"], row["line"]) == ("1024", "2014", 58)
    assert row["corrections"] == ["gpt2-memory-sequence-length"]
    assert row["source"] == "raw/upstream/26_20240323T042938Z_a1f1d67.md"
    assert row["url"].endswith("a1f1d676a6e54413b57a7f89374b0dddeab5f356/README.md#L58")


def test_provenance_of_an_unknown_model_or_field_says_what_exists(in_built_repo):
    with pytest.raises(memwall.DatasetError, match=r"known: .*gpt-3"):
        memwall.provenance("gpt-5", "params")
    with pytest.raises(memwall.DatasetError, match="valid fields: model_id, model"):
        memwall.provenance("gpt-3", "parameters")


def test_import_memwall_does_not_import_polars_or_dvc(tmp_path):
    code = "import sys, memwall; print(sorted({'polars', 'dvc', 'memwall.api'} & set(sys.modules)))"
    assert run([sys.executable, "-c", code], tmp_path).stdout.strip() == "[]"
