"""The two column sets a hardware table may be written in, and its records in either format.

- `epoch`: the raw datasheet snapshot's columns (raw/epoch/ml_hardware.csv), read by name
  through `data/hardware_columns.yaml` (bit/s columns divided by 8 by the mapping's factor);
- `published`: the columns of processed/hardware.csv (`fields.HARDWARE`), in base units;
  `hardware_id` (made from the name) and the derived ridge point are not read as cells.
A table is recognised by its header, as CSV (first record) or markdown (a pipe table's header
row); its records, from either format, are the CSV reader's `Record`s (every cell with its
line and character column), so the `hardware` stage reads them with its own reader. Used by
the stage for contributed hardware sources and by `memwall validate`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from memwall.csvrecords import Cell, CsvSyntaxError, Record, read_records
from memwall.hardware import RIDGE
from memwall.hardware_columns import ColumnMapping, ColumnRule, load_mapping
from memwall.markdown import Table, find_tables, first_header

HARDWARE_ID = "hardware_id"
# Columns of the published form that are not read as cells, and why.
NOT_READ = {
    HARDWARE_ID: "made from the name (slug); checked when given",
    RIDGE: "derived (tensor 16-bit FLOP/s / memory bandwidth); checked when given",
}
MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class Form:
    """A recognised header: which column set (`epoch` or `published`) and its mapping."""

    name: str
    mapping: ColumnMapping


@functools.cache
def forms(mapping_path: Path | None = None) -> tuple[Form, Form]:
    """The two column sets, from the mapping file (the package's by default), read once."""
    epoch = load_mapping(mapping_path) if mapping_path else load_mapping()
    published = ColumnMapping(
        tuple(ColumnRule(c.output, c.output, c.parser) for c in epoch.columns),
        dict(NOT_READ),
    )
    return Form("epoch", epoch), Form("published", published)


def recognise(headers: list[str], mapping_path: Path | None = None) -> Form | None:
    """The form whose known columns the header shares most (at least two), else None: a
    model table shares none (its names are `model`, `params`, `Date`, `#Params`, ...)."""
    names = {h.strip() for h in headers}
    candidates = forms(mapping_path)
    scored = [(len(names & set(f.mapping.known())), -i) for i, f in enumerate(candidates)]
    best, index = max(scored)
    return candidates[-index] if best >= 2 else None


def format_of(path: str) -> str:
    """`markdown` for a .md/.markdown file name, else `csv`."""
    return "markdown" if Path(path).suffix.lower() in MARKDOWN_SUFFIXES else "csv"


def csv_header(text: str) -> list[str] | None:
    """The first record's cells of a CSV text (None when that record is not CSV)."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    try:
        records = read_records(first)
    except CsvSyntaxError:
        return None
    return [c.text for c in records[0].cells] if records else None


def is_hardware(text: str, fmt: str, mapping_path: Path | None = None) -> bool:
    """Whether a decoded text's header (its first table's, for markdown) is a hardware one."""
    if fmt == "csv":
        headers = csv_header(text)
    elif fmt == "markdown":
        header = first_header(text)
        headers = [c.text for c in header] if header else None
    else:
        return False
    return headers is not None and recognise(headers, mapping_path) is not None


def table_records(table: Table) -> tuple[Record, list[Record]]:
    """A markdown table as the CSV reader's records (cells keep line and column)."""

    def record(line: int, cells) -> Record:
        return Record(line, tuple(Cell(c.text, c.line, c.column) for c in cells))

    return record(table.line, table.header), [record(r.line, r.cells) for r in table.rows]


def markdown_blocks(text: str) -> Iterator[tuple[Table, Record, list[Record]]]:
    """Every pipe table of a markdown text with its records (hardware or not)."""
    for table in find_tables(text):
        header, body = table_records(table)
        yield table, header, body
