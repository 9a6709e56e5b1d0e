"""The pages as HTML: a source with every cause mention highlighted, quotes in context, the advice table.

The page text is untrusted web content: every character of it goes through html.escape, and
so does every name in a tooltip. Colours follow the cause's origin; segments that are not body
text (adverts, unrelated Q&A, navigation …) are greyed and labelled so the noise is visible.
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass

from ..i18n import language, lookup
from ..vocab import GUIDELINE_STANCE, MENTION_STANCE, NOISE, ORIGIN, SEGMENT_KIND
from .strings import ADVICE, COMMON, PAGES


@dataclass(frozen=True)
class HTML:
    """A fragment of HTML that Jupyter displays as such (and tests can read as a string)."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def _pieces(start: int, end: int, mentions) -> list[tuple[int, int, list]]:
    """Cut [start, end) at every mention boundary; each piece carries the mentions covering it.

    One sweep over mentions sorted by start (the caller sorts them), so a page with 100,000 mentions
    costs about as much as its length, not the square of it."""
    inside = [m for m in mentions if m.start < end and m.end > start]
    cuts = sorted({start, end, *(max(m.start, start) for m in inside), *(min(m.end, end) for m in inside)})
    pieces, active, i = [], [], 0
    for a, b in itertools.pairwise(cuts):
        while i < len(inside) and inside[i].start <= a:
            active.append(inside[i])
            i += 1
        active = [m for m in active if m.end > a]
        pieces.append((a, b, [m for m in active if m.end >= b]))
    return pieces


def _mark(text: str, covering: list, causes, lang: str) -> str:
    if not covering:
        return html.escape(text)
    tips = []
    for m in covering:
        c = causes[m.cause_id]
        name = c.name_zh if lang == "zh" else c.name_en
        tips.append(f"{name} — {ORIGIN.label(c.origin, lang)} ({MENTION_STANCE.label(m.stance, lang)})")
    origin = causes[covering[0].cause_id].origin
    colour = ORIGIN.colour(origin)
    line = "dashed" if all(m.stance == "negated" for m in covering) else "solid"  # negated: dashed
    ids = " ".join(sorted({m.cause_id for m in covering}))
    return (
        f'<mark class="bp-mention" data-cause="{html.escape(ids)}" data-origin="{origin}" '
        f'style="background:{colour}33;border-bottom:2px {line} {colour};padding:0 1px" '
        f'title="{html.escape(chr(10).join(tips))}">{html.escape(text)}</mark>'
    )


def render_source(kb, source_id: str, lang: str | None = None, max_chars: int | None = None) -> HTML:
    """The page with its segments labelled and its mentions highlighted (hover for the standard name)."""
    info = kb.sources.set_index("source_id").loc[source_id]
    mentions = kb.mentions[kb.mentions.source_id == source_id]
    return render_page(
        kb.text(source_id), info.title, info.language, kb.segments_of(source_id), mentions, kb.causes, lang, max_chars
    )


SHOW_AT_MOST = 1_000_000  # characters of an ingested page drawn in a notebook (a browser chokes on more)


def render_ingested(kb, store, source_id: str, lang: str | None = None, max_chars: int = SHOW_AT_MOST) -> HTML:
    """An ingested page with its machine-extracted mentions, marked as such; a very long page is shown
    up to `max_chars`, and the title says so."""
    import pandas as pd

    lang = lang or language()
    text = (store.pages / f"{source_id}.txt").read_text(encoding="utf-8")
    info = {r["source_id"]: r for r in store.registry()}[source_id]
    mentions = pd.read_csv(store.mentions_path)
    segments = pd.DataFrame(
        [
            {
                "start": 0,
                "end": len(text),
                "kind": "body",
                "heading": lookup(PAGES, "machine_extracted", "en"),
                "heading_zh": lookup(PAGES, "machine_extracted", "zh"),
            }
        ]
    )
    title = f"{info['original_name']} (auto)"
    if len(text) > max_chars:
        title += " — " + lookup(PAGES, "showing_first", lang).format(n=max_chars, total=len(text))
    return render_page(
        text,
        title,
        info["language"],
        segments,
        mentions[mentions.source_id == source_id],
        kb.causes,
        lang,
        max_chars if len(text) > max_chars else None,
    )


def render_page(
    text: str,
    title: str,
    page_lang: str,
    segments,
    mentions,
    causes,
    lang: str | None = None,
    max_chars: int | None = None,
) -> HTML:
    lang = lang or language()
    mentions = list(mentions.sort_values("start", kind="stable").itertuples())
    causes = {c.Index: c for c in causes.itertuples()}  # one lookup table, not a pandas .loc per mention
    parts = [
        f'<div class="bp-source" lang="{html.escape(page_lang if page_lang in ("en", "zh") else "und")}" style="font-family:system-ui,\'Noto Sans CJK SC\',sans-serif;'
        'line-height:1.6;max-height:38em;overflow:auto;border:1px solid #ccc;padding:0.5em 1em">',
        f'<div style="font-weight:bold;margin-bottom:0.5em">{html.escape(title)}</div>',
    ]
    for seg in segments.itertuples():
        if max_chars is not None and seg.start >= max_chars:
            parts.append('<div style="color:#777">…</div>')
            break
        end = seg.end if max_chars is None else min(seg.end, max_chars)
        label = SEGMENT_KIND.label(seg.kind, lang)
        text_of_heading = getattr(seg, "heading_zh", None) if lang == "zh" else seg.heading
        heading = f" · {html.escape(text_of_heading)}" if isinstance(text_of_heading, str) and text_of_heading else ""
        style = "opacity:0.55;background:#f3f3f3;" if seg.kind in NOISE else ""
        body = "".join(_mark(text[a:b], cov, causes, lang) for a, b, cov in _pieces(seg.start, end, mentions))
        parts.append(
            f'<div class="bp-segment" data-kind="{seg.kind}" style="{style}margin:0.3em 0;padding:0.2em 0.4em;'
            f'border-left:4px solid {"#bbb" if seg.kind in NOISE else "#4a7"}">'
            f'<div style="font-size:0.75em;color:#555">[{html.escape(label)}{heading}]</div>'
            f'<div class="bp-text" style="white-space:pre-wrap">{body}</div></div>'
        )
    parts.append("</div>")
    return HTML("".join(parts))


def legend(lang: str | None = None) -> HTML:
    """Colour key for the origins, shown above a source view."""
    items = "".join(
        f'<span style="background:{colour}33;border-bottom:2px solid {colour};margin-right:0.8em;padding:0 3px">'
        f"{html.escape(ORIGIN.label(origin, lang))}</span>"
        for origin, colour in ORIGIN.colours.items()
    )
    return HTML(f'<div class="bp-legend" style="margin:0.3em 0">{items}</div>')


def quotes_in_context(kb, cause_id: str, context: int = 40):
    """Every mention of a cause with `context` characters either side (plain text, not yet escaped)."""
    import pandas as pd

    rows = []
    for m in kb.mentions_of(cause_id).itertuples():
        text = kb.text(m.source_id)
        rows.append(
            {
                "source_id": m.source_id,
                "start": m.start,
                "end": m.end,
                "stance": m.stance,
                "before": text[max(0, m.start - context) : m.start].replace("\n", " "),
                "quote": m.quote,
                "after": text[m.end : m.end + context].replace("\n", " "),
            }
        )
    return pd.DataFrame(rows, columns=["source_id", "start", "end", "stance", "before", "quote", "after"])


def render_quotes(kb, cause_id: str, lang: str | None = None, context: int = 40) -> HTML:
    """The exact words of every page that names a cause, the quote highlighted in its context."""
    lang = lang or language()
    cause = kb.cause(cause_id)
    colour = ORIGIN.colour(cause.origin)
    quotes = quotes_in_context(kb, cause_id, context)
    head = (
        f'<div class="bp-quotes" data-cause="{html.escape(cause_id)}">'
        f"<div><b>{html.escape(cause.name_en)}</b> / <b>{html.escape(cause.name_zh)}</b>"
        f" · {html.escape(ORIGIN.label(cause.origin, lang))}"
        + (f" · ICD-10 {html.escape(cause.icd10)}" if isinstance(cause.icd10, str) else "")
        + f" · {lookup(COMMON, 'mentions_in', lang).format(n=len(quotes), s=quotes.source_id.nunique())}</div>"
    )
    rows = "".join(
        f'<tr><td style="white-space:nowrap;vertical-align:top">{html.escape(q.source_id)}<br>'
        f"<small>{q.start}–{q.end} · {html.escape(MENTION_STANCE.label(q.stance, lang))}</small></td>"
        f'<td style="text-align:left">…{html.escape(q.before)}<mark style="background:{colour}55">'
        f"{html.escape(q.quote)}</mark>{html.escape(q.after)}…</td></tr>"
        for q in quotes.itertuples()
    )
    return HTML(f'{head}<table class="bp-quote-table">{rows}</table></div>')


# Headings over their columns; the page's words get room so a short quote is not broken line by line.
ADVICE_STYLE = (
    "<style>.bp-advice-table th {text-align:left !important; word-break:keep-all}"  # over Jupyter's right-aligned th
    ".bp-advice-table td:nth-child(1) {min-width:12em} .bp-advice-table td:nth-child(2) {min-width:10em}</style>"
)


def render_advice(table, source_id: str, lang: str | None = None) -> HTML:
    """One page's advice, colour-coded by guideline stance: the page's words beside the guideline's position."""

    lang = lang or language()
    rows = []
    for r in table[table.source_id == source_id].itertuples():
        colour = GUIDELINE_STANCE.colour(r.stance)
        unconfirmed = f" <small>{lookup(PAGES, 'unconfirmed', lang)}</small>" if r.status == "unconfirmed" else ""
        rows.append(
            f'<tr class="bp-advice" data-stance="{r.stance}" data-status="{html.escape(str(r.status))}"><td style="border-left:8px solid {colour};text-align:left">'
            f"<b>{html.escape(getattr(r, f'name_{lang}'))}</b><br><small style='white-space:nowrap'>{html.escape(GUIDELINE_STANCE.label(r.stance, lang))}</small></td>"
            f'<td style="text-align:left">“{html.escape(r.first_quote)}” <small>×{r.mentions}</small></td>'
            f"<td style='text-align:left'>{html.escape(getattr(r, f'position_{lang}'))}{unconfirmed}</td></tr>"
        )
    head = lookup(ADVICE, "advice", lang), lookup(ADVICE, "page_says", lang), lookup(ADVICE, "guideline_says", lang)
    return HTML(
        f"{ADVICE_STYLE}"
        f'<table class="bp-advice-table"><tr><th>{head[0]}</th><th>{head[1]}</th><th>{head[2]}</th></tr>{"".join(rows)}</table>'
    )
