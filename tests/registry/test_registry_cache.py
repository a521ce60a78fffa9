"""`memwall validate` remembers registries that passed their schema (by the sha256 of their
text and schema): a remembered registry is not validated again, a changed one is. Within one
process the verdict is remembered in memory too, with or without the disk cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from memwall import registry
from memwall.registry import RegistryError, load_checked

REPO = Path(__file__).resolve().parents[2]
ALIASES = REPO / "pipeline/memwall/data/aliases.yaml"
SCHEMA = REPO / "pipeline/memwall/data/aliases.schema.json"


@pytest.fixture
def cached(tmp_path):
    registry.use_cache(tmp_path / "cache")
    yield tmp_path / "cache"
    registry.use_cache(None)


def _copy(tmp_path: Path) -> Path:
    path = tmp_path / "aliases.yaml"
    shutil.copyfile(ALIASES, path)
    return path


def _no_validation(schema_file):
    raise AssertionError("validated again")


def test_a_valid_registry_is_remembered_and_not_validated_again(cached, tmp_path, monkeypatch):
    path = _copy(tmp_path)
    first = load_checked(path, SCHEMA)
    assert len(list((cached / "valid-registries").iterdir())) == 1
    monkeypatch.setattr(registry, "_validator", _no_validation)
    monkeypatch.setattr(registry, "_KNOWN_VALID", {})  # as a new process: only the disk knows
    assert load_checked(path, SCHEMA) == first


def test_without_a_disk_cache_a_process_validates_each_text_once(tmp_path, monkeypatch):
    registry.use_cache(None)
    path = _copy(tmp_path)
    # A text no earlier test validated in this process: a comment only this test writes.
    path.write_text(path.read_text() + f"# {tmp_path}\n")
    first = load_checked(path, SCHEMA)
    monkeypatch.setattr(registry, "_validator", _no_validation)
    assert load_checked(path, SCHEMA) == first
    path.write_text(path.read_text().replace("reason:", "reasn:", 1))
    with pytest.raises(AssertionError, match="validated again"):
        load_checked(path, SCHEMA)


def test_each_load_of_a_remembered_registry_is_a_copy_of_its_own(tmp_path):
    path = _copy(tmp_path)
    first = load_checked(path, SCHEMA)
    first[0]["model_id"] = "changed-by-a-caller"
    assert load_checked(path, SCHEMA)[0]["model_id"] != "changed-by-a-caller"


def test_a_text_this_process_validated_before_is_still_remembered_on_disk(tmp_path):
    registry.use_cache(None)
    load_checked(ALIASES, SCHEMA)
    registry.use_cache(tmp_path / "cache")
    try:
        load_checked(ALIASES, SCHEMA)
    finally:
        registry.use_cache(None)
    assert len(list((tmp_path / "cache" / "valid-registries").iterdir())) == 1


def test_a_changed_registry_is_validated_again(cached, tmp_path):
    path = _copy(tmp_path)
    load_checked(path, SCHEMA)
    # The same entries with one key misspelled: a new text, so checked again.
    path.write_text(path.read_text().replace("reason:", "reasn:", 1))
    with pytest.raises(RegistryError, match="unknown key 'reasn'"):
        load_checked(path, SCHEMA)


def test_an_invalid_registry_is_not_remembered(cached, tmp_path):
    path = _copy(tmp_path)
    path.write_text(path.read_text().replace("reason:", "reasn:", 1))
    for _ in range(2):
        with pytest.raises(RegistryError, match="unknown key 'reasn'"):
            load_checked(path, SCHEMA)
    assert not (cached / "valid-registries").exists()


def test_without_a_cache_nothing_is_written(tmp_path, monkeypatch):
    registry.use_cache(None)
    monkeypatch.setenv("HOME", str(tmp_path))
    load_checked(_copy(tmp_path), SCHEMA)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aliases.yaml"]


def test_yaml_errors_quote_pyyaml_whatever_loader_reads_first(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text("- model_id: a\n  reason: [unclosed\n")
    with pytest.raises(RegistryError) as err:
        load_checked(path, SCHEMA)
    # PyYAML's pure-Python parser's wording (libyaml says "did not find expected ',' or ']'").
    assert "expected ',' or ']', but got" in str(err.value)


def test_a_schema_edited_during_the_process_applies_to_the_next_load(tmp_path):
    path, schema = _copy(tmp_path), tmp_path / "aliases.schema.json"
    shutil.copyfile(SCHEMA, schema)
    load_checked(path, schema)
    stricter = json.loads(schema.read_text())
    stricter["items"]["required"] = [*stricter["items"]["required"], "since"]
    schema.write_text(json.dumps(stricter))
    with pytest.raises(RegistryError, match="missing since"):
        load_checked(path, schema)
