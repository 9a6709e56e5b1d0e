"""Injected markup in an ingested page never runs in a bare HTML page (the JupyterLab side is checked in
test_browser_notebooks.py with notebook 08)."""

import pytest
from browser import browser_page, screenshot

from backpain.knowledge.base import DEFAULT_DATA_DIR
from backpain.sources import ingest
from backpain.ui.page_html import render_ingested

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]
BLOG = DEFAULT_DATA_DIR / "examples" / "web_pages" / "why-does-my-back-hurt.html"


def test_escaped_page_in_a_bare_browser_page(browser, kb, tmp_path):
    store = ingest.Store(tmp_path / "store")
    [outcome] = ingest.ingest([BLOG], store, kb)
    page_file = tmp_path / "page.html"
    page_file.write_text(
        f"<!doctype html><meta charset=utf-8><body>{render_ingested(kb, store, outcome.source_id)}</body>",
        encoding="utf-8",
    )
    with browser_page(browser, files=tmp_path) as (page, _requests):
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(page_file.as_uri(), wait_until="load")  # every resource the page asked for has loaded or failed
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__pwned") is None and dialogs == []
        assert '<img src=x onerror="window.__pwned=true">' in page.inner_text(".bp-source")
        assert page.locator(".bp-source img, .bp-source script").count() == 0
        assert page.locator("mark.bp-mention").count() >= 4
        screenshot(page, "08_injection_escaped")
