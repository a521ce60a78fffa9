"""The reviewed identity registry between our model_ids and the reference's model names.

`reference_names.yaml` maps every published model_id to the reference's exact `Model`
name, or to "no match", each with a reason. Nothing is matched by similarity at run time;
`suggest_candidates` only helps a maintainer write entries.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import yaml

from memwall.schemafast import fast_check
from memwall.yamlsubset import read_entries

NO_MATCH = "no match"
FIELDS = ("published", "year", "params", "training_flop")


class ReferenceNamesError(ValueError):
    """The registry is malformed or does not fit the reference snapshot or our tables."""


def load_reference_names(
    path: Path, schema_path: Path, reference_models: list[str], model_ids: list[str]
) -> pl.DataFrame:
    """The registry as a frame: model_id, reference (null for no match), fields, reason.

    Fails with `ReferenceNamesError` naming `path` and the entry when the file breaks its
    schema, names a model the reference snapshot lacks, lists a model_id twice or not at
    all, or lists a model_id the published tables do not have.
    """
    text = path.read_text(encoding="utf-8")
    # The plain YAML a long registry is written in is read line by line (~6x faster than
    # libyaml on the 100,000 entries a large contribution adds); any other text by PyYAML,
    # with libyaml's parser when it has it (same safe loading).
    entries = read_entries(text)
    if entries is None:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        entries = yaml.load(text, Loader=loader) or []
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    # jsonschema itself, for its error message, unless fastjsonschema says valid.
    check = fast_check(schema)
    if check is None or not check(entries):
        import jsonschema

        validator = jsonschema.Draft202012Validator(schema)
        error = next(iter(validator.iter_errors(entries)), None)
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path)
            raise ReferenceNamesError(f"{path}: {where}: {error.message}")
    known = set(reference_models)
    seen: set[str] = set()
    for n, e in enumerate(entries, start=1):
        if e["model_id"] in seen:
            raise ReferenceNamesError(f"{path}: entry {n}: model_id '{e['model_id']}' twice")
        seen.add(e["model_id"])
        if e["reference"] != NO_MATCH and e["reference"] not in known:
            raise ReferenceNamesError(
                f"{path}: entry {n} ({e['model_id']}): reference model '{e['reference']}' "
                "is not in the reference snapshot; names must match its Model column exactly"
            )
    missing = sorted(set(model_ids) - seen)
    if missing:
        raise ReferenceNamesError(
            f"{path}: no entry for published model_id(s) {', '.join(missing)}; "
            "add each with a reference name or 'no match' and a reason"
        )
    # An entry for a model the tables no longer hold (upstream dropped it) stays reviewed
    # data for when it comes back; it is simply not compared now.
    published = set(model_ids)
    kept = [e for e in entries if e["model_id"] in published]
    schema_out = {
        "model_id": pl.String,
        "reference": pl.String,
        "fields": pl.List(pl.String),
        "reason": pl.String,
    }
    columns = {
        "model_id": [e["model_id"] for e in kept],
        "reference": [None if e["reference"] == NO_MATCH else e["reference"] for e in kept],
        # null where an entry has no `fields` (most), then all of FIELDS: one list per row
        # built by polars, not 100,000 small Python lists
        "fields": [list(e["fields"]) if e.get("fields") else None for e in kept],
        "reason": [" ".join(e["reason"].split()) for e in kept],
    }
    frame = pl.DataFrame(columns, schema=schema_out).with_columns(
        pl.col("fields").fill_null(pl.lit(list(FIELDS), dtype=pl.List(pl.String)))
    )
    return frame.sort("model_id")


def _tokens(name: str) -> set[str]:
    return {t for t in re.split(r"[^0-9a-z]+", name.casefold()) if t}


def suggest_candidates(model_names: dict[str, str], reference: pl.DataFrame) -> pl.DataFrame:
    """For a maintainer: up to 3 reference names sharing the most name tokens with each model.

    `model_names` maps model_id -> display name. Output is a suggestion to review against the
    reference rows, never a match. Cost: one pass over the reference per token index lookup.
    """
    index: dict[str, set[str]] = {}
    for name in reference["model"].to_list():
        for token in _tokens(name):
            index.setdefault(token, set()).add(name)
    rows = []
    for model_id, name in sorted(model_names.items()):
        mine = _tokens(name) | _tokens(name.replace("-", ""))
        scores: dict[str, int] = {}
        for token in mine:
            for candidate in index.get(token, ()):
                scores[candidate] = scores.get(candidate, 0) + 1
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        for rank, (candidate, score) in enumerate(best, start=1):
            rows.append(
                {"model_id": model_id, "rank": rank, "candidate": candidate, "shared": score}
            )
    return pl.DataFrame(
        rows,
        schema={
            "model_id": pl.String,
            "rank": pl.Int64,
            "candidate": pl.String,
            "shared": pl.Int64,
        },
    )
