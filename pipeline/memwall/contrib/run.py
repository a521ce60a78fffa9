"""One `memwall validate` run: read every contribution, check it, collect the problems."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import polars as pl

from memwall.acceptances import load_acceptances
from memwall.config import PACKAGE_DATA
from memwall.contrib.csvcolumns import applies, read_csv_columns
from memwall.contrib.dataset import (
    Dataset,
    compare_problems,
    consistency_problems,
    repeated_problems,
)
from memwall.contrib.documents import UsageError, read_document
from memwall.contrib.frames import Contribution, from_row_stream
from memwall.contrib.hardware_run import hardware_problems, read_if_hardware
from memwall.contrib.markdown_columns import read_markdown_columns
from memwall.contrib.markdown_rows import markdown_rows
from memwall.contrib.problems import DEFAULT_MAX_PER_CODE, ERROR, Outcome, Problem
from memwall.contrib.records import json_rows, read_csv
from memwall.contrib.rowchecks import future_problems, name_problems, rule_problems
from memwall.contrib.rows import CONTRIB_RANK, CONTRIB_SOURCE_ID
from memwall.corrections import load_registry
from memwall.identity import Identities
from memwall.registry import RegistryError
from memwall.rows import RowContext

# Below this many lines a file is read row by row. The column-wise readers pay a fixed ~20 ms
# of polars queries that the row readers (0.5-1.5 ms for 10 rows) only exceed from about 150
# markdown rows or 300 CSV rows; both give the same rows and problems (their property tests).
# A markdown file is read column-wise only when one of its tables has this many body lines
# (header and delimiter rows not counted), and only its tables that have.
COLUMNWISE_FROM_LINES = 100
_SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}
# A problem that says the same as another at the same cell, more precisely.
_SUPERSEDED_BY = {
    "date-range": "future-date",
    "date-out-of-range": "future-date",
    "cross-source-conflict": "conflict",
    "repeated-model": "hardware-repeated-device",  # a device in two files: one problem
}


@dataclass
class Options:
    """What a run needs besides the paths: dates, units, the dataset and the thresholds."""

    today: dt.date
    latest: dt.date
    gb_basis: int
    max_bytes: int
    input_format: str | None = None
    dataset: Dataset | None = None
    check_params: dict | None = None
    registered: dict[str, str] = field(default_factory=dict)  # raw path -> source id
    max_per_code: int = DEFAULT_MAX_PER_CODE
    root: Path | None = None  # the checkout the dataset and params come from
    hardware_params: dict | None = None  # params.yaml's `hardware:` section


def _source(name: str, registered: dict[str, str], root: Path | None) -> dict:
    if name == "<stdin>":
        key = name
    else:
        key = Path(os.path.relpath(Path(name).resolve(), (root or Path.cwd()).resolve()))
        key = key.as_posix()
    return {
        "source_id": registered.get(key, CONTRIB_SOURCE_ID),
        "source": name,
        "rank": CONTRIB_RANK,
    }


# A position (line, column) as one sortable number: columns are below 2**32 in any text.
_LINE = 2**32
# Errors of a whole table, at its header: its rows are unreadable, and the header may follow
# another table's last row.
_NOT_OF_A_ROW = {"unknown-table"}


def _valid_rows(rows: pl.DataFrame, problems: list[Problem]) -> int:
    """Rows read with a model and without an error anywhere from their start (line and
    column: one line may hold several JSON records) to the next row's (an as-of join:
    n log n)."""
    errors = pl.DataFrame(
        [
            (p.path, p.line * _LINE + p.column)
            for p in problems
            if p.severity == ERROR and p.code not in _NOT_OF_A_ROW
        ],
        schema={"path": pl.String, "error_at": pl.Int64},
        orient="row",
    ).sort("path", "error_at")
    at = pl.col("line") * _LINE + pl.col("char")
    ordered = rows.with_columns(
        at=at, end=pl.when(pl.col("path").shift(-1) == pl.col("path")).then(at.shift(-1))
    ).filter(pl.col("readable") & pl.col("model_id").is_not_null())
    ordered = ordered.sort("path", "at")
    found = ordered.join_asof(
        errors,
        left_on="at",
        right_on="error_at",
        by="path",
        strategy="forward",
        check_sortedness=False,  # both sorted by path, then position
    )
    clean = pl.col("error_at").is_null() | (
        pl.col("end").is_not_null() & (pl.col("error_at") >= pl.col("end"))
    )
    return found.filter(clean).height


def _tidy(problems: list[Problem], order: dict[str, int]) -> list[Problem]:
    at = {(p.path, p.line, p.column, p.code) for p in problems}
    kept = {p for p in problems if (p.path, p.line, p.column, _SUPERSEDED_BY.get(p.code)) not in at}
    return sorted(
        kept,
        key=lambda p: (
            order.get(p.path, len(order)),
            p.line,
            p.column,
            _SEVERITY_ORDER[p.severity],
            p.code,
            p.message,
        ),
    )


def validate(paths: list[str], options: Options, stdin: BinaryIO) -> Outcome:
    """Validate every path (`-` is standard input). Raises `UsageError` for unreadable paths
    and for a malformed registry (`path:line: message`)."""
    try:
        ctx = RowContext(
            load_registry(PACKAGE_DATA / "corrections.yaml"),
            Identities.load(PACKAGE_DATA / "aliases.yaml"),
            options.gb_basis,
        )
        acceptances = load_acceptances(PACKAGE_DATA / "accepted.yaml")
    except RegistryError as exc:
        raise UsageError(str(exc)) from None
    outcome = Outcome(files=len(paths), max_per_code=options.max_per_code)
    parts: list[Contribution] = []
    problems: list[Problem] = []
    order: dict[str, int] = {}
    hardware = []
    for path in paths:
        document, found = read_document(path, stdin, options.max_bytes, options.input_format)
        problems += found
        if document is None:
            order.setdefault(found[0].path, len(order))
            continue
        order.setdefault(document.name, len(order))
        if (read := read_if_hardware(document)) is not None:
            hardware.append(read)
            parts.append(read.contribution)
            problems += read.problems
            continue
        source = _source(document.name, options.registered, options.root)
        large = document.text.count("\n") >= COLUMNWISE_FROM_LINES
        if large and document.format == "csv" and applies(document.text):
            read, found = read_csv_columns(document.name, document.text, ctx.identities, source)
            parts.append(read)
            problems += found
            continue
        if (
            large
            and document.format == "markdown"
            and (
                read := read_markdown_columns(
                    document.name, document.text, ctx, source, COLUMNWISE_FROM_LINES
                )
            )
        ):
            parts.append(read[0])
            problems += read[1]
            continue
        found = []
        if document.format == "markdown":  # small, or a text the column-wise reader refuses
            rows = markdown_rows(document.name, document.text, ctx, source, found)
        elif document.format == "csv":  # small, or a text the column-wise reader refuses
            records, found = read_csv(document.name, document.text, ctx.identities, source)
            rows = iter(records)
        else:
            rows = json_rows(document.name, document.text, ctx.identities, source, found)
        parts.append(from_row_stream(rows))
        problems += found
    contribution = Contribution.concat(parts)
    found, skipped = hardware_problems(hardware, options.dataset, options.hardware_params)
    problems += found
    problems += rule_problems(contribution, options.latest)
    problems += future_problems(contribution, options.today)
    problems += name_problems(contribution)
    problems += repeated_problems(contribution)
    if options.dataset is not None:
        problems += compare_problems(contribution, options.dataset)
    else:
        outcome.skipped.append(
            "no published dataset found beside the file (run `dvc pull` or `make repro` in "
            "its checkout, or pass --dataset): conflicts and duplicates were not checked"
        )
    if options.check_params is not None:
        replaced = {c.id: c.value for c in ctx.corrections if c.value is not None}
        problems += consistency_problems(
            contribution,
            options.dataset,
            options.check_params,
            replaced,
            acceptances,
        )
        outcome.skipped += skipped  # params.yaml without a `hardware:` section
    else:
        outcome.skipped.append(
            "no params.yaml found beside the file (pass --params): consistency checks skipped"
        )
    outcome.problems = _tidy(problems, order)
    outcome.rows_read = contribution.rows.height
    outcome.rows_valid = _valid_rows(contribution.rows, outcome.problems)
    return outcome
