"""The differential engine: naive Bayes over likelihood ratios, with red flags kept separate.

Each cause starts from its prior odds (base_rates.csv, a stated setting). Every finding the student
marks present multiplies them by its LR+, every finding marked absent by its LR−. A finding not
linked to a cause multiplies it by the finding's `lr_unlinked` when present (below 1 for alarm
findings such as haematuria, which the benign causes never produce; 1 otherwise) and leaves it
unchanged when absent. One cause at a time is assumed (a teaching simplification),
so the posteriors are normalised across causes and summed by origin for the spine / visceral split.

Danger is not likelihood: red-flag rules fire on their trigger findings whatever the ranking, and
can't-miss causes are listed with how far the findings moved them.

All numbers live in numpy arrays built once from the tables; a call is a few vector operations
(see benchmarks/bench_engine.py), and tables for display are only built when asked for.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable

import numpy as np
import pandas as pd

URGENCY_ORDER = {"emergency": 0, "same_day": 1, "soon": 2, "routine": 3}

# Deyo & Weinstein's three-way split, applied to the taxonomy's origins.
GROUPS = {
    "spine": ("spine", "neurological", "postural", "psychosocial", "post_surgical"),
    "serious_spinal": ("serious_spinal",),
    "visceral": ("visceral",),
}


class FindingError(ValueError):
    """The finding ids given to the engine cannot be used as they are; the message says why."""


@dataclass(frozen=True)
class Engine:
    """Arrays for the causes that have a prior in the stated setting, and the findings linked to them."""

    causes: pd.DataFrame  # index cause_id: name_en, name_zh, origin, organ_system, can_t_miss, prior
    findings: pd.DataFrame  # index finding_id: group, label_en, label_zh, question_en, question_zh
    links: pd.DataFrame  # cause_findings rows
    flags: pd.DataFrame  # red_flags rows
    log_prior: np.ndarray = field(repr=False)
    log_lr_pos: np.ndarray = field(repr=False)  # causes × findings, 0 where unlinked
    log_lr_neg: np.ndarray = field(repr=False)
    group_of: np.ndarray = field(repr=False)  # group name per cause

    @classmethod
    def from_tables(cls, taxonomy, findings, cause_findings, base_rates, red_flags) -> "Engine":
        tax = taxonomy.set_index("cause_id")
        rates = base_rates.set_index("cause_id")
        causes = tax.loc[rates.index, ["name_en", "name_zh", "origin", "organ_system", "can_t_miss"]].copy()
        causes["prior"] = rates.prior / rates.prior.sum()
        fnd = findings.set_index("finding_id")
        row = {c: i for i, c in enumerate(causes.index)}
        col = {f: j for j, f in enumerate(fnd.index)}
        # unlinked causes: LR+ from findings.lr_unlinked (an alarm finding counts against them), LR- 1
        pos = np.tile(np.log(fnd.lr_unlinked.to_numpy(dtype=float)), (len(causes), 1))
        neg = np.zeros_like(pos)
        links = cause_findings[cause_findings.cause_id.isin(row)]
        for link in links.itertuples():
            pos[row[link.cause_id], col[link.finding_id]] = np.log(link.lr_pos)
            neg[row[link.cause_id], col[link.finding_id]] = np.log(link.lr_neg)
        group = {origin: name for name, origins in GROUPS.items() for origin in origins}
        return cls(causes, fnd, links.reset_index(drop=True), red_flags.reset_index(drop=True),
                   np.log(causes.prior.to_numpy()), pos, neg,
                   np.array([group.get(o, "other") for o in causes.origin]))

    # --- input --------------------------------------------------------------------------------
    def _indices(self, present: Iterable[str], absent: Iterable[str]) -> tuple[list[int], list[int]]:
        present, absent = list(dict.fromkeys(present)), list(dict.fromkeys(absent))
        unknown = [f for f in present + absent if f not in self.findings.index]
        if unknown:
            hints = []
            for f in unknown:
                close = difflib.get_close_matches(f, self.findings.index, n=2)
                hints.append(f"'{f}'" + (f" (did you mean {' or '.join(close)}?)" if close else ""))
            raise FindingError(f"unknown finding id(s): {', '.join(hints)}; see findings.csv for the list")
        both = sorted(set(present) & set(absent))
        if both:
            raise FindingError(f"finding(s) marked both present and absent: {', '.join(both)}; choose one")
        index = self.findings.index
        return [index.get_loc(f) for f in present], [index.get_loc(f) for f in absent]

    # --- the computation ------------------------------------------------------------------------
    def log_odds(self, present: list[int], absent: list[int]) -> np.ndarray:
        return self.log_prior + self.log_lr_pos[:, present].sum(axis=1) + self.log_lr_neg[:, absent].sum(axis=1)

    @staticmethod
    def normalise(logits: np.ndarray, axis: int = 0) -> np.ndarray:
        z = np.exp(logits - logits.max(axis=axis, keepdims=True))
        return z / z.sum(axis=axis, keepdims=True)

    def differential(self, present: Iterable[str] = (), absent: Iterable[str] = ()) -> "Differential":
        """Rank the causes for these findings. Unknown or contradictory ids raise FindingError."""
        pres, abs_ = self._indices(present, absent)
        posterior = self.normalise(self.log_odds(pres, abs_))
        return Differential(self, tuple(self.findings.index[pres]), tuple(self.findings.index[abs_]), posterior)

    def raised_flags(self, present: Iterable[str]) -> pd.DataFrame:
        """Red flags whose trigger count is met, most urgent first."""
        present = set(present)
        raised, matched = [], []
        for i, triggers in enumerate(self.flags.trigger_findings.str.split(";")):
            hits = [t for t in triggers if t in present]
            if len(hits) >= self.flags.min_count.iat[i]:
                raised.append(i)
                matched.append(hits)
        table = self.flags.iloc[raised].assign(matched=matched)
        order = table.urgency.map(URGENCY_ORDER)
        return table.assign(_rank=order).sort_values(["_rank", "flag_id"]).drop(columns="_rank").reset_index(drop=True)


@dataclass(frozen=True)
class Differential:
    """One engine answer. Cheap to make; the tables are computed on first use."""

    engine: Engine
    present: tuple[str, ...]
    absent: tuple[str, ...]
    posterior: np.ndarray

    @property
    def message(self) -> str | None:
        if not self.present and not self.absent:
            return "No findings set yet: these are the pre-test probabilities for the setting."
        return None

    @cached_property
    def ranking(self) -> pd.DataFrame:
        """Causes by posterior, with prior, likelihood ratio overall, origin and can't-miss."""
        table = self.engine.causes.assign(posterior=self.posterior)
        table["change"] = table.posterior / table.prior
        table["group"] = self.engine.group_of
        return table.sort_values("posterior", ascending=False)

    @cached_property
    def split(self) -> pd.Series:
        """Posterior summed by group: spine (mechanical, incl. nerve, posture, psychosocial) / serious spinal / visceral."""
        groups = self.engine.group_of
        return pd.Series({g: float(self.posterior[groups == g].sum()) for g in GROUPS})

    @cached_property
    def red_flags(self) -> pd.DataFrame:
        return self.engine.raised_flags(self.present)

    @cached_property
    def cant_miss(self) -> pd.DataFrame:
        """Can't-miss causes, those the findings raised most first: always shown, whatever their rank."""
        table = self.ranking[self.ranking.can_t_miss]
        return table.sort_values("change", ascending=False)

    def top(self, n: int = 10) -> pd.DataFrame:
        return self.ranking.head(n)

    def contributions(self, cause_id: str) -> pd.DataFrame:
        """Each set finding's effect on one cause's odds (LR, log10 LR, basis, evidence): a waterfall's bars."""
        if cause_id not in self.engine.causes.index:
            raise KeyError(f"'{cause_id}' is not in the differential (no prior in this setting)")
        links = self.engine.links[self.engine.links.cause_id == cause_id].set_index("finding_id")
        rows = []
        for state, ids in (("present", self.present), ("absent", self.absent)):
            for f in ids:
                if f in links.index:
                    link = links.loc[f]
                    lr = link.lr_pos if state == "present" else link.lr_neg
                    rows.append(dict(finding_id=f, state=state, lr=lr, log10_lr=np.log10(lr), basis=link.basis,
                                     evidence=link.evidence, quote=link.quote, note=link.note))
                else:
                    lr = float(self.engine.findings.lr_unlinked[f]) if state == "present" else 1.0
                    note = ("not linked to this cause: no effect" if lr == 1 else
                            f"not linked to this cause; as an alarm finding it counts against it (LR {lr:g}, teaching estimate)")
                    rows.append(dict(finding_id=f, state=state, lr=lr, log10_lr=np.log10(lr), basis="unlinked",
                                     evidence=None, quote=None, note=note))
        table = pd.DataFrame(rows, columns=["finding_id", "state", "lr", "log10_lr", "basis", "evidence", "quote", "note"])
        return table.sort_values("log10_lr", key=abs, ascending=False).reset_index(drop=True)

    def ask_next(self, n: int = 8) -> pd.DataFrame:
        """Unanswered findings ranked by how far either answer would move the visceral share or the top cause.

        For every candidate, both answers are tried (present: LR+, absent: LR−); the score is the larger
        of the two shifts, so a question is worth asking if some answer would change the picture.
        """
        e = self.engine
        asked = set(self.present) | set(self.absent)
        candidates = [j for j, f in enumerate(e.findings.index) if f not in asked and
                      (e.log_lr_pos[:, j].any() or e.log_lr_neg[:, j].any())]
        base = np.log(self.posterior)[:, None]
        visceral = e.group_of == "visceral"
        top = int(np.argmax(self.posterior))
        shifts = {}
        for answer, table in (("yes", e.log_lr_pos), ("no", e.log_lr_neg)):
            post = e.normalise(base + table[:, candidates], axis=0)
            shifts[answer] = (post[visceral].sum(axis=0) - self.posterior[visceral].sum(), post[top] - self.posterior[top])
        split_shift = np.maximum(abs(shifts["yes"][0]), abs(shifts["no"][0]))
        top_shift = np.maximum(abs(shifts["yes"][1]), abs(shifts["no"][1]))
        ids = e.findings.index[candidates]
        table = pd.DataFrame({
            "finding_id": ids, "group": e.findings.group[ids].to_numpy(),
            "visceral_if_yes": shifts["yes"][0], "visceral_if_no": shifts["no"][0],
            "top_if_yes": shifts["yes"][1], "top_if_no": shifts["no"][1],
            "score": np.maximum(split_shift, top_shift),
        })
        return table.sort_values("score", ascending=False).head(n).reset_index(drop=True)


def split_shift(engine: Engine, finding_ids: list[str]) -> pd.DataFrame:
    """How one finding on its own moves the visceral share from its pre-test value (2% in primary care).

    odds_factor > 1: the finding points away from the spine towards the viscera; < 1: towards the spine.
    """
    before = engine.differential().split["visceral"]
    rows = []
    for f in finding_ids:
        yes, no = engine.differential([f]).split["visceral"], engine.differential((), [f]).split["visceral"]
        factor = (yes / (1 - yes)) / (before / (1 - before))
        rows.append({"finding_id": f, "visceral_before": before, "visceral_if_present": yes,
                     "visceral_if_absent": no, "odds_factor": factor})
    return pd.DataFrame(rows).sort_values("odds_factor", ascending=False).reset_index(drop=True)
