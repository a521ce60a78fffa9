"""A fast reader for the plain YAML that long registries are written in, or None.

PyYAML builds a Python object per event and node even with libyaml (about 50 us per entry:
5 s for the 100,000 identities a large contribution adds to reference_names.yaml). Such
registries use a small part of YAML: a top-level list of flat mappings whose values are
plain one-line strings, folded `>-` blocks or flow lists of plain strings. `read_entries`
reads exactly that part line by line and returns None for anything else (quotes, anchors,
tags, comments after a value, tabs, blank lines inside a block, plain scalars YAML would read
as numbers, booleans, dates or null, repeated keys, ...), so the caller parses the text with
PyYAML as before: whatever it returns equals what `yaml.safe_load` returns for the text
(tests/registry/test_yamlsubset.py holds the two readers equal).
"""

from __future__ import annotations

import re

from yaml.resolver import Resolver

# A line is `- key: value` (a new entry) or `  key: value` (the same entry); keys are words.
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Characters outside YAML's printable set or that YAML reads as line breaks, tabs, CR, BOM.
_ODD_CHARACTER = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# What makes a plain scalar something else or ends it early: an indicator first, a space at
# either end, ": " or " #" inside, a colon at the end.
_NOT_PLAIN = re.compile(r"\A[-?:,\[\]{}#&*!|>'\"%@` ]|: | #|[: ]\Z")
_NOT_FLOW_PLAIN = re.compile(r"[,\[\]{}:]")
_FLOW_LIST = re.compile(r"\[([^\[\]{}#'\"]*)\]")
_RESOLVERS = Resolver.yaml_implicit_resolvers


def _plain(text: str, flow: bool = False) -> bool:
    """True when `text` is a plain scalar YAML reads as exactly this string."""
    if not text or _NOT_PLAIN.search(text) or (flow and _NOT_FLOW_PLAIN.search(text)):
        return False
    resolvers = _RESOLVERS.get(text[0])
    if resolvers:
        for _tag, regexp in resolvers:
            if regexp.match(text):
                return False
    return True


def _flow_list(text: str) -> list[str] | None:
    match = _FLOW_LIST.fullmatch(text)
    if match is None:
        return None
    inner = match.group(1)
    if not inner.strip(" "):
        return [] if inner == "" else None
    items = [item.strip(" ") for item in inner.split(",")]
    return items if all(_plain(item, flow=True) for item in items) else None


def _ends_block(lines: list[str], n: int, indent: int) -> bool:
    """True when the first non-blank line from `n` on is less indented than the block (blank
    lines then belong to the block, and `>-` drops them); a block that goes on after a blank
    line keeps a line break, which the subset does not read."""
    while n < len(lines):
        line = lines[n]
        if line.strip(" "):
            return len(line) - len(line.lstrip(" ")) < indent
        n += 1
    return True


def read_entries(text: str) -> list[dict[str, object]] | None:
    """The list of mappings `text` holds, when it is written in the subset; else None.

    None also for a text without entries (PyYAML reads it: an empty document is None).
    """
    if _ODD_CHARACTER.search(text):
        return None
    entries: list[dict[str, object]] = []
    keys: set[str] = set()  # keys known to be plain strings
    lines = text.split("\n")
    n, count = 0, len(lines)
    while n < count:
        line = lines[n]
        n += 1
        key, colon, value = line[2:].partition(":")
        if key not in keys:  # not a key seen before: a first key, a comment, or other text
            stripped = line.lstrip(" ")
            if not stripped or stripped.startswith("#"):
                continue
            if not colon or not _KEY.fullmatch(key) or not _plain(key):
                return None
            keys.add(key)
        if line.startswith("- "):
            entries.append({})
        elif not line.startswith("  ") or not entries:
            return None
        if not colon:
            return None
        if value.startswith(" "):
            value = value[1:]
        elif value:
            return None
        else:
            value = None
        entry = entries[-1]
        if key in entry:
            return None
        if value == ">-":
            block: list[str] = []
            indent = 0
            while n < count:
                body = lines[n]
                content = body.lstrip(" ")
                width = len(body) - len(content)
                if not block:
                    if not content or width < 3:
                        break
                    indent = width
                if not content or width < indent:
                    break
                if width != indent or content != content.rstrip(" "):
                    return None
                block.append(content)
                n += 1
            if not block or not _ends_block(lines, n, indent):
                return None
            entry[key] = " ".join(block)
        elif value is not None and value.startswith("["):
            items = _flow_list(value)
            if items is None:
                return None
            entry[key] = items
        elif value is not None and _plain(value):
            entry[key] = value
        else:
            return None
    return entries or None
