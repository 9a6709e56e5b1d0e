"""Statistics about the sources (frames in, frames out): how much is content, which causes each names."""

from __future__ import annotations

import pandas as pd

from .schema import SEGMENT_KINDS


def segment_shares(segments: pd.DataFrame) -> pd.DataFrame:
    """Characters and share of each page per segment kind (one row per source × kind present)."""
    seg = segments.assign(chars=segments.end - segments.start)
    out = seg.groupby(["source_id", "kind"], as_index=False, sort=False).chars.sum()
    out["share"] = out.chars / out.groupby("source_id").chars.transform("sum")
    order = {k: i for i, k in enumerate(SEGMENT_KINDS)}
    return out.sort_values(["source_id", "kind"], key=lambda s: s.map(order) if s.name == "kind" else s).reset_index(drop=True)


def sources_per_cause(mentions: pd.DataFrame) -> pd.Series:
    """How many distinct sources name each cause (any stance), indexed by cause_id."""
    return mentions.groupby("cause_id").source_id.nunique().rename("n_sources")


def coverage_matrix(mentions: pd.DataFrame, stances=("cause",)) -> pd.DataFrame:
    """cause_id × source_id counts of mentions with the given stances."""
    m = mentions[mentions.stance.isin(stances)]
    return pd.crosstab(m.cause_id, m.source_id)


def source_overview(sources: pd.DataFrame, segments: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """Who wrote each page, how long it is, how much of it is body text, how many causes it names."""
    shares = segment_shares(segments)
    body = shares[shares.kind == "body"].set_index("source_id").share
    length = segments.groupby("source_id").end.max()
    named = mentions[mentions.stance == "cause"].groupby("source_id").cause_id.nunique()
    out = sources.set_index("source_id")[["language", "title", "author", "credentials", "institution",
                                          "site_type", "date", "translated_from"]].copy()
    out["characters"] = length
    out["body_share"] = body.reindex(out.index).fillna(0).round(2)
    out["causes_named"] = named.reindex(out.index).fillna(0).astype(int)
    return out.fillna("—")
