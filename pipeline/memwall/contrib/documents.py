"""Read a contributed file (or standard input) and decide its format, or say why not.

Missing or unreadable paths are usage problems (`UsageError`, exit 2). Content that cannot be
read (too large, empty, not UTF-8) is a problem located in the file, like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from memwall import codes
from memwall.contrib.problems import ERROR, WARNING, Problem
from memwall.textio import InputError, decode

STDIN = "-"
STDIN_NAME = "<stdin>"
FORMATS = ("markdown", "csv", "json")
# Why a limit: the validator holds the whole file and its rows in memory, about 7 KB per CSV
# or markdown row and 11 KB per JSON record measured (100,000 rows: CSV 7.6 MB -> 0.67 GB
# peak, markdown 8 MB -> 0.76 GB, JSON 20 MB -> 1.1 GB), so the limit bounds its memory
# (10 MB: about 1 GB, within a CI runner's 7 GB) and refuses a hostile file before reading
# more of it. 10 MB admits the 100,000-row benchmark file and is 1,600 times the
# largest upstream README (6.2 KB); --max-bytes raises it.
DEFAULT_MAX_BYTES = 10_000_000
LINE_BREAKS = codes.get("line-breaks")
_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".csv": "csv", ".json": "json"}


class UsageError(Exception):
    """A path that cannot be read at all: the command exits 2."""


ACCEPTED = "markdown tables (.md), CSV records (.csv) or JSON records (.json)"
# Leading bytes of files people pass by mistake, and what they are.
_MAGIC = (
    (b"PAR1", "a Parquet file"),
    (b"PK\x03\x04", "a zip archive (or an .xlsx/.docx file)"),
    (b"\x1f\x8b", "a gzip file"),
    (b"%PDF", "a PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"SQLite format 3", "an SQLite database"),
)
_OTHER_SUFFIXES = {
    ".yaml": "a YAML file",
    ".yml": "a YAML file",
    ".parquet": "a Parquet file",
    ".xlsx": "a spreadsheet",
    ".toml": "a TOML file",
    ".py": "a Python file",
}


def what_it_is(name: str, data: bytes) -> str | None:
    """What a file that is not a contribution is ("a Parquet file"), or None when it may be one:
    recognised by its leading bytes, NUL bytes (binary), or a suffix of another format."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if b"\0" in data[:8192]:
        return "a binary file"
    return _OTHER_SUFFIXES.get(Path(name).suffix.lower())


@dataclass(frozen=True)
class Document:
    """A decoded contribution: display name, text, and its format."""

    name: str
    text: str
    format: str


def _read_bytes(path: str, stdin: BinaryIO, max_bytes: int) -> tuple[str, bytes]:
    if path == STDIN:
        return STDIN_NAME, stdin.read(max_bytes + 1)
    file = Path(path)
    try:
        if file.is_dir():
            raise UsageError(f"{path}: is a directory; pass the files to validate")
        with file.open("rb") as fh:
            return path, fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None


def sniff(name: str, text: str) -> str:
    """The format of a document: by file suffix, else by its first non-blank character/line."""
    suffix = Path(name).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    start = text.lstrip()
    if start.startswith(("[", "{")):
        return "json"
    if any(line.lstrip().startswith("|") for line in text.splitlines()[:50]):
        return "markdown"
    return "csv"


# The names raw/sources.yaml accepts (data/sources.schema.json): letters, digits, '.', '_', '-'.
SAFE_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$", re.ASCII)


def name_problems(path: str) -> list[Problem]:
    """An `unsafe-path` error for a file name that raw/sources.yaml would refuse: such a name
    would reach pages and reports (Data Docs, findings) that show source paths."""
    if path == STDIN or SAFE_NAME.match(Path(path).name):
        return []
    shown = Path(path).name.encode("ascii", "backslashreplace").decode("ascii")
    message = (
        f"file name '{shown}' holds characters other than letters, digits, '.', '_' and '-': "
        "rename it (contributions are registered under raw/ with safe names)"
    )
    return [Problem(path, 1, 1, ERROR, "unsafe-path", message)]


_BARE_CR = re.compile("\r(?!\n)")


def _bare_cr_first(text: str) -> int | None:
    """The offset of the first line break when it is a carriage return alone (the file's
    lines end in CR; an editor may still have ended the last one in LF or CRLF), else None."""
    found = _BARE_CR.search(text)
    if found is None:
        return None
    first_lf = text.find("\n")
    return found.start() if first_lf == -1 or found.start() < first_lf else None


def read_document(
    path: str, stdin: BinaryIO, max_bytes: int, forced_format: str | None = None
) -> tuple[Document | None, list[Problem]]:
    """The decoded document, or None with the problem that stops reading it.

    A byte order mark is dropped with a warning; CRLF line endings are accepted as they are.
    """
    name, data = _read_bytes(path, stdin, max_bytes)
    if unsafe := name_problems(path):
        return None, unsafe
    if forced_format is None and (kind := what_it_is(name, data)) is not None:
        message = f"this is {kind}; memwall validate reads {ACCEPTED}"
        return None, [Problem(name, 1, 1, ERROR, "no-table", message)]
    if len(data) > max_bytes:
        more = "more than " if path == STDIN else ""
        size = len(data) if path == STDIN else Path(path).stat().st_size
        message = (
            f"file is {more}{size:,} bytes; the limit is {max_bytes:,} bytes "
            "(split the contribution, or raise --max-bytes)"
        )
        return None, [Problem(name, 1, 1, ERROR, "too-large", message)]
    try:
        text, bom = decode(data)
    except InputError as exc:
        return None, [Problem(name, exc.line, exc.column, ERROR, "encoding", exc.message)]
    problems = []
    if bom:
        problems.append(
            Problem(
                name,
                1,
                1,
                WARNING,
                "bom",
                "file starts with a byte order mark; it is ignored, but save as UTF-8 without BOM",
            )
        )
    if not text.strip():
        problems.append(
            Problem(name, 1, 1, ERROR, "empty", "file is empty; expected a table of models")
        )
        return None, problems
    fmt = forced_format or sniff(name, text)
    if fmt != "json" and (cr := _bare_cr_first(text)) is not None:
        # Read as one line, its rows would be garbled cells (JSON takes CR as white space).
        problems.append(Problem(name, 1, cr + 1, ERROR, "line-breaks", LINE_BREAKS.message()))
        return None, problems
    return Document(name, text, fmt), problems
