"""Injected markup in an ingested page never runs: checked in JupyterLab and in a bare HTML page."""

import pytest
from browser import chromium_page, external, jupyterlab, require_chromium, run_all_in_lab, screenshot

from backpain.knowledge.base import DEFAULT_DATA_DIR
from backpain.sources import ingest
from backpain.ui.page_html import render_ingested

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]
BLOG = DEFAULT_DATA_DIR / "examples" / "web_pages" / "why-does-my-back-hurt.html"


def test_escaped_page_in_a_bare_browser_page(kb, tmp_path):
    require_chromium()
    store = ingest.Store(tmp_path / "store")
    [outcome] = ingest.ingest([BLOG], store, kb)
    page_file = tmp_path / "page.html"
    page_file.write_text(
        f"<!doctype html><meta charset=utf-8><body>{render_ingested(kb, store, outcome.source_id)}</body>",
        encoding="utf-8",
    )
    with chromium_page() as (page, _requests):
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(page_file.as_uri())
        page.wait_for_selector(".bp-source")
        page.wait_for_timeout(500)
        assert page.evaluate("window.__pwned") is None and dialogs == []
        assert '<img src=x onerror="window.__pwned=true">' in page.inner_text(".bp-source")
        assert page.locator(".bp-source img, .bp-source script").count() == 0
        assert page.locator("mark.bp-mention").count() >= 4
        screenshot(page, "08_injection_escaped")


def test_your_own_sources_notebook_in_jupyterlab(tmp_path):
    require_chromium()
    with jupyterlab(tmp_path) as (url, token), chromium_page(1400, 1100) as (page, requests):
        run_all_in_lab(page, url, token, "08_your_own_sources.ipynb")
        assert "Traceback" not in page.inner_text(".jp-Notebook")
        assert page.evaluate("window.__pwned") is None
        sources = page.locator(".bp-source")
        assert sources.count() == 2
        assert "onerror" in sources.first.text_content()
        assert "腰肌勞損" in sources.nth(1).text_content()
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1", timeout=60_000)
        screenshot(sources.nth(1), "08_leaflet_auto")
        screenshot(page.locator(".js-plotly-plot").first, "08_coverage_with_auto")
        assert external(requests) == []
