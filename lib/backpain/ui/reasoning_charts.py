"""Figures for differential reasoning: the ranking, the spine/visceral split, the evidence ruler,
pre-test vs post-test, and the findings × causes heatmap. Frames in, plotly figures out."""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..i18n import language, lookup
from ..vocab import ANSWER, ORIGIN, SPLIT_GROUP, WEIGHT_BASIS
from .strings import REASONING_CHARTS
from .theme import FONT, layout, origin_strip, rotated_labels_height, shorten, text_width

_t = partial(lookup, REASONING_CHARTS)


def pre_post(row) -> str:
    """A cause's pre-test → post-test probability and the factor between them, as hover and tooltips say it."""
    return f"{row.prior:.2%} → {row.posterior:.1%} (×{row.change:.2g})"


def percent(p: float) -> str:
    """A probability as a student should read it: never a false 100.0% or 0.0% from rounding."""
    return ">99.9%" if p > 0.999 else "<0.1%" if p < 0.001 else f"{p:.1%}"


LABEL_EMS = 22  # a row label at most ~22 em wide, so the bars keep room in the lab's narrow column


def _cause_label(row, lang: str) -> str:
    """A cause's row label: ⚠ for can't-miss, the name shortened to LABEL_EMS (in full on hover)."""
    return shorten(("⚠ " if row.can_t_miss else "") + row[f"name_{lang}"], LABEL_EMS)


def ranking_bar(diff, lang: str | None = None, n: int = 12) -> go.Figure:
    """The top causes as horizontal bars coloured by origin; ⚠ marks a can't-miss cause."""
    lang = lang or language()
    top = diff.top(n).iloc[::-1]
    labels = [_cause_label(r, lang) for _, r in top.iterrows()]
    hover = [f"{r.name_en} / {r.name_zh}<br>{ORIGIN.label(r.origin, lang)}<br>{pre_post(r)}" for _, r in top.iterrows()]
    fig = go.Figure(
        go.Bar(
            x=top.posterior * 100,
            y=labels,
            orientation="h",
            marker_color=[ORIGIN.colour(o) for o in top.origin],
            text=[percent(p) for p in top.posterior],
            textposition="outside",
            hovertext=hover,
            hoverinfo="text",
            customdata=top.index,
        )
    )
    upper = max(100 * top.posterior.max() * 1.25, 5)  # room for the label right of the longest bar
    fig.update_layout(
        # a probability: no tick past 100 %, even where the axis runs on to hold a label
        xaxis=dict(
            title=_t("posterior", lang), range=[0, upper], tickvals=list(range(0, 101, 20)) if upper > 100 else None
        ),
        height=90 + 28 * len(top),
        showlegend=False,
    )
    return layout(fig, _t("ranking", lang))


def split_bar(diff, lang: str | None = None) -> go.Figure:
    """Mechanical / non-mechanical spinal / visceral shares before and after the findings, as two stacked bars."""
    lang = lang or language()
    pre = diff.engine.causes.groupby("group").prior.sum()
    rows = [_t("now", lang), _t("pretest", lang)]
    fig = go.Figure()
    for group in SPLIT_GROUP:
        values = [diff.split.get(group, 0.0) * 100, pre.get(group, 0.0) * 100]
        fig.add_trace(
            go.Bar(
                y=rows,
                x=values,
                orientation="h",
                name=SPLIT_GROUP.label(group, lang),
                marker_color=SPLIT_GROUP.colour(group),
                text=[f"{v:.0f}%" for v in values],
                textposition="inside",
                insidetextanchor="middle",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=210,
        xaxis=dict(range=[0, 100], ticksuffix="%"),
        legend=dict(orientation="h", y=-0.35),
        uniformtext=dict(minsize=10, mode="hide"),
    )
    return layout(fig, _t("split", lang))


def evidence_ruler(diff, cause_id: str, findings: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """A waterfall on the log10 scale: each finding pushes the cause's odds up (for) or down (against)."""
    lang = lang or language()
    contrib = diff.contributions(cause_id, lang)
    contrib = contrib[contrib.lr != 1]  # findings that moved this cause
    row = diff.ranking.loc[cause_id]
    label = findings[f"label_{lang}"]
    full = [f"{label[f]} ({ANSWER.label(s, lang)})" for f, s in zip(contrib.finding_id, contrib.state)]
    names = [
        shorten(label[f], LABEL_EMS - 4) + f" ({ANSWER.label(s, lang)})"
        for f, s in zip(contrib.finding_id, contrib.state)
    ]
    colours = np.where(contrib.log10_lr >= 0, "#1a9850", "#d73027")
    weights = [f"LR {lr:.2g} · {WEIGHT_BASIS.label(b, lang)}" for lr, b in zip(contrib.lr, contrib.basis)]
    fig = go.Figure(
        go.Bar(
            x=contrib.log10_lr,
            y=names,
            orientation="h",
            marker_color=colours,
            hovertext=[
                f"{name}<br>{wt}" + (f"<br>{note}" if note else "")
                for name, wt, note in zip(full, weights, contrib.note.fillna(""))
            ],
            hoverinfo="text",
        )
    )
    # each finding's LR and basis in a column right of the plot: a label on or beside a bar would run
    # into the tick labels (bars pointing left) or past the chart's edge (short bars), whatever the width
    for name, weight in zip(names, weights):
        fig.add_annotation(
            x=1, xref="paper", xanchor="left", xshift=8, y=name, yref="y", text=weight, showarrow=False, align="left"
        )
    column = max((text_width(wt) for wt in weights), default=0) * 12 + 20
    fig.add_vline(x=0, line_color="#444")
    fig.update_layout(
        xaxis=dict(title=_t("log10", lang), zeroline=True),
        yaxis=dict(autorange="reversed"),
        height=120 + 30 * max(len(contrib), 1),
    )
    title = _t("ruler", lang).format(name=row[f"name_{lang}"], pre=row.prior, post=row.posterior)
    return layout(fig, title, margin=dict(r=column), font=dict(family=FONT, size=12))


def pretest_posttest(diff, lang: str | None = None, n: int = 8) -> go.Figure:
    """Dumbbells from prior to posterior for the top causes and every can't-miss cause the findings raised."""
    lang = lang or language()
    shown = pd.concat([diff.top(n), diff.cant_miss[diff.cant_miss.change > 1.5].head(4)])
    shown = shown[~shown.index.duplicated()].iloc[::-1]
    labels = [_cause_label(r, lang) for _, r in shown.iterrows()]
    fig = go.Figure()
    for label, (_, r) in zip(labels, shown.iterrows()):
        fig.add_trace(
            go.Scatter(
                x=[r.prior, r.posterior],
                y=[label, label],
                mode="lines",
                line=dict(color=ORIGIN.colour(r.origin), width=3),
                showlegend=False,
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=shown.prior,
            y=labels,
            mode="markers",
            name=_t("pretest", lang),
            marker=dict(color="white", size=9, line=dict(color="#333", width=1.5)),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=shown.posterior,
            y=labels,
            mode="markers",
            name=_t("now", lang),
            marker=dict(color=[ORIGIN.colour(o) for o in shown.origin], size=11),
        )
    )
    fig.update_layout(
        xaxis=dict(type="log", title=_t("prob_log", lang), **_log_ticks(shown.prior.min(), shown.posterior.max())),
        height=120 + 28 * len(shown),
        legend=dict(orientation="h", y=-0.25),
    )
    return layout(fig, _t("prepost", lang))


def _log_ticks(low: float, high: float) -> dict:
    """At most about seven labelled ticks on a log probability axis (1-2-5, then 1-3, then decades),
    each written with the digits it needs (0.05%, not a repeated 0.0%)."""
    low, high = max(low, 1e-6), min(max(high, low * 1.01), 1.0)
    decades = range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1)
    for steps in ((1, 2, 5), (1, 3), (1,)):
        values = [m * 10.0**d for d in decades for m in steps if low / 1.5 <= m * 10.0**d <= min(high * 1.5, 1)]
        if len(values) <= 7:
            break
    return dict(tickvals=values, ticktext=[f"{100 * v:.4g}%" for v in values])


def findings_heatmap(engine, finding_ids: list[str] | None = None, lang: str | None = None) -> go.Figure:
    """Causes (rows, grouped by origin) × findings (columns): red raises a cause, blue lowers it.

    Only direct links are drawn; a blank cell is a cause the finding says nothing specific about.
    """
    lang = lang or language()
    finding_ids = list(finding_ids or engine.findings.index)
    order = list(ORIGIN)
    causes = engine.causes.assign(order=engine.causes.origin.map(order.index)).sort_values(
        ["order", "prior"], ascending=[True, False]
    )
    links = engine.links.set_index(["cause_id", "finding_id"]).lr_pos
    z = np.array([[np.log10(links.get((c, f), np.nan)) for f in finding_ids] for c in causes.index])
    y = list(causes[f"name_{lang}"])
    labels = engine.findings.loc[finding_ids, f"label_{lang}"]
    x = [shorten(t, 19) for t in labels]  # a column label at most ~19 em, in either language
    hover = [
        [
            f"{y[i]} ({ORIGIN.label(o, lang)})<br>{labels.iloc[j]}<br>LR+ {10 ** z[i, j]:.2g}"
            if not np.isnan(z[i, j])
            else ""
            for j in range(len(finding_ids))
        ]
        for i, o in enumerate(causes.origin)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            colorscale="RdBu",
            reversescale=True,
            zmid=0,
            zmin=-1,
            zmax=1,
            hovertext=hover,
            hoverinfo="text",
            xgap=1,
            ygap=1,
            colorbar=dict(title="LR+", tickvals=[-1, -0.5, 0, 0.5, 1], ticktext=["0.1", "0.3", "1", "3", "10"]),
        )
    )
    fig.add_trace(origin_strip(causes.origin, y, lang))  # each row's origin, on the left
    fig.update_layout(
        height=300 + 17 * len(y),
        yaxis=dict(autorange="reversed", anchor="free", position=0),
        xaxis=dict(tickangle=-45, side="top", domain=[0.03, 1]),
        xaxis2=dict(domain=[0, 0.02], showticklabels=False, side="top"),
    )
    return layout(fig, _t("heatmap", lang), top=rotated_labels_height(x, 11), font=dict(family=FONT, size=11))
