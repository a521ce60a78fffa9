"""Markdown pipe tables found and split column-wise: lines, cells and positions as polars columns.

The same tables, cells and positions as `memwall.markdown` (`find_tables`, `split_row`),
without a Python object per line or cell: lines carry flags (a pipe, a dash, blank, inside a
fenced code block), only header and delimiter rows are split in Python, and body rows are
split on their pipes by polars, one row per cell with its line and column. Used by the
parse stage (`parse_columns`) and the contribution validator (`contrib.markdown_columns`).

`columns_take(text)` says whether a text can be read this way: not when a table line holds
a backslash (escaped pipes, which `split_row` unescapes) or when the text holds a character
Python and polars disagree on as white space (U+001C..U+001F); the callers read such a text
with the row readers.
"""

from __future__ import annotations

import re

import polars as pl

from memwall.markdown import fenced_lines, is_delimiter, split_row

_NOT_HERE = re.compile("[\\x1c-\\x1f]")


def lines_frame(text: str, fences: bool = True) -> pl.DataFrame:
    """Every line (0-based `i`, a trailing CR dropped) with the flags table finding reads:
    `pipe`, `dash`, `blank` and `fenced` (`markdown.fenced_lines`; all False when
    `fences` is False)."""
    lines = pl.DataFrame({"text": pl.Series([text]).str.split("\n").explode()})
    lines = lines.with_row_index("i").with_columns(pl.col("text").str.strip_suffix("\r"))
    fenced = (
        pl.Series(fenced_lines(lines["text"].to_list()), dtype=pl.Boolean)
        if fences
        else pl.lit(False)
    )
    return lines.with_columns(
        pipe=pl.col("text").str.contains("|", literal=True),
        dash=pl.col("text").str.contains("-", literal=True),
        blank=pl.col("text").str.strip_chars().str.len_chars() == 0,
        fenced=fenced,
    )


def find_tables(lines: pl.DataFrame) -> list[tuple[int, int, int]]:
    """(header index, first body index, end index) of every table, as
    `markdown.find_tables` finds them: a header line with a pipe, a delimiter row of as many
    cells, then the lines with a pipe that are neither blank nor fenced."""
    body = lines["pipe"] & ~lines["blank"] & ~lines["fenced"]
    # For each line, the index of the first line at or after it that cannot be a body row.
    stop = (
        pl.DataFrame({"i": lines["i"], "ok": body})
        .select(pl.when(~pl.col("ok")).then(pl.col("i")).backward_fill())
        .to_series()
        .fill_null(lines.height)
    )
    unfenced = ~pl.col("fenced")
    candidates = lines.filter(
        pl.col("pipe")
        & unfenced
        & pl.col("dash").shift(-1, fill_value=False)
        & unfenced.shift(-1, fill_value=False)
    )
    found, end = [], 0
    for i in candidates["i"]:
        if i < end:
            continue
        header = split_row(lines["text"][i], i + 1)
        delimiter = split_row(lines["text"][i + 1], i + 2)
        if not is_delimiter(delimiter) or len(delimiter) != len(header):
            continue
        end = max(int(stop[i + 2]), i + 2) if i + 2 < lines.height else i + 2
        found.append((i, i + 2, end))
    return found


def columns_take(text: str, lines: pl.DataFrame, tables: list[tuple[int, int, int]]) -> bool:
    """Whether the column-wise reading of `text` equals `split_row`'s (see the module)."""
    if _NOT_HERE.search(text):
        return False
    if not tables:
        return True
    table_lines = pl.concat([lines.slice(h, end - h) for h, _, end in tables], how="vertical")
    return not table_lines.filter(pl.col("text").str.contains("\\", literal=True)).height


def split_cells(rows: pl.DataFrame) -> pl.DataFrame:
    """One row per cell of `rows` (`line`, `text`): `line`, `k` (0-based cell), `text`
    (stripped) and `char` (1-based column), as `markdown.split_row` gives them."""
    text = pl.col("text")
    pieces = rows.select(
        "line",
        piece=text.str.split("|"),
        lead=text.str.strip_chars_start().str.starts_with("|"),
        trail=text.str.strip_chars_end().str.ends_with("|"),
    )
    long = pieces.explode("piece").with_columns(p=pl.int_range(pl.len()).over("line"))
    width = pl.col("piece").str.len_chars().cast(pl.Int64)
    long = long.with_columns(
        left=(width + 1).cum_sum().over("line") - width - 2,
        n=pl.len().over("line"),
    )
    keep = (~pl.col("lead") | (pl.col("p") > 0)) & (
        ~pl.col("trail") | (pl.col("p") < pl.col("n") - 1)
    )
    long = long.filter(keep)
    stripped = pl.col("piece").str.strip_chars()
    lead = width - pl.col("piece").str.strip_chars_start().str.len_chars().cast(pl.Int64)
    return long.select(
        "line",
        k=pl.int_range(pl.len()).over("line"),
        text=stripped,
        char=pl.col("left") + 2 + pl.when(stripped != "").then(lead).otherwise(0),
    )
