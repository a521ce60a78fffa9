"""A contributed CSV read column-wise: records split, positioned and typed by polars.

Records are found without a Python object per record: the text is cut at its quotes, and
only the commas and line breaks outside quoted fields (the even pieces) are marked as
separators (U+001F between fields, U+001E between records); polars then splits the marked
text. A field's character offset is its record's plus the lengths of the fields before it,
and its line and column come from the offsets of the line starts (a binary search in
polars), so a field after a quoted line break keeps its own line. The reader follows the
record reader in `records.py` exactly: blank records are skipped, a field is stripped
(a quoted one is not: its quotes go, "" is ", CRLF inside is LF) and its column is that of
its first non-blank character. Texts it does not read go to the record reader: a character
Python and polars disagree on as white space (U+001C..U+001F, which are also the markers),
and malformed quoting (a quote inside an unquoted field, text after a closing quote, an
unterminated quote), whose errors and recovery are the record reader's. Cells in a plain
form (ASCII digits, YYYY-MM-DD, printable ASCII names) are typed by polars expressions;
the few others go through `records.read_base_cell`, the units module's readers, so values,
statuses and messages are the same as the record reader's.
"""

from __future__ import annotations

import re

import polars as pl

from memwall.contrib.frames import (
    OBS_SCHEMA,
    ROW_SCHEMA,
    Contribution,
    from_rows,
    observation_base,
)
from memwall.contrib.problems import ERROR, Problem
from memwall.contrib.records import (
    RAGGED,
    Located,
    _header_problems,
    read_base_cell,
    read_csv,
)
from memwall.fields import TABLES
from memwall.identity import Identities
from memwall.rows import DERIVED, value_text
from memwall.units import INT64_MAX, NOT_APPLICABLE, UNKNOWN, VALUE, UnitError

_NOT_HERE = re.compile("[\x1c-\x1f]")
_FIELD, _RECORD = "\x1f", "\x1e"
# A field holding a quote must be one quoted field: spaces, "...", spaces (a CR before the
# record's line break is allowed after the last field).
_QUOTED = '^ *"(?:[^"]|"")*" *$'
_QUOTED_LAST = '^ *"(?:[^"]|"")*" *\r?$'
_NA = "^(?:N/?A|n/a|-|\u2014)$"
_INT = "^[0-9]{1,18}$"
_FLOAT = r"^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?$"
_DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# Printable ASCII without white space at either end (a quoted cell is not stripped).
_PRINTABLE = "^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$"
assert INT64_MAX > 10**18 - 1  # a run of 18 digits fits in int64


def applies(text: str) -> bool:
    """Whether the column-wise reader reads this text (else: `records.read_csv`); texts
    with malformed quoting are handed to the record reader by `read_csv_columns` itself."""
    return _NOT_HERE.search(text) is None


def _marked(text: str) -> str:
    """The text with the commas and line breaks outside quoted fields replaced by the field
    and record markers (same length: offsets are kept)."""
    if '"' not in text:
        return text.replace(",", _FIELD).replace("\n", _RECORD)
    pieces = pl.DataFrame({"s": pl.Series([text]).str.split('"').explode()}).with_row_index()
    outside = (pl.col("index") % 2) == 0
    separated = pl.col("s").str.replace_all(",", _FIELD, literal=True)
    separated = separated.str.replace_all("\n", _RECORD, literal=True)
    joined = pieces.select(pl.when(outside).then(separated).otherwise(pl.col("s")).str.join('"'))
    return joined.item()


def _records(text: str) -> tuple[pl.DataFrame, pl.Series | None]:
    """Non-blank records: `line` and `offset` (0-based) of their first character and their
    `parts` (the fields' texts as written); and the offsets of the line starts when a record
    may span lines (None: every record is one line)."""
    marked = _marked(text)
    frame = pl.DataFrame({"text": pl.Series([marked]).str.split(_RECORD).explode()})
    frame = frame.with_columns(
        offset=(pl.col("text").str.len_chars().cast(pl.Int64) + 1).cum_sum().shift(1, fill_value=0)
    )
    starts = None
    if '"' in text:
        starts = pl.Series([text]).str.split("\n").explode().str.len_chars().cast(pl.Int64) + 1
        starts = starts.cum_sum().shift(1, fill_value=0)
        frame = frame.with_columns(line=_line_of(starts, frame["offset"]))
    else:
        frame = frame.with_row_index("line", offset=1).with_columns(pl.col("line").cast(pl.Int64))
    frame = frame.filter(pl.col("text").str.strip_chars().str.len_chars() > 0)
    return frame.select("line", "offset", parts=pl.col("text").str.split(_FIELD)), starts


def _line_of(starts: pl.Series, offsets: pl.Series) -> pl.Series:
    """1-based line of each character offset."""
    return starts.search_sorted(offsets, side="right").cast(pl.Int64)


def _where(starts: pl.Series | None, record: pl.DataFrame, offsets: pl.Series) -> pl.DataFrame:
    """`line` and `column` (1-based) of character offsets in the records of `record`."""
    if starts is None:  # one line per record
        return pl.DataFrame({"line": record["line"], "column": offsets - record["offset"] + 1})
    line = _line_of(starts, offsets)
    return pl.DataFrame({"line": line, "column": offsets - starts.gather(line - 1) + 1})


def _well_formed(records: pl.DataFrame) -> bool:
    """Whether every field holding a quote is one whole quoted field."""
    parts = records.select(
        part=pl.col("parts"), last=pl.col("parts").list.len() - 1
    ).with_row_index("record")
    fields = parts.explode("part").with_columns(at=pl.int_range(pl.len()).over("record"))
    quoted = fields.filter(pl.col("part").str.contains('"', literal=True))
    ok = (
        pl.when(pl.col("at") == pl.col("last"))
        .then(pl.col("part").str.contains(_QUOTED_LAST))
        .otherwise(pl.col("part").str.contains(_QUOTED))
    )
    return quoted.select(ok.all()).item() is not False


def _value(part: pl.Expr) -> pl.Expr:
    """A field's text: a quoted one unquoted, an unquoted one stripped."""
    inner = part.str.strip_chars_start(" ").str.strip_chars_end("\r").str.strip_chars_end(" ")
    unquoted = inner.str.slice(1, inner.str.len_chars() - 2)
    unquoted = unquoted.str.replace_all('""', '"', literal=True)
    unquoted = unquoted.str.replace_all("\r\n", "\n", literal=True)
    is_quoted = part.str.strip_chars_start(" ").str.starts_with('"')
    return pl.when(is_quoted).then(unquoted).otherwise(part.str.strip_chars())


def _typed(dtype: str, what: str, texts: pl.Series) -> pl.DataFrame:
    """For each distinct cell text: `value` (canonical text), `status`, and `error` (the
    unit problem's message, else null)."""
    uniq = pl.DataFrame({"raw": texts.unique()})
    raw = pl.col("raw")
    missing = pl.when(raw == "").then(pl.lit(UNKNOWN))
    if dtype != "string":  # names have no N/A (units.parse_name)
        missing = missing.when(raw.str.contains(_NA)).then(pl.lit(NOT_APPLICABLE))
    match dtype:
        case "int64":
            number = raw.str.contains(_INT).fill_null(False)
            typed = pl.when(number).then(raw.cast(pl.Int64, strict=False))
            value = pl.when(typed > 0).then(typed.cast(pl.String))
        case "float64":
            number = raw.str.contains(_FLOAT).fill_null(False)
            typed = pl.when(number).then(raw.cast(pl.Float64, strict=False))
            value = pl.when((typed > 0) & typed.is_finite()).then(typed)
        case "date":
            typed = pl.when(raw.str.contains(_DATE) & ~raw.str.starts_with("0000")).then(
                raw.str.to_date("%Y-%m-%d", strict=False)
            )
            value = pl.when(typed.is_not_null()).then(raw)
        case _:
            value = pl.when(raw.str.contains(_PRINTABLE)).then(raw)
    uniq = uniq.with_columns(
        status=missing.otherwise(pl.when(value.is_not_null()).then(pl.lit(VALUE))),
        value=pl.when(missing.is_null()).then(value),
        error=pl.lit(None, pl.String),
    )
    if dtype == "float64":  # canonical text is Python's repr of the float
        floats = uniq["value"].to_list()
        uniq = uniq.with_columns(
            value=pl.Series([None if v is None else repr(v) for v in floats], dtype=pl.String)
        )
    slow = uniq.filter(pl.col("status").is_null())
    if slow.is_empty():
        return uniq
    field = next(f for t in TABLES.values() for f in t if f.name == what)
    values, statuses, errors = [], [], []
    for text in slow["raw"].to_list():
        try:
            parsed = read_base_cell(field, text)
        except UnitError as exc:
            values.append(None)
            statuses.append(None)
            errors.append(f"{exc.message} ({exc.expected})")
            continue
        values.append(value_text(parsed.value))
        statuses.append(parsed.status)
        errors.append(None)
    fixed = pl.DataFrame(
        {"raw": slow["raw"], "value": values, "status": statuses, "error": errors},
        schema=uniq.schema,
    )
    return pl.concat([uniq.filter(pl.col("status").is_not_null()), fixed])


def read_csv_columns(
    name: str, text: str, identities: Identities, source: dict
) -> tuple[Contribution, list[Problem]]:
    """Rows and observations of a CSV (see `applies`), and its problems."""
    records, starts = _records(text)
    if records.is_empty():
        return Contribution.empty(), []
    if starts is not None and not _well_formed(records):
        rows, problems = read_csv(name, text, identities, source)
        return from_rows(rows), problems
    first = records.slice(0, 1)
    count = first["parts"].list.len().item()
    at = _cells([f"h{i}" for i in range(count)], first, starts).row(0, named=True)
    header = [Located(at[f"h{i}"].strip(), at[f"h{i}@line"], at[f"h{i}@"]) for i in range(count)]
    table, problems = _header_problems(name, header)
    body = records.slice(1).with_columns(count=pl.col("parts").list.len())
    width = len(header)
    ragged = body.filter(pl.col("count") != width) if table else body
    rows = [
        ragged.select(
            path=pl.lit(name),
            line=pl.col("line"),
            char=pl.lit(1, pl.Int64),
            table=pl.lit(table, pl.String),
            model_id=pl.lit(None, pl.String),
            model_column=pl.lit(1, pl.Int64),
            readable=pl.lit(False),
        )
    ]
    if table is not None and not ragged.is_empty():
        # The last field read (of at most `width`): its position, by the same offsets.
        last = ragged.with_columns(
            pl.col("parts").list.head(pl.min_horizontal(pl.col("count"), width))
        )
        ends = _last_field(last, starts)
        for count, line, column in zip(ragged["count"], ends["line"], ends["column"], strict=True):
            message = RAGGED.message(count=count, width=width, advice="")
            problems.append(Problem(name, line, column, RAGGED.severity, RAGGED.code, message))
    if table is None:
        return Contribution(rows[0], pl.DataFrame(schema=OBS_SCHEMA)), problems
    read, observations, found = _read_records(
        name, table, header, body.filter(pl.col("count") == width), starts, identities, source
    )
    rows.append(read)
    problems += found
    all_rows = pl.concat(rows).sort("line", maintain_order=True).select(*ROW_SCHEMA)
    return Contribution(all_rows, observations), problems


def _offsets(records: pl.DataFrame, count: int) -> pl.DataFrame:
    """The character offset of the first non-blank character of each of `count` fields, as
    columns "0", "1", ... (one running sum per record: the cost is linear in the fields)."""
    part = pl.element()
    length = part.str.len_chars().cast(pl.Int64)
    lead = length - part.str.strip_chars_start(" ").str.len_chars().cast(pl.Int64)
    starts = pl.col("parts").list.eval((length + 1).cum_sum() - length - 1 + lead)
    at = records.select(at=pl.col("offset") + starts)
    return at.select(pl.col("at").list.get(i).alias(f"{i}") for i in range(count))


def _last_field(records: pl.DataFrame, starts: pl.Series | None) -> pl.DataFrame:
    """Line and column of the last field of each record."""
    part = pl.col("parts").list.last()
    lead = part.str.len_chars() - part.str.strip_chars_start(" ").str.len_chars()
    before = pl.col("parts").list.eval(pl.element().str.len_chars() + 1).list.sum()
    offsets = records.select(
        pl.col("offset")
        + before.cast(pl.Int64)
        - part.str.len_chars().cast(pl.Int64)
        - 1
        + lead.cast(pl.Int64)
    ).to_series()
    return _where(starts, records, offsets)


def _cells(names: list[str], records: pl.DataFrame, starts: pl.Series | None) -> pl.DataFrame:
    """Per field: `<name>` (its text, see `_value`), `<name>@line` and `<name>@` (1-based
    line and column of its first non-blank character); and the record's `line`."""
    offsets = _offsets(records, len(names))
    columns = [pl.col("line")]
    positions = {}
    for i, name in enumerate(names):
        columns.append(_value(pl.col("parts").list.get(i)).alias(name))
        at = _where(starts, records, offsets[f"{i}"])
        positions[f"{name}@line"] = at["line"]
        positions[f"{name}@"] = at["column"]
    return records.select(columns).with_columns(**positions)


def _read_records(
    name: str,
    table: str,
    header: list[Located],
    records: pl.DataFrame,
    starts: pl.Series | None,
    identities: Identities,
    source: dict,
) -> tuple[pl.DataFrame, pl.DataFrame, list[Problem]]:
    """Rows, observations and problems of the records with as many fields as the header."""
    cells = _cells([h.text for h in header], records, starts)
    problems: list[Problem] = []
    empty = cells.filter(pl.col("model") == "")
    problems += [
        Problem(name, line, column, ERROR, "missing-model", "the model cell is empty")
        for line, column in empty.select("model@line", "model@").iter_rows()
    ]
    names = cells.filter(pl.col("model") != "")["model"]
    identity = identities.resolve_all(names).select(
        pl.col("name").alias("model"),
        pl.col("model_id").alias("_id"),
        pl.col("display").alias("_name"),
    )
    cells = cells.join(identity, on="model", how="left", maintain_order="left")
    rows = cells.select(
        path=pl.lit(name),
        line=pl.col("line"),
        char=pl.lit(1, pl.Int64),
        table=pl.lit(table),
        model_id=pl.col("_id"),
        model_column=pl.col("model@"),
        readable=pl.lit(True),
    )
    cells = cells.filter(pl.col("_id").is_not_null())
    columns = [h.text for h in header]
    base = observation_base(table, name, source)

    def observed(field: str, value: pl.Expr, status: pl.Expr, at: str, frame=None) -> pl.DataFrame:
        return (frame if frame is not None else cells).select(
            field=pl.lit(field),
            value=value,
            status=status,
            raw=pl.col(at),
            line=pl.col(f"{at}@line"),
            char=pl.col(f"{at}@"),
            column=pl.lit(field),
            **base,
        )

    if "model_id" in columns:
        given = pl.col("model_id")
        wrong = cells.filter((given != "") & (given != pl.col("_id")))
        problems += [
            Problem(
                name,
                line,
                column,
                ERROR,
                "model-id",
                f"model_id '{text}' does not match model '{model}', whose id is "
                f"'{model_id}' (slug of the name, or its entry in aliases.yaml)",
            )
            for line, column, text, model, model_id in wrong.select(
                "model_id@line", "model_id@", "model_id", "model", "_id"
            ).iter_rows()
        ]
    id_at = "model_id" if "model_id" in columns else "model"
    parts = [
        observed("model_id", pl.col("_id"), pl.lit(DERIVED), id_at),
        observed("model", pl.coalesce("_name", "model"), pl.lit(VALUE), "model"),
    ]
    fields = {f.name: f for f in TABLES[table]}
    for column in columns:
        if column in ("model", "model_id"):
            continue
        f = fields[column]
        typed = _typed(f.dtype, f.name, cells[column]).rename(
            {"raw": column, "value": "_value", "status": "_status", "error": "_error"}
        )
        joined = cells.select("line", "_id", column, f"{column}@line", f"{column}@").join(
            typed, on=column, how="left", maintain_order="left"
        )
        bad = joined.filter(pl.col("_error").is_not_null())
        problems += [
            Problem(name, line, char, ERROR, "unit", message)
            for line, char, message in bad.select(
                f"{column}@line", f"{column}@", "_error"
            ).iter_rows()
        ]
        good = joined.filter(pl.col("_error").is_null())
        parts.append(observed(column, pl.col("_value"), pl.col("_status"), column, good))
    observations = pl.concat(parts).select(*OBS_SCHEMA).sort("row_line", maintain_order=True)
    return rows, observations, problems
