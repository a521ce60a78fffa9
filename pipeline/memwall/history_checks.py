"""Checks over upstream's history (the frame of `memwall.history_build.history_from_interim`).

Each check is a few group-bys and joins (O(n log n) in cells, no all-pairs comparison) and
returns a frame of findings sorted deterministically, with the code's message filled in and
both versions and lines named. Codes live in the HISTORY section of `memwall.codes`.
"""

from __future__ import annotations

import polars as pl

from memwall import codes
from memwall.conventions import Convention

_KEY = ["table", "model_id", "field"]
_NUMERIC = ("value", "estimate")
PUBLISHED_TABLE = {"nlp-models": "models", "cv-models": "models", "memory": "memory"}


def _messages(frame: pl.DataFrame, code: str) -> pl.DataFrame:
    declared = codes.get(code)
    messages = [declared.message(**row) for row in frame.iter_rows(named=True)]
    return frame.with_columns(
        pl.lit(code).alias("code"),
        pl.lit(declared.severity).alias("severity"),
        pl.Series("message", messages, dtype=pl.String),
    )


def unit_shift_check(
    history: pl.DataFrame,
    conventions: list[Convention],
    min_models: int = 3,
    min_fraction: float = 0.5,
    rel_tol: float = 0.05,
) -> pl.DataFrame:
    """Columns in which many models' printed numbers change by one common factor at once.

    For each (table, field) and pair of consecutive versions having the table, the models
    whose number is printed in both are compared; a ratio within `rel_tol` of 1 is no change.
    The column is flagged when at least `min_models` models, and at least `min_fraction` of
    those compared, changed by the median ratio of the changed ones (within `rel_tol`).

    Defaults: upstream corrects single values all the time (VGG-19 135M -> 138M, InceptionV3
    82M -> 24M in one commit) but never three at once by one factor, so three models is the
    smallest count that cannot be a coincidence of independent fixes; half the column keeps
    a unit change (which moves every number) apart from a few rows retyped; 5% absorbs
    upstream's rounding to two significant digits (Megatron 8,800 x 2 printed 18,000).

    A flag is `explained` by a convention of the same table and field that covers the older
    version but not the newer one and whose factor equals the observed one (within rel_tol).
    """
    pairs = history.filter(
        pl.col("change").is_in(["same", "changed"])
        & (pl.col("status") == "value")
        & (pl.col("previous_status") == "value")
        & (pl.col("value_printed") > 0)
        & (pl.col("previous_value_printed") > 0)
    ).with_columns((pl.col("value_printed") / pl.col("previous_value_printed")).alias("ratio"))
    group = ["table", "field", "version", "previous_version"]
    moved = (pl.col("ratio") / 1.0 - 1).abs() > rel_tol
    medians = pairs.filter(moved).group_by(group).agg(pl.col("ratio").median().alias("factor"))
    counted = (
        pairs.join(medians, on=group, how="left")
        .group_by(group)
        .agg(
            pl.len().alias("compared"),
            ((pl.col("ratio") / pl.col("factor") - 1).abs() <= rel_tol).sum().alias("models"),
            pl.col("factor").first(),
            pl.col("model_id")
            .filter((pl.col("ratio") / pl.col("factor") - 1).abs() <= rel_tol)
            .sort()
            .str.join(",")
            .alias("model_ids"),
        )
    )
    flagged = counted.filter(
        pl.col("factor").is_not_null()
        & (pl.col("models") >= min_models)
        & (pl.col("models") >= min_fraction * pl.col("compared"))
    ).sort(group)
    explained = []
    for row in flagged.iter_rows(named=True):
        ids = [
            c.id
            for c in conventions
            if c.table == row["table"]
            and c.field == row["field"]
            and c.covers(row["previous_version"])
            and not c.covers(row["version"])
            and abs(c.factor - row["factor"]) <= rel_tol * c.factor
        ]
        explained.append(",".join(ids))
    flagged = flagged.with_columns(
        pl.Series("explained_by", explained, dtype=pl.String),
        pl.Series(
            "explained",
            [
                f" (explained by unit convention {e})" if e else " (no convention explains it)"
                for e in explained
            ],
            dtype=pl.String,
        ),
    )
    return _messages(flagged, "history-unit-shift").drop("explained")


def row_shift_check(history: pl.DataFrame) -> pl.DataFrame:
    """A value that moved from one model's row to another's between two versions, while the
    first model's value changed (upstream typing a number one row off, then fixing it).

    Joins the cells that became X at a version with the cells that were X in the previous
    version and changed at that version, on (version, table, field, X).
    """
    gained = history.filter(
        pl.col("change").is_in(["added", "changed"]) & pl.col("status").is_in(_NUMERIC)
    ).select(
        "version",
        "table",
        "field",
        "raw",
        "line",
        pl.col("canonical").alias("x"),
        pl.col("model_id").alias("to_model"),
    )
    lost = history.filter(
        (pl.col("change") == "changed") & pl.col("previous_status").is_in(_NUMERIC)
    ).select(
        "version",
        "table",
        "field",
        "previous_version",
        "previous_line",
        pl.col("previous_canonical").alias("x"),
        pl.col("model_id").alias("from_model"),
        pl.col("raw").alias("from_new_raw"),
        pl.col("line").alias("from_line"),
    )
    found = (
        gained.join(lost, on=["version", "table", "field", "x"])
        .filter(pl.col("to_model") != pl.col("from_model"))
        .drop("x")
        .sort("version", "table", "field", "line", "from_model")
    )
    return _messages(found.with_columns(pl.col("to_model").alias("model_id")), "history-row-shift")


def flip_flop_check(history: pl.DataFrame) -> pl.DataFrame:
    """A value that changed and later changed back (A -> B -> A), over consecutive statements.

    Only versions where the cell's meaning changed are looked at (added or changed), so a
    cell that stays B for many versions before returning to A is still found.
    """
    state = pl.col("status") + "|" + pl.col("canonical").fill_null("")
    steps = (
        history.filter(pl.col("change").is_in(["added", "changed"]))
        .sort(*_KEY, "version")
        .with_columns(state.alias("state"))
    )
    shifted = steps.with_columns(
        *[
            pl.col(c).shift(n).over(_KEY).alias(f"{c}_{tag}")
            for n, tag in ((2, "a"), (1, "b"))
            for c in ("state", "version", "line", "raw")
        ]
    )
    found = (
        shifted.filter(
            (pl.col("state_a") == pl.col("state")) & (pl.col("state_b") != pl.col("state"))
        )
        .select(
            *_KEY,
            "version_a",
            "line_a",
            "raw_a",
            "version_b",
            "line_b",
            "raw_b",
            pl.col("version").alias("version_c"),
            pl.col("line").alias("line_c"),
            pl.col("raw").alias("raw_c"),
        )
        .sort(*_KEY, "version_c")
    )
    return _messages(found, "history-flip-flop")


def newest_statements(history: pl.DataFrame, versions: list[int] | None = None) -> pl.DataFrame:
    """Per (table, model_id, field), the newest version that states the cell (blank cells
    state nothing), optionally among `versions` only; with its raw text, value and line."""
    stated = history.filter((pl.col("change") != "removed") & (pl.col("status") != "unknown"))
    if versions is not None:
        stated = stated.filter(pl.col("version").is_in(versions))
    return (
        stated.sort("version")
        .group_by(_KEY)
        .agg(pl.all().last())
        .select(*_KEY, "version", "raw", "canonical", "value", "status", "line")
        .sort(_KEY)
    )


def old_version_only_check(history: pl.DataFrame, tables: pl.DataFrame) -> pl.DataFrame:
    """Cells whose newest statement is in an old version only: the newest version having
    their table no longer states them (a dropped model, column or value)."""
    newest = (
        tables.sort("version")
        .group_by("table")
        .agg(
            pl.col("version").last().alias("newest_version"),
            pl.col("header_line").last().alias("newest_line"),
        )
    )
    rows_now = (
        history.filter(pl.col("change") != "removed")
        .group_by("version", "table", "model_id")
        .agg(pl.col("line").min().alias("row_line"))
    )
    found = (
        newest_statements(history)
        .join(newest, on="table")
        .filter(pl.col("version") < pl.col("newest_version"))
        .join(
            rows_now,
            left_on=["newest_version", "table", "model_id"],
            right_on=["version", "table", "model_id"],
            how="left",
        )
        .with_columns(pl.coalesce("row_line", "newest_line").alias("newest_line"))
        .drop("row_line")
        .sort(_KEY)
    )
    return _messages(found, "history-old-version-only")


def published_differences(history: pl.DataFrame, baseline_versions: list[int]) -> pl.DataFrame:
    """Published cells (models/memory) that would differ if each took its newest statement
    over all versions instead of over `baseline_versions` only (e.g. [11, 26]).

    Keyed by (published table, model_id, field); `kind` says `new` (no baseline version
    states it) or `different` (a newer version states another value).
    """

    def newest(versions: list[int] | None) -> pl.DataFrame:
        frame = newest_statements(history, versions).with_columns(
            pl.col("table").replace_strict(PUBLISHED_TABLE).alias("published_table")
        )
        return (
            frame.sort("version")
            .group_by("published_table", "model_id", "field")
            .agg(pl.all().last())
        )

    everything = newest(None)
    baseline = newest(baseline_versions).select(
        "published_table",
        "model_id",
        "field",
        *[pl.col(c).alias(f"baseline_{c}") for c in ("version", "raw", "canonical", "status")],
    )
    joined = everything.join(baseline, on=["published_table", "model_id", "field"], how="left")
    differs = (
        pl.col("baseline_version").is_null()
        | ~pl.col("canonical").eq_missing(pl.col("baseline_canonical"))
        | (pl.col("status") != pl.col("baseline_status"))
    )
    return (
        joined.filter(differs)
        .with_columns(
            pl.when(pl.col("baseline_version").is_null())
            .then(pl.lit("new"))
            .otherwise(pl.lit("different"))
            .alias("kind")
        )
        .select(
            "published_table",
            "model_id",
            "field",
            "kind",
            "version",
            "raw",
            "canonical",
            "line",
            "baseline_version",
            "baseline_raw",
            "baseline_canonical",
        )
        .sort("published_table", "model_id", "field")
    )


FINDINGS_SCHEMA = {
    "code": pl.String,
    "severity": pl.String,
    "table": pl.String,
    "model_id": pl.String,
    "field": pl.String,
    "message": pl.String,
    "sources": pl.String,  # upstream-v<N>:<line>, comma-joined, older first
}


def history_findings(
    history: pl.DataFrame,
    tables: pl.DataFrame,
    conventions: list[Convention],
    min_models: int = 3,
    min_fraction: float = 0.5,
    rel_tol: float = 0.05,
) -> pl.DataFrame:
    """All history checks as one findings frame (FINDINGS_SCHEMA), sorted by severity, code,
    table, model, field and sources. A unit shift's subject is its table's column, so its
    model_id is empty. The thresholds are those of `unit_shift_check`."""

    def at(version: str, line: str) -> pl.Expr:
        return pl.format("upstream-v{}:{}", pl.col(version), pl.col(line))

    shift = unit_shift_check(history, conventions, min_models, min_fraction, rel_tol)
    parts = [
        shift.select(
            "code", "severity", "table", pl.lit("").alias("model_id"), "field", "message",
            pl.format("upstream-v{},upstream-v{}", "previous_version", "version").alias("sources"),
        ),
        row_shift_check(history).select(
            "code", "severity", "table", "model_id", "field", "message",
            pl.concat_str(
                [at("previous_version", "previous_line"), at("version", "line")], separator=","
            ).alias("sources"),
        ),
        flip_flop_check(history).select(
            "code", "severity", "table", "model_id", "field", "message",
            pl.concat_str(
                [at("version_a", "line_a"), at("version_b", "line_b"), at("version_c", "line_c")],
                separator=",",
            ).alias("sources"),
        ),
        old_version_only_check(history, tables).select(
            "code", "severity", "table", "model_id", "field", "message",
            pl.concat_str(
                [at("version", "line"), at("newest_version", "newest_line")], separator=","
            ).alias("sources"),
        ),
    ]  # fmt: skip
    found = pl.concat([p.cast(FINDINGS_SCHEMA) for p in parts])
    rank = pl.col("severity").replace_strict({s: i for i, s in enumerate(codes.SEVERITIES)})
    return (
        found.with_columns(rank.alias("_rank"))
        .sort("_rank", "code", "table", "model_id", "field", "sources")
        .drop("_rank")
    )
