"""The differential lab: a history-taking form of tri-state findings driving the engine and its charts.

A small controller: widgets hold the state, `_update` asks the engine and redraws, and the last
result, figures and HTML panels are kept on the object so pytest can drive it by setting values.
Red flags are rendered first, always; every panel says this is a teaching model.
"""

from __future__ import annotations

import html
from functools import partial

import ipywidgets as w
from ipywidgets.widgets.widget_string import HTMLStyle

from ..i18n import LANGUAGE_NAMES, LANGUAGES, lookup
from ..i18n import language as current_language
from ..reasoning.engine import FindingError
from ..vocab import ANSWER, FINDING_GROUP
from .differential_html import render_ask_next, render_flags, render_why
from .reasoning_charts import evidence_ruler, percent, pretest_posttest, ranking_bar, split_bar
from .strings import LAB
from .theme import show

ANSWER_SYMBOLS = ("—", "✔", "✘")  # one per ANSWER value, in its order
_ui = partial(lookup, LAB)


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
        self.controls: dict[str, w.ToggleButtons] = {}
        self.labels: dict[str, w.HTML] = {}
        rows_by_group: dict[str, list] = {}
        # One layout and one style model shared by every row: a browser draws a few hundred widget models
        # fewer (each finding would otherwise bring five of its own).
        toggle_style, toggle_layout = w.ToggleButtonsStyle(button_width="2.6em"), w.Layout()
        label_style, label_layout = HTMLStyle(), w.Layout(width="21em")  # HTML wraps long labels
        row_layout = w.Layout()
        for f in self.engine.findings.itertuples():
            toggle = w.ToggleButtons(
                options=list(zip(ANSWER_SYMBOLS, ANSWER)), value="unknown", style=toggle_style, layout=toggle_layout
            )
            toggle.observe(self._update, names="value")
            label = w.HTML(layout=label_layout, style=label_style)
            row = w.HBox([toggle, label], layout=row_layout)
            row.add_class(f"bp-finding-{f.Index}")
            self.controls[f.Index], self.labels[f.Index] = toggle, label
            rows_by_group.setdefault(f.group, []).append(row)
        self.groups = list(rows_by_group)
        self.form = w.Accordion(children=[w.VBox(rows_by_group[g]) for g in self.groups])
        self.form.selected_index = 0
        self.disclaimer = w.HTML()
        self.flags = w.HTML()
        self.flags.add_class("bp-flag-panel")
        self.message = w.HTML()
        self.ranking_out, self.split_out, self.ruler_out, self.prepost_out = (w.Output() for _ in range(4))
        self.ranking_out.add_class("bp-ranking")
        self.why_cause = w.Dropdown(layout=w.Layout(width="30em"))
        self.why_title = w.HTML()
        self.why = w.HTML()
        self.ask = w.HTML()
        self.language.observe(self._relabel, names="value")
        self.preset.observe(self._apply_preset, names="value")
        self.reset_button.on_click(lambda _: self.reset())
        self.why_cause.observe(self._pick_why, names="value")
        self.last_figures: dict = {}
        self._relabel()

    # --- state -------------------------------------------------------------------------------------
    @property
    def lang(self) -> str:
        return self.language.value

    def findings_set(self) -> tuple[list[str], list[str]]:
        present = [f for f, c in self.controls.items() if c.value == "present"]
        absent = [f for f, c in self.controls.items() if c.value == "absent"]
        return present, absent

    def set_findings(self, present=(), absent=()) -> None:
        """Set many findings at once and redraw once (presets, tests). Ids the engine would refuse are
        refused here too, with its message, and nothing changes."""
        try:
            present, absent = self.engine.check_ids(present, absent)
        except FindingError as error:
            self.message.value = f'<span style="color:#b30000">{html.escape(str(error))}</span>'
            return
        self._quiet = True
        try:
            for f, control in self.controls.items():
                control.value = "present" if f in present else "absent" if f in absent else "unknown"
        finally:
            self._quiet = False
        self._update(follow_top=True)

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
        lang = self.lang
        for f, label in self.labels.items():
            label.value = html.escape(self.engine.findings.loc[f, f"label_{lang}"])
        self.form.titles = tuple(FINDING_GROUP.label(g, lang) for g in self.groups)
        for control in self.controls.values():
            control.tooltips = list(ANSWER.labels(lang).values())
        self.preset.description = _ui("preset", lang)
        current = self.preset.value
        self._quiet = True
        self.preset.options = [(_ui("none", lang), None)] + [
            (getattr(p, f"name_{lang}"), p.Index) for p in self.presets.itertuples()
        ]
        self.preset.value = current
        self._quiet = False
        self.reset_button.description = _ui("reset", lang)
        self.why_title.value = f"<b>{_ui('why', lang)}</b>"
        self.disclaimer.value = (
            f'<div class="bp-disclaimer" style="background:#fff4d6;padding:4px 8px">{_ui("disclaimer", lang)}</div>'
        )
        self._update()

    def _update(self, change=None, follow_top: bool = False) -> None:
        """Recompute and redraw. 'Why' follows the top cause unless the student picked one; a new patient
        (preset, reset) follows the top cause again."""
        if self._quiet:
            return
        present, absent = self.findings_set()
        try:
            self.result = self.engine.differential(present, absent)
        except FindingError as error:  # cannot happen from the form, but never crash a widget
            self.message.value = f'<span style="color:#b30000">{html.escape(str(error))}</span>'
            return
        lang = self.lang
        self.message.value = html.escape(self.result.message or "")
        self.flags.value = render_flags(self.result, lang)
        self.last_figures["ranking"] = ranking_bar(self.result, lang)
        self.last_figures["split"] = split_bar(self.result, lang)
        self.last_figures["prepost"] = pretest_posttest(self.result, lang)
        show(self.ranking_out, self.last_figures["ranking"])
        show(self.split_out, self.last_figures["split"])
        show(self.prepost_out, self.last_figures["prepost"])
        self.ask.value = render_ask_next(self.result, lang)
        ranked = self.result.ranking  # every cause can be asked about, most likely first
        if follow_top:
            self.picked = False
        keep = self.why_cause.value if self.picked and self.why_cause.value is not None else ranked.index[0]
        self._quiet = True
        self.why_cause.options = [(f"{r[f'name_{lang}']} ({percent(r.posterior)})", c) for c, r in ranked.iterrows()]
        self.why_cause.value = keep
        self._quiet = False
        self._update_why()

    def _update_why(self, change=None) -> None:
        if self._quiet or self.why_cause.value is None:
            return
        cause = self.why_cause.value
        self.why.value = render_why(self.result, cause, self.references, self.lang)
        self.last_figures["ruler"] = evidence_ruler(self.result, cause, self.engine.findings, self.lang)
        show(self.ruler_out, self.last_figures["ruler"])

    def view(self) -> w.Widget:
        header = w.HBox([self.language, self.preset, self.reset_button])
        left = w.VBox([self.form], layout=w.Layout(width="42%"))
        right = w.VBox(
            [
                self.flags,
                self.message,
                self.split_out,
                self.ranking_out,
                self.why_title,
                self.why_cause,
                self.why,
                self.ruler_out,
                self.prepost_out,
                self.ask,
            ],
            layout=w.Layout(width="58%"),
        )
        return w.VBox([self.disclaimer, header, w.HBox([left, right])])
