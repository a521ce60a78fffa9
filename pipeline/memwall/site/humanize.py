"""Numbers for people: 1.75e11 parameters reads "175B", 1256277934 bytes "1.17 GiB".

Every formatter returns the short text shown in a cell; `exact` gives the full value for the
cell's title attribute and `sort_key` the value the table's sort uses. Units are the ones of
the data dictionary (`fields.py`); a column not declared there gets its unit from its name
(`memory_bandwidth_bytes_per_s` is bytes/s).
"""

from __future__ import annotations

import datetime as dt
import math

# Suffixes people use for counts of things (parameters, features).
_COUNT_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
_SI_PREFIXES = (
    (1e24, "Y"),
    (1e21, "Z"),
    (1e18, "E"),
    (1e15, "P"),
    (1e12, "T"),
    (1e9, "G"),
    (1e6, "M"),
    (1e3, "k"),
)
_BINARY_PREFIXES = ((2**50, "Pi"), (2**40, "Ti"), (2**30, "Gi"), (2**20, "Mi"), (2**10, "Ki"))
# Units whose values are counts of things: shortened with K / M / B / T.
_COUNT_UNITS = {"parameters", "values", "count", "inputs"}
# Units whose values stay whole numbers with thousands separators.
_PLAIN_UNITS = {"tokens", "pixels"}
# Unit guessed from the end of a column name, longest suffix first.
_SUFFIX_UNITS = (
    ("_bytes_per_s", "bytes/s"),
    ("_flop_per_s", "FLOP/s"),
    ("_flop_per_byte", "FLOP/byte"),
    ("_bytes", "bytes"),
    ("_flop", "FLOP"),
    ("_watts", "W"),
    ("_date", "date"),
)


def unit_from_name(column: str) -> str:
    """The unit a column's name states (`peak_fp16_flop_per_s` -> "FLOP/s"), or ""."""
    for suffix, unit in _SUFFIX_UNITS:
        if column.endswith(suffix):
            return unit
    return ""


def _significant(x: float, digits: int = 3) -> str:
    """`x` to `digits` significant digits, without trailing zeros (1.50 -> "1.5")."""
    if x == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(x))))
    text = f"{x:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scaled(x: float, table: tuple[tuple[float, str], ...], sep: str) -> str:
    for factor, suffix in table:
        # Round first so that 999,999 shows as "1M", not "1000K".
        if abs(x) >= factor * 0.9995:
            return f"{_significant(x / factor)}{sep}{suffix}"
    return f"{_significant(x)}{sep}" if sep else _significant(x)


def human(value: object, unit: str, binary_bytes: bool = False) -> str:
    """Short text for a cell: `human(175e9, "parameters")` -> "175B".

    Counts use K/M/B/T; FLOP counts a mantissa and exponent ("3.1e23"); rates and decimal
    byte sizes SI prefixes ("3.35 TB/s"); byte sizes binary prefixes when `binary_bytes`
    ("1.17 GiB", for upstream's memory table, whose GB are GiB). None gives "".
    """
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    x = float(value)
    if unit in _COUNT_UNITS:
        return _scaled(x, _COUNT_SUFFIXES, "")
    if unit in _PLAIN_UNITS or unit == "year":
        return f"{int(x):,}" if unit != "year" else str(int(x))
    if unit == "FLOP":
        if abs(x) < 1e6:
            return _significant(x)
        mantissa, exponent = f"{x:.2e}".split("e")
        return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"
    if unit == "bytes":
        if binary_bytes:
            return _scaled(x, _BINARY_PREFIXES, " ").rstrip() + "B"
        return _scaled(x, _SI_PREFIXES, " ").rstrip() + "B"
    if unit == "bytes/s":
        return _scaled(x, _SI_PREFIXES, " ").rstrip() + "B/s"
    if unit == "FLOP/s":
        return _scaled(x, _SI_PREFIXES, " ").rstrip() + "FLOP/s"
    if unit == "percent":
        return f"{_significant(x, 4)}%"
    if unit == "W":
        return f"{_significant(x)} W"
    return _significant(x, 4) if isinstance(value, float) else f"{value:,}"


def exact(value: object) -> str:
    """The full value, for a title attribute: 175000000000, 3.1e+23, 2020-05-28 ("" if None)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        # Whole numbers print whole (740000000000000, not 740000000000000.0 or 7.4e+14).
        return str(int(value)) if value.is_integer() and abs(value) < 1e22 else repr(value)
    return str(value)


def sort_key(value: object) -> str:
    """The value the browser sorts on: a number as text for numbers, else the text itself."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return repr(float(value))
    return exact(value)
