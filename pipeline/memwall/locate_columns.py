"""`history_parse.locate_tables` column-wise: every table's logical rows as a frame of cells.

The same tables, header (two-row headers merged), logical rows and ragged rows as
`locate_tables`, with the old layouts' quirks undone by polars expressions instead of a loop
over rows: separator rows and empty rows are not data rows, a ragged row is set aside, and a
row whose only text is a parenthesised Model cell right after a data row continues that
row's Model cell (its text joins with a space; the cell keeps the first row's position).
Lines are found and split by `memwall.markdown_columns`; a text it does not take gives None
(the caller uses `locate_tables`).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from memwall.history_parse import model_position, table_header
from memwall.markdown import Cell, split_row
from memwall.markdown_columns import columns_take, find_tables, lines_frame, split_cells

_DELIMITER_CELL = "^:?-+:?$"  # markdown._DELIMITER_CELL, on a cell's text without spaces


@dataclass
class ColumnTable:
    """A located table: its merged header, its logical rows' cells (`cells`: `line`, `k`
    the 0-based cell, `text`, `char`, by line then k), its logical rows (`rows`: `line`,
    `text` the raw line) and its ragged rows (`ragged`: `line`, `text`, `count`)."""

    header: list[Cell]
    header_line: int
    header_text: str
    cells: pl.DataFrame
    rows: pl.DataFrame
    ragged: pl.DataFrame


def locate_table_columns(text: str) -> list[ColumnTable] | None:
    """Every pipe table of `text` as `locate_tables` finds it, or None when
    `markdown_columns` does not take the text."""
    lines = lines_frame(text)
    tables = find_tables(lines)
    if not columns_take(text, lines, tables):
        return None
    texts = lines["text"]
    located = []
    for h, first, end in tables:
        raw_header = split_row(texts[h], h + 1)
        header, header_line, header_text = table_header(
            raw_header, texts[h], texts[h - 1] if h > 0 else None
        )
        body = lines.slice(first, end - first).select(
            line=(pl.col("i") + 1).cast(pl.Int64), text=pl.col("text")
        )
        located.append(_logical(header, header_line, header_text, body, split_cells(body)))
    return located


def _logical(header, header_line, header_text, body, cells) -> ColumnTable:
    """The table's logical rows from its body lines and their cells (see the module)."""
    width = len(header)
    model_at = model_position(header)
    text = pl.col("text")
    flags = cells.group_by("line").agg(
        count=pl.len(),
        delimiter=text.str.replace_all(" ", "", literal=True).str.contains(_DELIMITER_CELL).all(),
        empty=(text == "").all(),
        others_empty=((text == "") | (pl.col("k") == (-1 if model_at is None else model_at))).all(),
        model_open=(
            text.filter(pl.col("k") == model_at).first().str.starts_with("(")
            if model_at is not None
            else pl.lit(False)
        ),
    )
    body = (
        body.join(flags, on="line", how="left")
        .with_columns(pl.col("count").fill_null(0))
        .sort("line")
    )
    # As `locate_tables` tests them: a delimiter row first (whatever its width), then width.
    delimiter = pl.col("delimiter").fill_null(False)
    even = pl.col("count") == width
    data = even & ~delimiter & ~pl.col("empty")
    candidate = pl.col("model_open").fill_null(False) & pl.col("others_empty")
    body = body.with_columns(data=data).with_columns(
        continues=pl.col("data") & candidate & pl.col("data").shift(1, fill_value=False)
    )
    body = body.with_columns(
        anchor=pl.when(pl.col("data") & ~pl.col("continues")).then(pl.col("line")).forward_fill()
    )
    ragged = body.filter(~even & ~delimiter).select(
        "line", "text", count=pl.col("count").cast(pl.Int64)
    )
    rows = body.filter(pl.col("data") & ~pl.col("continues")).select("line", "text")
    kept = cells.join(rows.select("line"), on="line", how="semi")
    if model_at is not None and body["continues"].any():
        tails = (
            body.filter(pl.col("continues"))
            .select("anchor", "line")
            .join(cells.filter(pl.col("k") == model_at), on="line")
            .sort("line")
            .group_by("anchor", maintain_order=True)
            .agg(tail=text.str.join(" "))
            .select(line="anchor", k=pl.lit(model_at, kept["k"].dtype), tail="tail")
        )
        kept = (
            kept.join(tails, on=["line", "k"], how="left", maintain_order="left")
            .with_columns(
                text=pl.when(pl.col("tail").is_not_null())
                .then(pl.concat_str(text, pl.lit(" "), pl.col("tail")))
                .otherwise(text)
            )
            .drop("tail")
        )
    return ColumnTable(header, header_line, header_text, kept.sort("line", "k"), rows, ragged)
