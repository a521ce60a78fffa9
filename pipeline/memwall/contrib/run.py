"""One `memwall validate` run: read every contribution, check it, collect the problems."""

from __future__ import annotations

import bisect
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from memwall.acceptances import load_acceptances
from memwall.config import PACKAGE_DATA
from memwall.contrib.dataset import (
    Dataset,
    compare_problems,
    consistency_problems,
    repeated_problems,
)
from memwall.contrib.documents import UsageError, read_document
from memwall.contrib.markdown_rows import read_markdown
from memwall.contrib.problems import DEFAULT_MAX_PER_CODE, ERROR, Outcome, Problem
from memwall.contrib.records import read_csv, read_json
from memwall.contrib.rowchecks import future_problems, name_problems, rule_problems
from memwall.contrib.rows import CONTRIB_RANK, CONTRIB_SOURCE_ID, ContribRow
from memwall.corrections import load_registry
from memwall.identity import Identities
from memwall.registry import RegistryError
from memwall.rows import RowContext

_SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}
# A problem that says the same as another at the same cell, more precisely.
_SUPERSEDED_BY = {
    "date-range": "future-date",
    "date-out-of-range": "future-date",
    "cross-source-conflict": "conflict",
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


def _valid_rows(rows: list[ContribRow], problems: list[Problem]) -> int:
    """Rows read without an error anywhere between their line and the next row's
    (a binary search per row: n log n)."""
    error_lines: dict[str, list[int]] = {}
    for p in problems:
        if p.severity == ERROR:
            error_lines.setdefault(p.path, []).append(p.line)
    for lines in error_lines.values():
        lines.sort()
    valid = 0
    for i, row in enumerate(rows):
        if not (row.readable and row.model_id):
            continue
        following = rows[i + 1] if i + 1 < len(rows) else None
        end = following.line if following and following.path == row.path else None
        lines = error_lines.get(row.path, [])
        first = bisect.bisect_left(lines, row.line)
        if not (first < len(lines) and (end is None or lines[first] < end)):
            valid += 1
    return valid


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
    rows: list[ContribRow] = []
    problems: list[Problem] = []
    order: dict[str, int] = {}
    for path in paths:
        document, found = read_document(path, stdin, options.max_bytes, options.input_format)
        problems += found
        if document is None:
            order.setdefault(found[0].path, len(order))
            continue
        order.setdefault(document.name, len(order))
        source = _source(document.name, options.registered, options.root)
        if document.format == "markdown":
            read, found = read_markdown(document.name, document.text, ctx, source)
        elif document.format == "csv":
            read, found = read_csv(document.name, document.text, ctx.identities, source)
        else:
            read, found = read_json(document.name, document.text, ctx.identities, source)
        rows += read
        problems += found
    problems += rule_problems(rows, options.latest)
    problems += future_problems(rows, options.today)
    problems += name_problems(rows)
    problems += repeated_problems(rows)
    if options.dataset is not None:
        problems += compare_problems(rows, options.dataset)
    else:
        outcome.skipped.append(
            "no published dataset found beside the file (run `dvc pull` or `make repro` in "
            "its checkout, or pass --dataset): conflicts and duplicates were not checked"
        )
    if options.check_params is not None:
        replaced = {c.id: c.value for c in ctx.corrections if c.value is not None}
        problems += consistency_problems(
            rows,
            options.dataset,
            options.check_params,
            replaced,
            acceptances,
        )
    else:
        outcome.skipped.append(
            "no params.yaml found beside the file (pass --params): consistency checks skipped"
        )
    outcome.problems = _tidy(problems, order)
    outcome.rows_read = len(rows)
    outcome.rows_valid = _valid_rows(rows, outcome.problems)
    return outcome
