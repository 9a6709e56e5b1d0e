"""The back as a picture: each region coloured by the origin that most often refers pain there (the
anatomy itself is knowledge/anatomy.py)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..i18n import language, lookup
from ..knowledge.anatomy import causes_for_region, organs_for_region
from ..vocab import ORIGIN
from .strings import COMMON
from .theme import layout, text_width, wrap


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
        # the name wrapped to fit its region, on a white ground so the spine drawn behind never runs
        # through it (a shape under the text; about 23 px per x or y unit at the figure's 520 px)
        centre = ((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2)
        label = f"{wrap(getattr(r, f'name_{lang}'), max((r.x1 - r.x0) * 23 / 11, 3))}<br>{r.levels}"
        lines = label.split("<br>")
        half_w = (max(text_width(t) for t in lines) * 11 + 6) / 23 / 2
        half_h = (len(lines) * 11 * 1.25 + 4) / 23 / 2
        fig.add_shape(
            type="rect",
            x0=centre[0] - half_w,
            x1=centre[0] + half_w,
            y0=centre[1] - half_h,
            y1=centre[1] + half_h,
            line=dict(width=0),
            fillcolor="rgba(255,255,255,0.85)",
            layer="below",
        )
        fig.add_trace(
            go.Scatter(
                x=[centre[0]],
                y=[centre[1]],
                mode="text",
                text=[label],
                hovertext=[hover],
                hoverinfo="text",
                textfont=dict(size=11, color="#222"),
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
