"""The built site as files: deterministic, escaped, local, sections present only with data."""

from __future__ import annotations

import dataclasses
import re

import polars as pl
import pytest
from sitedata import HARDWARE_URL, HOSTILE, PLAIN_DEVICE, small_inputs

from memwall.site import build_site
from memwall.site.fragments import distinct_cells
from memwall.site.pages import Column, page_slug, resolution, subjects_with_pages


def _tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_same_inputs_give_byte_identical_sites(tmp_path):
    build_site(small_inputs(tmp_path / "a"), tmp_path / "one")
    build_site(small_inputs(tmp_path / "b"), tmp_path / "two")
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")


def test_sections_without_input_are_absent_not_empty(tmp_path):
    build_site(small_inputs(tmp_path, with_optional=False), tmp_path / "site")
    pages = set(_tree(tmp_path / "site"))
    assert "hardware.html" not in pages and "crossref.html" not in pages
    assert not any(p.startswith(("devices/", "figures/")) for p in pages)
    home = (tmp_path / "site/index.html").read_text()
    for absent in ("hardware.html", "crossref.html", "Growth claims", "Figures", "Epoch AI"):
        assert absent not in home
    model = (tmp_path / "site/models/gpt-3.html").read_text()
    assert "Reference:" not in model and "Upstream history" not in model


def test_sections_with_input_are_linked_from_every_page(small_site):
    for page in ("index.html", "models/gpt-3.html", "devices/amd-mi300x.html"):
        html = (small_site / page).read_text()
        for target in ("hardware.html", "crossref.html", "findings.html", "changelog.html"):
            assert target in html, (page, target)


def test_data_from_inputs_is_escaped_in_every_page(small_site):
    for path, body in _tree(small_site).items():
        if path.endswith(".html"):
            assert HOSTILE not in body.decode(), path
    models = (small_site / "models.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in models


def test_pages_load_nothing_from_outside_the_site(small_site):
    loaded = re.compile(r'(?:src="([^"]*)"|<link [^>]*href="([^"]*)")')
    anchor = re.compile(r'<a [^>]*href="([^"]*)"')
    for path, body in _tree(small_site).items():
        if not path.endswith(".html"):
            continue
        html = body.decode()
        for target in filter(None, sum(loaded.findall(html), ())):
            if target == "data:,":  # the empty favicon, so the browser asks for none
                continue
            assert "://" not in target and not target.startswith("//"), (path, target)
            assert ((small_site / path).parent / target).is_file(), (path, target)
        for target in anchor.findall(html):
            if target.startswith("https://"):
                continue  # a link a reader may follow (upstream source, datasheet): not loaded
            assert "://" not in target and ":" not in target.split("/")[0], (path, target)
            assert ((small_site / path).parent / target.split("#")[0]).is_file(), (path, target)


def test_stylesheets_and_scripts_come_from_local_files(small_site):
    for path in ("index.html", "models/gpt-3.html"):
        html = (small_site / path).read_text()
        assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)[0].endswith(
            "assets/site.css"
        )
        assert re.findall(r'<script src="([^"]+)"', html)[0].endswith("assets/site.js")
    css = (small_site / "assets/site.css").read_text()
    assert "@import" not in css and "url(" not in css and "@font-face" not in css


def test_downloads_sit_next_to_the_site(small_site):
    assert (small_site / "data/models.csv").read_text().startswith("model_id,model,")
    assert 'href="data/models.csv"' in (small_site / "models.html").read_text()


def test_raw_html_in_the_changelog_is_text(small_site):
    html = (small_site / "changelog.html").read_text()
    assert "<h1>Changelog</h1>" in html
    assert "added &lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("hostile_id", ["../../etc/passwd", HOSTILE, "A B", ""])
def test_page_names_of_unusual_ids_stay_inside_the_site(hostile_id):
    slug = page_slug(hostile_id)
    assert re.fullmatch(r"[a-z0-9-]+", slug)
    assert slug != page_slug(hostile_id + "x")


def test_plain_ids_keep_their_name():
    assert page_slug("gpt-3") == "gpt-3"


def test_a_directory_that_is_not_a_site_is_never_replaced(tmp_path):
    precious = tmp_path / "reports"
    precious.mkdir()
    (precious / "findings.json").write_text("{}")
    with pytest.raises(FileExistsError, match="not a memwall site"):
        build_site(small_inputs(tmp_path), precious)
    assert (precious / "findings.json").read_text() == "{}"


def test_a_rebuild_removes_pages_of_rows_that_are_gone(tmp_path):
    site = tmp_path / "site"
    build_site(small_inputs(tmp_path), site)
    assert (site / "devices/amd-mi300x.html").exists()
    build_site(small_inputs(tmp_path, with_optional=False), site)
    assert not (site / "devices").exists()


def test_only_web_addresses_from_data_become_links(small_site):
    h100 = (small_site / "devices/nvidia-h100-sxm.html").read_text()
    assert 'href="https://www.nvidia.com/h100.pdf"' in h100
    mi300x = (small_site / "devices/amd-mi300x.html").read_text()
    assert "javascript:alert(1)" in mi300x  # shown as text
    assert 'href="javascript:' not in mi300x


def test_cross_reference_values_read_in_the_unit_of_their_field(small_site):
    html = (small_site / "crossref.html").read_text()
    # ours and reference of GPT-3's params (1.75e11 parameters) read 175B, exact on hover
    assert html.count('<span title="175000000000">175B</span>') == 2


def test_a_finding_is_corrected_accepted_or_open():
    assert resolution({"corrections": ["alexnet-total-memory-transposed"]}) == "corrected"
    assert resolution({"accepted": {"reason": "shared weights"}}) == "accepted"
    assert resolution({"accepted": None}) == "open"


def test_history_timeline_shows_short_commits_and_dates(small_site):
    html = (small_site / "models/gpt-3.html").read_text()
    assert "v3 · 2020-06-01 · <code>1111111</code>" in html
    assert "1111111a" not in html


def test_a_subject_with_nothing_beyond_its_row_has_no_page_and_its_row_links_its_raw_line(
    small_site,
):
    assert not (small_site / f"devices/{PLAIN_DEVICE}.html").exists()
    hardware = (small_site / "hardware.html").read_text()
    row = next(r for r in hardware.split("<tr>") if PLAIN_DEVICE in r)
    assert 'href="devices/' not in row  # no link to a page
    assert f'<a href="{HARDWARE_URL}#L7" title="line 7 of epoch-ml-hardware">' in row
    # a device whose page says more (an estimate) is linked to it from its row
    assert 'href="devices/nvidia-h100-sxm.html"' in hardware
    assert (small_site / "devices/nvidia-h100-sxm.html").is_file()


def test_a_subject_has_a_page_when_it_has_more_than_its_row(small_site):
    pages = {p.name for p in (small_site / "models").iterdir()}
    # gpt-3: a correction, history, a cross-reference; script-alert-1: a finding and a
    # value "N/A" (not applicable), which a cell shows only as a dash
    assert pages == {"gpt-3.html", f"{page_slug('script-alert-1')}.html"}
    models = (small_site / "models.html").read_text()
    tiny = next(r for r in models.split("<tr>") if "Tiny" in r)
    assert "models/tiny.html" not in tiny and "upstream-v26" not in tiny  # no page, no line


def test_plain_rows_add_rows_to_their_table_and_no_files(tmp_path):
    """A large contribution of plain rows grows the models table, not the number of files
    (a page per row made a 100,000-row contribution a 1.5 GB site of 100,000 files)."""
    inputs = small_inputs(tmp_path / "in")
    build_site(inputs, tmp_path / "before")
    ids = [f"plain-{i:04d}" for i in range(300)]
    models = pl.concat(
        [inputs.models, pl.DataFrame({"model_id": ids, "model": ids})], how="diagonal_relaxed"
    )
    provenance = pl.concat(
        [
            inputs.provenance,
            inputs.provenance.head(1)
            .select(pl.exclude("model_id", "field", "line", "corrections", "status"))
            .join(pl.DataFrame({"model_id": ids}), how="cross")
            .with_columns(
                field=pl.lit("model"),
                status=pl.lit("value"),
                line=pl.int_range(100, 400),
                corrections=pl.lit(None, pl.String),
            ),
        ],
        how="diagonal",
    )
    build_site(
        dataclasses.replace(inputs, models=models, provenance=provenance), tmp_path / "after"
    )
    assert set(_tree(tmp_path / "after")) == set(_tree(tmp_path / "before"))
    table = (tmp_path / "after/models.html").read_text()
    assert table.count("<tr>") == 1 + 3 + 300  # the header row, 3 models, 300 plain ones
    assert "upstream-v26:399</a>" in table  # the last plain row's raw line


def test_a_table_longer_than_a_page_is_split_into_pages_linked_in_order(tmp_path):
    build_site(small_inputs(tmp_path / "in"), tmp_path / "site", rows_per_page=2)
    first = (tmp_path / "site/models.html").read_text()
    second = (tmp_path / "site/models-2.html").read_text()
    assert not (tmp_path / "site/models-3.html").exists()
    # every row on exactly one page, in the table's order
    ids = [
        re.findall(r'data-sort="([a-z0-9-]+)"><a href="models/', html) for html in (first, second)
    ]
    assert ids == [["gpt-3", "script-alert-1"], []]  # tiny has no page, so no link
    assert second.count("<tr>") == 1 + 1 and "Tiny Supercalifragilistic" in second
    assert "3 rows, 2 to a page: this is page 1 of 2, rows 1 to 2." in first
    assert "this is page 2 of 2, row 3." in second
    assert '<a href="models-2.html" rel="next">' in first and 'rel="prev"' not in first
    assert '<a href="models.html" rel="prev">' in second and 'rel="next"' not in second
    # page 2 is still the Models section, and counts only its own rows before filtering
    assert '<a href="models.html" aria-current="page">Models</a>' in second
    assert (
        '<span class="count" data-count-for="table-models" aria-live="polite">1 of 1 row' in second
    )
    home = (tmp_path / "site/index.html").read_text()
    assert '<a href="models.html">3 rows</a>' in home


def test_a_table_of_one_page_has_no_page_links(small_site):
    html = (small_site / "models.html").read_text()
    assert 'class="pager"' not in html and "to a page" not in html
    assert not list(small_site.glob("models-*.html"))


def _one_reason_each(tmp_path):
    """Small inputs plus one model per reason for a page, each with only that reason, and a
    plain one with none."""
    inputs = small_inputs(tmp_path)
    ids = ["corrected", "estimated", "noted", "in-memory", "referenced", "in-history"]
    ids += ["found", "plain"]
    plain = {"status": "value", "corrections": None, "reason": None}
    why = {
        "corrected": {"corrections": "gpt3-fix"},
        "estimated": {"status": "estimate"},
        "noted": {"reason": "kept 1 link; text that is not a link: 'see note'"},
    }
    provenance = pl.concat(
        [
            inputs.provenance,
            pl.DataFrame(
                [
                    {"table": "models", "model_id": m, "field": "params", "line": 30 + n}
                    | plain
                    | why.get(m, {})
                    for n, m in enumerate(ids)
                ]
            ),
        ],
        how="diagonal_relaxed",
    )
    return dataclasses.replace(
        inputs,
        models=pl.concat([inputs.models, pl.DataFrame({"model_id": ids})], how="diagonal_relaxed"),
        memory=pl.concat(
            [inputs.memory, pl.DataFrame({"model_id": ["in-memory"]})], how="diagonal"
        ),
        provenance=provenance,
        crossref=pl.concat(
            [inputs.crossref, inputs.crossref.with_columns(model_id=pl.lit("referenced"))]
        ),
        history=pl.concat(
            [inputs.history, inputs.history.head(1).with_columns(model_id=pl.lit("in-history"))]
        ),
        findings={
            **inputs.findings,
            "findings": [
                *inputs.findings["findings"],
                {**inputs.findings["findings"][0], "model_id": "found"},
            ],
        },
    )


def test_each_reason_alone_gives_a_subject_its_page(tmp_path):
    inputs = _one_reason_each(tmp_path / "in")
    assert subjects_with_pages(inputs) >= {
        "corrected",
        "estimated",
        "noted",
        "in-memory",
        "referenced",
        "in-history",
        "found",
    }
    assert "plain" not in subjects_with_pages(inputs)
    build_site(inputs, tmp_path / "site")
    pages = {p.stem for p in (tmp_path / "site/models").iterdir()}
    assert {"corrected", "noted", "in-history", "found"} <= pages and "plain" not in pages


def test_a_table_of_three_pages_links_first_last_and_nearby_pages(tmp_path):
    build_site(small_inputs(tmp_path / "in"), tmp_path / "site", rows_per_page=1)
    pagers = {
        n: re.search(r'<nav class="pager".*?</nav>', (tmp_path / f"site/{n}").read_text(), re.S)[0]
        for n in ("models.html", "models-2.html", "models-3.html")
    }
    links = {n: re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', p) for n, p in pagers.items()}
    assert links["models.html"] == [
        ("models-2.html", "2"),
        ("models-3.html", "3"),
        ("models-2.html", "Next ›"),  # noqa: RUF001 (the pager's own text)
        ("models-3.html", "Last »"),
    ]
    assert links["models-2.html"] == [
        ("models.html", "‹ Previous"),  # noqa: RUF001
        ("models.html", "1"),
        ("models-3.html", "3"),
        ("models-3.html", "Next ›"),  # noqa: RUF001
    ]
    assert links["models-3.html"] == [
        ("models.html", "« First"),
        ("models-2.html", "‹ Previous"),  # noqa: RUF001
        ("models.html", "1"),
        ("models-2.html", "2"),
    ]
    assert '<span aria-current="page">3</span>' in pagers["models-3.html"]
    assert "Previous</a> <a" in pagers["models-3.html"]  # links apart, also when copied


def test_equal_values_in_a_column_share_one_formatting_and_others_get_their_own():
    column = Column("params", "parameters", True)
    cells = distinct_cells([175e9, None, 175e9, 1.5e9, None], column.cell, "num")
    assert cells[0] == cells[2] != cells[3]
    assert ">175B<" in cells[0] and ">1.5B<" in cells[3]
    assert cells[1] == cells[4] and 'class="missing"' in cells[1]


def test_a_subject_pages_table_links_lead_to_the_page_that_holds_its_row(tmp_path):
    """With one row to a page, each table link in a subject page's breadcrumb opens the
    table's page that lists that subject (not the table's first page)."""
    build_site(small_inputs(tmp_path / "in"), tmp_path / "site", rows_per_page=1)
    site = tmp_path / "site"
    linked = []
    for page in sorted((site / "models").glob("*.html")):
        crumbs = re.search(r'<p class="crumbs">(.*?)</p>', page.read_text()).group(1)
        tables = re.findall(r'<a href="\.\./((?!index)[a-z]+(?:-[0-9]+)?\.html)">', crumbs)
        assert tables, page
        for table in tables:
            assert f'href="models/{page.name}"' in (site / table).read_text(), (page, table)
        linked += tables
    assert len(linked) >= 3 and any("-" in t for t in linked)  # some row is past page 1
