"""Epoch AI's hardware CSV -> the hardware table, the provenance of each cell, and rejects.

Every CSV record after the header ends either as one row of `hardware` (one device) or as one
row of `rejects` with a code and a reason. Every published cell of `hardware` has one row in
`provenance`: its value as text, status, raw text and where it was written (`source`, `line`,
`char`, `column`). The derived ridge point (dense 16-bit tensor FLOP/s per byte of memory
bandwidth) has status `derived`.

Data: Epoch AI, "Data on Machine Learning Hardware" (2024), CC BY 4.0.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from memwall import codes
from memwall.csvrecords import CsvSyntaxError, Record, read_records
from memwall.fields import HARDWARE
from memwall.hardware_cells import DERIVED, UNKNOWN, Parsed, parse_cell
from memwall.hardware_columns import ColumnMapping, header_problems
from memwall.merge import polars_dtype
from memwall.textio import InputError, read_text

RIDGE = "ridge_point_flop_per_byte"
TENSOR, BANDWIDTH = "peak_tensor_16bit_flop_per_s", "memory_bandwidth_bytes_per_s"

PROVENANCE_SCHEMA = {
    "hardware_id": pl.String,
    "field": pl.String,
    "value": pl.String,
    "status": pl.String,
    "raw": pl.String,
    "source": pl.String,
    "line": pl.Int64,
    "char": pl.Int64,
    "column": pl.String,
    "reason": pl.String,
}
REJECTS_SCHEMA = {
    "source": pl.String,
    "line": pl.Int64,
    "name": pl.String,
    "code": pl.String,
    "reason": pl.String,
}


class HardwareInputError(Exception):
    """A snapshot that cannot be read at all; `problems` are `path:line:col: message` lines."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class HardwareTables:
    """The three outputs of reading one snapshot."""

    hardware: pl.DataFrame
    provenance: pl.DataFrame
    rejects: pl.DataFrame


_NOT_SLUG = r"[^a-z0-9]+"


def slug(name: str) -> str:
    """Lowercase, runs of anything but a-z and 0-9 become one '-', no '-' at either end."""
    return re.sub(_NOT_SLUG, "-", name.lower()).strip("-")


def slug_expr(column: str) -> pl.Expr:
    """`slug` of every value of `column`, as a polars expression."""
    return pl.col(column).str.to_lowercase().str.replace_all(_NOT_SLUG, "-").str.strip_chars("-")


def hardware_ids(names: list[tuple[str, int]]) -> list[str]:
    """A unique id per (name, line), in the order given.

    Names with the same slug are ordered by (name, line): the first keeps the plain slug, the
    others get `-2`, `-3`, ... (skipping any id another name already has). The result does not
    depend on the order of the records, only on the names (and lines, for identical names).
    """
    groups: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for key in names:
        groups[slug(key[0])].append(key)
    taken = set(groups)
    ids: dict[tuple[str, int], str] = {}
    for base in sorted(groups):
        members = sorted(groups[base])
        ids[members[0]] = base
        k = 2
        for member in members[1:]:
            while f"{base}-{k}" in taken:
                k += 1
            ids[member] = f"{base}-{k}"
            taken.add(ids[member])
            k += 1
    return [ids[key] for key in names]


def _reject(path: str, record: Record, device: str | None, code: str, **fields) -> dict:
    at = f"{path}:{record.line}"
    return {
        "source": path,
        "line": record.line,
        "name": device,
        "code": code,
        "reason": codes.get(code).message(at=at, **fields),
    }


def _ridge(values: dict[str, object]) -> Parsed:
    tensor, bandwidth = values.get(TENSOR), values.get(BANDWIDTH)
    if tensor is None or bandwidth is None:
        missing = " and ".join(
            n for n, v in ((TENSOR, tensor), (BANDWIDTH, bandwidth)) if v is None
        )
        return Parsed(None, UNKNOWN, f"needs {missing}")
    return Parsed(tensor / bandwidth, DERIVED, f"{TENSOR} / {BANDWIDTH}")


def _header(text: str, path: str, mapping: ColumnMapping) -> tuple[Record, list[Record]]:
    """The header and body records, or `HardwareInputError` saying why there are none."""
    try:
        records = read_records(text)
    except CsvSyntaxError as exc:
        at = f"{path}:{exc.line}:{exc.char}"
        raise HardwareInputError(
            [codes.get("hardware-csv-syntax").message(at=at, message=exc.message)]
        ) from None
    if not records:
        raise HardwareInputError([f"{path}:1:1: empty file; expected a header of Epoch columns"])
    problems = header_problems(records[0], mapping, path)
    if problems:
        raise HardwareInputError(problems)
    return records[0], records[1:]


def _triage(
    body: list[Record], width: int, name_at: int, name_column: str, path: str
) -> tuple[list[tuple[str, Record]], list[dict]]:
    """Records that can become a device (with their name) and rejects for the others."""
    kept, rejects = [], []
    for record in body:
        if len(record.cells) != width:
            found = len(record.cells)
            rejects.append(
                _reject(path, record, None, "hardware-ragged-record", found=found, expected=width)
            )
            continue
        name = record.cells[name_at].text.strip()
        if not name:
            rejects.append(_reject(path, record, None, "hardware-no-name", column=name_column))
        elif not slug(name):
            rejects.append(_reject(path, record, name, "hardware-no-id", name=name))
        else:
            kept.append((name, record))
    return kept, rejects


def _device(
    hardware_id: str, record: Record, position: dict[str, int], mapping: ColumnMapping, path: str
) -> tuple[dict, list[dict]]:
    """One hardware row and its provenance rows (the derived ridge point last)."""
    row: dict[str, object] = {"hardware_id": hardware_id}
    provenance = []
    for rule in mapping.columns:
        cell = record.cells[position[rule.source]]
        parsed = parse_cell(cell.text, rule.parser, rule.factor)
        row[rule.output] = parsed.value
        provenance.append(
            {
                "hardware_id": hardware_id,
                "field": rule.output,
                "value": parsed.text(),
                "status": parsed.status,
                "raw": cell.text,
                "source": path,
                "line": cell.line,
                "char": cell.char,
                "column": rule.source,
                "reason": parsed.reason,
            }
        )
    ridge = _ridge(row)
    row[RIDGE] = ridge.value
    provenance.append(
        dict.fromkeys(PROVENANCE_SCHEMA)
        | {
            "hardware_id": hardware_id,
            "field": RIDGE,
            "value": ridge.text(),
            "status": ridge.status,
            "reason": ridge.reason,
        }
    )
    return row, provenance


def read_hardware(text: str, path: str, mapping: ColumnMapping) -> HardwareTables:
    """Read a decoded snapshot (`path` is how sources are named in the outputs).

    Raises `HardwareInputError` when the text is not CSV or its header is not the mapping's.
    Rows are sorted by hardware_id; provenance by hardware_id and field order; rejects by line.
    """
    header, body = _header(text, path, mapping)
    return tables_from_records(header, body, path, mapping)


def tables_from_records(
    header: Record, body: list[Record], path: str, mapping: ColumnMapping
) -> HardwareTables:
    """The tables of a header already checked against `mapping` (no `header_problems`) and
    the records after it: what `read_hardware` makes of a CSV, for records from any reader
    (a contributed markdown table's rows are records too)."""
    position = {c.text.strip(): i for i, c in enumerate(header.cells)}
    name_column = next(c.source for c in mapping.columns if c.output == "name")
    kept, rejects = _triage(body, len(header.cells), position[name_column], name_column, path)
    ids = hardware_ids([(name, record.line) for name, record in kept])
    rows, provenance = [], []
    for hardware_id, (_, record) in zip(ids, kept, strict=True):
        row, cells = _device(hardware_id, record, position, mapping, path)
        rows.append(row)
        provenance += cells
    return HardwareTables(
        hardware_frame(rows),
        _provenance_frame(provenance),
        pl.DataFrame(rejects, schema=REJECTS_SCHEMA, orient="row").sort("line"),
    )


def read_snapshot(path: Path, name: str, mapping: ColumnMapping) -> HardwareTables:
    """Read the snapshot file at `path`; `name` (repo-relative) is how provenance cites it.

    Any problem that stops reading (not UTF-8, not CSV, header unknown) is raised as
    `HardwareInputError` with `name:line:col: message` lines, ready to print.
    """
    try:
        text, _ = read_text(path)
    except InputError as exc:
        where = f"{name}:{exc.line}:{exc.column}" if exc.line else name
        raise HardwareInputError([f"{where}: {exc.message}"]) from None
    return read_hardware(text, name, mapping)


def hardware_frame(rows: list[dict]) -> pl.DataFrame:
    """Rows (dicts, missing keys null) as the hardware table: declared columns, sorted by id."""
    schema = {f.name: polars_dtype(f) for f in HARDWARE}
    full = [{name: row.get(name) for name in schema} for row in rows]
    return pl.DataFrame(full, schema=schema, orient="row").sort("hardware_id")


def _provenance_frame(rows: list[dict]) -> pl.DataFrame:
    order = {f.name: i for i, f in enumerate(HARDWARE)}
    frame = pl.DataFrame(rows, schema=PROVENANCE_SCHEMA, orient="row")
    rank = pl.col("field").replace_strict(order, return_dtype=pl.Int64)
    return frame.sort(["hardware_id", rank])
