"""The look every chart shares (font, template, margins) and the one place data text is made safe as a label."""

from __future__ import annotations

import re

import ipywidgets as w
import plotly.graph_objects as go

from ..vocab import ORIGIN

FONT = "system-ui, 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif"

# A small template: the built-in ones carry hundreds of settings and cost ~8 ms per figure to apply,
# which the differential lab pays on every click.
TEMPLATE = go.layout.Template(
    layout=dict(
        plot_bgcolor="white",
        paper_bgcolor="white",
        colorway=["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00"],
        xaxis=dict(gridcolor="#e5e5e5", zerolinecolor="#999", automargin=True),
        yaxis=dict(gridcolor="#e5e5e5", zerolinecolor="#999", automargin=True),
        hoverlabel=dict(font=dict(family=FONT)),
    )
)


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


def layout(fig: go.Figure, title: str, **kw) -> go.Figure:
    """The workbook's look for every chart; also the one place data text is made safe as labels."""
    kw.setdefault("margin", dict(l=10, r=10, t=60, b=10))
    kw.setdefault("font", dict(family=FONT, size=13))
    _plain_labels(fig)
    fig.update_layout(title=plain(title), template=TEMPLATE, **kw)
    return fig


def show(out: w.Output, fig) -> None:
    """Draw a figure into an Output widget (only inside a running kernel; tests read last_figures)."""
    from IPython import get_ipython

    if get_ipython() is not None:
        from IPython.display import display

        with out:
            out.clear_output(wait=True)
            display(fig)


def origin_strip(origins, y, lang: str) -> go.Heatmap:
    """A one-column heatmap beside a chart's rows, coloured by each row's origin (on axis x2)."""
    order = list(ORIGIN)
    return go.Heatmap(
        z=[[order.index(o)] for o in origins],
        x=["·"],
        y=y,
        xaxis="x2",
        showscale=False,
        colorscale=[[i / (len(order) - 1), c] for i, c in enumerate(ORIGIN.colours.values())],
        zmin=0,
        zmax=len(order) - 1,
        hovertext=[[ORIGIN.label(o, lang)] for o in origins],
        hoverinfo="text",
    )
