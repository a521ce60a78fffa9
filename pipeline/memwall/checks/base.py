"""What every check shares: the `Finding` record, the cells frame checks read, and rounding.

Checks read one long frame of *cells*: every typed observation from every source (superseded
ones too), each with its printed text, the rounding half-unit of that text in canonical
units, where it was read (`source:line:char`) and whether it is the published value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from memwall import codes

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)

CELLS_SCHEMA = {
    "table": pl.String,
    "model_id": pl.String,
    "field": pl.String,
    "value": pl.String,  # canonical text, as in observations
    "number": pl.Float64,  # the value as a number (null unless a value/estimate number)
    "half": pl.Float64,  # half of the last printed digit, in canonical units
    "status": pl.String,
    "text": pl.String,  # printed text after corrections ("1.71 GB")
    "at": pl.String,  # source:line:char
    "published": pl.Boolean,  # the value the dataset publishes for (table, model, field)
}
_NUMBER_RE = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+")


@dataclass(frozen=True)
class Finding:
    """One inconsistency: stable code, severity, the model and fields, and where they came from.

    `observed` maps each field involved to its printed text; `expected` says what the check
    expected instead; `sources` are the `source:line:char` of every value involved.
    """

    code: str
    severity: str
    model_id: str
    fields: tuple[str, ...]
    observed: dict[str, str]
    expected: str
    message: str
    sources: tuple[str, ...]
    accepted: dict[str, str] | None = field(default=None, compare=False)

    def sort_key(self) -> tuple:
        """Errors first, then by code, model, fields and sources."""
        return (
            SEVERITIES.index(self.severity),
            self.code,
            self.model_id,
            self.fields,
            self.sources,
        )

    @classmethod
    def from_dict(cls, record: dict) -> Finding:
        """The finding `as_dict` wrote (an area stage's interim findings file)."""
        return cls(
            code=record["code"],
            severity=record["severity"],
            model_id=record["model_id"],
            fields=tuple(record["fields"]),
            observed=dict(record["observed"]),
            expected=record["expected"],
            message=record["message"],
            sources=tuple(record["sources"]),
            accepted=record.get("accepted"),
        )

    def as_dict(self) -> dict:
        """JSON-ready, with keys in a fixed order."""
        return {
            "code": self.code,
            "severity": self.severity,
            "model_id": self.model_id,
            "fields": list(self.fields),
            "observed": dict(sorted(self.observed.items())),
            "expected": self.expected,
            "message": self.message,
            "sources": list(self.sources),
            "accepted": self.accepted,
        }


def declared_finding(
    code: str,
    *,
    model_id: str,
    fields: tuple[str, ...],
    observed: dict[str, str],
    expected: str,
    sources: tuple[str, ...],
    severity: str | None = None,
    variant: str | None = None,
    **wording: object,
) -> Finding:
    """A finding whose severity and message come from the code's entry in `memwall.codes`.

    `wording` fills the declared template (or its `variant`); `model_id` is available to it
    too. `severity` overrides the declared one only where a check grades its own code (a
    superseded value that disagrees is a warning, two published ones an error).
    """
    declared = codes.get(code)
    return Finding(
        code=code,
        severity=severity or declared.severity,
        model_id=model_id,
        fields=fields,
        observed=observed,
        expected=expected,
        message=declared.message(variant, model_id=model_id, **wording),
        sources=sources,
    )


def printed_number(text: str | None) -> Decimal | None:
    """The number in a printed cell ("1,500M" -> 1500, "0.23 GB" -> 0.23), or None."""
    if not text:
        return None
    match = _NUMBER_RE.search(text)
    return Decimal(match.group(0).replace(",", "")) if match else None


def half_unit(text: str | None, value: float | None) -> float | None:
    """Half of the last significant printed digit of `text`, in the units of `value`.

    "0.23 GB" read as 246960620 bytes -> 0.005 GB in bytes. Trailing zeros of a whole number
    are not taken as significant ("1,500M" is 1.5 billion give or take 50 million), which
    keeps tolerances loose rather than tight.
    """
    number = printed_number(text)
    if number is None or value is None or number == 0:
        return None
    scale = value / float(number)
    exponent = number.as_tuple().exponent
    if exponent == 0:  # a whole number: the last non-zero digit is the precision
        digits = str(abs(int(number)))
        exponent = len(digits) - len(digits.rstrip("0"))
    return 0.5 * float(Decimal(10) ** exponent) * scale


def restate(text: str, value: float, new_value: float, extra_digits: int = 1) -> str:
    """`new_value` printed in the unit of `text` (which reads as `value`): "1.17 GB"."""
    number = printed_number(text)
    if number is None or number == 0:
        return f"{new_value:.4g}"
    scale = value / float(number)
    decimals = max(0, -number.as_tuple().exponent) + extra_digits
    match = _NUMBER_RE.search(text)
    assert match is not None
    return text[: match.start()] + f"{new_value / scale:,.{decimals}f}" + text[match.end() :]


# Checks select candidates with polars and re-test them exactly in Python: a candidate
# filter widened by this relative margin cannot miss a case the exact test finds.
MARGIN = 1e-6


def published(
    cells: pl.DataFrame, table: str, models: pl.Series | None = None
) -> dict[str, dict[str, dict]]:
    """Published numeric cells of one table: model_id -> field -> cell (as a dict);
    only the `models` given, when given (a check's candidates)."""
    rows = cells.filter(
        (pl.col("table") == table) & pl.col("published") & (pl.col("status") == "value")
    )
    if models is not None:
        rows = rows.filter(pl.col("model_id").is_in(models.implode()))
    rows = rows.sort("model_id", "field")
    out: dict[str, dict[str, dict]] = {}
    names = rows.columns
    # Column lists zipped into dicts: the same dicts as iter_rows(named=True), several
    # times faster on the 100,000-row contributions `memwall validate` checks.
    for values in zip(*(rows[c].to_list() for c in names), strict=True):
        r = dict(zip(names, values, strict=True))
        out.setdefault(r["model_id"], {})[r["field"]] = r
    return out


def numbers(cells: pl.DataFrame, table: str, fields: tuple[str, ...]) -> pl.DataFrame:
    """One row per model with a published value of any of `fields`: `model_id`, and per
    field `<field>` (its number) and `<field>_half` (null where not published)."""
    rows = cells.filter(
        (pl.col("table") == table)
        & pl.col("published")
        & (pl.col("status") == "value")
        & pl.col("field").is_in(fields)
    )
    wide = rows.select("model_id").unique()
    for f in fields:
        mine = rows.filter(pl.col("field") == f).unique("model_id", keep="last")
        wide = wide.join(
            mine.select("model_id", pl.col("number").alias(f), pl.col("half").alias(f"{f}_half")),
            on="model_id",
            how="left",
        )
    return wide


def make_cells(rows: list[dict]) -> pl.DataFrame:
    """A cells frame from dicts (missing keys null); `half` computed when not given."""
    full = []
    for r in rows:
        row = dict.fromkeys(CELLS_SCHEMA) | {"status": "value", "published": True} | r
        if row["number"] is None and row["value"] is not None:
            try:
                row["number"] = float(row["value"])
            except ValueError:
                row["number"] = None
        if row["half"] is None:
            row["half"] = half_unit(row["text"], row["number"])
        full.append(row)
    return pl.DataFrame(full, schema=CELLS_SCHEMA, orient="row")
