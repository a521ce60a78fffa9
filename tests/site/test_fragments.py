"""The cell and unit-label filters give the bytes of the Jinja macros they replaced."""

from __future__ import annotations

import itertools

import jinja2
import pytest

from memwall.site import fragments

# The macros as they were in templates/macros.html, rendered with the site's settings.
MACROS = (
    '{% macro cell(c, href=None, root="") -%}\n'
    '{%- if c.missing %}<span class="missing" title="no value">\u2013</span>\n'
    '{%- elif href %}<a href="{{ root }}{{ href }}"'
    '{% if c.title %} title="{{ c.title }}"{% endif %}>{{ c.text }}</a>\n'
    '{%- elif c.title %}<span title="{{ c.title }}">{{ c.text }}</span>\n'
    "{%- else %}{{ c.text }}{% endif -%}\n"
    "{%- endmacro %}\n"
    "{% macro unit_label(unit) -%}\n"
    '{%- if unit and unit != "date" %} <span class="unit">[{{ unit }}]</span>{% endif -%}\n'
    "{%- endmacro %}\n"
)
ENV = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
ENV.filters["cell_filter"] = fragments.cell
ENV.filters["unit_filter"] = fragments.unit_label
OLD = ENV.from_string(MACROS + "[{{ cell(c, href, root) }}|{{ unit_label(unit) }}]")
NEW = ENV.from_string("[{{ c | cell_filter(href, root) }}|{{ unit | unit_filter }}]")

TEXTS = ["175B", "", "<b>&'\"", "2020-05-28"]
TITLES = ["", "175000000000", '<script>"x"</script>']
HREFS = [None, "", "models/gpt-3.html", 'x"><script>']
UNITS = [None, "", "date", "parameters", "<i>&"]


@pytest.mark.parametrize("missing", [False, True])
def test_filters_render_every_case_as_the_macros_did(missing):
    for text, title, href, unit in itertools.product(TEXTS, TITLES, HREFS, UNITS):
        c = {"text": text, "title": title, "missing": missing, "sort": "", "href": href}
        context = {"c": c, "href": href, "root": "../", "unit": unit}
        assert NEW.render(context) == OLD.render(context), context
