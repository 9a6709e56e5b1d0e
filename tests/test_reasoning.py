"""The differential engine: properties that must hold, textbook patterns, and clear input errors."""

import numpy as np
import pytest

from backpain.reasoning import FindingError

EXERTIONAL = ["loc_interscapular", "agg_exertion", "char_pressure", "assoc_sweating"]
MECHANICAL = ["agg_movement", "rel_rest", "agg_palpation"]
RENAL = ["char_colicky", "loc_flank_left", "loc_radiates_groin", "assoc_haematuria"]
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


def test_a_finding_with_lr_above_one_never_lowers_its_cause(engine):
    """Adding a finding with LR+ > 1 raises the cause's odds against every cause the finding favours
    less (all unlinked causes included), and raises its probability when no cause is favoured more."""
    base = engine.differential(["loc_lumbar"])
    for link in engine.links[(engine.links.lr_pos > 1) & (engine.links.finding_id != "loc_lumbar")].itertuples():
        after = engine.differential(["loc_lumbar", link.finding_id])
        i = engine.causes.index.get_loc(link.cause_id)
        lrs = engine.log_lr_pos[:, engine.findings.index.get_loc(link.finding_id)]
        weaker = lrs < np.log(link.lr_pos)
        gain = np.log(after.posterior[i] / after.posterior[weaker]) - np.log(base.posterior[i] / base.posterior[weaker])
        assert (gain > 0).all(), link
        if (lrs <= np.log(link.lr_pos) + 1e-12).all():
            assert after.posterior[i] > base.posterior[i], link


def test_odds_update_exactly_by_the_likelihood_ratios(engine):
    d0 = engine.differential()
    d1 = engine.differential(["agg_meals"], ["assoc_fever"])
    lr = engine.links.set_index(["cause_id", "finding_id"])

    def factor(cause):  # LR+ of meals times LR- of fever, 1 where unlinked
        pos = lr.lr_pos.get((cause, "agg_meals"), engine.findings.lr_unlinked["agg_meals"])
        neg = lr.lr_neg.get((cause, "assoc_fever"), 1.0)
        return pos * neg

    a, b = engine.causes.index.get_loc("pancreatitis"), engine.causes.index.get_loc("lumbar_muscle_strain")
    ratio = (d1.posterior[a] / d1.posterior[b]) / (d0.posterior[a] / d0.posterior[b])
    assert factor("pancreatitis") > 1
    assert ratio == pytest.approx(factor("pancreatitis") / factor("lumbar_muscle_strain"))


def test_exertional_interscapular_pressure_with_sweating_is_cardiac_and_visceral(engine):
    d = engine.differential(EXERTIONAL)
    assert d.top(1).index[0] in {"angina", "myocardial_infarction"}
    assert d.ranking.loc["myocardial_infarction"].posterior > d.ranking.loc["myocardial_infarction"].prior * 10
    assert d.split["visceral"] > d.split["spine"]
    assert "acute_coronary" in set(d.red_flags.flag_id)


def test_mechanical_pattern_puts_spine_first(engine):
    d = engine.differential(MECHANICAL)
    assert d.top(1).origin.iloc[0] == "spine"
    assert d.split["spine"] > 0.9 and d.split["visceral"] < 0.02


def test_colicky_flank_pain_to_the_groin_with_haematuria_is_renal_colic(engine):
    d = engine.differential(RENAL)
    assert d.top(1).index[0] == "renal_colic"


def test_saddle_anaesthesia_with_retention_raises_the_emergency_flag(engine):
    d = engine.differential(CAUDA)
    flags = d.red_flags
    assert flags.iloc[0].urgency == "emergency" and flags.iloc[0].flag_id == "cauda_equina"
    assert d.cant_miss.index[0] == "cauda_equina_syndrome"
    assert d.ranking.loc["cauda_equina_syndrome"].change > 10


def test_emergency_flags_surface_whatever_the_ranking(engine):
    # Cauda-equina triggers buried under a strongly mechanical picture: the ranking stays spinal,
    # the emergency flag is still raised and listed first.
    d = engine.differential(MECHANICAL + ["onset_after_lifting", "assoc_saddle_anaesthesia"])
    assert d.top(1).origin.iloc[0] == "spine"
    assert d.red_flags.iloc[0].urgency == "emergency"
    for flag in engine.flags[engine.flags.urgency == "emergency"].itertuples():
        triggers = flag.trigger_findings.split(";")[: flag.min_count]
        raised = engine.differential(MECHANICAL + triggers).red_flags
        assert flag.flag_id in set(raised.flag_id), flag.flag_id


def test_contributions_explain_the_shift(engine):
    d = engine.differential(RENAL, ["agg_movement"])
    c = d.contributions("renal_colic")
    assert set(c.finding_id) == set(RENAL) | {"agg_movement"}
    row = d.ranking.loc["renal_colic"]
    # the product of the LRs is the factor on the cause's odds before normalising
    assert np.prod(c.lr) == pytest.approx(np.exp(engine.log_odds(
        [engine.findings.index.get_loc(f) for f in RENAL], [engine.findings.index.get_loc("agg_movement")]
    )[engine.causes.index.get_loc("renal_colic")] - np.log(row.prior)))


def test_ask_next_prefers_questions_that_separate_spine_from_viscera(engine):
    d = engine.differential(["loc_thoracic"])
    ask = d.ask_next(10)
    assert len(ask) == 10 and ask.score.is_monotonic_decreasing
    assert not set(ask.finding_id) & {"loc_thoracic"}
    top = ask.iloc[0]
    assert max(abs(top.visceral_if_yes), abs(top.visceral_if_no), abs(top.top_if_yes), abs(top.top_if_no)) == pytest.approx(top.score)


def test_empty_input_gives_pretest_probabilities_and_says_so(engine):
    d = engine.differential()
    np.testing.assert_allclose(d.posterior, engine.causes.prior)
    assert "pre-test" in d.message
    # Deyo & Weinstein: 2% visceral; the rest spinal (fractures count as serious here, mechanical there)
    assert d.split["visceral"] == pytest.approx(0.02, abs=0.005)
    assert d.split["spine"] + d.split["serious_spinal"] == pytest.approx(0.98, abs=0.005)


def test_unknown_and_contradictory_findings_get_specific_messages(engine):
    with pytest.raises(FindingError, match=r"unknown finding id\(s\): 'agg_movment' \(did you mean agg_movement"):
        engine.differential(["agg_movment"])
    with pytest.raises(FindingError, match="both present and absent: assoc_fever"):
        engine.differential(["assoc_fever"], ["assoc_fever"])
