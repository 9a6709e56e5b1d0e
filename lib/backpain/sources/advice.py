"""What each page advises, classified against NICE NG59 (and ACP 2017 where NICE is silent)."""

from __future__ import annotations

import pandas as pd

from ..vocab import GUIDELINE_STANCE


def advice_table(treatment_mentions: pd.DataFrame, treatments: pd.DataFrame) -> pd.DataFrame:
    """One row per source × treatment: how often the page mentions it, its first quote, the guideline stance."""
    t = treatments.set_index("treatment_id")
    grouped = treatment_mentions.sort_values("start").groupby(["source_id", "treatment_id"])
    table = grouped.agg(
        mentions=("quote", "size"), first_quote=("quote", "first"), first_start=("start", "first")
    ).reset_index()
    table = table.join(
        t[["name_en", "name_zh", "category", "stance", "guideline", "position_en", "position_zh", "status"]],
        on="treatment_id",
    )
    table["stance_rank"] = table.stance.map(GUIDELINE_STANCE.index)
    return (
        table.sort_values(["source_id", "stance_rank", "treatment_id"])
        .drop(columns="stance_rank")
        .reset_index(drop=True)
    )


def advice_summary(table: pd.DataFrame) -> pd.DataFrame:
    """source × stance: number of distinct treatments a page advises or mentions."""
    summary = pd.crosstab(table.source_id, table.stance)
    return summary.reindex(columns=[s for s in GUIDELINE_STANCE if s in summary.columns])


def against_guidelines(table: pd.DataFrame) -> pd.DataFrame:
    """The advice a careful reader should question first: what the guidelines recommend against."""
    return table[table.stance == "not_recommended"][["source_id", "name_en", "first_quote", "position_en"]]
