"""The parse stage's column-wise reader (`parse.parse_frames` through
`locate_columns.locate_table_columns`) gives exactly the frames of the row reader
(`parse.parse_markdown` through `history_parse.locate_tables`, then `parse.cell_frames`):
the same cells (positions, headers, kinds, continued Model cells) and the same rejects, on
all 26 upstream versions, the fixtures and texts that carry the old layouts' quirks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from memwall.locate_columns import locate_table_columns
from memwall.markdown import find_tables, first_header
from memwall.parse import cell_frames, parse_frames, parse_markdown
from memwall.sources import Source
from strategies import cell_texts

REPO = Path(__file__).resolve().parents[1]
UPSTREAM = Source(id="upstream-v03", path="u.md", kind="upstream", rank=3, meta={"commit": "c"})
CONTRIB = Source(id="contrib-t", path="t.md", kind="contrib", rank=1_000, meta={})
HEADER = (
    "| Date | Model | Token Size | #Params | #Features | Inference GFLOPs | Training PFLOPs |\n"
    "|---|---|---|---|---|---|---|\n"
)
OLD_HEADER = (
    "| Date | Model | Input Size | #Params | FLOPs |\n"
    "| | | (Token) | | (GFLOPs) |\n"
    "|:--:|---|---|---|---|\n"
)
QUIRKS = {
    "two_row_header": OLD_HEADER + "| 2018 | BERT | 512 | 340M | 110 |\n",
    "separator_rows": HEADER + "| 2020 | A | 1 | 1M | | 1 | 1 |\n|---|---|---|---|---|---|---|\n"
    "| 2020 | B | 1 | 1M | | 1 | 1 |\n| - | - | - | - | - | - | - |\n",
    "empty_rows": HEADER + "|  |  |  |  |  |  |  |\n| 2020 | A | 1 | 1M | | 1 | 1 |\n"
    "| | | | | | | |\n",
    "continued_model": HEADER + "| 2017 | ResNeXt152 | 1 | 1M | | 1 | 1 |\n"
    "| | (64x4d) | | | | | |\n| | (more) | | | | | |\n| 2020 | B | 1 | 1M | | 1 | 1 |\n",
    "continuation_first": HEADER + "| | (alone) | | | | | |\n| | (next) | | | | | |\n",
    "continuation_after_separator": HEADER + "| 2020 | A | 1 | 1M | | 1 | 1 |\n"
    "|---|---|---|---|---|---|---|\n| | (x) | | | | | |\n",
    "continuation_after_ragged": HEADER + "| 2020 | A | 1 | 1M | | 1 | 1 |\n| a | b |\n"
    "| | (x) | | | | | |\n",
    "continuation_with_other_text": HEADER + "| 2020 | A | 1 | 1M | | 1 | 1 |\n"
    "| | (x) | 2 | | | | |\n",
    "ragged_rows": HEADER + "| a | C |\n| a | D | 1 | 1 | 1 | 1 | 1 | 1 | 1 |\n|\n| x | y |\n"
    "| - |\n | -\n|---|:-:|\n",
    "unknown_table": "| A | Model |\n|---|---|\n| 1 | 2 |\n| | (3) |\n| 4 |\n",
    "no_outer_pipes_crlf": HEADER.replace("\n", "\r\n") + "2020 | A | 1 | 1M | | 1 | 1\r\n",
    "fenced_table": "```\n"
    + HEADER
    + "| 2020 | A | 1 | 1M | | 1 | 1 |\n```\n"
    + HEADER
    + "| 2020 | B | 1 | 1M | | 1 | 1 |\n",
    "table_at_top_under_prose": "x | y\n" + HEADER + "| 2020 | A | 1 | 1M | | 1 | 1 |\n",
    "two_tables": HEADER
    + "| 2020 | A | 1 | 1M | | 1 | 1 |\n\n"
    + OLD_HEADER
    + "| 1 | B | 1 | 1 | 1 |\n",
    "no_table": "just text\n| not a table\n",
}


def frames(text: str, source: Source):
    """(row reader's frames, column reader's frames) of `text`."""
    return cell_frames(*parse_markdown(text, source)), parse_frames(text, source)


def assert_same(text: str) -> None:
    for source in (UPSTREAM, CONTRIB):
        (cells, rejects), (got_cells, got_rejects) = frames(text, source)
        assert_frame_equal(got_cells, cells)
        assert_frame_equal(got_rejects, rejects)


@pytest.mark.parametrize("quirk", sorted(QUIRKS))
def test_column_reader_matches_row_reader_on_quirks(quirk):
    assert locate_table_columns(QUIRKS[quirk]) is not None  # the column reader reads it
    assert_same(QUIRKS[quirk])


def _texts() -> list[Path]:
    return sorted(REPO.glob("raw/upstream/*.md")) + sorted(REPO.glob("tests/fixtures/**/*.md"))


@pytest.mark.parametrize("path", _texts(), ids=lambda p: str(p.relative_to(REPO)))
def test_column_reader_matches_row_reader_on_upstream_and_fixtures(path):
    assert_same(path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff"))


def test_every_upstream_version_is_read_column_wise():
    versions = sorted(REPO.glob("raw/upstream/*.md"))
    assert len(versions) == 26
    assert all(locate_table_columns(p.read_text(encoding="utf-8")) for p in versions)


@pytest.mark.parametrize(
    "text",
    [HEADER + "| 2020 | A \\| B | 1 | 1M | | 1 | 1 |\n", "\x1c" + HEADER],
    ids=["escaped_pipe", "separator_char"],
)
def test_texts_it_does_not_take_are_read_by_the_row_reader(text):
    assert locate_table_columns(text) is None
    assert_same(text)


CELL = cell_texts(
    ["", "N/A", "-", "---", ":-:", "(x)", "(", "1,500M", "05/28/2020", "A"],
    forbidden="|\\\n\r\x1c\x1d\x1e\x1f",
    max_size=5,
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(CELL, min_size=0, max_size=9), max_size=8),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_column_reader_matches_row_reader_on_any_rows(records, lead, trail, old):
    body = "".join(
        ("| " if lead else "") + " | ".join(r) + (" |" if trail else "") + "\n" for r in records
    )
    assert_same((OLD_HEADER if old else HEADER) + body)


@pytest.mark.parametrize("text", [*QUIRKS.values(), "", "| a |\n", "```\n| a |\n|---|\n```\n"])
def test_first_header_is_the_first_tables_header(text):
    first = next(find_tables(text), None)
    assert first_header(text) == (first.header if first else None)


LINES = [
    *HEADER.splitlines(), *OLD_HEADER.splitlines(), "", "   ", "prose", "```", "~~~", "    ```",
    "| a | b |", "|---|---|", "| | (x) | | | | | |", "| 2020 | A | 1 | 1M | | 1 | 1 |",
    "|---|---|---|---|---|---|---|", "| | | | | | | |", "x | y", "| - |", " | -", "|", "\t|",
    "| 1 | (m) | 2 | 3 | 4 |", "| | (c) | | | |", "|:-:|--|--|--|--|", "| Model | A |",
]  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=14), st.booleans())
def test_column_reader_matches_row_reader_on_any_document(lines, crlf):
    assert_same(("\r\n" if crlf else "\n").join(lines))
