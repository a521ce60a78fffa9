"""Contributed CSV or JSON records -> rows. Columns are the published names, in base units.

A record is read with the units module's readers (plain or scientific numbers, YYYY-MM-DD
dates, "N/A" and blanks as in the raw tables), so it yields the same observations a raw
markdown row does. Positions come from the text itself: line and column of every cell.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections.abc import Iterator
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
    """A CSV record that cannot be split into fields; `line`, `column` and `offset` say where."""

    def __init__(self, message: str, line: int, column: int, offset: int):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset


@dataclass(frozen=True)
class CsvRecord:
    """One CSV record: the line it starts on, and its fields or the error that stopped it."""

    line: int
    fields: list[Located]
    error: CsvSyntaxError | None = None


class _Positions:
    """1-based (line, column) of character offsets in a text (a binary search per lookup)."""

    def __init__(self, text: str):
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def __call__(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def split_csv(text: str) -> list[CsvRecord]:
    """Records of a CSV text (RFC 4180 quoting), every field with its own line and column.

    A record ends at a line break outside quotes, so a quoted field may hold line breaks
    (kept as "\\n") and the fields after it start on a later line. Blank lines are skipped.
    A record with a syntax error is kept with its error; reading resumes on the next line.
    """
    position = _Positions(text)
    records: list[CsvRecord] = []
    i, n = 0, len(text)
    while i < n:
        eol = text.find("\n", i)
        eol = n if eol < 0 else eol
        if not text[i:eol].strip():
            i = eol + 1
            continue
        line = position(i)[0]
        if text.find('"', i, eol) < 0:
            records.append(CsvRecord(line, _plain_record(text[i:eol], line)))
            i = eol + 1
            continue
        try:
            fields, i = _record(text, i, position)
            records.append(CsvRecord(line, fields))
        except CsvSyntaxError as exc:
            records.append(CsvRecord(line, [], exc))
            eol = text.find("\n", exc.offset)
            i = n if eol < 0 else eol + 1
    return records


def _plain_record(line_text: str, line: int) -> list[Located]:
    """The fields of a record on one line without quotes: split on commas, each field
    stripped, its column that of its first non-blank character (as `_record` gives)."""
    if line_text.endswith("\r"):
        line_text = line_text[:-1]
    fields = []
    column = 1
    for part in line_text.split(","):
        lead = len(part) - len(part.lstrip(" "))
        fields.append(Located(part.strip(), line, column + lead))
        column += len(part) + 1
    return fields


def _record(text: str, i: int, position: _Positions) -> tuple[list[Located], int]:
    """The fields of the record starting at offset i, and the offset after its line break."""

    def error(message: str, offset: int) -> CsvSyntaxError:
        return CsvSyntaxError(message, *position(offset), offset)

    fields: list[Located] = []
    n = len(text)
    while True:
        while i < n and text[i] == " ":
            i += 1
        start = i
        if i < n and text[i] == '"':
            close = i + 1
            while True:
                close = text.find('"', close)
                if close < 0:
                    raise error("unterminated quoted field", start)
                if not text.startswith('""', close):
                    break
                close += 2
            value = text[i + 1 : close].replace('""', '"').replace("\r\n", "\n")
            i = close + 1
            while i < n and text[i] == " ":
                i += 1
            if i < n and text[i] != "," and not text.startswith(("\n", "\r\n"), i):
                raise error("text after a closing quote", i)
        else:
            stop = i
            while stop < n and text[stop] not in ",\n":
                stop += 1
            quote = text.find('"', i, stop)
            if quote >= 0:
                raise error(
                    'a quote inside an unquoted field: quote the whole field, writing "" for "',
                    quote,
                )
            value = text[i:stop].strip()
            i = stop
        fields.append(Located(value, *position(start)))
        if i < n and text[i] == ",":
            i += 1
            continue
        if text.startswith("\r\n", i):
            return fields, i + 2
        return fields, i + 1


def table_of(columns: list[str]) -> str | None:
    """The published table whose columns these are: memory if any memory-only column."""
    names = set(columns)
    if names & _ONLY["memory"]:
        return "memory"
    return "models"


@functools.lru_cache(maxsize=1 << 16)
def read_base_cell(f: Field, text: str) -> units.Parsed:
    """One cell in the published units, read by the type its field has (cached: columns
    repeat their texts, and a reading depends on nothing else)."""
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
    char: int = 1,
) -> tuple[ContribRow, list[Problem]]:
    """One record -> a row with observations, and the problems of its cells; the row starts
    at column `char` of `line`."""
    fields = {f.name: f for f in TABLES[table]}
    problems: list[Problem] = []
    model = cells.get("model")
    row = ContribRow(name, line, table, model_column=model.column if model else 1, char=char)
    if model is None or not model.text:
        at = model or Located("", line, char)
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


def _header_problems(
    name: str, header: list[Located], start: Located | None = None
) -> tuple[str | None, list[Problem]]:
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
    if "model" not in seen:  # at the header's start: its line, or a JSON record's "{"
        at = start or Located("", header[0].line, 1)
        problems.append(
            Problem(name, at.line, at.column, ERROR, "missing-column", "no 'model' column")
        )
    return (None if problems else table), problems


def read_csv(
    name: str, text: str, identities: Identities, source: dict
) -> tuple[list[ContribRow], list[Problem]]:
    """Rows of a CSV with a header of published column names (quoted fields may span lines)."""
    records = split_csv(text)
    problems = [
        Problem(name, r.error.line, r.error.column, ERROR, "csv", r.error.message)
        for r in records
        if r.error
    ]
    if not records or records[0].error:
        return [], problems
    header = [Located(f.text.strip(), f.line, f.column) for f in records[0].fields]
    table, header_errors = _header_problems(name, header)
    problems += header_errors
    rows: list[ContribRow] = []
    for record in records[1:]:
        fields = record.fields
        if record.error or table is None or len(fields) != len(header):
            rows.append(ContribRow(name, record.line, table, readable=False))
            if table is not None and not record.error:
                last = fields[min(len(fields), len(header)) - 1]
                problems.append(
                    Problem(
                        name,
                        last.line,
                        last.column,
                        RAGGED.severity,
                        RAGGED.code,
                        RAGGED.message(count=len(fields), width=len(header), advice=""),
                    )
                )
            continue
        cells = {h.text: cell for h, cell in zip(header, fields, strict=True)}
        row, row_problems = read_record(name, record.line, table, cells, identities, source)
        rows.append(row)
        problems += row_problems
    return rows, problems


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


MAX_DEPTH = 100


def _too_deep(text: str) -> int:
    """Offset of the first bracket nested deeper than `MAX_DEPTH` (strings skipped)."""
    depth, in_string, escaped = 0, False, False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif in_string:
            escaped, in_string = ch == "\\", ch != '"'
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return i
        elif ch in "]}":
            depth -= 1
    return 0


# A JSON string (its quotes included), or one of the characters that nest or separate.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]')


# Every JSON string, and whether a ":" follows it: in an object with no object or array
# inside, a string followed by ":" is one of its keys. Matching every string (not only keys)
# keeps the scan aligned on opening quotes.
_STRING_THEN_COLON = re.compile(r'"(?:[^"\\]|\\.)*"([ \t\r\n]*:)?')


def _key(quoted: str) -> str:
    """A JSON string's text (its quotes removed; escapes read only when there are some)."""
    return json.loads(quoted) if "\\" in quoted else quoted[1:-1]


def _key_offsets(text: str, start: int, end: int, flat: bool) -> dict[str, int]:
    """Offset of the opening quote of each key of the object `text[start:end]` (its last
    statement of a key, the one `json.loads` keeps). A `flat` object's keys are the strings
    before a ":" (one regex pass); else one pass over its tokens: a key is a string right
    after the object's own "{" or ",", not a value or a nested key."""
    if flat:
        found = _STRING_THEN_COLON.finditer(text, start, end)
        return {_key(m.group().rstrip(": \t\r\n")): m.start() for m in found if m.group(1)}
    offsets: dict[str, int] = {}
    depth, key_next = 0, False
    for token in _JSON_TOKEN.finditer(text, start, end):
        first = token.group()[0]
        if first in "{[":
            depth += 1
            key_next = depth == 1
        elif first in "}]":
            depth -= 1
        elif first == ",":
            key_next = depth == 1
        elif first == ":":
            key_next = False
        elif key_next:
            offsets[_key(token.group())] = token.start()
            key_next = False
    return offsets


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
    problems: list[Problem] = []
    return list(json_rows(name, text, identities, source, problems)), problems


def json_rows(
    name: str, text: str, identities: Identities, source: dict, problems: list[Problem]
) -> Iterator[ContribRow]:
    """`read_json`'s rows one at a time, its problems appended to `problems`."""
    decoder = json.JSONDecoder()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(Problem(name, exc.lineno, exc.colno, ERROR, "json", exc.msg))
        return
    except RecursionError:
        line, column = _position(text, _too_deep(text))
        message = f"nested more than {MAX_DEPTH} levels deep: expected an array of flat records"
        problems.append(Problem(name, line, column, ERROR, "json", message))
        return
    start = len(text) - len(text.lstrip())
    if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
        line, column = _position(text, start)
        message = 'expected a JSON array of records: [{"model": ..., ...}, ...]'
        problems.append(Problem(name, line, column, ERROR, "json", message))
        return
    offset = start + 1
    position = _Positions(text)  # a binary search per lookup: n log n over the records
    for record in doc:
        while text[offset] in " \t\r\n,":
            offset += 1
        _, end = decoder.raw_decode(text, offset)
        line, column = position(offset)
        columns = list(record)
        table = table_of(columns)
        flat = not any(isinstance(v, dict | list) for v in record.values())
        offsets = _key_offsets(text, offset, end, flat)
        key_at = {key: position(offsets.get(key, offset)) for key in columns}
        header = [Located(k, *key_at[k]) for k in columns] or [Located("", line, column)]
        table, header_errors = _header_problems(name, header, Located("", line, column))
        problems += header_errors
        if table is None:
            yield ContribRow(name, line, None, readable=False, char=column)
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
        row, row_problems = read_record(name, line, table, cells, identities, source, column)
        yield row
        problems += row_problems
        offset = end
