"""The differential lab: a history-taking form of tri-state findings driving the engine and its charts.

A small controller around a handful of widget models: the finding form is one custom widget
(finding_form.py) whose `answers` the lab observes; `_update` asks the engine and redraws, and the
last result, figures and HTML panels are kept on the object so pytest can drive it by setting state.
Form left, results right; red flags are rendered first, always, and stay pinned on top of the results;
every panel says this is a teaching model.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
from functools import partial

import ipywidgets as w

from ..i18n import LANGUAGE_NAMES, LANGUAGES, lookup
from ..i18n import language as current_language
from ..reasoning.engine import FindingError
from ..vocab import ANSWER
from .differential_html import render_ask_next, render_flags, render_ranking, render_why
from .finding_form import FindingForm
from .reasoning_charts import evidence_ruler, percent, pretest_posttest, split_bar
from .strings import LAB

_ui = partial(lookup, LAB)
REST_DELAY_S = 0.15  # a pause this long after a click redraws the panels below the ranking


def show_plotly_json(out: w.Output, figure_json: str) -> None:
    """Draw a figure, given as its JSON, into an Output as plotly's own mime bundle. The Output's `outputs`
    are set as widget state rather than captured from a display() inside `with out:`, which ties the
    output to the message being handled: a redraw scheduled for later (_rest_soon) would go nowhere.
    Nor does it import plotly's renderer machinery, which costs a new kernel seconds before the lab shows."""
    figure = {**json.loads(figure_json), "config": {"displaylogo": False}}
    out.outputs = ({"output_type": "display_data", "data": {"application/vnd.plotly.v1+json": figure}, "metadata": {}},)


def _error(message: str) -> str:
    return f'<span style="color:#b30000">{html.escape(message)}</span>'


class DifferentialLab:
    """Tri-state findings in, ranked differential, split, red flags, why, pre→post and ask-next out."""

    def __init__(self, kb, lang: str | None = None):
        self.kb, self.engine = kb, kb.engine
        self.references = kb.references
        self.presets = kb.lab_presets.set_index("preset_id")
        self._quiet = False
        self.picked = False  # True once the student chooses a cause for "why"; a new patient clears it
        lang = lang or current_language()
        if lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")
        self.language = w.ToggleButtons(options=[(LANGUAGE_NAMES[code], code) for code in LANGUAGES], value=lang)
        self.preset = w.Dropdown(layout=w.Layout(width="34em"))
        self.reset_button = w.Button(icon="undo")
        self.form = FindingForm(self.engine.findings, lang)
        self.disclaimer = w.HTML()
        self.flags = w.HTML()
        self.flags.add_class("bp-flag-panel")
        self.message = w.HTML()
        self.ranking = w.HTML()  # HTML, not a chart: a click redraws it in milliseconds (differential_html)
        self.ranking.add_class("bp-ranking")
        self.split_out, self.ruler_out, self.prepost_out = (w.Output() for _ in range(3))
        self.why_cause = w.Dropdown(layout=w.Layout(width="30em"))
        self.why_title = w.HTML()
        self.why = w.HTML()
        self.ask = w.HTML()
        self.form.observe(self._update, names="answers")
        self.language.observe(self._relabel, names="value")
        self.preset.observe(self._apply_preset, names="value")
        self.reset_button.on_click(lambda _: self.reset())
        self.why_cause.observe(self._pick_why, names="value")
        self.last_figures: dict = {}
        self._drawn: dict = {}  # the JSON of the figure each Output shows now, so an unchanged chart is not redrawn
        self._pending = None  # the charts' redraw waiting for a pause in the clicks (_rest_soon)
        self._relabel()

    # --- state -------------------------------------------------------------------------------------
    @property
    def lang(self) -> str:
        return self.language.value

    def findings_set(self) -> tuple[list[str], list[str]]:
        """(present, absent) finding ids, in the form's order."""
        answers = self.form.answers
        present = [f for f in self.engine.findings.index if answers.get(f) == "present"]
        absent = [f for f in self.engine.findings.index if answers.get(f) == "absent"]
        return present, absent

    def set_findings(self, present=(), absent=()) -> None:
        """Set many findings at once and redraw once (presets, tests); 'why' follows the top cause again.
        Ids the engine would refuse are refused here too, with its message, and nothing changes."""
        try:
            present, absent = self.engine.check_ids(present, absent)
        except FindingError as error:
            self.message.value = _error(str(error))
            return
        self._quiet = True
        try:
            self.form.answers = {**{f: "present" for f in present}, **{f: "absent" for f in absent}}
        finally:
            self._quiet = False
        self._update(follow_top=True)

    def set_answer(self, finding_id: str, answer: str) -> None:
        """One finding set as a click on its — ✔ ✘ control would set it ('unknown' clears it)."""
        if answer not in ANSWER:
            raise ValueError(f"answer must be one of {ANSWER.values}, not {answer!r}")
        answers = {f: a for f, a in self.form.answers.items() if f != finding_id}
        if answer != "unknown":
            answers[finding_id] = answer
        present = [f for f, a in answers.items() if a == "present"]
        absent = [f for f, a in answers.items() if a == "absent"]
        try:
            self.engine.check_ids(present, absent)
        except FindingError as error:
            self.message.value = _error(str(error))
            return
        self.form.answers = answers

    def reset(self) -> None:
        self.preset.value = None
        self.set_findings()

    def _pick_why(self, change=None) -> None:
        if not self._quiet:
            self.picked = True
        self._update_why()

    def _apply_preset(self, change=None) -> None:
        if self.preset.value is None:
            return
        p = self.presets.loc[self.preset.value]
        absent = p.absent.split(";") if isinstance(p.absent, str) else []
        self.set_findings(p.present.split(";"), absent)

    # --- drawing ---------------------------------------------------------------------------------------
    def _relabel(self, change=None) -> None:
        """Every label in the chosen language; the answers, the patient and the chosen cause are kept."""
        lang = self.lang
        self.form.relabel(lang)
        self.language.tooltips = [LANGUAGE_NAMES[code] for code in LANGUAGES]
        self.preset.description = _ui("preset", lang)
        current = self.preset.value
        self._quiet = True
        self.preset.options = [(_ui("none", lang), None)] + [
            (getattr(p, f"name_{lang}"), p.Index) for p in self.presets.itertuples()
        ]
        self.preset.value = current
        self._quiet = False
        self.reset_button.description = _ui("reset", lang)
        self.reset_button.tooltip = _ui("reset", lang)
        self.why_title.value = f"<b>{_ui('why', lang)}</b>"
        self.disclaimer.value = (
            f'<div class="bp-disclaimer" style="background:#fff4d6;padding:4px 8px">{_ui("disclaimer", lang)}</div>'
        )
        self._update()

    def _draw(self, name: str, out: w.Output, fig) -> None:
        """Keep the figure; redraw its Output only when it differs from the one shown."""
        self.last_figures[name] = fig
        drawn = fig.to_json()
        if self._drawn.get(name) != drawn:
            self._drawn[name] = drawn
            show_plotly_json(out, drawn)

    def _update(self, change=None, follow_top: bool = False) -> None:
        """Recompute; redraw the red flags and the ranking at once, the rest now or after a pause in the
        clicks (_rest_soon). 'Why' follows the top cause unless the student picked one; a new patient
        (preset, reset) follows the top cause again."""
        if self._quiet:
            return
        present, absent = self.findings_set()
        try:
            self.result = self.engine.differential(present, absent)
        except FindingError as error:  # cannot happen from the form, but never crash a widget
            self.message.value = _error(str(error))
            return
        lang = self.lang
        self.flags.value = render_flags(self.result, lang)  # red flags first, then the ranking: what a click is for
        self.ranking.value = render_ranking(self.result, lang)
        self.message.value = "" if self.result.message is None else html.escape(_ui("pretest", lang))
        if follow_top:
            self.picked = False
        self._rest_soon(later=change is not None)

    def _rest_soon(self, later: bool) -> None:
        """Redraw the other panels now, or (a click in a running kernel) REST_DELAY_S after the last of a
        run of clicks: the flags and the ranking answer every click at once, and the charts, the 'why'
        picker and 'ask next' follow when the student pauses instead of queueing in front of the next click."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        loop = None
        if later:
            with contextlib.suppress(RuntimeError):  # no running loop: pytest, a plain script
                loop = asyncio.get_running_loop()
        if loop is None:
            self._draw_rest()
        else:
            self._pending = loop.call_later(REST_DELAY_S, self._draw_rest)

    def _draw_rest(self) -> None:
        self._pending = None
        lang, ranked = self.lang, self.result.ranking  # every cause can be asked about, most likely first
        self.ask.value = render_ask_next(self.result, lang)
        keep = self.why_cause.value if self.picked and self.why_cause.value is not None else ranked.index[0]
        self._quiet = True
        self.why_cause.options = [(f"{r[f'name_{lang}']} ({percent(r.posterior)})", c) for c, r in ranked.iterrows()]
        self.why_cause.value = keep
        self._quiet = False
        self._draw("split", self.split_out, split_bar(self.result, lang))
        self._draw("prepost", self.prepost_out, pretest_posttest(self.result, lang))
        self._update_why()

    def _update_why(self, change=None) -> None:
        if self._quiet or self.why_cause.value is None:
            return
        cause = self.why_cause.value
        self.why.value = render_why(self.result, cause, self.references, self.lang)
        self._draw("ruler", self.ruler_out, evidence_ruler(self.result, cause, self.engine.findings, self.lang))

    def view(self) -> w.Widget:
        """Disclaimer and controls on top; the form left; the results right, red flags first and pinned."""
        header = w.HBox([self.language, self.preset, self.reset_button])
        left = w.VBox([self.form])
        left.add_class("bp-lab-form")
        right = w.VBox(
            [
                self.flags,
                self.message,
                self.ranking,
                self.split_out,
                self.ask,
                self.why_title,
                self.why_cause,
                self.why,
                self.ruler_out,
                self.prepost_out,
            ]
        )
        right.add_class("bp-lab-results")
        body = w.HBox([left, right])
        body.add_class("bp-lab-body")
        lab = w.VBox([self.disclaimer, header, body])
        lab.add_class("bp-lab")
        return lab
