"""The back as a picture: each region coloured by the origin that most often refers pain there (the
anatomy itself is knowledge/anatomy.py)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..i18n import language, lookup
from ..knowledge.anatomy import causes_for_region, organs_for_region
from ..vocab import ORIGIN
from .strings import COMMON
from .theme import layout


def body_map(
    regions: pd.DataFrame, organs: pd.DataFrame, engine, lang: str | None = None, selected: str | None = None
) -> go.Figure:
    """A schematic back (viewed from behind): each region coloured by the origin that most often refers there."""
    lang = lang or language()
    organ_names = organs.set_index("organ_id")[f"name_{lang}"]
    fig = go.Figure()
    fig.add_shape(
        type="path",
        path="M 5 20.5 C 2 20.5 1 18 0.8 15 L 0.8 2 L 9.2 2 L 9.2 15 C 9 18 8 20.5 5 20.5 Z",
        line=dict(color="#999"),
        fillcolor="#f6f1ec",
        layer="below",
    )
    fig.add_shape(type="line", x0=5, x1=5, y0=2.2, y1=20, line=dict(color="#bbb", width=6, dash="dot"), layer="below")
    receiving = organs_for_region(regions, organs)
    for r in regions.itertuples():
        causes = causes_for_region(engine, r.finding_id)
        dominant = causes.origin.value_counts().idxmax() if len(causes) else "unrelated"
        colour = ORIGIN.colour(dominant)
        width = 4 if r.region_id == selected else 1
        fig.add_shape(
            type="rect",
            x0=r.x0,
            x1=r.x1,
            y0=r.y0,
            y1=r.y1,
            line=dict(color=colour, width=width),
            fillcolor=colour,
            opacity=0.35,
        )
        names = "<br>".join(f"• {c[f'name_{lang}']} (LR+ {c.lr_pos:.2g})" for _, c in causes.head(8).iterrows())
        organ_list = ", ".join(organ_names[o] for o in receiving[r.region_id]) or "—"
        hover = (
            f"<b>{getattr(r, f'name_{lang}')}</b> ({r.levels})<br>"
            f"{lookup(COMMON, 'organs_here', lang)}: {organ_list}<br>{names}"
        )
        fig.add_trace(
            go.Scatter(
                x=[(r.x0 + r.x1) / 2],
                y=[(r.y0 + r.y1) / 2],
                mode="text",
                text=[f"{getattr(r, f'name_{lang}')}<br>{r.levels}"],
                hovertext=[hover],
                hoverinfo="text",
                textfont=dict(size=11),
                showlegend=False,
                customdata=[r.region_id],
            )
        )
    for origin in sorted({causes_for_region(engine, f).origin.value_counts().idxmax() for f in regions.finding_id}):
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=ORIGIN.label(origin, lang),
                marker=dict(size=12, color=ORIGIN.colour(origin), symbol="square"),
            )
        )
    fig.update_xaxes(visible=False, range=[0, 10])
    fig.update_yaxes(visible=False, range=[1.5, 21], scaleanchor="x")
    fig.update_layout(height=620, width=520, legend=dict(orientation="h", y=-0.02))
    return layout(fig, lookup(COMMON, "body_map_title", lang))
