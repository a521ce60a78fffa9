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
PARSE: tuple[Code, ...] = ()

# --- consistency checks over the model tables ------------------------------------------------
CHECKS: tuple[Code, ...] = ()

# --- upstream history (all README versions) ---------------------------------------------------
HISTORY: tuple[Code, ...] = ()

# --- hardware datasheets --------------------------------------------------------------------
HARDWARE: tuple[Code, ...] = ()

# --- upstream figure points ---------------------------------------------------------------
FIGURES: tuple[Code, ...] = ()

# --- cross-reference with Epoch AI's Notable AI Models ---------------------------------------
CROSSREF: tuple[Code, ...] = (
    Code(
        "crossref-disagreement",
        WARNING,
        "Our value and Epoch AI's disagree beyond the field's tolerance",
        "{model_id} {field}: ours {ours} ('{ours_raw}', {ours_at}) vs Epoch AI's {reference} "
        "({reference_model}, {reference_at}), {difference}; reference note: {note}",
    ),
    Code(
        "crossref-date-swap",
        WARNING,
        "Our date with day and month exchanged is the reference's date",
        "{model_id} {field}: ours {ours} ('{ours_raw}', {ours_at}) with day and month swapped "
        "is Epoch AI's {reference} ({reference_model}, {reference_at}); probably written "
        "DD/MM where the table means MM/DD",
    ),
    Code(
        "crossref-reference-only",
        INFO,
        "The reference states a value where ours is blank",
        "{model_id} {field}: ours is blank ({ours_at}); Epoch AI states {reference} "
        "({reference_model}, {reference_at}); only a reviewed correction with evidence fills "
        "it; reference note: {note}",
    ),
)

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
