"""Model identity: raw names -> stable `model_id` slugs and display names, from aliases.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from memwall.registry import load_checked

if TYPE_CHECKING:
    import polars as pl

SCHEMA = Path(__file__).parent / "data" / "aliases.schema.json"
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def slugify(name: str) -> str:
    """Lower-case, runs of anything but letters and digits become one hyphen."""
    return _NON_ALNUM.sub("-", name.casefold()).strip("-")


@dataclass(frozen=True)
class Identity:
    model_id: str
    name: str | None  # canonical display name, when the registry gives one


class Identities:
    """Resolves raw model names to identities using the alias registry."""

    def __init__(self, entries: list[dict]):
        self._by_slug: dict[str, Identity] = {}
        for entry in entries:
            identity = Identity(entry["model_id"], entry.get("name"))
            for spelling in [entry.get("name") or "", *entry.get("aliases", [])]:
                if spelling:
                    self._by_slug[slugify(spelling)] = identity
            self._by_slug[entry["model_id"]] = identity

    @classmethod
    def load(cls, path: Path) -> Identities:
        """Read an aliases YAML file checked against its schema (`RegistryError` says where)."""
        return cls(load_checked(path, SCHEMA) or [])

    def resolve(self, raw_name: str) -> Identity:
        """The identity of a raw name; unknown names get their own slug."""
        slug = slugify(raw_name)
        return self._by_slug.get(slug, Identity(slug, None))

    def resolve_all(self, names: pl.Series) -> pl.DataFrame:
        """`resolve` of every name, column-wise: `name`, `model_id`, `display` (the registry's
        name or null). ASCII names are slugged by polars (lower case equals case folding
        there); the others by `slugify` itself."""
        import polars as pl

        frame = pl.DataFrame({"name": names.unique()}, schema={"name": pl.String})
        ascii_name = pl.col("name").str.contains("^[\\x00-\\x7f]*$")
        slug = (
            pl.col("name")
            .str.to_lowercase()
            .str.replace_all("[^0-9a-z]+", "-")
            .str.strip_chars("-")
        )
        frame = frame.with_columns(slug=pl.when(ascii_name).then(slug))
        other = frame.filter(pl.col("slug").is_null())
        if not other.is_empty():
            frame = pl.concat(
                [
                    frame.filter(pl.col("slug").is_not_null()),
                    other.with_columns(
                        slug=pl.Series([slugify(n) for n in other["name"]], dtype=pl.String)
                    ),
                ]
            )
        known = pl.DataFrame(
            {
                "slug": list(self._by_slug),
                "_id": [i.model_id for i in self._by_slug.values()],
                "display": [i.name for i in self._by_slug.values()],
            },
            schema={"slug": pl.String, "_id": pl.String, "display": pl.String},
        )
        found = frame.join(known, on="slug", how="left")
        return found.select("name", model_id=pl.coalesce("_id", "slug"), display=pl.col("display"))
