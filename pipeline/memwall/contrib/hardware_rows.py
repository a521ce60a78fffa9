"""Contributed hardware rows -> the hardware stage's tables, with positioned problems.

A contributed file holds hardware when its header (a CSV's first record, a markdown table's
header row) is one of two column sets:
- `epoch`: the raw datasheet snapshot's columns (raw/epoch/ml_hardware.csv), read by name
  through `data/hardware_columns.yaml`, exactly as the `hardware` stage reads the snapshot
  (bit/s columns divided by 8 there, by the mapping's factor);
- `published`: the columns of processed/hardware.csv (`fields.HARDWARE`), in their base units;
  `hardware_id` and the derived `ridge_point_flop_per_byte` may be left out or blank, and are
  checked when given.
Either set may come as CSV or as a markdown table. The header is checked by the stage's own
header check (unknown, duplicated and missing columns named), the records become devices by the
stage's own reader (`hardware.tables_from_records`: `hardware_cells.parse_cell` per cell), so a
contributed cell gets the value and status the pipeline would give it; a cell the pipeline
would publish as `invalid` is an error here (`unit`), at its line and character column.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from fractions import Fraction

import polars as pl

from memwall import codes
from memwall.contrib.frames import OBS_SCHEMA, ROW_SCHEMA, Contribution
from memwall.contrib.problems import ERROR, Problem
from memwall.csvrecords import Cell, CsvSyntaxError, Record, read_records
from memwall.fields import HARDWARE
from memwall.hardware import RIDGE, HardwareTables, tables_from_records
from memwall.hardware_cells import INVALID
from memwall.hardware_columns import header_issues
from memwall.hardware_forms import HARDWARE_ID, Form, recognise, table_records
from memwall.markdown import find_tables

TABLE = "hardware"
_UNITS = {f.name: f.unit for f in HARDWARE}


@dataclass
class HardwareDocument:
    """One contributed hardware file: its devices (the stage's tables), its rows for the
    run's counts, and the problems found while reading."""

    name: str
    tables: HardwareTables | None
    contribution: Contribution
    problems: list[Problem]


def read_hardware_document(name: str, text: str, fmt: str) -> HardwareDocument:
    """Read a document `is_hardware` accepted: CSV records or every markdown table in it."""
    problems: list[Problem] = []
    if fmt == "csv":
        try:
            records = read_records(text)
        except CsvSyntaxError as exc:
            problems.append(Problem(name, exc.line, exc.char, ERROR, "csv", exc.message))
            return HardwareDocument(name, None, _rows_frame([]), problems)
        blocks = [(records[0], records[1:])]
    else:
        blocks = []
        for table in find_tables(text):
            if recognise([c.text for c in table.header]) is None:
                message = "not a hardware table; one file holds hardware rows or model rows"
                problems.append(Problem(name, table.line, 1, ERROR, "unknown-table", message))
                continue
            blocks.append(table_records(table))
    parts, rows = [], []
    for header, body in blocks:
        tables, found, read_rows = _read_block(name, header, body)
        problems += found
        rows += read_rows
        if tables is not None:
            parts.append(tables)
    tables = _concat(parts) if parts else None
    return HardwareDocument(name, tables, _rows_frame(rows), problems)


def _without_at(issue_message: str, at: str) -> str:
    return issue_message.removeprefix(f"{at}: ")


def _header_problems(name: str, header: Record, form: Form) -> list[Problem]:
    """The stage's header check, each issue at its cell, with the closest known column."""
    problems = []
    known = form.mapping.known()
    for issue in header_issues(header, form.mapping):
        at = f"{name}:{issue.line}" + ("" if issue.char is None else f":{issue.char}")
        message = _without_at(issue.message(name), at)
        if issue.code == "hardware-unknown-column":
            column = issue.fields["column"]
            close = difflib.get_close_matches(column, known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? " if close else ""
            message = (
                f"unknown column '{column}' ({form.name} columns): {hint}"
                f"{_bits_hint(column)}known: {issue.fields['known']}"
            )
        declared = codes.get(issue.code)
        problems.append(
            Problem(name, issue.line, issue.char or 1, declared.severity, declared.code, message)
        )
    return problems


def _bits_hint(column: str) -> str:
    if re.search(r"bits?(_per_s|/s)", column):
        return "bandwidths are bytes per second here (bits / 8); "
    return ""


def _read_block(
    name: str, header: Record, body: list[Record]
) -> tuple[HardwareTables | None, list[Problem], list[dict]]:
    """One header and its records: tables, problems, and one row per record."""
    form = recognise([c.text for c in header.cells])
    if form is None:  # a later CSV header cannot differ from the first; markdown filtered
        return None, [], []
    problems = _header_problems(name, header, form)
    if problems:
        unreadable = [_row(name, r.line, None, 1, False) for r in body]
        return None, problems, unreadable
    tables = tables_from_records(header, body, name, form.mapping)
    by_line = {r.line: r for r in body}
    problems += _reject_problems(name, tables.rejects, by_line, len(header.cells))
    problems += _cell_problems(name, tables.provenance)
    problems += _given_problems(name, header, body, tables)
    rows = [_row(name, line, None, 1, False) for line in tables.rejects["line"]]
    names = tables.provenance.filter(pl.col("field") == "name")
    first_line = tables.provenance.group_by(HARDWARE_ID).agg(pl.col("line").min())
    located = names.join(first_line, on=HARDWARE_ID, suffix="_row", maintain_order="left")
    rows += [
        _row(name, row_line, hardware_id, char, True)
        for hardware_id, row_line, char in located.select(
            HARDWARE_ID, "line_row", "char"
        ).iter_rows()
    ]
    return tables, problems, rows


def _row(path: str, line: int, hardware_id: str | None, column: int, readable: bool) -> dict:
    return {
        "path": path,
        "line": line,
        "char": 1,
        "table": TABLE,
        "model_id": hardware_id,
        "model_column": column,
        "readable": readable,
    }


def _rows_frame(rows: list[dict]) -> Contribution:
    frame = pl.DataFrame(rows, schema=ROW_SCHEMA, orient="row").sort("path", "line")
    return Contribution(frame, pl.DataFrame(schema=OBS_SCHEMA))


def _reject_problems(
    name: str, rejects: pl.DataFrame, by_line: dict[int, Record], width: int
) -> list[Problem]:
    """The stage's rejects (ragged record, no name, no id) at the cell to fix."""
    problems = []
    for line, code, reason in rejects.select("line", "code", "reason").iter_rows():
        cells = by_line[line].cells
        if code == "hardware-ragged-record":
            cell = cells[width] if len(cells) > width else cells[-1]
        else:  # the name cell is blank or has no letter or digit: the first cell, the row
            cell = cells[0]
        declared = codes.get(code)
        message = _without_at(reason, f"{name}:{line}")
        problems.append(
            Problem(name, cell.line, cell.char, declared.severity, declared.code, message)
        )
    return problems


def _cell_problems(name: str, provenance: pl.DataFrame) -> list[Problem]:
    """`unit` for each cell the stage would publish as `invalid` (inf, malformed, zero,
    negative, not a date, no link), with the value to write when the text has a unit."""
    bad = provenance.filter(pl.col("status") == INVALID)
    return [
        Problem(
            name,
            line,
            char,
            ERROR,
            "unit",
            f"{column}: {reason}{_unit_hint(raw.strip(), field)}",
        )
        for field, raw, line, char, column, reason in bad.select(
            "field", "raw", "line", "char", "column", "reason"
        ).iter_rows()
    ]


_PREFIX = {"": 0, "k": 3, "K": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_WITH_UNIT = re.compile(
    r"(?P<number>[0-9][0-9,]*(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)\s*"
    r"(?P<prefix>[kKMGTPE]?)(?P<binary>i?)"
    r"(?P<unit>FLOP/s|FLOPS|FLOPs|FLOP|flops|bytes|byte|bits|bit|B|b|W)"
    r"(?P<rate>/s|ps)?",
)


def _unit_hint(raw: str, field: str) -> str:
    """'; write 3.35e+12 (bytes/s, no unit)' for a number written with a unit, converted
    to the column's unit (decimal prefixes, Ki/Mi/Gi binary ones, bits / 8)."""
    match = _WITH_UNIT.fullmatch(raw)
    target = _UNITS.get(field)
    if match is None or not target:
        return ""
    unit, rate = match["unit"], match["rate"] is not None
    if unit.lower().startswith("flop"):
        unit, rate = "FLOP", True
    elif unit in ("b", "bit", "bits"):
        unit = "bit"
    elif unit in ("B", "byte", "bytes"):
        unit = "byte"
    written = {"FLOP": "FLOP/s", "bit": "bits/s", "byte": "bytes/s", "W": "W"}[unit]
    written = written if rate or unit in ("FLOP", "W") else {"bit": "bits", "byte": "bytes"}[unit]
    wanted = "bits/s" if target == "bytes/s" and written == "bits/s" else target
    if written != wanted:
        return f"; this column is in {target}, not {written}"
    base = 1024 ** (_PREFIX[match["prefix"]] // 3) if match["binary"] else None
    scale = base or 10 ** _PREFIX[match["prefix"]]
    value = Fraction(match["number"].replace(",", "")) * scale
    why = ""
    if written == "bits/s":
        value /= 8
        why = ", a bit rate divided by 8"
    number = float(value)
    shown = f"{number:.6g}" if math.isfinite(number) else str(number)
    return f"; write {shown} ({target}, no unit{why})"


def _given_problems(
    name: str, header: Record, body: list[Record], tables: HardwareTables
) -> list[Problem]:
    """A given `hardware_id` that is not the one the name makes, and a given ridge point
    that is not its formula (published form only; blank cells are fine)."""
    position = {c.text.strip(): i for i, c in enumerate(header.cells)}
    if HARDWARE_ID not in position and RIDGE not in position:
        return []
    width = len(header.cells)
    at_name = tables.provenance.filter(pl.col("field") == "name")
    device = {
        (line, char): hid
        for hid, line, char in at_name.select(HARDWARE_ID, "line", "char").iter_rows()
    }
    values = {r[HARDWARE_ID]: r for r in tables.hardware.iter_rows(named=True)}
    name_at = position.get("name")
    problems = []
    for record in body:
        if len(record.cells) != width or name_at is None:
            continue
        name_cell = record.cells[name_at]
        hid = device.get((name_cell.line, name_cell.char))
        if hid is None:
            continue
        given = record.cells[position[HARDWARE_ID]] if HARDWARE_ID in position else None
        if given is not None and given.text.strip() and given.text.strip() != hid:
            message = codes.get("hardware-id").message(
                given=given.text.strip(), expected=hid, name=name_cell.text.strip()
            )
            problems.append(Problem(name, given.line, given.char, ERROR, "hardware-id", message))
        ridge = record.cells[position[RIDGE]] if RIDGE in position else None
        if ridge is not None and ridge.text.strip():
            problems += _ridge_problem(name, ridge, values[hid])
    return problems


def _ridge_problem(name: str, cell: Cell, row: dict) -> list[Problem]:
    derived = row[RIDGE]
    try:
        given = float(cell.text.strip())
    except ValueError:
        given = math.nan
    if derived is not None and math.isclose(given, derived, rel_tol=1e-9):
        return []
    formula = "peak_tensor_16bit_flop_per_s / memory_bandwidth_bytes_per_s"
    message = codes.get("derived").message(field=RIDGE, formula=formula)
    shown = "blank" if derived is None else f"{derived:.6g}"
    message += f"; '{cell.text.strip()}' given, the formula gives {shown} (leave it blank)"
    return [Problem(name, cell.line, cell.char, ERROR, "derived", message)]


def _concat(parts: list[HardwareTables]) -> HardwareTables:
    return HardwareTables(
        pl.concat([p.hardware for p in parts]),
        pl.concat([p.provenance for p in parts]),
        pl.concat([p.rejects for p in parts]),
    )
