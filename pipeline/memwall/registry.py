"""Registries (YAML reviewed like code) read and checked against their JSON Schema.

Every registry `<name>.yaml` has a draft 2020-12 schema beside it. `load_checked` parses the
YAML once into both data and nodes, so a schema violation is reported as `path:line: message`
at the offending node (the unknown key itself, the entry missing a key, the value of the
wrong type), never as a `KeyError` or a traceback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    import jsonschema

# libyaml's loader when PyYAML has it (about 10x faster); same data, same marks. A document it
# refuses is parsed again by PyYAML's own loader, so error messages do not depend on it.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Where `load_checked` remembers registries that passed their schema (`use_cache`); None: off.
_CACHE: Path | None = None
# Registries that passed their schema in this process, by digest (`_digest`), with their data
# pickled: a process that validates many contributions (a notebook, the tests) parses and
# checks each registry text once, and each caller still gets data of its own to change.
_KNOWN_VALID: dict[str, bytes] = {}

# Keys that name an entry in messages, in order of preference.
_NAMES = ("id", "model_id", "code")


class RegistryError(ValueError):
    """A registry file that is malformed; `str()` is `path:line: message`."""

    def __init__(self, path: Path | str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def schema_path(registry: Path) -> Path:
    """The schema beside a registry: `corrections.yaml` -> `corrections.schema.json`."""
    return registry.with_name(registry.name.removesuffix(".yaml") + ".schema.json")


def use_cache(directory: Path | None) -> None:
    """Remember registries that passed their schema under `directory` (None: do not).

    A registry is known valid by the sha256 of its text, its schema's text and the jsonschema
    version, so a changed file is validated again; the cache only saves the validation (and
    the jsonschema import, ~0.3 s) for a command that starts often, like `memwall validate`.
    """
    global _CACHE
    _CACHE = directory


def default_cache_dir() -> Path:
    """`$MEMWALL_CACHE_DIR`, else `$XDG_CACHE_HOME/memwall`, else `~/.cache/memwall`."""
    if given := os.environ.get("MEMWALL_CACHE_DIR"):
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "memwall"


def _digest(text: str, schema_file: Path) -> str:
    """sha256 of a registry's text and its schema's text: what a verdict "valid" is about."""
    digest = hashlib.sha256()
    for part in (schema_file.read_text(encoding="utf-8"), text):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _marker(digest: str) -> Path | None:
    """The cache file saying the registry and schema of `digest` passed (jsonschema's version
    is part of its name: another validator checks again)."""
    if _CACHE is None:
        return None
    name = hashlib.sha256(f"{_validator_version()}\0{digest}".encode()).hexdigest()
    return _CACHE / "valid-registries" / name


@cache
def _validator_version() -> str:
    """The installed jsonschema's version (read once: a metadata lookup costs ~3 ms)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jsonschema")
    except PackageNotFoundError:
        return "?"


def _remember(marker: Path | None) -> None:
    if marker is None or marker.is_file():
        return
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # a read-only home: validate again next time


def _validator(schema_file: Path) -> jsonschema.Draft202012Validator:
    """The validator of the schema as the file says now (an edited schema applies at once)."""
    return _compiled(schema_file.read_text(encoding="utf-8"))


@cache
def _compiled(schema_text: str) -> jsonschema.Draft202012Validator:
    import jsonschema

    schema = json.loads(schema_text)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _read(path: Path) -> str:
    """The registry's text; an unreadable or non-UTF-8 file is a `RegistryError`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RegistryError(path, 1, f"cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RegistryError(path, line, "not UTF-8: save the file as UTF-8") from None


def _parse(path: Path, text: str) -> tuple[object, yaml.Node | None]:
    """Data and node tree of one YAML document; syntax errors and duplicate keys raise."""
    if _FAST_LOADER is not yaml.SafeLoader:
        try:
            return _parse_with(_FAST_LOADER, path, text)
        except (yaml.YAMLError, RegistryError):
            pass  # read again by PyYAML's loader, whose messages the errors quote
    return _parse_with(yaml.SafeLoader, path, text)


def _parse_with(loader_class: type, path: Path, text: str) -> tuple[object, yaml.Node | None]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _refuse_duplicate_keys(path, node)
        return loader.construct_document(node), node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise RegistryError(path, line, f"not valid YAML: {exc.problem}") from None
    finally:
        loader.dispose()


def _refuse_duplicate_keys(path: Path, node: yaml.Node) -> None:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                name = str(key.value)
                if name in seen:
                    raise RegistryError(
                        path,
                        key.start_mark.line + 1,
                        f"key '{name}' repeated (first at line {seen[name]})",
                    )
                seen[name] = key.start_mark.line + 1
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _node_at(root: yaml.Node, where: Iterable[object]) -> yaml.Node:
    """The node at a JSON path (keys and indices), or the deepest one that exists."""
    node = root
    for step in where:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            nxt = node.value[step] if step < len(node.value) else None
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
    return node


def _key_node(mapping: yaml.Node, key: str) -> yaml.Node:
    if isinstance(mapping, yaml.MappingNode):
        for k, _ in mapping.value:
            if k.value == key:
                return k
    return mapping


def _dotted(where: list[object], data: object) -> str:
    """A readable place: `entry 2 (t-nlg-spelling).match`, `sources[1] (upstream-v26).sha256`."""
    out, node = "", data
    for step in where:
        if isinstance(step, int):
            item = node[step] if isinstance(node, list) and step < len(node) else None
            name = next((item[k] for k in _NAMES if isinstance(item, dict) and k in item), None)
            label = f"[{step}]" if out else f"entry {step + 1}"
            out += label + (f" ({name})" if isinstance(name, str) else "")
        else:
            out += f".{step}" if out else str(step)
        node = node[step] if isinstance(node, list | dict) and _has(node, step) else None
    return out or "document"


def _has(node: list | dict, step: object) -> bool:
    if isinstance(node, dict):
        return step in node
    return isinstance(step, int) and step < len(node)


def _describe(error: jsonschema.ValidationError, root: yaml.Node, data: object) -> tuple[int, str]:
    """Line and message of one schema violation, in the registry's own terms."""
    where = list(error.absolute_path)
    node = _node_at(root, where)
    at = _dotted(where, data)
    line = node.start_mark.line + 1
    rule = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    if error.validator == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        why = f" ({rule})" if rule else ""
        return line, f"{at}: missing {', '.join(missing)}{why}"
    if error.validator in ("additionalProperties", "unevaluatedProperties"):
        known = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in known)
        key = _key_node(node, extra[0]) if extra else node
        allowed = ", ".join(sorted(known))
        unknown = ", ".join(repr(k) for k in extra)
        return key.start_mark.line + 1, f"{at}: unknown key {unknown}; allowed: {allowed}"
    if error.validator == "enum":
        options = ", ".join(str(v) for v in error.validator_value)
        return line, f"{at} must be one of {options}, not {error.instance!r}"
    if error.validator == "type":
        found = error.instance
        hint = (
            "; quote it: YAML reads it as a number, boolean or date"
            if isinstance(found, int | float | bool | dt.date)
            else ""
        )
        return line, (
            f"{at} must be of type {error.validator_value}, not {type(found).__name__} "
            f"({found}){hint}"
        )
    if error.validator == "pattern" and rule:
        return line, f"{at}: {error.instance!r} is not {rule}"
    return line, f"{at}: {error.message}" + (f" ({rule})" if rule else "")


def problems(path: Path, schema_file: Path) -> tuple[object, list[RegistryError]]:
    """The registry's data and every schema violation (one per place and rule), by line."""
    text = _read(path)
    digest = _digest(text, schema_file)
    marker = _marker(digest)
    if digest in _KNOWN_VALID:
        _remember(marker)  # known valid in this process: the disk cache learns it too
        return pickle.loads(_KNOWN_VALID[digest]), []  # a copy of its own for each caller
    data, root = _parse(path, text)
    if marker is not None and marker.is_file():
        _KNOWN_VALID[digest] = pickle.dumps(data)
        return data, []
    if root is None:
        if _validator(schema_file).is_valid(data):
            return data, []
        return data, [RegistryError(path, 1, "empty document; a registry without entries is []")]
    found: dict[tuple[int, str], RegistryError] = {}
    for error in _validator(schema_file).iter_errors(data):
        line, message = _describe(error, root, data)
        found.setdefault((line, message), RegistryError(path, line, message))
    if not found:
        _KNOWN_VALID[digest] = pickle.dumps(data)
        _remember(marker)
    return data, [found[k] for k in sorted(found)]


def load_checked(path: Path, schema_file: Path | None = None) -> object:
    """The registry's data after validation; a violation raises `RegistryError`.

    An unknown key is reported first: a misspelled key also makes the right one missing,
    and the misspelling is what to fix.
    """
    data, found = problems(path, schema_file or schema_path(path))
    if found:
        raise min(found, key=lambda e: ("unknown key" not in e.message, e.line, e.message))
    return data


def line_of(path: Path, where: Iterable[object]) -> int:
    """Line of the node at a JSON path in a registry (1 when it is not there)."""
    _, root = _parse(path, _read(path))
    return 1 if root is None else _node_at(root, where).start_mark.line + 1
