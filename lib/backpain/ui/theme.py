"""The look every chart shares (font, template, margins, where titles and legends go) and the one place data
text is made safe as a label.

Text must never overprint other text or be cut off, at any width a chart is drawn (a 560 px column in the
lab, a 1920 px projector) and in either language, so the layout is left to plotly's own margin pushing
rather than fixed pixel margins: the title sits above the plot area and pushes the top margin past the
top tick labels; a horizontal legend sits at the bottom of the figure and pushes the bottom margin past
the axis title. Text plotly cannot wrap (titles, long tick labels) is wrapped or shortened here by its
estimated width (a CJK character is about one em, a Latin one about half).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata

import ipywidgets as w
import plotly.graph_objects as go
import pyphen

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


NARROWEST = 560  # px: the narrowest a chart is drawn (a column of the lab); titles are wrapped to fit it
TITLE_SCALE = 1.4  # plotly draws the title at 1.4 × the font size


def text_width(text: str) -> float:
    """Estimated width of `text` in ems: about 1 for a CJK (wide) character, about 0.56 for others."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.56 for c in text)


def shorten(text: str, ems: float) -> str:
    """`text` cut to about `ems` ems wide, ending in "…" when cut (a label plotly cannot wrap)."""
    if text_width(text) <= ems:
        return text
    out = ""
    for c in text:
        if text_width(out + c) > ems - 1:
            break
        out += c
    return out.rstrip() + "…"


@functools.cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")  # its patterns break medical words where a reader expects


def _hyphenated(word: str, ems: float) -> list[str]:
    """A Latin word wider than `ems` in pieces that fit, each but the last ending in "-", broken only at
    the word's hyphenation points (a piece with no such point stays whole)."""
    pieces = []
    while text_width(word) > ems:
        fits = [(head, tail) for head, tail in _hyphenator().iterate(word) if text_width(head + "-") <= ems]
        if not fits:
            break
        head, word = fits[0]  # iterate() yields the longest head first
        pieces.append(head + "-")
    return [*pieces, word]


def wrap(text: str, ems: float, hyphenate: bool = False) -> str:
    """`text` broken into lines (with <br>) of about `ems` ems at most: at spaces for Latin text (a
    longer word keeps a line of its own, or with `hyphenate` is broken at its hyphenation points), after
    any character for CJK text ("脊柱/骨折", not "脊柱骨/折"). Existing <br> are kept."""
    lines = []
    for part in text.split("<br>"):
        line = ""
        for token in re.findall(r"\S+\s*|\s+", part):
            wide = any(unicodedata.east_asian_width(c) in "WF" for c in token)
            if wide and text_width(token) > ems:  # a CJK run wraps anywhere: in lines of even length
                lines_needed = math.ceil(text_width(token) / ems)
                step = math.ceil(len(token) / lines_needed)
                pieces = [token[i : i + step] for i in range(0, len(token), step)]
            elif hyphenate and text_width(token.rstrip()) > ems:
                pieces = _hyphenated(token.rstrip(), ems)
                pieces[-1] += token[len(token.rstrip()) :]
            else:
                pieces = [token]
            for k, piece in enumerate(pieces):
                if line and text_width(line + piece.rstrip()) > ems:
                    lines.append(line.rstrip())
                    line = ""
                line += piece
                if k < len(pieces) - 1 and piece.endswith("-"):  # a hyphenated word goes on below
                    lines.append(line)
                    line = ""
        lines.append(line.rstrip())
    return "<br>".join(lines)


def _legend_at_bottom(fig: go.Figure) -> None:
    """A horizontal legend at the bottom of the figure, under the axis title (the legend pushes the
    bottom margin; placed at a fraction of the plot height instead, it lands on the axis title)."""
    legend = fig.layout.legend
    if legend.orientation == "h":
        fig.update_layout(legend=dict(yref="container", y=0, yanchor="bottom", x=0, xanchor="left"))


def rotated_labels_height(labels, font_size: float, angle: float = 45) -> float:
    """Pixels that tick labels turned by `angle` degrees take up (for a margin that must hold them)."""
    longest = max((text_width(str(t)) for t in labels), default=0)
    return longest * font_size * math.sin(math.radians(angle)) + font_size + 8


def layout(fig: go.Figure, title: str, top: float = 0, **kw) -> go.Figure:
    """The workbook's look for every chart; also the one place data text is made safe as labels.

    The title is wrapped to the chart's width (or the narrowest it is drawn at) and sits at the top of
    the figure; the top margin is computed to hold it and `top` more pixels: whatever the chart puts
    between the title and the plot area (tick labels on a top axis, subplot titles). Other margins grow
    with what they hold (automargin)."""
    font = kw.pop("font", None) or dict(family=FONT, size=13)
    _plain_labels(fig)
    width = kw.get("width") or fig.layout.width or NARROWEST
    size = font.get("size", 13) * TITLE_SCALE
    title_text = wrap(plain(title), (width - 40) / size)
    lines = title_text.count("<br>") + 1
    margin = dict(l=10, r=10, b=10) | kw.pop("margin", {})
    block = lines * size * 1.3  # the title's lines
    margin["t"] = round(12 + block + 14 + top)
    height = kw.get("height") or fig.layout.height or 450  # plotly's default height
    # the title's first line starts 12 px from the top. plotly anchors a title of several lines by its
    # first line whatever yanchor says, so the first line is placed ("bottom": its box ends about 0.12 em
    # below y) and the others follow
    first_line = 12 + 0.88 * size
    fig.update_layout(
        title=dict(text=title_text, yref="container", y=1 - first_line / height, yanchor="bottom"),
        template=TEMPLATE,
        font=font,
        margin=margin,
        **kw,
    )
    _legend_at_bottom(fig)
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
