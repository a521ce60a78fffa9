"""The cells frame's `half` column (polars expressions) is `half_unit` of each cell's text and
number, the scalar reading of the printed precision, for plain, grouped, decimal, suffixed,
estimated, non-ASCII and number-free texts."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memwall.checks.base import half_unit
from memwall.checks.cells import _half, cells_of
from memwall.merge import OBSERVATION_SCHEMA

CASES = [
    ("1,500M", 1.5e9),
    ("0.23 GB", 246960620.0),
    ("~O(0.1)", 0.1),
    ("\u0661\u0662", 12.0),  # Arabic-Indic digits: read by half_unit itself
    ("00", 0.0),
    ("1.50", 1.5),
    ("abc", 3.0),
    (None, 5.0),
    ("12.345.6", 12.345),
    (".5", 0.5),
    ("10 x 20", 10.0),
    ("0100", 100.0),
    ("1,000,000.250", 1e6),
    ("3.4e12", 3.4e12),
    ("0.0", 0.0),
    ("7", None),
]


def halves(texts, numbers):
    frame = pl.DataFrame(
        {"text": texts, "number": numbers}, schema={"text": pl.String, "number": pl.Float64}
    )
    return _half(frame).to_list()


@pytest.mark.parametrize(("text", "number"), CASES)
def test_half_column_is_half_unit(text, number):
    assert halves([text], [number]) == [half_unit(text, number)]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.from_regex(r"\A~?[0-9]{1,7}(,[0-9]{3})?(\.[0-9]{1,4})? ?[KMGT]?B?\Z"),
            st.floats(min_value=1e-3, max_value=1e15),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_half_column_is_half_unit_on_printed_numbers(pairs):
    texts, numbers = zip(*pairs, strict=True)
    assert halves(list(texts), list(numbers)) == [half_unit(t, n) for t, n in pairs]


def test_a_corrected_cell_is_read_from_the_text_its_correction_puts_in_place():
    """GPT-2's sequence length printed "2014" and overridden to "1024": the checks read the
    corrected text, and a correction id with no replacement text leaves the printed one."""

    def observation(model_id, raw, corrections):
        row = dict.fromkeys(OBSERVATION_SCHEMA)
        row |= {"table": "models", "model_id": model_id, "field": "input_tokens"}
        row |= {"value": "1024", "status": "value", "raw": raw, "corrections": corrections}
        return row | {"source": "raw/t.md", "line": 3, "char": 5, "rank": 0}

    obs = pl.DataFrame(
        [
            observation("gpt-2", "2014", "gpt2-seq,unregistered"),
            observation("bert", "1,024", ""),
            observation("t5", "1.024e3", "unregistered"),
        ],
        schema=OBSERVATION_SCHEMA,
        orient="row",
    ).with_columns(published=pl.lit(True))
    cells = cells_of(obs, {"gpt2-seq": "1024"})
    texts = dict(cells.select("model_id", "text").iter_rows())
    assert texts == {"gpt-2": "1024", "bert": "1,024", "t5": "1.024e3"}
    assert obs["raw"].to_list() == ["2014", "1,024", "1.024e3"]  # the input is not changed
