"""Tables a student reads: labels instead of ids, no NaN, rounded numbers."""

from __future__ import annotations

import pandas as pd

from ..vocab import ORIGIN


def cause_table(tree: pd.DataFrame, n_sources: pd.Series, lang: str = "en") -> pd.DataFrame:
    """One row per cause: its category, both names, origin, ICD-10, can't-miss, how many pages name it."""
    names = dict(zip(tree.cause_id, tree[f"name_{lang}"]))
    causes = tree[tree.level == "cause"]
    return pd.DataFrame(
        {
            "category": causes.parent_id.map(names),
            "cause_id": causes.cause_id,
            "name_en": causes.name_en,
            "name_zh": causes.name_zh,
            "origin": causes.origin.map(lambda o: ORIGIN.label(o, lang)),
            "icd10": causes.icd10.fillna("—"),
            "cant_miss": causes.can_t_miss.map({True: "⚠", False: ""}),
            "sources": causes.cause_id.map(n_sources).fillna(0).astype(int),
        }
    ).reset_index(drop=True)
