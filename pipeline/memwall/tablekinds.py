"""The kinds of raw table, recognised by their header row (never by the heading above).

Each raw column names the canonical field(s) it fills and how its text is read.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from memwall import units
from memwall.listing import first_and_more


@dataclass(frozen=True)
class Column:
    """A raw column: its header, the reader of its cells and a valid example."""

    header: str
    reader: str
    field: str
    example: str
    what: str = ""


@dataclass(frozen=True)
class TableKind:
    """A raw table layout and the published table its rows feed."""

    name: str
    table: str
    domain: str | None
    columns: tuple[Column, ...]

    def column(self, header: str) -> Column:
        key = normalize_header(header)
        return next(c for c in self.columns if normalize_header(c.header) == key)


DATE = Column("Date", "date", "published", "05/28/2020")
MODEL = Column("Model", "name", "model", "GPT-3")
PARAMS = Column("#Params", "count", "params", "1,500M", "parameters")
INFERENCE = Column("Inference GFLOPs", "gflops", "inference_flop", "3,400", "inference GFLOPs")
TRAINING = Column("Training PFLOPs", "pflops", "training_flop", "310,000", "training PFLOPs")
RESOLUTION = Column("Input Resolution", "resolution", "input_size", "224 x 224")


def _memory(header: str, field: str) -> Column:
    return Column(header, "bytes", field, "0.23 GB", header.lower())


KINDS: tuple[TableKind, ...] = (
    TableKind(
        "nlp-models",
        "models",
        "nlp",
        (
            DATE,
            MODEL,
            Column("Token Size", "int", "input_tokens", "512", "tokens"),
            PARAMS,
            Column("#Features", "count", "features", "2,000M", "features"),
            INFERENCE,
            TRAINING,
        ),
    ),
    TableKind("cv-models", "models", "cv", (DATE, MODEL, RESOLUTION, PARAMS, INFERENCE, TRAINING)),
    TableKind(
        "cv-accuracy",
        "models",
        "cv",
        (
            DATE,
            MODEL,
            RESOLUTION,
            PARAMS,
            Column("Top-1", "percent", "top1_accuracy", "76.50", "top-1 accuracy"),
            INFERENCE,
            TRAINING,
        ),
    ),
    TableKind(
        "memory",
        "memory",
        None,
        (
            Column("Year", "year", "year", "2019"),
            MODEL,
            Column("Input Resolution (Sentence length)", "input_size", "input_size", "224 x 224"),
            Column("Batch Size", "int", "batch_size", "32", "inputs per batch"),
            _memory("Params Memory", "params_memory_bytes"),
            _memory("Optimizer Memory", "optimizer_memory_bytes"),
            _memory("Activation Memory", "activation_memory_bytes"),
            _memory("Total Memory", "total_memory_bytes"),
        ),
    ),
)


@functools.cache
def normalize_header(text: str) -> str:
    """Compare headers case- and spacing-insensitively ("Input Resolution  (Sentence length)")."""
    return " ".join(text.replace("( ", "(").replace(" )", ")").split()).casefold()


def recognise(headers: Sequence[str]) -> TableKind | None:
    """The kind whose header set equals `headers` (in any order), or None."""
    wanted = sorted(normalize_header(h) for h in headers)
    for kind in KINDS:
        if sorted(normalize_header(c.header) for c in kind.columns) == wanted:
            return kind
    return None


def closest(headers: Sequence[str]) -> tuple[TableKind, list[str], list[str]]:
    """The kind nearest to `headers`, with the headers it misses and those it does not know."""
    given = {normalize_header(h): h for h in headers}

    def distance(kind: TableKind) -> int:
        known = {normalize_header(c.header) for c in kind.columns}
        return len(known ^ set(given))

    kind = min(KINDS, key=distance)
    known = {normalize_header(c.header): c.header for c in kind.columns}
    missing = [h for k, h in known.items() if k not in given]
    unexpected = [h for k, h in given.items() if k not in known]
    return kind, missing, unexpected


def unknown_header_reason(headers: Sequence[str]) -> str:
    """Why a header row is no known table, naming the closest kind and what differs."""
    near, missing, unexpected = closest(headers)
    parts = []
    if missing:
        parts.append(f"missing {first_and_more(missing, 10)}")
    if unexpected:
        parts.append(f"unexpected {first_and_more(unexpected, 10)}")
    return f"header matches no known table (closest: {near.name}: {'; '.join(parts)})"


def read_cell(column: Column, text: str, gb_basis: int) -> units.Parsed:
    """Read one cell's text the way its column says.

    The value of an `input_size`/`resolution` cell is a dict of the fields it fills.
    """
    what = column.what or column.field
    match column.reader:
        case "name":
            return units.parse_name(text)
        case "date":
            return units.parse_date(text)
        case "year":
            return units.parse_year(text)
        case "count":
            return units.parse_count(text, what, column.example)
        case "int":
            return units.parse_int(text, what, column.example)
        case "percent":
            return units.parse_percent(text, what, column.example)
        case "gflops":
            return units.parse_scaled(text, 10**9, what, column.example)
        case "pflops":
            return units.parse_scaled(text, 10**15, what, column.example)
        case "bytes":
            return units.parse_bytes(text, gb_basis, what)
        case "resolution":
            parsed = units.parse_resolution(text)
            height, width = parsed.value or (None, None)  # type: ignore[misc]
            return units.Parsed({"input_height": height, "input_width": width}, parsed.status)
        case "input_size":
            # A blank or N/A cell cannot say whether it is a resolution or a length.
            parsed = units.parse_input_size(text)
            return parsed if parsed.value is not None else units.Parsed({}, parsed.status)
    raise ValueError(f"unknown reader {column.reader!r}")  # pragma: no cover


# Layouts upstream used before today's (README versions 1-7), read only by the history of
# all versions (memwall.history_parse). Kept out of KINDS so that the parse stage and the
# contribution validator never accept or suggest them. Each column keeps today's field, so
# a cell of an old layout lands in the same field as today's cell.
_GFLOPS_OLD = Column("GFLOPs", "gflops", "inference_flop", "27", "inference GFLOPs")
_TOKENS = Column("Token Size", "int", "input_tokens", "512", "tokens")
_TOP1 = Column("Top-1", "percent", "top1_accuracy", "76.50", "top-1 accuracy")

HISTORIC_KINDS: tuple[TableKind, ...] = (
    # v1-2: two-row headers ("Input Size" over "(Token)", "FLOPs" over "(GFLOPs)").
    TableKind(
        "nlp-models-2row",
        "models",
        "nlp",
        (
            DATE,
            MODEL,
            Column("Input Size (Token)", "int", "input_tokens", "512", "tokens"),
            PARAMS,
            Column("FLOPs (GFLOPs)", "gflops", "inference_flop", "27", "inference GFLOPs"),
        ),
    ),
    # v3-5: one-row header, no #Features yet.
    TableKind("nlp-models-gflops", "models", "nlp", (DATE, MODEL, _TOKENS, PARAMS, _GFLOPS_OLD)),
    # v6-7: #Features appears.
    TableKind(
        "nlp-models-features",
        "models",
        "nlp",
        (
            DATE,
            MODEL,
            _TOKENS,
            PARAMS,
            Column("#Features", "count", "features", "77M"),
            _GFLOPS_OLD,
        ),
    ),
    # v1-2: two-row headers, Top-1 accuracy.
    TableKind(
        "cv-accuracy-2row",
        "models",
        "cv",
        (
            DATE,
            MODEL,
            Column("Input Size (Resolution)", "resolution", "input_size", "224 x 224"),
            PARAMS,
            _TOP1,
            Column("FLOPs (GFLOPs)", "gflops", "inference_flop", "8.19", "inference GFLOPs"),
        ),
    ),
    # v3-7: one-row header.
    TableKind(
        "cv-accuracy-gflops", "models", "cv", (DATE, MODEL, RESOLUTION, PARAMS, _TOP1, _GFLOPS_OLD)
    ),
)


def recognise_any_version(headers: Sequence[str]) -> TableKind | None:
    """Like `recognise`, but also knows the layouts of upstream's older README versions."""
    wanted = sorted(normalize_header(h) for h in headers)
    for kind in KINDS + HISTORIC_KINDS:
        if sorted(normalize_header(c.header) for c in kind.columns) == wanted:
            return kind
    return None
