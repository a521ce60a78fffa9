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
CROSSREF: tuple[Code, ...] = ()

# --- trends ---------------------------------------------------------------------------------
TRENDS: tuple[Code, ...] = (
    Code(
        "trend-too-few-points",
        WARNING,
        "Too few points to fit a trend",
        "series '{series}' has {n} usable points; a fit needs at least {minimum}",
    ),
    Code(
        "trend-claim-missing",
        WARNING,
        "Declared claim not found",
        "series '{series}' compares with the claim {key}, which figure_claims does not hold "
        "exactly once",
    ),
    Code(
        "trend-claim-disagrees",
        INFO,
        "Fit does not reproduce the printed rate",
        "fit '{series}' gives {fitted}x per 2 years; the legend prints {claim}",
    ),
)


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
