"""Upstream's figure PDFs as raw snapshots: byte copies plus the origin of each vintage.

The origin facts (commit, commit time, URL) come from the table in the snapshot folder's
README (`../shared/upstream/figures/README.md`); they are parsed from that text, not typed.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from memwall.sources import sha256_file

_ROW_RE = re.compile(
    r"^\|\s*`(?P<folder>[^`]+)/`\s*\|\s*(?P<commit>[0-9a-f]{40})\s*\|\s*(?P<committed>[^|]+?)\s*\|"
    r"\s*(?P<subject>[^|]*?)\s*\|\s*$"
)
_URL_RE = re.compile(r"(https://github\.com/\S+?)/blob/<commit>/(\S+?)/<name>\.pdf")


@dataclass(frozen=True)
class Vintage:
    """One upstream commit of the figure PDFs: where it came from and where its files are."""

    folder: str
    commit: str
    committed: str
    subject: str
    repository: str
    pdf_dir: str  # folder of the PDFs inside the upstream repository

    def url(self, name: str) -> str:
        """The URL of one PDF (`hw_scaling.pdf`) at this vintage's commit."""
        return f"{self.repository}/blob/{self.commit}/{self.pdf_dir}/{name}"


def read_vintages(readme: Path) -> tuple[Vintage, ...]:
    """The vintages listed in the figures README's table, sorted by commit time."""
    text = readme.read_text(encoding="utf-8")
    url = _URL_RE.search(text)
    if url is None:
        raise ValueError(f"{readme}: no 'URL of a file at a commit' line with <commit>/<name>")
    vintages = []
    for line in text.splitlines():
        m = _ROW_RE.match(line)
        if m:
            vintages.append(
                Vintage(
                    folder=m["folder"],
                    commit=m["commit"],
                    committed=m["committed"],
                    subject=m["subject"],
                    repository=url.group(1),
                    pdf_dir=url.group(2),
                )
            )
    if not vintages:
        raise ValueError(f"{readme}: no vintage rows (| `folder/` | commit | time | subject |)")
    return tuple(sorted(vintages, key=lambda v: v.committed))


def copy_snapshot(src_root: Path, dest_root: Path, vintages: tuple[Vintage, ...]) -> list[dict]:
    """Copy every PDF of each vintage byte for byte; one origin record per file.

    Raises ValueError if a copy's sha256 differs from its source's.
    """
    records = []
    for v in vintages:
        (dest_root / v.folder).mkdir(parents=True, exist_ok=True)
        for pdf in sorted((src_root / v.folder).glob("*.pdf")):
            dest = dest_root / v.folder / pdf.name
            shutil.copyfile(pdf, dest)
            digest = sha256_file(pdf)
            if sha256_file(dest) != digest:
                raise ValueError(f"{dest}: sha256 differs from {pdf} after copying")
            records.append(
                {
                    "vintage": v.commit,
                    "folder": v.folder,
                    "file": pdf.name,
                    "committed": v.committed,
                    "url": v.url(pdf.name),
                    "sha256": digest,
                }
            )
    return records


def figure_files(raw_root: Path, vintages: tuple[Vintage, ...]) -> list[tuple[Path, str, str]]:
    """(path, vintage commit, figure name) of every PDF under raw_root, for `read_figures`."""
    return [
        (pdf, v.commit, pdf.stem)
        for v in vintages
        for pdf in sorted((raw_root / v.folder).glob("*.pdf"))
    ]
