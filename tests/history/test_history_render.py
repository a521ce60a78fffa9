"""The changelog and the timeline people read."""

from __future__ import annotations

import polars as pl

from memwall.history_render import (
    cell_timeline,
    escape_cell,
    timeline_text,
    upstream_history_markdown,
)


def test_hostile_text_renders_as_text():
    assert escape_cell("<script>a|b</script>") == "&lt;script&gt;a\\|b&lt;/script&gt;"
    assert escape_cell("x\ny") == "x y"


def test_the_changelog_has_one_section_per_version_with_commit_and_changes(built, versions):
    history, _, _ = built
    md = upstream_history_markdown(history, versions)
    assert md.count("\n## Version ") == 26
    v7 = md.split("## Version 7: flops x2")[1].split("## Version 8")[0]
    assert "f09e32e1d61c9bb0eec0afc9842b6f42b8907830" in v7
    assert "2021-03-18 08:18:22 UTC" in v7
    assert "cells added 0, changed 1, removed 0, restated 6" in v7
    assert "| nlp-models | megatron | inference_flop | changed" in v7 and "| 8,800 | 18,000 |" in v7
    v21 = md.split("## Version 21:")[1].split("## Version 22")[0]
    assert "No table cell changed." in v21


def test_a_hostile_model_name_is_escaped_in_the_changelog(built, versions):
    history, _, _ = built
    hostile = (
        history.filter(pl.col("version") == 1)
        .head(1)
        .with_columns(pl.lit("<img src=x onerror=alert(1)>|").alias("raw"))
    )
    md = upstream_history_markdown(hostile, versions[:1])
    assert "<img" not in md and "&lt;img src=x onerror=alert(1)&gt;\\|" in md


def test_the_timeline_of_megatrons_inference_shows_each_statement_with_its_line(built):
    history, _, _ = built
    frame = cell_timeline(history, "megatron", "inference_flop")
    assert frame["version"].to_list() == list(range(6, 27))
    text = timeline_text(frame).splitlines()
    assert len(text) == 2
    assert text[0].startswith("v6 ") and "'8,800'" in text[0] and "@line 11:" in text[0]
    assert text[1].startswith("v7-v26") and "'18,000'" in text[1]


def test_the_timeline_of_a_model_covers_all_its_tables(built):
    history, _, _ = built
    frame = cell_timeline(history, "resnet152")
    assert set(frame["table"]) == {"cv-models", "memory"}
