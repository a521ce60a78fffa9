"""A contributed row: where it is, which model, and the observations read from it."""

from __future__ import annotations

from dataclasses import dataclass, field

CONTRIB_SOURCE_ID = "contrib"
# Contributions are the newest statements: they outrank every registered source.
CONTRIB_RANK = 1_000_000


@dataclass
class ContribRow:
    """One data row of a contribution.

    `observations` are records in the shape of the pipeline's observations
    (`merge.OBSERVATION_SCHEMA`); `readable` is False when the row could not be read at all
    (wrong cell count, unknown table), so it has no observations.
    """

    path: str
    line: int
    table: str | None
    model_id: str | None = None
    model_column: int = 1
    observations: list[dict] = field(default_factory=list)
    readable: bool = True
    char: int = 1  # where the row starts on its line: a JSON record's "{", else 1

    def cell(self, field_name: str) -> dict | None:
        """The observation of one field, if the row states it."""
        return next((o for o in self.observations if o["field"] == field_name), None)

    def where(self, field_name: str | None) -> tuple[int, int]:
        """Line and column of a field's cell (the model cell for the row or a missing field)."""
        found = self.cell(field_name) if field_name else None
        if found is not None and found["status"] != "derived":
            return found["line"], found["char"]
        return self.line, self.model_column
