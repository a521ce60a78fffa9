"""Upstream's unit conventions per README version, as data (data/unit_conventions.yaml).

A convention says: in versions `first`..`last`, the numbers of one table and field were
counted in another unit; multiply by `factor` to get today's unit. Applying the registry to
the history's cells fills `value` (today's units) from `value_printed` (the number as that
version printed it, read with today's column unit) and names the entry in `conventions`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import polars as pl
import yaml


class ConventionError(ValueError):
    """The registry file itself is malformed."""


@dataclass(frozen=True)
class Convention:
    """One registry entry (see the YAML file's header for the meaning of each key)."""

    id: str
    table: str
    field: str
    first: int
    last: int
    statuses: tuple[str, ...]
    factor: float
    unit: str
    reason: str
    evidence: dict

    def covers(self, version: int) -> bool:
        """True when `version` lies in the entry's inclusive version range."""
        return self.first <= version <= self.last


def load_conventions(path: Path, schema_path: Path | None = None) -> list[Convention]:
    """Read (and, with `schema_path`, check) a unit conventions registry."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if schema_path is not None:
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        try:
            jsonschema.validate(entries, schema)
        except jsonschema.ValidationError as exc:
            where = "/".join(str(p) for p in exc.absolute_path)
            raise ConventionError(f"{path}: entry {where}: {exc.message}") from None
    seen: set[str] = set()
    conventions = []
    for entry in entries:
        if entry["id"] in seen:
            raise ConventionError(f"{path}: duplicate id {entry['id']!r}")
        seen.add(entry["id"])
        first, last = entry["versions"]["first"], entry["versions"]["last"]
        if first > last:
            raise ConventionError(f"{path}: {entry['id']}: versions.first > versions.last")
        conventions.append(
            Convention(
                id=entry["id"],
                table=entry["table"],
                field=entry["field"],
                first=first,
                last=last,
                statuses=tuple(entry["statuses"]),
                factor=float(entry["factor"]),
                unit=entry["unit"],
                reason=entry["reason"],
                evidence=entry["evidence"],
            )
        )
    return conventions


def apply_conventions(cells: pl.DataFrame, conventions: list[Convention]) -> pl.DataFrame:
    """Add `value` (float64, today's units) and `conventions` (comma-joined ids) to `cells`.

    `cells` needs version, table, field, status, value_printed, canonical. A converted cell's
    `canonical` text is rewritten to the converted number, so that comparing versions
    compares meanings, not printings.
    """
    value = pl.col("value_printed")
    applied = pl.lit("")
    for c in conventions:
        hit = (
            pl.col("version").is_between(c.first, c.last)
            & (pl.col("table") == c.table)
            & (pl.col("field") == c.field)
            & pl.col("status").is_in(list(c.statuses))
            & pl.col("value_printed").is_not_null()
        )
        value = pl.when(hit).then(value * c.factor).otherwise(value)
        applied = (
            pl.when(hit)
            .then(pl.when(applied == "").then(pl.lit(c.id)).otherwise(applied + "," + c.id))
            .otherwise(applied)
        )
    out = cells.with_columns(value.alias("value"), applied.alias("conventions"))
    return out.with_columns(
        pl.when(pl.col("conventions") != "")
        .then(pl.col("value").map_elements(repr, return_dtype=pl.String))
        .otherwise(pl.col("canonical"))
        .alias("canonical")
    )
