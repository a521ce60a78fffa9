"""The column-wise markdown reader (polars) reads every text it takes exactly as the row
reader (`markdown_rows`: the pipeline's table finder and row reader) does: the same rows,
observations (values, statuses, raw text, line and column) and problems. The row reader is
the independent reference; it splits and reads one row at a time in Python."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memwall.config import PACKAGE_DATA
from memwall.contrib.frames import from_rows
from memwall.contrib.markdown_columns import read_markdown_columns
from memwall.contrib.markdown_rows import read_markdown
from memwall.corrections import load_registry
from memwall.identity import Identities
from memwall.rows import RowContext
from strategies import cell_texts

REPO = Path(__file__).resolve().parents[2]
CONTRIB = REPO / "tests/fixtures/contrib"
SOURCE = {"source_id": "contrib", "source": "t.md", "rank": 1_000_000}
CORRECTIONS = load_registry(PACKAGE_DATA / "corrections.yaml")
IDENTITIES = Identities.load(PACKAGE_DATA / "aliases.yaml")
HEADER = (
    "| Date | Model | Token Size | #Params | #Features | Inference GFLOPs | Training PFLOPs |\n"
    "|---|---|---|---|---|---|---|\n"
)

DEFECTS = {
    "plain_rows": HEADER + "| 05/28/2020 | GPT-3 | 2048 | 175,000M | | 3,400 | 310,000 |\n",
    "no_outer_pipes": HEADER + "05/28/2020 | A | 2048 | 1M | | 3 | 3\n",
    "padded_and_crlf": HEADER.replace("\n", "\r\n") + "|  x  |  B |  | 1,5M | - | N/A |  |\r\n",
    "ragged_rows": HEADER + "| a | C |\n| a | D | 1 | 1 | 1 | 1 | 1 | 1 | 1 |\n|\n",
    "empty_model": HEADER + "| 05/28/2020 |  | 2048 | 1M | | 3 | 3 |\n",
    "unit_errors": HEADER + "| 28/05/2020 | E | 2k | -5M | | 3 TFLOPs | 1e400 |\n",
    "unknown_table": "| A | B |\n|---|---|\n| 1 | 2 |\n",
    "no_rows": HEADER,
    "no_table": "just text\n| not a table\n",
    "two_tables_and_prose": HEADER
    + "| 2020 | F | 1 | 1M | | 1 | 1 |\n\nsome text\n\n"
    + HEADER
    + "| 2021 | G | 1 | 1M | | 1 | 1 |\n",
    "delimiter_width_mismatch": "| A | B |\n|---|\n" + HEADER + "| 2020 | H | 1 | 1M | | 1 | 1 |\n",
    "memory_table": "| Model | #Params | Params Memory | Total Memory |\n|---|---|---|---|\n"
    "| GPT-2 | 1,500M | 6 GB | 2.5 GB |\n",
    "same_model_twice": HEADER
    + "| 2020 | I | 1 | 1M | | 1 | 1 |\n| 2020 | I | 1 | 2M | | 1 | 1 |\n",
    "non_ascii_name": HEADER + "| 2020 | Straße | 1 | 1M | | 1 | 1 |\n",
}


def both(text: str, source: dict = SOURCE):
    ctx = RowContext(CORRECTIONS, IDENTITIES, 2**30)
    rows, row_problems = read_markdown("t.md", text, ctx, source)
    read = read_markdown_columns("t.md", text, RowContext(CORRECTIONS, IDENTITIES, 2**30), source)
    assert read is not None
    return from_rows(rows), sorted(row_problems, key=repr), read[0], sorted(read[1], key=repr)


def assert_same(text: str, source: dict = SOURCE) -> None:
    reference, expected, got, problems = both(text, source)
    assert problems == expected
    assert got.rows.to_dicts() == reference.rows.to_dicts()
    assert got.observations.to_dicts() == reference.observations.to_dicts()


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_column_reader_matches_row_reader(defect):
    assert_same(DEFECTS[defect])


@pytest.mark.parametrize("name", sorted(p.name for p in CONTRIB.glob("*.md")))
def test_column_reader_matches_row_reader_on_fixtures(name):
    text = (CONTRIB / name).read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
    if read_markdown_columns("t.md", text, RowContext(CORRECTIONS, IDENTITIES, 2**30), SOURCE):
        assert_same(text)


def test_rows_a_correction_touches_are_read_as_the_pipeline_reads_them():
    """'RoBERTa Large' rows of an NLP table: the registry overrides their #Params, #Features
    and Inference GFLOPs where the text is the one it expects (flags, replaced texts)."""
    assert any(c.model == "RoBERTa Large" and c.source is None for c in CORRECTIONS)
    rows = (
        "| 07/26/2019 | RoBERTa Large | 512 | 1,500M | 2,000M | 3,400 | 4,300,000 |\n"
        "| 2020 | Other | 1 | 1M | | 1 | 1 |\n"
        "| 07/26/2019 | RoBERTa Large | 512 | 355M | | 100 | 4,300,000 |\n"
    )
    assert_same(HEADER + rows)


@pytest.mark.parametrize(
    "text",
    [
        "```\n" + HEADER + "```\n",
        HEADER + "| 2020 | A \\| B | 1 | 1M | | 1 | 1 |\n",
        "\x1c" + HEADER,
    ],
    ids=["fenced", "escaped_pipe", "separator_char"],
)
def test_texts_it_does_not_take_go_to_the_row_reader(text):
    assert (
        read_markdown_columns("t.md", text, RowContext(CORRECTIONS, IDENTITIES, 2**30), SOURCE)
        is None
    )


CELL = cell_texts(
    ["", "N/A", "-", "1", "0", "1,500M", "3.4B", "05/28/2020", "2020", "1e5"],
    forbidden="|\\\n\r\x1c\x1d\x1e\x1f`~",
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(CELL, min_size=0, max_size=9), max_size=6),
    st.booleans(),
    st.booleans(),
)
def test_column_reader_matches_row_reader_on_any_rows(records, lead, trail):
    body = "".join(
        ("| " if lead else "") + " | ".join(r) + (" |" if trail else "") + "\n" for r in records
    )
    assert_same(HEADER + body)
