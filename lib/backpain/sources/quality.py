"""Reliability rubrics (JAMA benchmark, DISCERN, HONcode-style, back-pain accuracy) as pure scoring.

DISCERN was built for treatment information. A page that gives no treatment advice cannot be
scored on section 2; those items are recorded as not applicable (empty), and the total is then
reported both raw and scaled to the full 16–80 range (mean of the applicable items × 16).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


def scores(ratings: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """One row per source: JAMA /4, DISCERN raw, applicable items, scaled /80 and section 1 /40, HON /8, accuracy /n."""
    r = ratings.merge(items[["instrument", "item_id", "section"]], on=["instrument", "item_id"])
    out = pd.DataFrame(index=sorted(set(r.source_id)))
    for instrument in ("jama", "hon", "accuracy"):
        out[instrument] = r[r.instrument == instrument].groupby("source_id").score.sum().astype(int)
    discern = r[r.instrument == "discern"]
    out["discern_raw"] = discern.groupby("source_id").score.sum().astype(int)
    out["discern_items"] = discern.groupby("source_id").score.count()
    out["discern_80"] = (discern.groupby("source_id").score.mean() * 16).round(1)
    out["discern_section1"] = discern[discern.section == "1"].groupby("source_id").score.sum().astype(int)
    out["accuracy_max"] = int((items.instrument == "accuracy").sum())
    return out


def discern_band(total_80: float) -> str:
    """The conventional bands (not part of DISCERN itself): very poor … excellent."""
    for low, label in ((63, "excellent"), (51, "good"), (39, "fair"), (27, "poor")):
        if total_80 >= low:
            return label
    return "very poor"


def agreement(
    student: Mapping[str, int | None], ratings: pd.DataFrame, source_id: str, instrument: str
) -> pd.DataFrame:
    """Item by item: the student's score next to the workbook's, and the difference.

    Items either rater marks not applicable (None) are shown but not compared.
    """
    ours = ratings[(ratings.source_id == source_id) & (ratings.instrument == instrument)].set_index("item_id")
    unknown = set(student) - set(ours.index)
    if unknown:
        raise KeyError(f"not {instrument} items: {sorted(unknown)}")
    table = pd.DataFrame(
        {
            "workbook": ours.score,
            "student": pd.Series(student, dtype="Int64").reindex(ours.index),
            "justification": ours.justification,
        }
    )
    table["difference"] = table.student - table.workbook
    return table


def agreement_summary(table: pd.DataFrame) -> dict[str, float]:
    """Exact and within-one agreement over the items both raters scored, and the mean absolute difference."""
    both = table.dropna(subset=["workbook", "student"])
    if both.empty:
        return {"items": 0, "exact": float("nan"), "within_one": float("nan"), "mean_abs_difference": float("nan")}
    diff = (both.student - both.workbook).abs().astype(float)
    return {
        "items": len(both),
        "exact": float((diff == 0).mean()),
        "within_one": float((diff <= 1).mean()),
        "mean_abs_difference": float(diff.mean()),
    }
