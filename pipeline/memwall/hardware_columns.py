"""The mapping from Epoch AI's hardware columns to memwall's, kept as data, and the header check.

`data/hardware_columns.yaml` says, for each output column, which Epoch column it reads (by its
exact header), how the cell is parsed and the factor to the output unit; and which Epoch
columns are ignored on purpose. A snapshot whose header differs from that (a column renamed,
added or gone) is refused with messages naming the columns, before any cell is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from memwall import codes
from memwall.config import safe_load
from memwall.csvrecords import Record

PARSERS = ("string", "url", "date", "float", "integer")
DEFAULT_MAPPING = Path(__file__).resolve().parent / "data" / "hardware_columns.yaml"


class MappingError(ValueError):
    """A mapping file that does not say what it must."""


@dataclass(frozen=True)
class ColumnRule:
    """One output column: the Epoch header it reads, its parser and unit factor."""

    output: str
    source: str
    parser: str
    factor: Fraction = Fraction(1)


@dataclass(frozen=True)
class ColumnMapping:
    """Every column read (in output order) and every column ignored, with the reason."""

    columns: tuple[ColumnRule, ...]
    ignored: dict[str, str]

    def known(self) -> list[str]:
        """Every Epoch header the mapping knows, read or ignored, in file order."""
        return [c.source for c in self.columns] + list(self.ignored)


def _factor(value: object, where: str) -> Fraction:
    try:
        factor = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise MappingError(f"{where}: factor {value!r} is not a number or a fraction") from None
    if factor <= 0:
        raise MappingError(f"{where}: factor {value!r} must be positive")
    return factor


def parse_mapping(data: object, name: str = "<mapping>") -> ColumnMapping:
    """A `ColumnMapping` from loaded YAML; `MappingError` says what is wrong and where."""
    if not isinstance(data, dict) or not isinstance(data.get("columns"), list):
        raise MappingError(f"{name}: expected a mapping with 'columns' and 'ignored' lists")
    columns = []
    for i, entry in enumerate(data["columns"]):
        where = f"{name}: columns[{i}]"
        if not isinstance(entry, dict) or not {"output", "source", "parser"} <= set(entry):
            raise MappingError(f"{where}: needs output, source and parser")
        if entry["parser"] not in PARSERS:
            raise MappingError(f"{where}: parser {entry['parser']!r} is not one of {PARSERS}")
        factor = _factor(entry.get("factor", 1), where)
        columns.append(ColumnRule(entry["output"], entry["source"], entry["parser"], factor))
    ignored = {}
    for i, entry in enumerate(data.get("ignored") or []):
        if not isinstance(entry, dict) or not entry.get("source") or not entry.get("reason"):
            raise MappingError(f"{name}: ignored[{i}]: needs source and reason")
        ignored[entry["source"]] = entry["reason"]
    seen: set[str] = set()
    for source in [c.source for c in columns] + list(ignored):
        if source in seen:
            raise MappingError(f"{name}: column '{source}' is mapped twice")
        seen.add(source)
    outputs = [c.output for c in columns]
    if len(set(outputs)) != len(outputs):
        raise MappingError(f"{name}: an output column is read from two source columns")
    return ColumnMapping(tuple(columns), ignored)


def load_mapping(path: Path = DEFAULT_MAPPING) -> ColumnMapping:
    """Read and check a mapping file (see `data/hardware_columns.yaml`)."""
    return parse_mapping(safe_load(path.read_text(encoding="utf-8"), path), str(path))


@dataclass(frozen=True)
class HeaderIssue:
    """One header problem: a declared code, where (1-based line and character column; the
    column is None for a column that is missing) and the code's message fields."""

    code: str
    line: int
    char: int | None
    fields: dict

    def message(self, path: str) -> str:
        """`path:line:col: message` (`path:line: message` for a missing column)."""
        at = f"{path}:{self.line}" + ("" if self.char is None else f":{self.char}")
        return codes.get(self.code).message(at=at, **self.fields)


def header_issues(header: Record, mapping: ColumnMapping) -> list[HeaderIssue]:
    """Every header column the mapping does not expect, in header order, then every column
    the mapping reads that the header lacks (the usual sign of a rename)."""
    known = mapping.known()
    names = [c.text.strip() for c in header.cells]
    issues = []
    seen: set[str] = set()
    for cell, name in zip(header.cells, names, strict=True):
        if name in seen:
            issues.append(
                HeaderIssue("hardware-duplicate-column", cell.line, cell.char, {"column": name})
            )
        seen.add(name)
        if name not in known:
            issues.append(
                HeaderIssue(
                    "hardware-unknown-column",
                    cell.line,
                    cell.char,
                    {"column": name, "known": ", ".join(repr(k) for k in known)},
                )
            )
    unknown = [n for n in names if n not in known]
    for rule in mapping.columns:
        if rule.source not in seen:
            issues.append(
                HeaderIssue(
                    "hardware-missing-column",
                    header.line,
                    None,
                    {
                        "column": rule.source,
                        "output": rule.output,
                        "unknown": ", ".join(repr(u) for u in unknown) or "none",
                    },
                )
            )
    return issues


def header_problems(header: Record, mapping: ColumnMapping, path: str) -> list[str]:
    """`path:line:col: message` for every header column the mapping does not expect.

    Unknown columns, duplicated columns and columns the mapping reads but the header lacks
    (the usual sign of a rename) are all reported at once; empty when the header is usable.
    """
    return [issue.message(path) for issue in header_issues(header, mapping)]
