"""A fast yes for long registries under the simple JSON Schemas they have, or "ask jsonschema".

jsonschema dispatches every keyword of every entry through its validator (about 35 us per
registry entry: 3.7 s for the 100,000 identities a large contribution adds to
reference_names.yaml). `compile_check` turns a schema written with a few keywords (type
string/array/object, properties, required, additionalProperties false, items, pattern,
minLength, maxLength, enum of strings, minItems, maxItems, uniqueItems, and annotations)
into one plain Python predicate, or returns None for any other schema. The predicate's True
means the document is valid; False means "not shown valid": the caller then runs jsonschema
itself, whose errors it reports as before. So a document is never accepted that jsonschema
refuses (tests/registry/test_schemasubset.py holds the two equal on valid and broken
documents).
"""

from __future__ import annotations

import re
from collections.abc import Callable

Check = Callable[[object], bool]

_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description", "examples"})
_TYPES: dict[str, type] = {"string": str, "array": list, "object": dict}
_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "pattern",
        "minLength",
        "maxLength",
        "enum",
        "minItems",
        "maxItems",
        "uniqueItems",
    }
)


def compile_check(schema: object) -> Check | None:
    """A predicate that is True only for documents valid under `schema`; None when `schema`
    uses a keyword or form outside the subset (then use jsonschema alone)."""
    if not isinstance(schema, dict) or set(schema) - _KEYWORDS - _ANNOTATIONS:
        return None
    parts: list[Check] = []
    kind = schema.get("type")
    if kind is not None:
        if not isinstance(kind, str) or kind not in _TYPES:
            return None
        parts.append(_is(_TYPES[kind]))
    strings = _string_checks(schema)
    arrays = _array_checks(schema)
    objects = _object_checks(schema)
    if strings is None or arrays is None or objects is None:
        return None
    parts += strings + arrays + objects
    return _all(parts)


def _is(kind: type) -> Check:
    return lambda value: isinstance(value, kind)


def _all(parts: list[Check]) -> Check:
    if len(parts) == 1:
        return parts[0]

    def check(value: object) -> bool:
        for part in parts:  # noqa: SIM110 (a loop: no generator per value)
            if not part(value):
                return False
        return True

    return check


def _string_checks(schema: dict) -> list[Check] | None:
    """minLength, maxLength, pattern (they apply to strings only), enum (of strings)."""
    parts: list[Check] = []
    low, high = schema.get("minLength"), schema.get("maxLength")
    for bound in (low, high):
        if bound is not None and (type(bound) is not int or bound < 0):
            return None
    if low is not None:
        parts.append(lambda v: not isinstance(v, str) or len(v) >= low)
    if high is not None:
        parts.append(lambda v: not isinstance(v, str) or len(v) <= high)
    if "pattern" in schema:
        if not isinstance(schema["pattern"], str):
            return None
        search = re.compile(schema["pattern"]).search
        parts.append(lambda v: not isinstance(v, str) or search(v) is not None)
    if "enum" in schema:
        options = schema["enum"]
        if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
            return None
        allowed = frozenset(options)
        parts.append(lambda v: isinstance(v, str) and v in allowed)
    return parts


def _array_checks(schema: dict) -> list[Check] | None:
    """items (one schema for every item), minItems, maxItems, uniqueItems (of strings)."""
    parts: list[Check] = []
    low, high = schema.get("minItems"), schema.get("maxItems")
    for bound in (low, high):
        if bound is not None and (type(bound) is not int or bound < 0):
            return None
    if low is not None:
        parts.append(lambda v: not isinstance(v, list) or len(v) >= low)
    if high is not None:
        parts.append(lambda v: not isinstance(v, list) or len(v) <= high)
    unique = schema.get("uniqueItems", False)
    if unique not in (True, False):
        return None
    if unique:
        parts.append(
            lambda v: (
                not isinstance(v, list)
                or (all(isinstance(i, str) for i in v) and len(set(v)) == len(v))
            )
        )
    if "items" in schema:
        item = compile_check(schema["items"])
        if item is None:
            return None

        def every(value: object) -> bool:
            if isinstance(value, list):
                for i in value:
                    if not item(i):
                        return False
            return True

        parts.append(every)
    return parts


def _object_checks(schema: dict) -> list[Check] | None:
    """properties, required, additionalProperties (false, or absent)."""
    properties = schema.get("properties", {})
    required = schema.get("required", [])
    extra = schema.get("additionalProperties", True)
    if not isinstance(properties, dict) or extra not in (True, False):
        return None
    if not isinstance(required, list) or not all(isinstance(k, str) for k in required):
        return None
    checks = {}
    for key, sub in properties.items():
        check = compile_check(sub)
        if check is None:
            return None
        checks[key] = check
    if not checks and not required and extra is True:
        return []
    needed, known = frozenset(required), frozenset(checks)

    def valid(value: object) -> bool:
        if not isinstance(value, dict):
            return True
        keys = value.keys()
        if not needed <= keys or (extra is False and not keys <= known):
            return False
        for key, item in value.items():
            check = checks.get(key)
            if check is not None and not check(item):
                return False
        return True

    return [valid]
