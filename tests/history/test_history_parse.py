"""Old upstream layouts are read by header, with their quirks undone."""

from __future__ import annotations

import datetime as dt
import hashlib

import polars as pl
from historyrows import FIXTURES, ROOT, row_context

from memwall.history_parse import Version, parse_version

V1 = Version(1, "fixture.md", "0" * 40, dt.datetime(2021, 3, 16, tzinfo=dt.UTC), "added README")


def parse(name: str):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    cells, rejects, tables = parse_version(text, V1, row_context())
    return text, pl.DataFrame(cells), rejects, tables


def test_two_row_header_joins_into_one_header_and_separators_are_not_rows():
    _, cells, rejects, tables = parse("two_row_header_and_separator_rows.md")
    assert rejects == []
    assert [(t["kind"], t["header_line"], t["data_rows"]) for t in tables] == [
        ("nlp-models-2row", 2, 4)
    ]
    headers = set(cells["header"])
    assert {"Input Size (Token)", "FLOPs (GFLOPs)"} <= headers
    models = cells.filter(pl.col("field") == "model").sort("line")
    assert models["line"].to_list() == [5, 7, 9, 11]
    assert models["model_id"].to_list() == ["transformer", "bert-large", "elmo", "baidu-recsys-e"]


def test_single_digit_date_and_old_spelling_are_read():
    _, cells, _, _ = parse("two_row_header_and_separator_rows.md")
    elmo = cells.filter(pl.col("model_id") == "elmo")
    by_field = dict(zip(elmo["field"], elmo["canonical"], strict=True))
    assert by_field["published"] == "2018-02-15"
    assert by_field["model"] == "ELMo"  # display name from the alias registry
    assert by_field["params"] == "94000000"


def test_model_name_continued_on_next_row_joins_the_row_above():
    text, cells, rejects, tables = parse("model_name_continued_on_next_row.md")
    assert rejects == []
    assert tables[0]["kind"] == "cv-accuracy-2row" and tables[0]["data_rows"] == 6
    names = cells.filter(pl.col("field") == "model").sort("line")
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
    _, rejects, tables = parse_version(text, V1, row_context())
    assert tables == []
    assert [(r["line"], r["code"]) for r in rejects] == [(3, "unknown-table")]
    assert "closest" in rejects[0]["reason"]


def test_a_ragged_row_is_rejected_with_its_cell_count():
    text = (
        "| Date | Model | Token Size | #Params | GFLOPs |\n|---|---|---|---|---|\n"
        "| 1/1/2020 | X | 512 | 1M |\n| 1/2/2020 | Y | 512 | 2M | 3 |\n"
    )
    cells, rejects, _ = parse_version(text, V1, row_context())
    assert [(r["line"], r["code"]) for r in rejects] == [(3, "ragged-row")]
    assert "4 cells" in rejects[0]["reason"]
    assert {c["model_id"] for c in cells} == {"y"}


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
