"""JSON records are positioned by a binary search over line starts (n log n over a file),
giving the same line and column as counting the line breaks before each offset."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from memwall.contrib.records import _key_offsets, _Positions, read_json
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


KEY_TEXTS = st.text(alphabet=st.sampled_from('ab:,"\\{}[] \t\u00e9\u2028'), max_size=4)
SCALARS = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), KEY_TEXTS)


@given(
    st.dictionaries(KEY_TEXTS, SCALARS, max_size=6),
    st.sampled_from([(",", ":"), (", ", ": "), (" ,\n ", " :\t")]),
    st.booleans(),
)
def test_a_flat_records_keys_are_where_the_token_scan_finds_them(record, separators, ascii):
    """Keys and values with quotes, colons, braces and escapes: the regex pass of a flat
    record finds each key where the token scan does, at its opening quote."""
    text = "[" + json.dumps(record, separators=separators, ensure_ascii=ascii) + "]"
    flat = _key_offsets(text, 1, len(text) - 1, flat=True)
    assert flat == _key_offsets(text, 1, len(text) - 1, flat=False)
    assert set(flat) == set(record)
    for key, at in flat.items():
        assert json.JSONDecoder().raw_decode(text, at)[0] == key


def test_a_key_is_not_found_in_a_value_or_a_nested_record():
    text = '[{"model": "params", "n": {"params": 1}, "params": -5}]'
    assert _key_offsets(text, 1, len(text) - 1, flat=False) == {
        "model": text.index('"model"'),
        "n": text.index('"n"'),
        "params": text.rindex('"params"'),
    }
