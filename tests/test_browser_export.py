"""`make html` as a reader gets it, in real Chromium, in English and in 中文.

Every notebook is exported once per language (session fixtures `exported` and `exported_zh` in
conftest.py) and each page is opened once, in a tab of its own; every check is made on that one load:
nothing is fetched from the network, plotly.js is in the page and every chart draws, the static-copy
note is there and each cell tagged "interactive" is replaced by its note, and the layout check
(layout_check.py) finds no text over text, cut off or too small, at 1280 and at 1920 px. For the second
width the tab is resized, not reloaded: opening a page (5 MB of plotly.js to run) costs far more than
checking it, and plotly redraws a responsive chart at the new width as it would on a reader's screen.
"""

from __future__ import annotations

import re
from contextlib import ExitStack

import nbformat
import pytest
from browser import ROOT, external, screenshot, tabs
from layout_check import charts_drawn, describe, layout_problems, verdict

pytestmark = [pytest.mark.browser, pytest.mark.heavy, pytest.mark.timeout(900)]

NOTEBOOKS = [nb.stem for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
LANGUAGES = ("en", "zh")
WIDTHS = (1280, 1920)


@pytest.fixture(scope="module")
def folders(exported, exported_zh) -> dict:
    return {"en": exported, "zh": exported_zh}


@pytest.fixture(scope="module")
def pages(browser, folders) -> dict:
    """{lang: Tabs}: the exported pages, one context per language, each page opened once on first use."""
    with ExitStack() as stack:
        yield {
            lang: stack.enter_context(
                tabs(browser, lambda name, f=folder: (f / f"{name}.html").as_uri(), WIDTHS[0], files=folder)
            )
            for lang, folder in folders.items()
        }


@pytest.mark.parametrize("name", NOTEBOOKS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_exported_page_is_offline_with_live_charts(folders, pages, lang, name):
    """One page per notebook: plotly.js inline, no script or stylesheet from a CDN, the static-copy note,
    each cell tagged "interactive" replaced by its note; in Chromium (file://, nothing may load from
    elsewhere) every chart draws."""
    html = (folders[lang] / f"{name}.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\ssrc=\"(https?:)?//", html), "a script is fetched from the network"
    assert not re.search(r"<link[^>]*\shref=\"(https?:)?//", html), "a stylesheet is fetched from the network"
    n_charts = html.count('class="plotly-graph-div"')
    if n_charts:
        assert "plotly.js v" in html  # the library itself is in the page
    notebook = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    n_interactive = sum("interactive" in c.metadata.get("tags", []) for c in notebook.cells)
    assert html.count("interactive widget: open this notebook in JupyterLab") == n_interactive

    page, requests = pages[lang].open(name)
    page.wait_for_function(
        "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n", arg=n_charts, timeout=60_000
    )
    assert page.locator(".js-plotly-plot").count() == n_charts
    note = page.inner_text(".bp-static-note")
    assert "Static copy for reading" in note and "静态阅读版" in note
    assert requests and external(requests, folders[lang]) == []
    if lang == "en":
        screenshot(page, f"html_{name}")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_exported_charts_never_overprint_or_cut_their_text(pages, lang, width):
    """Every chart of every notebook, as `make html` exports it, at `width` px in `lang`."""
    found = []
    for name in NOTEBOOKS:
        page, _requests = pages[lang].open(name)
        page.bring_to_front()  # a background tab's timers and animation frames are throttled
        page.set_viewport_size({"width": width, "height": 1000})
        charts_drawn(page)
        found.append(describe(layout_problems(page), f"{name} ({lang}, {width} px)"))
    verdict(found)
