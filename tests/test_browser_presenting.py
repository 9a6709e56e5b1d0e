"""Presenting in class, in real Chromium: text scaled for a projector, instructor-only cells left out of the
apps, and nothing fetched from the internet by the Voilà index page, the apps or RISE slides.

Presenting mode has two switches (share/jupyter/voila/templates/backpain/presenting.html.j2): `?present=1`
in one browser tab, tested on the session's `make present` server, and `make present PRESENT=1` for the
whole server, tested on one extra server this module starts and stops. Font sizes are measured as
Chromium draws them (computed size times the CSS zoom in effect), in the page's text, in the widgets and
in plotly's SVG text. `browser_page` asserts that no request left the machine.
"""

from __future__ import annotations

import json
import sys

import pytest
from browser import (
    ROOT,
    browser_page,
    external,
    free_port,
    in_english,
    kernels_of,
    poll,
    ranking_labels,
    screenshot,
    server,
    tabs,
)

from backpain.teaching.instructor import HIDDEN_IN_APPS
from backpain.ui.strings import LAB, QUIZ, REASONING_CHARTS

pytestmark = [pytest.mark.browser, pytest.mark.heavy, pytest.mark.timeout(900)]
SERVED_WITHIN = 360_000  # Voilà runs the whole notebook before the page answers (see test_browser_present.py);
# the index lists the notebooks once the contents API answers, which a busy 2-core machine also delays
EN, ZH = 0, 1

BODY_PX = 20  # body text on a projector, at least
SMALL_PX = 16  # notes, table cells, widget labels, chart text, at least
STOCK_BODY_PX = 15  # without presenting mode, body text is smaller than this (so the test can fail)

# Every visible element that holds text of its own → its drawn font size: the computed size times the CSS
# zoom in effect, and for SVG text (plotly) times the scale its box is drawn at (plotly shrinks a bar label
# that does not fit with a transform, which the computed size does not show).
DRAWN_SIZES = """(scope) => {
  const out = [];
  for (const el of document.querySelectorAll(scope)) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    const local = el instanceof SVGGraphicsElement ? el.getBBox().height : 0;
    out.push({px: local ? size * box.height / local : size * (el.currentCSSZoom || 1),
              text: el.textContent.trim().slice(0, 40), tag: el.tagName, cls: String(el.className).slice(0, 40)});
  }
  return out;
}"""
BODY = "#rendered_cells .jp-RenderedMarkdown :is(p, li)"
ALL_TEXT = "#rendered_cells *"
CHART_TEXT = "#rendered_cells .js-plotly-plot svg text"
WIDGET_TEXT = "#rendered_cells :is(.widget-label, .widget-button, button, select, .widget-html-content) *, " + (
    "#rendered_cells :is(.widget-label, button, select)"
)


CULL_AFTER_S = 15  # the server below shuts down a kernel no page is connected to after this many idle seconds


@pytest.fixture(scope="module")
def present_server(tmp_path_factory):
    """Base URL of `make present PRESENT=1` (the whole server in presenting mode), stopped at module end.
    Its idle-kernel culling runs every second after CULL_AFTER_S (make present's defaults: 60 and 600)."""
    port = free_port()
    args = ["make", "--no-print-directory", "present", "PRESENT=1", f"PRESENT_PORT={port}", "VOILA_FLAGS=--no-browser"]
    args += [f"CULL_AFTER_S={CULL_AFTER_S}", "CULL_EVERY_S=1"]
    with server(args, "/", tmp_path_factory.mktemp("present1") / "present.log", port=port) as url:
        yield url


def _open_app(page, url: str, ready: str) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=SERVED_WITHIN)
    page.wait_for_selector(ready, timeout=SERVED_WITHIN)


def _sizes(page, scope: str) -> list[dict]:
    return page.evaluate(DRAWN_SIZES, scope)


def _smallest(sizes: list[dict]) -> dict:
    assert sizes, "no text measured"
    return min(sizes, key=lambda s: s["px"])


def _report(name: str, sizes: dict[str, list[dict]]) -> None:
    """Print the smallest drawn size per kind of text (shown with pytest -s)."""
    figures = {kind: round(_smallest(found)["px"], 1) for kind, found in sizes.items() if found}
    print(f"{name}: smallest drawn font size, px: {figures}", file=sys.stderr)


# --- presenting mode scales text ---------------------------------------------------------------------------


def test_presenting_mode_by_url_scales_text_widgets_and_charts(browser, present):
    """03 (tables, a heatmap, a widget) on the shared server: stock sizes, then the same page with ?present=1."""
    app = f"{present}/voila/render/03_spine_vs_visceral.ipynb"
    ready = "#rendered_cells .js-plotly-plot svg text"
    with browser_page(browser, 1280, 900) as (page, _requests):
        _open_app(page, app, ready)
        stock = _smallest(_sizes(page, BODY))
        assert stock["px"] < STOCK_BODY_PX, stock  # the measure can tell presenting from not
        stock_chart = _smallest(_sizes(page, CHART_TEXT))["px"]

        _open_app(page, app + "?present=1", ready)
        assert page.evaluate("document.documentElement.classList.contains('bp-present')")
        sizes = {kind: _sizes(page, scope) for kind, scope in (("body", BODY), ("all", ALL_TEXT))}
        sizes["chart"] = _sizes(page, CHART_TEXT)
        sizes["widget"] = _sizes(page, WIDGET_TEXT)
        _report("03 ?present=1", sizes)
        assert _smallest(sizes["body"])["px"] >= BODY_PX, _smallest(sizes["body"])
        assert _smallest(sizes["all"])["px"] >= SMALL_PX, _smallest(sizes["all"])
        assert _smallest(sizes["widget"])["px"] >= SMALL_PX, _smallest(sizes["widget"])
        assert _smallest(sizes["chart"])["px"] >= max(SMALL_PX, 1.5 * stock_chart), _smallest(sizes["chart"])
        screenshot(page, "presenting_03_en_1280")
        screenshot(page.locator("#rendered_cells .js-plotly-plot").first, "presenting_03_heatmap_1280")

        # the choice is kept for the tab: another page of the server without the parameter is still scaled;
        # ?present=0 ends it (the index page, which runs no notebook, shares the apps' presenting script)
        index = page.get_by_text("07_case_quiz.ipynb")
        page.goto(f"{present}/", wait_until="domcontentloaded")
        index.wait_for(timeout=60_000)
        assert page.evaluate("document.documentElement.classList.contains('bp-present')")
        page.goto(f"{present}/?present=0", wait_until="domcontentloaded")
        index.wait_for(timeout=60_000)
        assert not page.evaluate("document.documentElement.classList.contains('bp-present')")


@pytest.fixture(scope="module")
def present1_apps(browser, present_server):
    """Tabs: the quiz and the lab as `make present PRESENT=1` serves them, each opened once (at 1280 px, then
    resized to 1920 as a projector's screen would show it)."""
    url_of = lambda name: f"{present_server}/voila/render/{name}.ipynb"  # noqa: E731
    with tabs(browser, url_of, 1280, 800, timeout_ms=SERVED_WITHIN) as opened:
        yield opened


def _in_english_at(apps, name: str, width: int, ready: str, where: str, label: str) -> tuple:
    """(page, requests, how many requests it had made): the app brought to the front at `width`, switched
    back to English, once `label` is drawn in the element `where`."""
    page, requests = apps.open(name)
    page.bring_to_front()
    page.set_viewport_size({"width": width, "height": 1080 if width == 1920 else 800})
    page.wait_for_selector(ready, timeout=SERVED_WITHIN)
    in_english(page)
    page.wait_for_function("([s, t]) => document.querySelector(s).textContent.includes(t)", arg=[where, label])
    return page, requests, len(requests)


@pytest.mark.parametrize("width", [1280, 1920])
def test_make_present_with_present_1_scales_the_lab_and_the_quiz(present1_apps, width):
    """With PRESENT=1 every page is scaled without any parameter: the lab and the quiz, in English and 中文."""
    page, requests, first = _in_english_at(
        present1_apps, "07_case_quiz", width, ".bp-case", ".bp-case", QUIZ["case"][EN]
    )
    assert page.evaluate("document.documentElement.classList.contains('bp-present')")
    sizes = {"all": _sizes(page, ALL_TEXT), "widget": _sizes(page, WIDGET_TEXT), "body": _sizes(page, BODY)}
    _report(f"07 PRESENT=1 at {width}", sizes)
    assert _smallest(sizes["body"])["px"] >= BODY_PX, _smallest(sizes["body"])
    assert _smallest(sizes["all"])["px"] >= SMALL_PX, _smallest(sizes["all"])
    page.locator(".bp-case").scroll_into_view_if_needed()
    screenshot(page, f"presenting_07_quiz_en_{width}")
    page.get_by_role("button", name="中文").click()
    page.wait_for_function("t => document.querySelector('.bp-case').textContent.includes(t)", arg=QUIZ["case"][ZH])
    screenshot(page, f"presenting_07_quiz_zh_{width}")
    assert external(requests[first:]) == []

    lab = "04_differential_lab"
    page, requests, first = _in_english_at(
        present1_apps, lab, width, ".bp-ranking .bp-rank", ".bp-flags", LAB["flags"][EN]
    )
    sizes = {"all": _sizes(page, ALL_TEXT), "chart": _sizes(page, CHART_TEXT)}
    _report(f"04 PRESENT=1 at {width}", sizes)
    assert _smallest(sizes["all"])["px"] >= SMALL_PX, _smallest(sizes["all"])
    assert _smallest(sizes["chart"])["px"] >= SMALL_PX, _smallest(sizes["chart"])
    top = page.locator(".bp-ranking .bp-rank").first  # its text is in "all", measured above
    assert ranking_labels(page)[0] and "→" in top.get_attribute("title")  # pre → post on the row's tooltip
    page.locator(".bp-disclaimer").first.scroll_into_view_if_needed()
    screenshot(page, f"presenting_04_lab_en_{width}")
    page.locator(".widget-toggle-buttons").first.locator("button", has_text="中文").click()
    page.wait_for_function(  # the widgets are relabelled one by one: wait for the last ones
        "([f, r]) => document.querySelector('.bp-flags').textContent.includes(f)"
        " && document.querySelector('.bp-ranking-title').textContent.includes(r)",
        arg=[LAB["flags"][ZH], REASONING_CHARTS["ranking"][ZH]],
        timeout=30_000,
    )
    chart = _sizes(page, CHART_TEXT)
    _report(f"04 中文 PRESENT=1 at {width}", {"chart": chart})
    assert _smallest(chart)["px"] >= SMALL_PX, _smallest(chart)
    screenshot(page, f"presenting_04_lab_zh_{width}")
    assert external(requests[first:]) == []


# --- instructor-only cells ---------------------------------------------------------------------------------


def test_the_voila_template_hides_the_tags_the_instructor_copies_use():
    template = (ROOT / "share/jupyter/voila/templates/backpain/index.html.j2").read_text(encoding="utf-8")
    assert f"{{%- set hidden_tags = {json.dumps(list(HIDDEN_IN_APPS))} -%}}".replace('"', "'") in template


# --- nothing leaves the machine: the index page ------------------------------------------------


def test_the_voila_index_page_is_offline(browser, present):
    with browser_page(browser, 1280, 800) as (page, _requests):
        page.goto(f"{present}/", wait_until="networkidle", timeout=SERVED_WITHIN)
        page.get_by_text("07_case_quiz.ipynb").wait_for(timeout=SERVED_WITHIN)
        assert "cdn.jsdelivr.net" not in page.content()
        assert not page.evaluate("document.documentElement.classList.contains('bp-present')")
        page.goto(f"{present}/?present=1", wait_until="networkidle", timeout=SERVED_WITHIN)
        page.get_by_text("07_case_quiz.ipynb").wait_for(timeout=SERVED_WITHIN)
        assert page.evaluate("document.documentElement.classList.contains('bp-present')")
        size = _smallest(_sizes(page, "body *"))
        print(f"index ?present=1: smallest drawn font size {size['px']:.1f} px", file=sys.stderr)
        assert size["px"] >= SMALL_PX, size
        screenshot(page, "presenting_index_1280")


def test_make_present_with_present_1_scales_the_index_page_too(browser, present_server):
    with browser_page(browser, 1280, 800) as (page, _requests):
        page.goto(f"{present_server}/", wait_until="networkidle", timeout=SERVED_WITHIN)
        page.get_by_text("07_case_quiz.ipynb").wait_for(timeout=SERVED_WITHIN)
        assert page.evaluate("document.documentElement.classList.contains('bp-present')")
        assert _smallest(_sizes(page, "body *"))["px"] >= SMALL_PX


def test_a_closed_app_does_not_leave_its_kernel_running(browser, present1_apps, present_server):
    """Voilà's shutdown beacon on closing a page is refused (voila#1458), so `make present` culls the
    kernels no page is connected to; the apps still open keep theirs however long they sit idle."""
    for name in ("07_case_quiz", "04_differential_lab"):
        present1_apps.open(name)  # open, as the tests above left them
    kept = kernels_of(present_server)
    assert kept >= 2
    with browser_page(browser, 1280, 800) as (page, _requests):
        _open_app(page, f"{present_server}/voila/render/00_start_here.ipynb", BODY)
        assert kernels_of(present_server) == kept + 1
    poll(lambda: kernels_of(present_server) == kept, 4 * CULL_AFTER_S, "the closed page's kernel shut down")
    assert present1_apps.open("04_differential_lab")[0].locator(".bp-ranking .bp-rank").count() > 0
