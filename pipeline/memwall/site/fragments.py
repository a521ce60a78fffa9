"""HTML fragments every page repeats per value: a table cell, a table's rows, a unit label.

They were Jinja macros; called once per cell (millions of times for a 100,000-row table and
its pages) a macro call cost more than the rest of the page. As Python functions registered
as template filters (`c | cell(href, root)`, `unit | unit_label`) they give the same bytes,
escaped the way autoescape escapes.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

MISSING = Markup('<span class="missing" title="no value">\u2013</span>')


def external_url(url: object) -> str:
    """`url` when it is an http(s) address, else "" (no javascript: or data: link from data)."""
    text = str(url or "")
    return text if text.startswith(("https://", "http://")) else ""


def _escaped(text: str) -> str:
    """`markupsafe.escape(text)` as a plain string (& < > ' " as entities), without making a
    Markup object: a table of 100,000 rows escapes millions of strings."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def _cell_html(c: dict, href: str | None, root: str) -> str:
    if c["missing"]:
        return MISSING
    text, title = _escaped(c["text"]), c["title"]
    if href:
        hover = f' title="{_escaped(title)}"' if title else ""
        if not external_url(href):
            href = root + href
        return f'<a href="{_escaped(href)}"{hover}>{text}</a>'
    if title:
        return f'<span title="{_escaped(title)}">{text}</span>'
    return text


def cell(c: dict, href: str | None = None, root: str = "") -> Markup:
    """A cell's text: a dash when missing, a link when `href`, the exact value on hover.

    A relative `href` is from the site's root (`root` leads there); an http(s) one is kept.
    """
    return Markup(_cell_html(c, href, root))


def unit_label(unit: str | None) -> Markup:
    """' [unit]' after a field's name; nothing for dates or no unit."""
    if unit and unit != "date":
        return Markup(f' <span class="unit">[{escape(unit)}]</span>')
    return Markup("")


def _td(css_class: str, c: dict) -> str:
    """One `<td>` of a table page (a page at the site's root): the cell's sort key and text."""
    text = _cell_html(c, c["href"], "")
    return f'  <td class="{css_class}" data-sort="{_escaped(c["sort"])}">{text}</td>\n'


def table_cells(cells: list[dict], css_class: str) -> list[str]:
    """The `<td>` of each cell of one column ("num", "text", ...: its class)."""
    return [_td(css_class, c) for c in cells]


def distinct_cells(values: list, make: Callable[[object], dict], css_class: str) -> list[str]:
    """`table_cells` of `make(value)` for each of `values`, each distinct value made once
    (a column of 100,000 rows holds a few dates, domains and sizes, and many blanks)."""
    made: dict[object, str] = {}
    out = []
    for value in values:
        td = made.get(value)
        if td is None:
            td = made[value] = _td(css_class, make(value))
        out.append(td)
    return out


def table_bodies(columns: list[list[str]], rows_per_page: int) -> list[Markup]:
    """A table's rows from its columns' `<td>` lists (all of one length), `rows_per_page`
    rows to a page; one empty page when there are no rows."""
    rows = [f"<tr>\n{''.join(row)}</tr>\n" for row in zip(*columns, strict=True)]
    starts = range(0, max(len(rows), 1), rows_per_page)
    return [Markup("".join(rows[start : start + rows_per_page])) for start in starts]
