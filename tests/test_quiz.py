"""The case quiz and its YAML: driven from pytest, with malformed cases that must explain themselves."""

from types import SimpleNamespace

import pytest
import yaml

from backpain import DataError
from backpain.knowledge.cases import load_cases, parse
from backpain.ui.quiz import CaseQuiz


@pytest.fixture(scope="module")
def cases(kb):
    return load_cases(kb)


SMALL_CASE = """
- case_id: small_case
  title_en: "A lifter"
  title_zh: "搬运工"
  stem_en: "Low back pain after lifting, worse on bending."
  stem_zh: "搬重物后腰痛，弯腰加重。"
  present: [loc_lumbar, agg_movement]
  absent: [assoc_fever]
  answer:
    cause_id: lumbar_muscle_strain
    also_accept: [back_muscle_spasm]
  teaching_points:
    - en: "One"
      zh: "一"
      cite: {reference: deyo2001}
    - en: "Two"
      zh: "二"
      cite: {source: zh_handan, quote: "QUOTE"}
"""


def test_a_small_case_is_parsed_field_by_field(kb):
    quote = kb.mentions[kb.mentions.source_id == "zh_handan"].iloc[0]
    (case,) = parse(SMALL_CASE.replace("QUOTE", quote.quote), kb)
    assert (case.case_id, case.title_en, case.title_zh) == ("small_case", "A lifter", "搬运工")
    assert case.present == ("loc_lumbar", "agg_movement") and case.absent == ("assoc_fever",)
    assert case.cause_id == "lumbar_muscle_strain"
    assert case.accept == ("lumbar_muscle_strain", "back_muscle_spasm")
    assert case.group == kb.engine.causes.loc["lumbar_muscle_strain", "group"]
    assert case.urgency == kb.differential(case.present, case.absent).urgency == "routine"
    first, second = case.teaching_points
    assert (first.reference, first.source) == ("deyo2001", None)
    assert second.source == "zh_handan" and kb.text("zh_handan")[second.start : second.end] == quote.quote
    assert case.text("stem", "zh") == "搬重物后腰痛，弯腰加重。"


def test_every_case_is_complete_in_both_languages(cases, kb):
    assert cases and len({c.case_id for c in cases}) == len(cases)
    for c in cases:
        assert c.stem_zh.strip() and c.title_zh.strip() and c.stem_en.strip() and c.title_en.strip()
        assert len(c.teaching_points) >= 1 and all(tp.source or tp.reference for tp in c.teaching_points)
        assert c.group == kb.engine.causes.loc[c.cause_id, "group"] and c.cause_id in c.accept


def test_page_quotes_in_teaching_points_are_verified_spans(cases, kb):
    quoted = [tp for c in cases for tp in c.teaching_points if tp.source]
    assert quoted
    for tp in quoted:
        assert kb.text(tp.source)[tp.start : tp.end] == tp.quote


def test_every_case_agrees_with_the_engine_and_its_red_flags(cases, kb):
    """The key's cause is in the engine's top three and its urgency is the flags' urgency: the quiz never
    marks right what the lab contradicts."""
    for c in cases:
        d = kb.differential(c.present, c.absent)
        assert set(c.accept) & set(d.top(3).index), c.case_id
        assert c.urgency == d.urgency, c.case_id


def test_clinically_equivalent_answers_are_accepted(kb, cases):
    case = next(c for c in cases if c.cause_id == "disc_herniation")
    quiz = CaseQuiz(kb, [case], lang="en")
    for cause in ("disc_herniation", "sciatica", "radiculopathy"):
        assert quiz.answer(case.group, cause, case.urgency)["cause"], cause
    assert not quiz.answer(case.group, "lumbar_muscle_strain", case.urgency)["cause"]


def test_right_and_wrong_answers_get_feedback_and_a_score(kb, cases):
    quiz = CaseQuiz(kb, cases, lang="en")
    first = quiz.case
    assert quiz.answer(first.group, first.cause_id, first.urgency) == {"origin": True, "cause": True, "urgency": True}
    assert quiz.feedback.value.count('data-correct="true"') == 3
    assert "Teaching points" in quiz.feedback.value
    quiz.next_case()
    case = quiz.case
    wrong_cause = "angina" if case.cause_id != "angina" else "renal_colic"
    marks = quiz.answer(
        "visceral" if case.group != "visceral" else "mechanical",
        wrong_cause,
        "routine" if case.urgency != "routine" else "emergency",
    )
    assert marks == {"origin": False, "cause": False, "urgency": False}
    fb = quiz.feedback.value
    assert "the answer is" in fb and kb.engine.causes.loc[case.cause_id, "name_en"] in fb
    assert "What separates it from your choice" in fb
    quiz.answer(case.group, case.cause_id, case.urgency)  # a second try does not change the score
    assert "1/2 causes · 3/6 answers" in quiz.score.value


def test_incomplete_answer_is_not_scored(kb, cases):
    quiz = CaseQuiz(kb, cases)
    quiz.origin.value = "mechanical"
    assert quiz.check() is None and "Choose an origin" in quiz.feedback.value and not quiz.results


def test_quiz_in_chinese(kb, cases):
    quiz = CaseQuiz(kb, cases, lang="zh")
    assert cases[0].title_zh in quiz.stem.value
    quiz.answer(cases[0].group, cases[0].cause_id, cases[0].urgency)
    assert "正确" in quiz.feedback.value and "教学要点" in quiz.feedback.value


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            lambda c: c["answer"].update(cause_id="nonsense"),
            "case 'builder_evening_ache', field 'answer.cause_id': unknown cause 'nonsense'",
        ),
        (lambda c: c["present"].append("agg_moovement"), "field 'present': unknown finding 'agg_moovement'"),
        (lambda c: c.pop("stem_zh"), "field 'stem_zh': missing"),
        (
            lambda c: c["answer"].update(urgency="emergency"),
            "field 'answer.urgency': 'emergency' but the red flags these findings raise say 'routine'",
        ),
        (
            lambda c: c["answer"].update(also_accept=["sciatica", "nonsense"]),
            "field 'answer.also_accept': unknown cause 'nonsense'",
        ),
        (lambda c: c["answer"].update(origin="spine"), "field 'answer.origin': unknown field"),
        (
            lambda c: c["teaching_points"][0]["cite"].update(quote="words the page never says"),
            "field 'teaching_points[1].cite': quote not found in 'zh_handan'",
        ),
    ],
)
def test_malformed_cases_name_the_case_and_the_field(kb, edit, message):
    data = yaml.safe_load((kb.path / "cases.yaml").read_text(encoding="utf-8"))
    edit(data[0])
    with pytest.raises(DataError) as info:
        parse(yaml.safe_dump(data, allow_unicode=True), kb)
    assert message in str(info.value)


def test_yaml_is_read_safely(kb):
    with pytest.raises(DataError, match="not valid YAML"):
        parse("- !!python/object/apply:os.system ['echo unsafe']", kb)


def test_switching_language_keeps_the_answer_and_its_feedback(kb, cases):
    quiz = CaseQuiz(kb, cases, lang="en")
    case = quiz.case
    quiz.answer(case.group, case.cause_id, case.urgency)
    quiz.language.value = "zh"
    assert (quiz.origin.value, quiz.cause.value, quiz.urgency.value) == (case.group, case.cause_id, case.urgency)
    assert "正确" in quiz.feedback.value and "教学要点" in quiz.feedback.value
    quiz.next_case()  # a new case starts blank
    assert quiz.cause.value is None and quiz.feedback.value == ""


def test_switching_language_shows_the_latest_attempt_and_keeps_a_half_answer(kb, cases):
    quiz = CaseQuiz(kb, cases, lang="en")
    case = quiz.case
    wrong = next(g for g in ("mechanical", "visceral", "non_mechanical_spinal") if g != case.group)
    quiz.answer(wrong, case.cause_id, case.urgency)  # first attempt: the origin is wrong
    quiz.answer(case.group, case.cause_id, case.urgency)  # second attempt: all right
    quiz.language.value = "zh"
    assert 'data-part="origin" data-correct="true"' in quiz.feedback.value  # the latest attempt, not the first
    assert quiz.results[case.case_id]["origin"] is False  # while the score keeps the first
    quiz.next_case()
    quiz.origin.value = case.group if quiz.case.group == case.group else quiz.case.group
    half = quiz.origin.value
    quiz.check()  # incomplete: the message is kept and translated
    quiz.language.value = "en"
    assert quiz.origin.value == half and "Choose an origin" in quiz.feedback.value


def test_feedback_is_framed_in_the_urgency_colour_with_red_flags_first(kb, cases):
    from backpain.vocab import URGENCY

    case = next(c for c in cases if c.urgency == "emergency")
    quiz = CaseQuiz(kb, [case], lang="en")
    quiz.answer(case.group, case.cause_id, case.urgency)
    feedback = quiz.feedback.value
    assert URGENCY.colour("emergency") in feedback.split("bp-feedback-urgency")[0]  # the frame
    first_flag, first_mark = feedback.find('class="bp-flag"'), feedback.find("bp-feedback-part")
    assert 0 < feedback.find("bp-feedback-urgency") < first_flag < first_mark  # urgency, flags, then marks


def test_overview_counts_cases_by_hand():
    from backpain.ui.quiz import overview

    small = [
        SimpleNamespace(group="mechanical", urgency="routine"),
        SimpleNamespace(group="mechanical", urgency="routine"),
        SimpleNamespace(group="visceral", urgency="emergency"),
    ]
    table = overview(small, "en")
    assert table.to_numpy().sum() == 3 and table.shape == (3, table.shape[1])
    counts = {(g, u): n for g, row in table.iterrows() for u, n in row.items() if n}
    assert len(counts) == 2 and sorted(counts.values()) == [1, 2]
    assert table.iloc[0].sum() == 2 and table.iloc[1].sum() == 0 and table.iloc[2].sum() == 1  # the groups in order


def test_overview_counts_every_case_with_labels(cases):
    from backpain.ui.quiz import overview

    table = overview(cases, "zh")
    assert table.to_numpy().sum() == len(cases)
    assert "内脏（牵涉痛）" in table.index and "急症：立即处理" in table.columns
