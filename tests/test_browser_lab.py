"""The differential lab as students see it: Voilà app in real Chromium, ticked by clicks."""

import pytest
from browser import chromium_page, click_finding, external, ranking_labels, require_chromium, screenshot, voila

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    require_chromium()
    with voila("04_differential_lab.ipynb", tmp_path_factory.mktemp("voila")) as url:
        yield url


def _open(page, url):
    page.goto(url, wait_until="domcontentloaded", timeout=120_000)
    page.wait_for_selector(".bp-ranking .js-plotly-plot", timeout=120_000)


def _wait_top(page, predicate_js: str):
    page.wait_for_function(
        "() => { const gd = document.querySelector('.bp-ranking .js-plotly-plot');"
        f" if (!gd) return false; const top = gd.data[0].y[gd.data[0].y.length - 1]; return {predicate_js}; }}",
        timeout=30_000,
    )


def test_clicking_findings_moves_the_ranking_and_raises_flags(app):
    with chromium_page(1400, 1300) as (page, requests):
        _open(page, app)
        assert "print(" not in page.content()  # Voilà hides the code
        assert "Teaching model" in page.inner_text(".bp-disclaimer")
        assert page.locator(".bp-no-flag").count() == 1
        pretest_top = ranking_labels(page)[0]
        for finding in ("loc_interscapular", "char_pressure", "agg_exertion", "assoc_sweating"):
            click_finding(page, finding)
        _wait_top(page, "/Angina|Myocardial/.test(top)")
        assert ranking_labels(page)[0] != pretest_top
        page.wait_for_selector(".bp-flag[data-flag='acute_coronary'][data-urgency='emergency']", timeout=30_000)
        screenshot(page, "04_lab_cardiac_en")
        click_finding(page, "assoc_saddle_anaesthesia")
        page.wait_for_selector(".bp-flag[data-flag='cauda_equina']", timeout=30_000)
        flags = page.locator(".bp-flag")
        assert flags.first.get_attribute("data-urgency") == "emergency"
        assert external(requests) == []


def test_presets_reset_and_chinese(app):
    with chromium_page(1400, 1300) as (page, requests):
        _open(page, app)
        page.locator(".widget-dropdown select").first.select_option(
            label=page.evaluate(
                "() => [...document.querySelector('.widget-dropdown select').options].map(o => o.textContent)"
                ".find(t => t.startsWith('40-year-old'))"
            )
        )
        _wait_top(page, "/Renal colic/.test(top)")
        page.locator("button", has_text="中文").click()
        page.wait_for_function(
            "document.querySelector('.bp-flags') && document.querySelector('.bp-flags').textContent.includes('危险信号')",
            timeout=30_000,
        )
        _wait_top(page, "/肾绞痛/.test(top)")
        assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"')")
        screenshot(page, "04_lab_renal_zh")
        page.locator("button", has_text="重置").click()
        page.wait_for_selector(".bp-no-flag", timeout=30_000)
        assert external(requests) == []


@pytest.mark.parametrize(
    "preset, flag, lang",
    [
        ("45-year-old", "cauda_equina", "en"),
        ("34岁", "spinal_infection", "zh"),
    ],
)
def test_red_flag_presets_put_the_flag_first(app, preset, flag, lang):
    with chromium_page(1400, 1300) as (page, requests):
        _open(page, app)
        if lang == "zh":
            page.locator("button", has_text="中文").click()
            page.wait_for_function(
                "document.querySelector('.bp-flags').textContent.includes('危险信号')", timeout=30_000
            )
        page.locator(".widget-dropdown select").first.select_option(
            label=page.evaluate(
                "(p) => [...document.querySelector('.widget-dropdown select').options].map(o => o.textContent)"
                ".find(t => t.startsWith(p))",
                preset,
            )
        )
        page.wait_for_selector(f".bp-flag[data-flag='{flag}']", timeout=30_000)
        assert page.locator(".bp-flag").first.get_attribute("data-urgency") in {"emergency", "same_day"}
        assert page.locator(".bp-ask[data-red-flag]").count() >= 1
        screenshot(page, f"04_lab_{flag}_{lang}")
        assert external(requests) == []
