"""Plotly figures from frames. Charts never load files; they take what kb/compare give them."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go

from .i18n import ORIGIN_COLOURS, SEGMENT_LABELS, language, origin_label, pick, word

FONT = "system-ui, 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif"

SEGMENT_COLOURS = {  # in legend order: content first, then the page furniture, then the noise
    "body": "#009E73", "related_on_topic": "#56B4E9", "title": "#4d4d4d", "byline": "#7f7f7f",
    "references": "#0072B2", "navigation": "#E69F00", "advert": "#CC79A7", "unrelated": "#D55E00",
    "duplicate": "#F0E442", "boilerplate": "#bdbdbd",
}


# A small template: the built-in ones carry hundreds of settings and cost ~8 ms per figure to apply,
# which the differential lab pays on every click.
TEMPLATE = go.layout.Template(layout=dict(
    plot_bgcolor="white", paper_bgcolor="white", colorway=["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00"],
    xaxis=dict(gridcolor="#e5e5e5", zerolinecolor="#999", automargin=True),
    yaxis=dict(gridcolor="#e5e5e5", zerolinecolor="#999", automargin=True),
    hoverlabel=dict(font=dict(family=FONT)),
))


# plotly renders a little HTML in labels (and fetches what a style's url() names); only these bare
# formatting tags, which the workbook writes itself, are left as markup
_MARKUP = re.compile(r"<(?!/?(?:br|b|i|sup|sub)>)")
_TEXT_PROPS = ("x", "y", "text", "hovertext", "labels", "name", "parents")


def plain(value):
    """Label text with any markup from the data neutralised ('<' shown as a character, not a tag)."""
    if isinstance(value, str):
        return _MARKUP.sub("&lt;", value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _plain_labels(fig: go.Figure) -> None:
    for trace in fig.data:
        for prop in _TEXT_PROPS:
            value = getattr(trace, prop, None)
            if value is not None and (isinstance(value, str) or (len(value) and isinstance(value[0], str))):
                trace[prop] = plain(list(value) if not isinstance(value, str) else value)
    for axis in [a for a in fig.layout if a.startswith(("xaxis", "yaxis"))]:
        ticks = fig.layout[axis].ticktext
        if ticks:
            fig.layout[axis].ticktext = plain(list(ticks))
    for note in fig.layout.annotations:
        note.text = plain(note.text)


def _layout(fig: go.Figure, title: str, **kw) -> go.Figure:
    """The workbook's look for every chart; also the one place data text is made safe as labels."""
    kw.setdefault("margin", dict(l=10, r=10, t=60, b=10))
    kw.setdefault("font", dict(family=FONT, size=13))
    _plain_labels(fig)
    fig.update_layout(title=plain(title), template=TEMPLATE, **kw)
    return fig


def segment_composition(shares: pd.DataFrame, labels: dict[str, str] | None = None,
                        lang: str | None = None) -> go.Figure:
    """Stacked horizontal bars: each source's characters split by segment kind (as % of the page)."""
    lang = lang or language()
    labels = labels or {}
    fig = go.Figure()
    for kind in SEGMENT_COLOURS:  # body first, noise last: the legend reads in that order
        rows = shares[shares.kind == kind]
        if rows.empty:
            continue
        fig.add_trace(go.Bar(
            y=[labels.get(s, s) for s in rows.source_id], x=rows.share * 100, orientation="h",
            name=pick(SEGMENT_LABELS[kind], lang), marker_color=SEGMENT_COLOURS[kind],
            customdata=rows.chars, hovertemplate="%{y}: %{x:.0f}% (%{customdata} " + word("characters", lang) + ")<extra>%{fullData.name}</extra>",
        ))
    fig.update_layout(barmode="stack", xaxis=dict(title=word("share_of_page", lang) + " (%)", range=[0, 100]),
                      yaxis=dict(autorange="reversed"), legend=dict(orientation="h", y=-0.2), height=380)
    return _layout(fig, word("segments_title", lang))


def taxonomy_treemap(tree: pd.DataFrame, n_sources: pd.Series, lang: str | None = None,
                     include_unrelated: bool = False) -> go.Figure:
    """Categories and causes as nested boxes, sized by how many sources name each cause, coloured by origin.

    A cause no page names (it comes from the literature) still gets a small box so it stays visible;
    the hover text gives the true count. Conditions named only in off-topic text are left out unless
    asked for: they are not causes of back pain and would take a fifth of the picture.
    """
    lang = lang or language()
    t = tree.set_index("cause_id")
    if not include_unrelated:
        t = t[t.origin != "unrelated"]
    count = n_sources.reindex(t.index).fillna(0).astype(int)
    size = count.where(count > 0, 0.4).where(t.level == "cause", 0.0)
    for node in reversed(t.index.tolist()):  # children before parents: sum up the tree
        parent = t.parent_id[node]
        if pd.notna(parent):
            size[parent] += size[node]
    name = t[f"name_{lang}"]
    other = t["name_zh" if lang == "en" else "name_en"]
    hover = [
        f"<b>{name[c]}</b> / {other[c]}<br>{origin_label(t.origin[c], lang)}"
        + (f"<br>ICD-10: {t.icd10[c]}" if pd.notna(t.icd10[c]) else "")
        + (f"<br>{word('named_by', lang, n=count[c])}" if t.level[c] == "cause" else "")
        for c in t.index
    ]
    fig = go.Figure(go.Treemap(
        ids=t.index, labels=name, parents=t.parent_id.fillna(""), values=size, branchvalues="total",
        marker=dict(colors=[ORIGIN_COLOURS[o] for o in t.origin], line=dict(width=1, color="white")),
        hovertext=hover, hoverinfo="text", textfont=dict(family=FONT), maxdepth=3, tiling=dict(pad=2),
    ))
    fig.update_layout(uniformtext=dict(minsize=11, mode="hide"))  # no unreadable labels; hover has them
    return _layout(fig, word("taxonomy_title", lang), height=650)
