"""The differential engine: naive Bayes over finding frequencies, with red-flag rules kept apart.

Why frequencies, not typed likelihood ratios. Each cause–finding link records how often the finding
occurs in that condition (P(finding | condition), as DXplain does), and each finding records its
*background*: how often it occurs in ordinary mechanical back pain. A condition that does not list a
finding has it at the background rate. The likelihood ratios shown to students are derived from the
two, never typed: LR+ = frequency / background, LR− = (1 − frequency) / (1 − background). Because every
condition is measured against the same background, an alarm feature that ordinary back pain almost
never has (fever, a pulse deficit, foot drop) lifts the conditions that produce it by how rare it is
in the others, and an absent feature that a condition nearly always has (pain worse on moving, for a
strain) counts against it.

Only *conditions* are ranked (taxonomy role `condition`, with a prior in base_rates.csv). Contributing
factors (posture, sedentary work, obesity, smoking …) are listed beside the ranking as factors present,
and act through the findings that show them. Age bands and sex are one variable each (findings.csv
`scale`): when a band is set, the narrowest band marked present is used and the others are ignored,
so a 75-year-old is not counted twice as "over 50" and "over 70".

Priors are for a stated setting (adult primary care) and sum by group to Deyo & Weinstein's split
(mechanical 97%, non-mechanical spinal 1%, visceral 2%); age and sex act through their frequencies.
One condition at a time is assumed (a teaching simplification), so posteriors are normalised.

Danger is not likelihood: red-flag rules (red_flags.csv) fire on their trigger groups whatever the
ranking, and the urgency of a presentation is that of its most urgent flag.

All numbers live in numpy arrays built once; a call is a few vector operations
(benchmarks/bench_engine.py), and tables for display are only built when asked for.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ..vocab import SPLIT_GROUP, URGENCY

URGENCY_ORDER = {u: i for i, u in enumerate(URGENCY)}


class FindingError(ValueError):
    """The finding ids given to the engine cannot be used as they are; the message says why."""


def parse_triggers(text: str) -> list[list[str]]:
    """'a|b;c' → [['a', 'b'], ['c']]: groups (all counted) of alternatives (any one satisfies)."""
    return [group.split("|") for group in text.split(";")]


def in_language(row, column: str, lang: str):
    """A row's text in Chinese where it has it (`column_zh`), else the English `column`."""
    text = row.get(f"{column}_zh") if lang == "zh" else None
    return text if isinstance(text, str) and text else row.get(column)


def derived_lrs(frequency, background) -> tuple:
    """LR+ and LR− of a finding for a condition, relative to ordinary mechanical back pain."""
    return frequency / background, (1 - frequency) / (1 - background)


@dataclass(frozen=True)
class Engine:
    """Arrays for the conditions that have a prior in the stated setting, and every finding."""

    causes: pd.DataFrame  # index cause_id: name_en, name_zh, origin, organ_system, can_t_miss, prior, group
    findings: pd.DataFrame  # index finding_id: group, labels, questions, background, scale
    links: pd.DataFrame  # cause_findings rows of ranked conditions, with derived lr_pos, lr_neg
    flags: pd.DataFrame  # red_flags rows, with parsed `groups`
    factors: pd.DataFrame  # contributing factors: index cause_id, name_en, name_zh, indicated_by (list)
    log_prior: np.ndarray = field(repr=False)
    log_lr_pos: np.ndarray = field(repr=False)  # causes × findings, 0 where the cause is at background
    log_lr_neg: np.ndarray = field(repr=False)
    scale_of: dict = field(repr=False)  # finding_id → its scale (age, sex), for findings on one
    column_of: dict = field(repr=False)  # finding_id → its column in the arrays
    background_of: dict = field(repr=False)  # finding_id → its background rate
    group_code: np.ndarray = field(repr=False)  # split group per cause, as its index in SPLIT_GROUP

    @classmethod
    def from_tables(cls, taxonomy, findings, cause_findings, base_rates, red_flags) -> Engine:
        tax = taxonomy.set_index("cause_id")
        rates = base_rates.set_index("cause_id")
        causes = tax.loc[rates.index, ["name_en", "name_zh", "origin", "organ_system", "can_t_miss"]].copy()
        causes["prior"] = rates.prior / rates.prior.sum()
        causes["group"] = rates.group
        fnd = findings.set_index("finding_id")
        background = fnd.background.to_numpy(dtype=float)
        links = cause_findings[cause_findings.cause_id.isin(causes.index)].reset_index(drop=True)
        bg = fnd.background.reindex(links.finding_id).to_numpy(dtype=float)
        lr_pos, lr_neg = derived_lrs(links.frequency.to_numpy(dtype=float), bg)
        links = links.assign(background=bg, lr_pos=lr_pos, lr_neg=lr_neg)
        freq = np.tile(background, (len(causes), 1))
        rows = causes.index.get_indexer(links.cause_id)
        cols = fnd.index.get_indexer(links.finding_id)
        freq[rows, cols] = links.frequency.to_numpy(dtype=float)
        pos, neg = derived_lrs(freq, background)
        flags = red_flags.reset_index(drop=True)
        flags = flags.assign(
            groups=[parse_triggers(t) for t in flags.trigger_findings],
            unless_ids=[set(u.split(";")) if isinstance(u, str) else set() for u in flags.unless],
        )
        factor_rows = tax[tax.role == "factor"]
        factors = pd.DataFrame(
            {
                "name_en": factor_rows.name_en,
                "name_zh": factor_rows.name_zh,
                "indicated_by": [t.split(";") if isinstance(t, str) else [] for t in factor_rows.indicated_by],
            }
        )
        return cls(
            causes,
            fnd,
            links,
            flags,
            factors,
            np.log(causes.prior.to_numpy()),
            np.log(pos),
            np.log(neg),
            fnd.scale.dropna().to_dict(),
            {f: j for j, f in enumerate(fnd.index)},
            fnd.background.astype(float).to_dict(),
            np.array([SPLIT_GROUP.index(g) for g in causes.group]),
        )

    # --- input --------------------------------------------------------------------------------
    @staticmethod
    def as_ids(ids, name: str) -> list[str]:
        """A list of finding ids from what a caller passed: None is none, one string is one id."""
        if ids is None:
            return []
        if isinstance(ids, str):
            return [ids]
        if isinstance(ids, Mapping) or not isinstance(ids, Iterable):
            raise FindingError(
                f"{name} must be a list of finding ids such as ['assoc_fever'], not {type(ids).__name__}"
            )
        ids = list(ids)
        wrong = [f for f in ids if not isinstance(f, str)]
        if wrong:
            raise FindingError(f"{name}: finding ids are text such as 'assoc_fever', not {wrong[0]!r}")
        return list(dict.fromkeys(ids))

    def check_ids(self, present, absent) -> tuple[list[str], list[str]]:
        """The ids as two duplicate-free lists; unknown or contradictory ids raise FindingError."""
        present, absent = self.as_ids(present, "present"), self.as_ids(absent, "absent")
        unknown = [f for f in present + absent if f not in self.column_of]
        if unknown:
            hints = []
            for f in unknown[:5]:
                close = difflib.get_close_matches(f, self.findings.index, n=2)
                hints.append(f"'{f[:60]}'" + (f" (did you mean {' or '.join(close)}?)" if close else ""))
            more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
            raise FindingError(f"unknown finding id(s): {', '.join(hints)}{more}; see findings.csv for the list")
        both = sorted(set(present) & set(absent))
        if both:
            raise FindingError(f"finding(s) marked both present and absent: {', '.join(both)}; choose one")
        return present, absent

    def effective(self, present: list[str], absent: list[str]) -> tuple[list[str], list[str]]:
        """Apply the scales: where a band of a scale is present, keep only its narrowest present band."""
        scale = self.scale_of
        on_scale = [f for f in present if f in scale]
        if not on_scale:
            return present, absent
        background = self.background_of
        keep = {}
        for f in on_scale:
            if scale[f] not in keep or background[f] < background[keep[scale[f]]]:
                keep[scale[f]] = f
        drop = {f for f in present + absent if f in scale and scale[f] in keep and keep[scale[f]] != f}
        return [f for f in present if f not in drop], [f for f in absent if f not in drop]

    # --- the computation ------------------------------------------------------------------------
    def log_odds(self, present: list[int], absent: list[int]) -> np.ndarray:
        return self.log_prior + self.log_lr_pos[:, present].sum(axis=1) + self.log_lr_neg[:, absent].sum(axis=1)

    @staticmethod
    def normalise(logits: np.ndarray, axis: int = 0) -> np.ndarray:
        z = np.exp(logits - logits.max(axis=axis, keepdims=True))
        return z / z.sum(axis=axis, keepdims=True)

    def differential(self, present: Iterable[str] = (), absent: Iterable[str] = ()) -> Differential:
        """Rank the conditions for these findings. Unknown or contradictory ids raise FindingError."""
        present, absent = self.check_ids(present, absent)
        used_p, used_a = self.effective(present, absent)
        column = self.column_of
        posterior = self.normalise(self.log_odds([column[f] for f in used_p], [column[f] for f in used_a]))
        return Differential(self, tuple(present), tuple(absent), tuple(used_p), tuple(used_a), posterior)

    def raised_flags(self, present: Iterable[str]) -> pd.DataFrame:
        """Red flags with at least min_count trigger groups met (and none of their `unless` findings),
        most urgent first, with the matched findings."""
        present = set(present)
        raised, matched = [], []
        for i, (groups, unless) in enumerate(zip(self.flags.groups, self.flags.unless_ids)):
            hits = [[f for f in group if f in present] for group in groups]
            if sum(bool(h) for h in hits) >= self.flags.min_count.iat[i] and not unless & present:
                raised.append(i)
                matched.append([f for h in hits for f in h])
        table = self.flags.iloc[raised].assign(matched=matched)
        order = table.urgency.map(URGENCY_ORDER)
        return table.assign(rank=order).sort_values(["rank", "flag_id"]).drop(columns="rank").reset_index(drop=True)


@dataclass(frozen=True)
class Differential:
    """One engine answer. Cheap to make; the tables are computed on first use."""

    engine: Engine
    present: tuple[str, ...]
    absent: tuple[str, ...]
    used_present: tuple[str, ...]  # after the age and sex scales are applied
    used_absent: tuple[str, ...]
    posterior: np.ndarray

    @property
    def message(self) -> str | None:
        if not self.present and not self.absent:
            return "No findings set yet: these are the pre-test probabilities for the setting."
        return None

    @cached_property
    def ranking(self) -> pd.DataFrame:
        """Conditions by posterior, with prior, change (posterior / prior), origin, split group and can't-miss."""
        table = self.engine.causes.assign(posterior=self.posterior)
        table["change"] = table.posterior / table.prior
        return table.sort_values("posterior", ascending=False)

    @cached_property
    def split(self) -> pd.Series:
        """Posterior summed by Deyo & Weinstein's groups: mechanical / non-mechanical spinal / visceral."""
        sums = np.bincount(self.engine.group_code, weights=self.posterior, minlength=len(SPLIT_GROUP))
        return pd.Series(sums, index=list(SPLIT_GROUP))

    @cached_property
    def red_flags(self) -> pd.DataFrame:
        return self.engine.raised_flags(self.present)

    @property
    def urgency(self) -> str:
        """The urgency of the most urgent raised flag; routine when none is raised."""
        return self.red_flags.urgency.iat[0] if len(self.red_flags) else "routine"

    @cached_property
    def factors(self) -> pd.DataFrame:
        """Contributing factors shown by the findings present (never ranked as diagnoses)."""
        present = set(self.present)
        table = self.engine.factors.assign(
            matched=[[f for f in ids if f in present] for ids in self.engine.factors.indicated_by]
        )
        return table[table.matched.str.len() > 0]

    @cached_property
    def cant_miss(self) -> pd.DataFrame:
        """Can't-miss conditions, those the findings raised most first: always shown, whatever their rank."""
        table = self.ranking[self.ranking.can_t_miss]
        return table.sort_values("change", ascending=False)

    def top(self, n: int = 10) -> pd.DataFrame:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"top(n) needs a whole number of causes, not {n!r}")
        return self.ranking.head(int(n))

    def contributions(self, cause_id: str, lang: str = "en") -> pd.DataFrame:
        """Each set finding's effect on one condition's odds: its frequency there, its background, the
        derived LR, and where the frequency comes from (note and population in `lang`). A waterfall's bars."""
        if cause_id not in self.engine.causes.index:
            raise KeyError(f"'{cause_id}' is not ranked (no prior in this setting, or a contributing factor)")
        links = self.engine.links[self.engine.links.cause_id == cause_id].set_index("finding_id")
        background = self.engine.findings.background
        rows = []
        for state, ids in (("present", self.used_present), ("absent", self.used_absent)):
            for f in ids:
                if f in links.index:
                    link = links.loc[f]
                    rows.append(
                        dict(
                            finding_id=f,
                            state=state,
                            frequency=link.frequency,
                            background=background[f],
                            basis=link.basis,
                            evidence=link.evidence,
                            quote=link.quote,
                            population=in_language(link, "population", lang),
                            note=in_language(link, "note", lang),
                        )
                    )
                else:
                    rows.append(
                        dict(
                            finding_id=f,
                            state=state,
                            frequency=background[f],
                            background=background[f],
                            basis="background",
                            evidence=None,
                            quote=None,
                            population=None,
                            note=None,
                        )
                    )
        table = pd.DataFrame(
            rows,
            columns=[
                "finding_id",
                "state",
                "frequency",
                "background",
                "basis",
                "evidence",
                "quote",
                "population",
                "note",
            ],
        )
        pos, neg = derived_lrs(table.frequency.astype(float), table.background.astype(float))
        table.insert(2, "lr", np.where(table.state == "present", pos, neg))
        table.insert(3, "log10_lr", np.log10(table.lr.astype(float)))
        return table.sort_values("log10_lr", key=abs, ascending=False).reset_index(drop=True)

    def ask_next(self, n: int = 8) -> pd.DataFrame:
        """Unanswered questions: first those whose 'yes' would raise a red flag (most urgent first), then
        those whose answer would move the visceral share or the top cause most.

        For every candidate both answers are tried; its score is the larger shift either answer makes.
        """
        e = self.engine
        asked = set(self.present) | set(self.absent)
        raised = set(self.red_flags.flag_id)
        danger: dict[str, str] = {}
        for flag in e.flags.itertuples():
            if flag.flag_id in raised or flag.unless_ids & set(self.present):
                continue
            met = sum(any(f in self.present for f in g) for g in flag.groups)
            if met + 1 >= flag.min_count:  # one more group would raise it
                for group in flag.groups:
                    if not any(f in self.present for f in group):
                        for f in group:
                            if f not in asked and (
                                f not in danger or URGENCY_ORDER[flag.urgency] < URGENCY_ORDER[danger[f]]
                            ):
                                danger[f] = flag.urgency
        informative = (e.log_lr_pos != 0).any(axis=0) | (e.log_lr_neg != 0).any(axis=0)
        candidates = [j for j, f in enumerate(e.findings.index) if f not in asked and (informative[j] or f in danger)]
        base = np.log(self.posterior)[:, None]
        visceral = e.group_code == SPLIT_GROUP.index("visceral")
        top = int(np.argmax(self.posterior))
        shifts = {}
        for answer, table in (("yes", e.log_lr_pos), ("no", e.log_lr_neg)):
            post = e.normalise(base + table[:, candidates], axis=0)
            shifts[answer] = (
                post[visceral].sum(axis=0) - self.posterior[visceral].sum(),
                post[top] - self.posterior[top],
            )
        split_shift = np.maximum(abs(shifts["yes"][0]), abs(shifts["no"][0]))
        top_shift = np.maximum(abs(shifts["yes"][1]), abs(shifts["no"][1]))
        ids = e.findings.index[candidates]
        urgency = [danger.get(f) for f in ids]
        table = pd.DataFrame(
            {
                "finding_id": ids,
                "group": e.findings.group[ids].to_numpy(),
                "red_flag_urgency": urgency,
                "visceral_if_yes": shifts["yes"][0],
                "visceral_if_no": shifts["no"][0],
                "top_if_yes": shifts["yes"][1],
                "top_if_no": shifts["no"][1],
                "score": np.maximum(split_shift, top_shift),
            }
        )
        table["priority"] = [URGENCY_ORDER[u] if u else len(URGENCY_ORDER) for u in urgency]
        table = table.sort_values(["priority", "score"], ascending=[True, False]).drop(columns="priority")
        return table.head(n).reset_index(drop=True)


def flag_rules(engine: Engine, lang: str = "en") -> pd.DataFrame:
    """The red-flag rules in words, most urgent first: what must be present, the urgency and the guideline
    (labels in `lang`; the reference_id names the guideline in references.csv).

    Each rule reads "N of: (A or B) · (C)": N of the groups must hold, any one finding satisfies a group.
    """
    labels = engine.findings[f"label_{lang}"]
    either = " or " if lang == "en" else " 或 "
    rows = []
    for flag in engine.flags.itertuples():
        groups = " · ".join(
            f"({either.join(labels[f] for f in g)})" if len(g) > 1 else labels[g[0]] for g in flag.groups
        )
        unless = ", ".join(labels[f] for f in sorted(flag.unless_ids))
        rows.append(
            {
                "flag": getattr(flag, f"name_{lang}"),
                "urgency": flag.urgency,
                "needs": f"{flag.min_count} / {len(flag.groups)}: {groups}",
                "unless": unless,
                "reference_id": flag.reference_id,
            }
        )
    table = pd.DataFrame(rows).sort_values("urgency", key=lambda s: s.map(URGENCY_ORDER), kind="stable")
    return table.assign(urgency=[URGENCY.label(u, lang) for u in table.urgency]).reset_index(drop=True)


def split_shift(engine: Engine, finding_ids: list[str]) -> pd.DataFrame:
    """How one finding on its own moves the visceral share from its pre-test value (2% in primary care).

    odds_factor > 1: the finding points away from the spine towards the viscera; < 1: towards the spine.
    """
    before = engine.differential().split["visceral"]
    rows = []
    for f in finding_ids:
        yes, no = engine.differential([f]).split["visceral"], engine.differential((), [f]).split["visceral"]
        factor = (yes / (1 - yes)) / (before / (1 - before))
        rows.append(
            {
                "finding_id": f,
                "visceral_before": before,
                "visceral_if_present": yes,
                "visceral_if_absent": no,
                "odds_factor": factor,
            }
        )
    return pd.DataFrame(rows).sort_values("odds_factor", ascending=False).reset_index(drop=True)
