"""Contributed CSV or JSON records -> rows. Columns are the published names, in base units.

A record is read with the units module's readers (plain or scientific numbers, YYYY-MM-DD
dates, "N/A" and blanks as in the raw tables), so it yields the same observations a raw
markdown row does. Positions come from the text itself: line and column of every cell.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from memwall import codes, units
from memwall.contrib.problems import ERROR, Problem
from memwall.contrib.rows import ContribRow
from memwall.fields import TABLES, Field
from memwall.identity import Identities
from memwall.rows import DERIVED, RawCell, observation

RAGGED = codes.get("ragged-row")

_ONLY = {
    name: {f.name for f in fields} - {f.name for t, fs in TABLES.items() if t != name for f in fs}
    for name, fields in TABLES.items()
}
_EXAMPLES = {"int64": "1500000000", "float64": "3.4e12", "date": "2020-05-28"}


@dataclass(frozen=True)
class Located:
    """A cell's text and its 1-based position."""

    text: str
    line: int
    column: int


class CsvSyntaxError(ValueError):
    """A CSV line that cannot be split into fields; `column` says where."""

    def __init__(self, message: str, column: int):
        super().__init__(message)
        self.message = message
        self.column = column


def split_csv_line(line: str) -> list[tuple[str, int]]:
    """Fields of one CSV line (RFC 4180 quoting) with the 1-based column each starts at."""
    fields: list[tuple[str, int]] = []
    i, n = 0, len(line)
    while True:
        while i < n and line[i] == " ":
            i += 1
        start = i
        if i < n and line[i] == '"':
            i += 1
            chars = []
            while True:
                if i >= n:
                    raise CsvSyntaxError("unterminated quoted field", start + 1)
                if line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        chars.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                chars.append(line[i])
                i += 1
            while i < n and line[i] == " ":
                i += 1
            if i < n and line[i] != ",":
                raise CsvSyntaxError("text after a closing quote", i + 1)
            text = "".join(chars)
        else:
            end = line.find(",", i)
            end = n if end < 0 else end
            text = line[i:end].strip()
            i = end
        fields.append((text, start + 1))
        if i >= n:
            return fields
        i += 1  # the comma


def table_of(columns: list[str]) -> str | None:
    """The published table whose columns these are: memory if any memory-only column."""
    names = set(columns)
    if names & _ONLY["memory"]:
        return "memory"
    return "models"


def read_base_cell(f: Field, text: str) -> units.Parsed:
    """One cell in the published units, read by the type its field has."""
    example = _EXAMPLES.get(f.dtype, "")
    what = f.unit or f.name
    match f.dtype:
        case "int64":
            return units.parse_number(text, what, example, whole=True)
        case "float64":
            return units.parse_number(text, what, example)
        case "date":
            return units.parse_iso_date(text)
    return units.parse_name(text)


def read_record(
    name: str,
    line: int,
    table: str,
    cells: dict[str, Located],
    identities: Identities,
    source: dict,
) -> tuple[ContribRow, list[Problem]]:
    """One record -> a row with observations, and the problems of its cells."""
    fields = {f.name: f for f in TABLES[table]}
    problems: list[Problem] = []
    model = cells.get("model")
    row = ContribRow(name, line, table, model_column=model.column if model else 1)
    if model is None or not model.text:
        at = model or Located("", line, 1)
        problems.append(
            Problem(name, at.line, at.column, ERROR, "missing-model", "the model cell is empty")
        )
        return row, problems
    identity = identities.resolve(model.text)
    row.model_id = identity.model_id

    def emit(field_name: str, value: object, status: str, cell: Located) -> None:
        where = RawCell(cell.line, cell.column, field_name, cell.text)
        row.observations.append(
            observation(table, identity.model_id, field_name, value, status, where, source)
        )

    given_id = cells.get("model_id")
    if given_id is not None and given_id.text and given_id.text != identity.model_id:
        problems.append(
            Problem(
                name,
                given_id.line,
                given_id.column,
                ERROR,
                "model-id",
                f"model_id '{given_id.text}' does not match model '{model.text}', whose id is "
                f"'{identity.model_id}' (slug of the name, or its entry in aliases.yaml)",
            )
        )
    emit("model_id", identity.model_id, DERIVED, given_id or model)
    emit("model", identity.name or model.text, "value", model)
    for column, cell in cells.items():
        if column in ("model", "model_id"):
            continue
        try:
            parsed = read_base_cell(fields[column], cell.text)
        except units.UnitError as exc:
            problems.append(
                Problem(
                    name, cell.line, cell.column, ERROR, "unit", f"{exc.message} ({exc.expected})"
                )
            )
            continue
        emit(column, parsed.value, parsed.status, cell)
    return row, problems


def _header_problems(name: str, header: list[Located]) -> tuple[str | None, list[Problem]]:
    problems = []
    table = table_of([h.text for h in header])
    known = {f.name for f in TABLES[table]}
    seen: set[str] = set()
    for h in header:
        if h.text not in known:
            other = next((t for t, fs in TABLES.items() if h.text in {f.name for f in fs}), None)
            why = (
                f"a {other} column; one file holds one table"
                if other
                else f"not a column of {table}; the columns are {', '.join(sorted(known))}"
            )
            problems.append(
                Problem(name, h.line, h.column, ERROR, "unknown-column", f"'{h.text}' is {why}")
            )
        elif h.text in seen:
            problems.append(
                Problem(name, h.line, h.column, ERROR, "unknown-column", f"'{h.text}' repeated")
            )
        seen.add(h.text)
    if "model" not in seen:
        problems.append(
            Problem(name, header[0].line, 1, ERROR, "missing-column", "no 'model' column")
        )
    return (None if problems else table), problems


def read_csv(
    name: str, text: str, identities: Identities, source: dict
) -> tuple[list[ContribRow], list[Problem]]:
    """Rows of a CSV with a header of published column names. One record per line."""
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]
    numbered = [(i, ln) for i, ln in enumerate(lines, start=1) if ln.strip()]
    problems: list[Problem] = []
    split: list[tuple[int, list[tuple[str, int]]]] = []
    for number, line in numbered:
        try:
            split.append((number, split_csv_line(line)))
        except CsvSyntaxError as exc:
            problems.append(Problem(name, number, exc.column, ERROR, "csv", exc.message))
    if not split:
        return [], problems
    header_line, header_cells = split[0]
    header = [Located(t.strip(), header_line, c) for t, c in header_cells]
    table, header_errors = _header_problems(name, header)
    problems += header_errors
    rows: list[ContribRow] = []
    for number, fields in split[1:]:
        if table is None or len(fields) != len(header):
            rows.append(ContribRow(name, number, table, readable=False))
            if table is not None:
                problems.append(
                    Problem(
                        name,
                        number,
                        fields[min(len(fields), len(header)) - 1][1] if fields else 1,
                        RAGGED.severity,
                        RAGGED.code,
                        RAGGED.message(count=len(fields), width=len(header), advice=""),
                    )
                )
            continue
        cells = {
            h.text: Located(text, number, column)
            for h, (text, column) in zip(header, fields, strict=True)
        }
        row, row_problems = read_record(name, number, table, cells, identities, source)
        rows.append(row)
        problems += row_problems
    return rows, problems


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _json_text(value: object) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return None


def read_json(
    name: str, text: str, identities: Identities, source: dict
) -> tuple[list[ContribRow], list[Problem]]:
    """Rows of a JSON array of records (objects keyed by published column names)."""
    decoder = json.JSONDecoder()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [Problem(name, exc.lineno, exc.colno, ERROR, "json", exc.msg)]
    start = len(text) - len(text.lstrip())
    if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
        line, column = _position(text, start)
        message = 'expected a JSON array of records: [{"model": ..., ...}, ...]'
        return [], [Problem(name, line, column, ERROR, "json", message)]
    rows: list[ContribRow] = []
    problems: list[Problem] = []
    offset = start + 1
    for record in doc:
        while text[offset] in " \t\r\n,":
            offset += 1
        _, end = decoder.raw_decode(text, offset)
        line, column = _position(text, offset)
        columns = list(record)
        table = table_of(columns)
        key_at = {}
        for key in columns:
            found = text.find(json.dumps(key), offset, end)
            key_at[key] = _position(text, found if found >= 0 else offset)
        header = [Located(k, *key_at[k]) for k in columns] or [Located("", line, column)]
        table, header_errors = _header_problems(name, header)
        problems += header_errors
        if table is None:
            rows.append(ContribRow(name, line, None, readable=False))
            offset = end
            continue
        cells: dict[str, Located] = {}
        for key, value in record.items():
            value_line, value_column = key_at[key]
            as_text = _json_text(value)
            if as_text is None:
                problems.append(
                    Problem(
                        name,
                        value_line,
                        value_column,
                        ERROR,
                        "json",
                        f"'{key}' must be a string, a number or null",
                    )
                )
                continue
            cells[key] = Located(as_text.strip(), value_line, value_column)
        row, row_problems = read_record(name, line, table, cells, identities, source)
        rows.append(row)
        problems += row_problems
        offset = end
    return rows, problems
