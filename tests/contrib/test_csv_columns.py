"""The column-wise CSV reader (polars) reads every text it takes exactly as the record reader
does: the same rows, the same observations (values, statuses, raw text, line and column) and
the same problems. The record reader is the independent reference: it splits and types one
cell at a time in Python."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memwall.contrib.csvcolumns import applies, read_csv_columns
from memwall.contrib.frames import from_rows
from memwall.contrib.records import read_csv
from memwall.identity import Identities
from strategies import cell_texts

REPO = Path(__file__).resolve().parents[2]
CONTRIB = REPO / "tests/fixtures/contrib"
IDENTITIES = Identities.load(REPO / "pipeline/memwall/data/aliases.yaml")
SOURCE = {"source_id": "contrib", "source": "t.csv", "rank": 1_000_000}
HEADER = "model,domain,published,input_tokens,params,inference_flop,training_flop\n"

WIDE_HEADER = "model," + ",".join(f"c{i}" for i in range(300)) + "\n"
DEFECTS = {
    "blank_lines_and_crlf": HEADER + "\n  \nA,nlp,2021-01-01,512,100,1e5,2.5e10\r\n\r\n",
    "padded_cells": HEADER + "  B  , nlp ,2021-02-03 , 512,  7 ,1.5,3\n",
    "bad_numbers": HEADER + "C,nlp,2021-13-01,0x1,-5,1e400,N/A\nD,nlp,,0,0012,.5,5.\n",
    "int64_overflow": HEADER + "E,nlp,,,12345678901234567890,,\nF,nlp,,,9223372036854775807,,\n",
    "non_ascii_digits": HEADER + "G,nlp,2021-01-01,\u0663,\uff11\uff12,1e5,1e6\n",
    "mm_dd_yyyy_date": HEADER + "H,nlp,05/28/2020,,,,\n",
    "ragged_rows": HEADER + "I,nlp\nJ,nlp,,,,,,,\n,\n",
    "empty_model": HEADER + ",nlp,,,,,\n   ,cv,,,,,\n",
    "invisible_name": HEADER + "K\u200b,nlp,,,,,\n",
    "formula_domain": HEADER + "L,=cmd,,,,,\n",
    "known_alias": HEADER + "GPT-3,nlp,2020-05-28,2048,175000000000,3.5e14,3.14e23\n",
    "model_id_column": "model,model_id,domain\nGPT 3,gpt-3,nlp\nBERT,wrong,nlp\nX,,cv\n",
    "memory_columns": "model,params_memory_bytes,total_memory_bytes\nM,1e9,N/A\n",
    "unknown_column": "model,colour\nA,red\n",
    "repeated_column": "model,params,params\nA,1,2\n",
    "no_model_column": "domain,params\nnlp,5\n",
    "header_only": "model,params\n",
    "blank_text": "\n \n",
    "no_trailing_newline": HEADER + "N,nlp,2021-01-01,1,2,3,4",
    "quoted_comma_in_name": HEADER + '"Q, large",nlp,2021-01-01,512,100,1e5,2e10\n',
    "quoted_doubled_quote": HEADER + '"Q ""xl""",nlp,,,,,\n',
    "quoted_padded": HEADER + '  "Q"  , "nlp" ," 5 ",,,,\n',
    "quoted_header": '"model","params"\n"A","7"\n',
    "quoted_line_break_then_fields": HEADER + '"R\n(7B)",nlp,\n2021-01-01,1,2,3,4\nS,nlp,,,,,\n',
    "quoted_crlf_line_break": HEADER.replace("\n", "\r\n") + '"T\r\nx",nlp,,,,,"5"\r\n',
    "quoted_ragged_over_lines": HEADER + '"U\n",nlp\n"V","\n,"\n',
    "quoted_empty_and_blank_lines": HEADER + '\n"",nlp,,,,,\n\n"W","",,"","","",""\n',
    "stray_quote_in_unquoted_field": HEADER + 'X,n"lp,,,,,\nY,nlp,,,,,\n',
    "text_after_closing_quote": HEADER + '"Z"z,nlp,,,,,\nY,nlp,,,,,\n',
    "unterminated_quote": HEADER + 'Y,nlp,,,,,\n"Z,nlp,,,,,\nY2,nlp,,,,,\n',
    "tab_before_quote": HEADER + '\t"Z",nlp,,,,,\n',
    "cr_after_quote_mid_record": HEADER + '"Z"\r,nlp,,,,,\n',
    # Both were read in time and memory growing with the cube of the header's width (a
    # 301-column header with 120 rows: 87 s and 12 GB); now linear.
    "three_hundred_unknown_columns": WIDE_HEADER + "A" + ",1" * 300 + "\nB" + ",2" * 300 + "\n",
    "cr_only_line_breaks": (HEADER + "A,nlp,2021-01-01,512,100,1e5,2e10\n" * 60).replace(
        "\n", "\r"
    ),
}


def both(text: str):
    rows, row_problems = read_csv("t.csv", text, IDENTITIES, SOURCE)
    columns, column_problems = read_csv_columns("t.csv", text, IDENTITIES, SOURCE)
    return (
        from_rows(rows),
        sorted(row_problems, key=repr),
        columns,
        sorted(column_problems, key=repr),
    )


def assert_same(text: str) -> None:
    assert applies(text)
    reference, expected, got, problems = both(text)
    assert problems == expected
    assert got.rows.to_dicts() == reference.rows.to_dicts()
    order = ["row_line", "line", "char", "field"]
    assert got.observations.sort(order).to_dicts() == reference.observations.sort(order).to_dicts()


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_column_reader_matches_record_reader(defect):
    assert_same(DEFECTS[defect])


@pytest.mark.parametrize("name", sorted(p.name for p in CONTRIB.glob("*.csv")))
def test_column_reader_matches_record_reader_on_fixtures(name):
    assert_same((CONTRIB / name).read_bytes().decode("utf-8", errors="replace"))


CELL = cell_texts(
    ["", "N/A", "-", "1", "0", "1e5", "1.5", ".5", "2021-02-29", "2020-02-29"],
    forbidden='",\n\r\x1c\x1d\x1e\x1f',
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(CELL, min_size=1, max_size=8), max_size=6))
def test_column_reader_matches_record_reader_on_any_unquoted_text(records):
    assert_same(HEADER + "\n".join(",".join(r) for r in records) + "\n")


QUOTABLE = st.one_of(
    CELL,
    st.text(
        alphabet=st.characters(
            blacklist_characters="\x1c\x1d\x1e\x1f", blacklist_categories=("Cs",)
        ),
        max_size=6,
    ),
)


def _field(text: str, quoted: bool, pad: int) -> str:
    if not quoted:
        return text.replace('"', "").replace(",", "").replace("\n", "").replace("\r", "")
    return " " * pad + '"' + text.replace('"', '""') + '"' + " " * pad


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(QUOTABLE, st.booleans(), st.integers(0, 2)), min_size=1, max_size=8),
        max_size=6,
    ),
    st.sampled_from(["\n", "\r\n"]),
)
def test_column_reader_matches_record_reader_on_any_quoted_text(records, end):
    """Fields quoted as CSV writers do (any text: commas, quotes, line breaks), or not."""
    lines = [",".join(_field(*cell) for cell in record) for record in records]
    assert_same(HEADER.replace("\n", end) + end.join(lines) + end)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet='ab ,"\n\r', max_size=12), max_size=5))
def test_column_reader_matches_record_reader_on_malformed_quoting(records):
    """Stray, unbalanced and misplaced quotes: the record reader's errors and recovery."""
    assert_same(HEADER + "\n".join(records) + "\n")


def test_only_white_space_polars_and_python_disagree_on_goes_to_the_record_reader():
    assert applies(HEADER + '"A, the model",nlp,,,,,\n')
    assert not applies(HEADER + "A\x1c,nlp,,,,,\n")


WELL_QUOTED = [d for d in DEFECTS if d.startswith("quoted_")]


@pytest.mark.parametrize("defect", WELL_QUOTED)
def test_well_formed_quoting_is_read_column_wise(defect, monkeypatch):
    """Not handed to the record reader: the column-wise reader reads it itself."""
    import memwall.contrib.csvcolumns as csvcolumns

    def record_reader(*args):
        raise AssertionError("handed to the record reader")

    monkeypatch.setattr(csvcolumns, "read_csv", record_reader)
    read_csv_columns("t.csv", DEFECTS[defect], IDENTITIES, SOURCE)
    quoted = CONTRIB / "csv_quoted_newline_in_model_name.csv"
    read_csv_columns("t.csv", quoted.read_text(encoding="utf-8"), IDENTITIES, SOURCE)
