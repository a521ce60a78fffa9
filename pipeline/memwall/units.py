"""Turn the text of one raw cell into a typed value with a status.

Statuses keep apart what upstream keeps apart: `value` (a number as printed),
`estimate` ("~O(0.1)", an order of magnitude), `not_applicable` ("N/A") and `unknown`
(a blank cell). A cell that fits none of them raises `UnitError` saying what was expected.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

VALUE = "value"
ESTIMATE = "estimate"
NOT_APPLICABLE = "not_applicable"
UNKNOWN = "unknown"
INT64_MAX = 2**63 - 1

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_NUMBER_RE = re.compile(rf"^(?:{_NUMBER})$", re.ASCII)
_ESTIMATE_RE = re.compile(
    rf"^~\s*(?:O\(\s*({_NUMBER})\s*\)|({_NUMBER}))$|^O\(\s*({_NUMBER})\s*\)$", re.ASCII
)
_COUNT_RE = re.compile(rf"^({_NUMBER})\s*([KMBGT]?)$", re.IGNORECASE | re.ASCII)
_BYTES_RE = re.compile(rf"^({_NUMBER})\s*([KMGT]i?B)$", re.IGNORECASE | re.ASCII)
_RESOLUTION_RE = re.compile(
    r"^(\d+)\s*[xX*\u00d7]\s*(\d+)$", re.ASCII
)  # x, X, *, or the multiplication sign
_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", re.ASCII)
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_PLAIN_RE = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$", re.ASCII)
_YEAR_RE = re.compile(r"^\d{4}$", re.ASCII)
_NA_RE = re.compile(r"^(?:N/?A|n/a|-|—)$", re.ASCII)

_COUNT_SUFFIX = {"": 1, "K": 10**3, "M": 10**6, "B": 10**9, "G": 10**9, "T": 10**12}
_BYTE_POWER = {"K": 1, "M": 2, "G": 3, "T": 4}


class UnitError(ValueError):
    """A cell that is not what its column holds; `expected` says what would be."""

    def __init__(self, message: str, expected: str):
        super().__init__(message)
        self.message = message
        self.expected = expected


@dataclass(frozen=True)
class Parsed:
    """A cell's typed value (None unless status is value/estimate) and its status."""

    value: object
    status: str


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - regexes admit only numbers
        raise UnitError(f"'{text}' is not a number", "a number") from exc


def _missing(text: str) -> Parsed | None:
    if not text:
        return Parsed(None, UNKNOWN)
    if _NA_RE.match(text):
        return Parsed(None, NOT_APPLICABLE)
    return None


def _as_int(number: Decimal, text: str, what: str, example: str) -> int:
    if number != number.to_integral_value():
        raise UnitError(f"'{text}' is not a whole number of {what}", f"e.g. {example}")
    if number > INT64_MAX:
        raise UnitError(f"'{text}' is too large a number of {what}", f"at most {INT64_MAX:,}")
    return int(number)


def _as_float(number: Decimal, text: str, what: str, example: str) -> float:
    value = float(number)
    if not math.isfinite(value):
        raise UnitError(f"'{text}' is too large a number of {what}", f"e.g. {example}")
    return value


def parse_count(text: str, what: str = "items", example: str = "1,500M") -> Parsed:
    """A count, with an optional K/M/B/T suffix: "1,500M" -> 1500000000."""
    if (missing := _missing(text)) is not None:
        return missing
    match = _COUNT_RE.match(text)
    if not match:
        raise UnitError(f"'{text}' is not a count of {what}", f"e.g. {example}")
    number = _decimal(match.group(1)) * _COUNT_SUFFIX[match.group(2).upper()]
    value = _as_int(number, text, what, example)
    if value <= 0:
        raise UnitError(f"'{text}' is not a positive count of {what}", f"e.g. {example}")
    return Parsed(value, VALUE)


def parse_scaled(text: str, scale: int, what: str, example: str) -> Parsed:
    """A plain number in the column's unit, times `scale`: "3,400" GFLOPs -> 3.4e12.

    "~O(0.1)" and "~0.1" are order-of-magnitude estimates: kept as a value, with status
    `estimate`.
    """
    if (missing := _missing(text)) is not None:
        return missing
    status = VALUE
    number_text = text
    if _NUMBER_RE.match(text) is None:
        estimate = _ESTIMATE_RE.match(text)
        if estimate is None:
            raise UnitError(f"'{text}' is not a number of {what}", f"e.g. {example}")
        number_text = next(g for g in estimate.groups() if g)
        status = ESTIMATE
    number = _decimal(number_text)
    if number <= 0:
        raise UnitError(f"'{text}' is not a positive number of {what}", f"e.g. {example}")
    return Parsed(_as_float(number * scale, text, what, example), status)


def parse_int(text: str, what: str, example: str) -> Parsed:
    """A plain whole number such as a batch size or a sequence length: "1,024" -> 1024."""
    if (missing := _missing(text)) is not None:
        return missing
    if not _NUMBER_RE.match(text):
        raise UnitError(f"'{text}' is not a whole number of {what}", f"e.g. {example}")
    value = _as_int(_decimal(text), text, what, example)
    if value <= 0:
        raise UnitError(f"'{text}' is not a positive number of {what}", f"e.g. {example}")
    return Parsed(value, VALUE)


def parse_percent(text: str, what: str = "percent", example: str = "76.5") -> Parsed:
    """A percentage between 0 and 100, with or without a trailing '%'."""
    if (missing := _missing(text)) is not None:
        return missing
    number_text = text[:-1].rstrip() if text.endswith("%") else text
    if not _NUMBER_RE.match(number_text):
        raise UnitError(f"'{text}' is not a percentage", f"e.g. {example}")
    value = float(_decimal(number_text))
    if not 0 <= value <= 100:
        raise UnitError(f"'{text}' is not a percentage between 0 and 100", f"e.g. {example}")
    return Parsed(value, VALUE)


def parse_bytes(text: str, gb_basis: int, what: str = "memory") -> Parsed:
    """Memory such as "0.23 GB" in bytes; "GB" uses `gb_basis` (10**9 or 2**30), "GiB" 2**30."""
    if (missing := _missing(text)) is not None:
        return missing
    match = _BYTES_RE.match(text)
    if not match:
        raise UnitError(f"'{text}' is not an amount of {what}", "e.g. 0.23 GB")
    unit = match.group(2).upper()
    power = _BYTE_POWER[unit[0]]
    base = 1024 if "I" in unit else (1000 if gb_basis == 10**9 else 1024)
    number = _decimal(match.group(1)) * Decimal(base) ** power
    if number <= 0:
        raise UnitError(f"'{text}' is not a positive amount of {what}", "e.g. 0.23 GB")
    return Parsed(_as_int(number.to_integral_value(), text, what, "0.23 GB"), VALUE)


def parse_resolution(text: str) -> Parsed:
    """An image size "227 x 227" -> (height, width)."""
    if (missing := _missing(text)) is not None:
        return missing
    match = _RESOLUTION_RE.match(text)
    if not match:
        raise UnitError(f"'{text}' is not an image resolution", "e.g. 224 x 224")
    height, width = int(match.group(1)), int(match.group(2))
    if height <= 0 or width <= 0:
        raise UnitError(f"'{text}' is not a positive image resolution", "e.g. 224 x 224")
    return Parsed((height, width), VALUE)


def parse_input_size(text: str) -> Parsed:
    """Either an image resolution "224 x 224" or a sequence length "512".

    The value is a dict with `input_height`/`input_width` or `input_tokens`.
    """
    if (missing := _missing(text)) is not None:
        return missing
    if _RESOLUTION_RE.match(text):
        height, width = parse_resolution(text).value  # type: ignore[misc]
        return Parsed({"input_height": height, "input_width": width}, VALUE)
    if _NUMBER_RE.match(text):
        tokens = parse_int(text, "tokens", "512").value
        return Parsed({"input_tokens": tokens}, VALUE)
    raise UnitError(
        f"'{text}' is neither an image resolution nor a sequence length",
        "e.g. 224 x 224 or 512",
    )


def parse_date(text: str) -> Parsed:
    """A publication date written MM/DD/YYYY, as upstream writes them."""
    if (missing := _missing(text)) is not None:
        return missing
    match = _DATE_RE.match(text)
    if not match:
        raise UnitError(f"'{text}' is not a date in MM/DD/YYYY form", "e.g. 05/28/2020")
    month, day, year = (int(g) for g in match.groups())
    try:
        return Parsed(dt.date(year, month, day), VALUE)
    except ValueError as exc:
        hint = " (day and month swapped?)" if month > 12 and day <= 12 else ""
        raise UnitError(
            f"'{text}' is not a valid MM/DD/YYYY date{hint}", "e.g. 05/28/2020"
        ) from exc


def day_first_reading(text: str) -> dt.date | None:
    """The date an MM/DD/YYYY text would be if it were written day first, when that differs.

    "04/05/2020" -> 2020-05-04 (the text is ambiguous); "12/12/2020" or "04/25/2020" -> None.
    """
    match = _DATE_RE.match(text)
    if not match:
        return None
    month, day, year = (int(g) for g in match.groups())
    if month == day:
        return None
    try:
        return dt.date(year, day, month)
    except ValueError:
        return None


def parse_iso_date(text: str) -> Parsed:
    """A date written YYYY-MM-DD, as the processed tables write them."""
    if (missing := _missing(text)) is not None:
        return missing
    if _ISO_DATE_RE.match(text):
        try:
            return Parsed(dt.date.fromisoformat(text), VALUE)
        except ValueError:
            pass
    hint = " (the CSV uses YYYY-MM-DD, not MM/DD/YYYY)" if _DATE_RE.match(text) else ""
    raise UnitError(f"'{text}' is not a valid YYYY-MM-DD date{hint}", "e.g. 2020-05-28")


def parse_number(text: str, what: str, example: str, whole: bool = False) -> Parsed:
    """A positive number in base units, plain or scientific ("3.4e12"); `whole` for counts."""
    if (missing := _missing(text)) is not None:
        return missing
    if not _PLAIN_RE.match(text):
        raise UnitError(f"'{text}' is not a number of {what}", f"e.g. {example}")
    number = _decimal(text)
    if number <= 0:
        raise UnitError(f"'{text}' is not a positive number of {what}", f"e.g. {example}")
    if whole:
        return Parsed(_as_int(number, text, what, example), VALUE)
    return Parsed(_as_float(number, text, what, example), VALUE)


def parse_year(text: str) -> Parsed:
    """A four-digit year."""
    if (missing := _missing(text)) is not None:
        return missing
    if not _YEAR_RE.match(text):
        raise UnitError(f"'{text}' is not a year", "e.g. 2019")
    return Parsed(int(text), VALUE)


def parse_name(text: str) -> Parsed:
    """A model name: non-blank text, look-alike characters folded (NFKC: a full-width equals sign
    is '='); invisible characters (format and control characters such as a zero-width
    space) are refused, since they make two names that look the same differ."""
    if not text:
        return Parsed(None, UNKNOWN)
    for i, ch in enumerate(text):
        if unicodedata.category(ch) in ("Cf", "Cc", "Co", "Cs"):
            raise UnitError(
                f"'{text}' holds an invisible character U+{ord(ch):04X} "
                f"({unicodedata.name(ch, 'unnamed')}) at character {i + 1}",
                "remove it: names are visible text",
            )
    return Parsed(unicodedata.normalize("NFKC", text), VALUE)
