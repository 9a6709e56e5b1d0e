"""The differential lab and the body map, driven from pytest by setting widget state."""

import asyncio
import html
import re

import numpy as np
import pandas as pd
import pytest

from backpain.knowledge import anatomy
from backpain.ui import bodymap
from backpain.ui.differential_html import render_ranking
from backpain.ui.lab import REST_DELAY_S, DifferentialLab
from backpain.ui.reasoning_charts import evidence_ruler, findings_heatmap, pretest_posttest, ranking_bar, split_bar
from backpain.ui.strings import REASONING_CHARTS
from backpain.vocab import ORIGIN

ORIGIN_ORDER = list(ORIGIN)


@pytest.fixture(autouse=True)
def no_running_loop():
    """The lab is used here as in a plain script, where no asyncio loop runs and it redraws every panel at
    once (the test with a loop of its own below checks the kernel's way); a loop left marked as running
    in this thread by another module (Playwright's, see the browser fixture) would defer the redraw."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    assert loop is None, f"an asyncio loop is marked as running in this thread: {loop!r}"


@pytest.fixture
def lab(kb):
    return DifferentialLab(kb, lang="en")


def test_starts_with_pretest_probabilities_disclaimer_and_no_flag(lab):
    assert lab.result.present == () and "pre-test" in lab.message.value
    assert "Teaching model" in lab.disclaimer.value
    assert "bp-no-flag" in lab.flags.value


def test_ticking_findings_changes_ranking_and_raises_flags(lab):
    lab.set_answer("assoc_saddle_anaesthesia", "present")
    assert 'data-flag="cauda_equina"' in lab.flags.value and 'data-urgency="emergency"' in lab.flags.value
    lab.set_findings(["loc_interscapular", "agg_exertion", "char_pressure", "assoc_sweating"])
    assert lab.result.top(1).index[0] in {"angina", "myocardial_infarction"}
    assert 'data-flag="acute_coronary"' in lab.flags.value and "cauda_equina" not in lab.flags.value
    top = lab.result.top(1)
    assert re.findall(r'data-cause="([a-z0-9_]+)"', lab.ranking.value)[0] == top.index[0]  # top cause first
    assert html.escape(top.name_en.iloc[0]) in lab.ranking.value


def test_absent_findings_count(lab):
    lab.set_findings(["loc_thoracic"])
    before = lab.result.ranking.loc["pneumonia"].posterior
    lab.set_answer("assoc_fever", "absent")
    assert lab.result.absent == ("assoc_fever",)
    assert lab.result.ranking.loc["pneumonia"].posterior < before


def test_presets_reset_and_why_panel(lab, kb):
    lab.preset.value = "renal_colic"
    assert lab.result.top(1).index[0] == "renal_colic"
    assert lab.why_cause.value == "renal_colic"
    assert "Colicky" in lab.why.value and "LR" in lab.why.value
    lab.why_cause.value = "lumbar_muscle_strain"
    assert "Against" in lab.why.value
    ruler = lab.last_figures["ruler"].data[0]
    assert len(ruler.x) == len(lab.result.contributions("lumbar_muscle_strain").query("lr != 1"))
    lab.reset()
    assert lab.result.present == () and lab.preset.value is None
    assert lab.form.answers == {} and lab.findings_set() == ([], [])


def test_source_quotes_appear_in_the_why_panel(lab):
    lab.set_findings(["agg_meals", "loc_abdominal_pain", "assoc_nausea_vomiting"])
    lab.why_cause.value = "pancreatitis"
    links = lab.engine.links
    stated = links[(links.cause_id == "pancreatitis") & (links.basis == "source")]
    stated = stated[stated.finding_id.isin(lab.result.used_present)]
    assert len(stated)  # the pages' own words back at least one of these findings
    for link in stated.itertuples():
        source = link.evidence.split(":")[0]
        assert f"{source}:" in lab.why.value and html.escape(link.quote)[:30] in lab.why.value


def test_language_switch_relabels_everything(lab):
    lab.preset.value = "cauda_equina"
    lab.language.value = "zh"
    assert lab.form.label("assoc_fever").startswith("发热")
    assert "危险信号" in lab.flags.value and "急症" in lab.flags.value
    assert "教学模型" in lab.disclaimer.value
    assert (
        REASONING_CHARTS["ranking"][1] in lab.ranking.value and REASONING_CHARTS["ranking"][0] not in lab.ranking.value
    )
    assert lab.result.present  # switching language keeps the findings


def test_ask_next_lists_questions(lab):
    lab.set_findings(["loc_thoracic"])
    assert lab.ask.value.count('class="bp-ask"') == 8
    assert "?" in lab.ask.value


def test_charts_for_a_differential(kb):
    d = kb.differential(["char_colicky", "loc_flank_left", "assoc_haematuria"])
    assert len(split_bar(d, "en").data) == 3
    assert ranking_bar(d, "zh", n=5).data[0].y[-1] == "肾绞痛"
    pp = pretest_posttest(d, "en")
    assert any(t.mode == "markers" for t in pp.data)
    ruler = evidence_ruler(d, "renal_colic", kb.engine.findings, "en")
    assert all(x > 0 for x in ruler.data[0].x)
    heat = findings_heatmap(kb.engine, ["agg_movement", "rel_rest", "agg_meals", "agg_exertion"], "en")
    z = np.asarray(heat.data[0].z, dtype=float)
    assert z.shape == (len(kb.engine.causes), 4)
    lr = kb.engine.links.set_index(["cause_id", "finding_id"]).lr_pos
    findings = ["agg_movement", "rel_rest", "agg_meals", "agg_exertion"]
    by_name = dict(zip(kb.engine.causes.name_en, kb.engine.causes.index))
    rows = [by_name[name] for name in heat.data[0].y]
    assert sorted(rows) == sorted(kb.engine.causes.index)
    origins = [ORIGIN_ORDER.index(kb.engine.causes.origin[c]) for c in rows]
    assert origins == sorted(origins)  # rows grouped by origin
    for i, cause in enumerate(rows):  # each cell is log10 LR+, or blank if the cause has no link
        for j, finding in enumerate(findings):
            if (cause, finding) in lr.index:
                assert z[i, j] == pytest.approx(np.log10(lr[(cause, finding)])), (cause, finding)
            else:
                assert np.isnan(z[i, j]), (cause, finding)
    assert np.isnan(z).any()  # unlinked cells are blank, not "neutral evidence"


def test_level_ranges_and_organs_for_region_by_hand():
    assert list(anatomy.level_range("C8-T2")) == [7, 8, 9]  # C1 is 0, so C8 is 7 and T1 is 8
    assert list(anatomy.level_range("L5-S1")) == [24, 25] and len(anatomy.level_range("T8-T8")) == 1
    regions = pd.DataFrame({"region_id": ["upper", "lower", "sacral"], "levels": ["T1-T6", "T10-L2", "S1-S5"]})
    organs = pd.DataFrame({"organ_id": ["heart", "kidney", "pancreas"], "levels": ["C8-T4", "T11-L1", "T8-T8"]})
    assert anatomy.organs_for_region(regions, organs) == {
        "upper": ["heart"],  # T1-T4 overlap
        "lower": ["kidney"],
        "sacral": [],  # T8 touches neither T1-T6 nor T10-L2
    }
    edge = pd.DataFrame({"region_id": ["edge"], "levels": ["T4-T8"]})
    assert anatomy.organs_for_region(edge, organs) == {"edge": ["heart", "pancreas"]}  # one shared segment is enough
    with pytest.raises(ValueError, match="top first"):
        anatomy.level_range("L1-T11")


def test_body_map_regions_organs_and_causes(kb):
    regions, organs = kb.body_regions, kb.organ_segments
    refer = anatomy.organs_for_region(regions, organs)
    assert set(refer) == set(regions.region_id)
    flank = anatomy.causes_for_region(kb.engine, "loc_flank_left")
    links = kb.engine.links
    expected = links[(links.finding_id == "loc_flank_left") & (links.lr_pos > 1)]
    assert set(flank.index) == set(expected.cause_id) and (flank.lr_pos > 1).all()
    assert flank.lr_pos.is_monotonic_decreasing
    fig = bodymap.body_map(regions, organs, kb.engine, "zh", selected="flank_left")
    drawn = [s for s in fig.layout.shapes if s.type == "rect" and s.opacity == 0.35]  # regions, not name grounds
    assert len(drawn) == len(regions)
    assert max(s.line.width for s in drawn) == 4, "the selected region is outlined"
    assert any("左侧腰部" in t.text[0] for t in fig.data if t.mode == "text")
    with pytest.raises(ValueError, match="not a spinal level range"):
        anatomy.level_range("T13-L1")


def test_why_follows_the_top_cause_until_the_student_picks_one(lab):
    lab.set_findings(["loc_lumbar", "agg_movement"])
    first = lab.result.top(1).index[0]
    assert lab.why_cause.value == first
    lab.set_answer("char_colicky", "present")
    lab.set_answer("loc_flank_left", "present")
    lab.set_answer("assoc_haematuria", "present")
    assert lab.result.top(1).index[0] == "renal_colic" != first
    assert lab.why_cause.value == "renal_colic"  # followed the new top cause, ruler too
    assert kb_name(lab, "renal_colic") in lab.last_figures["ruler"].layout.title.text
    lab.why_cause.value = "lumbar_muscle_strain"  # the student's choice is kept on the next click
    lab.set_answer("loc_radiates_groin", "present")
    assert lab.why_cause.value == "lumbar_muscle_strain"
    lab.preset.value = "cauda_equina"  # a new patient follows the top cause again
    assert lab.why_cause.value == lab.result.top(1).index[0]


def kb_name(lab, cause_id):
    return lab.engine.causes.loc[cause_id, "name_en"]


def test_ask_next_shows_red_flag_questions_first_then_informative_ones(lab):
    lab.set_findings(["assoc_saddle_anaesthesia", "loc_lumbar", "onset_after_lifting"])
    items = re.findall(r'data-finding="([a-z0-9_]+)" data-red-flag="([a-z_]*)"', lab.ask.value)
    flags = [bool(u) for _, u in items]
    assert flags[0] and flags == sorted(flags, reverse=True) and not all(flags)
    assert "onset_after_lifting" not in {f for f, _ in items}


def test_factors_are_listed_beside_the_ranking(lab):
    lab.set_findings(["hx_sedentary_work", "loc_lumbar"])
    assert "Contributing factors" in lab.flags.value and "sedentary" in lab.flags.value.lower()
    assert "sedentary_lifestyle" not in lab.result.ranking.index


def test_lab_refuses_an_unknown_language(kb):
    with pytest.raises(ValueError, match=r"one of \('en', 'zh'\)"):
        DifferentialLab(kb, lang="fr")


def test_a_new_patient_is_announced_in_the_labs_language(kb):
    lab = DifferentialLab(kb, lang="zh")
    assert "验前概率" in lab.message.value and "pre-test" not in lab.message.value
    lab.language.value = "en"
    assert "pre-test" in lab.message.value
    lab.set_answer("loc_lumbar", "present")
    assert lab.message.value == "", "said only while nothing is set"


def test_why_panel_in_chinese_shows_the_chinese_notes(kb):
    lab = DifferentialLab(kb, lang="zh")
    lab.preset.value = "renal_colic"
    links = kb.cause_findings.set_index(["cause_id", "finding_id"])
    shown = [f for f in lab.result.used_present if ("renal_colic", f) in links.index]
    assert shown
    for f in shown:
        link = links.loc[("renal_colic", f)]
        assert html.escape(link.note_zh) in lab.why.value and html.escape(link.note) not in lab.why.value


def test_probabilities_never_round_to_a_false_certainty(lab):
    from backpain.ui.reasoning_charts import percent

    assert (percent(0.99996), percent(0.00001), percent(0.5)) == (">99.9%", "<0.1%", "50.0%")
    lab.preset.value = "renal_colic"
    shown = re.findall(r">([<>]?[0-9.]+%)</span>", lab.ranking.value)
    assert shown and "100.0%" not in shown and "0.0%" not in shown


def test_the_form_is_one_widget_with_every_finding_grouped_and_labelled(lab, kb):
    form = lab.form
    findings = kb.engine.findings
    assert [f["id"] for f in form.findings] == list(findings.index)
    assert {f["group"] for f in form.findings} == {g["id"] for g in form.groups}
    assert form.label("assoc_fever") == findings.loc["assoc_fever", "label_en"]
    assert form.phrases["answers"] == {"unknown": "not asked", "present": "present", "absent": "absent"}
    assert form.phrases["n_set"].format(n=3) == "3 set"
    widgets = lab.view()
    todo, models = [widgets], 0
    while todo:
        node = todo.pop()
        models += 1
        todo += list(getattr(node, "children", ()) or ())
    assert models < 30  # a handful of models, not one per finding


def test_a_click_in_the_browser_is_a_change_of_answers(lab):
    lab.form.answers = {"assoc_saddle_anaesthesia": "present"}  # what the form's JavaScript sends
    assert lab.result.present == ("assoc_saddle_anaesthesia",)
    assert 'data-flag="cauda_equina"' in lab.flags.value
    lab.form.answers = {}  # a chip clicked away
    assert lab.result.present == () and "bp-no-flag" in lab.flags.value


def test_set_answer_clears_with_unknown_and_refuses_what_the_engine_refuses(lab):
    lab.set_answer("assoc_fever", "absent")
    lab.set_answer("loc_thoracic", "present")
    assert lab.findings_set() == (["loc_thoracic"], ["assoc_fever"])
    lab.set_answer("assoc_fever", "unknown")
    assert lab.form.answers == {"loc_thoracic": "present"}
    lab.set_answer("assoc_fevr", "present")
    assert "did you mean assoc_fever" in lab.message.value and lab.form.answers == {"loc_thoracic": "present"}
    with pytest.raises(ValueError, match="answer must be one of"):
        lab.set_answer("assoc_fever", "yes")


def test_switching_language_keeps_the_answers_and_the_chosen_cause(lab):
    lab.set_findings(["loc_lumbar", "agg_movement"], ["assoc_fever"])
    lab.why_cause.value = "renal_colic"
    answers = dict(lab.form.answers)
    lab.language.value = "zh"
    assert lab.form.answers == answers and lab.form.lang == "zh"
    assert lab.why_cause.value == "renal_colic"
    assert lab.form.groups[0]["label"] == "疼痛部位" and lab.form.phrases["answers"]["absent"] == "无"
    assert all(re.search(r"[\u4e00-\u9fff]", p) for k, p in lab.form.phrases.items() if isinstance(p, str))
    lab.language.value = "en"
    assert lab.form.answers == answers


def test_unchanged_charts_are_not_redrawn(lab, monkeypatch):
    drawn = []
    monkeypatch.setattr("backpain.ui.lab.show_plotly_json", lambda out, figure: drawn.append(out))
    lab.why_cause.value = lab.why_cause.value  # nothing changed
    lab.set_answer("hx_sedentary_work", "present")  # a contributing factor: listed, never ranked
    assert lab.prepost_out not in drawn
    lab.set_answer("assoc_saddle_anaesthesia", "present")
    assert lab.prepost_out in drawn


def test_the_form_script_never_writes_markup():
    from backpain.ui.finding_form import STATIC

    script = (STATIC / "finding_form.js").read_text(encoding="utf-8")
    assert "textContent" in script
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", script)
    assert "bp-finding-${finding.id}" in script  # the row class the browser tests look for


def test_the_why_panel_in_chinese_has_no_english_label_and_drops_english_only_notes(kb, monkeypatch):
    from backpain.ui.differential_html import render_why

    d = kb.differential(["char_colicky", "loc_flank_left"], ["agg_movement"])
    panel = render_why(d, "renal_colic", kb.references, "zh")
    assert "似然比" in panel and "LR " not in panel and "(present)" not in panel and "(absent)" not in panel
    assert "(有)" in panel and "(无)" in panel and "teaching estimate" not in panel
    english_only = d.contributions("renal_colic", "zh").assign(note="an English-only note", population="adults")
    monkeypatch.setattr(type(d), "contributions", lambda self, cause_id, lang="en": english_only)  # no zh column
    panel = render_why(d, "renal_colic", kb.references, "zh")
    assert "an English-only note" not in panel and "adults" not in panel
    assert "an English-only note" in render_why(d, "renal_colic", kb.references, "en")


def test_lab_snapshot_shows_a_preset_patient_with_red_flags_first(kb):
    from backpain.ui.lab_snapshot import lab_snapshot

    snap = lab_snapshot(kb, "cauda_equina", "en")
    preset = kb.lab_presets.set_index("preset_id").loc["cauda_equina"]
    assert preset.name_en in html.unescape(snap.header)
    shown = re.findall(r'data-finding="([a-z0-9_]+)" data-state="(present|absent)"', snap.header)
    assert [f for f, s in shown if s == "present"] == preset.present.split(";")
    first_flag, ranking = snap.header.index('class="bp-flag"'), snap.header.index("bp-snapshot-findings")
    assert 'data-flag="cauda_equina"' in snap.header and first_flag < snap.header.index('class="bp-ask"')
    assert ranking < first_flag  # the patient, then the flags, then what to ask
    top = snap.result.ranking.index[0]
    assert re.findall(r'data-cause="([a-z0-9_]+)"', snap.header)[0] == top  # the ranking, as the lab shows it
    assert first_flag < snap.header.index('class="bp-ranking"') < snap.header.index('class="bp-ask"')
    assert set(snap.figures) == {"split", "ruler"} and 'class="bp-why"' in snap.why
    zh = lab_snapshot(kb, "renal_colic", "zh")
    assert "预设病例" in zh.header and "似然比" in zh.why and "LR " not in zh.why
    with pytest.raises(KeyError, match="no preset patient 'nobody'"):
        lab_snapshot(kb, "nobody", "en")


def test_lab_snapshot_escapes_data_text(kb):
    from types import SimpleNamespace

    from backpain.ui.lab_snapshot import lab_snapshot

    presets = kb.lab_presets.copy()
    presets.loc[presets.preset_id == "renal_colic", "name_en"] = "<img src=x onerror=alert(1)>"
    snap = lab_snapshot(
        SimpleNamespace(lab_presets=presets, engine=kb.engine, references=kb.references), "renal_colic", "en"
    )
    assert "<img" not in snap.html() and "&lt;img" in snap.html()


def test_ranking_panel_draws_bars_on_one_scale_marks_cant_miss_and_escapes_names(kb):
    d = kb.differential(["assoc_saddle_anaesthesia", "assoc_bladder_bowel"])
    panel = render_ranking(d, "en", n=5)
    rows = re.findall(r'data-cause="([a-z0-9_]+)"', panel)
    assert rows == list(d.top(5).index)
    widths = [float(x) for x in re.findall(r"width:([0-9.]+)%;min-width", panel)]
    assert widths == pytest.approx([100 * p for p in d.top(5).posterior], abs=0.06)  # 0-100 %, not rescaled
    assert "⚠ " + html.escape(d.top(1).name_en.iloc[0]) in panel  # cauda equina: can't-miss
    hostile = d.ranking.assign(name_en='<img src=x onerror="alert(1)">')
    d.__dict__["ranking"] = hostile  # (a cached property) a name from an instructor's data is text, never markup
    assert "<img" not in render_ranking(d, "en") and "&lt;img" in render_ranking(d, "en")


def test_clicks_in_a_running_kernel_redraw_the_ranking_at_once_and_the_charts_once_after_a_pause(lab, monkeypatch):
    import asyncio

    drawn = []
    monkeypatch.setattr("backpain.ui.lab.show_plotly_json", lambda out, figure: drawn.append(out))

    async def clicks():
        for finding in ("loc_lumbar", "agg_movement", "rel_rest"):  # three quick clicks, as the form sends them
            lab.form.answers = {**lab.form.answers, finding: "present"}
            assert finding in lab.result.present and f'data-cause="{lab.result.top(1).index[0]}"' in lab.ranking.value
            await asyncio.sleep(REST_DELAY_S / 10)
        assert drawn == []  # the charts wait while the student is clicking
        await asyncio.sleep(REST_DELAY_S * 2)

    asyncio.run(clicks())
    assert drawn.count(lab.split_out) == 1 and drawn.count(lab.prepost_out) == 1  # once, for the last click
    assert lab.last_figures["split"].data[0].x[0] == pytest.approx(100 * lab.result.split["mechanical"])
    assert lab.why_cause.options[0][1] == lab.result.top(1).index[0]


def test_ask_next_never_shows_a_negative_zero(kb):
    from backpain.ui.differential_html import render_ask_next

    preset = kb.lab_presets.set_index("preset_id").loc["renal_colic"]  # visceral already ~100 %: nothing moves it
    panel = render_ask_next(kb.differential(preset.present.split(";"), preset.absent.split(";")), "en")
    assert "-0%" not in panel and "+0%" not in panel and "±0%" in panel
