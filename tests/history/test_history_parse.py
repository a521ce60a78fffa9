"""Old upstream layouts are read by header, with their quirks undone.

The fixture texts go through the pipeline's own parse, normalize and history calls
(`historyrows.history_of_text`); the real versions come from the shared built checkout.
"""

from __future__ import annotations

import hashlib

import polars as pl
from historyrows import FIXTURES, ROOT, history_of_text


def read(name: str):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return text, history_of_text(text)


def test_two_row_header_joins_into_one_header_and_separators_are_not_rows():
    _, got = read("two_row_header_and_separator_rows.md")
    assert got.rejects.is_empty()
    assert got.tables.select("kind", "header_line", "data_rows").rows() == [
        ("nlp-models-2row", 2, 4)
    ]
    # the parse stage's cells carry each column's joined header, blank columns too
    assert {"Input Size (Token)", "FLOPs (GFLOPs)"} <= set(got.cells["column"])
    models = got.history.filter(pl.col("field") == "model").sort("line")
    assert models["line"].to_list() == [5, 7, 9, 11]
    assert models["model_id"].to_list() == ["transformer", "bert-large", "elmo", "baidu-recsys-e"]
    # Baidu RecSys-E's "~O(0.1)" sits under the joined two-row header
    flops = got.history.filter(pl.col("field") == "inference_flop")
    assert flops.select("model_id", "header", "raw").rows() == [
        ("baidu-recsys-e", "FLOPs (GFLOPs)", "~O(0.1)")
    ]


def test_single_digit_date_and_old_spelling_are_read():
    _, got = read("two_row_header_and_separator_rows.md")
    elmo = got.history.filter(pl.col("model_id") == "elmo")
    by_field = dict(zip(elmo["field"], elmo["canonical"], strict=True))
    assert by_field["published"] == "2018-02-15"
    assert by_field["model"] == "ELMo"  # display name from the alias registry
    assert by_field["params"] == "94000000"


def test_model_name_continued_on_next_row_joins_the_row_above():
    text, got = read("model_name_continued_on_next_row.md")
    assert got.rejects.is_empty()
    assert got.tables.select("kind", "data_rows").rows() == [("cv-accuracy-2row", 6)]
    names = got.history.filter(pl.col("field") == "model").sort("line")
    assert "resnext152-64x4d" in names["model_id"].to_list()
    assert "fix-resnext101-32x48d-wsl" in names["model_id"].to_list()
    resnext = names.filter(pl.col("model_id") == "resnext152-64x4d").row(0, named=True)
    assert resnext["raw"] == "ResNeXt152 (64x4d)"
    assert text.split("\n")[resnext["line"] - 1].startswith("|      | ResNeXt152 ")


def test_every_cell_points_at_its_raw_text_in_every_version(built, versions):
    history, _, _ = built
    stated = history.filter(pl.col("change") != "removed")
    for version in versions:
        lines = (ROOT / version.path).read_bytes().decode("utf-8").split("\n")
        for row in stated.filter(pl.col("version") == version.number).iter_rows(named=True):
            raw = row["raw"]
            if row["field"] == "model" and " (" in raw and raw not in lines[row["line"] - 1]:
                raw = raw.split(" (")[0]  # a name continued on the next row
            start = row["col"] - 1
            assert lines[row["line"] - 1][start : start + len(raw)] == raw, (version, row)


def test_a_table_of_unknown_layout_rejects_its_rows_with_the_closest_kind():
    text = "| Date | Model | Colour |\n|---|---|---|\n| 1/1/2020 | X | red |\n"
    got = history_of_text(text)
    assert got.tables.is_empty() and got.history.is_empty()
    assert got.rejects.select("line", "code").rows() == [(3, "unknown-table")]
    assert "closest" in got.rejects["reason"][0]


def test_a_ragged_row_is_rejected_with_its_cell_count():
    text = (
        "| Date | Model | Token Size | #Params | GFLOPs |\n|---|---|---|---|---|\n"
        "| 1/1/2020 | X | 512 | 1M |\n| 1/2/2020 | Y | 512 | 2M | 3 |\n"
    )
    got = history_of_text(text)
    assert got.rejects.select("line", "code").rows() == [(3, "ragged-row")]
    assert "4 cells" in got.rejects["reason"][0]
    assert set(got.history["model_id"]) == {"y"}


def test_raw_copies_are_byte_for_byte_the_shared_snapshots(versions):
    shared = ROOT.parent.parent / "shared" / "upstream"
    assert len(versions) == 26
    for version in versions:
        ours = (ROOT / version.path).read_bytes()
        name = version.path.rsplit("/", 1)[1]
        digest = hashlib.sha256(ours).hexdigest()
        if shared.is_dir():
            assert digest == hashlib.sha256((shared / name).read_bytes()).hexdigest(), name
        assert name.startswith(f"{version.number:02d}_") and version.commit[:7] in name


def test_each_version_is_read_with_the_layouts_its_diffs_show(built):
    _, _, tables = built
    kinds = {
        v: tuple(tables.filter(pl.col("version") == v).sort("header_line")["kind"])
        for v in range(1, 27)
    }
    # by hand from the diffs: two-row headers (1-2), one-row "GFLOPs" (3-5), #Features (6-7),
    # today's NLP header and CV with Top-1 (8-11), memory table from 10, CV without Top-1 (12+)
    assert {kinds[v] for v in (1, 2)} == {("nlp-models-2row", "cv-accuracy-2row")}
    assert {kinds[v] for v in (3, 4, 5)} == {("nlp-models-gflops", "cv-accuracy-gflops")}
    assert {kinds[v] for v in (6, 7)} == {("nlp-models-features", "cv-accuracy-gflops")}
    assert {kinds[v] for v in (8, 9)} == {("nlp-models", "cv-accuracy")}
    assert {kinds[v] for v in (10, 11)} == {("nlp-models", "cv-accuracy", "memory")}
    assert {kinds[v] for v in range(12, 27)} == {("nlp-models", "cv-models", "memory")}


def test_the_historic_layouts_stay_out_of_the_parse_stage_and_validator():
    from memwall.tablekinds import HISTORIC_KINDS, recognise

    for kind in HISTORIC_KINDS:
        assert recognise([c.header for c in kind.columns]) is None


def test_a_gmacs_column_before_flops_x2_is_doubled_only_in_the_versions_it_covers():
    # cut from version 6 (raw/upstream/06_*.md lines 4-7 and 15): GFLOPs still counts MACs
    text = (FIXTURES / "gmacs_inference_column_before_flops_x2.md").read_text(encoding="utf-8")

    def inference(number: int) -> dict:
        got = history_of_text(text, number).history
        flops = got.filter(pl.col("field") == "inference_flop")
        return {r["model_id"]: (r["value"], r["conventions"]) for r in flops.iter_rows(named=True)}

    # by hand: 27 GMACs x 2 FLOP/MAC x 1e9; the "~O(0.1)" estimate is left as printed
    convention = "nlp-inference-macs-before-v7"
    assert inference(6) == {
        "transformer": (54e9, convention),
        "bert-large": (340e9, convention),
        "baidu-recsys-c": (1e8, ""),
    }
    # the same text as version 7 is read as FLOPs already
    assert inference(7) == {
        "transformer": (27e9, ""),
        "bert-large": (170e9, ""),
        "baidu-recsys-c": (1e8, ""),
    }
