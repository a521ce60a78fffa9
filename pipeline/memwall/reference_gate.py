"""The gate's checks of the tables not built from upstream's README: hardware and figures.

Each function returns one line per problem (empty when all is well), like
`memwall.validate.problems`: schema violations (pandera), raw records neither published nor
rejected, and provenance whose raw text is not at the line and column it names.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from memwall.csvrecords import CsvSyntaxError, read_records
from memwall.figure_schema import figure_claims_schema, figure_points_schema
from memwall.hardware_forms import format_of, markdown_blocks
from memwall.hardware_schema import hardware_provenance_schema, hardware_schema
from memwall.schemas import provenance_schema, schema_problems


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    return starts


def csv_lineage_problems(provenance: pl.DataFrame, text: str, name: str) -> list[str]:
    """Each located hardware cell's raw text is in the snapshot at its line and column
    (as written, or quoted with doubled quotes)."""
    starts = _line_starts(text)
    problems = []
    located = provenance.filter(pl.col("line").is_not_null() & (pl.col("source") == name))
    for r in located.iter_rows(named=True):
        where = f"{name}:{r['line']}:{r['char']}: hardware {r['hardware_id']!r} {r['field']}"
        if not 1 <= r["line"] <= len(starts):
            problems.append(f"{where}: no such line")
            continue
        rest = text[starts[r["line"] - 1] + r["char"] - 1 :]
        raw = r["raw"] or ""
        quoted = '"' + raw.replace('"', '""')
        if not (rest.startswith(raw) or rest.startswith(quoted)):
            problems.append(f"{where}: raw text {raw!r} is not there")
    return problems


def csv_accounting_problems(
    provenance: pl.DataFrame, rejects: pl.DataFrame, text: str, name: str
) -> list[str]:
    """Every record after the header is one device or one reject, never both or neither
    (the body rows of every table, for a contributed markdown file)."""
    if format_of(name) == "markdown":
        body = {r.line for _, _, rows in markdown_blocks(text) for r in rows}
    else:
        try:
            records = read_records(text)
        except CsvSyntaxError as exc:
            return [f"{name}:{exc.line}:{exc.char}: {exc.message}"]
        body = {r.line for r in records[1:]}
    devices = provenance.filter(pl.col("field") == "name")["line"].to_list()
    rejected = rejects["line"].to_list()
    seen = devices + rejected
    problems = [
        f"{name}:{line}: record is neither a device nor rejected"
        for line in sorted(body - set(seen))
    ]
    problems += [
        f"{name}:{line}: record counted twice"
        for line in sorted({x for x in seen if seen.count(x) > 1})
    ]
    problems += [f"{name}:{line}: no record starts here" for line in sorted(set(seen) - body)]
    return problems


def hardware_problems(
    hardware: pl.DataFrame,
    provenance: pl.DataFrame,
    rejects: pl.DataFrame,
    latest: dt.date,
    root: Path,
) -> list[str]:
    """Schemas of the hardware table and its provenance, accounting and lineage of every
    snapshot the provenance cites (read under `root`)."""
    found = schema_problems(hardware_schema(latest), hardware, "hardware_id")
    found += schema_problems(hardware_provenance_schema(), provenance, "hardware_id")
    cited = sorted(set(provenance["source"].drop_nulls().to_list()))
    for name in cited:
        text = (root / name).read_bytes().decode("utf-8-sig")
        mine = rejects.filter(pl.col("source") == name)
        found += csv_accounting_problems(
            provenance.filter(pl.col("source") == name), mine, text, name
        )
        found += csv_lineage_problems(provenance, text, name)
    return found


def published_provenance_problems(provenance: pl.DataFrame) -> list[str]:
    """The published provenance (model and hardware cells) against its schema."""
    return schema_problems(provenance_schema(), provenance)


def figure_problems(
    points: pl.DataFrame,
    claims: pl.DataFrame,
    rejects: pl.DataFrame,
    files: list[tuple[Path, str, str]],
    latest: dt.date,
) -> list[str]:
    """Schemas of figure_points and figure_claims, and every figure file accounted for: it
    has points or is rejected with a reason (never both, never neither)."""
    found = schema_problems(figure_points_schema(latest), points, "figure")
    found += schema_problems(figure_claims_schema(latest), claims, "figure")
    read = set(points.select("vintage", "figure").unique().iter_rows())
    rejected = set(rejects.select("vintage", "figure").iter_rows())
    for path, vintage, figure in files:
        key = (vintage, figure)
        if key in read and key in rejected:
            found.append(f"{path}: both read and rejected")
        elif key not in read and key not in rejected:
            found.append(f"{path}: neither read nor rejected")
    return found
