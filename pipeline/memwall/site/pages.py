"""The content of each page, as plain dicts and lists for the templates (no HTML here).

Each function takes the inputs and returns what one page shows. Strings from data are left
as they are: the templates escape them (autoescape is on for every template).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass

import polars as pl

from memwall import codes, fields
from memwall.site import fragments
from memwall.site.humanize import exact, human, sort_key, unit_from_name
from memwall.site.inputs import SiteInputs

_SAFE_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")
# Rows on one page of a table: a browser opens a page of 1,000 rows at once; one of 100,000
# rows (107 MB) took Chromium 90 s. The downloads hold every row.
ROWS_PER_PAGE = 1000
# The field naming a table's row (its link to the subject's page), by table.
NAME_FIELD = {"models": "model", "memory": "model", "hardware": "name"}
# Statuses a table's cell shows by itself: a value, or a dash for none. Any other status
# (estimate, not applicable, ...) is said on the subject's page.
_ROW_STATUSES = ("value", "derived", "unknown", "absent")
# Changes in the upstream history that are not changes.
_NO_CHANGE = {"", "unchanged", "same", "none"}
EPOCH_CREDIT = (
    'Epoch AI, "Data on Machine Learning Hardware" (2024) and "Parameter, Compute and Data '
    'Trends in Machine Learning" (2022), online at epoch.ai; CC BY 4.0.'
)


def table_page_path(name: str, number: int) -> str:
    """The file of page `number` (from 1) of a table: models.html, models-2.html, ..."""
    return f"{name}.html" if number == 1 else f"{name}-{number}.html"


def table_page_paths(name: str, count: int) -> list[str]:
    """The files of a table's `count` pages, in order."""
    return [table_page_path(name, n) for n in range(1, count + 1)]


def page_slug(subject_id: str) -> str:
    """A file name for a subject's page: the id itself when it is a plain slug, else a hash.

    Ids are slugs ([a-z0-9-]); anything else (a hostile contribution) gets `x-<sha1>` so no
    id can reach outside the site's directory or collide with another page.
    """
    if _SAFE_SLUG.fullmatch(subject_id):
        return subject_id
    return "x-" + hashlib.sha1(subject_id.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Column:
    """A table column as shown: name, unit (for the header), how to format and sort it."""

    name: str
    unit: str
    numeric: bool
    binary_bytes: bool = False
    description: str = ""

    def cell(self, value: object) -> dict:
        """Text, title (exact value) and sort key of one cell."""
        if type(value) is str:  # what human, exact and sort_key make of a string, sooner
            text = full = sort = value
        else:
            text, full = human(value, self.unit, self.binary_bytes), exact(value)
            sort = sort_key(value)
        return {
            "text": text,
            # the exact value only where the short text hides digits (not "1,024" = 1024)
            "title": full if full != text.replace(",", "") else "",
            "sort": sort,
            "missing": value is None,
            "href": None,
        }

    @property
    def css_class(self) -> str:
        """The class of the column's cells: num (right-aligned) or text."""
        return "num" if self.numeric else "text"


SOURCE_COLUMN = Column(
    "source", "", False, description="The raw line the row was read from (source id and line)"
)


def columns_of(table: str, frame: pl.DataFrame) -> list[Column]:
    """The columns of a published table with their units (data dictionary, else the name)."""
    declared = {f.name: f for f in fields.TABLES.get(table, ())}
    out = []
    for name, dtype in frame.schema.items():
        field = declared.get(name)
        unit = field.unit if field else unit_from_name(name)
        description = field.description if field else ""
        out.append(Column(name, unit, dtype.is_numeric(), table == "memory", description))
    return out


def field_column(field: str, name: str) -> Column:
    """A column named `name` holding values of `field` (a cross-reference's ours/reference)."""
    units = {f.name: f.unit for table in fields.TABLES.values() for f in table}
    memory_only = {f.name for f in fields.MEMORY} - {f.name for f in fields.MODELS}
    unit = units.get(field) or unit_from_name(field)
    return Column(name, unit, True, binary_bytes=field in memory_only)


def subjects_with_pages(inputs: SiteInputs) -> set[str]:
    """Ids of the models and devices whose page would show more than their table row.

    That is a subject in both model tables, or with a correction, a value whose status a
    cell cannot show (estimate, not applicable, ...), a value read with a note (the reason
    of a value: text the cell leaves out), a cross-reference, upstream history or a finding.
    Any other subject is all in its row: its values, and the raw line they were read from
    (the tables' source column). Column-wise, so a 100,000-row contribution of plain rows
    costs milliseconds here and writes no page per row.
    """
    provenance = inputs.provenance
    corrected = pl.col("corrections").fill_null("").str.len_bytes() > 0
    more = corrected | ~pl.col("status").is_in(_ROW_STATUSES)
    if "reason" in provenance.columns:  # a value read with a note the cell leaves out
        more |= (pl.col("status") == "value") & pl.col("reason").is_not_null()
    annotated = provenance.filter(more)["model_id"]
    ids = set(annotated.to_list())
    ids |= set(inputs.models["model_id"]) & set(inputs.memory["model_id"])
    for frame in (inputs.crossref, inputs.history):
        if frame is not None and "model_id" in frame.columns:
            ids |= set(frame["model_id"].unique().to_list())
    ids |= {f.get("model_id") for f in (inputs.findings or {}).get("findings", [])}
    ids.discard(None)
    return ids


class Site:
    """Indexes over the inputs (built once, linear in rows) and the pages' contents."""

    def __init__(self, inputs: SiteInputs, rows_per_page: int = ROWS_PER_PAGE):
        self.inputs = inputs
        self.rows_per_page = rows_per_page
        self.sources = {s["id"]: s for s in inputs.lineage.get("inputs", {}).get("sources", [])}
        self.corrections = {c["id"]: c for c in inputs.corrections if "id" in c}
        paged = subjects_with_pages(inputs)
        # Provenance of the values that pages show: only the subjects with a page.
        self.provenance = {
            (r["table"], r["model_id"], r["field"]): r
            for r in inputs.provenance.filter(pl.col("model_id").is_in(paged)).iter_rows(named=True)
        }
        models = set(inputs.models["model_id"].to_list()) | set(inputs.memory["model_id"])
        self.model_ids = sorted(models & paged)
        hardware = inputs.hardware
        devices = set(hardware["hardware_id"].to_list()) if hardware is not None else set()
        self.device_ids = sorted(devices & paged)
        self._subjects = set(self.model_ids), set(self.device_ids)  # O(1) membership
        # (table, subject id) -> where its row was read: (source id, line)
        self.row_sources = _row_sources(inputs.provenance)
        # (id(frame), id column) -> (the frame, kept alive so its id stays its own; rows by id)
        self._rows: dict[tuple[int, str], tuple[pl.DataFrame, dict[str, tuple[int, dict]]]] = {}
        # (table, id(frame)) -> (the frame, its columns): one `columns_of` per table, not page
        self._columns: dict[tuple[str, int], tuple[pl.DataFrame, list[Column]]] = {}
        self._tables: list[dict] | None = None
        self.crossref = _group(inputs.crossref, ("model_id", "field"))
        history = inputs.history
        self.history_keyed_by_table = history is not None and "table" in history.columns
        keys = ("model_id", "field")
        if self.history_keyed_by_table:
            keys = ("table", *keys)
        self.history = _group(history, keys, sort_by="version")
        self.findings = list((inputs.findings or {}).get("findings", []))
        self.findings_by_subject: dict[str, list[dict]] = defaultdict(list)
        for finding in self.findings:
            self.findings_by_subject[finding.get("model_id", "")].append(finding)

    # --- links ---------------------------------------------------------------------------
    def subject_href(self, subject_id: str) -> str | None:
        """Relative link (from the site root) to a model's or device's page, if it has one."""
        if subject_id in self._subjects[0]:
            return f"models/{page_slug(subject_id)}.html"
        if subject_id in self._subjects[1]:
            return f"devices/{page_slug(subject_id)}.html"
        return None

    def source_label(self, source_id: str | None) -> dict:
        """Name, commit and date of a raw source, and its URL."""
        source = self.sources.get(source_id or "", {})
        return {
            "id": source_id or "",
            "commit": (source.get("commit") or "")[:7],
            "committed": (source.get("committed") or "")[:10],
            "url": source.get("url") or "",
        }

    def source_cell(self, table: str, subject_id: str | None) -> dict:
        """A table's source cell: "upstream-v26:25" (source id and line), linked to that line
        when the source has an address."""
        source_id, line = self.row_sources.get((table, subject_id), (None, None))
        if source_id is None:
            return {"text": "", "title": "", "sort": "", "missing": True, "href": None}
        url = fragments.external_url(self.sources.get(source_id, {}).get("url"))
        return {
            "text": f"{source_id}:{line}" if line is not None else source_id,
            "title": f"line {line} of {source_id}" if line is not None else "",
            "sort": f"{source_id} {line or 0:012d}",
            "missing": False,
            "href": f"{url}#L{line}" if url and line is not None else (url or None),
        }

    # --- tables --------------------------------------------------------------------------
    def table(self, name: str, frame: pl.DataFrame) -> dict:
        """A sortable table: columns with units, its rows as HTML (`bodies`, one per page of
        `rows_per_page` rows), download files.

        A table of models or devices ends in a source column: the raw line each row was read
        from, linked to that line when the source has an address.
        """
        columns = columns_of(name, frame)
        link_column = NAME_FIELD.get(name)
        id_column = "hardware_id" if name == "hardware" else "model_id"
        # Column by column (one list of <td> each), then joined into rows: a template loop
        # per cell cost ~15 us, 20 s for a 100,000-row table.
        ids = frame[id_column].to_list() if id_column in frame.columns else None
        hrefs = [None if i is None else self.subject_href(i) for i in ids] if ids else None
        per_column = []
        for column in columns:
            values = frame[column.name].to_list()
            if name == "crossref" and column.name in ("ours", "reference"):
                kinds = (
                    frame["field"].to_list() if "field" in frame.columns else [None] * len(values)
                )
                cells = [
                    field_column(str(kind or ""), column.name).cell(value)
                    for kind, value in zip(kinds, values, strict=True)
                ]
            elif hrefs is not None and column.name in (link_column, id_column):
                cells = [column.cell(value) for value in values]
                for cell, subject, href in zip(cells, ids, hrefs, strict=True):
                    if subject is not None:
                        cell["href"] = href
            else:  # no links: each distinct value is formatted once
                per_column.append(fragments.distinct_cells(values, column.cell, column.css_class))
                continue
            per_column.append(fragments.table_cells(cells, column.css_class))
        if link_column is not None and ids is not None:
            columns = [*columns, SOURCE_COLUMN]
            sources = [self.source_cell(name, subject) for subject in ids]
            per_column.append(fragments.table_cells(sources, "text source"))
        files = self.inputs.downloads.get(name, ())
        return {
            "name": name,
            "columns": columns,
            "row_count": frame.height,
            "bodies": fragments.table_bodies(per_column, self.rows_per_page),
            "downloads": [{"format": p.suffix[1:].upper(), "file": p.name} for p in files],
        }

    def tables(self) -> list[dict]:
        """Every table the inputs hold, in the order of the navigation (built once)."""
        if self._tables is not None:
            return self._tables
        frames = {
            "models": self.inputs.models,
            "memory": self.inputs.memory,
            "hardware": self.inputs.hardware,
            "crossref": self.inputs.crossref,
        }
        self._tables = [
            self.table(n, f) for n, f in frames.items() if f is not None and f.height > 0
        ]
        return self._tables

    # --- subject pages -------------------------------------------------------------------
    def subject(self, subject_id: str, tables: dict[str, pl.DataFrame]) -> dict:
        """A model's or device's page: every value of every table it is in, with provenance."""
        id_column = "hardware_id" if "hardware" in tables else "model_id"
        sections, title = [], subject_id
        for table, frame in tables.items():
            found = self._rows_by_id(frame, id_column).get(subject_id)
            if found is None:
                continue
            position, row = found
            title = row.get("model") or row.get("name") or title
            values = [
                self.value(table, subject_id, column, row[column.name])
                for column in self._columns_of(table, frame)
                if column.name != id_column
            ]
            # The table's page that holds the row (a long table is split into pages).
            page = table_page_path(table, position // self.rows_per_page + 1)
            sections.append({"table": table, "entries": values, "href": page})
        return {
            "id": subject_id,
            "title": title,
            "sections": sections,
            "findings": [self.finding(f) for f in self.findings_by_subject.get(subject_id, [])],
        }

    def _columns_of(self, table: str, frame: pl.DataFrame) -> list[Column]:
        """`columns_of(table, frame)`, computed once per table."""
        key = (table, id(frame))
        if key not in self._columns:
            self._columns[key] = (frame, columns_of(table, frame))
        return self._columns[key][1]

    def _rows_by_id(self, frame: pl.DataFrame, id_column: str) -> dict[str, tuple[int, dict]]:
        """A frame's rows by id (its first row of each id, with its position), indexed once
        per frame: a filter per subject page made the site quadratic in rows."""
        key = (id(frame), id_column)
        if key not in self._rows:
            rows: dict[str, tuple[int, dict]] = {}
            for position, row in enumerate(frame.iter_rows(named=True)):
                rows.setdefault(row[id_column], (position, row))
            self._rows[key] = (frame, rows)
        return self._rows[key][1]

    def value(self, table: str, subject_id: str, column: Column, value: object) -> dict:
        """One value with its provenance, corrections, reference and upstream history."""
        prov = self.provenance.get((table, subject_id, column.name))
        correction_ids = [c for c in ((prov or {}).get("corrections") or "").split(",") if c]
        history_key = (subject_id, column.name)
        if self.history_keyed_by_table:
            history_key = (table, *history_key)
        return {
            "field": column.name,
            "unit": column.unit,
            "cell": column.cell(value),
            "provenance": prov,
            "source": self.source_label((prov or {}).get("source_id")),
            "corrections": [
                self.corrections.get(c, {"id": c, "action": "", "reason": "", "evidence": ""})
                for c in correction_ids
            ],
            "crossref": [
                {**r, "cells": _crossref_cells(r, column)}
                for r in self.crossref.get((subject_id, column.name), [])
            ],
            "history": self.history.get(history_key, []),
        }

    # --- findings ------------------------------------------------------------------------
    def finding(self, finding: dict) -> dict:
        """A finding with its resolution and a link to its subject."""
        subject = finding.get("model_id", "")
        return {**finding, "resolution": resolution(finding), "href": self.subject_href(subject)}

    def findings_page(self) -> dict | None:
        """All findings grouped by check, with counts by severity and resolution."""
        if self.inputs.findings is None:
            return None
        groups: dict[str, list[dict]] = defaultdict(list)
        for f in self.findings:
            groups[f.get("code", "")].append(self.finding(f))
        by_check = (self.inputs.findings.get("summary") or {}).get("by_check") or {}
        checks = sorted(set(groups) | set(by_check))
        resolutions = defaultdict(int)
        for f in self.findings:
            resolutions[resolution(f)] += 1
        return {
            "total": len(self.findings),
            "resolutions": dict(sorted(resolutions.items())),
            "groups": [
                {"code": c, "title": _code_title(c), "findings": groups.get(c, [])} for c in checks
            ],
        }

    # --- upstream history ----------------------------------------------------------------
    def history_changes(self) -> list[dict]:
        """Upstream versions, each with the cells that changed in it."""
        history = self.inputs.history
        if history is None or history.height == 0:
            return []
        versions: dict[object, dict] = {}
        for row in history.sort(["version", "model_id", "field"]).iter_rows(named=True):
            version = versions.setdefault(
                row["version"],
                {
                    "version": row["version"],
                    "commit": str(row.get("commit") or "")[:7],
                    "committed": str(row.get("committed") or "")[:10],
                    "changes": [],
                },
            )
            if str(row.get("change") or "").strip().lower() not in _NO_CHANGE:
                version["changes"].append({**row, "href": self.subject_href(row["model_id"])})
        return list(versions.values())


def _row_sources(provenance: pl.DataFrame) -> dict[tuple[str, str], tuple[str, int | None]]:
    """(table, subject id) -> (source id, line) of the subject's name cell: its row's line."""
    names = pl.DataFrame(
        {"table": list(NAME_FIELD), "field": list(NAME_FIELD.values())},
        schema={"table": pl.String, "field": pl.String},
    )
    rows = (
        provenance.join(names, on=["table", "field"])
        .filter(pl.col("source_id").is_not_null())
        .unique(["table", "model_id"], keep="first", maintain_order=True)
    )
    return {
        (table, subject): (source, line)
        for table, subject, source, line in rows.select(
            "table", "model_id", "source_id", "line"
        ).iter_rows()
    }


def resolution(finding: dict) -> str:
    """corrected (a correction fixed the data), accepted (with a reason) or open."""
    if finding.get("corrections") or finding.get("corrected"):
        return "corrected"
    if finding.get("accepted"):
        return "accepted"
    return "open"


def _code_title(code: str) -> str:
    try:
        return codes.get(code).title
    except KeyError:
        return ""


def _group(frame: pl.DataFrame | None, keys: tuple[str, ...], sort_by: str | None = None):
    """Rows of `frame` grouped by `keys` (a dict of lists), each group sorted by `sort_by`."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    if frame is None or not set(keys) <= set(frame.columns):
        return groups
    if sort_by and sort_by in frame.columns:
        frame = frame.sort([*keys, sort_by])
    for row in frame.iter_rows(named=True):
        groups[tuple(row[k] for k in keys)].append(row)
    return groups


def _crossref_cells(row: dict, column: Column) -> dict:
    """Reference value in the column's unit, and the ratio ours / reference."""
    ratio = row.get("ratio")
    return {
        "reference": column.cell(row.get("reference")),
        "ratio": f"{ratio:.3g}" if isinstance(ratio, int | float) else exact(ratio),
    }
