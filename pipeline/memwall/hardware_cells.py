"""Parse one datasheet cell into a value, or say why it has none.

Every cell gets a status: `value` (parsed, in output units), `unknown` (blank: Epoch does not
know it, which is not zero) or `invalid` (inf, malformed, zero or negative, not a date), with
a reason a person can act on. Nothing here raises on bad text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from fractions import Fraction

VALUE, UNKNOWN, INVALID, DERIVED = "value", "unknown", "invalid", "derived"

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LINK = re.compile(r"https?://\S+")
_NON_FINITE = {"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan"}


@dataclass(frozen=True)
class Parsed:
    """The outcome of one cell: a typed value (None unless status is `value`) and why."""

    value: object
    status: str
    reason: str | None = None

    def text(self) -> str | None:
        """The value as published text: shortest round-trip float, ISO date, or the string."""
        if self.value is None:
            return None
        if isinstance(self.value, dt.date):
            return self.value.isoformat()
        return repr(self.value) if isinstance(self.value, float) else str(self.value)


def _number(raw: str, factor: Fraction, integer: bool) -> Parsed:
    if raw.lower() in _NON_FINITE:
        return Parsed(None, INVALID, f"not a finite number ({raw!r})")
    if not _NUMBER.fullmatch(raw):
        return Parsed(None, INVALID, f"not a number ({raw!r})")
    exact = Fraction(raw) * factor
    if exact <= 0:
        return Parsed(None, INVALID, f"{raw!r} is not positive; a blank would mean unknown")
    if integer:
        if exact.denominator != 1:
            return Parsed(None, INVALID, f"{raw!r} is not a whole number")
        return Parsed(int(exact), VALUE)
    return Parsed(float(exact), VALUE)


def _date(raw: str) -> Parsed:
    if not _DATE.fullmatch(raw):
        return Parsed(None, INVALID, f"not a date written YYYY-MM-DD ({raw!r})")
    try:
        return Parsed(dt.date.fromisoformat(raw), VALUE)
    except ValueError as exc:
        return Parsed(None, INVALID, f"not a calendar date ({raw!r}: {exc})")


def _urls(raw: str) -> Parsed:
    """Every http(s) link in the cell, space-separated; other words are noted, not kept."""
    tokens = [t.rstrip(";,") for t in raw.split()]
    links = [t for t in tokens if _LINK.fullmatch(t)]
    if not links:
        return Parsed(None, INVALID, f"no link starting with http:// or https:// ({raw!r})")
    other = [t for t in tokens if t and not _LINK.fullmatch(t)]
    reason = f"kept {len(links)} links; text that is not a link: {' '.join(other)!r}"
    return Parsed(" ".join(links), VALUE, reason if other else None)


def parse_cell(raw: str, parser: str, factor: Fraction = Fraction(1)) -> Parsed:
    """Parse `raw` with one of the mapping's parsers (string, url, date, float, integer).

    Numbers are read exactly and multiplied by `factor` before rounding once to float.
    """
    text = raw.strip()
    if not text:
        return Parsed(None, UNKNOWN, "blank cell: unknown (not zero)")
    match parser:
        case "float":
            return _number(text, factor, integer=False)
        case "integer":
            return _number(text, factor, integer=True)
        case "date":
            return _date(text)
        case "url":
            return _urls(text)
        case "string":
            return Parsed(text, VALUE)
    raise ValueError(f"unknown parser {parser!r}")
