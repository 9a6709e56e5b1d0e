"""The panels of a differential as HTML: red flags first, the ranking, why a cause fits, what to ask next.

The lab's ranking is HTML rather than a chart: a click changes one widget value and the browser redraws
it in a few milliseconds (a plotly chart in an Output is drawn anew, ~50 ms), names wrap instead of
being cut, and it needs no hover. Notebooks draw the same ranking as a chart (reasoning_charts.ranking_bar).

Every piece of page or data text goes through html.escape; the panels carry class names and data
attributes so the browser tests can find them.
"""

from __future__ import annotations

import html
import re
from functools import partial

import pandas as pd

from ..i18n import lookup
from ..vocab import ANSWER, ORIGIN, URGENCY, WEIGHT_BASIS
from .reasoning_charts import percent, pre_post
from .strings import LAB, REASONING_CHARTS

_ui = partial(lookup, LAB)


def render_flags(diff, lang: str) -> str:
    """The red-flag panel: raised flags, most urgent first, then can't-miss causes the findings raised."""
    flags = diff.red_flags
    labels = diff.engine.findings[f"label_{lang}"]
    parts = [f'<div class="bp-flags"><b>{_ui("flags", lang)}</b>']
    if flags.empty:
        parts.append(f'<div class="bp-no-flag" style="color:#555">{_ui("no_flags", lang)}</div>')
    for flag in flags.itertuples():
        colour = URGENCY.colour(flag.urgency)
        matched = ", ".join(html.escape(labels[f]) for f in flag.matched)
        parts.append(
            f'<div class="bp-flag" data-flag="{flag.flag_id}" data-urgency="{flag.urgency}" '
            f'style="border-left:6px solid {colour};background:{colour}14;padding:4px 8px;margin:4px 0">'
            f'<b style="color:{colour}">{URGENCY.label(flag.urgency, lang)}</b> · '
            f"<b>{html.escape(getattr(flag, f'name_{lang}'))}</b>"
            f"<br>{html.escape(getattr(flag, f'explain_{lang}'))}"
            f"<br><small>{_ui('because', lang)}: {matched} · [{html.escape(flag.reference_id)}]</small></div>"
        )
    raised = diff.cant_miss[diff.cant_miss.change > 2].head(5)
    if len(raised):
        items = ", ".join(
            f"{html.escape(r[f'name_{lang}'])} ×{r.change:,.0f} ({percent(r.posterior)})" for _, r in raised.iterrows()
        )
        parts.append(f'<div class="bp-cant-miss" style="margin-top:4px">⚠ {_ui("cant_miss", lang)}: {items}</div>')
    if len(diff.factors):
        items = ", ".join(html.escape(r[f"name_{lang}"]) for _, r in diff.factors.iterrows())
        parts.append(f'<div class="bp-factors" style="margin-top:4px">{_ui("factors", lang)}: {items}</div>')
    return "".join(parts) + "</div>"


def render_ranking(diff, lang: str, n: int = 12) -> str:
    """The top causes as bars on one 0-100 % scale, coloured by origin, ⚠ before a can't-miss cause; each
    row's tooltip gives the origin and the change from pre-test to post-test."""
    top = diff.top(n)
    rows = []
    for cause, r in top.iterrows():
        name = html.escape(r[f"name_{lang}"])
        tip = html.escape(f"{ORIGIN.label(r.origin, lang)} · {pre_post(r)}")
        colour = ORIGIN.colour(r.origin)
        rows.append(
            f'<div class="bp-rank" data-cause="{html.escape(cause)}" title="{tip}" style="display:contents">'
            f'<span class="bp-rank-name" style="padding:2px 0">{"⚠ " if r.can_t_miss else ""}{name}</span>'
            f'<span style="background:#eef0f2;height:1.1em;border-radius:2px">'
            f'<span style="display:block;height:100%;width:{100 * r.posterior:.1f}%;min-width:2px;'
            f'background:{colour};border-radius:2px"></span></span>'
            f'<span class="bp-rank-value" style="text-align:right;font-variant-numeric:tabular-nums">'
            f"{percent(r.posterior)}</span></div>"
        )
    origins = list(dict.fromkeys(top.origin))
    legend = " ".join(
        f'<span style="white-space:nowrap"><span style="display:inline-block;width:.8em;height:.8em;'
        f'background:{ORIGIN.colour(o)};margin-right:3px"></span>{html.escape(ORIGIN.label(o, lang))}</span>'
        for o in ORIGIN
        if o in origins
    )
    return (
        f'<div class="bp-ranking-html"><b class="bp-ranking-title">{html.escape(lookup(REASONING_CHARTS, "ranking", lang))}</b>'
        '<div style="display:grid;grid-template-columns:fit-content(22em) minmax(6em,1fr) 4.5em;max-width:60em;'
        f'gap:3px 8px;align-items:center;margin:6px 0">{"".join(rows)}</div>'
        f'<small style="color:#555">{html.escape(lookup(REASONING_CHARTS, "posterior", lang))} · {legend}</small></div>'
    )


_CJK = re.compile(r"[\u3400-\u9fff]")


def _in_language(text, lang: str) -> str | None:
    """A note or population as the engine gave it in `lang`, or None: in 中文 mode a text with no Chinese
    is the English fallback of a row without a Chinese column, and nothing is shown rather than English."""
    if not isinstance(text, str) or not text:
        return None
    return text if lang == "en" or _CJK.search(text) else None


def render_why(diff, cause_id: str, references: pd.DataFrame, lang: str) -> str:
    """For and against one cause: each set finding's frequency there and in ordinary back pain, the LR
    derived from them, its basis, and its citation (with the population measured) or the page's words."""
    contrib = diff.contributions(cause_id, lang)
    contrib = contrib[contrib.lr != 1]
    if contrib.empty:
        return f'<div class="bp-why">{_ui("no_links", lang)}</div>'
    cite = references.set_index("reference_id").citation
    labels = diff.engine.findings[f"label_{lang}"]
    rows = []
    for r in contrib.itertuples():
        side = _ui("for", lang) if r.log10_lr > 0 else _ui("against", lang)
        if r.basis == "source" and isinstance(r.quote, str):
            source = f"{_ui('source_says', lang)} ({html.escape(r.evidence)}): “{html.escape(r.quote)}”"
        elif isinstance(r.evidence, str) and r.evidence in cite.index:
            source = html.escape(cite[r.evidence])
        else:
            source = ""
        population, note = _in_language(r.population, lang), _in_language(r.note, lang)
        if population:
            source += f" <small>({_ui('population', lang)}: {html.escape(population)})</small>"
        basis = WEIGHT_BASIS.label(r.basis, lang)
        frequency = _ui("frequency", lang).format(f=r.frequency, b=r.background)
        note = f"<br><small>{html.escape(note)}</small>" if note else ""
        cell = "<td style='text-align:left;vertical-align:top'>"  # notebook CSS right-aligns table cells
        rows.append(
            f"<tr><td style='white-space:nowrap;text-align:left;vertical-align:top'>{side}</td>"
            f"{cell}{html.escape(labels[r.finding_id])} ({ANSWER.label(r.state, lang)})</td>"
            f"{cell}{_ui('lr', lang)} {r.lr:.2g} <i>({basis})</i><br><small>{frequency}</small></td>"
            f"{cell}{source}{note}</td></tr>"
        )
    return f'<table class="bp-why">{"".join(rows)}</table>'


def _shift(change: float) -> str:
    """A change in percentage points, signed; one that rounds to nothing is ±0%, never "-0%"."""
    return "±0%" if round(change * 100) == 0 else f"{change:+.0%}"


def render_ask_next(diff, lang: str, n_flags: int = 4, n_other: int = 4) -> str:
    """Unasked red-flag questions first (most urgent first), then the questions that would move the
    picture most: both lists stay visible, so screening never crowds out reasoning."""
    labels = diff.engine.findings
    ask = diff.ask_next(len(labels))
    danger = ask[ask.red_flag_urgency.notna()].head(n_flags)
    other = ask[ask.red_flag_urgency.isna()].head(n_other)
    items = []
    for r in pd.concat([danger, other]).itertuples():
        f = labels.loc[r.finding_id]
        urgency = r.red_flag_urgency if isinstance(r.red_flag_urgency, str) else ""
        if urgency:
            colour = URGENCY.colour(r.red_flag_urgency)
            why = (
                f'<b style="color:{colour}">{_ui("red_flag_question", lang)}: '
                f"{URGENCY.label(r.red_flag_urgency, lang)}</b>"
            )
        else:
            why = (
                f"{_ui('visceral', lang)}: {_ui('if_yes', lang)} {_shift(r.visceral_if_yes)}, "
                f"{_ui('if_no', lang)} {_shift(r.visceral_if_no)}"
            )
        items.append(
            f'<li class="bp-ask" data-finding="{r.finding_id}" data-red-flag="{urgency}">'
            f"{html.escape(f[f'question_{lang}'])} <small>({why})</small></li>"
        )
    return f"<b>{_ui('ask', lang)}</b><ol>{''.join(items)}</ol>"
