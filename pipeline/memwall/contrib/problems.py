"""What a contributor sees: one problem per line, compiler style, and a summary."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

ERROR, WARNING, NOTE = "error", "warning", "note"
# Problems printed per code; the rest are counted in one line (0: no limit).
DEFAULT_MAX_PER_CODE = 50
# A message quoting a contributor's text (a 2 MB column name) is printed with its middle left
# out: its start and its advice at the end stay.
MAX_MESSAGE = 1_000
_HEAD, _TAIL = 700, 200


def bounded(message: str) -> str:
    """`message`, or, when longer than `MAX_MESSAGE`, its start and end around a count of
    the characters left out."""
    if len(message) <= MAX_MESSAGE:
        return message
    left_out = len(message) - _HEAD - _TAIL
    return f"{message[:_HEAD]} [... {left_out:,} characters left out ...] {message[-_TAIL:]}"


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
            f"{self.path}:{self.line}:{self.column}: {self.severity}[{self.code}]: "
            f"{bounded(self.message)}"
        )


@dataclass
class Outcome:
    """A whole run: problems sorted by position, row counts, and notes on what was skipped."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    rows_read: int = 0
    rows_valid: int = 0
    notes: list[str] = field(default_factory=list)
    # Checks that could not run (no dataset, no params): warnings that --strict fails on.
    skipped: list[str] = field(default_factory=list)
    max_per_code: int = DEFAULT_MAX_PER_CODE

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

    def shown(self) -> tuple[list[Problem], dict[str, int]]:
        """The problems to print (the first `max_per_code` of each code, in order) and the
        number left out per code."""
        if self.max_per_code <= 0:
            return self.problems, {}
        seen: dict[str, int] = {}
        shown = []
        for p in self.problems:
            seen[p.code] = seen.get(p.code, 0) + 1
            if seen[p.code] <= self.max_per_code:
                shown.append(p)
        return shown, {c: n - self.max_per_code for c, n in seen.items() if n > self.max_per_code}

    def _omitted_notes(self, omitted: dict[str, int]) -> list[str]:
        return [
            f"{n:,} more [{code}] problems not shown (--max-per-code {self.max_per_code})"
            for code, n in sorted(omitted.items())
        ]

    def as_text(self) -> str:
        """Problems (at most `max_per_code` of each code), then notes, then the summary."""
        shown, omitted = self.shown()
        lines = [p.text() for p in shown]
        lines += [f"warning: {s} (--strict fails on this)" for s in self.skipped]
        lines += [f"note: {n}" for n in [*self.notes, *self._omitted_notes(omitted)]]
        return "\n".join([*lines, self.summary()]) + "\n"

    def as_json(self) -> str:
        """The same as a JSON document, for CI bots (the same cap; `omitted` counts the rest)."""
        shown, omitted = self.shown()
        doc = {
            "problems": [asdict(p) | {"message": bounded(p.message)} for p in shown],
            "omitted": omitted,
            "notes": self.notes,
            "skipped": self.skipped,
            "summary": {
                "files": self.files,
                "rows_read": self.rows_read,
                "rows_valid": self.rows_valid,
                "errors": self.errors,
                "warnings": self.warnings,
            },
        }
        return json.dumps(doc, indent=2) + "\n"
