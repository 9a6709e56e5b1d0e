"""The layout check (layout_check.py) over every notebook, at 1280 and 1920 px wide, in English and 中文.

Charts are checked in the static export (`make html`, built once per session by the `exported` and
`exported_zh` fixtures in conftest.py): the same figures the notebooks draw, without a kernel per page.
What only exists live (the lab in 04, the quiz in 07, the pickers and explorers) is checked in the
apps `make present` serves (one Voilà server per session): every output panel and every chart on the
page, then again after the page's own 中文 switch where it has one. The check knows nothing of the
panels' DOM, so it keeps working when a widget is rebuilt.

A failure names the notebook, width and language, the chart (number and title) or panel, and the two
texts with their boxes. Screenshots for a human are taken by the other browser tests, not here.
"""

from __future__ import annotations

import pytest
from browser import ROOT, browser_page
from layout_check import describe, layout_problems

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

NOTEBOOKS = [nb.stem for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
WIDTHS = (1280, 1920)
SERVED_WITHIN = 360_000  # Voilà runs the whole notebook before the page has loaded (see test_browser_present)
PANELS = ".jp-OutputArea-output"  # every output a notebook shows: widgets, HTML, tables


def _charts_drawn(page, timeout: int = 60_000) -> None:
    """Wait until every plotly chart on the page has drawn at its layout's width, and a responsive chart
    without a fixed width at its container's current width (plotly redraws those after a resize)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].every(gd => {"
        " const svg = gd.querySelector('.main-svg'); const full = gd._fullLayout; if (!svg || !full) return false;"
        " if (Math.abs(svg.getBoundingClientRect().width - full.width) >= 2) return false;"
        " const fixed = gd.layout && gd.layout.width; const responsive = gd._context && gd._context.responsive;"
        " return fixed || !responsive || Math.abs(full.width - gd.getBoundingClientRect().width) < 2; })",
        timeout=timeout,
    )


def _settled(page, quiet_ms: int = 400, timeout: int = 60_000) -> None:
    """Wait until the page's DOM has not changed for `quiet_ms` (widgets render asynchronously)."""
    page.evaluate(
        """([quiet, limit]) => new Promise((resolve, reject) => {
            let timer = setTimeout(done, quiet);
            const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quiet); });
            const deadline = setTimeout(() => { observer.disconnect(); reject(new Error('page never settled')); }, limit);
            function done() { observer.disconnect(); clearTimeout(deadline); resolve(); }
            observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
        })""",
        [quiet_ms, timeout],
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_exported_charts_never_overprint_or_cut_their_text(browser, exported, exported_zh, lang, width):
    """Every chart of every notebook, as `make html` exports it, at `width` px in `lang`."""
    folder = exported if lang == "en" else exported_zh
    found = []
    with browser_page(browser, width=width, height=1000, files=folder) as (page, _requests):
        for name in NOTEBOOKS:
            page.goto((folder / f"{name}.html").as_uri())
            _charts_drawn(page)
            found.append(describe(layout_problems(page), f"{name} ({lang}, {width} px)"))
    _verdict(found)


def _verdict(found: list[str]) -> None:
    lines = [line for f in found if f for line in f.splitlines()]
    assert not lines, "text over text, cut off or too small to read:\n" + "\n".join(lines)


@pytest.fixture(scope="module")
def app_pages(browser, present):
    """One Chromium page per notebook served by `make present`, loaded once (Voilà runs each notebook)."""
    pages = {}
    with browser_page(browser, width=WIDTHS[0], height=1000) as (page, _requests):
        context = page.context
        pages[NOTEBOOKS[0]] = page
        for name in NOTEBOOKS[1:]:
            pages[name] = context.new_page()
        yield pages


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_live_apps_never_overprint_or_cut_their_text(app_pages, present, name):
    """The notebook as a Voilà app (its widgets, tables and charts, the lab's too) at 1280 and 1920 px,
    in English and, where the app has a 中文 switch, in 中文."""
    page = app_pages[name]
    page.goto(f"{present}/voila/render/{name}.ipynb", wait_until="load", timeout=SERVED_WITHIN)
    languages = ["en"]
    switch = page.locator("button", has_text="中文")
    if switch.count():
        languages.append("zh")
    found = []
    for lang in languages:
        if lang == "zh":
            switch.first.click()
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 1000})
            _settled(page)
            _charts_drawn(page)
            problems = layout_problems(page, panels=PANELS)
            found.append(describe(problems, f"{name} app ({lang}, {width} px)"))
    _verdict(found)
