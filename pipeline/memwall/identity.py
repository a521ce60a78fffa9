"""Model identity: raw names -> stable `model_id` slugs and display names, from aliases.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from memwall.registry import load_checked

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
