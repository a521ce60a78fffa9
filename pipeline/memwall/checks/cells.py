"""The cells frame the consistency checks read, built from the normalize stage's outputs.

One row per observation (superseded ones too) with its number, the half unit of its printed
precision and whether it is the published value (see `checks.base.CELLS_SCHEMA`).
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from memwall.checks.base import _NUMBER_RE, CELLS_SCHEMA, half_unit

_KEY = ["table", "model_id", "field", "source", "line", "char"]


def build_cells(
    observations: pl.DataFrame, provenance: pl.DataFrame, replaced: dict[str, str]
) -> pl.DataFrame:
    """The cells frame (see `checks.base`) from observations and the published provenance.

    `replaced` maps the ids of override/rename corrections to the text they put in place,
    so that rounding is read from the text actually used.
    """
    chosen = provenance.filter(pl.col("source").is_not_null()).select(_KEY).unique()
    obs = observations.join(
        chosen.with_columns(published=pl.lit(True)), on=_KEY, how="left"
    ).with_columns(pl.col("published").fill_null(False))
    return cells_of(obs, replaced)


def cells_of(obs: pl.DataFrame, replaced: dict[str, str]) -> pl.DataFrame:
    """The cells frame of observations that already say whether each is `published` (for a
    caller that knows it without joining every observation with the provenance)."""
    obs = obs.with_columns(text=_corrected_text(obs, replaced))
    number = pl.when(pl.col("status").is_in(["value", "estimate"])).then(
        pl.col("value").cast(pl.Float64, strict=False)
    )
    cells = obs.select(
        "table",
        "model_id",
        "field",
        "value",
        number.alias("number"),
        "status",
        "text",
        pl.format("{}:{}:{}", "source", "line", "char").alias("at"),
        "published",
    )
    # Only numbers have a half unit: the others (names, dates, blanks) are left out of `_half`.
    numbers = cells.with_row_index("_i").filter(pl.col("number").is_not_null())
    half = pl.repeat(None, cells.height, dtype=pl.Float64, eager=True).alias("half")
    if not numbers.is_empty():
        half = half.scatter(numbers["_i"], _half(numbers.drop("_i")))
    cells = cells.with_columns(half=half)
    # A stable sort: observations arrive nearly in this order (normalize sorts them by table,
    # model_id, field), which a stable sort uses (0.09 s for 900,000 cells; unstable: 0.74 s);
    # equal keys keep their input order.
    return (
        cells.select(*CELLS_SCHEMA)
        .cast(CELLS_SCHEMA)
        .sort("table", "model_id", "field", "at", maintain_order=True)
    )


def _corrected_text(obs: pl.DataFrame, replaced: dict[str, str]) -> pl.Series:
    """The printed text after the corrections each observation lists (most have none)."""
    marked = obs.with_row_index("i").filter(pl.col("corrections").fill_null("") != "")
    if marked.is_empty():
        return obs["raw"]
    # Only the marked texts go through Python (a to_list of every text cost 0.1 s and
    # 60 MB at 800,000 observations).
    texts = []
    for text, mark in marked.select("raw", "corrections").iter_rows():
        for cid in filter(None, mark.split(",")):
            text = replaced.get(cid, text)
        texts.append(text)
    return obs["raw"].scatter(marked["i"], pl.Series(texts, dtype=pl.String))


def _half(cells: pl.DataFrame) -> pl.Series:
    """`half_unit(text, number)` of every cell: the printed number's precision read by
    polars expressions for ASCII texts, by `half_unit` itself for the others; the power of
    ten is looked up from Python's Decimal so every float is the one `half_unit` computes."""
    text, number = pl.col("text"), pl.col("number")
    printed = text.str.extract(f"({_NUMBER_RE.pattern})", 1).str.replace_all(",", "")
    fraction = printed.str.extract(r"\.([0-9]+)$", 1)
    whole = printed.str.strip_chars_start("0")
    exponent = (
        pl.when(fraction.is_not_null())
        .then(-fraction.str.len_chars().cast(pl.Int64))
        .otherwise(
            whole.str.len_chars().cast(pl.Int64)
            - whole.str.strip_chars_end("0").str.len_chars().cast(pl.Int64)
        )
    )
    frame = cells.select(
        ascii=text.is_null() | text.str.contains(r"^[\x00-\x7f]*$"),
        printed=printed.cast(pl.Float64, strict=False),
        exponent=exponent.cast(pl.Int64),
        number=number,
        text=text,
    )
    powers = {e: 0.5 * float(Decimal(10) ** e) for e in frame["exponent"].drop_nulls().unique()}
    factor = pl.col("exponent").replace_strict(
        list(powers), list(powers.values()), default=None, return_dtype=pl.Float64
    )
    fast = frame.select(
        pl.when(
            pl.col("printed").is_not_null()
            & (pl.col("printed") != 0)
            & pl.col("number").is_not_null()
        ).then(factor * (pl.col("number") / pl.col("printed")))
    ).to_series()
    odd = frame.with_row_index("i").filter(~pl.col("ascii"))
    if odd.is_empty():
        return fast
    values = fast.to_list()
    for i, t, n in odd.select("i", "text", "number").iter_rows():
        values[i] = half_unit(t, n)
    return pl.Series(values, dtype=pl.Float64)


def newest_upstream(observations: pl.DataFrame) -> pl.DataFrame:
    """The observations the consistency checks read: every observation of a source that is
    not an upstream README version, and of upstream's versions only each cell's newest
    statement (a blank where no version states it). What upstream printed before and how
    it changed is the history stage's subject (`memwall.history_checks`), not a conflict
    between sources. In no set order: `build_cells` sorts the cells it makes of them (a sort
    here cost 0.5 s for a 100,000-row contribution's 1.2M observations)."""
    upstream = pl.col("version").is_not_null()
    stated = pl.col("status") != "unknown"
    newest = (
        observations.filter(upstream)
        .with_columns(stated.alias("_stated"))
        .sort("table", "model_id", "field", "_stated", "version", "line")
        .group_by("table", "model_id", "field", maintain_order=True)
        .last()
        .drop("_stated")
    )
    return pl.concat([observations.filter(~upstream), newest])
