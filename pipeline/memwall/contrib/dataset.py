"""Contributed rows against the published dataset: conflicts, duplicates, consistency.

The dataset is what users get: `processed/provenance.parquet` holds every published cell
with its value, original text and raw location, so it is the only file needed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from memwall.acceptances import apply_acceptances
from memwall.checks import run_checks
from memwall.checks.cells import cells_of
from memwall.contrib.documents import UsageError
from memwall.contrib.frames import ROW_KEY, Contribution, row_keys
from memwall.contrib.problems import ERROR, NOTE, WARNING, Problem
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


def _at(cell: dict) -> str:
    return f"{cell['source']}:{cell['line']}"


def repeated_problems(contribution: Contribution) -> list[Problem]:
    """A model given twice in the same table of one contribution."""
    rows = contribution.valid_rows().filter(pl.col("table").is_not_null())
    key = pl.struct("table", "model_id")
    first = rows.filter(key.is_first_distinct()).select(
        "table",
        "model_id",
        pl.col("path").alias("first_path"),
        pl.col("line").alias("first_line"),
        pl.col("model_column").alias("first_column"),
    )
    again = rows.filter(~key.is_first_distinct()).join(
        first, on=["table", "model_id"], how="left", maintain_order="left"
    )
    return [
        Problem(
            path,
            line,
            column,
            ERROR,
            "repeated-model",
            f"{model_id} already has a row in this contribution's {table} table "
            f"({first_path}:{first_line}:{first_column}); give one row per model",
        )
        for path, line, column, table, model_id, first_path, first_line, first_column in (
            again.select(
                "path",
                "line",
                "model_column",
                "table",
                "model_id",
                "first_path",
                "first_line",
                "first_column",
            ).iter_rows()
        )
    ]


def _known(dataset: Dataset) -> pl.DataFrame:
    """Stated published cells, one per key (the last, as `Dataset.cells` keeps), columns
    prefixed `known_`."""
    stated = dataset.provenance.filter(pl.col("status").is_in(STATED))
    stated = stated.unique(subset=list(_KEY), keep="last", maintain_order=True)
    return stated.select(
        *_KEY,
        *(
            pl.col(c).cast(pl.String if c == "value" else stated.schema[c]).alias(f"known_{c}")
            for c in ("value", "status", "raw", "source", "line")
        ),
    )


def _compared(observations: pl.DataFrame, dataset: Dataset) -> pl.DataFrame:
    """Observations with their published cell (`known_*`, null when none) and `itself`
    (the very raw cell the dataset published) and `same` (`_same` as an expression)."""
    joined = observations.join(_known(dataset), on=list(_KEY), how="left", maintain_order="left")
    na = (pl.col("status") == "not_applicable") | (pl.col("known_status") == "not_applicable")
    a = pl.col("value").cast(pl.Float64, strict=False)
    b = pl.col("known_value").cast(pl.Float64, strict=False)
    close = (a - b).abs() <= 1e-9 * pl.max_horizontal(a.abs(), b.abs())
    same = (
        pl.when(na)
        .then(pl.col("status") == pl.col("known_status"))
        .otherwise(pl.col("value").eq_missing(pl.col("known_value")) | close.fill_null(False))
    )
    itself = (pl.col("source") == pl.col("known_source")) & (pl.col("line") == pl.col("known_line"))
    has = pl.col("known_status").is_not_null()
    return joined.with_columns(
        has=has, itself=has & itself.fill_null(False), same=has & same.fill_null(False)
    )


def compare_problems(contribution: Contribution, dataset: Dataset) -> list[Problem]:
    """`conflict` for a stated fact the dataset states differently; `duplicate` for a row
    that adds nothing; `day-first` for a date that matches the dataset read day first."""
    models = dataset.provenance.select("table", "model_id").unique()
    rows = contribution.valid_rows().join(models, on=["table", "model_id"], how="semi")
    stated = contribution.observations.join(row_keys(rows), on=ROW_KEY, how="semi").filter(
        pl.col("status").is_in(STATED) & ~pl.col("field").is_in(_NAMING)
    )
    compared = _compared(stated, dataset)
    problems = []
    differ = compared.filter(pl.col("has") & ~pl.col("itself") & ~pl.col("same"))
    for o in differ.iter_rows(named=True):
        known = {"value": o["known_value"], "raw": o["known_raw"]}
        known.update(source=o["known_source"], line=o["known_line"])
        swapped = day_first_reading(o["raw"]) if o["field"] == "published" else None
        if swapped is not None and swapped.isoformat() == known["value"]:
            problems.append(
                Problem(
                    o["path"],
                    o["line"],
                    o["char"],
                    WARNING,
                    "day-first",
                    f"'{o['raw']}' reads as {o['value']} (MM/DD/YYYY), but the dataset "
                    f"dates {o['model_id']} {known['value']} ({_at(known)}): day and month "
                    "swapped?",
                )
            )
        problems.append(
            Problem(
                o["path"],
                o["line"],
                o["char"],
                ERROR,
                "conflict",
                f"{o['model_id']} {o['field']} '{o['raw']}' ({o['value'] or 'N/A'}) differs "
                f"from the dataset's '{known['raw']}' ({known['value'] or 'N/A'}) at "
                f"{_at(known)}; fix the row, or cite the evidence that the dataset is wrong "
                "in the pull request",
            )
        )
    counts = compared.group_by(ROW_KEY).agg(
        stated=pl.len(), same=(pl.col("same") & ~pl.col("itself")).sum()
    )
    duplicates = rows.join(
        counts.rename({"row_line": "line", "row_char": "char"}),
        on=["path", "line", "char"],
        how="inner",
        maintain_order="left",
    ).filter(pl.col("stated") == pl.col("same"))
    problems += [
        Problem(
            path,
            line,
            column,
            WARNING,
            "duplicate",
            f"{model_id} is already in the {table} table with these values; the row adds nothing",
        )
        for path, line, column, model_id, table in duplicates.select(
            "path", "line", "model_column", "model_id", "table"
        ).iter_rows()
    ]
    return problems


def _new_cells(
    contribution: Contribution, dataset: Dataset | None, wanted: set[tuple[str, int, int]]
) -> set[tuple[str, int, int]]:
    """Of the positions `wanted`, those of contributed cells that add or change a fact (not
    a restated one).

    Findings about restated values are the dataset's own, already in its findings report.
    """
    if not wanted:
        return set()
    places = pl.DataFrame(
        list(wanted), schema={"path": pl.String, "line": pl.Int64, "char": pl.Int64}, orient="row"
    )
    mine = contribution.observations.join(places, on=["path", "line", "char"], how="semi")
    if dataset is not None:
        compared = _compared(mine, dataset)
        mine = compared.filter(~pl.col("has") | ~(pl.col("itself") | pl.col("same")))
    return set(mine.select("path", "line", "char").iter_rows())


def _models_at(
    contribution: Contribution, cells: set[tuple[str, int, int]]
) -> dict[tuple[str, int, int], str]:
    """The model of each contributed cell at the positions `cells` (path, line, char): by
    the cell itself, as one line may hold several JSON records."""
    places = pl.DataFrame(
        list(cells), schema={"path": pl.String, "line": pl.Int64, "char": pl.Int64}, orient="row"
    )
    found = contribution.observations.join(places, on=["path", "line", "char"], how="semi")
    return {(p, n, c): m for p, n, c, m in found.select("path", "line", "char", "model_id").rows()}


def consistency_problems(
    contribution: Contribution,
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
    contributed = contribution.observations_frame()
    if contributed.is_empty():
        return []
    # What `build_cells(observations, published, ...)` computes with the published cells
    # being the contributed ones and the dataset's others, without joining every contributed
    # cell with itself: a contributed cell is published; a dataset cell is unless the
    # contribution states its (table, model, field), or is that very cell (same source,
    # line and column: a registered raw file validated again).
    observations = [contributed.with_columns(published=pl.col("source").is_not_null())]
    if dataset is not None:
        known = dataset.provenance.filter(pl.col("status") != "absent")
        mine = contributed.select(*_KEY).unique()
        # Provenance leaves out the observation columns it does not publish (version, ...).
        absent = [
            pl.lit(None, t).alias(c)
            for c, t in OBSERVATION_SCHEMA.items()
            if c not in known.columns and c != "rank"
        ]
        known = known.with_columns(*absent, rank=pl.lit(0, pl.Int32)).select(*OBSERVATION_SCHEMA)
        at = [*_KEY, "source", "line", "char"]
        kept = known.join(mine, on=list(_KEY), how="anti").select(at)
        itself = known.join(contributed.select(at), on=at, how="semi").select(at)
        chosen = pl.concat([kept, itself]).filter(pl.col("source").is_not_null()).unique()
        observations.append(
            known.join(
                chosen.with_columns(published=pl.lit(True)),
                on=at,
                how="left",
                maintain_order="left",
            ).with_columns(pl.col("published").fill_null(False))
        )
    cells = cells_of(pl.concat(observations), replaced)
    del observations, contributed  # ~200 MB at 100,000 rows, not needed by the checks
    findings, _ = apply_acceptances(run_checks(cells, params), acceptances)
    findings = [f for f in findings if not f.accepted]
    if not findings:
        return []
    places = [s.rsplit(":", 2) for f in findings for s in f.sources]
    wanted = {
        (at[0], int(at[1]), int(at[2]))
        for at in places
        if len(at) == 3 and at[1].isdigit() and at[2].isdigit()
    }
    new_at = _new_cells(contribution, dataset, wanted)
    model_at = _models_at(contribution, new_at)
    problems = []
    for f in findings:
        mine_at = [s.rsplit(":", 2) for s in f.sources]
        mine_at = [(p, int(n), int(c)) for p, n, c in mine_at if (p, int(n), int(c)) in new_at]
        if not mine_at:
            continue
        # At the finding's own model's row when the contribution holds it (copies name two).
        path, line, column = next(
            (at for at in mine_at if model_at.get(at) == f.model_id), mine_at[0]
        )
        others = [s for s in f.sources if s.rsplit(":", 2)[0] != path]
        also = f" (with {', '.join(others)})" if others else ""
        severity = {"error": ERROR, "warning": WARNING}.get(f.severity, NOTE)
        problems.append(Problem(path, line, column, severity, f.code, f"{f.message}{also}"))
    return problems
