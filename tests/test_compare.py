"""Source comparison, rubrics, advice and readability: each function on a small hand-made frame whose answer
is worked out by hand. What these functions say about the five pages is in test_lesson_claims.py."""

import numpy as np
import pandas as pd
import pytest

from backpain import DataError
from backpain.knowledge.base import build
from backpain.sources import advice, compare, quality, readability
from backpain.ui import source_charts
from backpain.ui.exercise import RubricExercise
from backpain.ui.page_html import render_advice


def mentions(*rows) -> pd.DataFrame:
    """(source_id, cause_id) or (source_id, cause_id, stance) → a mentions frame."""
    return pd.DataFrame(
        [
            {
                "source_id": r[0],
                "start": i,
                "end": i + 1,
                "quote": "q",
                "cause_id": r[1],
                "stance": (r[2:] or ("cause",))[0],
            }
            for i, r in enumerate(rows)
        ]
    )


# A names x, y (and negates z); B names y, w; C names y; D names x.
MENTIONS = mentions(
    ("A", "x"), ("A", "y"), ("A", "y"), ("A", "z", "negated"), ("B", "y"), ("B", "w"), ("C", "y"), ("D", "x")
)
TAXONOMY = pd.DataFrame(
    {
        "cause_id": ["x", "y", "w", "z"],
        "origin": ["spine", "visceral", "spine", "serious_spinal"],
        "can_t_miss": [False, True, True, True],
    }
)


def test_segment_shares_by_hand():
    segments = pd.DataFrame(
        {
            "source_id": ["A", "A", "A", "B", "B"],
            "start": [0, 60, 100, 0, 10],
            "end": [60, 100, 120, 10, 50],
            "kind": ["body", "advert", "body", "title", "unrelated"],
        }
    )
    shares = compare.segment_shares(segments)
    assert shares[["source_id", "kind", "chars"]].values.tolist() == [
        ["A", "body", 80],
        ["A", "advert", 40],
        ["B", "title", 10],
        ["B", "unrelated", 40],
    ]
    assert shares.share.tolist() == pytest.approx([80 / 120, 40 / 120, 0.2, 0.8])


def test_cause_sets_and_unique_causes_by_hand():
    assert compare.cause_sets(MENTIONS) == {"A": {"x", "y"}, "B": {"y", "w"}, "C": {"y"}, "D": {"x"}}  # z negated
    assert compare.unique_causes(MENTIONS) == {"A": [], "B": ["w"], "C": [], "D": []}
    assert compare.sources_per_cause(MENTIONS).to_dict() == {"w": 1, "x": 2, "y": 3, "z": 1}  # any stance


def test_jaccard_and_intersections_by_hand():
    j = compare.jaccard(MENTIONS)
    assert list(j.index) == list(j.columns) == ["A", "B", "C", "D"]
    expected = [
        [1, 1 / 3, 1 / 2, 1 / 2],  # A∩B = {y} of {x, y, w}; A∩C = {y} of {x, y}; A∩D = {x} of {x, y}
        [1 / 3, 1, 1 / 2, 0],
        [1 / 2, 1 / 2, 1, 0],
        [1 / 2, 0, 0, 1],
    ]
    np.testing.assert_allclose(j.to_numpy(), expected)
    table = compare.intersections(MENTIONS)
    assert table.values.tolist() == [
        ["y", ("A", "B", "C"), 3],
        ["x", ("A", "D"), 2],
        ["w", ("B",), 1],
    ]


def test_origin_mix_cant_miss_and_red_flags_by_hand():
    mix = compare.origin_mix(MENTIONS, TAXONOMY)
    assert mix.to_dict("index") == {
        "A": {"spine": 0.5, "visceral": 0.5},
        "B": {"spine": 0.5, "visceral": 0.5},
        "C": {"spine": 0.0, "visceral": 1.0},
        "D": {"spine": 1.0, "visceral": 0.0},
    }  # the negated serious_spinal z counts nowhere
    cant = compare.cant_miss_named(MENTIONS, TAXONOMY)
    assert cant.to_dict() == {"A": ["y"], "B": ["w", "y"], "C": ["y"]}  # D names none: not listed
    flags = pd.DataFrame({"flag_id": ["f_y", "f_x", "f_w", "f_z"], "cause_ids": ["y;x", "x", "w;x", "z"]})
    cover = compare.red_flag_coverage(MENTIONS, flags, TAXONOMY, ["A", "B", "C", "D", "E"])
    assert cover.to_dict("index") == {
        "f_y": {"A": True, "B": True, "C": True, "D": False, "E": False},
        "f_x": {"A": False, "B": False, "C": False, "D": False, "E": False},  # x is not can't-miss
        "f_w": {"A": False, "B": True, "C": False, "D": False, "E": False},
        "f_z": {"A": False, "B": False, "C": False, "D": False, "E": False},  # negated, not named
    }


def test_source_overview_by_hand():
    sources = pd.DataFrame(
        {
            "source_id": ["A", "B"],
            "language": ["en", "zh"],
            "title": ["T", "标题"],
            "author": ["Dr A", None],
            "credentials": [None, None],
            "institution": [None, None],
            "site_type": ["blog", "portal"],
            "date": [None, "2020-01-01"],
            "translated_from": [None, None],
        }
    )
    segments = pd.DataFrame(
        {
            "source_id": ["A", "A", "B"],
            "start": [0, 30, 0],
            "end": [30, 40, 50],
            "kind": ["body", "advert", "unrelated"],
        }
    )
    ov = compare.source_overview(sources, segments, mentions(("A", "x"), ("A", "x"), ("A", "y"), ("B", "z", "negated")))
    assert ov.loc["A", ["author", "characters", "body_share", "causes_named"]].tolist() == ["Dr A", 40, 0.75, 2]
    assert ov.loc["B", ["author", "characters", "body_share", "causes_named"]].tolist() == ["—", 50, 0.0, 0]


ITEMS = pd.DataFrame(
    {
        "instrument": ["jama", "jama", "hon", "accuracy", "accuracy", "discern", "discern", "discern", "discern"],
        "item_id": ["a1", "a2", "h1", "c1", "c2", "d1", "d2", "d3", "d4"],
        "section": [None, None, None, None, None, "1", "1", "2", "2"],
    }
)


def ratings(source_id, scores, justification="a reason long enough") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_id": source_id,
            "instrument": ITEMS.instrument,
            "item_id": ITEMS.item_id,
            "score": pd.array(scores, dtype="Int64"),
            "justification": justification,
        }
    )


RATINGS = pd.concat(
    [
        ratings("S1", [1, 0, 1, 1, 1, 5, 3, 4, 2]),
        ratings("S2", [1, 1, 0, 0, 1, 2, 4, None, None]),  # section 2 not applicable
    ],
    ignore_index=True,
)


def test_rubric_scores_by_hand_with_not_applicable_items():
    s = quality.scores(RATINGS, ITEMS)
    assert s.loc["S1"].to_dict() == {
        "jama": 1,
        "hon": 1,
        "accuracy": 2,
        "discern_raw": 14,
        "discern_items": 4,
        "discern_80": 56.0,  # mean 3.5 × 16
        "discern_section1": 8,
        "accuracy_max": 2,
    }
    assert s.loc["S2"].to_dict() == {
        "jama": 2,
        "hon": 0,
        "accuracy": 1,
        "discern_raw": 6,
        "discern_items": 2,
        "discern_80": 48.0,  # mean of the two applicable items, 3, × 16
        "discern_section1": 6,
        "accuracy_max": 2,
    }


@pytest.mark.parametrize(
    "total, band",
    [
        (80, "excellent"),
        (63, "excellent"),
        (62.9, "good"),
        (51, "good"),
        (39, "fair"),
        (27, "poor"),
        (26.9, "very poor"),
    ],
)
def test_discern_bands_at_their_boundaries(total, band):
    assert quality.discern_band(total) == band


def test_agreement_by_hand():
    table = quality.agreement({"a1": 1, "a2": 1}, RATINGS, "S1", "jama")
    assert table.workbook.tolist() == [1, 0] and table.student.tolist() == [1, 1]
    assert table.difference.tolist() == [0, 1]
    assert quality.agreement_summary(table) == {"items": 2, "exact": 0.5, "within_one": 1.0, "mean_abs_difference": 0.5}
    discern = quality.agreement({"d1": 3, "d2": 4, "d3": 4}, RATINGS, "S2", "discern")  # d3 n/a in the workbook
    assert quality.agreement_summary(discern) == {
        "items": 2,
        "exact": 0.5,
        "within_one": 1.0,
        "mean_abs_difference": 0.5,
    }
    assert pd.isna(quality.agreement_summary(quality.agreement({}, RATINGS, "S1", "jama"))["exact"])
    with pytest.raises(KeyError, match="not jama items"):
        quality.agreement({"h1": 1}, RATINGS, "S1", "jama")


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


TREATMENTS = pd.DataFrame(
    {
        "treatment_id": ["t_rec", "t_not", "t_cov"],
        "name_en": ["Keep moving", "Corset", "Herbal rub"],
        "name_zh": ["保持活动", "护腰", "药酒"],
        "category": ["self_care", "device", "folk"],
        "stance": ["recommended", "not_recommended", "not_covered"],
        "guideline": ["nice_ng59", "nice_ng59", "none"],
        "position_en": ["NICE recommends it.", "NICE says no.", "Neither says."],
        "position_zh": ["推荐", "不推荐", "未涉及"],
        "status": ["confirmed", "confirmed", "unconfirmed"],
    }
)
TREATMENT_MENTIONS = pd.DataFrame(
    {
        "source_id": ["A", "A", "A", "B"],
        "start": [50, 30, 10, 5],
        "end": [56, 35, 15, 7],
        "quote": ["corset", "walk2", "walk1", "药酒"],
        "treatment_id": ["t_not", "t_rec", "t_rec", "t_cov"],
    }
)


def test_advice_table_summary_and_against_by_hand():
    table = advice.advice_table(TREATMENT_MENTIONS, TREATMENTS)
    assert table[["source_id", "treatment_id", "mentions", "first_quote", "first_start", "stance"]].values.tolist() == [
        ["A", "t_rec", 2, "walk1", 10, "recommended"],  # the first quote is the earliest on the page
        ["A", "t_not", 1, "corset", 50, "not_recommended"],
        ["B", "t_cov", 1, "药酒", 5, "not_covered"],
    ]
    summary = advice.advice_summary(table)
    assert list(summary.columns) == ["recommended", "not_recommended", "not_covered"]  # the vocabulary's order
    assert summary.to_dict("index") == {
        "A": {"recommended": 1, "not_recommended": 1, "not_covered": 0},
        "B": {"recommended": 0, "not_recommended": 0, "not_covered": 1},
    }
    against = advice.against_guidelines(table)
    assert against.values.tolist() == [["A", "Corset", "corset", "NICE says no."]]
    html = str(render_advice(table, "B", "zh"))
    assert "药酒" in html and 'data-stance="not_covered"' in html and "×1" in html and "unconfirmed" in html
    assert "corset" not in html  # only the chosen page


def test_the_curated_treatment_quotes_are_the_page_text(kb):
    for r in kb.treatment_mentions.itertuples():
        assert kb.text(r.source_id)[r.start : r.end] == r.quote
    table = advice.advice_table(kb.treatment_mentions, kb.treatments)
    assert table.mentions.sum() == len(kb.treatment_mentions)
    assert advice.advice_summary(table).to_numpy().sum() == len(table)


def test_english_readability_by_hand():
    easy = readability.english("The cat sat. The dog ran.")  # 6 one-syllable words, 2 sentences
    assert easy["words"] == 6 and easy["sentences"] == 2 and easy["words_per_sentence"] == 3
    assert easy["flesch_reading_ease"] == pytest.approx(206.835 - 1.015 * 3 - 84.6 * 1)
    assert easy["flesch_kincaid_grade"] == pytest.approx(0.39 * 3 + 11.8 * 1 - 15.59)
    hard = readability.english(
        "Degenerative intervertebral osteochondrosis necessitates multidisciplinary consultation."
    )
    assert easy["flesch_reading_ease"] > 90 > 20 > hard["flesch_reading_ease"]


def test_chinese_readability_by_hand():
    m = readability.chinese("我爱你。你好吗？ok!")  # two Chinese sentences of 3 characters; 'ok!' is not one
    assert m["sentences"] == 2 and m["chars_per_sentence"] == 3.0
    assert m["words_per_sentence"] == m["words"] / 2 and m["sentences_per_100_words"] == pytest.approx(200 / m["words"])
    assert "flesch_reading_ease" not in m  # never a Flesch score for Chinese


def test_readability_measures_each_page_body_with_its_language_method(kb):
    table = readability.readability(kb)
    assert list(table.index) == kb.source_ids
    lang = kb.sources.set_index("source_id").language
    assert (table.language == lang).all()
    assert (table.method[lang == "zh"] == "sentence length (jieba)").all()
    assert (table.method[lang == "en"] == "Flesch (pyphen syllables)").all()
    source = kb.source_ids[0]
    body = kb.segments_of(source)
    body = body[body.kind == "body"]
    assert readability.body_text(kb, source) == "\n".join(kb.text(source)[r.start : r.end] for r in body.itertuples())


def test_rubric_exercise_compares_student_with_workbook(kb):
    ex = RubricExercise(kb, "zh_handan", "jama")
    ours = kb.ratings[(kb.ratings.source_id == "zh_handan") & (kb.ratings.instrument == "jama")].set_index("item_id")
    authorship, currency = int(ours.score["authorship"]), int(ours.score["currency"])
    other = 1 - currency  # JAMA items are 0 or 1: disagree on currency, agree on authorship
    ex.controls["authorship"].value = str(authorship)
    ex.controls["currency"].value = str(other)
    table = ex.compare()
    assert ex.last_summary["items"] == 2 and ex.last_summary["exact"] == 0.5
    assert table.loc["currency", "difference"] == other - currency
    assert table.loc["authorship", "difference"] == 0
    assert "Agreement on 2 item(s)" in ex.result.value
    ex.instrument.value = "discern"
    assert "n/a" in ex.controls["q10"].options and "n/a" not in ex.controls["q01"].options


def test_comparison_charts(kb):
    fig = source_charts.coverage_heatmap(kb.mentions, kb.taxonomy, kb.source_ids, "zh")
    assert len(fig.data[0].y) == kb.mentions[kb.mentions.stance == "cause"].cause_id.nunique()
    rubric = source_charts.rubric_scores(quality.scores(kb.ratings, kb.rubric_items), kb.benchmarks)
    assert len(rubric.layout.shapes) >= 1  # a published benchmark band is drawn
    panels = source_charts.readability_panels(readability.readability(kb), kb.benchmarks)
    lang = kb.sources.set_index("source_id").language
    assert set(panels.data[0].x) == set(lang.index[lang == "en"])
    assert set(panels.data[1].x) == set(lang.index[lang == "zh"])
