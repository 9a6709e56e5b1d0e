"""Figures about the sources: what each page is made of, the causes they name, and how the pages compare
(coverage, agreement, origin mix, red flags, rubric scores, advice, readability)."""

from __future__ import annotations

import re
from functools import partial

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..i18n import language, lookup
from ..vocab import GUIDELINE_STANCE, ORIGIN, SEGMENT_KIND
from .strings import SOURCE_CHARTS, word
from .theme import FONT, layout, origin_strip, rotated_labels_height, text_width, wrap

_t = partial(lookup, SOURCE_CHARTS)


def _panel_title(title: str) -> str:
    """A subplot title wrapped to half the narrowest chart (two panels side by side)."""
    return wrap(title, 14)


def _lines_height(titles: list[str], size: float = 13) -> float:
    """Pixels the subplot titles take above the plot area."""
    return max(t.count("<br>") + 1 for t in titles) * size * 1.3 + 8


def coverage_heatmap(
    mentions: pd.DataFrame, taxonomy: pd.DataFrame, sources: list[str], lang: str | None = None
) -> go.Figure:
    """Causes (rows, grouped by origin) × sources: how many times each page names each cause."""
    lang = lang or language()
    named = mentions[mentions.stance == "cause"]
    counts = pd.crosstab(named.cause_id, named.source_id).reindex(columns=sources, fill_value=0)
    tax = taxonomy.set_index("cause_id").loc[counts.index]
    order = list(ORIGIN)
    tax = tax.assign(o=tax.origin.map(order.index), n=(counts > 0).sum(axis=1)).sort_values(
        ["o", "n"], ascending=[True, False]
    )
    counts = counts.loc[tax.index]
    z = np.where(counts.to_numpy() > 0, np.log2(counts.to_numpy() + 1), np.nan)
    y = list(tax[f"name_{lang}"])
    text = np.where(counts.to_numpy() > 0, counts.to_numpy().astype(str), "")
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=sources,
            y=y,
            colorscale="Blues",
            zmin=0,
            text=text,
            texttemplate="%{text}",
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
            showscale=False,
            xgap=1,
            ygap=1,
        )
    )
    fig.add_trace(origin_strip(tax.origin, y, lang))
    fig.update_layout(
        height=140 + 15 * len(y),
        yaxis=dict(autorange="reversed", anchor="free", position=0, tickfont=dict(size=10)),
        xaxis=dict(side="top", domain=[0.04, 1], tickangle=-45),
        xaxis2=dict(domain=[0, 0.03], showticklabels=False),
    )
    return layout(fig, _t("coverage", lang), top=rotated_labels_height(sources, 13))


def agreement_heatmap(jaccard: pd.DataFrame, lang: str | None = None) -> go.Figure:
    lang = lang or language()
    z = jaccard.to_numpy().copy()
    np.fill_diagonal(z, np.nan)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(jaccard.columns),
            y=list(jaccard.index),
            colorscale="Purples",
            zmin=0,
            zmax=max(0.4, np.nanmax(z)),
            text=np.round(jaccard.to_numpy(), 2),
            texttemplate="%{text}",
            hovertemplate="%{y} & %{x}: %{z:.2f}<extra></extra>",
        )
    )
    fig.update_layout(height=420, width=560, yaxis=dict(autorange="reversed"))
    return layout(fig, _t("agreement", lang))


def origin_mix_bars(mix: pd.DataFrame, lang: str | None = None) -> go.Figure:
    lang = lang or language()
    fig = go.Figure()
    for origin in [o for o in ORIGIN if o in mix.columns]:
        fig.add_trace(
            go.Bar(
                y=list(mix.index),
                x=mix[origin] * 100,
                orientation="h",
                name=ORIGIN.label(origin, lang),
                marker_color=ORIGIN.colour(origin),
                hovertemplate="%{y}: %{x:.0f}%<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=420,
        xaxis=dict(title=_t("share", lang), range=[0, 100]),
        legend=dict(orientation="h", y=-0.4, yanchor="top"),
    )
    return layout(fig, _t("mix", lang))


def red_flag_matrix(coverage: pd.DataFrame, red_flags: pd.DataFrame, lang: str | None = None) -> go.Figure:
    lang = lang or language()
    names = red_flags.set_index("flag_id")[f"name_{lang}"].loc[coverage.index]
    z = coverage.to_numpy().astype(int)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(coverage.columns),
            y=list(names),
            colorscale=[[0, "#f3f3f3"], [1, "#1a9850"]],
            zmin=0,
            zmax=1,
            showscale=False,
            xgap=2,
            ygap=2,
            text=np.where(z == 1, "✔", ""),
            texttemplate="%{text}",
            hovertext=np.where(z == 1, _t("yes", lang), _t("no", lang)),
            hoverinfo="text+x+y",
        )
    )
    fig.update_layout(
        height=130 + 30 * len(names), yaxis=dict(autorange="reversed"), xaxis=dict(side="top", tickangle=-45)
    )
    return layout(fig, _t("flags", lang), top=rotated_labels_height(coverage.columns, 13))


def rubric_scores(scores: pd.DataFrame, benchmarks: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """JAMA /4 and DISCERN /80 per source, with confirmed published means drawn as reference bands."""
    lang = lang or language()
    panels = [
        ("jama", _t("jama", lang), 4, "mean JAMA (/4)"),
        ("discern_80", _t("discern", lang), 80, "mean total DISCERN"),
    ]
    titles = []
    for _column, title, _top, statistic in panels:  # the published band is named under the panel's title,
        bench = benchmarks[(benchmarks.statistic == statistic) & (benchmarks.status == "confirmed")]  # not on bars
        band = f"{_t('band', lang)} {bench.value_low.min():g}–{bench.value_high.max():g}" if len(bench) else ""
        titles.append(_panel_title(f"{title}<br><i>{band}</i>" if band else title))
    fig = make_subplots(rows=1, cols=2, subplot_titles=titles, horizontal_spacing=0.12)
    for col, (column, _title, top, statistic) in enumerate(panels, start=1):
        fig.add_trace(
            go.Bar(
                x=list(scores.index),
                y=scores[column],
                marker_color="rgba(0,114,178,0.85)",
                text=scores[column],
                textposition="outside",
                showlegend=False,
            ),
            row=1,
            col=col,
        )
        bench = benchmarks[(benchmarks.statistic == statistic) & (benchmarks.status == "confirmed")]
        if len(bench):
            low, high = bench.value_low.min(), bench.value_high.max()
            fig.add_hrect(
                y0=low,
                y1=high,
                fillcolor="#E69F00",
                opacity=0.3,
                line_width=0,
                row=1,
                col=col,
                layer="below",
            )
        fig.update_yaxes(range=[0, top * 1.1], row=1, col=col)
    fig.update_layout(height=440)
    return layout(fig, _t("rubrics", lang), top=_lines_height(titles))


def advice_bars(summary: pd.DataFrame, lang: str | None = None) -> go.Figure:
    lang = lang or language()
    fig = go.Figure()
    for stance in [s for s in GUIDELINE_STANCE if s in summary.columns]:
        fig.add_trace(
            go.Bar(
                y=list(summary.index),
                x=summary[stance],
                orientation="h",
                name=GUIDELINE_STANCE.label(stance, lang),
                marker=dict(color=GUIDELINE_STANCE.colour(stance), line=dict(color="#999", width=0.5)),
            )
        )
    fig.update_layout(
        barmode="stack",
        height=420,
        xaxis=dict(title=_t("treatments", lang)),
        legend=dict(orientation="h", y=-0.4, yanchor="top"),
    )
    return layout(fig, _t("advice", lang))


def readability_panels(table: pd.DataFrame, benchmarks: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """Two panels, one per language, each on its own scale: Flesch for English, sentence length for Chinese."""
    lang = lang or language()
    en, zh = table[table.language == "en"], table[table.language == "zh"]
    titles = [_panel_title(_t("fre", lang)), _panel_title(_t("zh_len", lang))]
    fig = make_subplots(rows=1, cols=2, subplot_titles=titles, horizontal_spacing=0.15)
    fig.add_trace(
        go.Bar(
            x=list(en.index),
            y=en.flesch_reading_ease.round(1),
            marker_color="#009E73",
            showlegend=False,
            text=en.flesch_reading_ease.round(0),
            textposition="outside",
            cliponaxis=False,
        ),
        row=1,
        col=1,
    )
    fre = benchmarks[benchmarks.instrument == "readability_fre"]
    if len(fre):
        v = fre.value_low.iloc[0]
        fig.add_hline(
            y=v,
            line_dash="dash",
            line_color="#E69F00",
            row=1,
            col=1,
            annotation_text=f"{_t('band', lang)} {v:g}",
            annotation_position="bottom right",
        )
    fig.add_trace(
        go.Bar(
            x=list(zh.index),
            y=zh.chars_per_sentence.round(1),
            marker_color="#CC79A7",
            showlegend=False,
            text=zh.chars_per_sentence.round(0),
            textposition="outside",
            cliponaxis=False,
        ),
        row=1,
        col=2,
    )
    fig.update_yaxes(range=[0, 100], row=1, col=1)
    if len(zh):  # room above the tallest bar for its label
        fig.update_yaxes(range=[0, zh.chars_per_sentence.max() * 1.2], row=1, col=2)
    fig.update_layout(height=380)
    return layout(fig, _t("readability", lang), top=_lines_height(titles))


def segment_composition(
    shares: pd.DataFrame, labels: dict[str, str] | None = None, lang: str | None = None
) -> go.Figure:
    """Stacked horizontal bars: each source's characters split by segment kind (as % of the page)."""
    lang = lang or language()
    labels = labels or {}
    fig = go.Figure()
    for kind in SEGMENT_KIND:  # body first, noise last: the legend reads in that order
        rows = shares[shares.kind == kind]
        if rows.empty:
            continue
        fig.add_trace(
            go.Bar(
                y=[labels.get(s, s) for s in rows.source_id],
                x=rows.share * 100,
                orientation="h",
                name=SEGMENT_KIND.label(kind, lang),
                marker_color=SEGMENT_KIND.colour(kind),
                customdata=rows.chars,
                hovertemplate="%{y}: %{x:.0f}% (%{customdata} "
                + word("characters", lang)
                + ")<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        xaxis=dict(title=word("share_of_page", lang) + " (%)", range=[0, 100]),
        yaxis=dict(autorange="reversed"),
        legend=dict(orientation="h", y=-0.2),
        height=380,
    )
    return layout(fig, word("segments_title", lang))


# a name's asides: "(shingles)", "（小关节综合征）", ICD-10's ", unspecified" and ", including …"
_ASIDE = re.compile(r"\s*[(（][^()（）]*[)）]|,\s*(?:site\s+)?unspecified$|,\s*including\b.*$")


def short_name(name: str) -> str:
    """A cause's name without its asides, for a box label; the full name stays in the hover text. A name
    that is only an aside keeps it."""
    return _ASIDE.sub("", name).strip() or name


def two_lines(name: str) -> str:
    """A name on at most two lines of about equal width (a category's band holds two lines)."""
    ems = text_width(name) / 2
    while wrap(name, ems).count("<br>") > 1:
        ems += 0.5
    return wrap(name, ems)


CAUSE_FLOOR = 3.0  # added to each cause's page count: a box for a cause no page names
MIN_CATEGORY = 8.0  # the smallest category, in the same units: room for its name in its band


def taxonomy_treemap(
    tree: pd.DataFrame, n_sources: pd.Series, lang: str | None = None, include_unrelated: bool = False
) -> go.Figure:
    """Categories and causes as nested boxes, sized by how many sources name each cause, coloured by origin.

    Each box's area is its count plus three, so a cause no page names (it comes from the literature) still
    gets a box big enough for its name, and a category is never smaller than MIN_CATEGORY units (the
    causes of a one-cause category grow to fill it), so its own name fits its band; the hover text gives
    the true count and the full name. Every box shows its name, without bracketed asides, wrapped onto
    short lines (long English words hyphenated, Chinese after three characters) so it fits a narrow box: a
    projector and a printed hand-out cannot hover. Conditions named only in off-topic text are left out
    unless asked for: they are not causes of back pain and would take a fifth of the picture.
    """
    lang = lang or language()
    t = tree.set_index("cause_id")
    if not include_unrelated:
        t = t[t.origin != "unrelated"]
    count = n_sources.reindex(t.index).fillna(0).astype(int)
    cause = t.level == "cause"
    size = (count + CAUSE_FLOOR).where(cause, 0.0)  # a box for every cause, big enough to name
    in_category = size[cause].groupby(t.parent_id[cause]).transform("sum")
    size[cause] *= (MIN_CATEGORY / in_category).clip(lower=1)
    for node in reversed(t.index.tolist()):  # children before parents: sum up the tree
        parent = t.parent_id[node]
        if pd.notna(parent):
            size[parent] += size[node]
    name = t[f"name_{lang}"]
    other = t["name_zh" if lang == "en" else "name_en"]
    hover = [
        f"<b>{name[c]}</b> / {other[c]}<br>{ORIGIN.label(t.origin[c], lang)}"
        + (f"<br>ICD-10: {t.icd10[c]}" if pd.notna(t.icd10[c]) else "")
        + (f"<br>{word('named_by', lang, n=count[c])}" if t.level[c] == "cause" else "")
        for c in t.index
    ]
    fig = go.Figure(
        go.Treemap(
            ids=t.index,
            labels=[
                wrap(short_name(n), 3 if lang == "zh" else 6, hyphenate=True)
                if level == "cause"
                else two_lines(short_name(n))
                for n, level in zip(name, t.level)
            ],
            parents=t.parent_id.fillna(""),
            values=size,
            branchvalues="total",
            # pad.t: a category's name sits in a band of its own above its causes, never squeezed
            marker=dict(
                colors=[ORIGIN.colour(o) for o in t.origin],
                line=dict(width=1, color="white"),
                pad=dict(t=34, l=3, r=3, b=3),
            ),
            hovertext=hover,
            hoverinfo="text",
            textfont=dict(family=FONT),
            maxdepth=3,
            tiling=dict(pad=2),
        )
    )
    return layout(fig, word("taxonomy_title", lang), height=1600)
