"""`make present` as an instructor and students use it: every notebook as a Voilà app in real Chromium,
checked for layout, for what it leaves out, and, for the quiz and the differential lab, answered and ticked
by clicks, in English and in 中文.

All tests share one `make present` server (session fixture `present`) and one Chromium, and each app is
opened once (fixture `apps`): Voilà runs the whole notebook for every load, the slow part of these tests.
A test that uses an app first puts it in the state it needs with the app's own controls (English, Reset).
In 中文 mode the tests check the interface labels themselves, taken from backpain.vocab and
backpain.ui.strings, and that the English versions of those labels are gone. Nothing may leave the machine
(`browser_page` and the per-test request checks).

The layout check (layout_check.py) runs on every app: every output panel and every chart, at 1280 and
1920 px, then again after the app's own 中文 switch where it has one. Charts are also checked in the static
export (test_browser_export.py); what only exists live (the lab, the quiz, the pickers and explorers) is
checked here. The check knows nothing of the panels' DOM, so it keeps working when a widget is rebuilt.
"""

import nbformat
import pytest
from browser import RANKING_NAMES, ROOT, click_finding, external, in_english, ranking_labels, screenshot, tabs
from layout_check import charts_drawn, describe, settled, settled_problems, verdict

from backpain.teaching.instructor import hidden_in_apps
from backpain.ui.strings import LAB, QUIZ, REASONING_CHARTS
from backpain.vocab import ANSWER, FINDING_GROUP, SPLIT_GROUP, URGENCY

pytestmark = [pytest.mark.browser, pytest.mark.heavy, pytest.mark.timeout(600)]
# Voilà runs the whole notebook before the page answers; with the rest of the suite on the other core
# (kernels, JupyterLab, the export) the lab's first answer has taken over two minutes on this machine.
SERVED_WITHIN = 360_000

EN, ZH = 0, 1  # halves of a (english, chinese) phrase pair
NOTEBOOKS = [nb.stem for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
WIDTHS = (1280, 1920)
PANELS = ".jp-OutputArea-output"  # every output a notebook shows: widgets, HTML, tables


def texts(locator) -> list[str]:
    return [t.replace("\xa0", " ").strip() for t in locator.all_inner_texts()]


@pytest.fixture(scope="module")
def apps(browser, present):
    """Tabs: every notebook as `make present` serves it, each opened once, on first use."""
    url_of = lambda name: f"{present}/voila/render/{name}.ipynb"  # noqa: E731
    with tabs(browser, url_of, WIDTHS[0], timeout_ms=SERVED_WITHIN) as opened:  # the layout check's first width
        yield opened


# --- every app: layout, and what the apps leave out ----------------------------------------------------------


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_live_apps_never_overprint_or_cut_their_text(apps, name):
    """The notebook as a Voilà app (its widgets, tables and charts, the lab's too) at 1280 and 1920 px,
    in English and, where the app has a 中文 switch, in 中文."""
    page, _requests = apps.open(name)
    page.bring_to_front()  # a background tab's timers and animation frames are throttled
    in_english(page)
    switch = page.get_by_role("button", name="中文", exact=True)
    found = []
    for lang in ["en", "zh"] if switch.count() else ["en"]:
        if lang == "zh":
            switch.first.click()
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 1000})
            settled(page)
            charts_drawn(page)
            found.append(describe(settled_problems(page, PANELS), f"{name} app ({lang}, {width} px)"))
    verdict(found)


@pytest.mark.parametrize(
    "name, ready, hidden_text",
    [
        ("07_case_quiz", ".bp-case", ["The cases at a glance", "Exercise 7"]),
        ("04_differential_lab", ".bp-ranking .bp-rank", ["The same engine, in code"]),
    ],
)
def test_instructor_and_exercise_cells_are_left_out_of_the_apps(apps, name, ready, hidden_text):
    """Cells tagged for instructors or as exercises (instructor.HIDDEN_IN_APPS, which the Voilà template
    hides) stay in the notebook file that JupyterLab opens and are left out of the app."""
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    tagged = [c for c in nb.cells if hidden_in_apps(c)]
    assert tagged, f"{name}: no cell tagged to be hidden in apps"
    for text in hidden_text:  # the notebook file (what JupyterLab opens) keeps them, tagged
        assert any(text in c.source for c in tagged), text
    page, _requests = apps.open(name)
    page.wait_for_selector(ready, timeout=SERVED_WITHIN)
    page.wait_for_function("() => document.querySelector('#rendered_cells').style.display !== 'none'")
    shown = page.inner_text("#rendered_cells")
    for text in hidden_text:
        assert text not in shown, text
    assert page.locator("#rendered_cells [cell-index]").count() == len(nb.cells) - len(tagged)


# --- the quiz --------------------------------------------------------------------------------------------


def _answer(page, group: str, cause: str, urgency: str, correct: str) -> None:
    """Click the three choices as a student would, check, and wait for the cause's verdict."""
    page.locator(".widget-toggle-buttons").nth(1).locator("button", has_text=SPLIT_GROUP.label(group, "en")).click()
    select = page.locator(".widget-dropdown select").first
    labels = select.evaluate("s => [...s.options].map(o => o.textContent.replace(/\\u00a0/g, ' '))")
    select.select_option(index=labels.index(cause))
    page.locator(".widget-toggle-buttons").nth(2).locator("button", has_text=URGENCY.label(urgency, "en")).click()
    page.get_by_role("button", name=QUIZ["submit"][EN]).click()
    page.wait_for_selector(f".bp-feedback-part[data-part='cause'][data-correct='{correct}']", timeout=30_000)


def _score_reads(page, text: str) -> None:
    """The score is its own widget, updated just after the verdict: wait for it to read `text`."""
    page.wait_for_function("t => document.querySelector('.bp-score').innerText.includes(t)", arg=text, timeout=30_000)


def test_quiz_a_student_answers_and_switches_to_chinese(apps):
    page, requests = apps.open("07_case_quiz")
    first = len(requests)
    page.bring_to_front()
    page.set_viewport_size({"width": 1300, "height": 1200})
    page.wait_for_selector(".bp-case", timeout=SERVED_WITHIN)
    in_english(page)
    page.wait_for_function("t => document.querySelector('.bp-case').textContent.includes(t)", arg=QUIZ["case"][EN])
    assert "import backpain" not in page.content()  # code hidden
    _answer(page, "mechanical", "Lumbar muscle strain (chronic overuse)", "routine", "true")
    _score_reads(page, "1/1 causes")
    screenshot(page, "07_quiz_feedback")
    page.get_by_role("button", name=QUIZ["next"][EN]).click()
    page.wait_for_function("document.querySelector('.bp-case').textContent.includes('2/')", timeout=30_000)
    _answer(page, "visceral", "Angina pectoris", "emergency", "false")
    _score_reads(page, "1/2 causes")
    screenshot(page, "07_quiz_wrong_en")

    page.get_by_role("button", name="中文").click()
    page.wait_for_function(
        "t => document.querySelector('.bp-case').textContent.includes(t)", arg=f"{QUIZ['case'][ZH]} 2/"
    )
    page.wait_for_function(  # the widgets are relabelled one by one: wait for the last ones
        "([f, s]) => document.querySelector('.bp-feedback').textContent.includes(f)"
        " && document.querySelector('.bp-score').textContent.includes(s)",
        arg=[QUIZ["engine"][ZH], QUIZ["score"][ZH]],
    )
    page.wait_for_selector(".bp-feedback-part[data-part='cause'][data-correct='false']")  # answer kept
    case, feedback, score = (page.inner_text(s) for s in (".bp-case", ".bp-feedback", ".bp-score"))
    for key, where in (("case", case), ("disclaimer", case), ("engine", feedback), ("score", score)):
        assert QUIZ[key][ZH] in where, key
        assert QUIZ[key][EN] not in where, key
    assert QUIZ["wrong"][ZH] in page.inner_text(".bp-feedback-part[data-part='cause']")
    assert QUIZ["wrong"][EN] not in feedback and QUIZ["right"][EN] not in feedback
    origin, urgency = (page.locator(".widget-toggle-buttons").nth(i).locator("button") for i in (1, 2))
    assert texts(origin) == list(SPLIT_GROUP.labels("zh").values())
    assert texts(urgency) == list(URGENCY.labels("zh").values())
    assert URGENCY.label("emergency", "zh") == "急症：立即处理"
    buttons = texts(page.locator("button"))
    for key in ("submit", "next", "previous"):
        assert QUIZ[key][ZH] in buttons and QUIZ[key][EN] not in buttons, key
    screenshot(page, "07_quiz_zh")
    assert external(requests[first:]) == []


# --- the differential lab -------------------------------------------------------------------------------
# Running notebook 04 is the slow part (a kernel loads the knowledge base and draws the charts), so the
# lab tests share one page, opened once from `make present`. Each test starts from the state a student gets with
# the lab's own controls, English and Reset, and first checks that this state is the freshly drawn one
# (no flag, the pre-test ranking); each test checks that no request its clicks made left the machine.


def _english_and_reset(page) -> None:
    """The lab as a student gets it with its own controls: English, then Reset (no finding set)."""
    if page.inner_text(".bp-lab .bp-disclaimer").strip() != LAB["disclaimer"][EN]:
        page.locator(".widget-toggle-buttons").first.locator("button", has_text="English").click()
        page.wait_for_function(
            "t => document.querySelector('.bp-lab .bp-disclaimer').textContent.includes(t)", arg=LAB["disclaimer"][EN]
        )
    page.locator("button", has_text=LAB["reset"][EN]).click()
    page.wait_for_selector(".bp-lab .bp-no-flag")


@pytest.fixture(scope="module")
def lab_app(apps):
    """(page, requests, pre-test ranking): the differential lab served by `make present`, drawn once."""
    page, requests = apps.open("04_differential_lab")
    page.wait_for_selector(".bp-ranking .bp-rank", timeout=SERVED_WITHIN)
    assert page.locator(".bp-lab .bp-no-flag").count() == 1
    _english_and_reset(page)  # the layout check may have left it in 中文
    yield page, requests, ranking_labels(page)


@pytest.fixture
def lab(lab_app):
    """The shared lab page, back in English with no finding set (as Reset leaves it)."""
    page, requests, pretest = lab_app
    first = len(requests)
    page.bring_to_front()
    page.set_viewport_size({"width": 1400, "height": 1300})
    _english_and_reset(page)
    page.wait_for_function(  # the whole pre-test ranking drawn again, not just its top cause
        f"want => JSON.stringify(({RANKING_NAMES})()) === JSON.stringify(want)", arg=pretest, timeout=30_000
    )
    assert ranking_labels(page) == pretest
    assert page.locator(".bp-lab .bp-flag").count() == 0
    yield page
    assert external(requests[first:]) == []


def _wait_top(page, predicate_js: str, arg=None):
    page.wait_for_function(
        f"(arg) => {{ const top = ({RANKING_NAMES})()[0]; return top !== undefined && ({predicate_js}); }}",
        arg=arg,
        timeout=30_000,
    )


def _choose_preset(page, prefix: str) -> None:
    select = page.locator(".widget-dropdown select").first
    labels = select.evaluate("s => [...s.options].map(o => o.textContent)")
    select.select_option(index=next(i for i, t in enumerate(labels) if t.startswith(prefix)))


def _to_chinese(page) -> None:
    page.locator(".widget-toggle-buttons").first.locator("button", has_text="中文").click()
    page.wait_for_function(
        "t => document.querySelector('.bp-lab .bp-disclaimer').textContent.includes(t)", arg=LAB["disclaimer"][ZH]
    )
    page.wait_for_function(
        "([f, r]) => document.querySelector('.bp-lab .bp-flags').textContent.includes(f)"
        " && document.querySelector('.bp-ranking-title').textContent.includes(r)",
        arg=[LAB["flags"][ZH], REASONING_CHARTS["ranking"][ZH]],
        timeout=30_000,
    )


def _assert_lab_labels(page, lang: str) -> None:
    """The lab's own labels are the `lang` ones and the other language's versions are absent."""
    this, other = (EN, ZH) if lang == "en" else (ZH, EN)
    disclaimer = page.inner_text(".bp-lab .bp-disclaimer")
    assert LAB["disclaimer"][this] in disclaimer and LAB["disclaimer"][other] not in disclaimer
    flags = page.inner_text(".bp-lab .bp-flags")
    assert LAB["flags"][this] in flags and LAB["flags"][other] not in flags
    groups = texts(page.locator(".bp-group-label"))
    assert len(groups) == len(FINDING_GROUP), "every finding group is drawn, open or folded"
    assert set(groups) <= set(FINDING_GROUP.labels(lang).values())
    assert not set(groups) & set(FINDING_GROUP.labels("zh" if lang == "en" else "en").values())
    assert FINDING_GROUP.label("location", lang) in groups  # 疼痛部位 in 中文
    tooltips = set(page.locator(".bp-finding-assoc_fever button").evaluate_all("bs => bs.map(b => b.title)"))
    assert tooltips == set(ANSWER.labels(lang).values())  # the — ✔ ✘ tooltips are in the same language
    summary = page.inner_text(".bp-form-summary")
    assert LAB["summary"][this] in summary and LAB["summary"][other] not in summary
    buttons = texts(page.locator("button"))
    assert LAB["reset"][this] in buttons and LAB["reset"][other] not in buttons
    title = page.text_content(".bp-ranking-title")
    assert REASONING_CHARTS["ranking"][this] in title and REASONING_CHARTS["ranking"][other] not in title
    assert page.locator(".widget-dropdown label").first.inner_text().strip() == LAB["preset"][this]


def test_present_serves_the_lab_with_code_hidden(lab):
    assert "DifferentialLab(" not in lab.content()  # Voilà hides the code
    assert lab.inner_text(".bp-lab .bp-no-flag").strip() == LAB["no_flags"][EN]
    _assert_lab_labels(lab, "en")


def test_clicking_findings_moves_the_ranking_and_raises_flags(lab):
    page = lab
    pretest_top = ranking_labels(page)[0]
    for finding in ("loc_interscapular", "char_pressure", "agg_exertion", "assoc_sweating"):
        click_finding(page, finding)
    _wait_top(page, "/Angina|Myocardial/.test(top)")
    assert ranking_labels(page)[0] != pretest_top
    flag = page.locator(".bp-lab .bp-flag[data-flag='acute_coronary'][data-urgency='emergency']")
    flag.wait_for(timeout=30_000)
    assert URGENCY.label("emergency", "en") in flag.inner_text()
    _rest_drawn(page)  # the charts, why and ask-next follow once the clicks pause
    for width in (1280, 1920):
        page.set_viewport_size({"width": width, "height": 1000})
        screenshot(page, f"04_lab_cardiac_en_{width}")
    page.set_viewport_size({"width": 1400, "height": 1300})
    click_finding(page, "assoc_saddle_anaesthesia")
    page.wait_for_selector(".bp-lab .bp-flag[data-flag='cauda_equina']", timeout=30_000)
    assert page.locator(".bp-lab .bp-flag").first.get_attribute("data-urgency") == "emergency"


def _pressed(page) -> dict[str, str]:
    """{finding_id: state} of the findings the form shows as set."""
    return page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('.bp-finding[data-state]')]"
        ".filter(r => r.dataset.state !== 'unknown').map(r => [r.dataset.finding, r.dataset.state]))"
    )


def test_a_chip_clears_its_answer_and_the_form_never_wraps(lab):
    page = lab
    pretest = ranking_labels(page)
    click_finding(page, "assoc_saddle_anaesthesia")
    click_finding(page, "assoc_fever", "absent")
    page.wait_for_selector(".bp-lab .bp-flag[data-flag='cauda_equina']", timeout=30_000)
    assert _pressed(page) == {"assoc_saddle_anaesthesia": "present", "assoc_fever": "absent"}
    assert page.locator(".bp-chip").count() == 2
    counts = texts(page.locator(".bp-group-count"))
    assert [c for c in counts if c] == ["2 set"]  # both are "other symptoms"
    heights = page.locator(".bp-seg").evaluate_all("ss => [...new Set(ss.map(s => Math.round(s.offsetHeight)))]")
    assert len(heights) == 1, f"a — ✔ ✘ control wrapped onto two lines: heights {heights}"
    page.locator(".bp-chip[data-finding='assoc_saddle_anaesthesia']").click()
    page.wait_for_selector(".bp-lab .bp-no-flag", timeout=30_000)
    assert _pressed(page) == {"assoc_fever": "absent"}
    click_finding(page, "assoc_fever", "unknown")
    _wait_top(page, "top === arg", pretest[0])


def _rest_drawn(page) -> None:
    """Wait for what the lab redraws once the student pauses (why, ask next, the charts): the 'why' picker
    follows the ranking's top cause."""
    page.wait_for_function(
        f"() => {{ const top = ({RANKING_NAMES})()[0];"
        " const picker = document.querySelectorAll('.bp-lab .widget-dropdown select')[1];"
        " const chosen = picker && picker.selectedOptions[0];"
        " return !!top && !!chosen && chosen.textContent.replace(/\\u00a0/g, ' ').startsWith(top.replace('⚠ ', '')); }",
        timeout=30_000,
    )


def test_red_flags_stay_on_top_of_the_results_while_the_page_scrolls(lab):
    page = lab
    click_finding(page, "assoc_saddle_anaesthesia")
    panel = page.locator(".bp-lab .bp-flag-panel")
    page.wait_for_selector(".bp-lab .bp-flag[data-flag='cauda_equina']", timeout=30_000)
    _rest_drawn(page)
    first = (
        "p => !!(p.compareDocumentPosition(document.querySelector('.bp-ranking')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    assert panel.evaluate(first)  # the flags come before the ranking
    page.locator(".bp-lab .bp-why").first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_function("document.querySelector('.bp-lab .bp-flag-panel').getBoundingClientRect().top <= 20")
    top = "() => document.querySelector('.bp-ranking').getBoundingClientRect().top"
    pinned, ranking = panel.bounding_box()["y"], page.evaluate(top)
    page.mouse.move(900, 500)
    page.mouse.wheel(0, 300)
    page.wait_for_function(f"y => ({top})() < y - 100", arg=ranking)
    assert abs(panel.bounding_box()["y"] - pinned) <= 1  # the results moved, the flags did not
    assert 0 <= pinned <= 20 and panel.is_visible()
    page.locator(".bp-lab .bp-finding").last.evaluate("row => row.scrollIntoView({block: 'end'})")
    assert abs(panel.bounding_box()["y"] - pinned) <= 1  # still there at the form's last row
    page.mouse.wheel(0, -100_000)


def test_presets_reset_and_chinese(lab, kb):
    page = lab
    renal_zh = kb.engine.causes.loc["renal_colic", "name_zh"]
    _choose_preset(page, "40-year-old")
    _wait_top(page, "/Renal colic/.test(top)")
    preset = kb.lab_presets.set_index("preset_id").loc["renal_colic"]
    expected = {f: "present" for f in preset.present.split(";")} | {f: "absent" for f in preset.absent.split(";")}
    page.wait_for_function("n => document.querySelectorAll('.bp-chip').length === n", arg=len(expected))
    answers = _pressed(page)
    assert answers == expected
    _to_chinese(page)
    _wait_top(page, "top.includes(arg)", renal_zh)
    _assert_lab_labels(page, "zh")
    assert _pressed(page) == answers  # switching language keeps the answers
    _rest_drawn(page)
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"')")
    for width in (1280, 1920):
        page.set_viewport_size({"width": width, "height": 1000})
        page.locator(".bp-lab").first.scroll_into_view_if_needed()
        screenshot(page, f"04_lab_renal_zh_{width}")
    page.set_viewport_size({"width": 1400, "height": 1300})
    page.locator("button", has_text=LAB["reset"][ZH]).click()
    no_flag = page.locator(".bp-lab .bp-no-flag")
    no_flag.wait_for(timeout=30_000)
    assert no_flag.inner_text().strip() == LAB["no_flags"][ZH]


@pytest.mark.parametrize(
    "preset, flag, lang",
    [
        ("45-year-old", "cauda_equina", "en"),
        ("34岁", "spinal_infection", "zh"),
    ],
)
def test_red_flag_presets_put_the_flag_first(lab, preset, flag, lang):
    page = lab
    if lang == "zh":
        _to_chinese(page)
    _choose_preset(page, preset)
    page.wait_for_selector(f".bp-lab .bp-flag[data-flag='{flag}']", timeout=30_000)
    first = page.locator(".bp-lab .bp-flag").first
    urgency = first.get_attribute("data-urgency")
    assert urgency in {"emergency", "same_day"}
    other = "en" if lang == "zh" else "zh"
    assert URGENCY.label(urgency, lang) in first.inner_text()
    assert URGENCY.label(urgency, other) not in page.inner_text(".bp-lab .bp-flags")
    assert page.locator(".bp-lab .bp-ask[data-red-flag]").count() >= 1
    _assert_lab_labels(page, lang)
    _rest_drawn(page)
    screenshot(page, f"04_lab_{flag}_{lang}")
