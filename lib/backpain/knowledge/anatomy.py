"""The back as anatomy: spinal segments, the levels beneath each region of the back, and the organs that
refer pain there.

Visceral pain is felt in the skin and muscle supplied by the same spinal segments as the organ
(data/organ_segments.csv, after spineinformation.org). A region therefore "receives" pain from every
organ whose segments overlap its own, and from every cause for which pain in that region is a
finding with LR+ > 1.
"""

from __future__ import annotations

import pandas as pd

SPINAL_SEGMENTS = tuple(
    [f"C{i}" for i in range(1, 9)]
    + [f"T{i}" for i in range(1, 13)]
    + [f"L{i}" for i in range(1, 6)]
    + [f"S{i}" for i in range(1, 6)]
)


def level_range(levels: str) -> range:
    """'C8-T4' → the positions of C8 … T4 on the spinal column (inclusive)."""
    top, _, bottom = str(levels).partition("-")
    if (
        top not in SPINAL_SEGMENTS
        or bottom not in SPINAL_SEGMENTS
        or SPINAL_SEGMENTS.index(top) > SPINAL_SEGMENTS.index(bottom)
    ):
        raise ValueError(f"not a spinal level range: {levels!r} (expected e.g. 'T10-L1', top first)")
    return range(SPINAL_SEGMENTS.index(top), SPINAL_SEGMENTS.index(bottom) + 1)


def organs_for_region(regions: pd.DataFrame, organs: pd.DataFrame) -> dict[str, list[str]]:
    """region_id → organ_ids whose segments overlap the region's levels."""
    return {
        r.region_id: [
            o.organ_id for o in organs.itertuples() if set(level_range(o.levels)) & set(level_range(r.levels))
        ]
        for r in regions.itertuples()
    }


def causes_for_region(engine, finding_id: str) -> pd.DataFrame:
    """Causes for which pain in this region raises the odds (LR+ > 1), strongest first."""
    links = engine.links[(engine.links.finding_id == finding_id) & (engine.links.lr_pos > 1)]
    table = engine.causes.loc[links.cause_id].assign(lr_pos=links.lr_pos.to_numpy(), basis=links.basis.to_numpy())
    return table.sort_values("lr_pos", ascending=False)
