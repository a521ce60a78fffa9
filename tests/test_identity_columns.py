"""`Identities.resolve_all` (polars) gives every name the identity `resolve` (Python) gives:
the registry's spellings, their case and punctuation variants, non-ASCII names, and any text."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from memwall.identity import Identities

REPO = Path(__file__).resolve().parents[1]
ALIASES = REPO / "pipeline/memwall/data/aliases.yaml"
IDENTITIES = Identities.load(ALIASES)
ENTRIES = yaml.safe_load(ALIASES.read_text(encoding="utf-8"))
SPELLINGS = sorted(
    {s for e in ENTRIES for s in [e.get("name") or "", *e.get("aliases", []), e["model_id"]] if s}
)


def check(names: list[str]) -> None:
    got = IDENTITIES.resolve_all(pl.Series(names, dtype=pl.String))
    found = {r["name"]: (r["model_id"], r["display"]) for r in got.iter_rows(named=True)}
    assert len(found) == len(set(names))
    for name in names:
        expected = IDENTITIES.resolve(name)
        assert found[name] == (expected.model_id, expected.name), name


def test_registry_spellings_and_their_variants():
    variants = [v for s in SPELLINGS for v in (s, s.upper(), f"  {s} ", s.replace("-", " "))]
    check([*variants, "Straße-XL", "ΑΒΓ model", "ﬁne-tuned", "", "---"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(SPELLINGS), st.text(max_size=10)), max_size=20))
def test_any_names(names):
    check(names)
