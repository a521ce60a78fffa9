"""The column-wise reading of plain numbers (`units_columns.read_plain`) gives exactly what
the units module gives for each text it takes (`tablekinds.read_cell`, then
`rows.value_text`), and takes none the units module refuses or reads otherwise."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memwall.rows import value_text
from memwall.tablekinds import INFERENCE, PARAMS, TRAINING, read_cell
from memwall.units import VALUE, UnitError
from memwall.units_columns import read_plain

COLUMNS = {"count": PARAMS, "gflops": INFERENCE, "pflops": TRAINING}
EXAMPLES = [
    "1,500M", "1.5B", "77M", "0.5K", "1.25k", "3T", "2 G", "12\tb", "007", "0", "0.0", "1,5M",
    "3,400", "102.400", ".5", "0.000000000000000000000001", "123456789012345678", "1e5",
    "12,34", "1,234,567.891", "99999999999999999999M", "1.0000000001M", "10.00", "", "N/A",
    "-", "~O(0.1)", "\uff11\uff12", "\u0663", "1 ,000", "5.", "1.5BB", " 1", "123456789012345.6789",
]  # fmt: skip


def expected(reader: str, text: str) -> str | None:
    """The units module's canonical value of a plain value cell, else None."""
    try:
        parsed = read_cell(COLUMNS[reader], text, 2**30)
    except UnitError:
        return None
    return value_text(parsed.value) if parsed.status == VALUE else None


def assert_same(reader: str, texts: list[str]) -> None:
    got = dict(read_plain(reader, pl.Series(texts, dtype=pl.String)).iter_rows())
    for text in texts:
        if text in got:  # what it reads, it reads as the units module does
            assert got[text] == expected(reader, text), text


@pytest.mark.parametrize("reader", sorted(COLUMNS))
def test_plain_numbers_read_as_the_units_module_reads_them(reader):
    assert_same(reader, EXAMPLES)
    taken = set(read_plain(reader, pl.Series(EXAMPLES))["text"])
    assert {"1.5B", "1,500M"} <= taken if reader == "count" else {"3,400", "102.400"} <= taken


DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=20)
NUMBER = st.builds(
    lambda whole, comma, frac, gap, suffix: (
        (f"{int(whole):,}" if comma else whole) + (f".{frac}" if frac else "") + gap + suffix
    ),
    DIGITS,
    st.booleans(),
    st.one_of(st.just(""), DIGITS),
    st.sampled_from(["", "", " ", "\t"]),
    st.sampled_from(["", "", "K", "m", "B", "g", "T", "x"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(NUMBER, min_size=1, max_size=20), st.sampled_from(sorted(COLUMNS)))
def test_any_number_reads_as_the_units_module_reads_it(texts, reader):
    assert_same(reader, texts)
