"""The CSV record reader: multi-line quoted cells are one record, and every cell knows its place."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memwall.csvrecords import CsvSyntaxError, read_records
from memwall.textio import decode

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hardware"


def texts(records):
    return [[c.text for c in r.cells] for r in records]


def test_quoted_commas_doubled_quotes_and_newlines_stay_in_one_cell():
    records = read_records('a,"b, c"\n"x ""y""\nz",w\n')
    assert texts(records) == [["a", "b, c"], ['x "y"\nz', "w"]]
    assert [r.line for r in records] == [1, 2]
    # the cell after a two-line quoted cell sits on line 3, after `z",`
    assert (records[1].cells[1].line, records[1].cells[1].char) == (3, 4)


def test_crlf_ends_records_but_stays_inside_quoted_cells():
    records = read_records('a,b\r\n"one\r\ntwo",c\r\n')
    assert texts(records) == [["a", "b"], ["one\r\ntwo", "c"]]
    assert (records[1].cells[1].line, records[1].cells[1].char) == (3, 6)


def test_empty_lines_are_not_records_but_an_empty_quoted_cell_is():
    records = read_records('a\n\n""\nb')
    assert texts(records) == [["a"], [""], ["b"]]
    assert [r.line for r in records] == [1, 3, 4]


def test_fixture_with_multiline_notes_reads_like_the_csv_module_with_positions():
    text = (FIXTURES / "multiline_notes_and_quotes.csv").read_text(encoding="utf-8")
    records = read_records(text)
    assert [r.line for r in records] == [1, 2, 5]
    alpha = records[1]
    assert alpha.cells[3].text == 'first line\nsecond, with comma\nsays "fast"'
    # `says ""fast""",` is 15 characters: the release date starts at column 16 of line 4
    assert (alpha.cells[4].text, alpha.cells[4].line, alpha.cells[4].char) == ("2020-05-14", 4, 16)
    assert records[2].cells[0].text == 'Beta, "Y2"'


def test_bom_and_crlf_fixture_keeps_columns_of_visible_characters():
    text, had_bom = decode((FIXTURES / "crlf_line_ends_and_bom.csv").read_bytes())
    records = read_records(text)
    assert had_bom
    assert records[0].cells[0].text == "Hardware name"
    assert records[0].cells[1].char == len("Hardware name,") + 1
    assert records[1].cells[3].text == "one\r\ntwo"
    assert [r.line for r in records] == [1, 2, 4]
    assert all(not c.text.endswith("\r") for r in records for c in r.cells)


def test_unterminated_quote_is_reported_where_the_cell_starts():
    with pytest.raises(CsvSyntaxError) as error:
        read_records('a,b\nc,"never closed\n')
    assert (error.value.line, error.value.char) == (2, 3)


def test_text_after_a_closing_quote_is_an_error_at_that_character():
    with pytest.raises(CsvSyntaxError) as error:
        read_records('"ab"c,d\n')
    assert (error.value.line, error.value.char) == (1, 5)


def test_the_epoch_snapshot_splits_exactly_like_the_csv_module():
    text = (REPO / "raw" / "epoch" / "ml_hardware.csv").read_text(encoding="utf-8")
    expected = list(csv.reader(io.StringIO(text, newline="")))
    records = read_records(text)
    assert texts(records) == expected
    assert len(records) == 171  # header + 170 devices (the README's count)


cell_text = st.text(alphabet=st.sampled_from('ab ,"\n\r1.'), max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(cell_text, min_size=2, max_size=4), min_size=1, max_size=4))
def test_any_table_written_by_the_csv_module_reads_back_with_true_positions(rows):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    text = buffer.getvalue()
    records = read_records(text)
    assert texts(records) == rows
    lines = text.split("\n")
    for record in records:
        for cell in record.cells:
            rest = lines[cell.line - 1][cell.char - 1 :]
            written = cell.text.split("\n")[0] if cell.text else ""
            assert rest.startswith('"') or rest.startswith(written)
