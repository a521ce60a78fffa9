"""The corrections registry: applies while its guard matches, reports itself stale after."""

from __future__ import annotations

from pathlib import Path

import pytest

from memwall.corrections import RegistryError, Report, correct_row, load_registry

REGISTRY = """
- id: seq-typo
  match: {table: memory, model: GPT-2, column: Input Resolution (Sentence length)}
  expect: "2014"
  action: override
  value: "1024"
  reason: typo
  evidence: paper
- id: macs-to-flops
  match: {table: models, model: OldNet, column: Inference GFLOPs, source: old}
  expect: "1.2"
  action: scale
  factor: 2
  reason: MACs
  evidence: flops x2 commit
- id: junk-row
  match: {table: models, model: Junk}
  action: drop
  reason: not a model
  evidence: upstream issue
"""
MEMORY_ROW = {"Model": "GPT-2", "Input Resolution (Sentence length)": "2014", "Batch Size": "1"}


@pytest.fixture
def registry(tmp_path) -> list:
    path = tmp_path / "corrections.yaml"
    path.write_text(REGISTRY)
    return load_registry(path)


def apply(registry, report, texts, *, table="memory", source="new", model=None):
    return correct_row(
        registry,
        report,
        source_id=source,
        kind=table,
        table=table,
        line=7,
        model=model or texts["Model"],
        texts=texts,
    )


def test_override_applies_while_the_raw_text_still_looks_wrong(registry):
    report = Report()
    edits, dropped = apply(registry, report, MEMORY_ROW)
    assert dropped is None
    edit = edits["Input Resolution (Sentence length)"]
    assert (edit.text, edit.flags) == ("1024", ["seq-typo"])
    assert report.applied["seq-typo"] == [{"source": "new", "line": 7}]


def test_correction_reports_itself_stale_once_upstream_fixed_the_value(registry):
    report = Report()
    edits, _ = apply(registry, report, {**MEMORY_ROW, "Input Resolution (Sentence length)": "1024"})
    assert edits["Input Resolution (Sentence length)"].flags == []
    summary = {c["id"]: c for c in report.as_dict(registry)}
    assert summary["seq-typo"]["status"] == "stale"
    assert summary["seq-typo"]["stale"] == [{"source": "new", "line": 7, "found": "1024"}]
    assert summary["junk-row"]["status"] == "unmatched"


def test_scale_is_limited_to_its_source(registry):
    row = {"Model": "OldNet", "Inference GFLOPs": "1.2"}
    report = Report()
    old, _ = apply(registry, report, row, table="models", source="old")
    new, _ = apply(registry, report, row, table="models", source="new")
    assert (old["Inference GFLOPs"].factor, new["Inference GFLOPs"].factor) == (2.0, 1.0)


def test_drop_rejects_the_whole_row(registry):
    _, dropped = apply(
        registry, Report(), {"Model": "Junk", "Inference GFLOPs": "1"}, table="models"
    )
    assert dropped == "junk-row"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "- {id: a, match: {table: models, model: X, column: Model}, action: rename,"
            " reason: r, evidence: e}",
            "rename needs a value",
        ),
        (
            "- {id: a, match: {table: models, model: X}, action: explode, reason: r, evidence: e}",
            "action must be one of",
        ),
        (
            "- {id: a, match: {table: models, model: X, column: Model}, action: flag}",
            "missing reason, evidence",
        ),
    ],
)
def test_malformed_registry_entries_are_refused_with_the_entry_named(tmp_path, entry, message):
    path = tmp_path / "bad.yaml"
    path.write_text(entry)
    with pytest.raises(RegistryError, match=message):
        load_registry(path)


def test_the_shipped_registry_loads_and_every_entry_has_a_guard():
    shipped = Path(__file__).resolve().parents[1] / "pipeline/memwall/data/corrections.yaml"
    entries = load_registry(shipped)
    assert {c.id for c in entries} >= {"gpt2-memory-sequence-length", "t-nlg-spelling"}
    assert all(c.expect is not None for c in entries if c.action != "drop")
