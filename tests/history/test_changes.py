"""The change computation: properties on generated tables, and the real history's counts."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from memwall.history import compute_changes

FIELDS = ("params", "inference_flop", "training_flop")
names = st.text(alphabet="abcdefgh", min_size=1, max_size=4)
texts = st.sampled_from(["1M", "2M", "3", "N/A", "~O(0.1)"])
tables = st.dictionaries(names, st.dictionaries(st.sampled_from(FIELDS), texts), max_size=6)


def cells_of(version: int, table: dict[str, dict[str, str]]) -> list[dict]:
    out = []
    for line, (model, fields) in enumerate(sorted(table.items()), start=1):
        for col, (field, raw) in enumerate(sorted(fields.items()), start=1):
            out.append(
                {
                    "version": version,
                    "table": "nlp-models",
                    "kind": "nlp-models",
                    "model_id": model,
                    "field": field,
                    "raw": raw,
                    "canonical": raw,
                    "value_printed": None,
                    "value": None,
                    "status": "not_applicable" if raw == "N/A" else "value",
                    "line": line,
                    "col": col,
                    "header": field,
                    "corrections": "",
                    "conventions": "",
                }
            )
    return out


def changes(*versions: dict) -> pl.DataFrame:
    cells = [c for number, table in enumerate(versions, start=1) for c in cells_of(number, table)]
    schema = {
        "version": pl.Int32, "table": pl.String, "kind": pl.String, "model_id": pl.String,
        "field": pl.String, "raw": pl.String, "canonical": pl.String,
        "value_printed": pl.Float64, "value": pl.Float64, "status": pl.String,
        "line": pl.Int32, "col": pl.Int32, "header": pl.String, "corrections": pl.String,
        "conventions": pl.String,
    }  # fmt: skip
    frame = pl.DataFrame(cells, schema=schema, orient="row")
    present = pl.DataFrame(
        {"version": list(range(1, len(versions) + 1)), "table": "nlp-models"},
        schema={"version": pl.Int32, "table": pl.String},
    )
    meta = pl.DataFrame(
        {
            "version": list(range(1, len(versions) + 1)),
            "commit": [f"{n:040d}" for n in range(1, len(versions) + 1)],
            "committed": [
                dt.datetime(2021, 3, n, tzinfo=dt.UTC) for n in range(1, 1 + len(versions))
            ],
        },
        schema={"version": pl.Int32, "commit": pl.String, "committed": pl.Datetime("us", "UTC")},
    )
    return compute_changes(frame, present, meta)


def keys(frame: pl.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["model_id"], frame["field"], strict=True))


@settings(max_examples=40, deadline=None)
@given(tables)
def test_a_version_compared_with_itself_has_only_same(table):
    second = changes(table, table).filter(pl.col("version") == 2)
    assert set(second["change"]) <= {"same"}
    assert second.height == sum(len(f) for f in table.values())


@settings(max_examples=40, deadline=None)
@given(tables, names, st.dictionaries(st.sampled_from(FIELDS), texts, min_size=1))
def test_adding_one_row_yields_exactly_its_cells_as_added(table, model, row):
    table = {m: f for m, f in table.items() if m != model}
    second = changes(table, {**table, model: row}).filter(pl.col("version") == 2)
    added = second.filter(pl.col("change") == "added")
    assert keys(added) == {(model, f) for f in row}
    assert set(second.filter(pl.col("model_id") != model)["change"]) <= {"same"}


@settings(max_examples=40, deadline=None)
@given(tables, names, st.dictionaries(st.sampled_from(FIELDS), texts, min_size=1))
def test_removing_one_row_yields_its_cells_removed_once_with_the_last_raw_text(table, model, row):
    table = {**table, model: row}
    rest = {m: f for m, f in table.items() if m != model}
    history = changes(table, rest, rest)
    removed = history.filter(pl.col("change") == "removed")
    assert keys(removed) == {(model, f) for f in row}
    assert set(removed["version"]) == {2}
    assert dict(zip(removed["field"], removed["raw"], strict=True)) == row
    assert history.filter(pl.col("model_id") == model)["version"].max() == 2


def test_a_changed_text_is_changed_with_old_and_new():
    history = changes({"a": {"params": "1M"}}, {"a": {"params": "2M"}})
    row = history.filter(pl.col("version") == 2).row(0, named=True)
    assert (row["change"], row["previous_raw"], row["raw"]) == ("changed", "1M", "2M")


def test_the_real_history_counts_what_the_diffs_show(built):
    history, _, _ = built
    count = history.group_by("version", "change").len()

    def n(version: int, change: str) -> int:
        hit = count.filter((pl.col("version") == version) & (pl.col("change") == change))
        return int(hit["len"].sum())

    # v12 drops Top-1 and five CV models: 6 models x 6 stated cells, minus ResNet152's
    # date-less row keeping model, height, width, inference (4) -> 32 removed. The dates the
    # corrections registry gives three of the blank Date cells (resnet50-date, ...) are not
    # upstream's statements, so they are not in the history and are not "removed" either.
    assert n(12, "removed") == 32
    # v14: VGG-19 135M->138M, InceptionV3 82M->24M, DenseNet201 18M->20M, AlexNet memory x3
    assert n(14, "changed") == 6
    assert n(11, "added") + n(11, "changed") + n(11, "removed") == 0  # a heading renamed
    # only v12 removes cells: the ResNeXt101 row's earlier names (32x8d in v12-13, 32x4d in
    # v14-17) are renames in the corrections registry, so v14 and v18 rename, not remove
    assert history.filter(pl.col("change") == "removed").select("version").n_unique() == 1
