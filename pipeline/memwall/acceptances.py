"""Accepted findings: values a check questions that a person has shown to be right.

An acceptance names the finding (check code and model_id), guards it with the printed texts
it expects (`expect`, like a correction's guard: when a value changes, the acceptance no
longer applies and the finding is open again), and says why the values are right.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from memwall.checks.base import Finding
from memwall.registry import RegistryError, load_checked

SCHEMA = Path(__file__).parent / "data" / "accepted.schema.json"
# The acceptances file is a registry like the others: one error type for all of them.
AcceptanceError = RegistryError


@dataclass(frozen=True)
class Acceptance:
    """One entry of the acceptances file."""

    code: str
    model_id: str
    expect: dict[str, str]
    reason: str
    evidence: str

    def covers(self, finding: Finding) -> bool:
        """True when the finding is this one and its values are still the ones accepted."""
        return (
            finding.code == self.code
            and finding.model_id == self.model_id
            and all(finding.observed.get(k) == v for k, v in self.expect.items())
        )


def load_acceptances(path: Path) -> list[Acceptance]:
    """Read the acceptances YAML checked against its schema; `RegistryError` says where."""
    out = []
    for entry in load_checked(path, SCHEMA) or []:
        out.append(
            Acceptance(
                code=entry["code"],
                model_id=entry["model_id"],
                expect={str(k): str(v) for k, v in entry["expect"].items()},
                reason=" ".join(str(entry["reason"]).split()),
                evidence=" ".join(str(entry["evidence"]).split()),
            )
        )
    return out


def apply_acceptances(
    findings: list[Finding], acceptances: list[Acceptance]
) -> tuple[list[Finding], list[Acceptance]]:
    """Findings with `accepted` set where an acceptance covers them, and unused acceptances."""
    used: set[int] = set()
    out = []
    for f in findings:
        hit = next((i for i, a in enumerate(acceptances) if a.covers(f)), None)
        if hit is None:
            out.append(f)
            continue
        used.add(hit)
        a = acceptances[hit]
        out.append(dataclasses.replace(f, accepted={"reason": a.reason, "evidence": a.evidence}))
    return out, [a for i, a in enumerate(acceptances) if i not in used]
