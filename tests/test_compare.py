"""Source comparison, rubrics, advice and readability, against hand-checked facts about the five pages."""

import numpy as np
import pandas as pd
import pytest

from backpain import DataError
from backpain.knowledge.base import build
from backpain.sources import advice, compare, quality, readability
from backpain.ui import source_charts
from backpain.ui.exercise import RubricExercise
from backpain.ui.page_html import render_advice


def test_the_page_with_unrelated_qa_has_the_lowest_body_share(kb):
    shares = compare.segment_shares(kb.segments)
    body = shares[shares.kind == "body"].set_index("source_id").share
    unrelated = shares[shares.kind == "unrelated"].set_index("source_id").share
    assert body.idxmin() == "zh_fujian" == unrelated.idxmax()
    dup = shares[shares.kind == "duplicate"].set_index("source_id").share
    assert dup.idxmax() == "zh_postop" and dup.max() > 0.4  # the article printed twice


def test_the_machine_translated_page_names_the_most_causes(kb):
    sets = compare.cause_sets(kb.mentions)
    assert max(sets, key=lambda s: len(sets[s])) == "en_midback"
    unique = compare.unique_causes(kb.mentions)
    assert max(unique, key=lambda s: len(unique[s])) == "en_midback"
    assert "ankylosing_spondylitis" in unique["en_midback"] and "frozen_shoulder" in unique["zh_handan"]


def test_jaccard_is_a_similarity(kb):
    j = compare.jaccard(kb.mentions)
    np.testing.assert_allclose(np.diag(j), 1)
    np.testing.assert_allclose(j, j.T)
    a, b = compare.cause_sets(kb.mentions)["zh_handan"], compare.cause_sets(kb.mentions)["zh_fujian"]
    assert j.loc["zh_handan", "zh_fujian"] == pytest.approx(len(a & b) / len(a | b))
    table = compare.intersections(kb.mentions)
    assert table.iloc[0].n_sources == 5 and table.iloc[0].cause_id == "lumbar_muscle_strain"


def test_balance_can_t_miss_and_red_flags(kb):
    mix = compare.origin_mix(kb.mentions, kb.taxonomy)
    np.testing.assert_allclose(mix.sum(axis=1), 1)
    assert mix.loc["zh_postop"].get("visceral", 0) == 0 and mix.loc["zh_fujian", "visceral"] > 0.4
    cant = compare.cant_miss_named(kb.mentions, kb.taxonomy)
    assert "angina" in cant["zh_handan"] and "aortic_dissection" in cant["en_midback"]
    assert "zh_postop" not in cant.index  # names no can't-miss cause
    flags = compare.red_flag_coverage(kb.mentions, kb.red_flags, kb.taxonomy, kb.source_ids)
    assert flags.loc[["malignancy_history", "fracture_trauma", "aortic_dissection"], "en_midback"].all()
    assert not flags["en_spasms"].any()  # its red-flag list lost its items
    assert not flags.loc["cauda_equina"].any()  # no page names cauda equina syndrome


def test_rubric_scores_handle_not_applicable(kb):
    s = quality.scores(kb.ratings, kb.rubric_items)
    assert s.loc["zh_handan", "jama"] == 1 and s.loc["en_midback", "jama"] == 0  # named author vs anonymous
    assert s.loc["zh_fujian", "discern_items"] == 9  # section 2 not applicable: no treatment advice
    assert s.loc["zh_handan", "discern_items"] == 16
    fujian = kb.ratings[(kb.ratings.source_id == "zh_fujian") & (kb.ratings.instrument == "discern")]
    assert s.loc["zh_fujian", "discern_80"] == pytest.approx(fujian.score.mean() * 16, abs=0.05)
    assert (s.jama <= 4).all() and (s.discern_80 <= 80).all() and (s.discern_80 >= 16).all()
    assert quality.discern_band(30) == "poor" and quality.discern_band(70) == "excellent"


def test_every_rating_has_a_justification_and_a_missing_one_fails(kb, data_copy):
    assert kb.ratings.justification.str.len().min() > 10
    quoted = kb.ratings[kb.ratings.evidence.notna()]
    assert len(quoted) > 20
    for r in quoted.itertuples():
        source, span = r.evidence.split(":")
        start, end = map(int, span.split("-"))
        assert kb.text(source)[start:end] == r.quote
    ratings = pd.read_csv(data_copy / "quality" / "ratings.csv", dtype=str, keep_default_na=False)
    ratings.loc[7, "justification"] = ""
    ratings.to_csv(data_copy / "quality" / "ratings.csv", index=False)
    with pytest.raises(DataError, match=r"quality/ratings.csv, row 9, column 'justification': must not be empty"):
        build(data_copy)


def test_not_applicable_is_only_allowed_for_discern_section_2(data_copy):
    ratings = pd.read_csv(data_copy / "quality" / "ratings.csv", dtype=str, keep_default_na=False)
    i = ratings.index[(ratings.instrument == "jama")][0]
    ratings.loc[i, "score"] = ""
    ratings.to_csv(data_copy / "quality" / "ratings.csv", index=False)
    with pytest.raises(DataError, match="only DISCERN section 2 items may be 'not applicable'"):
        build(data_copy)


def test_advice_is_classified_against_the_guidelines(kb):
    table = advice.advice_table(kb.treatment_mentions, kb.treatments)
    against = advice.against_guidelines(table)
    assert {"lumbar_support", "acupuncture"} <= set(
        table[(table.source_id == "en_midback") & (table.stance == "not_recommended")].treatment_id
    )
    assert "acupuncture" in set(table[table.source_id == "zh_handan"].treatment_id)  # 按摩或者针灸
    assert set(against.source_id) <= set(kb.source_ids)
    summary = advice.advice_summary(table)
    assert summary.loc["en_midback"].sum() == summary.sum(axis=1).max()
    for r in kb.treatment_mentions.itertuples():
        assert kb.text(r.source_id)[r.start : r.end] == r.quote
    html = str(render_advice(table, "zh_handan", "zh"))
    assert "针灸" in html and 'data-stance="not_recommended"' in html


def test_readability_uses_a_method_per_language(kb):
    table = readability.readability(kb)
    en, zh = table[table.language == "en"], table[table.language == "zh"]
    assert en.flesch_reading_ease.between(0, 100).all() and en.flesch_reading_ease.notna().all()
    assert zh.flesch_reading_ease.isna().all()  # never a Flesch score for Chinese
    assert zh.chars_per_sentence.between(10, 80).all()
    easy = readability.english("The cat sat. The dog ran.")
    hard = readability.english(
        "Degenerative intervertebral osteochondrosis necessitates multidisciplinary consultation."
    )
    assert easy["flesch_reading_ease"] > 90 > 20 > hard["flesch_reading_ease"]


def test_rubric_exercise_compares_student_with_workbook(kb):
    ex = RubricExercise(kb, "zh_handan", "jama")
    ex.controls["authorship"].value = "1"
    ex.controls["currency"].value = "1"
    table = ex.compare()
    assert ex.last_summary["items"] == 2 and ex.last_summary["exact"] == 0.5
    assert table.loc["currency", "difference"] == 1
    assert "Agreement on 2 item(s)" in ex.result.value
    ex.instrument.value = "discern"
    assert "n/a" in ex.controls["q10"].options and "n/a" not in ex.controls["q01"].options


def test_comparison_charts(kb):
    fig = source_charts.coverage_heatmap(kb.mentions, kb.taxonomy, kb.source_ids, "zh")
    assert len(fig.data[0].y) == kb.mentions[kb.mentions.stance == "cause"].cause_id.nunique()
    rubric = source_charts.rubric_scores(quality.scores(kb.ratings, kb.rubric_items), kb.benchmarks)
    assert len(rubric.layout.shapes) >= 1  # a published benchmark band is drawn
    panels = source_charts.readability_panels(readability.readability(kb), kb.benchmarks)
    assert set(panels.data[0].x) == {"en_spasms", "en_midback"} and set(panels.data[1].x) == {
        "zh_handan",
        "zh_fujian",
        "zh_postop",
    }
