"""Compare a fitted growth rate with a claim printed in a figure's legend.

A legend prints a rate at some precision: "3.0x/2yrs" has one decimal, "2x/2yrs" none, and
"410x/2yrs" is precise to tens (decimals -1), as figure_claims' half units say. The
fit agrees with the claim when it rounds (half up) to the printed value at that precision;
the difference says by how much it misses.

Rounding alone is a weak test when the legend is coarse ("2x" takes anything from 1.5 to
2.5), so each comparison also gets a verdict that weighs the fit's interval too:
`agrees` (rounds to the claim, claim inside the interval), `rounds-only` (rounds to it, but
the interval excludes it), `within-interval` (does not round to it, but the interval holds
it), `disagrees` (neither).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class ClaimComparison:
    """A fitted factor per 2 years against a printed one."""

    claim_per_2_years: float
    decimals: int
    fitted_rounded: float
    agrees: bool
    difference: float  # fitted minus claimed, factor per 2 years
    ratio: float  # fitted / claimed


def round_half_up(value: float, decimals: int) -> Decimal:
    """`value` rounded as people print it (2.45 -> 2.5 at one decimal), not banker's rounding."""
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)


VERDICTS = ("agrees", "rounds-only", "within-interval", "disagrees")


def verdict(rounds_to_claim: bool, claim_in_interval: bool) -> str:
    """One of `VERDICTS` for a fit that does (not) round to the claim, with the claim
    inside (outside) its interval."""
    if rounds_to_claim:
        return "agrees" if claim_in_interval else "rounds-only"
    return "within-interval" if claim_in_interval else "disagrees"


def compare_claim(per_2_years: float, claim_per_2_years: float, decimals: int) -> ClaimComparison:
    """Whether the fitted factor per 2 years rounds to the claimed one at its printed precision.

    `decimals` may be negative: a legend's "410x" read as precise to tens (half unit 5) is
    decimals -1, so 413 agrees with it and 416 does not."""
    rounded = round_half_up(per_2_years, decimals)
    claimed = Decimal(repr(claim_per_2_years)).quantize(Decimal(1).scaleb(-decimals))
    return ClaimComparison(
        claim_per_2_years=claim_per_2_years,
        decimals=decimals,
        fitted_rounded=float(rounded),
        agrees=rounded == claimed,
        difference=per_2_years - claim_per_2_years,
        ratio=per_2_years / claim_per_2_years,
    )
