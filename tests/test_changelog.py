"""The changelog is computed from two versions' tables, and CHANGELOG.md is what it computes."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from memwall.tools.changelog import compare, render, source_frames, to_long, upstream_history
from support import REPO


def models(rows: list[tuple]) -> dict[str, pl.DataFrame]:
    schema = {"model_id": pl.String, "model": pl.String, "params": pl.Int64, "published": pl.Date}
    return {"models": pl.DataFrame(rows, schema=schema, orient="row")}


OLD = models([("a", "A", 1, dt.date(2020, 1, 1)), ("gone", "Gone", 2, None)])
NEW = models([("a", "A", 3, dt.date(2020, 1, 1)), ("b", "B", None, dt.date(2021, 2, 3))])


def test_an_added_a_removed_model_and_a_changed_value_are_reported():
    changes = compare(to_long(OLD), to_long(NEW))
    assert changes.added.rows() == [("models", "b", "B")]
    assert changes.removed.rows() == [("models", "gone", "Gone")]
    assert changes.changed.rows() == [("models", "a", "params", "1", "3")]


def test_a_value_that_becomes_null_is_a_change():
    cleared = models([("a", "A", None, dt.date(2020, 1, 1)), ("gone", "Gone", 2, None)])
    assert compare(to_long(OLD), to_long(cleared)).changed.rows() == [
        ("models", "a", "params", "1", None)
    ]


def test_the_markdown_names_models_and_values():
    text = render("v0.2.0", compare(to_long(OLD), to_long(NEW)))
    assert text.startswith("## v0.2.0\n")
    assert "- models (1): `b` (B)" in text and "- models (1): `gone` (Gone)" in text
    assert "| models | `a` | `params` | `1` | `3` |" in text


@pytest.mark.slow
def test_changelog_md_is_the_generated_text(built_repo):
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    tables = {
        n: pl.read_parquet(built_repo / f"processed/{n}.parquet") for n in ("models", "memory")
    }
    # v0.1.0 is released (releases.yaml): its section stays as generated then, whatever the
    # data says now; the tables of today are what a section for the next version compares.
    assert "\n## v0.1.0\n" in changelog
    assert tables["models"].height > 0
    observations = pl.read_parquet(built_repo / "interim/observations.parquet")
    history = upstream_history(observations)
    assert history in changelog
    # v11 printed ResNet152 at 23.05 inference GFLOPs, v26 at 23.
    assert (
        "| models | `resnet152` | `inference_flop` | `23050000000.0` | `23000000000.0` |" in history
    )
    frames = source_frames(observations)
    removed = compare(frames["upstream-v11"], frames["upstream-v26"]).removed
    assert {"resnet50", "senet154-vd"} <= set(removed["model_id"])
