"""What the notebooks' prose says about the five pages and the curated data, checked against the data.

Each test protects one claim. Its docstring names the notebook and quotes the sentence verbatim (in
“ ”); `test_every_quoted_sentence_is_still_in_its_notebook` checks that the quotation is still there.
If an instructor edits data/ and a test here fails, the data and the lesson no longer agree: change
the sentence (and the quotation here) or the data. The library's functions are tested on small
hand-made frames elsewhere; only here do tests assert facts about this particular corpus.
"""

import functools
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from backpain import DataError
from backpain.knowledge import anatomy
from backpain.knowledge.base import build
from backpain.knowledge.cases import load_cases
from backpain.sources import advice, compare, ingest, quality, readability
from backpain.sources.extract import Extractor
from backpain.sources.extraction_eval import (
    by_language,
    evaluate,
    held_out_evaluation,
    held_out_rounds,
    labeller_agreement,
    later_causes,
)
from backpain.ui import source_charts
from backpain.ui.tables import cause_table

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NOISE = {"advert", "navigation", "unrelated", "duplicate", "boilerplate"}
CLAIM = re.compile(r"(\d\d_\w+\.ipynb): “(.+?)”", re.S)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@functools.cache
def markdown(notebook: str) -> str:
    """All markdown cells of a notebook, whitespace collapsed (the prose wraps lines anywhere)."""
    nb = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))
    return _squash(" ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"))


def _claims():
    module = sys.modules[__name__]
    for name in dir(module):
        test = getattr(module, name)
        if name.startswith("test_") and callable(test) and test.__doc__ and CLAIM.search(test.__doc__):
            for notebook, sentence in CLAIM.findall(test.__doc__):
                yield pytest.param(notebook, _squash(sentence), id=f"{name}-{notebook}")


# --------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def shares(kb):
    return compare.segment_shares(kb.segments).pivot(index="source_id", columns="kind", values="share").fillna(0)


@pytest.fixture(scope="module")
def named(kb):
    """cause_id → how many pages name it as a cause of back pain."""
    return compare.sources_per_cause(kb.mentions[kb.mentions.stance == "cause"])


@pytest.fixture(scope="module")
def advice_table(kb):
    return advice.advice_table(kb.treatment_mentions, kb.treatments)


@pytest.fixture(scope="module")
def cases(kb):
    return load_cases(kb)


@pytest.fixture(scope="module")
def held_out(kb):
    return held_out_evaluation(kb)


def test_every_quoted_sentence_is_still_in_its_notebook():
    claims = list(_claims())
    assert len(claims) >= 50
    missing = [(p.values[0], p.values[1]) for p in claims if p.values[1] not in markdown(p.values[0])]
    assert not missing, "a protected sentence was reworded; update its test:\n" + "\n".join(map(str, missing))


# ------------------------------------------------------------------------------------ 00_start_here


def test_five_pages_three_chinese_two_english_one_translated(kb):
    """00_start_here.ipynb: “This workbook takes **five real web pages** (three Chinese, two English; one of them
    machine-translated from Russian) and uses them to teach three things:”"""
    src = kb.sources.set_index("source_id")
    assert len(src) == 5
    assert src.language.value_counts().to_dict() == {"zh": 3, "en": 2}
    translated = src[src.translated_from.notna()]
    assert translated.translated_from.tolist() == ["ru"] and translated.language.tolist() == ["en"]


def test_the_quiz_has_24_cases(cases):
    """00_start_here.ipynb: “24 cases: choose origin, cause and urgency; feedback from the model and the
    literature”"""
    assert len(cases) == 24


def test_the_course_takes_about_four_and_three_quarter_hours():
    """00_start_here.ipynb: “In all, about 4¾ hours: two or three sessions of a course.”"""
    rows = dict(re.findall(r"\| \*\*(\d\d_\w+)\*\*[^|]*\|[^|]*\| (\d+) min \|", markdown("00_start_here.ipynb")))
    assert len(rows) == 9
    for stem, minutes in rows.items():  # the map agrees with each notebook's own estimate
        estimate = re.search(r"\*\*Estimated time:\*\* (\d+) minutes", markdown(f"{stem}.ipynb"))
        assert estimate and estimate.group(1) == minutes, stem
    assert sum(map(int, rows.values())) == 4 * 60 + 45


def test_every_cause_traces_to_a_page_or_a_reference(kb):
    """00_start_here.ipynb: “Every cause and every claim in the workbook traces to a source span or a published
    reference.”"""
    named = set(kb.mentions.cause_id)
    causes = kb.causes
    cited = causes.reference_id.dropna()
    assert all(c in named or isinstance(causes.loc[c, "reference_id"], str) for c in causes.index)
    assert set(cited.str.split(";").explode()) <= set(kb.references.reference_id)
    for row in kb.mentions.itertuples():
        assert kb.text(row.source_id)[row.start : row.end] == row.quote


def test_loading_refuses_a_page_changed_by_one_byte(data_copy):
    """00_start_here.ipynb: “It validates every table and checks that the five pages are byte-for-byte
    unchanged.”"""
    page = data_copy / "sources" / "en_spasms.txt"
    page.write_bytes(page.read_bytes() + b" ")
    with pytest.raises(DataError, match=r"checksum mismatch for 'en_spasms\.txt'"):
        build(data_copy)


# ---------------------------------------------------------------------------------------- 01_sources


def test_who_wrote_what(kb):
    """01_sources.ipynb: “Note the range: two named hospital doctors with their titles, one unsigned article on a
    site called 乡间郎中 ("village doctor"), an English content farm with no author, and a machine translation
    whose "A source:" line names nothing.”"""
    src = kb.sources.set_index("source_id")
    for doctor in ("zh_handan", "zh_fujian"):
        assert src.loc[doctor, "author"] and "医师" in src.loc[doctor, "credentials"]
        assert "医院" in src.loc[doctor, "institution"]
    assert pd.isna(src.loc["zh_postop", "author"]) and "乡间郎中" in src.loc["zh_postop", "site_type"]
    assert pd.isna(src.loc["en_spasms", "author"]) and "content farm" in src.loc["en_spasms", "site_type"]
    assert pd.isna(src.loc["en_midback", "author"]) and src.loc["en_midback", "translated_from"] == "ru"
    lines = re.findall(r"A source:([^\n]*)", kb.text("en_midback"))
    assert lines and all(not rest.strip() for rest in lines)


def test_only_two_pages_name_an_author(kb):
    """01_sources.ipynb: “only two of the five pages name an author.”"""
    authors = kb.sources.set_index("source_id").author.dropna()
    assert sorted(authors.index) == ["zh_fujian", "zh_handan"]
    jama = kb.ratings[(kb.ratings.instrument == "jama") & (kb.ratings.item_id == "authorship")]
    assert set(jama[jama.score == 1].source_id) == set(authors.index)  # the rubric agrees


def test_zh_fujian_is_mostly_unrelated_answers_and_zh_postop_is_printed_twice(kb, shares):
    """01_sources.ipynb: “A page can be long and still say little: most of `zh_fujian` is a dozen answers about
    other complaints (breast pain, cervical cancer, sore throat …), and `zh_postop` prints its whole article
    twice.”"""
    assert shares.loc["zh_fujian", "unrelated"] > 0.5
    assert shares.body.idxmin() == "zh_fujian" == shares.unrelated.idxmax()
    answers = (kb.segments_of("zh_fujian").kind == "unrelated").sum()
    assert 10 <= answers <= 15  # "a dozen"
    dup = shares.duplicate
    assert dup.idxmax() == "zh_postop" and 0.45 < dup["zh_postop"] < 0.55  # half the page: the article again


def test_exercise_1_finds_emptied_lists_and_the_empty_source_line(kb):
    """01_sources.ipynb: “Find two sentences that end in `include:.` or `such as:.`”
    01_sources.ipynb: “Then open `en_midback` and find its "A source:" line.”"""
    assert len(re.findall(r"(?:include|such as):\.", kb.text("en_spasms"))) >= 2
    assert "A source:" in kb.text("en_midback")


def test_noise_is_a_large_share_of_some_pages(shares):
    """05_comparing_sources.ipynb: “A large share of some pages is navigation, adverts, unrelated Q&A or
    duplicated text.”"""
    noise = shares[[k for k in shares.columns if k in NOISE]].sum(axis=1)
    assert (noise > 0.5).sum() >= 2 and noise.max() > 0.8
    assert (noise < 0.1).sum() >= 1  # and not of every page


# --------------------------------------------------------------------------------- 02_cause_taxonomy


def test_treemap_sizes_are_page_counts_and_unnamed_causes_stay_visible(kb):
    """02_cause_taxonomy.ipynb: “Its **size** grows with the number of pages that name it (the count plus three,
    so that a cause no page names, one that comes from the literature such as cauda equina syndrome, still has
    a box that holds its name; a small category, such as the joints next to the spine (frozen shoulder,
    sacroiliac joint dysfunction), is drawn a little larger so that its own name fits).”"""
    n = compare.sources_per_cause(kb.mentions)
    tree = source_charts.taxonomy_treemap(kb.tree(), n, lang="en").data[0]
    size = {i: v for i, v in zip(tree.ids, tree.values) if i in kb.causes.index}
    assert "cauda_equina_syndrome" not in n.index and size["cauda_equina_syndrome"] == 3 == min(size.values())
    assert size["lumbar_muscle_strain"] == n["lumbar_muscle_strain"] + 3 == 8
    parent = kb.tree().set_index("cause_id").parent_id
    nearby = parent.index[parent == parent["frozen_shoulder"]]
    assert set(nearby) == {"frozen_shoulder", "sacroiliac_joint_dysfunction"}
    assert sum(n.get(c, 0) + 3 for c in nearby) < sum(size[c] for c in nearby) == source_charts.MIN_CATEGORY


def test_off_topic_conditions_are_left_out_of_the_tree(kb, named):
    """02_cause_taxonomy.ipynb: “Conditions that a page names only in an off-topic section (breast pain, hepatitis,
    knee injuries …) are left out of the picture: they are not causes of back pain.”"""
    unrelated = set(kb.taxonomy.cause_id[kb.taxonomy.origin == "unrelated"])
    assert {"breast_hyperplasia", "hepatitis_b", "meniscus_injury"} <= unrelated
    n = compare.sources_per_cause(kb.mentions)
    shown = set(source_charts.taxonomy_treemap(kb.tree(), n, lang="en").data[0].ids)
    assert not shown & unrelated
    assert unrelated <= set(source_charts.taxonomy_treemap(kb.tree(), n, include_unrelated=True).data[0].ids)
    off_topic = set(kb.mentions.cause_id[kb.mentions.stance == "off_topic"])
    assert "breast_hyperplasia" in off_topic


def test_icd10_codes_are_in_the_who_format(kb):
    """02_cause_taxonomy.ipynb: “Codes are from **WHO ICD-10, 2019 edition** (not the US ICD-10-CM, whose longer
    codes such as S39.012A do not exist in the WHO version).”"""
    codes = kb.taxonomy.icd10.dropna()
    assert len(codes) > 40
    assert codes.str.fullmatch(r"[A-Z]\d\d(\.\d)?").all(), list(codes[~codes.str.fullmatch(r"[A-Z]\d\d(\.\d)?")])
    assert "who_icd10_2019" in set(kb.references.reference_id)


def test_every_quote_is_the_text_at_its_offsets(kb):
    """02_cause_taxonomy.ipynb: “a test checks that `text[start:end]` is exactly the quote, for every one”"""
    assert len(kb.mentions) > 100
    assert all(kb.text(r.source_id)[r.start : r.end] == r.quote for r in kb.mentions.itertuples())


@pytest.mark.parametrize(
    "term, cause_id, source_id",
    [
        ("osteochondrosis", "degenerative_disc_disease", "en_midback"),
        ("Bechterew's disease", "ankylosing_spondylitis", "en_midback"),
        ("腰肌劳损", "lumbar_muscle_strain", "zh_handan"),
    ],
)
def test_the_pages_own_words_map_to_standard_concepts(kb, term, cause_id, source_id):
    """02_cause_taxonomy.ipynb: “*osteochondrosis* (post-Soviet usage) means degenerative disc disease,
    *Bechterew's disease* is ankylosing spondylitis, 腰肌劳损 is chronic lumbar muscle strain.”"""
    hits = kb.mentions[kb.mentions.quote.str.lower() == term.lower()]
    assert set(hits.cause_id) == {cause_id} and source_id in set(hits.source_id)
    lex = kb.lexicon[kb.lexicon.term.str.lower() == term.lower()]
    assert set(lex.cause_id) == {cause_id}


def test_the_post_soviet_terms_come_from_the_translated_page_alone(kb):
    """02_cause_taxonomy.ipynb: “*osteochondrosis* (post-Soviet usage) means degenerative disc disease,
    *Bechterew's disease* is ankylosing spondylitis, 腰肌劳损 is chronic lumbar muscle strain.”"""
    unique = compare.unique_causes(kb.mentions)
    assert "ankylosing_spondylitis" in unique["en_midback"]
    bechterew = kb.mentions[kb.mentions.quote.str.lower() == "bechterew's disease"]
    assert set(bechterew.source_id) == {"en_midback"}


def test_pages_name_every_origin_mostly_spinal_and_muscular(kb, named):
    """02_cause_taxonomy.ipynb: “The pages name causes of every biomedical origin, but most of their mentions are of
    spinal and muscular causes; visceral and serious causes are many but scattered, most of them named by
    a single page, and rarely explained.”"""
    origin = kb.taxonomy.set_index("cause_id").origin
    cause_mentions = kb.mentions[kb.mentions.stance == "cause"]
    by_origin = cause_mentions.cause_id.map(origin).value_counts()
    teaching = {"spine", "neurological", "visceral", "serious_spinal", "psychosocial", "postural", "post_surgical"}
    assert teaching <= set(by_origin.index)  # every origin of the notebook's list is named
    assert set(by_origin.index) - teaching <= {"unrelated"}  # the curated pages name no TCM pattern as a cause
    assert by_origin.idxmax() == "spine"
    assert by_origin[["spine", "postural"]].sum() > by_origin.sum() / 2
    assert named["lumbar_muscle_strain"] == 5  # the one cause every page names: a muscular one
    scattered = named[named.index.map(origin).isin(["visceral", "serious_spinal"])]
    spinal = named[named.index.map(origin) == "spine"]
    assert len(scattered) > len(spinal)  # many: more distinct causes than the spinal ones
    assert (scattered == 1).mean() > 0.5 and scattered.max() <= 3


def test_exercise_2_has_single_page_causes_including_can_t_miss(kb):
    """02_cause_taxonomy.ipynb: “Which causes are named by only one page? Filter `table` for `sources == 1`. Are
    any of them can't-miss causes?”"""
    table = cause_table(kb.tree(), compare.sources_per_cause(kb.mentions), "en")
    single = table[table.sources == 1]
    assert len(single) >= 5 and (single.cant_miss == "⚠").any()


# ------------------------------------------------------------------------------- 03_spine_vs_visceral


def test_serious_pathology_figure_is_cited(kb):
    """03_spine_vs_visceral.ipynb: “These patterns are rare in primary care (serious pathology in about 1% of
    acute low back pain: Henschke et al. 2009), but each needs action at the stated urgency whatever else is going
    on.”"""
    ref = kb.references.set_index("reference_id")
    assert "henschke2009" in ref.index
    assert (kb.red_flags.urgency.isin(["emergency", "urgent", "same_day", "soon"])).any()


def test_the_pretest_split_is_deyo_and_weinstein(kb):
    """03_spine_vs_visceral.ipynb: “*if only this were known, how would the share of visceral causes change from
    its pre-test 2% (Deyo & Weinstein 2001)?*”"""
    d = kb.engine.differential()
    assert d.split.to_dict() == pytest.approx(
        {"mechanical": 0.97, "non_mechanical_spinal": 0.01, "visceral": 0.02}, abs=1e-4
    )
    assert "deyo2001" in set(kb.references.reference_id)


def test_fever_is_rare_in_ordinary_back_pain_and_weighs_heavily(kb):
    """03_spine_vs_visceral.ipynb: “so a feature that ordinary back pain rarely has, such as fever, lifts the
    conditions that produce it by how rare it is in the others.”"""
    engine = kb.engine
    assert engine.findings.loc["assoc_fever", "background"] <= 0.05
    d0, d1 = engine.differential(), engine.differential(["assoc_fever"])
    infection, strain = (engine.causes.index.get_loc(c) for c in ("spinal_infection", "lumbar_muscle_strain"))
    moved = (d1.posterior[infection] / d1.posterior[strain]) / (d0.posterior[infection] / d0.posterior[strain])
    assert moved > 10


def test_most_frequencies_are_teaching_estimates_and_published_ones_name_a_population(kb):
    """03_spine_vs_visceral.ipynb: “Most frequencies are **teaching estimates**: the direction is well established,
    the size is a judgement. A minority are published figures, and each of those names the population it was
    measured in:”"""
    basis = kb.cause_findings.basis.value_counts()
    assert basis["teaching_estimate"] > basis.sum() / 2
    assert 0 < basis["literature"] < basis.sum() / 2
    lit = kb.cause_findings[kb.cause_findings.basis == "literature"]
    assert lit.population.notna().all() and lit.population_zh.notna().all()


@pytest.mark.parametrize(
    "reference, causes",
    [
        ("swap2005", {"angina", "myocardial_infarction"}),
        ("klompas2002", {"aortic_dissection"}),
        ("deville2000", None),
    ],
)
def test_the_named_studies_supply_published_frequencies(kb, reference, causes):
    """03_spine_vs_visceral.ipynb: “Swap & Nagurney 2005 for chest-pain features of acute coronary syndrome
    (patients with chest pain), Klompas 2002 for aortic dissection (patients *suspected* of dissection, so its
    figures are not the same in everyone with back pain), Devillé 2000 for the straight-leg raise (patients with
    sciatica).”"""
    lit = kb.cause_findings[(kb.cause_findings.basis == "literature") & (kb.cause_findings.evidence == reference)]
    assert not lit.empty
    if causes:
        assert set(lit.cause_id) & causes
    else:
        assert lit.finding_id.str.contains("slr|straight_leg").all(), set(lit.finding_id)


def test_some_links_quote_the_pages(kb):
    """03_spine_vs_visceral.ipynb: “Some links are stated by the source pages themselves, with the exact quote.”"""
    stated = kb.cause_findings[kb.cause_findings.basis == "source"]
    assert len(stated) >= 5
    for r in stated.itertuples():
        source, span = r.evidence.split(":")
        start, end = map(int, span.split("-"))
        assert kb.text(source)[start:end] == r.quote


def test_organs_refer_pain_to_the_regions_the_notebook_names(kb):
    """03_spine_vs_visceral.ipynb: “The heart (C8–T4) therefore refers between the shoulder blades and to the left
    arm; the kidneys and ureters (T11–L1) to the flank and groin; the pancreas (around T8) straight through to the
    mid-back.”
    03_spine_vs_visceral.ipynb: “heart → interscapular and arm, kidney → flank and groin, pancreas → through to
    the back.”"""
    levels = kb.organ_segments.set_index("organ_id").levels
    assert levels["heart"] == "C8-T4" and levels["kidney_bladder_uterus"] == "T11-L1"
    assert "T8" in levels["pancreas"]
    refer = anatomy.organs_for_region(kb.body_regions, kb.organ_segments)
    assert "heart" in refer["interscapular"] and "heart" not in refer["lumbar"]
    assert "kidney_bladder_uterus" in refer["flank_left"] and "kidney_bladder_uterus" in refer["flank_right"]
    assert "pancreas" in refer["thoracic"]
    flank = anatomy.causes_for_region(kb.engine, "loc_flank_left")
    assert "renal_colic" in flank.index
    groin = kb.engine.links[(kb.engine.links.finding_id == "loc_radiates_groin") & (kb.engine.links.lr_pos > 1)]
    assert "renal_colic" in set(groin.cause_id)


def test_the_segment_map_has_one_source(kb):
    """03_spine_vs_visceral.ipynb: “The segment map is from a patient-education site (spineinformation.org);
    textbooks give slightly different levels (for example T10–L1 for the kidney).”"""
    assert set(kb.organ_segments.reference_id) == {"spineinformation"}
    assert kb.organ_segments.set_index("organ_id").levels["kidney_bladder_uterus"] != "T10-L1"


def test_exercise_3_has_one_region_with_the_most_organs(kb):
    """03_spine_vs_visceral.ipynb: “Which region of the back receives pain from the most organs?”"""
    counts = pd.Series({r: len(o) for r, o in anatomy.organs_for_region(kb.body_regions, kb.organ_segments).items()})
    assert (counts == counts.max()).sum() == 1


def test_exercise_3_zh_handan_says_angina_radiates_to_the_shoulder_and_back(kb):
    """03_spine_vs_visceral.ipynb: “In `zh_handan`, the author says heart pain "radiates to the shoulder and
    back".”"""
    assert re.search(r"心绞痛[^。]*放射到肩背", kb.text("zh_handan"))


def test_referred_pain_follows_the_organ_not_movement(kb):
    """03_spine_vs_visceral.ipynb: “Pain referred from an organ usually changes little with movement; it tends to
    follow the organ's own rhythm (meals, breathing, exertion, waves of colic) and often comes with systemic signs
    (fever, sweating, vomiting, blood in the urine).”"""
    lr = kb.engine.links.set_index(["cause_id", "finding_id"]).lr_pos
    assert lr[("angina", "agg_exertion")] > 1 and lr[("angina", "agg_movement")] < 1
    assert lr[("pancreatitis", "agg_meals")] > 1
    assert lr[("renal_colic", "char_colicky")] > 1 and lr[("renal_colic", "assoc_haematuria")] > 1
    assert lr[("lumbar_muscle_strain", "agg_movement")] > 1
    split = pd.DataFrame(
        {f: kb.engine.differential([f]).split for f in ("agg_meals", "agg_exertion", "agg_movement", "rel_rest")}
    )
    pre = kb.engine.differential().split["visceral"]
    assert split.loc["visceral", ["agg_meals", "agg_exertion"]].gt(pre).all()
    assert split.loc["visceral", ["agg_movement", "rel_rest"]].lt(pre).all()


# -------------------------------------------------------------------------------- 04_differential_lab


def test_no_fever_lowers_the_infections(kb):
    """04_differential_lab.ipynb: “Absent findings count too: "no fever" lowers the infections.”"""
    before = kb.differential().ranking.posterior
    after = kb.differential(absent=["assoc_fever"]).ranking.posterior
    infections = ["spinal_infection", "pyelonephritis", "pneumonia"]
    assert (after[infections] < before[infections]).all()


@pytest.mark.parametrize(
    "start",
    ["58-year-old: pressure between the shoulder blades", "From zh_postop: suddenly cannot straighten the back"],
)
def test_exercise_4_presets_exist(kb, start):
    """04_differential_lab.ipynb: “Load the preset *"58-year-old: pressure between the shoulder blades…"*.”
    04_differential_lab.ipynb: “Load *"From zh_postop: suddenly cannot straighten the back after catching cold"*.”"""
    assert kb.lab_presets.name_en.str.startswith(start).sum() == 1


def test_exercise_4_the_cold_spasm_page_proposes_causes(kb):
    """04_differential_lab.ipynb: “Which causes does the page itself propose, and does the lab agree?”"""
    preset = kb.lab_presets.set_index("preset_id").loc["cold_spasm"]
    proposed = set(kb.mentions[(kb.mentions.source_id == "zh_postop") & (kb.mentions.stance == "cause")].cause_id)
    assert {"back_muscle_spasm", "facet_joint_syndrome", "cold_exposure"} <= proposed
    d = kb.differential(preset.present.split(";"), preset.absent.split(";") if isinstance(preset.absent, str) else [])
    assert set(d.top(3).index) & proposed


def test_exercise_4_saddle_anaesthesia_moves_the_flags_not_the_ranking(kb):
    """04_differential_lab.ipynb: “Add *saddle anaesthesia*. What happens to the ranking, and what happens to the
    red-flag panel? Why are these two different?”"""
    mechanical = ["loc_lumbar", "agg_movement", "rel_rest", "agg_palpation"]
    before, after = kb.differential(mechanical), kb.differential([*mechanical, "assoc_saddle_anaesthesia"])
    assert before.urgency == "routine" and after.urgency == "emergency"
    assert "cauda_equina" in set(after.red_flags.flag_id)
    assert after.top(1).index[0] == before.top(1).index[0] != "cauda_equina_syndrome"


# ------------------------------------------------------------------------------ 05_comparing_sources


def test_the_aggregator_names_the_most_causes_mostly_its_own(kb):
    """05_comparing_sources.ipynb: “The long machine-translated aggregator names the most causes, and most of them
    no other page names.”
    05_comparing_sources.ipynb: “More causes is not better: the widest page is a stitched machine translation.”"""
    sets, unique = compare.cause_sets(kb.mentions), compare.unique_causes(kb.mentions)
    widest = max(sets, key=lambda s: len(sets[s]))
    assert widest == "en_midback" == max(unique, key=lambda s: len(unique[s]))
    assert len(unique[widest]) > len(sets[widest]) / 2
    assert all(len(sets[widest]) > 2 * len(sets[s]) for s in sets if s != widest)
    src = kb.sources.set_index("source_id")
    assert src.loc[widest, "translated_from"] == "ru"
    ov = compare.source_overview(kb.sources, kb.segments, kb.mentions)
    assert ov.causes_named.idxmax() == widest and ov.characters.idxmax() == widest  # "long"
    quality_ = quality.scores(kb.ratings, kb.rubric_items)
    assert quality_.discern_80.idxmax() != widest or quality_.jama[widest] == 0  # breadth is not quality


def test_the_aggregator_stitched_six_articles(kb):
    """05_comparing_sources.ipynb: “Breadth is not quality: it stitched six articles together.”"""
    assert len(re.findall(r"A source:", kb.text("en_midback"))) == 6
    assert "six" in kb.sources.set_index("source_id").site_type["en_midback"]


def test_the_two_doctors_overlap_with_each_other_most(kb):
    """05_comparing_sources.ipynb: “The two hospital doctors' answers are short and overlap with each other more
    than with anyone else.”"""
    j = compare.jaccard(kb.mentions)
    pair = j.loc["zh_handan", "zh_fujian"]
    for doctor in ("zh_handan", "zh_fujian"):
        others = j.loc[doctor].drop(["zh_handan", "zh_fujian"])
        assert pair > others.max(), doctor
    body = kb.segments[kb.segments.kind == "body"].assign(n=lambda s: s.end - s.start).groupby("source_id").n.sum()
    assert body[["zh_handan", "zh_fujian"]].max() < 1000 < body[["en_spasms", "en_midback"]].min()  # short


def test_pages_agree_little_and_dangers_are_named_by_few(kb, named):
    """05_comparing_sources.ipynb: “Pages agree little; the dangerous causes are named by few pages and red-flag
    advice is patchy.”"""
    j = compare.jaccard(kb.mentions).to_numpy()
    off = j[~np.eye(len(j), dtype=bool)]
    assert off.max() < 0.5 and off.mean() < 0.25
    assert compare.intersections(kb.mentions).iloc[0].cause_id == "lumbar_muscle_strain"
    cant_miss = kb.taxonomy.cause_id[kb.taxonomy.can_t_miss]
    assert named.reindex(cant_miss).fillna(0).max() <= 3
    flags = compare.red_flag_coverage(kb.mentions, kb.red_flags, kb.taxonomy, kb.source_ids)
    assert not flags.all(axis=1).any()  # no warning is given by every page
    assert flags.any(axis=1).mean() < 0.75  # and a quarter or more by none
    assert flags.sum().idxmax() == "en_midback"
    assert flags.loc[["malignancy_history", "fracture_trauma", "aortic_dissection"], "en_midback"].all()


def test_en_spasms_describes_the_signs_but_never_names_cauda_equina(kb):
    """05_comparing_sources.ipynb: “Note what this matrix cannot see: `en_spasms` *describes* saddle numbness,
    incontinence and sudden weakness ("you may have a serious spinal condition") but the list that should name
    the causes lost its items, so it never names cauda equina syndrome nor says to seek emergency care.”"""
    text = kb.text("en_spasms").lower()
    assert {"numbness", "incontinence", "weakness"} <= set(re.findall(r"[a-z]+", text))
    assert "emergency" not in text
    flags = compare.red_flag_coverage(kb.mentions, kb.red_flags, kb.taxonomy, kb.source_ids)
    assert not flags["en_spasms"].any()
    assert "cauda_equina_syndrome" not in compare.cause_sets(kb.mentions)["en_spasms"]
    assert not flags.loc["cauda_equina"].any()  # and no other page names it either


def test_some_pages_name_no_viscera_or_no_can_t_miss_cause(kb):
    """05_comparing_sources.ipynb: “A page that lists only muscles and discs leaves the reader unaware that the
    heart, the aorta or the kidney can hurt in the back.”
    05_comparing_sources.ipynb: “A page that names no can't-miss cause gives no reason to seek urgent care.”"""
    mix = compare.origin_mix(kb.mentions, kb.taxonomy)
    assert mix.loc["zh_postop"].get("visceral", 0) == 0 and mix.loc["en_spasms"].get("visceral", 0) == 0
    assert mix.loc["zh_fujian", "visceral"] > 0.4
    cant = compare.cant_miss_named(kb.mentions, kb.taxonomy)
    assert "zh_postop" not in cant.index
    assert "angina" in cant["zh_handan"] and "aortic_dissection" in cant["en_midback"]


def test_discern_section_2_is_not_applicable_where_no_treatment_is_advised(kb):
    """05_comparing_sources.ipynb: “DISCERN was designed for *treatment* information; where a page gives no
    treatment advice its section-2 items are marked *not applicable* and the total is scaled from the items that
    apply.”"""
    s = quality.scores(kb.ratings, kb.rubric_items)
    assert s.loc["zh_fujian", "discern_items"] == 9
    assert (s.drop("zh_fujian").discern_items == 16).all()
    r = kb.ratings.merge(kb.rubric_items[["instrument", "item_id", "section"]], on=["instrument", "item_id"])
    na = r[(r.instrument == "discern") & r.score.isna()]
    assert set(na.source_id) == {"zh_fujian"} and set(na.section) == {"2"}
    fujian = r[(r.source_id == "zh_fujian") & (r.instrument == "discern")]
    assert s.loc["zh_fujian", "discern_80"] == pytest.approx(fujian.score.mean() * 16, abs=0.05)
    assert s.loc["zh_fujian", "discern_raw"] < s.loc["zh_fujian", "discern_80"]


def test_only_confirmed_benchmarks_are_drawn(kb):
    """05_comparing_sources.ipynb: “The orange bands are published means for back- and neck-pain material (only
    figures confirmed in the primary source are drawn).”"""
    s = quality.scores(kb.ratings, kb.rubric_items)
    fig = source_charts.rubric_scores(s, kb.benchmarks)
    bands = [(shape.y0, shape.y1) for shape in fig.layout.shapes]
    assert len(bands) == 2
    bench = kb.benchmarks
    for low, high in bands:
        drawn = bench[(bench.value_low >= low - 1e-9) & (bench.value_high <= high + 1e-9)]
        drawn = drawn[drawn.statistic.isin(["mean JAMA (/4)", "mean total DISCERN"])]
        assert len(drawn) and (drawn.status == "confirmed").all()
    unconfirmed = bench[bench.status != "confirmed"]
    assert len(unconfirmed) and not any(lo <= v <= hi for v in unconfirmed.value_low for lo, hi in bands[1:])


def test_published_back_pain_sites_average_about_56(kb):
    """05_comparing_sources.ipynb: “English pages get Flesch Reading Ease (about 60–70 is plain English; published
    back-pain sites average about 56, Ozduran et al. 2024); Chinese pages get sentence length and sentences per
    100 words.”"""
    fre = kb.benchmarks[(kb.benchmarks.instrument == "readability_fre") & (kb.benchmarks.reference_id == "ozduran2024")]
    assert len(fre) == 1 and round(fre.value_low.iloc[0]) == 56 and fre.status.iloc[0] == "confirmed"
    table = readability.readability(kb)
    en, zh = table[table.language == "en"], table[table.language == "zh"]
    assert len(en) == 2 and len(zh) == 3
    assert en.flesch_reading_ease.notna().all() and en.flesch_reading_ease.between(0, 100).all()
    assert zh.flesch_reading_ease.isna().all()
    assert zh.chars_per_sentence.between(10, 80).all() and zh.sentences_per_100_words.notna().all()


# ---------------------------------------------------------------------------- 06_advice_vs_guidelines


def test_not_covered_is_folk_herbal_vitamins_and_brand_drugs(kb, advice_table):
    """06_advice_vs_guidelines.ipynb: “Grey ("not covered") is advice neither guideline addresses: folk rubs,
    herbal applications, vitamins, brand-name drugs.”"""
    examples = ["folk_rub", "herbal_external_application", "vitamins", "advertised_remedy", "liuwei_dihuang_wan"]
    stance = kb.treatments.set_index("treatment_id").stance
    assert (stance[examples] == "not_covered").all()
    assert set(examples) <= set(advice_table.treatment_id)  # each is advised by some page


def test_the_overnight_rub_is_hot_pepper_and_iodine(kb):
    """06_advice_vs_guidelines.ipynb: “"Not covered" means neither guideline vouches for it; it does not mean it is
    safe (the overnight alcohol, hot-pepper and iodine rub can irritate or burn the skin).”"""
    rub = kb.treatment_mentions[kb.treatment_mentions.treatment_id == "folk_rub"]
    assert {"hot pepper", "iodine solution"} <= set(rub.quote) and set(rub.source_id) == {"en_midback"}


def test_exercise_6_zh_handan_tells_angina_patients_to_take_heart_medicine(kb, advice_table):
    """06_advice_vs_guidelines.ipynb: “`zh_handan` advises a patient whose back hurts during angina to "take heart
    medicine at once".”"""
    handan = advice_table[advice_table.source_id == "zh_handan"].set_index("treatment_id")
    assert "服用治疗心脏病的药物" in handan.loc["heart_medication", "first_quote"]
    assert "angina" in compare.cause_sets(kb.mentions)["zh_handan"]


def test_exercise_6_nice_and_acp_positions_on_acupuncture_and_manipulation(kb):
    """06_advice_vs_guidelines.ipynb: “NICE and ACP disagree about acupuncture and spinal manipulation. Find both
    positions in the position column of the table above and explain why two guidelines can reach different
    conclusions from similar evidence.”"""
    position = kb.treatments.set_index("treatment_id").position_en
    for treatment in ("acupuncture", "spinal_manipulation"):
        assert "NICE" in position[treatment] and "ACP" in position[treatment], treatment


def test_exercise_6_one_page_gives_the_most_uncovered_advice(advice_table):
    """06_advice_vs_guidelines.ipynb: “Which page gives the most advice that is *not covered* by any guideline?”"""
    summary = advice.advice_summary(advice_table)
    counts = summary.not_covered.sort_values(ascending=False)
    assert counts.iloc[0] > counts.iloc[1]  # one answer, not a tie
    assert summary.loc["en_midback"].sum() == summary.sum(axis=1).max()


def test_most_pages_mix_concordant_rejected_and_uncovered_advice(kb, advice_table):
    """06_advice_vs_guidelines.ipynb: “Most pages mix guideline-concordant advice (stay active, exercise) with
    advice the guidelines reject (corsets, traction, TENS, acupuncture under NICE) and much that no guideline
    covers.”"""
    t = kb.treatments.set_index("treatment_id")
    assert (t.stance[["stay_active", "exercise_therapy"]] == "recommended").all()
    rejected = ["lumbar_support", "traction", "electrotherapy_tens", "acupuncture"]
    assert (t.stance[rejected] == "not_recommended").all() and (t.guideline[rejected] == "nice_ng59").all()
    summary = advice.advice_summary(advice_table)
    mixed = summary[(summary.recommended > 0) & (summary.not_recommended > 0) & (summary.not_covered > 0)]
    assert len(mixed) >= 3
    midback = set(advice_table[(advice_table.source_id == "en_midback")].treatment_id)
    assert set(rejected) <= midback
    assert "acupuncture" in set(advice_table[advice_table.source_id == "zh_handan"].treatment_id)  # 按摩或者针灸


def test_the_other_pages_have_advice_to_render(advice_table):
    """06_advice_vs_guidelines.ipynb: “Try the others: `render_advice(table, "en_spasms")`, `"zh_postop"`,
    `"zh_fujian"`.”"""
    assert {"en_spasms", "zh_postop", "zh_fujian"} <= set(advice_table.source_id)


# -------------------------------------------------------------------------------------- 07_case_quiz


def test_a_prolapsed_disc_accepts_herniation_sciatica_or_radiculopathy(cases):
    """07_case_quiz.ipynb: “Answers an examiner would accept as the same diagnosis count as right (for example disc
    herniation, sciatica or radiculopathy for a prolapsed disc pressing on a nerve root).”"""
    disc = [c for c in cases if c.cause_id == "disc_herniation"]
    assert disc and all({"disc_herniation", "sciatica", "radiculopathy"} <= set(c.accept) for c in disc)


def test_the_cases_span_every_origin_group_and_organ(kb, cases):
    """07_case_quiz.ipynb: “Decide where the pain comes from (mechanical, non-mechanical spinal or visceral), the
    most likely cause and the urgency, and justify each choice.”"""
    assert {c.group for c in cases} == {"mechanical", "non_mechanical_spinal", "visceral"}
    origins = {kb.causes.loc[c.cause_id, "origin"] for c in cases}
    assert {"spine", "visceral", "serious_spinal", "psychosocial", "post_surgical"} <= origins
    organs = {kb.causes.loc[c.cause_id, "organ_system"] for c in cases if c.group == "visceral"}
    assert {"cardiac", "vascular", "renal", "pancreatic", "hepatobiliary", "gastrointestinal", "pulmonary"} <= organs
    serious = {c.cause_id for c in cases if kb.causes.loc[c.cause_id, "origin"] == "serious_spinal"}
    assert {"cauda_equina_syndrome", "spinal_metastasis", "spinal_infection", "ankylosing_spondylitis"} <= serious
    assert serious & {"vertebral_fracture", "osteoporotic_fracture"}
    assert len({c.urgency for c in cases}) >= 3


def test_every_teaching_point_cites_its_source(kb, cases):
    """07_case_quiz.ipynb: “Every teaching point cites its source; check the quote when a claim surprises you.”"""
    points = [tp for c in cases for tp in c.teaching_points]
    assert all(len(c.teaching_points) >= 2 for c in cases)
    assert all(tp.source or tp.reference for tp in points)
    quoted = [tp for tp in points if tp.source]
    assert sum(any(tp.source for tp in c.teaching_points) for c in cases) >= 3  # built from the pages
    assert all(kb.text(tp.source)[tp.start : tp.end] == tp.quote for tp in quoted)


def test_about_two_minutes_a_case(cases):
    """07_case_quiz.ipynb: “**Estimated time:** 40 minutes (about 2 minutes a case).”"""
    assert 1.5 <= 40 / len(cases) <= 2.5


# ----------------------------------------------------------------------------- 08_your_own_sources


def test_the_example_folder_has_what_the_notebook_lists(kb, tmp_path):
    """08_your_own_sources.ipynb: “The example folder `data/examples/web_pages/` holds short pages written to show
    what real pages bring: a Chinese page in GB18030 with a space in its name, a Big5 leaflet in traditional
    characters, an English blog full of scripts and menus, Markdown notes, and three files that must be
    refused.”"""
    outcomes = ingest.ingest([kb.path / "examples" / "web_pages"], ingest.Store(tmp_path / "s"), kb)
    assert sum(o.status == "skipped" for o in outcomes) == 3
    done = {o.path.split("/")[-1]: o.reason for o in outcomes if o.status == "ingested"}
    assert len(done) == 4
    gb = [name for name, reason in done.items() if reason.startswith("gb18030")]
    assert len(gb) == 1 and " " in gb[0]
    assert any(reason.startswith("big5, html") for reason in done.values())
    assert any(name.endswith(".md") for name in done) and any(name.endswith(".html") for name in done)


def test_the_held_out_lexicon_is_built_from_the_other_four(kb):
    """08_your_own_sources.ipynb: “(2) for each page, a lexicon built only from the **other four** pages plus the
    standard and general names, which is what happens with a page the workbook has never seen.”"""
    assert len(kb.source_ids) == 5


def test_recall_collapses_and_precision_falls(kb, held_out):
    """08_your_own_sources.ipynb: “Recall collapses: each page has its own words (腰肌劳损 vs "lumbar strain" vs
    "overstrain of the muscles of the back"). Precision falls too, because the general names also find words the
    curators left unmarked: a word in another sense ("spasm" as what a disc does to a muscle, 分娩 in an unrelated
    question about labour), or in a page's unrelated sections.”
    08_your_own_sources.ipynb: “(1) everything the extractor knows: the curated pages' own words
    (`data/lexicon.csv`, built *from these pages*) and the general names of every cause (`data/cause_names.csv`), so
    recall here is an upper bound;”"""
    texts = {s: kb.text(s) for s in kb.source_ids}
    full = Extractor.from_kb(kb)
    scores, _ = evaluate(pd.concat([full.find(texts[s], s) for s in kb.source_ids]), kb.mentions)
    assert (scores.recall > 0.9).all()  # page_only words (bare organs, mechanisms) are left to curation
    held_scores, errors = held_out
    pooled = by_language(held_scores, kb.sources)
    assert (pooled.recall < 0.6).all()  # against above 0.9 with every page's own words
    full_pooled = by_language(scores, kb.sources)
    assert (pooled.precision < full_pooled.precision - 0.05).all()  # precision falls too
    assert (scores.recall - held_scores.recall.reindex(scores.index)).min() > 0.1
    false_hits = errors[errors.outcome == "false_hit"]
    assert {"spasm", "分娩"} <= set(false_hits.quote)
    assert pooled.loc["zh", "curated"] == (kb.mentions.source_id.str.startswith("zh_")).sum()


def test_synonyms_and_paraphrases_are_most_misses(held_out):
    """08_your_own_sources.ipynb: “**Synonyms and paraphrases** are most misses: every page has its own words, so
    curate a few pages of a new kind before trusting the counts.”"""
    _, errors = held_out
    misses = errors[errors.outcome == "miss"]
    assert misses.reason.isin(["synonym", "chinese_phrasing"]).mean() > 0.5
    assert (errors.reason == "other_sense").any()


def test_heart_disease_inside_a_drug_name_is_not_a_cause(kb):
    """08_your_own_sources.ipynb: “**Context**: 心脏病 inside 治疗心脏病的药物 is a drug, not a cause;”"""
    text = kb.text("zh_handan")
    start = text.index("治疗心脏病的药物")
    span = (start, start + len("治疗心脏病的药物"))
    found = Extractor.from_kb(kb).find(text, "zh_handan")
    inside = found[(found.start >= span[0]) & (found.end <= span[1])]
    assert set(inside.cause_id) == {"heart_disease"}  # the machine finds it …
    curated = kb.mentions[(kb.mentions.source_id == "zh_handan") & (kb.mentions.stance == "cause")]
    assert not ((curated.start < span[1]) & (curated.end > span[0])).any()  # … the curators do not


def test_the_sciatic_nerve_entry_is_gone(kb):
    """08_your_own_sources.ipynb: “The lexicon lost one entry that only ever produced false hits ("sciatic
    nerve").”"""
    assert "sciatic nerve" not in set(kb.lexicon.term.str.lower())
    assert "sciatica" in set(kb.lexicon.term.str.lower())


def test_traditional_characters_negation_and_word_boundaries(kb):
    """08_your_own_sources.ipynb: “**Traditional characters** (腰肌勞損) are matched by folding each character to
    simplified, keeping offsets exact.”
    08_your_own_sources.ipynb: “**A term inside another word** ("ulcer" in "ulcerative") is refused for English;”
    08_your_own_sources.ipynb: “**Negation, rule-out and advice** are stances: "no sign of infection" is *negated*
    (said to be absent);”
    08_your_own_sources.ipynb: “"avoid heavy lifting" and 避免久坐 are advice (*other role*), not causes the page
    gives.”
    08_your_own_sources.ipynb: “for Chinese a glued prefix (类 in 类风湿关节炎, 膝 in 膝关节退化) and a glued suffix
    (神经症 inside 神经症状) are checked.”"""
    ex = Extractor.from_kb(kb)
    text = "腰肌勞損; ulcerative colitis"
    found = ex.find(text, "t")
    strain = found[found.cause_id == "lumbar_muscle_strain"]
    assert len(strain) == 1 and text[strain.start.iloc[0] : strain.end.iloc[0]] == "腰肌勞損"
    assert "peptic_ulcer" not in set(found.cause_id)
    assert ex.find("There is no sign of infection today.", "t").stance.tolist() == ["negated"]
    assert set(ex.find("We must rule out an infection or a fracture.", "t").stance) == {"ruled_out"}
    assert ex.find("Avoid heavy lifting.", "t").stance.tolist() == ["other_role"]
    assert ex.find("避免久坐", "t").stance.tolist() == ["other_role"]
    assert set(ex.find("类风湿关节炎", "t").cause_id) == {"rheumatoid_arthritis"}
    assert ex.find("膝关节退化", "t").empty and ex.find("神经症状", "t").empty
    assert set(ex.find("他有神经症", "t").cause_id) == {"anxiety"}  # the word alone is still read


def test_held_out_rounds_fall_short_of_the_target(kb):
    """08_your_own_sources.ipynb: “On round 32, the last pages nobody had read, the extractor found 0.88 of the
    labelled causes in English, 0.85 in simplified and 0.64 in traditional Chinese (the extractor from before
    this work: 0.77, 0.72 and 0.32), at precision 0.86, 0.81 and 0.64: the recall target reached in English
    and simplified Chinese for the first time, the precision target in none. The target of recall 0.85 at
    precision 0.90 is not reached on unseen pages in any of the three:”
    08_your_own_sources.ipynb: “(round 31, scored with the extractor before: 0.73, 0.68 and 0.60 at
    0.75, 0.71 and 0.64)”
    08_your_own_sources.ipynb: “Over all thirty-one held-out rounds (554 pages), the extractor as it stood when each
    was scored found 0.72, 0.81 and 0.67 of the labelled causes (the extractor from before this work: 0.64,
    0.66 and 0.55).”
    08_your_own_sources.ipynb: “(rounds 13 and 14, scored
    with one extractor, gave precision 0.89 and 0.73 in English, 0.82 and 0.73 in simplified, 0.91 and
    0.76 in traditional Chinese)”
    08_your_own_sources.ipynb: “round 32's six traditional pages carry only 22 labels.”
    08_your_own_sources.ipynb: “over the causes the taxonomy has
    (`recall_known`), round 32's recall was 0.88, 0.89 and 0.74.”"""
    rounds = held_out_rounds(kb.path)
    last = rounds[rounds["round"] == rounds["round"].max()]
    before, after = (last.groupby("script").nth(i).set_index("script") for i in (0, -1))
    assert (before.recalled / before.labelled).round(2).to_dict() == {"latin": 0.77, "hans": 0.72, "hant": 0.32}
    assert (after.recalled / after.labelled).round(2).to_dict() == {"latin": 0.88, "hans": 0.85, "hant": 0.64}
    assert (after.right / after.found).round(2).to_dict() == {"latin": 0.86, "hans": 0.81, "hant": 0.64}
    assert after.recall_known.round(2).to_dict() == {"latin": 0.88, "hans": 0.89, "hant": 0.74}
    assert after.labelled["hant"] == 22 and after.pages["hant"] == 6
    assert ((after.recall >= 0.85) == pd.Series({"latin": True, "hans": True, "hant": False})).all()
    previous = rounds[rounds["round"] == 31].groupby("script").nth(-1).set_index("script")
    assert (previous.recalled / previous.labelled).round(2).to_dict() == {"latin": 0.73, "hans": 0.68, "hant": 0.60}
    assert (previous.right / previous.found).round(2).to_dict() == {"latin": 0.75, "hans": 0.71, "hant": 0.64}
    for n, expected in (
        (13, {"latin": 0.89, "hans": 0.82, "hant": 0.91}),
        (14, {"latin": 0.73, "hans": 0.73, "hant": 0.76}),
    ):
        scored = rounds[(rounds["round"] == n) & (rounds.extractor == "8e7ae0a")].set_index("script")
        assert (scored.right / scored.found).round(2).to_dict() == expected
    assert not ((after.recall >= 0.85) & (after.precision >= 0.90)).any()
    held = rounds[rounds["round"] >= 2]
    pages = pd.read_csv(kb.path / "eval" / "held_out_pages.csv")
    assert len(pages) == 554 and held["round"].nunique() == 31
    for i, expected in (
        (-1, {"latin": 0.72, "hans": 0.81, "hant": 0.67}),
        (0, {"latin": 0.64, "hans": 0.66, "hant": 0.55}),
    ):
        pooled = held.groupby(["round", "script"]).nth(i).groupby("script")[["recalled", "labelled"]].sum()
        assert (pooled.recalled / pooled.labelled).round(2).to_dict() == expected


def test_two_labellers_agree_far_above_the_extractor(kb):
    """08_your_own_sources.ipynb: “Rounds 14 to 23 and 28 to 30 (231 pages) were labelled a second time by
    people who worked alone from the page text and the same rules, never shown the first labels or the
    extractor. Judged against the first labeller as the extractor is, the second agreed at precision 0.91 and
    recall 0.93 (0.94 and 0.96 over the causes the taxonomy has): the target sits well inside what people
    reading carefully reach,”
    08_your_own_sources.ipynb: “on rounds 28 to 30 the two agreed at 0.87 and 0.90, and on their traditional
    Chinese pages at only 0.82 and 0.77, where the extractor reached 0.57 and 0.58.”"""
    table = labeller_agreement(kb.path)
    assert sorted(table["round"].unique()) == [*range(14, 24), 28, 29, 30]
    assert table[~table.known].pages.sum() == 231
    totals = table.groupby("known")[["first_labeller", "second_labeller", "both_labellers"]].sum()
    assert (totals.both_labellers / totals.second_labeller).round(2).to_dict() == {False: 0.91, True: 0.94}
    assert (totals.both_labellers / totals.first_labeller).round(2).to_dict() == {False: 0.93, True: 0.96}
    assert (
        (totals.both_labellers / totals.second_labeller >= 0.90)
        & (totals.both_labellers / totals.first_labeller >= 0.85)
    ).all()
    latest = table[table["round"].between(28, 30) & ~table.known]
    for sel, expected in ((latest, (0.87, 0.90)), (latest[latest.script == "hant"], (0.82, 0.77))):
        both, first, second = (sel[c].sum() for c in ("both_labellers", "first_labeller", "second_labeller"))
        assert (round(both / second, 2), round(both / first, 2)) == expected
    rounds = held_out_rounds(kb.path)
    scored = rounds[rounds["round"].between(28, 30) & (rounds.script == "hant")].groupby("round").nth(-1)
    sums = scored[["right", "found", "recalled", "labelled"]].sum()
    assert (round(sums.right / sums.found, 2), round(sums.recalled / sums.labelled, 2)) == (0.57, 0.58)


def test_general_names_and_new_causes(kb):
    """08_your_own_sources.ipynb: “**General names** (`data/cause_names.csv`, about 2,700): clinical, everyday and
    older names and abbreviations of every cause in both languages,”
    08_your_own_sources.ipynb: “**Causes the taxonomy lacked**: urinary tract infection, period pain, rib fracture
    and long-term corticosteroid use, then sacroiliac joint dysfunction, whole-body vibration and a leg-length difference
    (labelled `new:` on nineteen held-out pages), each with its reference;”
    08_your_own_sources.ipynb: “Part of the gap was causes the taxonomy lacked, which no extractor can find: 13% of round 27's
    labels named one, 5% of round 32's, once the causes below were added”
    08_your_own_sources.ipynb: “hip and knee osteoarthritis, costochondritis (labelled `new:`, 5% of the last
      round's labels); they can only be missed.”
    08_your_own_sources.ipynb: “and kidney deficiency (肾虚,
    labelled `new:` on eighteen), a pattern of traditional Chinese medicine, not a kidney disease, kept under
    an origin of its own”
    08_your_own_sources.ipynb: “and the TCM
      patterns of damp-heat and blood stasis (labelled `new:` on fifty-eight held-out pages).”"""
    assert 2600 < len(kb.cause_names) < 2800
    crosswalk = later_causes(kb.path)
    this_stop = crosswalk[crosswalk.from_round == 28]
    assert set(this_stop.cause_id) == {
        "poor_sleep", "improper_exercise", "awkward_movement", "unsupportive_footwear", "flat_feet", "tcm_damp_heat",
        "tcm_blood_stasis",
    }  # fmt: skip
    assert kb.causes.loc[list(this_stop.cause_id.unique())].reference_id.notna().all()
    held = pd.read_csv(kb.path / "eval" / "held_out_labels.csv")
    pages = pd.read_csv(kb.path / "eval" / "held_out_pages.csv")
    before_them = held.page_id.isin(pages.page_id[pages["round"] < 28])  # the rounds labelled before they were added
    assert held.page_id[before_them & held.cause_id.isin(this_stop.label)].nunique() == 58
    assert set(kb.cause_names.language) == {"en", "zh"}
    first = ["urinary_tract_infection", "dysmenorrhoea", "rib_fracture", "corticosteroid_use"]
    added = kb.causes.loc[[*first, "sacroiliac_joint_dysfunction", "whole_body_vibration", "leg_length_discrepancy"]]
    assert added.reference_id.notna().all()
    later = {"new:sacroiliac_joint_dysfunction", "new:whole_body_vibration", "new:leg_length_discrepancy"}
    assert held.page_id[held.cause_id.isin(later)].nunique() == 19
    tcm = held.cause_id.str.startswith("new:") & held.cause_id.str.contains("kidney_deficiency")
    assert held.page_id[tcm].nunique() == 18
    assert kb.causes.loc["tcm_kidney_deficiency"].origin == "traditional" != kb.causes.loc["kidney_disease"].origin
    labels = pd.read_csv(kb.path / "eval" / "held_out_labels.csv")
    share = {
        n: round(
            100 * labels.cause_id[labels.page_id.isin(pages.page_id[pages["round"] == n])].str.startswith("new:").mean()
        )
        for n in (27, 30, 31, 32)
    }
    assert share == {27: 13, 30: 7, 31: 5, 32: 5} and pages["round"].max() == 32


@pytest.mark.parametrize("notebook, sentence", list(_claims()))
def test_quoted_sentence_is_in_the_notebook(notebook, sentence):
    assert sentence in markdown(notebook), f"{notebook} no longer says: {sentence}"
