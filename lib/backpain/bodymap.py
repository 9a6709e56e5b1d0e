"""The back as a map: regions, the spinal levels beneath them, the organs that refer pain there.

Visceral pain is felt in the skin and muscle supplied by the same spinal segments as the organ
(data/organ_segments.csv, after spineinformation.org). A region therefore "receives" pain from every
organ whose segments overlap its own, and from every cause for which pain in that region is a
finding with LR+ > 1 in cause_findings.csv.
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go

from .charts import _layout
from .schema import SPINAL_SEGMENTS
from .i18n import ORIGIN_COLOURS, language, origin_label, pick

_SEGMENTS = SPINAL_SEGMENTS


def level_range(levels: str) -> range:
    """'C8-T4' → the positions of C8 … T4 on the spinal column (inclusive)."""
    match = re.fullmatch(r"([CTLS]\d{1,2})-([CTLS]\d{1,2})", levels)
    if not match or match[1] not in _SEGMENTS or match[2] not in _SEGMENTS:
        raise ValueError(f"not a spinal level range: {levels!r} (expected e.g. 'T10-L1')")
    return range(_SEGMENTS.index(match[1]), _SEGMENTS.index(match[2]) + 1)


def organs_for_region(regions: pd.DataFrame, organs: pd.DataFrame) -> dict[str, list[str]]:
    """region_id → organ_ids whose segments overlap the region's levels."""
    return {
        r.region_id: [o.organ_id for o in organs.itertuples() if set(level_range(o.levels)) & set(level_range(r.levels))]
        for r in regions.itertuples()
    }


def causes_for_region(engine, finding_id: str) -> pd.DataFrame:
    """Causes for which pain in this region raises the odds (LR+ > 1), strongest first."""
    links = engine.links[(engine.links.finding_id == finding_id) & (engine.links.lr_pos > 1)]
    table = engine.causes.loc[links.cause_id].assign(lr_pos=links.lr_pos.to_numpy(), basis=links.basis.to_numpy())
    return table.sort_values("lr_pos", ascending=False)


def body_map(regions: pd.DataFrame, organs: pd.DataFrame, engine, lang: str | None = None,
             selected: str | None = None) -> go.Figure:
    """A schematic back (viewed from behind): each region coloured by the origin that most often refers there."""
    lang = lang or language()
    organ_names = organs.set_index("organ_id")[f"name_{lang}"]
    fig = go.Figure()
    fig.add_shape(type="path", path="M 5 20.5 C 2 20.5 1 18 0.8 15 L 0.8 2 L 9.2 2 L 9.2 15 C 9 18 8 20.5 5 20.5 Z",
                  line=dict(color="#999"), fillcolor="#f6f1ec", layer="below")
    fig.add_shape(type="line", x0=5, x1=5, y0=2.2, y1=20, line=dict(color="#bbb", width=6, dash="dot"), layer="below")
    receiving = organs_for_region(regions, organs)
    for r in regions.itertuples():
        causes = causes_for_region(engine, r.finding_id)
        dominant = causes.origin.value_counts().idxmax() if len(causes) else "unrelated"
        colour = ORIGIN_COLOURS[dominant]
        width = 4 if r.region_id == selected else 1
        fig.add_shape(type="rect", x0=r.x0, x1=r.x1, y0=r.y0, y1=r.y1, line=dict(color=colour, width=width),
                      fillcolor=colour, opacity=0.35)
        names = "<br>".join(f"• {c[f'name_{lang}']} (LR+ {c.lr_pos:.2g})" for _, c in causes.head(8).iterrows())
        organ_list = ", ".join(organ_names[o] for o in receiving[r.region_id]) or "—"
        hover = (f"<b>{getattr(r, f'name_{lang}')}</b> ({r.levels})<br>"
                 f"{pick(('Organs referring here', '牵涉至此的器官'), lang)}: {organ_list}<br>{names}")
        fig.add_trace(go.Scatter(x=[(r.x0 + r.x1) / 2], y=[(r.y0 + r.y1) / 2], mode="text",
                                 text=[f"{getattr(r, f'name_{lang}')}<br>{r.levels}"], hovertext=[hover], hoverinfo="text",
                                 textfont=dict(size=11), showlegend=False, customdata=[r.region_id]))
    for origin in sorted({causes_for_region(engine, f).origin.value_counts().idxmax() for f in regions.finding_id}):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=origin_label(origin, lang),
                                 marker=dict(size=12, color=ORIGIN_COLOURS[origin], symbol="square")))
    fig.update_xaxes(visible=False, range=[0, 10])
    fig.update_yaxes(visible=False, range=[1.5, 21], scaleanchor="x")
    fig.update_layout(height=620, width=520, legend=dict(orientation="h", y=-0.02))
    return _layout(fig, pick(("The back, seen from behind: where pain is felt", "从背后看：疼痛的部位"), lang))
