"""Upstream's unit conventions per README version, as data (data/unit_conventions.yaml).

A convention says: in versions `first`..`last`, the numbers of one table and field were
counted in another unit; multiply by `factor` to get today's unit. The normalize stage applies
the registry (`memwall.conversion.convert`) to every observation of an upstream version: its
value in today's units, `printed` the number as that version printed it (read with today's
column unit), and the entries applied named in `conventions`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from memwall.config import safe_load


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
    entries = safe_load(path.read_text(encoding="utf-8"), path) or []
    if schema_path is not None:
        import jsonschema  # here: `memwall validate` reads conventions without checking them

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
