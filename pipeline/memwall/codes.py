"""The error catalogue: every problem and finding code, declared once.

A code is a stable kebab-case id (`ragged-row`, `params-memory-mismatch`) with a severity, a
short title and a message template (`str.format` fields). The contribution validator, the
pipeline's checks, the reports and the docs all read codes from here; nobody writes a code
as a bare string elsewhere. Each area declares its codes in its own section below; the
catalogue is their union and a code may be declared only once.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)


@dataclass(frozen=True)
class Code:
    """One problem or finding kind: what it is called, how bad it is, what it says."""

    code: str
    severity: str
    title: str
    template: str

    def message(self, **fields: object) -> str:
        """The message for one occurrence, with the template's fields filled in."""
        return self.template.format(**fields)


# --- parsing and contributed rows (validator and parse stage) -------------------------------
PARSE: tuple[Code, ...] = (
    # reading a document
    Code(
        "too-large", ERROR, "File too large", "file is {size:,} bytes; the limit is {limit:,} bytes"
    ),
    Code("encoding", ERROR, "Not UTF-8", "{detail}"),
    Code("bom", WARNING, "Byte order mark", "file starts with a byte order mark; it is ignored"),
    Code("empty", ERROR, "Empty file", "file is empty; expected a table of models"),
    Code("no-table", ERROR, "No table", "no markdown table found"),
    Code("csv", ERROR, "CSV syntax", "{detail}"),
    Code("json", ERROR, "JSON syntax or shape", "{detail}"),
    # reading a table
    Code("unknown-table", ERROR, "Unknown table", "{reason}"),
    Code("no-rows", WARNING, "Table without rows", "{kind} table has no rows"),
    Code(
        "ragged-row",
        ERROR,
        "Ragged row",
        "row has {count} cells, the header has {width}{advice}",
    ),
    Code("unknown-column", ERROR, "Unknown column", "'{column}' is {why}"),
    Code("missing-column", ERROR, "Missing column", "no '{column}' column"),
    # reading a row
    Code("missing-model", ERROR, "Missing model", "the model cell is empty"),
    Code("model-id", ERROR, "Wrong model_id", "model_id '{given}' does not match model '{model}'"),
    Code("unit", ERROR, "Unreadable value", "{message} ({expected})"),
    Code("dropped", INFO, "Dropped by a correction", "dropped by correction {correction}"),
    Code("repeated-model", ERROR, "Model repeated", "{model_id} already has a row in {table}"),
    # value rules of the published tables (rules.py: the gate and `memwall validate`)
    Code("required", ERROR, "Required value", "{field} is required"),
    Code("range", ERROR, "Out of range", "{field} must be {bound}"),
    Code("allowed", ERROR, "Value not allowed", "{field} must be one of {allowed}"),
    Code(
        "date-range", ERROR, "Date out of range", "{field} must be between {earliest} and {latest}"
    ),
    Code("formula", ERROR, "Spreadsheet formula", "{field} must not start with = + - @ or a tab"),
    Code("pair", ERROR, "Unpaired values", "input_height and input_width come in pairs"),
    Code("future-date", ERROR, "Date in the future", "{field} {date} is after {today}"),
    # a contribution against the published dataset
    Code("conflict", ERROR, "Conflicts with the dataset", "{model_id} {field} differs from {at}"),
    Code(
        "duplicate", WARNING, "Adds nothing", "{model_id} is already in {table} with these values"
    ),
    Code(
        "day-first", WARNING, "Day and month swapped?", "'{raw}' reads as {value}; dataset: {known}"
    ),
)

# --- consistency checks over the model tables ------------------------------------------------
CHECKS: tuple[Code, ...] = (
    # cross-source-conflict is a warning when only a superseded value differs.
    Code("memory-sum", ERROR, "Memory total", "total {total} is not the sum of its parts {parts}"),
    Code("optimizer-ratio", WARNING, "Optimizer memory", "optimizer/params memory is {ratio}"),
    Code("params-memory", WARNING, "Parameter memory", "params memory is not params x {bytes} B"),
    Code("inference-flops", ERROR, "Inference FLOPs", "FLOPs / (2 x params x tokens) is {ratio}"),
    Code(
        "training-below-inference",
        ERROR,
        "Training below inference",
        "training FLOP {training} is below one inference {inference}",
    ),
    Code(
        "cross-source-conflict",
        ERROR,
        "Sources disagree",
        "{field} is {a} in one source and {b} in another",
    ),
    Code("probable-copy", WARNING, "Probable copy", "{count} identical facts with {other}"),
    Code("date-out-of-range", ERROR, "Date out of range", "published {date} outside {range}"),
    Code("year-vs-published", WARNING, "Year vs published", "year {year} vs published {date}"),
)

# --- upstream history (all README versions) ---------------------------------------------------
HISTORY: tuple[Code, ...] = ()

# --- hardware datasheets --------------------------------------------------------------------
HARDWARE: tuple[Code, ...] = ()

# --- upstream figure points ---------------------------------------------------------------
FIGURES: tuple[Code, ...] = ()

# --- cross-reference with Epoch AI's Notable AI Models ---------------------------------------
CROSSREF: tuple[Code, ...] = ()

# --- trends ---------------------------------------------------------------------------------
TRENDS: tuple[Code, ...] = ()


def _catalogue(*sections: tuple[Code, ...]) -> dict[str, Code]:
    catalogue: dict[str, Code] = {}
    for section in sections:
        for code in section:
            if code.code in catalogue:
                raise ValueError(f"code '{code.code}' is declared twice in memwall.codes")
            if code.severity not in SEVERITIES:
                raise ValueError(f"code '{code.code}' has unknown severity '{code.severity}'")
            catalogue[code.code] = code
    return catalogue


CATALOGUE: dict[str, Code] = _catalogue(PARSE, CHECKS, HISTORY, HARDWARE, FIGURES, CROSSREF, TRENDS)


def get(code: str) -> Code:
    """The declared code; a KeyError names the undeclared one."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise KeyError(f"'{code}' is not declared in memwall.codes") from None
