"""Small ipywidgets controllers. Each keeps its last rendered result so tests can drive it by
setting widget values, without a browser; the notebooks only construct and display them."""

from __future__ import annotations

import html
from functools import partial

import ipywidgets as w

from ..i18n import language, lookup
from ..knowledge.anatomy import causes_for_region, organs_for_region
from ..vocab import ORIGIN, WEIGHT_BASIS
from .bodymap import body_map
from .page_html import legend, render_quotes, render_source
from .strings import BROWSERS
from .theme import show

_t = partial(lookup, BROWSERS)


class SourceBrowser:
    """Pick a page; see it with every cause mention highlighted and its noise segments greyed."""

    def __init__(self, kb, source_id: str | None = None, lang: str | None = None):
        self.kb, self.lang = kb, lang or language()
        titles = kb.sources.set_index("source_id").title
        self.source = w.Dropdown(
            options=[(f"{sid} — {titles[sid]}", sid) for sid in kb.source_ids],  # the whole title, never cut
            value=source_id or kb.source_ids[0],
            description=_t("source", self.lang),
            layout=w.Layout(width="36em"),
        )
        self.page = w.HTML()
        self.page.add_class("bp-source-view")
        self.source.observe(self._update, names="value")
        self._update()

    def _update(self, change=None) -> None:
        self.last_html = str(render_source(self.kb, self.source.value, self.lang))
        self.page.value = self.last_html

    def view(self) -> w.Widget:
        return w.VBox([self.source, w.HTML(str(legend(self.lang))), self.page])


class CauseQuotes:
    """Pick a cause; see the exact words of every page that names it."""

    def __init__(self, kb, cause_id: str | None = None, lang: str | None = None):
        self.kb, self.lang = kb, lang or language()
        causes = kb.causes.sort_values(f"name_{self.lang}")
        self.cause = w.Dropdown(
            options=[(r[f"name_{self.lang}"], cid) for cid, r in causes.iterrows()],  # names, not ids
            value=cause_id or causes.index[0],
            description=_t("cause", self.lang),
            layout=w.Layout(width="36em"),
        )
        self.quotes = w.HTML()
        self.quotes.add_class("bp-cause-quotes")
        self.cause.observe(self._update, names="value")
        self._update()

    def _update(self, change=None) -> None:
        self.last_html = str(render_quotes(self.kb, self.cause.value, self.lang))
        self.quotes.value = self.last_html

    def view(self) -> w.Widget:
        return w.VBox([self.cause, self.quotes])


class RegionExplorer:
    """Pick a region of the back: the map highlights it and lists the organs and causes that refer there."""

    def __init__(self, kb, region_id: str = "interscapular", lang: str | None = None):
        self.kb, self.lang = kb, lang or language()
        self.regions = kb.body_regions.set_index("region_id")
        self.organs = kb.organ_segments.set_index("organ_id")
        self.refer = organs_for_region(kb.body_regions, kb.organ_segments)
        self.region = w.ToggleButtons(
            options=[(r[f"name_{self.lang}"], rid) for rid, r in self.regions.iterrows()],
            value=region_id,
            style={"button_width": "auto"},
        )
        self.figure_out = w.Output()
        self.details = w.HTML()
        self.details.add_class("bp-region-details")
        self.region.observe(self._update, names="value")
        self._update()

    def _update(self, change=None) -> None:
        rid, lang = self.region.value, self.lang
        region = self.regions.loc[rid]
        self.last_figure = body_map(self.kb.body_regions, self.kb.organ_segments, self.kb.engine, lang, selected=rid)
        show(self.figure_out, self.last_figure)
        organs = (
            ", ".join(
                html.escape(f"{self.organs.loc[o, f'name_{lang}']} ({self.organs.loc[o, 'levels']})")
                for o in self.refer[rid]
            )
            or "—"
        )
        causes = causes_for_region(self.kb.engine, region.finding_id)
        items = "".join(
            f"<li>{html.escape(c[f'name_{lang}'])} · {html.escape(ORIGIN.label(c.origin, lang))} · "
            f"LR+ {c.lr_pos:.2g} ({WEIGHT_BASIS.label(c.basis, lang)})</li>"
            for _, c in causes.iterrows()
        )
        self.details.value = (
            f"<b>{html.escape(region[f'name_{lang}'])}</b> ({region.levels})<br>"
            f"{_t('organs_sharing', lang)}: {organs}<ol>{items}</ol>"
        )

    def view(self) -> w.Widget:
        return w.VBox([self.region, w.HBox([self.figure_out, self.details])])
