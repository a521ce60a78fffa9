"""Render the site: Jinja2 templates (autoescaped) to static HTML, with local assets only.

The pages read from disk (`file://`) or any static host: no request leaves the directory,
scripts and styles are files beside the pages, data is in the HTML (a `file://` page cannot
fetch JSON). Same inputs give the same bytes: no clock, rows in input order, sorted groups.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from memwall.site import fragments
from memwall.site.fragments import external_url
from memwall.site.inputs import SiteInputs
from memwall.site.pages import (
    EPOCH_CREDIT,
    ROWS_PER_PAGE,
    Site,
    page_slug,
    table_page_paths,
)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
ASSETS = ("site.css", "site.js")
# Written into every built site, so a rebuild may replace the directory and nothing else.
MARKER = ".memwall-site"
TABLE_TITLES = {
    "models": "Models",
    "memory": "Training memory",
    "hardware": "Hardware",
    "crossref": "Cross-reference",
    "provenance": "Provenance (one row per cell)",
}


class _Environment(jinja2.Environment):
    """Jinja's environment, looking up `a.b` of a plain dict as `a["b"]` first.

    Jinja tries the attribute first and the item after it failed; the contexts are dicts, so
    every `v.field` raised and caught an AttributeError (millions per 100,000 pages). A key
    that is also a dict method's name would now give the key's value: no template reads one.
    """

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def _environment() -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["table_titles"] = TABLE_TITLES
    # Filters, not globals: a template calls a filter directly, a global through Jinja's
    # runtime (a few microseconds per call, per cell).
    env.filters["cell"] = fragments.cell
    env.filters["unit_label"] = fragments.unit_label
    env.filters["external"] = external_url
    env.filters["factor"] = factor_text
    env.filters["count"] = "{:,}".format
    return env


def factor_text(value: float) -> str:
    """A growth factor for people: three significant digits, no exponent ("2,423", "1.59")."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def markdown_html(text: str) -> Markup:
    """CommonMark with tables to HTML; raw HTML in the text is escaped, unsafe links dropped."""
    return Markup(MarkdownIt("commonmark", {"html": False}).enable("table").render(text))


def _nav(site: Site) -> list[dict]:
    items = [{"href": "index.html", "label": "Home"}]
    items += [
        {"href": f"{t['name']}.html", "label": TABLE_TITLES[t["name"]]} for t in site.tables()
    ]
    if site.inputs.findings is not None:
        items.append({"href": "findings.html", "label": "Findings"})
    if site.inputs.validation is not None or site.inputs.quality is not None:
        items.append({"href": "quality.html", "label": "Quality"})
    if site.inputs.changelog is not None or site.inputs.history is not None:
        items.append({"href": "changelog.html", "label": "Changelog"})
    return items


def _uses_epoch(inputs: SiteInputs) -> bool:
    """Whether a shown section holds Epoch AI data (hardware, cross-reference, fits on it)."""
    fits = (inputs.trends or {}).get("fits", [])
    return (
        inputs.hardware is not None
        or inputs.crossref is not None
        or any("epoch" in str(f.get("source", "")).lower() for f in fits)
    )


def _table_page(table: dict, paths: list[str], number: int, rows_per_page: int) -> dict:
    """Page `number` (from 1) of a table: its rows, their range, and links to nearby pages."""
    first = (number - 1) * rows_per_page + 1
    near = range(max(1, number - 2), min(len(paths), number + 2) + 1)
    return {
        "number": number,
        "count": len(paths),
        "size": rows_per_page,
        "body": table["bodies"][number - 1],
        "first": first,
        "last": min(first + rows_per_page - 1, table["row_count"]),  # first - 1: no rows
        "links": {
            "first": paths[0] if number > 2 else None,
            "previous": paths[number - 2] if number > 1 else None,
            "next": paths[number] if number < len(paths) else None,
            "last": paths[-1] if number < len(paths) - 1 else None,
            "near": [{"number": n, "href": paths[n - 1], "current": n == number} for n in near],
        },
    }


def _pages(inputs: SiteInputs, rows_per_page: int) -> dict[str, tuple[str, Callable[[], dict]]]:
    """Every page of the site: relative path -> (template, a function making its context).

    A model's or device's context is made when its page is rendered, so 100,000 pages never
    hold 100,000 contexts at once.
    """
    site = Site(inputs, rows_per_page)
    # The inputs and their indexes live until the end: the cyclic collector, run again and
    # again while pages allocate, need not walk their millions of objects each time.
    gc.freeze()
    tables = site.tables()
    pages: dict[str, tuple[str, dict]] = {}
    lineage = inputs.lineage
    pages["index.html"] = (
        "home.html",
        {
            "lineage": lineage,
            "sources": list(site.sources.values()),
            "tables": tables,
            "downloads": [
                {"title": TABLE_TITLES.get(name, name), "files": [p.name for p in files]}
                for name, files in inputs.downloads.items()
            ],
            "trends": inputs.trends,
            "claims": inputs.claims,
            "figures": [f"figures/{p.name}" for p in inputs.figures],
            "findings": site.findings_page(),
            "epoch_credit": EPOCH_CREDIT if _uses_epoch(inputs) else None,
        },
    )
    for table in tables:
        paths = table_page_paths(table["name"], len(table["bodies"]))
        for number, path in enumerate(paths, 1):
            page = _table_page(table, paths, number, site.rows_per_page)
            pages[path] = ("table.html", {"table": table, "page": page, "section": paths[0]})
    model_tables = {"models": inputs.models, "memory": inputs.memory}
    for model_id in site.model_ids:
        subject = partial(_subject, site, model_id, model_tables)
        pages[f"models/{page_slug(model_id)}.html"] = ("subject.html", subject)
    if inputs.hardware is not None:
        for device_id in site.device_ids:
            subject = partial(_subject, site, device_id, {"hardware": inputs.hardware})
            pages[f"devices/{page_slug(device_id)}.html"] = ("subject.html", subject)
    findings = site.findings_page()
    if findings is not None:
        pages["findings.html"] = ("findings.html", {"page": findings})
    if inputs.validation is not None or inputs.quality is not None:
        pages["quality.html"] = (
            "quality.html",
            {"validation": inputs.validation, "quality": inputs.quality},
        )
    history = site.history_changes()
    if inputs.changelog is not None or history:
        changelog = markdown_html(inputs.changelog) if inputs.changelog is not None else None
        pages["changelog.html"] = ("changelog.html", {"changelog": changelog, "history": history})
    nav = _nav(site)
    common = {"nav": nav, "version": lineage.get("version", ""), "dataset": lineage.get("dataset")}
    return {
        path: (template, partial(_context, common, context, path))
        for path, (template, context) in pages.items()
    }


def _subject(site: Site, subject_id: str, tables: dict) -> dict:
    return {"subject": site.subject(subject_id, tables)}


def _context(common: dict, context: dict | Callable[[], dict], path: str) -> dict:
    """A page's whole context: the common part, its own (made now if a function), its place."""
    own = context() if callable(context) else context
    # `section`: the navigation's item of the page (a table's later pages: its first page)
    return {**common, "section": path, **own, "root": "../" * path.count("/"), "path": path}


def build_site(inputs: SiteInputs, out_dir: Path, rows_per_page: int = ROWS_PER_PAGE) -> list[Path]:
    """Write the site into `out_dir` (replaced whole) and return the files written, sorted.

    A table of more than `rows_per_page` rows is split into pages of that many rows.

    Pages are rendered into a sibling temporary directory that then takes `out_dir`'s place,
    so an interrupted build never leaves half a site. An existing `out_dir` that is not a
    site built here (no marker file) is refused rather than deleted.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not (out_dir / MARKER).is_file():
        raise FileExistsError(f"{out_dir}: exists and is not a memwall site; not replacing it")
    staging = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    env = _environment()
    folders: set[Path] = set()
    try:
        for path, (template, context) in sorted(_pages(inputs, rows_per_page).items()):
            target = staging / path
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            target.write_text(env.get_template(template).render(context()), encoding="utf-8")
    finally:
        gc.unfreeze()
    (staging / "assets").mkdir()
    for asset in ASSETS:
        shutil.copyfile(TEMPLATES / "assets" / asset, staging / "assets" / asset)
    for files, folder in [(f, "data") for f in inputs.downloads.values()] + [
        (inputs.figures, "figures")
    ]:
        for source in files:
            (staging / folder).mkdir(exist_ok=True)
            shutil.copyfile(source, staging / folder / source.name)
    (staging / MARKER).write_text("built by memwall.site.build_site\n", encoding="utf-8")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    staging.rename(out_dir)
    return sorted(p for p in out_dir.rglob("*") if p.is_file())
