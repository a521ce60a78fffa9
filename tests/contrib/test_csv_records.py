"""The contribution CSV reader parses quotes before line breaks: a quoted field may span
lines (and the fields after it keep their real line and column), while a stray quote is an
error, not a valid row. Expected positions are read off the fixture text by hand."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from memwall.contrib.records import read_csv
from memwall.identity import Identities

REPO = Path(__file__).resolve().parents[2]
CONTRIB = REPO / "tests/fixtures/contrib"
IDENTITIES = Identities.load(REPO / "pipeline/memwall/data/aliases.yaml")
SOURCE = {"source_id": "contrib", "source": "test", "rank": 1_000_000}


def read(name: str):
    text = (CONTRIB / name).read_bytes().decode("utf-8")
    return read_csv(name, text, IDENTITIES, SOURCE)


def observed(row, field: str) -> tuple[object, int, int]:
    cell = row.cell(field)
    return cell["value"], cell["line"], cell["char"]


def test_a_quoted_line_break_is_part_of_the_field_not_an_error():
    rows, problems = read("csv_quoted_newline_in_model_name.csv")
    assert problems == []
    assert [(r.line, r.model_id) for r in rows] == [(2, "chinchilla-70b"), (4, "gopher")]
    first = rows[0]
    # line 3 is `(70B)",nlp,2022-03-29,70000000000`: nlp starts at column 8
    assert observed(first, "model") == ("Chinchilla\n(70B)", 2, 1)
    assert observed(first, "domain") == ("nlp", 3, 8)
    assert observed(first, "params") == ("70000000000", 3, 23)
    assert observed(rows[1], "params") == ("280000000000", 4, 23)


def test_a_quoted_crlf_line_break_counts_as_one_line():
    rows, problems = read("csv_quoted_newline_crlf.csv")
    assert problems == []
    assert [(r.line, r.model_id) for r in rows] == [(2, "chinchilla-70b"), (4, "gopher")]
    assert observed(rows[0], "model") == ("Chinchilla\n(70B)", 2, 1)
    assert observed(rows[0], "domain") == ("nlp", 3, 8)


def test_a_stray_quote_makes_the_row_an_error_not_a_valid_row():
    rows, problems = read("csv_stray_quote_in_unquoted_field.csv")
    assert [(p.line, p.column, p.code) for p in problems] == [(3, 5, "csv")]
    assert [(r.line, r.readable) for r in rows] == [(2, True), (3, False)]


def test_after_an_unterminated_quote_reading_resumes_on_the_next_line():
    rows, problems = read("csv_unterminated_quote_then_valid_row.csv")
    assert [(p.line, p.column, p.message) for p in problems] == [
        (2, 1, "unterminated quoted field")
    ]
    assert [(r.line, r.readable, r.model_id) for r in rows] == [
        (2, False, None),
        (3, True, "gopher"),
    ]


def test_doubled_quotes_and_spaces_around_fields():
    from memwall.contrib.records import split_csv

    [header, record] = split_csv('a, b ,c\n "x ""y""" , 2,"z"\n')
    assert [(f.text, f.line, f.column) for f in header.fields] == [
        ("a", 1, 1),
        ("b", 1, 4),
        ("c", 1, 7),
    ]
    assert [(f.text, f.column) for f in record.fields] == [('x "y"', 2), ("2", 14), ("z", 16)]


FIELD = st.text(alphabet=st.sampled_from('ab ,"\n1'), max_size=6).map(str.strip)


@given(
    st.lists(st.lists(FIELD, min_size=1, max_size=4), min_size=1, max_size=5),
    st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
)
def test_records_read_back_as_pythons_csv_module_wrote_them(records, quoting):
    from memwall.contrib.records import split_csv

    records = [r for r in records if r != [""]]  # a lone empty field is a blank line
    out = io.StringIO()
    csv.writer(out, quoting=quoting, lineterminator="\n").writerows(records)
    assert [[f.text for f in r.fields] for r in split_csv(out.getvalue())] == records
