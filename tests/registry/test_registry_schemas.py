"""Registries are checked against their JSON Schemas when loaded: a defect is one
`path:line: message` at the line to fix (read off the fixture text), never a KeyError."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from memwall.acceptances import load_acceptances
from memwall.corrections import load_registry
from memwall.identity import Identities
from memwall.registry import RegistryError
from memwall.sources import load_catalog

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "pipeline/memwall/data"
FIXTURES = REPO / "tests/fixtures/registry"
REGISTRIES = {
    "corrections": DATA / "corrections.yaml",
    "aliases": DATA / "aliases.yaml",
    "accepted": DATA / "accepted.yaml",
    "sources": REPO / "raw/sources.yaml",
}
LOADERS = {
    "corrections": load_registry,
    "aliases": Identities.load,
    "accepted": load_acceptances,
    "sources": load_catalog,
}


def line_of(path: Path, marker: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line of `path` that contains `marker`."""
    hits = [n for n, text in enumerate(path.read_text().splitlines(), 1) if marker in text]
    return hits[occurrence - 1]


# fixture, the text on the line to fix (and which occurrence), what the message must say
DEFECTS = [
    ("corrections_missing_evidence.yaml", ("- id: t-nlg-spelling", 1), "missing evidence"),
    ("corrections_misspelled_match_key.yaml", ("colum:", 1), "unknown key 'colum'"),
    ("corrections_expect_unquoted_number.yaml", ("expect: 2014", 1), "must be of type string"),
    ("corrections_duplicate_id.yaml", ("- id: vgg19-params", 2), "duplicate id 'vgg19-params'"),
    ("aliases_missing_reason.yaml", ("- model_id: resnext101", 1), "missing reason"),
    ("aliases_aliases_not_a_list.yaml", ("aliases: VGG19", 1), "must be of type array"),
    ("accepted_expect_value_unquoted_number.yaml", ("input_tokens: 512", 1), "of type string"),
    ("accepted_unknown_key.yaml", ("reviewer:", 1), "unknown key 'reviewer'"),
    ("sources_missing_sha256.yaml", ("- id: upstream-v26", 1), "missing sha256"),
    ("sources_committed_unquoted.yaml", ("committed:", 1), "must be of type string"),
    ("sources_path_outside_raw.yaml", ("path: ../", 1), "is not a path under raw/"),
    ("sources_contrib_without_evidence.yaml", ("- id: my-table", 1), "missing evidence"),
    ("sources_duplicate_id.yaml", ("- id: my-table", 2), "'my-table' is listed twice"),
]


@pytest.mark.parametrize(("name", "marker", "says"), DEFECTS, ids=[d[0] for d in DEFECTS])
def test_a_registry_defect_is_reported_at_its_line(name, marker, says):
    path = FIXTURES / name
    load = LOADERS[name.split("_")[0]]
    with pytest.raises(RegistryError) as caught:
        load(path)
    expected_line = line_of(path, *marker)
    assert (caught.value.path, caught.value.line) == (str(path), expected_line)
    assert str(caught.value).startswith(f"{path}:{expected_line}: ")
    assert says in caught.value.message


def test_every_missing_key_of_an_entry_is_named_in_one_message(tmp_path):
    path = tmp_path / "corrections.yaml"
    path.write_text("- {id: a, match: {table: models, model: X, column: Model}, action: flag}\n")
    with pytest.raises(RegistryError, match=r":1: entry 1 \(a\): missing reason, evidence$"):
        load_registry(path)


def test_a_yaml_syntax_error_is_a_registry_error_with_its_line(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text("- model_id: a\n  reason: fine\n- model_id: [unclosed\n")
    with pytest.raises(RegistryError) as caught:
        Identities.load(path)
    assert caught.value.line >= 3 and "not valid YAML" in caught.value.message


def test_a_registry_that_is_not_utf8_is_a_registry_error_at_its_line(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_bytes(b"- model_id: a\n  reason: caf\xe9\n")
    with pytest.raises(RegistryError, match=r":2: not UTF-8"):
        Identities.load(path)


def test_a_repeated_key_is_refused_instead_of_silently_keeping_the_last(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text("- model_id: a\n  reason: one\n  reason: two\n")
    with pytest.raises(RegistryError, match=r":3: key 'reason' repeated \(first at line 2\)"):
        Identities.load(path)


@pytest.mark.parametrize("name", sorted(REGISTRIES))
def test_each_shipped_registry_is_valid_against_its_schema(name):
    schema = json.loads((DATA / f"{name}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    document = yaml.safe_load(REGISTRIES[name].read_text())
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(document)) == []
    LOADERS[name](REGISTRIES[name])  # and the loader accepts it
