"""Read one raw table row into typed observations: corrections, identity, units.

Shared by the `normalize` stage and `memwall validate`, so both apply the same rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from memwall.corrections import Correction, Report, correct_row
from memwall.identity import Identities
from memwall.tablekinds import TableKind, read_cell
from memwall.units import UnitError

DERIVED = "derived"
# The pseudo-column a correction names to change the domain a row takes from its table (its
# text is the table's domain, "" for the memory table, which has none): domains are data.
DOMAIN_COLUMN = "domain"


@dataclass(frozen=True)
class RawCell:
    """A raw cell's position and text."""

    line: int
    char: int
    column: str
    text: str


@dataclass
class RowError:
    """A problem with one cell of a row (or the row itself when `char` is 1)."""

    line: int
    char: int
    code: str
    message: str


@dataclass
class RowResult:
    """What one raw row yields: observations, or errors, or a drop by a correction."""

    model_id: str | None = None
    observations: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dropped_by: str | None = None


@dataclass
class RowContext:
    """Everything reading a row needs besides the row itself."""

    corrections: list[Correction]
    identities: Identities
    gb_basis: int
    report: Report = field(default_factory=Report)


def value_text(value: object) -> str | None:
    """The canonical text of a typed value, as observations and provenance store it."""
    if value is None:
        return None
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def observation(
    table: str,
    model_id: str,
    field_name: str,
    value: object,
    status: str,
    cell: RawCell,
    source: dict,
) -> dict:
    """One observation record (see `merge.OBSERVATION_SCHEMA`), no corrections applied."""
    return {
        "table": table,
        "model_id": model_id,
        "field": field_name,
        "value": value_text(value),
        "status": status,
        "raw": cell.text,
        "source_id": source["source_id"],
        "source": source["source"],
        "rank": source["rank"],
        "line": cell.line,
        "char": cell.char,
        "column": cell.column,
        "corrections": "",
    }


def read_row(
    ctx: RowContext,
    kind: TableKind,
    source: dict,
    header: RawCell,
    cells: list[RawCell],
) -> RowResult:
    """Apply corrections, resolve the model's identity and read every cell of one row.

    `source` holds `source_id`, `source` (path) and `rank`; `header` locates the header row
    (its text is the raw evidence of the row's domain: the table's, unless a correction on
    the `domain` pseudo-column says otherwise).
    """
    result = RowResult()
    line = cells[0].line
    by_column = {c.column: c for c in cells}
    model_cell = by_column[next(h for h in by_column if h.casefold() == "model")]
    if not model_cell.text:
        result.errors.append(
            RowError(line, model_cell.char, "missing-model", "the Model cell is empty")
        )
        return result
    texts = {c.column: c.text for c in cells}
    texts.setdefault(DOMAIN_COLUMN, kind.domain or "")
    edits, dropped = correct_row(
        ctx.corrections,
        ctx.report,
        source_id=source["source_id"],
        kind=kind.name,
        table=kind.table,
        line=line,
        model=model_cell.text,
        texts=texts,
    )
    if dropped:
        result.dropped_by = dropped
        return result
    model_name = edits[model_cell.column].text
    identity = ctx.identities.resolve(model_name)
    result.model_id = identity.model_id

    def emit(field_name: str, value: object, status: str, cell: RawCell, flags: list[str]):
        result.observations.append(
            observation(kind.table, identity.model_id, field_name, value, status, cell, source)
            | {"corrections": ",".join(flags)}
        )

    model_flags = edits[model_cell.column].flags
    emit("model_id", identity.model_id, DERIVED, model_cell, model_flags)
    domain = edits[DOMAIN_COLUMN]
    if domain.text:
        emit("domain", domain.text, DERIVED, header, domain.flags)
    for cell in cells:
        column = kind.column(cell.column)
        edit = edits[cell.column]
        if column.field == "model":
            emit("model", identity.name or model_name, "value", cell, edit.flags)
            continue
        try:
            parsed = read_cell(column, edit.text, ctx.gb_basis)
        except UnitError as exc:
            result.errors.append(
                RowError(cell.line, cell.char, "unit", f"{exc.message} ({exc.expected})")
            )
            continue
        values = parsed.value if isinstance(parsed.value, dict) else {column.field: parsed.value}
        for name, value in values.items():
            if value is not None and edit.factor != 1.0:
                scaled = value * edit.factor  # type: ignore[operator]
                value = round(scaled) if isinstance(value, int) else scaled
            emit(name, value, parsed.status, cell, edit.flags)
    return result
