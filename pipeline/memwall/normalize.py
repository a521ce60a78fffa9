"""Normalizing: raw cells -> typed observations, published tables, provenance and a ledger.

Read each raw row (corrections, identity, units, and the unit conventions of upstream's
older README versions), merge sources newest-first. The result holds
every observation (superseded ones too), the row ledger (every raw row: kept with its
model_id, or rejected with a reason) and the corrections report; `stages/normalize.py` saves it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import polars as pl

from memwall.conventions import Convention
from memwall.history_parse import history_table
from memwall.merge import OBSERVATION_SCHEMA, merge
from memwall.rows import RawCell, RowContext, read_row, value_text
from memwall.tablekinds import HISTORIC_KINDS, KINDS, TableKind

LEDGER_SCHEMA = {
    "source_id": pl.String,
    "source": pl.String,
    "line": pl.Int32,
    "table": pl.String,
    "kind": pl.String,
    "outcome": pl.String,  # kept | rejected
    "model_id": pl.String,
    "code": pl.String,
    "reason": pl.String,
    "text": pl.String,
}
_KINDS = {k.name: k for k in KINDS + HISTORIC_KINDS}


def convert(
    obs: dict, kind: TableKind, version: int | None, conventions: Sequence[Convention]
) -> dict:
    """An observation in today's units: the conventions covering its version, table and
    field multiply its value; `printed` keeps the value as the version printed it."""
    applied = [
        c
        for c in conventions
        if version is not None
        and c.covers(version)
        and c.table == history_table(kind)
        and c.field == obs["field"]
        and obs["status"] in c.statuses
        and obs["value"] is not None
    ]
    value = obs["value"]
    for c in applied:
        value = value_text(float(value) * c.factor)
    return obs | {
        "value": value,
        "printed": obs["value"],
        "conventions": ",".join(c.id for c in applied),
    }


_FIRST = ("source_id", "source", "rank", "kind", "header_line", "header_text", "line")


def _raw_rows(cells: pl.DataFrame) -> Iterator[tuple[dict, list[RawCell]]]:
    """Each raw row (cells of one source and line, sources by rank, cells by position): its
    first cell's row-level columns and its cells. One pass over column lists."""
    ordered = cells.sort(["rank", "source_id", "line", "char"])
    extra = [c for c in ("version", "commit") if c in ordered.columns]
    heads = {c: ordered[c].to_list() for c in (*_FIRST, *extra)}
    lines, chars = heads["line"], ordered["char"].to_list()
    columns, texts = ordered["column"].to_list(), ordered["text"].to_list()
    sources = heads["source_id"]
    start = 0
    seen: set[tuple[str, int]] = set()
    for end in range(1, ordered.height + 1):
        if end < ordered.height and (sources[end], lines[end]) == (sources[start], lines[start]):
            continue
        key = (sources[start], lines[start])
        if key in seen:  # a row's cells must be contiguous once sorted; rank is per source
            raise ValueError(f"cells of {key} are not contiguous in rank order")
        seen.add(key)
        first = {c: values[start] for c, values in heads.items()}
        yield (
            first,
            [RawCell(lines[i], chars[i], columns[i], texts[i]) for i in range(start, end)],
        )
        start = end


@dataclass
class Normalized:
    """Everything the normalize stage produces."""

    observations: pl.DataFrame
    ledger: pl.DataFrame
    tables: dict[str, pl.DataFrame]
    provenance: pl.DataFrame
    corrections: list[dict]


def normalize(
    cells: pl.DataFrame,
    parse_rejects: pl.DataFrame,
    ctx: RowContext,
    conventions: Sequence[Convention] = (),
) -> Normalized:
    """Read every raw row, then merge. Pure: inputs in, frames out."""
    observations: list[dict] = []
    ledger: list[dict] = [
        {**r, "table": None, "kind": None, "outcome": "rejected", "model_id": None}
        for r in parse_rejects.drop("char").iter_rows(named=True)
    ]
    for first, raw_cells in _raw_rows(cells):
        kind = _KINDS[first["kind"]]
        source = {k: first[k] for k in ("source_id", "source", "rank")}
        header = RawCell(first["header_line"], 1, "", first["header_text"])
        result = read_row(ctx, kind, source, header, raw_cells)
        entry = {
            "source_id": source["source_id"],
            "source": source["source"],
            "line": first["line"],
            "table": kind.table,
            "kind": kind.name,
            "model_id": result.model_id,
            "code": None,
            "reason": None,
            "text": None,
        }
        if result.dropped_by:
            entry.update(
                outcome="rejected",
                code="dropped",
                reason=f"dropped by correction {result.dropped_by}",
            )
        elif result.errors:
            entry.update(
                outcome="rejected",
                code=result.errors[0].code,
                reason="; ".join(f"col {e.char}: {e.message}" for e in result.errors),
            )
        else:
            entry["outcome"] = "kept"
            stamp = {"version": first.get("version"), "commit": first.get("commit")}
            observations += [
                convert(obs | stamp | {"kind": kind.name}, kind, stamp["version"], conventions)
                for obs in result.observations
            ]
        ledger.append(entry)
    obs = pl.DataFrame(observations, schema=OBSERVATION_SCHEMA, orient="row")
    tables, provenance = merge(obs)
    return Normalized(
        observations=obs.sort(["table", "model_id", "field", "rank", "line"]),
        ledger=pl.DataFrame(ledger, schema=LEDGER_SCHEMA, orient="row").sort(["source_id", "line"]),
        tables=tables,
        provenance=provenance,
        corrections=ctx.report.as_dict(ctx.corrections),
    )
