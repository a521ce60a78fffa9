"""Published JSON records: the column-wise writer gives the bytes `json.dumps` gives."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from memwall.writers import records_json


def _dumped(frame: pl.DataFrame) -> str:
    """What the writer wrote before: json.dumps of the rows, dates as ISO text."""

    def default(value):
        return value.isoformat()

    return json.dumps(frame.to_dicts(), indent=2, ensure_ascii=False, default=default) + "\n"


def test_records_json_of_awkward_values_is_what_json_dumps_writes():
    frame = pl.DataFrame(
        {
            "name": [
                'quote " and \\ backslash',
                "line\nbreak\ttab",
                "\x01control",
                "é中\u2028",
                None,
            ],
            "count": [1, -2, None, 2**62, 0],
            "share": [0.1, 1e16, float("nan"), float("-inf"), None],
            "flag": [True, False, None, True, False],
            "published": [dt.date(2021, 1, 2), None, dt.date(1999, 12, 31), None, None],
        }
    )
    assert records_json(frame) == _dumped(frame)


def test_records_json_of_an_empty_frame_and_of_nested_columns_falls_back_exactly():
    assert records_json(pl.DataFrame({"a": []}, schema={"a": pl.Int64})) == "[]\n"
    nested = pl.DataFrame({"ids": [["a", "b"], []], "n": [1, 2]})
    assert records_json(nested) == _dumped(nested)


def test_records_json_in_slices_is_the_same_text():
    frame = pl.DataFrame(
        {
            "name": ["plain", 'with "quote"', None, "tab\there", "last"],
            "day": [dt.date(999, 1, 2), dt.date(2020, 5, 28), None, dt.date(1, 1, 1), None],
            "flag": [None, True, False, None, True],
        }
    )
    whole = _dumped(frame)
    assert records_json(frame) == whole
    for rows in (1, 2, 4, 5, 50):
        assert records_json(frame, chunk_rows=rows) == whole
