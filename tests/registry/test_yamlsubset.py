"""The line reader of plain registry YAML gives what PyYAML gives, or steps aside (None)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from memwall.yamlsubset import read_entries

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "pipeline/memwall/data"


def same_as_yaml(text: str) -> object:
    """read_entries(text), asserting it equals PyYAML's reading whenever it reads the text."""
    ours = read_entries(text)
    if ours is not None:
        assert ours == yaml.safe_load(text), text
    return ours


def test_reads_the_registries_as_pyyaml_does():
    for name in ("reference_names.yaml", "accepted.yaml", "aliases.yaml", "corrections.yaml"):
        text = (DATA / name).read_text(encoding="utf-8")
        same_as_yaml(text)
    assert same_as_yaml((DATA / "reference_names.yaml").read_text(encoding="utf-8"))


def test_reads_a_contribution_s_identities():
    text = "".join(
        f"- model_id: bench-model-{i:06d}\n  reference: no match\n"
        f"  reason: Generated benchmark model {i}, not a real model.\n"
        for i in range(50)
    )
    assert len(same_as_yaml(text)) == 50


READ = [
    "- a: b\n",
    "# c\n- a: b c\n  d: e, f; g (h) 'i'\n",
    "- a: x\n  r: >-\n    one two\n    three: four # five\n- a: y\n",
    "- a: x\n  r: >-\n   three spaces\n   more\n",
    "- a: x\n  r: >-\n    one\n    two\n\n- a: y\n",
    "- a: x\n  r: >-\n    one\n  # a comment after the block\n  b: c\n",
    "- a: x\n  f: [published]\n  g: [a, b ,c]\n  h: []\n",
    "- a: Microsoft's model\n  b: 2020s\n  c: v1.0-beta\n  d: no match\n",
    "- a: caf\u00e9 \U0001f600\n",
]
DECLINED = [
    "",
    "# only a comment\n",
    "[]\n",
    "---\n- a: b\n",
    "- a: 'quoted'\n",
    '- a: "quoted"\n',
    "- a: 12\n",
    "- a: 1.5\n",
    "- a: 2020-05-28\n",
    "- a: yes\n",
    "- a: no\n",
    "- a: null\n",
    "- a: ~\n",
    "- a: true\n",
    "- a: Off\n",
    "- a: 0x1f\n",
    "- a: .inf\n",
    "- a: &x b\n",
    "- a: *x\n",
    "- a: !tag b\n",
    "- a: b # comment\n",
    "- a: b: c\n",
    "- a: b:\n",
    "- a:\n",
    "- a: \n",
    "- a:  b\n",
    "- a: b \n",
    "- a: b\n  a: c\n",
    "- a: b\n    c: d\n",
    "- a: b\n   continued plain\n",
    "- a: |\n    literal\n",
    "- a: >\n    folded, clipped\n",
    "- a: >-\n    one\n\n    two\n",
    "- a: >-\n    one\n\n    # content, not a comment\n",
    "- a: >-\n    one\n      more indented\n",
    "- a: >-\n    trailing space \n",
    "- a: >-\n- b: c\n",
    "- a: b\tc\n",
    "- a: b\r\n",
    "\ufeff- a: b\n",
    "- a: b\x85c\n",
    "- a: b\u2028c\n",
    "- a: [b, [c]]\n",
    "- a: [b,]\n",
    "- a: [1, 2]\n",
    "- a: [yes]\n",
    "- a: [b] c\n",
    "- a: {b: c}\n",
    "- yes: b\n",
    "- on: b\n",
    "- <<: b\n",
    "  a: b\n",
    "a: b\n",
    "-  a: b\n",
    "- - a\n",
    "- a: %b\n",
    "- a: @b\n",
    "- a: `b\n",
    "- a: -b\n",
    "- a: ? b\n",
]


@pytest.mark.parametrize("text", READ)
def test_reads_the_subset(text):
    assert same_as_yaml(text) is not None


@pytest.mark.parametrize("text", DECLINED)
def test_declines_what_it_does_not_read(text):
    assert read_entries(text) is None


def test_mutations_read_as_pyyaml_or_declined():
    """Single-character edits of the real registry: read equal to PyYAML's reading, or
    declined; never read where PyYAML refuses the text."""
    import random

    text = (DATA / "reference_names.yaml").read_text(encoding="utf-8")
    rng = random.Random(16)
    alphabet = " -:#>[],'\"\n\tab1&*!|{}?%@`~.\u00e9"
    read = 0
    for _ in range(400):
        at = rng.randrange(len(text))
        edit = rng.choice(("insert", "delete", "replace"))
        char = rng.choice(alphabet)
        if edit == "insert":
            mutated = text[:at] + char + text[at:]
        elif edit == "delete":
            mutated = text[:at] + text[at + 1 :]
        else:
            mutated = text[:at] + char + text[at + 1 :]
        ours = read_entries(mutated)
        if ours is None:
            continue
        read += 1
        assert ours == yaml.safe_load(mutated), (edit, at, char)
    assert read > 100  # most edits of values stay in the subset
