"""Every data row of all 26 versions is in the history or in the rejects: counted from the
raw text by a method that shares nothing with the parser."""

from __future__ import annotations

import polars as pl
from historyrows import ROOT


def data_rows_by_plain_scan(text: str) -> set[int]:
    """Lines of data rows: a pipe line whose second cell (the Model column in every table
    upstream ever had) holds a name; not a header ("Model"), not a name's continuation
    ("(64x4d)"), not a separator or an empty row."""
    rows = set()
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.lstrip().startswith("|"):
            continue
        parts = line.split("|")
        if len(parts) < 3:
            continue
        name = parts[2].strip()
        if not name or name == "Model" or name.startswith("(") or set(name) <= set("-: "):
            continue
        rows.add(number)
    return rows


def test_the_plain_scan_counts_version_1_as_counted_by_hand(versions):
    # version 1: 11 NLP rows (Transformer .. Baidu RecSys-E), 6 CV rows (ResNet50 .. Fix_ResNeXt101)
    text = (ROOT / versions[0].path).read_bytes().decode("utf-8")
    assert len(data_rows_by_plain_scan(text)) == 17


def test_every_data_row_of_every_version_is_in_history_or_rejects(built, versions):
    history, rejects, _ = built
    stated = history.filter(pl.col("change") != "removed")
    total = 0
    for version in versions:
        text = (ROOT / version.path).read_bytes().decode("utf-8")
        expected = data_rows_by_plain_scan(text)
        total += len(expected)
        in_history = set(stated.filter(pl.col("version") == version.number)["line"].to_list())
        in_rejects = set(rejects.filter(pl.col("version") == version.number)["line"].to_list())
        missing = expected - in_history - in_rejects
        assert not missing, f"version {version.number}: rows on lines {sorted(missing)} lost"
        # and nothing is read from a line that is no data row
        assert in_history <= expected, (version.number, sorted(in_history - expected))
    # by hand from the diffs: v1-8 11 NLP + 6 CV; v9 14 + 6; v10-11 14 + 6 + 8 memory;
    # v12-13 15 + 7 + 8; v14-26 15 + 8 + 8
    assert total == 17 * 8 + 20 + 28 * 2 + 30 * 2 + 31 * 13 == 675


def test_the_history_states_a_model_row_for_each_counted_row(built, versions):
    history, rejects, _ = built
    rows = history.filter((pl.col("change") != "removed") & (pl.col("field") == "model"))
    scanned = sum(
        len(data_rows_by_plain_scan((ROOT / v.path).read_bytes().decode("utf-8"))) for v in versions
    )
    assert rows.height + rejects.height == scanned
