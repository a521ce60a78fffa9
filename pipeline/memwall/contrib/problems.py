"""What a contributor sees: one problem per line, compiler style, and a summary."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

ERROR, WARNING, NOTE = "error", "warning", "note"


@dataclass(frozen=True)
class Problem:
    """One problem at a 1-based `line` and `column` of a contributed file."""

    path: str
    line: int
    column: int
    severity: str
    code: str
    message: str

    def text(self) -> str:
        """`path:line:col: severity[code]: message`."""
        return (
            f"{self.path}:{self.line}:{self.column}: {self.severity}[{self.code}]: {self.message}"
        )


@dataclass
class Outcome:
    """A whole run: problems sorted by position, row counts, and notes on what was skipped."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    rows_read: int = 0
    rows_valid: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == WARNING)

    def summary(self) -> str:
        """The one-line summary printed after the problems."""
        return (
            f"{self.files} file{'s' if self.files != 1 else ''}, {self.rows_read} rows read, "
            f"{self.rows_valid} valid, {self.errors} errors, {self.warnings} warnings"
        )

    def as_text(self) -> str:
        """Problems, then notes, then the summary."""
        lines = [p.text() for p in self.problems]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join([*lines, self.summary()]) + "\n"

    def as_json(self) -> str:
        """The same as a JSON document, for CI bots."""
        doc = {
            "problems": [asdict(p) for p in self.problems],
            "notes": self.notes,
            "summary": {
                "files": self.files,
                "rows_read": self.rows_read,
                "rows_valid": self.rows_valid,
                "errors": self.errors,
                "warnings": self.warnings,
            },
        }
        return json.dumps(doc, indent=2) + "\n"
