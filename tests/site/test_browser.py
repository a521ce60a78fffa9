"""The site in a real browser (Debian's Chromium, headless), loaded from disk.

Each page loads with no failed request, no request off the machine, no console error and no
dialog; the key content is there; sorting and filtering work; a hostile name is text.
With `MEMWALL_SCREENSHOTS=1`, screenshots at 1400 px and 375 px go to
tests/artifacts/screenshots/.
"""

from __future__ import annotations

import json

import pytest
from sitedata import HOSTILE, findings_count

from sitebrowser import WIDTHS, screenshot, visit


def _models_json(repo) -> list[dict]:
    return json.loads((repo / "processed/models.json").read_text())


REAL_PAGES = [
    "index.html",
    "models.html",
    "memory.html",
    "findings.html",
    "quality.html",
    "changelog.html",
    "models/gpt-3.html",
    "models/gpt-2.html",
    "hardware.html",
    "devices/nvidia-h100-sxm5-80gb.html",
]
SMALL_PAGES = [
    "index.html",
    "models.html",
    "hardware.html",
    "crossref.html",
    "findings.html",
    "changelog.html",
    "models/gpt-3.html",
    "devices/nvidia-h100-sxm.html",
]


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("page", REAL_PAGES)
def test_every_real_page_loads_offline_without_errors(browser, real_site, page, width):
    record = visit(browser, real_site / page, WIDTHS[width])
    name = f"real-{page.replace('/', '-').removesuffix('.html')}-{WIDTHS[width]}"
    screenshot(record, name)
    assert record.problems() == []
    assert record.requests, "the page itself was not requested"
    # the page is not wider than the window: nothing to scroll sideways but inside tables
    overflow = record.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page} is {overflow}px wider than a {WIDTHS[width]}px window"
    record.close()


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("page", SMALL_PAGES)
def test_every_optional_section_loads_offline_without_errors(browser, small_site, page, width):
    record = visit(browser, small_site / page, WIDTHS[width])
    name = f"small-{page.replace('/', '-').removesuffix('.html')}-{WIDTHS[width]}"
    screenshot(record, name)
    assert record.problems() == []
    overflow = record.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page} is {overflow}px wider than a {WIDTHS[width]}px window"
    record.close()


def _column_index(page, table: str, column: str) -> int:
    """0-based index of a column, found by its name (not by its position)."""
    names = [th.get_attribute("data-column") for th in page.locator(f"#{table} thead th").all()]
    return names.index(column)


def test_gpt3_params_read_175b_with_the_exact_count_on_hover(browser, real_site):
    record = visit(browser, real_site / "models.html")
    row = record.page.locator("#table-models tbody tr", has_text="GPT-3").first
    cell = row.locator("td").nth(_column_index(record.page, "table-models", "params"))
    assert cell.inner_text() == "175B"
    assert cell.locator("[title]").get_attribute("title") == "175000000000"
    header = record.page.locator("#table-models thead th[data-column=params]").inner_text()
    assert header.split() == ["params", "[parameters]"]
    record.close()


def test_findings_count_matches_findings_json(browser, real_site, built_repo):
    expected = findings_count(built_repo)
    for page in ("findings.html", "index.html"):
        record = visit(browser, real_site / page)
        shown = record.page.get_by_test_id("findings-total").inner_text()
        assert int(shown) == expected, page
        assert record.page.locator("li.finding").count() == (
            expected if page != "index.html" else 0
        )
        record.close()


def test_clicking_a_header_sorts_and_clicking_again_reverses(browser, real_site, built_repo):
    stated = [r["params"] for r in _models_json(built_repo) if r["params"] is not None]
    unknown = sum(1 for r in _models_json(built_repo) if r["params"] is None)
    record = visit(browser, real_site / "models.html")
    page = record.page
    header = page.locator("#table-models thead th[data-column=params]")
    index = _column_index(page, "table-models", "params")
    cells = page.locator(f"#table-models tbody tr td:nth-child({index + 1})")

    def shown() -> list[str]:
        return [c.get_attribute("data-sort") for c in cells.all()]

    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    ascending = shown()
    assert [float(k) for k in ascending if k] == sorted(float(p) for p in stated)
    assert ascending[len(stated) :] == [""] * unknown  # unknown counts last
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    descending = shown()
    assert [float(k) for k in descending if k] == sorted((float(p) for p in stated), reverse=True)
    assert descending[len(stated) :] == [""] * unknown  # still last
    record.close()


def test_typing_in_the_filter_keeps_only_matching_rows(browser, real_site):
    record = visit(browser, real_site / "models.html")
    page = record.page
    page.locator("#filter-models").fill("gpt")
    visible = page.locator("#table-models tbody tr:visible")
    names = sorted(visible.locator("td:nth-child(2)").all_inner_texts())
    assert names == ["GPT-1", "GPT-2", "GPT-3"]
    assert page.locator("[data-count-for=table-models]").inner_text().startswith("3 of ")
    page.locator("#filter-models").fill("")
    assert page.locator("#table-models tbody tr:visible").count() > 20
    record.close()


def test_a_model_page_shows_raw_text_source_line_and_correction(browser, real_site):
    record = visit(browser, real_site / "models/gpt-2.html")
    page = record.page
    tokens = page.locator("#memory-input_tokens")
    text = tokens.inner_text()
    # README: line 58 of the newest snapshot reads 2014, corrected to 1024 by a named entry
    assert "2014" in text and "1,024" in text and "line 58" in text
    assert "gpt2-memory-sequence-length" in text
    link = tokens.locator("a[href*='#L58']")
    assert link.count() == 1
    record.close()


def test_a_hostile_model_name_renders_as_text_and_runs_nothing(browser, small_site):
    for page_name in ("models.html", "findings.html", "changelog.html", "index.html"):
        record = visit(browser, small_site / page_name)
        assert record.dialogs == []
        if page_name != "index.html":
            assert record.page.get_by_text(HOSTILE).first.is_visible(), page_name
        assert record.page.locator("main script").count() == 0
        record.close()
    record = visit(browser, small_site / "models.html")
    link = record.page.get_by_role("link", name=HOSTILE)
    link.click()
    record.page.wait_for_load_state("load")
    assert record.page.locator("h1").inner_text() == HOSTILE
    assert record.dialogs == [] and record.problems() == []
    record.close()


def test_optional_sections_show_their_content(browser, small_site):
    record = visit(browser, small_site / "index.html")
    page = record.page
    assert page.locator("figure img").evaluate("img => img.naturalWidth") > 0
    assert "3.1x" in page.locator("table.claims").inner_text()
    assert "Epoch AI" in page.locator("main").inner_text()
    record.close()
    record = visit(browser, small_site / "models/gpt-3.html")
    params = record.page.locator("#models-params").inner_text()
    assert "Reference" in params and "agrees" in params
    record.page.locator("#models-params details summary").click()
    assert "175,000M" in record.page.locator("#models-params ol.timeline").inner_text()
    screenshot(record, "small-models-gpt-3-history-open-1400")
    record.close()
    record = visit(browser, small_site / "hardware.html")
    cells = record.page.locator("#table-hardware tbody tr", has_text="H100").inner_text()
    assert "3.35 TB/s" in cells and "80 GB" in cells and "989 TFLOP/s" in cells
    record.close()


def test_the_real_home_shows_the_claims_table_and_every_trends_figure(browser, real_site):
    figures = sorted(p.name for p in (real_site.parent / "trends" / "figures").glob("*.svg"))
    record = visit(browser, real_site / "index.html")
    page = record.page
    row = page.locator("table.claims tr", has_text="Peak compute of accelerators")
    text = row.inner_text()
    assert "3.0x/2yrs" in text and "3.03x" in text and "agrees" in text
    images = page.locator(".figures img")
    assert (
        sorted(
            src.rsplit("/", 1)[-1]
            for src in images.evaluate_all("imgs => imgs.map(i => i.getAttribute('src'))")
        )
        == figures
    )
    widths = images.evaluate_all("imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
    assert len(widths) == 6 and min(widths) > 0
    assert "Epoch AI" in page.locator("main").inner_text()
    assert record.problems() == []
    record.close()


def test_a_device_page_shows_datasheet_values_with_their_source(browser, real_site):
    # from the hardware table to the first device with a page (which devices have one
    # follows the data: a finding, a note, a correction)
    record = visit(browser, real_site / "hardware.html")
    link = record.page.locator("#table-hardware td:nth-child(2) a[href^='devices/']").first
    name = link.inner_text()
    link.click()
    record.page.wait_for_load_state("load")
    assert record.page.locator("h1").inner_text() == name
    assert "ml_hardware.csv" in record.page.locator("main").inner_text()
    assert record.problems() == []
    record.close()


def test_a_table_of_two_pages_reads_from_the_first_to_the_next_and_filters_each(
    browser, paged_site
):
    record = visit(browser, paged_site / "models.html")
    page = record.page
    assert page.locator("#table-models tbody tr").count() == 2
    page.locator("nav.pager a[rel=next]").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/models-2.html")
    assert page.locator("nav[aria-label=Site] [aria-current=page]").inner_text() == "Models"
    assert page.locator("#table-models tbody tr").all_inner_texts()[0].startswith("tiny")
    page.locator("#filter-models").fill("gpt")  # GPT-3 is on page 1: nothing here
    assert page.locator("#table-models tbody tr:visible").count() == 0
    assert page.locator("[data-count-for=table-models]").inner_text() == "0 of 1 row"
    assert record.problems() == []
    record.close()
