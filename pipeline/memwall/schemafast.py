"""A fast "valid" for a document under one of the registries' JSON Schemas, by fastjsonschema.

jsonschema walks every keyword of every entry through its validator (about 35 us per entry:
3.7 s for the 100,000 identities a large contribution adds to reference_names.yaml);
fastjsonschema compiles a schema to Python code that checks the same in about 0.4 s. It
implements drafts 4 to 7, the registries declare draft 2020-12: `fast_check` compiles a
schema only when every keyword in it means the same in both (else None), and its answer is
only ever used as "valid": anything else goes to jsonschema, whose error message, path and
draft are the reference (tests/registry/test_schemafast.py holds the two answers equal).
"""

from __future__ import annotations

from collections.abc import Callable

# Keywords whose meaning draft-07 and draft 2020-12 share (`items` only as one schema: a list
# of schemas is draft-07's tuple form, 2020-12's `prefixItems`), and annotations.
_SHARED = frozenset(
    {
        "type", "enum", "const", "properties", "required", "additionalProperties",
        "patternProperties", "propertyNames", "minProperties", "maxProperties", "items",
        "minItems", "maxItems", "uniqueItems", "contains", "pattern", "minLength",
        "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "allOf", "anyOf", "oneOf", "not",
    }
)  # fmt: skip
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "examples", "default"}
)
_MAPS_OF_SCHEMAS = ("properties", "patternProperties")
_LISTS_OF_SCHEMAS = ("allOf", "anyOf", "oneOf")
_SCHEMAS = ("additionalProperties", "propertyNames", "items", "contains", "not")


def _shared(schema: object) -> bool:
    """True when `schema` and every subschema use only keywords both drafts read alike."""
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict) or not set(schema) <= _SHARED | _ANNOTATIONS:
        return False
    if isinstance(schema.get("items"), list):
        return False
    return (
        all(_shared(s) for key in _MAPS_OF_SCHEMAS for s in (schema.get(key) or {}).values())
        and all(_shared(s) for key in _LISTS_OF_SCHEMAS for s in schema.get(key) or [])
        and all(_shared(schema[key]) for key in _SCHEMAS if key in schema)
    )


def fast_check(schema: dict) -> Callable[[object], bool] | None:
    """A predicate true for documents `schema` accepts (compiled by fastjsonschema), or None
    for a schema with a keyword the two drafts read differently. False means "not shown
    valid": ask jsonschema."""
    if not _shared(schema):
        return None
    import fastjsonschema

    # Without `$schema` it compiles as draft-07; `use_default=False`: never fill defaults in.
    validate = fastjsonschema.compile(
        {k: v for k, v in schema.items() if k != "$schema"}, use_default=False
    )

    def check(document: object) -> bool:
        try:
            validate(document)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return check
