"""HTML fragments every page repeats per value: a table cell and a unit label.

They were Jinja macros; called once per cell (millions of times for a 100,000-row table and
its pages) a macro call cost more than the rest of the page. As Python functions registered
as template globals they give the same bytes, escaped the way autoescape escapes.
"""

from __future__ import annotations

from markupsafe import Markup, escape

MISSING = Markup('<span class="missing" title="no value">\u2013</span>')


def cell(c: dict, href: str | None = None, root: str = "") -> Markup:
    """A cell's text: a dash when missing, a link when `href`, the exact value on hover."""
    if c["missing"]:
        return MISSING
    text, title = escape(c["text"]), c["title"]
    if href:
        hover = Markup(' title="%s"') % title if title else ""
        return Markup('<a href="%s%s"%s>%s</a>') % (root, href, hover, text)
    if title:
        return Markup('<span title="%s">%s</span>') % (title, text)
    return text


def unit_label(unit: str | None) -> Markup:
    """' [unit]' after a field's name; nothing for dates or no unit."""
    if unit and unit != "date":
        return Markup(' <span class="unit">[%s]</span>') % unit
    return Markup("")
