"""The differential lab and the body map, driven from pytest by setting widget values."""

import html
import re

import numpy as np
import pandas as pd
import pytest

from backpain.knowledge import anatomy
from backpain.ui import bodymap
from backpain.ui.lab import DifferentialLab
from backpain.ui.reasoning_charts import evidence_ruler, findings_heatmap, pretest_posttest, ranking_bar, split_bar
from backpain.vocab import ORIGIN

ORIGIN_ORDER = list(ORIGIN)


@pytest.fixture
def lab(kb):
    return DifferentialLab(kb, lang="en")


def test_starts_with_pretest_probabilities_disclaimer_and_no_flag(lab):
    assert lab.result.present == () and "pre-test" in lab.message.value
    assert "Teaching model" in lab.disclaimer.value
    assert "bp-no-flag" in lab.flags.value


def test_ticking_findings_changes_ranking_and_raises_flags(lab):
    lab.controls["assoc_saddle_anaesthesia"].value = "present"
    assert 'data-flag="cauda_equina"' in lab.flags.value and 'data-urgency="emergency"' in lab.flags.value
    lab.set_findings(["loc_interscapular", "agg_exertion", "char_pressure", "assoc_sweating"])
    assert lab.result.top(1).index[0] in {"angina", "myocardial_infarction"}
    assert 'data-flag="acute_coronary"' in lab.flags.value and "cauda_equina" not in lab.flags.value
    bar = lab.last_figures["ranking"].data[0]
    assert bar.y[-1].endswith(lab.result.top(1).name_en.iloc[0])  # top cause drawn at the top


def test_absent_findings_count(lab):
    lab.set_findings(["loc_thoracic"])
    before = lab.result.ranking.loc["pneumonia"].posterior
    lab.controls["assoc_fever"].value = "absent"
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
    assert all(c.value == "unknown" for c in lab.controls.values())


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
    assert lab.labels["assoc_fever"].value.startswith("发热")
    assert "危险信号" in lab.flags.value and "急症" in lab.flags.value
    assert "教学模型" in lab.disclaimer.value
    assert re.search(r"[\u4e00-\u9fff]", lab.last_figures["ranking"].layout.title.text)
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
    assert len([s for s in fig.layout.shapes if s.type == "rect"]) == len(regions)
    assert any("左侧腰部" in t.text[0] for t in fig.data if t.mode == "text")
    with pytest.raises(ValueError, match="not a spinal level range"):
        anatomy.level_range("T13-L1")


def test_why_follows_the_top_cause_until_the_student_picks_one(lab):
    lab.set_findings(["loc_lumbar", "agg_movement"])
    first = lab.result.top(1).index[0]
    assert lab.why_cause.value == first
    lab.controls["char_colicky"].value = "present"
    lab.controls["loc_flank_left"].value = "present"
    lab.controls["assoc_haematuria"].value = "present"
    assert lab.result.top(1).index[0] == "renal_colic" != first
    assert lab.why_cause.value == "renal_colic"  # followed the new top cause, ruler too
    assert kb_name(lab, "renal_colic") in lab.last_figures["ruler"].layout.title.text
    lab.why_cause.value = "lumbar_muscle_strain"  # the student's choice is kept on the next click
    lab.controls["loc_radiates_groin"].value = "present"
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
    text = list(lab.last_figures["ranking"].data[0].text)
    assert "100.0%" not in text and "0.0%" not in text
