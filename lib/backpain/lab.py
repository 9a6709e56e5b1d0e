"""The differential lab: a history-taking form of tri-state findings driving the engine and its charts.

A small controller: widgets hold the state, `_update` asks the engine and redraws, and the last
result, figures and HTML panels are kept on the object so pytest can drive it by setting values.
Red flags are rendered first, always; every panel says this is a teaching model.
"""

from __future__ import annotations

from functools import partial

import html

import ipywidgets as w
import pandas as pd

from .i18n import BASIS_LABELS, URGENCY_COLOURS, URGENCY_LABELS, lookup, pick
from .i18n import language as current_language
from .reasoning import FindingError
from .reasoning_charts import evidence_ruler, percent, pretest_posttest, ranking_bar, split_bar

STATES = [("—", "unknown"), ("✔", "present"), ("✘", "absent")]
GROUP_TITLES = {
    "location": ("Where is the pain?", "疼痛部位"), "character": ("What is it like?", "疼痛性质"),
    "onset": ("How did it start?", "起病方式"), "timing": ("When, and how long?", "时间特点"),
    "aggravating": ("What makes it worse?", "加重因素"), "relieving": ("What eases it?", "缓解因素"),
    "associated": ("Other symptoms", "伴随症状"), "history": ("History", "病史"), "exam": ("Examination", "体格检查"),
}
UI = {
    "disclaimer": ("⚠ Teaching model, not a clinical tool: it shows how evidence shifts a differential; it never diagnoses.",
                   "⚠ 教学模型，不是临床工具：演示证据如何改变鉴别诊断，不作任何诊断。"),
    "no_flags": ("No red flag is raised by the findings set so far. Keep asking about them.",
                 "目前设定的发现尚未触发任何危险信号，请继续询问。"),
    "flags": ("Red flags", "危险信号"), "because": ("because", "依据"),
    "cant_miss": ("Can't-miss causes the findings raised", "这些发现提高了以下不可漏诊病因的可能性"),
    "preset": ("Patient", "病例"), "none": ("— choose a preset patient —", "— 选择预设病例 —"),
    "reset": ("Reset", "重置"), "why": ("Why this cause?", "为什么考虑这个病因？"),
    "ask": ("Ask next", "下一步该问"), "for": ("For", "支持"), "against": ("Against", "反对"),
    "if_yes": ("if yes", "若有"), "if_no": ("if no", "若无"), "visceral": ("visceral", "内脏"),
    "no_links": ("None of the findings set so far bears on this cause.", "目前设定的发现与此病因无关。"),
    "source_says": ("the page says", "网页原文"),
    "factors": ("Contributing factors present (not diagnoses)", "存在的诱发因素（不是诊断）"),
    "present": ("present", "有"), "absent": ("absent", "无"),
    "frequency": ("in this cause {f:.0%}, in ordinary back pain {b:.0%}", "此病因中 {f:.0%}，普通腰背痛中 {b:.0%}"),
    "population": ("measured in", "研究人群"),
    "red_flag_question": ("red-flag question", "危险信号问题"),
}


_ui = partial(lookup, UI)


def _show(out: w.Output, fig) -> None:
    """Draw a figure into an Output widget (only inside a running kernel; tests read last_figures)."""
    from IPython import get_ipython

    if get_ipython() is not None:
        from IPython.display import display

        with out:
            out.clear_output(wait=True)
            display(fig)


def render_flags(diff, lang: str) -> str:
    """The red-flag panel: raised flags, most urgent first, then can't-miss causes the findings raised."""
    flags = diff.red_flags
    labels = diff.engine.findings[f"label_{lang}"]
    parts = [f'<div class="bp-flags"><b>{_ui("flags", lang)}</b>']
    if flags.empty:
        parts.append(f'<div class="bp-no-flag" style="color:#555">{_ui("no_flags", lang)}</div>')
    for flag in flags.itertuples():
        colour = URGENCY_COLOURS[flag.urgency]
        matched = ", ".join(html.escape(labels[f]) for f in flag.matched)
        parts.append(
            f'<div class="bp-flag" data-flag="{flag.flag_id}" data-urgency="{flag.urgency}" '
            f'style="border-left:6px solid {colour};background:{colour}14;padding:4px 8px;margin:4px 0">'
            f'<b style="color:{colour}">{lookup(URGENCY_LABELS, flag.urgency, lang)}</b> · '
            f'<b>{html.escape(getattr(flag, f"name_{lang}"))}</b>'
            f'<br>{html.escape(getattr(flag, f"explain_{lang}"))}'
            f'<br><small>{_ui("because", lang)}: {matched} · [{html.escape(flag.reference_id)}]</small></div>'
        )
    raised = diff.cant_miss[diff.cant_miss.change > 2].head(5)
    if len(raised):
        items = ", ".join(f"{html.escape(r[f'name_{lang}'])} ×{r.change:,.0f} ({percent(r.posterior)})" for _, r in raised.iterrows())
        parts.append(f'<div class="bp-cant-miss" style="margin-top:4px">⚠ {_ui("cant_miss", lang)}: {items}</div>')
    if len(diff.factors):
        items = ", ".join(html.escape(r[f"name_{lang}"]) for _, r in diff.factors.iterrows())
        parts.append(f'<div class="bp-factors" style="margin-top:4px">{_ui("factors", lang)}: {items}</div>')
    return "".join(parts) + "</div>"


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
            source = f'{_ui("source_says", lang)} ({html.escape(r.evidence)}): “{html.escape(r.quote)}”'
        elif isinstance(r.evidence, str) and r.evidence in cite.index:
            source = html.escape(cite[r.evidence][:110])
        else:
            source = ""
        if isinstance(r.population, str):
            source += f" <small>({_ui('population', lang)}: {html.escape(r.population)})</small>"
        basis = pick(BASIS_LABELS[r.basis], lang)
        frequency = _ui("frequency", lang).format(f=r.frequency, b=r.background)
        note = f"<br><small>{html.escape(r.note)}</small>" if isinstance(r.note, str) else ""
        rows.append(f"<tr><td style='white-space:nowrap'>{side}</td><td>{html.escape(labels[r.finding_id])} "
                    f"({_ui(r.state, lang)})</td><td>LR {r.lr:.2g} <i>({basis})</i><br><small>{frequency}</small></td>"
                    f"<td style='text-align:left'>{source}{note}</td></tr>")
    return f'<table class="bp-why">{"".join(rows)}</table>'


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
            colour = URGENCY_COLOURS[r.red_flag_urgency]
            why = (f'<b style="color:{colour}">{_ui("red_flag_question", lang)}: '
                   f'{lookup(URGENCY_LABELS, r.red_flag_urgency, lang)}</b>')
        else:
            why = (f'{_ui("visceral", lang)}: {_ui("if_yes", lang)} {r.visceral_if_yes:+.0%}, '
                   f'{_ui("if_no", lang)} {r.visceral_if_no:+.0%}')
        items.append(f'<li class="bp-ask" data-finding="{r.finding_id}" data-red-flag="{urgency}">'
                     f'{html.escape(f[f"question_{lang}"])} <small>({why})</small></li>')
    return f'<b>{_ui("ask", lang)}</b><ol>{"".join(items)}</ol>'


class DifferentialLab:
    """Tri-state findings in, ranked differential, split, red flags, why, pre→post and ask-next out."""

    def __init__(self, kb, lang: str | None = None):
        self.kb, self.engine = kb, kb.engine
        self.references = kb.references
        self.presets = kb.lab_presets.set_index("preset_id")
        self._quiet = False
        self.picked = False  # True once the student chooses a cause for "why"; a new patient clears it
        lang = lang or current_language()
        if lang not in ("en", "zh"):
            raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
        self.language = w.ToggleButtons(options=[("English", "en"), ("中文", "zh")], value=lang)
        self.preset = w.Dropdown(layout=w.Layout(width="34em"))
        self.reset_button = w.Button(icon="undo")
        self.controls: dict[str, w.ToggleButtons] = {}
        self.labels: dict[str, w.HTML] = {}
        rows_by_group: dict[str, list] = {}
        for f in self.engine.findings.itertuples():
            toggle = w.ToggleButtons(options=STATES, value="unknown", tooltips=["unknown", "present", "absent"],
                                     style={"button_width": "2.6em"})
            toggle.observe(self._update, names="value")
            label = w.HTML(layout=w.Layout(width="21em"))  # wraps long labels, unlike Label
            row = w.HBox([toggle, label])
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
        self.form.titles = tuple(pick(GROUP_TITLES[g], lang) for g in self.groups)
        self.preset.description = _ui("preset", lang)
        current = self.preset.value
        self._quiet = True
        self.preset.options = [(_ui("none", lang), None)] + [(getattr(p, f"name_{lang}"), p.Index) for p in self.presets.itertuples()]
        self.preset.value = current
        self._quiet = False
        self.reset_button.description = _ui("reset", lang)
        self.why_title.value = f"<b>{_ui('why', lang)}</b>"
        self.disclaimer.value = f'<div class="bp-disclaimer" style="background:#fff4d6;padding:4px 8px">{_ui("disclaimer", lang)}</div>'
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
        _show(self.ranking_out, self.last_figures["ranking"])
        _show(self.split_out, self.last_figures["split"])
        _show(self.prepost_out, self.last_figures["prepost"])
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
        _show(self.ruler_out, self.last_figures["ruler"])

    def view(self) -> w.Widget:
        header = w.HBox([self.language, self.preset, self.reset_button])
        left = w.VBox([self.form], layout=w.Layout(width="42%"))
        right = w.VBox([self.flags, self.message, self.split_out, self.ranking_out,
                        self.why_title, self.why_cause, self.why, self.ruler_out,
                        self.prepost_out, self.ask], layout=w.Layout(width="58%"))
        return w.VBox([self.disclaimer, header, w.HBox([left, right])])
