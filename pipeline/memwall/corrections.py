"""The corrections registry: fixes to raw values as reviewed data, each guarded by `expect`.

A correction applies to a raw cell only while the cell still holds the text it expects. When
upstream has fixed the value the correction is reported `stale` (and applies nothing); when
no row matches at all it is reported `unmatched`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from memwall.registry import RegistryError, line_of, load_checked
from memwall.tablekinds import normalize_header

__all__ = ["ACTIONS", "SCHEMA", "Correction", "RegistryError", "Report", "load_registry"]

ACTIONS = ("override", "rename", "scale", "drop", "flag")
SCHEMA = Path(__file__).parent / "data" / "corrections.schema.json"


@dataclass(frozen=True)
class Correction:
    """One registry entry."""

    id: str
    table: str
    model: str
    column: str | None
    action: str
    reason: str
    evidence: str
    expect: str | None = None
    value: str | None = None
    factor: float | None = None
    source: str | None = None

    def matches_row(self, source_id: str, kind: str, table: str, model: str) -> bool:
        """True when this correction targets the row (before its guard is checked)."""
        return (
            self.table in (kind, table)
            and self.model == model
            and (self.source is None or self.source == source_id)
        )


@dataclass
class CellEdit:
    """What the registry does to one cell: new text, a factor, and the ids applied."""

    text: str
    factor: float = 1.0
    flags: list[str] = field(default_factory=list)


@dataclass
class Report:
    """Per correction: where it applied and where its guard no longer matched."""

    applied: dict[str, list[dict]] = field(default_factory=dict)
    stale: dict[str, list[dict]] = field(default_factory=dict)

    def as_dict(self, corrections: list[Correction]) -> list[dict]:
        """Stable, JSON-ready summary, one entry per correction in registry order."""
        out = []
        for c in corrections:
            applied, stale = self.applied.get(c.id, []), self.stale.get(c.id, [])
            status = "applied" if applied else ("stale" if stale else "unmatched")
            out.append(
                {
                    "id": c.id,
                    "action": c.action,
                    "status": status,
                    "applied": applied,
                    "stale": stale,
                }
            )
        return out


def load_registry(path: Path) -> list[Correction]:
    """Read a corrections YAML file checked against its schema; `RegistryError` says where."""
    entries = load_checked(path, SCHEMA) or []
    corrections: list[Correction] = []
    seen: dict[str, int] = {}
    for n, entry in enumerate(entries):
        if entry["id"] in seen:
            raise RegistryError(
                path,
                line_of(path, [n, "id"]),
                f"entry {n + 1}: duplicate id {entry['id']!r} "
                f"(first at line {line_of(path, [seen[entry['id']], 'id'])})",
            )
        seen[entry["id"]] = n
        match = entry["match"]
        corrections.append(
            Correction(
                id=entry["id"],
                table=match["table"],
                model=match["model"],
                column=match.get("column"),
                source=match.get("source"),
                action=entry["action"],
                reason=" ".join(str(entry["reason"]).split()),
                evidence=" ".join(str(entry["evidence"]).split()),
                expect=None if entry.get("expect") is None else str(entry["expect"]),
                value=None if entry.get("value") is None else str(entry["value"]),
                factor=entry.get("factor"),
            )
        )
    return corrections


def correct_row(
    corrections: list[Correction],
    report: Report,
    *,
    source_id: str,
    kind: str,
    table: str,
    line: int,
    model: str,
    texts: dict[str, str],
) -> tuple[dict[str, CellEdit], str | None]:
    """Apply the registry to one raw row.

    `texts` maps raw headers to cell text. Returns the edits by header and, when a `drop`
    correction applies, its id (the caller rejects the row).
    """
    edits = {header: CellEdit(text) for header, text in texts.items()}
    by_key = {normalize_header(h): h for h in texts}
    for c in corrections:
        if not c.matches_row(source_id, kind, table, model):
            continue
        header = by_key.get(normalize_header(c.column)) if c.column else None
        if c.column and header is None:
            continue
        found = texts[header] if header else model
        where = {"source": source_id, "line": line}
        if c.expect is not None and found != c.expect:
            report.stale.setdefault(c.id, []).append({**where, "found": found})
            continue
        report.applied.setdefault(c.id, []).append(where)
        if c.action == "drop":
            return edits, c.id
        edit = edits[header]  # type: ignore[index]
        if c.action in ("override", "rename"):
            edit.text = c.value  # type: ignore[assignment]
        elif c.action == "scale":
            edit.factor *= float(c.factor)  # type: ignore[arg-type]
        edit.flags.append(c.id)
    return edits, None
