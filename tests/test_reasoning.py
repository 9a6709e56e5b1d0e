"""The differential engine: properties that must hold, the model's rules, and clear input errors.

Whether its answers agree with the textbook is judged in test_clinical_presentations.py, on
presentations written outside the project.
"""

import numpy as np
import pytest

from backpain.reasoning.engine import URGENCY_ORDER, FindingError, derived_lrs

MECHANICAL = ["loc_lumbar", "agg_movement", "rel_rest", "agg_palpation"]
CAUDA = ["assoc_saddle_anaesthesia", "assoc_bladder_bowel"]


@pytest.fixture(scope="module")
def engine(kb):
    return kb.engine


def test_posteriors_are_a_distribution(engine):
    rng = np.random.default_rng(0)
    ids = list(engine.findings.index)
    for _ in range(200):
        chosen = rng.choice(ids, size=rng.integers(0, 12), replace=False)
        cut = rng.integers(0, len(chosen) + 1)
        d = engine.differential(chosen[:cut], chosen[cut:])
        assert d.posterior.sum() == pytest.approx(1.0)
        assert (d.posterior >= 0).all()
        assert d.split.sum() == pytest.approx(1.0)


def test_likelihood_ratios_are_derived_from_frequency_and_background(engine):
    links = engine.links
    pos, neg = derived_lrs(links.frequency.astype(float), links.background.astype(float))
    np.testing.assert_allclose(links.lr_pos, pos)
    np.testing.assert_allclose(links.lr_neg, neg)
    assert ((links.lr_pos > 1) == (links.lr_neg < 1)).all()  # one frequency cannot point both ways
    assert "lr_pos" not in engine.findings.columns  # nothing typed twice


def test_a_finding_with_lr_above_one_never_lowers_its_cause(engine):
    """Adding a finding with LR+ > 1 raises the cause's odds against every cause the finding favours
    less, and raises its probability when no cause is favoured more."""
    base = engine.differential(["loc_lumbar"])
    for link in engine.links[(engine.links.lr_pos > 1) & (engine.links.finding_id != "loc_lumbar")].itertuples():
        if link.finding_id in engine.scale_of:
            continue  # a band replaces another band of its scale: tested below
        after = engine.differential(["loc_lumbar", link.finding_id])
        i = engine.causes.index.get_loc(link.cause_id)
        lrs = engine.log_lr_pos[:, engine.findings.index.get_loc(link.finding_id)]
        weaker = lrs < np.log(link.lr_pos) - 1e-12
        gain = np.log(after.posterior[i] / after.posterior[weaker]) - np.log(base.posterior[i] / base.posterior[weaker])
        assert (gain > 0).all(), link
        if (lrs <= np.log(link.lr_pos) + 1e-12).all():
            assert after.posterior[i] > base.posterior[i], link


def test_odds_update_exactly_by_the_derived_likelihood_ratios(engine):
    d0, d1 = engine.differential(), engine.differential(["agg_meals"], ["assoc_fever"])
    links = engine.links.set_index(["cause_id", "finding_id"])

    def factor(cause):
        pos = links.lr_pos.get((cause, "agg_meals"), 1.0)  # not listed: at background, LR 1
        neg = links.lr_neg.get((cause, "assoc_fever"), 1.0)
        return pos * neg

    a, b = engine.causes.index.get_loc("pancreatitis"), engine.causes.index.get_loc("lumbar_muscle_strain")
    ratio = (d1.posterior[a] / d1.posterior[b]) / (d0.posterior[a] / d0.posterior[b])
    assert factor("pancreatitis") > 1
    assert ratio == pytest.approx(factor("pancreatitis") / factor("lumbar_muscle_strain"))


def test_an_alarm_finding_counts_against_the_conditions_that_rarely_have_it(engine):
    """Fever is rare in ordinary back pain and common in spinal infection: one answer moves the odds of
    infection against strain by the ratio of the two frequencies."""
    d0, d1 = engine.differential(), engine.differential(["assoc_fever"])
    infection, strain = (engine.causes.index.get_loc(c) for c in ("spinal_infection", "lumbar_muscle_strain"))
    moved = (d1.posterior[infection] / d1.posterior[strain]) / (d0.posterior[infection] / d0.posterior[strain])
    frequency = engine.links.set_index(["cause_id", "finding_id"]).frequency
    background = engine.findings.loc["assoc_fever", "background"]

    def rate(cause):  # a cause that does not list fever has it at the background rate
        return frequency.get((cause, "assoc_fever"), background)

    assert moved == pytest.approx(rate("spinal_infection") / rate("lumbar_muscle_strain"))
    assert rate("spinal_infection") > rate("lumbar_muscle_strain") and moved > 1


def test_pretest_split_is_the_sum_of_the_priors_per_group(engine):
    """With no findings the posterior is the prior and the split adds the priors of each group (the figures
    the notebooks teach are checked in test_lesson_claims.py)."""
    d = engine.differential()
    np.testing.assert_allclose(d.posterior, engine.causes.prior)
    assert "pre-test" in d.message
    expected = engine.causes.groupby("group").prior.sum()
    assert d.split.to_dict() == pytest.approx(expected.reindex(d.split.index).to_dict())
    assert set(d.split.index) == {"mechanical", "non_mechanical_spinal", "visceral"}


def test_only_conditions_are_ranked_and_factors_are_listed_beside_them(engine, kb):
    roles = kb.taxonomy.set_index("cause_id").role
    assert (roles[engine.causes.index] == "condition").all()
    d = engine.differential(["hx_sedentary_work", "hx_stress", "loc_lumbar"])
    assert {"sedentary_lifestyle", "stress"} <= set(d.factors.index)
    assert not set(d.factors.index) & set(d.ranking.index)
    assert engine.differential(["loc_lumbar"]).factors.empty


def test_age_bands_are_one_variable(engine):
    """A 75-year-old marked 'over 50' and 'over 70' is counted once, as over 70; other bands are ignored."""
    over70 = engine.differential(["hx_age_over_70", "loc_thoracic"])
    both = engine.differential(["hx_age_over_50", "hx_age_over_70", "loc_thoracic"], ["hx_age_20_40"])
    np.testing.assert_allclose(over70.posterior, both.posterior)
    assert both.used_present == ("hx_age_over_70", "loc_thoracic") and both.used_absent == ()
    young = engine.differential(["hx_age_20_40"]).ranking.loc["osteoporotic_fracture"].posterior
    old = engine.differential(["hx_age_over_70"]).ranking.loc["osteoporotic_fracture"].posterior
    assert old > 20 * young


def test_emergency_flags_surface_whatever_the_ranking(engine):
    """Every emergency rule, met by its first alternatives on top of a strongly mechanical picture (less
    the rule's own stated exceptions), is raised and listed first, and sets the urgency."""
    for flag in engine.flags[engine.flags.urgency == "emergency"].itertuples():
        triggers = [group[0] for group in flag.groups[: flag.min_count]]
        background = [f for f in MECHANICAL if f not in flag.unless_ids]
        d = engine.differential(background + [t for t in triggers if t not in background])
        assert flag.flag_id in set(d.red_flags.flag_id), flag.flag_id
        assert d.red_flags.iloc[0].urgency == "emergency" and d.urgency == "emergency"


def test_a_stated_exception_silences_only_its_own_rule(engine):
    """Bilateral leg symptoms that come with walking are claudication, not cauda equina; pain late in
    pregnancy is not an ectopic pregnancy. Sphincter symptoms still raise cauda equina whatever else."""
    bilateral = ["assoc_bilateral_leg", "loc_radiates_leg", "hx_age_over_70"]
    assert "cauda_equina_neuro" in set(engine.differential(bilateral).red_flags.flag_id)
    claudication = engine.differential([*bilateral, "agg_walking_claudication"])
    assert "cauda_equina_neuro" not in set(claudication.red_flags.flag_id)
    assert "cauda_equina" in set(
        engine.differential([*bilateral, "agg_walking_claudication", "assoc_bladder_bowel"]).red_flags.flag_id
    )
    early = engine.differential(["hx_pregnancy", "loc_pelvic"])
    late = engine.differential(["hx_pregnancy", "hx_pregnancy_late", "loc_pelvic"])
    assert "ectopic_pregnancy" in set(early.red_flags.flag_id) and "ectopic_pregnancy" not in set(
        late.red_flags.flag_id
    )


def test_flags_need_their_count_of_groups_not_of_findings(engine):
    """Two findings from the same group do not make two groups (ADD-RS counts categories)."""
    d = engine.differential(["assoc_pulse_deficit", "assoc_hypotension", "loc_lumbar"])
    assert "aortic_dissection" not in set(d.red_flags.flag_id)
    d = engine.differential(["char_tearing", "assoc_pulse_deficit"])
    assert "aortic_dissection" in set(d.red_flags.flag_id)


def test_urgency_is_routine_without_flags_and_the_most_urgent_flag_otherwise(engine):
    assert engine.differential(MECHANICAL).urgency == "routine"
    d = engine.differential([*MECHANICAL, "assoc_fever", *CAUDA])
    assert d.urgency == "emergency"
    assert list(d.red_flags.urgency.map(URGENCY_ORDER)) == sorted(d.red_flags.urgency.map(URGENCY_ORDER))


def test_contributions_explain_the_shift(engine):
    present, absent = ["char_colicky", "loc_flank_left", "assoc_haematuria"], ["agg_movement"]
    d = engine.differential(present, absent)
    c = d.contributions("renal_colic")
    assert set(c.finding_id) == set(present) | set(absent)
    row = d.ranking.loc["renal_colic"]
    index = engine.findings.index
    log_odds = engine.log_odds(list(index.get_indexer(present)), list(index.get_indexer(absent)))
    assert np.prod(c.lr) == pytest.approx(
        np.exp(log_odds[engine.causes.index.get_loc("renal_colic")] - np.log(row.prior))
    )
    assert set(c.basis) <= {"literature", "source", "teaching_estimate", "background"}


def test_ask_next_puts_unasked_red_flag_questions_first(engine):
    d = engine.differential([*CAUDA, "loc_lumbar", "onset_after_lifting"])
    ask = d.ask_next(8)
    flagged = ask.red_flag_urgency.notna()
    assert flagged.iloc[0] and list(flagged) == sorted(flagged, reverse=True)  # red-flag questions first
    assert "onset_after_lifting" not in set(ask.finding_id)
    assert set(ask.finding_id[flagged]) & {"assoc_fever", "hx_cancer", "hx_trauma"}
    rest = ask[~flagged]
    assert rest.score.is_monotonic_decreasing


def test_ask_next_scores_the_larger_shift_of_either_answer(engine):
    ask = engine.differential(["loc_thoracic"]).ask_next(40)
    rest = ask[ask.red_flag_urgency.isna()]
    assert len(rest) and "loc_thoracic" not in set(ask.finding_id)
    top = rest.iloc[0]
    assert max(
        abs(top.visceral_if_yes), abs(top.visceral_if_no), abs(top.top_if_yes), abs(top.top_if_no)
    ) == pytest.approx(top.score)


def test_unknown_and_contradictory_findings_get_specific_messages(engine):
    with pytest.raises(FindingError, match=r"unknown finding id\(s\): 'agg_movment' \(did you mean agg_movement"):
        engine.differential(["agg_movment"])
    with pytest.raises(FindingError, match="both present and absent: assoc_fever"):
        engine.differential(["assoc_fever"], ["assoc_fever"])
    with pytest.raises(ValueError, match="whole number"):
        engine.differential().top("3")


@pytest.mark.parametrize(
    "present, message",
    [
        ({"assoc_fever": True}, "must be a list of finding ids"),
        (5, "must be a list of finding ids"),
        ([5], "finding ids are text"),
        ([float("nan")], "finding ids are text"),
        ([f"nonsense_{i}" for i in range(10_000)], "and 9995 more"),
    ],
)
def test_odd_inputs_get_short_specific_messages(engine, present, message):
    with pytest.raises(FindingError, match=message) as info:
        engine.differential(present)
    assert len(str(info.value)) < 600


def test_none_is_no_findings_and_one_string_is_one_finding(engine):
    assert engine.differential(None, None).present == ()
    assert engine.differential("assoc_fever").present == ("assoc_fever",)
