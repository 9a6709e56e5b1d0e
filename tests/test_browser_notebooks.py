"""Open the notebooks in JupyterLab in a real Chromium: charts draw, Chinese shows, widgets respond."""

from contextlib import contextmanager

import pytest
from browser import choose, chromium_page, external, jupyterlab, require_chromium, run_all_in_lab, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    require_chromium()
    with jupyterlab(tmp_path_factory.mktemp("lab")) as (url, token):
        yield url, token


@contextmanager
def notebook(lab, name: str, width: int = 1400, height: int = 1000):
    """Run every cell of a notebook in the shared JupyterLab; yield the page; check nothing left the machine."""
    url, token = lab
    with chromium_page(width, height) as (page, requests):
        run_all_in_lab(page, url, token, name)
        _no_errors(page)
        yield page
        assert external(requests) == []


def _no_errors(page):
    text = page.inner_text(".jp-Notebook")
    assert "Error displaying widget" not in text
    assert "Traceback" not in text
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0


def test_sources_notebook_renders_chart_viewer_and_chinese(lab):
    with notebook(lab, "01_sources.ipynb") as page:
        chart = page.locator(".js-plotly-plot").first
        chart.wait_for(timeout=30_000)
        page.wait_for_function(  # one trace per segment kind
            "document.querySelectorAll('.js-plotly-plot .barlayer .trace').length >= 5", timeout=30_000
        )
        viewer = page.locator(".bp-source-view").first
        assert "后背疼痛是什么原因" in viewer.text_content()
        assert viewer.locator("mark.bp-mention").count() > 20
        assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"')")
        screenshot(viewer, "01_sources_viewer")
        choose(page.locator(".widget-dropdown select").first, "en_midback")
        page.wait_for_function(
            "document.querySelector('.bp-source-view').textContent.includes('The backbone hurts')", timeout=30_000
        )
        screenshot(chart, "01_sources_chart")


def test_taxonomy_notebook_draws_treemap_and_quotes(lab):
    with notebook(lab, "02_cause_taxonomy.ipynb") as page:
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


def test_spine_vs_visceral_notebook_draws_heatmap_and_body_map(lab):
    with notebook(lab, "03_spine_vs_visceral.ipynb", 1400, 1100) as page:
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


def test_comparison_notebooks_render_every_chart(lab):
    with notebook(lab, "05_comparing_sources.ipynb", 1400, 1100) as page:
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
    with notebook(lab, "06_advice_vs_guidelines.ipynb", 1400, 1100) as page:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        screenshot(page.locator(".js-plotly-plot").first, "06_advice_bars")
        table = page.locator(".bp-advice-table").first
        assert table.locator("tr.bp-advice[data-stance='not_recommended']").count() >= 1
        assert "针灸" in table.text_content()
        screenshot(table, "06_advice_table")
