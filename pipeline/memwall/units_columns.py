"""The commonest cell forms of `memwall.units`, read column-wise with exactly its results.

A plain number in a count column ("1,500M", "1.5B", "77M": `units.parse_count`) or in a
GFLOPs/PFLOPs column ("3,400", "102.400": `units.parse_scaled`) is read by polars instead of
one Python call per text. The arithmetic is the units module's, done exactly:

- a count is digits x 10^(suffix - decimals), an integer: computed in Int64 only while it has
  at most 18 digits, and only when it is whole and positive;
- a scaled number is digits (at most 15: exact in a float) times or divided by a power of ten
  up to 10^22 (exact in a float): one IEEE operation on two exact operands is the correctly
  rounded result, which is what `float(Decimal)` gives.

Every other text (blank, N/A, estimates, numbers beyond those bounds, anything refused) is
left to the units module, which words its errors.
"""

from __future__ import annotations

import polars as pl

_INT = r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+"  # units._NUMBER with ASCII digits
_NUMBER = rf"(?:({_INT})(?:\.([0-9]+))?|\.([0-9]+))"
_SPACE = r"[ \t\n\r\f\v]*"  # Python's \s under re.ASCII
_COUNT = rf"^{_NUMBER}{_SPACE}([KMBGTkmbgt]?)$"
_PLAIN = rf"^{_NUMBER}$"
_SUFFIX_POWER = {"": 0, "k": 3, "m": 6, "b": 9, "g": 9, "t": 12}
_SCALE_POWER = {"gflops": 9, "pflops": 15}
READERS = ("count", *_SCALE_POWER)


def _parts(texts: pl.Series, pattern: str) -> pl.DataFrame:
    """`text`, `digits` (the number's digits, point and commas dropped), `decimals` (digits
    after the point) and `suffix` (lower case) of the texts matching `pattern`."""
    groups = pl.col("text").str.extract_groups(pattern)
    frame = pl.DataFrame({"text": texts}, schema={"text": pl.String}).with_columns(g=groups)
    whole = pl.col("g").struct.field("1").fill_null("").str.replace_all(",", "", literal=True)
    fraction = pl.coalesce(pl.col("g").struct.field("2"), pl.col("g").struct.field("3"))
    fraction = fraction.fill_null("")
    matched = (
        pl.col("g").struct.field("1").is_not_null() | pl.col("g").struct.field("3").is_not_null()
    )
    suffix = (
        pl.col("g").struct.field("4").fill_null("").str.to_lowercase()
        if pattern == _COUNT
        else pl.lit("")
    )
    return frame.filter(matched).select(
        "text",
        digits=pl.concat_str(whole, fraction),
        decimals=fraction.str.len_chars().cast(pl.Int64),
        suffix=suffix,
    )


def read_plain(reader: str, texts: pl.Series) -> pl.DataFrame:
    """`text` and `value` (the canonical text `rows.value_text` gives) of the texts of a
    column read by `reader` that this module reads (see the module); none for other
    readers."""
    empty = pl.DataFrame(schema={"text": pl.String, "value": pl.String})
    if reader not in READERS:
        return empty
    if reader == "count":
        parts = _parts(texts, _COUNT).with_columns(
            shift=pl.col("suffix").replace_strict(_SUFFIX_POWER, return_dtype=pl.Int64)
            - pl.col("decimals")
        )
        ok = (pl.col("digits").str.len_chars() <= 18) & (
            pl.col("digits").str.len_chars() + pl.col("shift") <= 18
        )
        parts = parts.filter(ok).with_columns(mantissa=pl.col("digits").cast(pl.Int64))
        power = (
            pl.col("shift")
            .abs()
            .replace_strict({k: 10**k for k in range(19)}, return_dtype=pl.Int64)
        )
        value = (
            pl.when(pl.col("shift") >= 0)
            .then(pl.col("mantissa") * power)
            .otherwise(pl.col("mantissa") // power)
        )
        whole = (pl.col("shift") >= 0) | (pl.col("mantissa") % power == 0)
        read = parts.filter(whole).with_columns(value=value).filter(pl.col("value") > 0)
        return read.select("text", pl.col("value").cast(pl.String))
    parts = _parts(texts, _PLAIN).with_columns(shift=_SCALE_POWER[reader] - pl.col("decimals"))
    parts = parts.filter(
        (pl.col("digits").str.len_chars() <= 15) & (pl.col("shift").abs() <= 22)
    ).with_columns(mantissa=pl.col("digits").cast(pl.Int64).cast(pl.Float64))
    power = (
        pl.col("shift")
        .abs()
        .replace_strict({k: float(10**k) for k in range(23)}, return_dtype=pl.Float64)
    )
    value = (
        pl.when(pl.col("shift") >= 0)
        .then(pl.col("mantissa") * power)
        .otherwise(pl.col("mantissa") / power)
    )
    read = parts.filter(pl.col("mantissa") > 0).with_columns(value=value)
    if read.is_empty():
        return empty
    return pl.DataFrame(
        {"text": read["text"], "value": [repr(v) for v in read["value"].to_list()]},
        schema={"text": pl.String, "value": pl.String},
    )
