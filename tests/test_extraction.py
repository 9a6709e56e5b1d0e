"""Cause extraction on words the curated pages never used (issue 12): word forms, regional variants,
coordination, Chinese word boundaries, the complaint-vs-cause blockers, the rule-out stance, and the
evaluation set of unseen pages (data/eval)."""

import pandas as pd
import pytest

from backpain.knowledge.base import load
from backpain.sources import compare, extraction_eval
from backpain.sources.extract import COLUMNS, Extractor, fold
from backpain.ui.tables import header


@pytest.fixture(scope="module")
def kb():
    return load()


@pytest.fixture(scope="module")
def ex(kb):
    return Extractor.from_kb(kb)


def found(ex, text):
    return ex.find(text)[["cause_id", "stance"]].apply(tuple, axis=1).tolist()


def causes(ex, text):
    return set(ex.find(text).cause_id)


@pytest.mark.parametrize(
    "text, cause",
    [
        ("He has herniated disks.", "disc_herniation"),  # disk for disc, plural
        ("Abdominal aortic aneurysms can leak.", "abdominal_aortic_aneurysm"),  # plural of an ICD-10 title
        ("Being overweight strains the back.", "obesity"),  # a lay name
        ("Calculus of kidney", "kidney_stone"),  # the WHO ICD-10 title
        ("骨質疏鬆可導致骨折", "osteoporosis"),  # traditional, short common name
        ("脊椎滑脫", "spondylolisthesis"),  # Taiwan 脊椎 for 脊柱
        ("急性心肌梗塞", "myocardial_infarction"),  # 梗塞 for 梗死
        ("小關節發炎", "facet_joint_syndrome"),  # 发炎 for 炎
        ("腎石症", "kidney_stone"),  # Hong Kong 腎石
        ("broken bones in the spine", "vertebral_fracture"),  # the plural of the head before "in"
        ("從高處跌下導致腰椎受傷", "back_injury"),  # a lay phrase, traditional
        ("細菌性脊柱炎", "spinal_infection"),
        ("Culprits include inactivity", "sedentary_lifestyle"),  # the habit, as labellers read it
        ("第3腰椎横突综合征", "lumbar_muscle_strain"),  # strain where the muscles attach
        ("软床导致腰椎曲度消失", "poor_sleeping_posture"),
        ("back pain from repetitive strain", "lumbar_muscle_strain"),  # as labellers read it on four pages of four
        ("caused by diabetic neuropathy", "neurological_condition"),
        ("晚期攝護腺癌且骨轉移", "spinal_metastasis"),  # prostate cancer hurts the back where it spreads to bone
        ("梨狀肌症候群", "nerve_compression"),  # the piriformis squeezing the sciatic nerve
    ],
)
def test_unseen_wordings_are_found(ex, text, cause):
    assert cause in causes(ex, text)


def test_coordination_shares_the_head(ex):
    assert {"pyelonephritis", "kidney_stone"} <= causes(ex, "Non spine causes include kidney infection/stones.")
    hits = ex.find("腰椎间盘膨出、突出")
    assert set(hits.cause_id) == {"disc_herniation"} and len(hits) == 2
    # a comma separates list items: "kidney stones, infection" is not "kidney infection"
    assert "pyelonephritis" not in causes(ex, "kidney stones, infection, or a perforating ulcer")


def test_chinese_word_boundaries(ex):
    assert causes(ex, "类风湿关节炎") == {"rheumatoid_arthritis"}
    assert "rheumatism" not in causes(ex, "類風溼性關節炎")


def test_the_complaint_is_not_a_cause(ex):
    assert causes(ex, "腰痛的原因很多。Low back pain is common.") == set()
    assert causes(ex, "老年人腰腿痛背后隐藏的危险因素") == set()  # low back and leg pain, not sciatica
    assert causes(ex, "a kidney infection") == {"pyelonephritis"}  # never the spinal "infection"
    # a urinary infection is its own visceral cause, never the serious spinal "infection"
    assert causes(ex, "泌尿系统感染") == causes(ex, "a bladder infection") == {"urinary_tract_infection"}
    assert causes(ex, "an ear infection") == set()


@pytest.mark.parametrize(
    "text, cause",
    [
        ("It may be caused by problems with the kidneys.", "kidney_disease"),
        ("Issues with the stomach can refer pain to the back.", "digestive_system_disease"),
        ("骨骼肌肉问题也会引起腰痛", "spinal_disease"),
        ("其他附近臟器的問題", "internal_organ_disease"),  # traditional, with 的
        ("核心肌群較弱的人容易腰痛", "muscle_deconditioning"),
        ("腰部肌肉力量比较薄弱", "muscle_deconditioning"),
        ("Weak core muscles strain the back.", "muscle_deconditioning"),
        ("It may be a symptom of a more serious medical condition.", "serious_underlying_disease"),
        ("sitting on a desk all day", "poor_posture"),
        ("standing in the same position for hours", "poor_posture"),
        ("awkward work postures", "poor_posture"),
        ("不當身體姿勢", "poor_posture"),  # traditional, with what kind of posture between
        ("日常生活姿勢的不當", "poor_posture"),
    ],
)
def test_composed_names_find_vague_groups_and_lay_phrasings(ex, text, cause):
    assert cause in causes(ex, text)


def test_composed_names_leave_out_the_complaint_and_figures_of_speech(ex):
    for text in (
        "He has back problems.",
        "Serious conditions are rare.",
        "an underlying condition",
        "muscle weakness in the legs",
        "肌肉鬆弛劑",
    ):
        assert causes(ex, text) == set(), text


@pytest.mark.parametrize(
    "text, cause, stance",
    [
        # a consequence: what another cause in the sentence leads to
        ("腰椎间盘突出导致神经压迫", "nerve_compression", "other_role"),
        ("a slipped disc, commonly causing sciatica", "sciatica", "other_role"),
        ("Sciatica can cause back pain.", "sciatica", "cause"),  # no other cause before it in its sentence
        ("神经压迫会引起腰痛", "nerve_compression", "cause"),
        ("骨质疏松导致骨折", "osteoporotic_fracture", "cause"),  # only for causes pages name as mechanisms
        # a symptom: what a condition feels like or shows
        ("Its symptoms include pain down the leg and sciatica.", "sciatica", "other_role"),
        ("It is called radiculopathy or sciatica.", "sciatica", "cause"),  # a name, not a symptom
        ("椎间盘突出,主要表现为腰痛和坐骨神经痛。", "sciatica", "other_role"),
        ("延伸到腳底,也就是所謂的「坐骨神經痛」", "sciatica", "other_role"),
        ("症状多样。坐骨神经痛也会引起腰痛", "sciatica", "cause"),  # beyond the cue's sentence
        ("影像表现为腰椎间盘突出", "disc_herniation", "cause"),  # only for nerve pains and spasms
    ],
)
def test_a_nerve_pain_named_as_a_consequence_or_a_symptom_is_not_a_cause(ex, text, cause, stance):
    assert dict(found(ex, text))[cause] == stance


def test_load_on_the_spine_a_nerve_of_the_arm_and_stooping_name_no_cause(ex):
    assert causes(ex, "座椅太軟,腰部壓力過大就很容易導致下背痛") == set()  # a mechanical load, not stress
    assert causes(ex, "工作壓力過大") == {"stress"}
    assert causes(ex, "容易出現正中神經壓迫") == set()  # the wrist's median nerve, not a spinal root
    assert causes(ex, "長期下會產生慢性神經病變") == set()  # a mechanism; a named neuropathy still reads
    assert causes(ex, "糖尿病神经病变") == {"neurological_condition"}
    # the cauda equina is anatomy; its compression is the red-flag syndrome
    assert "cauda_equina_syndrome" not in causes(ex, "髓核突出刺激或压迫脊神经根、马尾神经")
    assert causes(ex, "椎间盘突出压迫马尾神经") >= {"cauda_equina_syndrome"}
    assert causes(ex, "马尾神经受压") == {"cauda_equina_syndrome"}
    assert causes(ex, "Caregivers lift, twist, reach, bend, stoop, and stretch") == set()
    assert causes(ex, "an older man with a stoop") == {"kyphosis"}
    # the weight lifted is not the body's own weight; an infection of the reproductive organs is PID
    assert causes(ex, "lifting too much weight at the gym") == {"heavy_lifting"}
    assert "infection" not in causes(ex, "PID is an infection of the reproductive organs")


def test_slouching_is_posture_and_overuse_is_overexertion(ex):
    # 驼背 beside sitting, standing or posture words is a slouch (poor posture), not a structural kyphosis
    assert causes(ex, "長時間駝背、低頭滑手機") == {"poor_posture"}
    assert causes(ex, "久坐驼背") == {"poor_posture"}
    assert causes(ex, "老年人驼背") == {"kyphosis"}
    # overuse names the activity (overexertion, as labellers read it); a strain it causes is still a strain
    assert causes(ex, "Overuse of the back muscles") == {"overexertion"}
    assert causes(ex, "過度使用腰部") == {"overexertion"}
    assert causes(ex, "a muscle strain due to overuse") == {"lumbar_muscle_strain", "overexertion"}
    assert causes(ex, "Any sprain or fracture in the back") == {"lumbar_muscle_strain", "vertebral_fracture"}
    # a joint is anatomy, not its disease
    assert causes(ex, "the sacroiliac joints at the base of the spine") == causes(ex, "骶髂關節") == set()
    assert causes(ex, "骶髂关节炎") == {"sacroiliitis"}
    # a sacroiliac joint that works badly is not an inflamed one
    assert "sacroiliitis" not in causes(ex, "薦髂關節功能障礙") | causes(ex, "sacroiliac joint dysfunction")
    assert causes(ex, "運動過量、椎間盤變薄") == {"overexertion", "degenerative_disc_disease"}
    assert causes(ex, "椎管占位") == {"spinal_tumour"}
    assert "pregnancy" in causes(ex, "孕婦/大肚腩")
    # "wear and tear" is how pages say ageing, rarely a named cause (read as degeneration on rounds 1-20 it
    # found 3 labelled causes and made 8 false hits);
    # wear and tear of the spine is degeneration
    assert causes(ex, "Gradual wear and tear of tissue") == set()
    assert causes(ex, "spinal wear and tear") == {"degenerative_spine_disease"}
    assert causes(ex, "舊傷復發") == {"back_injury"}
    # stress as a load on the back is mechanics, not the psychological cause
    for text in ("Kids put stresses on their back.", "The stress the body is going through", "mechanical stress"):
        assert causes(ex, text) == set(), text
    assert causes(ex, "Stress and anxiety tighten the muscles.") == {"stress", "anxiety"}


def test_the_causes_pages_named_that_the_taxonomy_lacked_are_read(kb, ex):
    """Whole-body vibration, a leg-length difference and sacroiliac joint dysfunction were labelled new: on
    19 held-out pages; each is now a cause with its reference, and pages' names for it find it."""
    added = kb.causes.loc[["whole_body_vibration", "leg_length_discrepancy", "sacroiliac_joint_dysfunction"]]
    assert added.reference_id.isin(kb.references.reference_id).all()
    assert causes(ex, "Whole-body vibration from driving tractors") == {"whole_body_vibration"}
    assert causes(ex, "駕車時之全身振動") == {"whole_body_vibration"}
    assert causes(ex, "one leg longer than the other") == causes(ex, "長短腳") == {"leg_length_discrepancy"}
    assert causes(ex, "骶髂关节错位") == causes(ex, "SI joint dysfunction") == {"sacroiliac_joint_dysfunction"}


def test_kidney_deficiency_is_a_tcm_pattern_not_a_kidney_disease(kb, ex):
    """肾虚 was labelled new: on 18 held-out pages; it is now a cause of its own, under traditional Chinese
    medicine, never read as kidney disease."""
    cause = kb.causes.loc["tcm_kidney_deficiency"]
    assert cause.origin == "traditional" and cause.reference_id in set(kb.references.reference_id)
    for text in ("肾虚腰痛", "長者會腎氣不足", "肝肾不足", "Kidney Deficiency (肾虚)"):
        assert causes(ex, text) == {"tcm_kidney_deficiency"}, text
    assert causes(ex, "肾虚和肾病不同") == {"tcm_kidney_deficiency", "kidney_disease"}


def test_an_infection_named_with_its_organ_or_germ_is_that_disease(ex):
    assert "urinary_tract_infection" in causes(ex, "An infection in the urinary tract is another reason.")
    assert causes(ex, "幽门螺杆菌感染") == {"digestive_system_disease"}


def test_stance_rule_out_is_its_own_and_covers_the_list(ex):
    assert found(ex, "There is no sign of infection today.") == [("infection", "negated")]
    rule_out = found(ex, "We must rule out a fracture, an infection or cancer before anything else.")
    assert [s for _, s in rule_out] == ["ruled_out"] * 3
    zh = found(ex, "突发剧烈疼痛需立即就医,排除心梗、主动脉夹层等危重症。")
    assert zh == [("myocardial_infarction", "ruled_out"), ("aortic_dissection", "ruled_out")]
    assert found(ex, "排除心梗。主动脉夹层也会引起背痛")[1] == ("aortic_dissection", "cause")  # a new sentence


def test_cant_miss_charts_count_a_cause_named_to_be_ruled_out(kb):
    mentions = pd.DataFrame(
        {"source_id": ["A", "B"], "cause_id": ["aortic_dissection"] * 2, "stance": ["ruled_out", "negated"]}
    )
    named = compare.cant_miss_named(mentions, kb.taxonomy)
    assert named.to_dict() == {"A": ["aortic_dissection"]}


def test_unseen_evaluation_reports_every_split_and_script(kb):
    pooled, per_page, errors = extraction_eval.unseen_evaluation(kb)
    pages, labels, texts = extraction_eval.load_unseen(kb.path)
    # every page kept here has been read while tuning: the held-out rounds live outside (held_out_rounds.csv)
    assert set(pooled.index) == {(s, c) for s in ("dev", "example") for c in ("latin", "hans", "hant")}
    counts = pages[pages.split != "example"].groupby("script").size()
    assert counts["latin"] >= 6 and counts["hans"] >= 4 and counts["hant"] >= 3
    assert set(labels.page_id) <= set(pages.page_id) and all(texts[p].strip() for p in pages.page_id)
    known = set(kb.taxonomy.cause_id)
    assert all(c in known or c.startswith("new:") for c in labels.cause_id)
    assert ((pooled.precision >= 0) & (pooled.precision <= 1)).all()
    assert set(errors.outcome) <= {"miss", "false_hit"}
    misses = errors[errors.outcome == "miss"].groupby("page_id").size()
    assert (misses.reindex(per_page.index, fill_value=0) == per_page.labelled - per_page.recalled).all()


def test_held_out_records_agree_with_their_pages_and_labels(kb):
    """held_out_rounds.csv counts the pages and labels of held_out_pages.csv and held_out_labels.csv (rounds 2 on,
    labels read as scored); every figure is possible (right ≤ found, recalled ≤ labelled), and each round was
    scored before and after."""
    rounds = extraction_eval.held_out_rounds(kb.path)
    pages = pd.read_csv(kb.path / "eval" / "held_out_pages.csv")
    labels = pd.read_csv(kb.path / "eval" / "held_out_labels.csv", keep_default_na=False)
    assert set(labels.page_id) <= set(pages.page_id) and not pages.page_id.duplicated().any()
    assert not labels.duplicated(["page_id", "cause_id"]).any()
    known = set(kb.taxonomy.cause_id)
    assert all(c in known or c.startswith("new:") for c in labels.cause_id)
    read = pages.merge(labels, on="page_id")  # as scored: later_causes.csv from each cause's first round
    read = extraction_eval.read_later_causes(read, extraction_eval.later_causes(kb.path), read["round"])
    per_script = read.groupby(["round", "script"]).size()
    pages_per = pages.groupby(["round", "script"]).size()
    for r in rounds[rounds["round"] >= 2].itertuples():
        assert r.labelled == per_script[(r.round, r.script)] and r.pages == pages_per[(r.round, r.script)]
    assert ((rounds.right <= rounds.found) & (rounds.recalled <= rounds.labelled)).all()
    assert (rounds.groupby(["round", "script"]).size() == 2).all()


def test_second_labels_are_of_held_out_pages_and_agreement_counts_them(kb):
    """held_out_second_labels.csv labels pages of held_out_pages.csv, with known ids; labeller_agreement counts
    exactly its rows and the first labeller's rows of the same pages (both read through later_causes.csv), and
    agreement cannot exceed either."""
    pages = pd.read_csv(kb.path / "eval" / "held_out_pages.csv")
    first = pd.read_csv(kb.path / "eval" / "held_out_labels.csv", keep_default_na=False)
    second = pd.read_csv(kb.path / "eval" / "held_out_second_labels.csv", keep_default_na=False)
    assert set(second.page_id) <= set(pages.page_id) and not second.duplicated(["page_id", "cause_id"]).any()
    known = set(kb.taxonomy.cause_id)
    assert all(c in known or c.startswith("new:") for c in second.cause_id)
    assert set(second.stance) <= {"cause", "negated", "ruled_out"}
    table = extraction_eval.labeller_agreement(kb.path)
    every = table[~table.known]
    crosswalk = extraction_eval.later_causes(kb.path)  # both read in today's taxonomy
    first, second = (extraction_eval.read_later_causes(x, crosswalk) for x in (first, second))
    assert every.second_labeller.sum() == len(second)
    assert every.first_labeller.sum() == first.page_id.isin(second.page_id).sum()
    assert ((table.both_labellers <= table.second_labeller) & (table.both_labellers <= table.first_labeller)).all()
    known_only = table[table.known].set_index(["round", "script"])
    assert (known_only.first_labeller <= every.set_index(["round", "script"]).first_labeller).all()


def test_later_causes_read_a_labellers_new_id_as_the_cause_added_for_it(kb):
    """later_causes.csv maps `new:` labels that held-out labellers wrote to causes the taxonomy gained later:
    each maps once, to a cause that exists, and is read so only from the round first scored with it."""
    crosswalk = extraction_eval.later_causes(kb.path)
    assert crosswalk.label.str.startswith("new:").all() and not crosswalk.label.duplicated().any()
    assert set(crosswalk.cause_id) <= set(kb.causes.index)
    first = pd.read_csv(kb.path / "eval" / "held_out_labels.csv", keep_default_na=False)
    second = pd.read_csv(kb.path / "eval" / "held_out_second_labels.csv", keep_default_na=False)
    assert set(crosswalk.label) <= set(first.cause_id) | set(second.cause_id)
    labels = pd.DataFrame(
        {
            "page_id": ["a", "a", "b", "c"],
            "cause_id": ["new:poor_sleep", "new:sleep_deprivation", "new:poor_sleep", "new:x"],
        }
    )
    every = extraction_eval.read_later_causes(labels, crosswalk)
    assert list(every.cause_id) == ["poor_sleep", "poor_sleep", "new:x"]  # one row per page and cause
    by_round = extraction_eval.read_later_causes(labels, crosswalk, pd.Series([27, 27, 28, 28]))
    assert list(by_round.cause_id) == ["new:poor_sleep", "new:sleep_deprivation", "poor_sleep", "new:x"]


def test_find_returns_the_same_columns_for_any_text(ex):
    """A notebook reads find's frame: its columns are COLUMNS, in order, whether or not anything is found."""
    for text in ("", "nothing to see", "disc herniation and 腰肌劳损"):
        assert list(ex.find(text, "page").columns) == COLUMNS


def test_rows_are_finds_mentions_as_the_store_writes_them(kb, ex):
    """ingest writes rows(), which skips the frame: the same mentions, in order, each value as text."""
    texts = [kb.text(s) for s in kb.source_ids] + [
        "",
        "Non spine causes include kidney infection/stones.",  # a coordination adds a term
        "We must rule out a fracture, an infection or cancer. 😀 Ｋidney 腎結石",  # stances, an emoji, full width
    ]
    for text in texts:
        expected = [[str(v) for v in m] for m in ex.find(text, "page").itertuples(index=False, name=None)]
        assert ex.rows(text, "page") == expected
    assert len(ex.rows(texts[-1], "page")) >= 4


def test_fold_keeps_every_offset(ex):
    """fold is one lookup per character, so a quote's offsets in the folded text are its offsets in the page."""
    for text in ("ABC", "Ａｂｃ 骨質疏鬆", "İstanbul 腎", "😀 Kidney 腎結石", "ΣΑΣ"):
        assert len(fold(text)) == len(text), text
    assert fold("Ａｂｃ 骨質疏鬆") == "abc 骨质疏松" and fold("😀 Kidney 腎結石") == "😀 kidney 肾结石"


def test_every_column_notebook_08_shows_of_the_evaluation_has_a_chinese_heading(kb):
    """The rounds and agreement tables in notebook 08 speak 中文 in Chinese mode: no column falls back to its code name."""
    agreement = extraction_eval.labeller_agreement(kb.path).drop(columns="known")
    for table in (agreement, extraction_eval.held_out_rounds(kb.path)):
        for column in table.columns:
            assert header(column, "zh") != column, column
