"""Small ipywidgets controllers. Each keeps its last rendered result so tests can drive it by
setting widget values, without a browser; the notebooks only construct and display them."""

from __future__ import annotations

import ipywidgets as w

from .i18n import language
from .viewer import legend, render_quotes, render_source


class SourceBrowser:
    """Pick a page; see it with every cause mention highlighted and its noise segments greyed."""

    def __init__(self, kb, source_id: str | None = None, lang: str | None = None):
        self.kb, self.lang = kb, lang or language()
        titles = kb.sources.set_index("source_id").title
        self.source = w.Dropdown(
            options=[(f"{sid} — {titles[sid][:40]}", sid) for sid in kb.source_ids],
            value=source_id or kb.source_ids[0], description="Source", layout=w.Layout(width="36em"),
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
            options=[(f"{r[f'name_{self.lang}']} ({cid})", cid) for cid, r in causes.iterrows()],
            value=cause_id or causes.index[0], description="Cause", layout=w.Layout(width="36em"),
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
