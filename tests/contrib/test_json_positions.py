"""JSON records are positioned by a binary search over line starts (n log n over a file),
giving the same line and column as counting the line breaks before each offset."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from memwall.contrib.records import _Positions, read_json
from memwall.identity import Identities

REPO = Path(__file__).resolve().parents[2]
IDENTITIES = Identities.load(REPO / "pipeline/memwall/data/aliases.yaml")
SOURCE = {"source_id": "contrib", "source": "t.json", "rank": 1_000_000}


@given(st.text(alphabet="ab\n\r{", max_size=40), st.data())
def test_binary_search_positions_equal_counted_ones(text, data):
    offset = data.draw(st.integers(0, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    assert _Positions(text)(offset) == (line, column)


def test_records_and_their_cells_keep_their_lines_and_columns():
    records = [{"model": f"M{i}", "params": 10 + i} for i in range(3)]
    text = json.dumps(records, indent=1)
    rows, problems = read_json("t.json", text, IDENTITIES, SOURCE)
    assert problems == []
    lines = text.split("\n")
    # Each record opens on its own line ("{"), its keys two lines and three lines below.
    opens = [n for n, line in enumerate(lines, 1) if line.strip() == "{"]
    assert [r.line for r in rows] == opens
    for row, start in zip(rows, opens, strict=True):
        cell = row.cell("params")
        assert (cell["line"], cell["char"]) == (start + 2, lines[start + 1].index('"params"') + 1)
