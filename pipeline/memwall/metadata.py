"""Catalog documents of the published files (Data Package, Croissant), from fields.py.

Writes `datapackage.json` (Frictionless Data Package v1: every table with its fields, types,
units, descriptions, constraints and primary key; licence, sources and citation) and
`croissant.json` (MLCommons Croissant 1.0: the Parquet files with sha256 and one record set
per table). Both come from `fields.py` (the same source as the pandera schemas and the README
dictionary) and `raw/sources.yaml`; neither holds a timestamp, so a rebuild gives the same
bytes.
"""

from __future__ import annotations

from pathlib import Path

from memwall.fields import PRIMARY_KEY, PROVENANCE, REFERENCE_KEYS, REFERENCE_TABLES, TABLES, Field
from memwall.sources import Catalog, sha256_file

NAME = "memwall"
TITLE = "AI and Memory Wall: model sizes, FLOPs and training memory"
DESCRIPTION = (
    "Parameter counts, features, inference and training FLOPs, top-1 accuracy and "
    "training-memory breakdowns of landmark CV and NLP models, from the tables of the "
    "'AI and Memory Wall' README (Gholami et al.), in base units, with the raw text, file, "
    "line and corrections of every value in the provenance table."
)
KEYWORDS = ["machine learning", "model size", "FLOPs", "memory wall", "training compute"]
PROVENANCE_KEY = ("table", "model_id", "field")
# Every published table with its fields and primary key. The Data Package describes the CSV
# copies (frictionless reads Parquet and JSON only with extra plugins, not installed); the
# Croissant document describes the typed Parquet files.
PUBLISHED: dict[str, tuple[tuple[Field, ...], tuple[str, ...]]] = {
    **{name: (fields, (PRIMARY_KEY,)) for name, fields in TABLES.items()},
    "provenance": (PROVENANCE, PROVENANCE_KEY),
    **{name: (fields, REFERENCE_KEYS[name]) for name, fields in REFERENCE_TABLES.items()},
}

# Tables under another licence than the dataset's: the hardware rows are Epoch AI's data.
RESOURCE_LICENCES: dict[str, list[dict]] = {
    "hardware": [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": 'Epoch AI, "Data on Machine Learning Hardware" (2024), CC BY 4.0',
        }
    ],
}

FRICTIONLESS_TYPES = {
    "string": "string",
    "int64": "integer",
    "float64": "number",
    "date": "date",
    "boolean": "boolean",
}
CROISSANT_TYPES = {
    "string": "sc:Text",
    "int64": "sc:Integer",
    "float64": "sc:Float",
    "date": "sc:Date",
    "boolean": "sc:Boolean",
}
# The Croissant 1.0 JSON-LD context (spec section "Croissant vocabulary").
CROISSANT_CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def licence_url(catalog: Catalog) -> str:
    """SPDX page of the data's licence (raw/sources.yaml `licence.id`)."""
    return f"https://spdx.org/licenses/{catalog.licence['id']}.html"


def describe(field: Field) -> str:
    """The field's description with its unit, for catalogs that have no unit property."""
    unit = f" Unit: {field.unit}." if field.unit and field.unit != "date" else ""
    return field.description + unit


def frictionless_field(field: Field) -> dict:
    """One Table Schema field: type, description, unit and constraints from fields.py."""
    ftype = FRICTIONLESS_TYPES[field.dtype]
    constraints: dict = {}
    if not field.nullable:
        constraints["required"] = True
    if field.unique:
        constraints["unique"] = True
    for key, bound in (("minimum", field.minimum), ("maximum", field.maximum)):
        if bound is not None:
            constraints[key] = int(bound) if ftype == "integer" else bound
    if field.allowed:
        constraints["enum"] = list(field.allowed)
    out = {"name": field.name, "type": ftype, "description": field.description}
    if ftype == "date":
        out["format"] = "%Y-%m-%d"
    if field.unit:
        out["unit"] = field.unit
    if constraints:
        out["constraints"] = constraints
    return out


# How each kind of snapshot is named in the metadata's list of sources.
_SOURCE_TITLES = {
    "upstream": "upstream README",
    "figure": "upstream figure PDF",
    "reference": "Epoch AI reference snapshot",
}


def sources(catalog: Catalog) -> list[dict]:
    """The raw sources as Data Package `sources`: upstream snapshots (URL at the commit,
    commit) and contributed tables (the evidence they cite)."""
    out = []
    for s in catalog.sources:
        if s.kind == "contrib":
            out.append(
                {
                    "title": f"{s.id}: contributed table {s.path}",
                    "path": s.meta["evidence"],
                }
            )
        elif "url" in s.meta:
            what = _SOURCE_TITLES.get(s.kind, s.kind)
            out.append(
                {
                    "title": f"{s.id}: {what} at commit {s.meta['commit'][:7]}",
                    "path": s.meta["url"],
                    "commit": s.meta["commit"],
                    "committed": s.meta["committed"],
                }
            )
    return out


def datapackage(catalog: Catalog, version: str, processed: Path) -> dict:
    """The Frictionless Data Package descriptor of `processed/`."""
    resources = []
    for name, (fields, key) in PUBLISHED.items():
        file = processed / f"{name}.csv"
        resources.append(
            {
                "name": name,
                "path": file.name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": file.stat().st_size,
                "hash": f"sha256:{sha256_file(file)}",
                "description": f"The {name} table; typed copy: {name}.parquet.",
                "schema": {
                    "fields": [frictionless_field(f) for f in fields],
                    "primaryKey": list(key),
                    "missingValues": [""],
                },
            }
            | ({"licenses": RESOURCE_LICENCES[name]} if name in RESOURCE_LICENCES else {})
        )
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "keywords": KEYWORDS,
        "licenses": [
            {"name": catalog.licence["id"], "path": licence_url(catalog), "title": "MIT License"}
        ],
        "sources": sources(catalog),
        "citation": catalog.citation,
        "resources": resources,
    }


def croissant_field(table: str, field: Field, file_id: str) -> dict:
    """One Croissant field reading the column of the same name from the table's Parquet."""
    return {
        "@type": "cr:Field",
        "@id": f"{table}/{field.name}",
        "name": field.name,
        "description": describe(field),
        "dataType": CROISSANT_TYPES[field.dtype],
        "source": {"fileObject": {"@id": file_id}, "extract": {"column": field.name}},
    }


def croissant(catalog: Catalog, version: str, processed: Path) -> dict:
    """The Croissant 1.0 JSON-LD of the Parquet files (contentUrl relative to processed/)."""
    distribution, record_sets = [], []
    for name, (fields, key) in PUBLISHED.items():
        file = processed / f"{name}.parquet"
        distribution.append(
            {
                "@type": "cr:FileObject",
                "@id": file.name,
                "name": file.name,
                "description": f"The {name} table as typed Parquet.",
                "contentUrl": file.name,
                "contentSize": f"{file.stat().st_size} B",
                "encodingFormat": "application/x-parquet",
                "sha256": sha256_file(file),
            }
        )
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": name,
                "name": name,
                "description": f"One record per row of {name}.parquet.",
                "key": [{"@id": f"{name}/{k}"} for k in key],
                "field": [croissant_field(name, f, file.name) for f in fields],
            }
        )
    return {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "name": NAME,
        "description": DESCRIPTION,
        "version": version,
        "license": licence_url(catalog),
        "isBasedOn": [s["path"] for s in sources(catalog)],
        "citeAs": catalog.citation,
        "keywords": KEYWORDS,
        "distribution": distribution,
        "recordSet": record_sets,
    }
