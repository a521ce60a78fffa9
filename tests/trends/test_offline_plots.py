"""`dvc plots show` with our template renders without network."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from memwall.plots_html import TemplateError, build, inline_libraries
from support import REPO, run

WEB = REPO / "pipeline" / "web"
LIBRARIES = ("vega/build/vega.min.js", "vega-lite/build/vega-lite.min.js",
             "vega-embed/build/vega-embed.min.js")  # fmt: skip
# Attributes and CSS that make a browser fetch something.
FETCHING = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?https?:|@import""")

needs_npm = pytest.mark.skipif(
    not all((WEB / "node_modules" / lib).is_file() for lib in LIBRARIES),
    reason="pipeline/web/node_modules missing: run `make web` (npm ci) first",
)


def test_markers_are_replaced_by_the_library_code():
    template = "<head><!-- inline: vega/build/vega.min.js --></head>{plot_divs}"
    page = inline_libraries(template, lambda path: f"var lib = '{path}';")
    assert "<script>/* vega/build/vega.min.js */\nvar lib = 'vega/build/vega.min.js';" in page
    assert "<!-- inline:" not in page


@pytest.mark.parametrize(
    ("template", "code", "message"),
    [
        ("{scripts}{plot_divs}", "", "CDN"),
        ("<!-- inline: a.js -->", "", "plot_divs"),
        ("<!-- inline: a.js -->{plot_divs}", "x = '</SCRIPT>'", "cannot be inlined"),
    ],
)
def test_templates_that_would_load_a_cdn_or_break_are_refused(template, code, message):
    with pytest.raises(TemplateError, match=message):
        inline_libraries(template, lambda path: code)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """index.html of `dvc plots show` on a tiny plots CSV in a fresh repo, with our template."""
    repo = tmp_path_factory.mktemp("plots")
    template = build(WEB, repo / "template.html")
    run(["git", "init", "-q"], cwd=repo)
    run(["dvc", "init", "-q"], cwd=repo)
    (repo / "pipeline" / "web").mkdir(parents=True)
    shutil.copy(WEB / "growth.vega.json", repo / "pipeline" / "web")
    (repo / "points.csv").write_text(
        "fit_id,kind,year,value,label\na,fit,2000.0,1,\na,fit,2004.0,1000,\n"
        "a,point,2000.0,1,X\na,point,2002.0,10,Y\na,point,2004.0,1000,Z\n"
    )
    (repo / "dvc.yaml").write_text(
        "plots:\n  - points.csv:\n      x: year\n      y: value\n"
        "      template: pipeline/web/growth.vega.json\n"
    )
    run(["dvc", "plots", "show", "--html-template", str(template), "-o", "out"], cwd=repo)
    return repo / "out" / "index.html"


@needs_npm
def test_dvc_plots_page_fetches_nothing_from_the_network(rendered):
    html = rendered.read_text(encoding="utf-8")
    assert "vegaEmbed(" in html  # the plot is there
    assert "cdn.jsdelivr" not in html
    assert FETCHING.findall(html) == []


@needs_npm
def test_the_page_draws_the_plot_in_a_browser_with_the_network_cut(browser, rendered):
    requested = []
    context = browser.new_context()
    page = context.new_page()

    def block(route):
        if not route.request.url.startswith("file:"):
            requested.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", block)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(rendered.as_uri())
    page.wait_for_selector("svg.marks, canvas.marks", timeout=15000)
    embedded = page.evaluate("document.querySelectorAll('.vega-embed').length")
    context.close()
    assert requested == []
    assert errors == []
    assert embedded == 1


def test_building_without_npm_ci_says_what_to_run(tmp_path, capsys):
    from memwall.plots_html import main

    shutil.copy(WEB / "plots_template.html", tmp_path / "plots_template.html")
    assert main(["--web", str(tmp_path), "--out", str(tmp_path / "out.html")]) == 2
    message = capsys.readouterr().err
    assert "vega/build/vega.min.js: not found; run `make web` (npm ci) first" in message
    assert not (tmp_path / "out.html").exists()
