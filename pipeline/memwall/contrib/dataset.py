"""Contributed rows against the published dataset: conflicts, duplicates, consistency.

The dataset is what users get: `processed/provenance.parquet` holds every published cell
with its value, original text and raw location, so it is the only file needed here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from memwall.acceptances import apply_acceptances
from memwall.checks import run_checks
from memwall.checks.cells import build_cells
from memwall.contrib.documents import UsageError
from memwall.contrib.problems import ERROR, NOTE, WARNING, Problem
from memwall.contrib.rows import ContribRow
from memwall.merge import OBSERVATION_SCHEMA
from memwall.units import day_first_reading

STATED = ("value", "estimate", "not_applicable")
# Fields that name the row rather than state a fact about the model.
_NAMING = ("model_id", "model", "domain")
_KEY = ("table", "model_id", "field")
_NEEDED = (*_KEY, "status", "value", "raw", "source", "line", "char")


@dataclass(frozen=True)
class Dataset:
    """The published cells, keyed by (table, model_id, field)."""

    provenance: pl.DataFrame

    @classmethod
    def load(cls, processed: Path) -> Dataset | None:
        """The dataset in a `processed/` directory, or None when it has not been built."""
        path = processed / "provenance.parquet"
        if not path.is_file():
            return None
        try:
            frame = pl.read_parquet(path)
        except (pl.exceptions.PolarsError, OSError) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise UsageError(f"{path}: not a readable Parquet file ({reason})") from None
        missing = sorted(set(_NEEDED) - set(frame.columns))
        if missing:
            raise UsageError(f"{path}: not a memwall provenance table (no {', '.join(missing)})")
        return cls(frame)

    def cells(self) -> dict[tuple[str, str, str], dict]:
        """Stated published cells by key."""
        stated = self.provenance.filter(pl.col("status").is_in(STATED))
        return {tuple(r[k] for k in _KEY): r for r in stated.iter_rows(named=True)}

    def models(self) -> set[tuple[str, str]]:
        """(table, model_id) of every published row."""
        return set(self.provenance.select("table", "model_id").unique().iter_rows())


def _same(a: dict, b: dict) -> bool:
    if a["status"] == "not_applicable" or b["status"] == "not_applicable":
        return a["status"] == b["status"]
    if a["value"] == b["value"]:
        return True
    try:
        return math.isclose(float(a["value"]), float(b["value"]), rel_tol=1e-9)
    except (TypeError, ValueError):
        return False


def _at(cell: dict) -> str:
    return f"{cell['source']}:{cell['line']}"


def _is_itself(o: dict, known: dict) -> bool:
    """The contributed cell is the very raw cell the dataset published (a registered source)."""
    return o["source"] == known["source"] and o["line"] == known["line"]


def repeated_problems(rows: list[ContribRow]) -> list[Problem]:
    """A model given twice in the same table of one contribution."""
    first: dict[tuple[str, str], ContribRow] = {}
    problems = []
    for row in rows:
        if not (row.readable and row.model_id and row.table):
            continue
        key = (row.table, row.model_id)
        if key not in first:
            first[key] = row
            continue
        seen = first[key]
        problems.append(
            Problem(
                row.path,
                row.line,
                row.model_column,
                ERROR,
                "repeated-model",
                f"{row.model_id} already has a row in this contribution's {row.table} table "
                f"({seen.path}:{seen.line}); give one row per model",
            )
        )
    return problems


def compare_problems(rows: list[ContribRow], dataset: Dataset) -> list[Problem]:
    """`conflict` for a stated fact the dataset states differently; `duplicate` for a row
    that adds nothing; `day-first` for a date that matches the dataset read day first."""
    cells = dataset.cells()
    models = dataset.models()
    problems = []
    for row in rows:
        if not (row.readable and row.model_id and (row.table, row.model_id) in models):
            continue
        stated = [
            o for o in row.observations if o["status"] in STATED and o["field"] not in _NAMING
        ]
        same = 0
        for o in stated:
            known = cells.get((row.table, row.model_id, o["field"]))
            if known is None or _is_itself(o, known):
                continue
            if _same(o, known):
                same += 1
                continue
            swapped = day_first_reading(o["raw"]) if o["field"] == "published" else None
            if swapped is not None and swapped.isoformat() == known["value"]:
                problems.append(
                    Problem(
                        row.path,
                        o["line"],
                        o["char"],
                        WARNING,
                        "day-first",
                        f"'{o['raw']}' reads as {o['value']} (MM/DD/YYYY), but the dataset "
                        f"dates {row.model_id} {known['value']} ({_at(known)}): day and month "
                        "swapped?",
                    )
                )
            problems.append(
                Problem(
                    row.path,
                    o["line"],
                    o["char"],
                    ERROR,
                    "conflict",
                    f"{row.model_id} {o['field']} '{o['raw']}' ({o['value'] or 'N/A'}) differs "
                    f"from the dataset's '{known['raw']}' ({known['value'] or 'N/A'}) at "
                    f"{_at(known)}; fix the row, or cite the evidence that the dataset is wrong "
                    "in the pull request",
                )
            )
        if stated and same == len(stated):
            problems.append(
                Problem(
                    row.path,
                    row.line,
                    row.model_column,
                    WARNING,
                    "duplicate",
                    f"{row.model_id} is already in the {row.table} table with these values; "
                    "the row adds nothing",
                )
            )
    return problems


def observations_frame(rows: list[ContribRow]) -> pl.DataFrame:
    """The contributed observations as the pipeline's observation frame."""
    records = [o for r in rows if r.readable and r.model_id for o in r.observations]
    return pl.DataFrame(records, schema=OBSERVATION_SCHEMA, orient="row")


def _new_cells(rows: list[ContribRow], dataset: Dataset | None) -> set[tuple[str, int, int]]:
    """Positions of contributed cells that add or change a fact (not a restated one).

    Findings about restated values are the dataset's own, already in its findings report.
    """
    cells = dataset.cells() if dataset is not None else {}
    new = set()
    for row in rows:
        for o in row.observations:
            known = cells.get((o["table"], o["model_id"], o["field"]))
            if known is None or not (_is_itself(o, known) or _same(o, known)):
                new.add((row.path, o["line"], o["char"]))
    return new


def consistency_problems(
    rows: list[ContribRow],
    dataset: Dataset | None,
    params: dict,
    replaced: dict[str, str],
    acceptances: list,
) -> list[Problem]:
    """The pipeline's consistency checks over the dataset with the contribution on top.

    A contributed value replaces the published one for the checks, as it would in the
    dataset. Only findings that involve a contributed cell adding or changing a fact are
    reported, at that cell; accepted findings are left out.
    """
    contributed = observations_frame(rows)
    if contributed.is_empty():
        return []
    observations = [contributed]
    published = [contributed.select(*_KEY, "source", "line", "char")]
    if dataset is not None:
        known = dataset.provenance.filter(pl.col("status") != "absent")
        mine = contributed.select(*_KEY).unique()
        # Published cells as observations: the columns provenance does not carry (an upstream
        # version, the printed number before conventions...) are unknown here, so null.
        observations.append(
            known.with_columns(
                rank=pl.lit(0, pl.Int32),
                **{
                    name: pl.lit(None, dtype)
                    for name, dtype in OBSERVATION_SCHEMA.items()
                    if name not in known.columns and name != "rank"
                },
            )
            .select(*OBSERVATION_SCHEMA)
            .cast(OBSERVATION_SCHEMA)
        )
        published.append(
            known.join(mine, on=list(_KEY), how="anti").select(*_KEY, "source", "line", "char")
        )
    cells = build_cells(pl.concat(observations), pl.concat(published), replaced)
    findings, _ = apply_acceptances(run_checks(cells, params), acceptances)
    row_of = {(r.path, r.line): r.model_id for r in rows}
    new_at = _new_cells(rows, dataset)
    problems = []
    for f in findings:
        if f.accepted:
            continue
        mine_at = [s.rsplit(":", 2) for s in f.sources]
        mine_at = [(p, int(n), int(c)) for p, n, c in mine_at if (p, int(n), int(c)) in new_at]
        if not mine_at:
            continue
        # At the finding's own model's row when the contribution holds it (copies name two).
        path, line, column = next(
            (at for at in mine_at if row_of[at[:2]] == f.model_id), mine_at[0]
        )
        others = [s for s in f.sources if s.rsplit(":", 2)[0] != path]
        also = f" (with {', '.join(others)})" if others else ""
        severity = {"error": ERROR, "warning": WARNING}.get(f.severity, NOTE)
        problems.append(Problem(path, line, column, severity, f.code, f"{f.message}{also}"))
    return problems
