"""fastjsonschema's compiled check says valid exactly where jsonschema does."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from memwall.schemafast import fast_check

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "pipeline/memwall/data"
SCHEMA = json.loads((DATA / "reference_names.schema.json").read_text(encoding="utf-8"))
ENTRIES = yaml.safe_load((DATA / "reference_names.yaml").read_text(encoding="utf-8"))


def agree(schema: dict, document: object) -> bool:
    """The predicate's answer, asserting it is jsonschema's."""
    check = fast_check(schema)
    assert check is not None
    ours = check(document)
    assert ours == jsonschema.Draft202012Validator(schema).is_valid(document), document
    return ours


def broken(edit) -> list:
    entries = copy.deepcopy(ENTRIES)
    edit(entries)
    return entries


def test_the_registry_is_valid():
    assert fast_check(SCHEMA) is not None  # the long registry takes the fast path
    assert agree(SCHEMA, ENTRIES)
    assert agree(SCHEMA, [])


EDITS = {
    "not a list": lambda e: e.__setitem__(slice(None), []) or e.append("x"),
    "entry not a mapping": lambda e: e.append(["model_id"]),
    "missing reason": lambda e: e[0].pop("reason"),
    "unknown key": lambda e: e[1].__setitem__("note", "x"),
    "model_id not a string": lambda e: e[2].__setitem__("model_id", 12),
    "model_id against the pattern": lambda e: e[2].__setitem__("model_id", "Bad_Id"),
    "model_id with a trailing dash": lambda e: e[2].__setitem__("model_id", "bad-"),
    "reference empty": lambda e: e[3].__setitem__("reference", ""),
    "reference null": lambda e: e[3].__setitem__("reference", None),
    "reason too short": lambda e: e[4].__setitem__("reason", "short"),
    "reason a boolean": lambda e: e[4].__setitem__("reason", True),
    "fields empty": lambda e: e[5].__setitem__("fields", []),
    "fields repeated": lambda e: e[5].__setitem__("fields", ["params", "params"]),
    "fields unknown": lambda e: e[5].__setitem__("fields", ["flops"]),
    "fields not a list": lambda e: e[5].__setitem__("fields", "params"),
    "fields with a number": lambda e: e[5].__setitem__("fields", [1]),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_broken_registries_are_refused(name):
    document = broken(EDITS[name])
    assert not agree(SCHEMA, document)


def test_valid_variants_are_accepted():
    entries = copy.deepcopy(ENTRIES)
    entries[0]["fields"] = ["params", "published"]
    entries[1]["reason"] = "\u00e9" * 10
    assert agree(SCHEMA, entries)
    assert agree(SCHEMA, "not an array") is False


def test_schemas_the_two_drafts_read_differently_are_left_to_jsonschema():
    for schema in (
        {"prefixItems": [{"type": "string"}]},
        {"items": [{"type": "string"}]},
        {"$defs": {"a": {"type": "string"}}, "$ref": "#/$defs/a"},
        {"type": "object", "dependentRequired": {"a": ["b"]}},
        {"type": "object", "unevaluatedProperties": False},
        {"properties": {"a": {"type": "string", "format": "date"}}},
        {"anyOf": [{"minContains": 1}]},
    ):
        assert fast_check(schema) is None, schema


def test_the_check_never_fills_in_defaults():
    schema = {"type": "object", "properties": {"a": {"type": "string", "default": "x"}}}
    document: dict = {}
    assert agree(schema, document) and document == {}


def test_every_registry_schema_it_compiles_agrees_on_its_data():
    for schema_file in sorted(DATA.glob("*.schema.json")):
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        if fast_check(schema) is None:  # e.g. $ref to $defs: jsonschema alone
            continue
        data_file = schema_file.with_name(schema_file.name.replace(".schema.json", ".yaml"))
        if data_file.is_file():
            agree(schema, yaml.safe_load(data_file.read_text(encoding="utf-8")))
