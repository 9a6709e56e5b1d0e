"""Open the notebooks in JupyterLab in a real Chromium: charts draw, Chinese shows, widgets respond.

All tests share one JupyterLab (session fixture `jupyter_lab`, a scratch copy of notebooks/), one
Chromium and one JupyterLab page: the front end is loaded once, then each test opens its notebook in
it, runs every cell, waits for the kernel to be idle, and closes the notebook and stops its kernel
afterwards. Each test checks that no request made while it ran left the machine (and `browser_page`
checks the whole page's requests at the end). RISE slides are opened from the same server.
"""

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser import ROOT, browser_page, choose, close_notebooks, external, open_lab, run_notebook, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.heavy, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def lab_page(browser, jupyter_lab):
    url, token = jupyter_lab
    with browser_page(browser) as (page, requests):
        open_lab(page, url, token)
        yield page, requests


@contextmanager
def notebook(lab_page, name: str, width: int = 1400, height: int = 1000):
    """Run every cell of a notebook in the shared JupyterLab page; yield the page; on leaving, close the
    notebook, stop its kernel and check that nothing left the machine."""
    page, requests = lab_page
    first = len(requests)
    page.set_viewport_size({"width": width, "height": height})
    try:
        run_notebook(page, name)
        _no_errors(page)
        yield page
    finally:
        close_notebooks(page)
    assert external(requests[first:]) == []


def _no_errors(page):
    text = page.inner_text(".jp-Notebook")
    assert "Error displaying widget" not in text
    assert "Traceback" not in text
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0


def test_sources_notebook_renders_chart_viewer_and_chinese(lab_page):
    with notebook(lab_page, "01_sources.ipynb") as page:
        chart = page.locator(".js-plotly-plot").first
        chart.wait_for(timeout=30_000)
        page.wait_for_function(  # one trace per segment kind
            "document.querySelectorAll('.js-plotly-plot .barlayer .trace').length >= 5", timeout=30_000
        )
        viewer = page.locator(".bp-source-view").first
        assert "后背疼痛是什么原因" in viewer.text_content()  # a Chinese source quoted as written
        assert viewer.locator("mark.bp-mention").count() > 20
        assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"')")
        screenshot(viewer, "01_sources_viewer")
        choose(page.locator(".widget-dropdown select").first, "en_midback")
        page.wait_for_function(
            "document.querySelector('.bp-source-view').textContent.includes('The backbone hurts')", timeout=30_000
        )
        screenshot(chart, "01_sources_chart")


def test_taxonomy_notebook_draws_treemap_and_quotes(lab_page):
    with notebook(lab_page, "02_cause_taxonomy.ipynb") as page:
        treemap = page.locator(".js-plotly-plot").first
        treemap.wait_for(timeout=30_000)
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot g.slice').length > 20", timeout=30_000)
        screenshot(treemap, "02_taxonomy_treemap")
        quotes = page.locator(".bp-cause-quotes").first
        assert "osteochondrosis" in quotes.text_content()
        choose(page.locator(".widget-dropdown select").first, "Frozen shoulder")
        page.wait_for_function(
            "document.querySelector('.bp-cause-quotes').textContent.includes('肩周炎')", timeout=30_000
        )
        screenshot(quotes, "02_taxonomy_quotes")


def test_spine_vs_visceral_notebook_draws_heatmap_and_body_map(lab_page):
    with notebook(lab_page, "03_spine_vs_visceral.ipynb", 1400, 1100) as page:
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=30_000)
        heatmap = page.locator(".js-plotly-plot").first
        page.wait_for_function(
            "document.querySelector('.js-plotly-plot .heatmaplayer image, .js-plotly-plot .hm image') !== null",
            timeout=30_000,
        )
        screenshot(heatmap, "03_heatmap")
        explorer = page.locator(".bp-region-details").first
        assert "Heart" in explorer.text_content()
        page.locator("button", has_text="Left flank (loin)").first.click()
        page.wait_for_function(
            "document.querySelector('.bp-region-details').textContent.includes('Renal colic')", timeout=30_000
        )
        body = page.locator(".js-plotly-plot").nth(1)
        screenshot(body.locator("xpath=ancestor::*[contains(@class,'widget-vbox')][1]"), "03_body_map")


def test_comparing_sources_notebook_renders_every_chart(lab_page):
    with notebook(lab_page, "05_comparing_sources.ipynb", 1400, 1100) as page:
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 7", timeout=60_000)
        plots = page.locator(".js-plotly-plot")
        for i, name in enumerate(
            ["coverage", "agreement", "origin_mix", "red_flags", "noise", "rubrics", "readability"]
        ):
            screenshot(plots.nth(i), f"05_{i}_{name}")
        page.locator(".bp-rubric-result").first.scroll_into_view_if_needed()
        form = page.locator(".bp-rubric-result").first.locator("xpath=..")
        form.locator(".widget-toggle-buttons").first.locator("button", has_text="1").click()
        page.get_by_role("button", name="Compare with the workbook").click()
        page.wait_for_function(
            "document.querySelector('.bp-rubric-result').textContent.includes('Agreement on 1 item')", timeout=30_000
        )
        screenshot(form, "05_rubric_exercise")


def test_advice_notebook_draws_bars_and_stance_table(lab_page):
    with notebook(lab_page, "06_advice_vs_guidelines.ipynb", 1400, 1100) as page:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        screenshot(page.locator(".js-plotly-plot").first, "06_advice_bars")
        table = page.locator(".bp-advice-table").first
        assert table.locator("tr.bp-advice[data-stance='not_recommended']").count() >= 1
        assert "针灸" in table.text_content()
        screenshot(table, "06_advice_table")


def test_your_own_sources_notebook_escapes_injected_markup(lab_page):
    """Ingested pages shown in JupyterLab: the injected <img onerror> is text, never run."""
    with notebook(lab_page, "08_your_own_sources.ipynb", 1400, 1100) as page:
        assert page.evaluate("window.__pwned") is None
        sources = page.locator(".bp-source")
        assert sources.count() == 2
        assert "onerror" in sources.first.text_content()
        assert sources.first.locator("img, script").count() == 0
        assert "腰肌勞損" in sources.nth(1).text_content()
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1", timeout=60_000)
        screenshot(sources.nth(1), "08_leaflet_auto")
        screenshot(page.locator(".js-plotly-plot").first, "08_coverage_with_auto")


def test_rise_slides_are_offline(browser, jupyter_lab):
    """RISE's default reveal theme ("simple") fetches Google fonts; the workbook's lab settings choose one
    whose fonts ship with RISE. The settings reach JupyterLab through the venv (`make setup` copies them)."""
    shipped = json.loads((ROOT / "share/jupyter/lab/settings/overrides.json").read_text(encoding="utf-8"))
    assert shipped["jupyterlab-rise:plugin"]["theme"] in {"white", "black"}
    installed = Path(sys.prefix) / "share/jupyter/lab/settings/overrides.json"
    assert installed.exists() and json.loads(installed.read_text(encoding="utf-8")) == shipped, (
        f"{installed} is not the workbook's: run `cp share/jupyter/lab/settings/overrides.json {installed}`"
    )
    url, token = jupyter_lab
    with browser_page(browser, 1280, 800) as (page, _requests):
        page.goto(f"{url}/rise/03_spine_vs_visceral.ipynb?token={token}", timeout=120_000)
        page.wait_for_selector(".reveal .slides section", timeout=120_000)
        page.wait_for_function("document.fonts.status === 'loaded'")
        page.wait_for_load_state("networkidle")
        assert "Source Sans Pro" in page.evaluate("getComputedStyle(document.querySelector('.reveal')).fontFamily")
        screenshot(page, "presenting_rise_03_1280")
