"""The case quiz: read a vignette, choose where the pain comes from (Deyo & Weinstein's groups), the
most likely cause and the urgency, and get immediate feedback built from the reasoning engine (the red
flags first, its ranking, the findings that discriminate) and the case's cited teaching points.

The key is the case's cause and the answers an examiner accepts as equivalent; the urgency is the one
the red flags give, the same rule the lab shows. The score counts first attempts in this sitting.
"""

from __future__ import annotations

import html
from functools import partial

import ipywidgets as w
import numpy as np
import pandas as pd

from ..i18n import LANGUAGE_NAMES, LANGUAGES, lookup
from ..i18n import language as current_language
from ..knowledge.cases import Case, load_cases
from ..vocab import SPLIT_GROUP, URGENCY
from .strings import QUIZ

_t = partial(lookup, QUIZ)


def grade(case: Case, group: str | None, cause_id: str | None, urgency: str | None) -> dict[str, bool]:
    """Right or wrong for each part; any clinically equivalent cause counts as the cause."""
    return {"origin": group == case.group, "cause": cause_id in case.accept, "urgency": urgency == case.urgency}


def discriminators(engine, case: Case, other: str, n: int = 3) -> list[tuple[str, str, float]]:
    """(finding, '✔' present / '✘' absent, LR ratio): the case's findings that most favour the expected
    cause over another one."""
    i, j = engine.causes.index.get_loc(case.cause_id), engine.causes.index.get_loc(other)
    rows = []
    for mark, ids, table in (("✔", case.present, engine.log_lr_pos), ("✘", case.absent, engine.log_lr_neg)):
        for f in ids:
            k = engine.findings.index.get_loc(f)
            rows.append((f, mark, float(np.exp(table[i, k] - table[j, k]))))
    return sorted((r for r in rows if r[2] > 1), key=lambda r: -r[2])[:n]


def _label(text: str) -> str:
    """A label before its value: 'Urgency:' but 'Where does the pain come from?' (no colon after a question)."""
    return text if text.endswith(("?", "？", ":", "：")) else f"{text}:"


def feedback_html(kb, case: Case, marks: dict[str, bool], chosen_cause: str | None, lang: str) -> str:
    """Right / wrong for each part, then the engine's reading of the case and the cited teaching points."""
    engine = kb.engine
    names = engine.causes[f"name_{lang}"]
    findings = engine.findings[f"label_{lang}"]
    answer = {
        "origin": SPLIT_GROUP.label(case.group, lang),
        "cause": " / ".join(names[c] for c in case.accept),
        "urgency": URGENCY.label(case.urgency, lang),
    }
    d = kb.differential(case.present, case.absent)
    colour = URGENCY.colour(case.urgency)
    banner = (
        f'<div class="bp-feedback-urgency" data-urgency="{case.urgency}" style="background:{colour};color:white;'
        f'padding:4px 10px;font-weight:bold">{_t("urgency", lang)}: {html.escape(URGENCY.label(case.urgency, lang))}</div>'
    )
    flags = [
        f'<div class="bp-flag" data-flag="{f.flag_id}" data-urgency="{f.urgency}" style="border-left:6px solid '
        f'{URGENCY.colour(f.urgency)};padding:2px 8px;margin:2px 0"><b style="color:{URGENCY.colour(f.urgency)}">'
        f"{URGENCY.label(f.urgency, lang)}</b> · {html.escape(getattr(f, f'name_{lang}'))}</div>"
        for f in d.red_flags.itertuples()
    ]
    parts = [
        banner,
        f'<p style="margin:4px 0"><b>{_t("flags", lang)}</b>: {"" if flags else _t("no_flags", lang)}</p>',
        *flags,
    ]
    parts += [
        f'<div class="bp-feedback-part" data-part="{k}" data-correct="{str(ok).lower()}" '
        f'style="color:{"#1a7f37" if ok else "#b30000"}"><b>{_label(_t(k, lang))}</b> '
        f"{_t('right', lang) if ok else _t('wrong', lang)} <b>{html.escape(answer[k])}</b></div>"
        for k, ok in marks.items()
    ]
    top = ", ".join(f"{html.escape(names[c])} {p:.0%}" for c, p in d.top(5).posterior.items())
    contrib = d.contributions(case.cause_id)
    key = ", ".join(
        f"{html.escape(findings[r.finding_id])} ({'✔' if r.state == 'present' else '✘'}, LR {r.lr:.2g})"
        for r in contrib[contrib.lr > 1].head(4).itertuples()
    )
    body = [
        f"<p><b>{_t('engine', lang)}</b>: {top}</p>",
        f"<p><b>{_t('key', lang)} {html.escape(names[case.cause_id])}</b>: {key or '—'}</p>",
    ]
    if chosen_cause and chosen_cause not in case.accept and chosen_cause in engine.causes.index:
        sep = ", ".join(
            f"{html.escape(findings[f])} ({mark}, ×{ratio:.2g})"
            for f, mark, ratio in discriminators(engine, case, chosen_cause)
        )
        body.append(f"<p><b>{_t('versus', lang)} ({html.escape(names[chosen_cause])})</b>: {sep or '—'}</p>")
    cite = kb.references.set_index("reference_id").citation
    points = []
    for tp in case.teaching_points:
        source = (
            f"{html.escape(tp.source)}:{tp.start}-{tp.end} “{html.escape(tp.quote)}”"
            if tp.source
            else html.escape(cite[tp.reference])
        )
        points.append(f"<li>{html.escape(getattr(tp, lang))}<br><small>{source}</small></li>")
    inner = "".join(parts) + "".join(body) + f"<p><b>{_t('points', lang)}</b></p><ul>{''.join(points)}</ul>"
    return (
        f'<div class="bp-feedback-box" lang="{lang}" style="box-sizing:border-box;border:2px solid {colour};'
        f"border-left:10px solid {colour};"
        f'padding:0 10px 6px 0;margin-top:6px">{inner}</div>'
    )


def overview(cases: list[Case], lang: str | None = None) -> pd.DataFrame:
    """How many cases fall in each group (rows) at each urgency (columns), labelled, for instructors."""
    lang = lang or current_language()
    table = pd.crosstab(
        pd.Categorical([c.group for c in cases], categories=list(SPLIT_GROUP)),
        pd.Categorical([c.urgency for c in cases], categories=list(URGENCY)),
        dropna=False,
    )
    table.index = [SPLIT_GROUP.label(g, lang) for g in table.index]
    table.columns = [URGENCY.label(u, lang) for u in table.columns]
    return table


class CaseQuiz:
    """One case at a time; drive it from Python with answer(...) and next_case(), or click it."""

    def __init__(self, kb, cases: list[Case] | None = None, lang: str | None = None):
        self.kb = kb
        self.cases = cases if cases is not None else load_cases(kb)
        self.index = 0
        self.results: dict[str, dict[str, bool]] = {}  # first attempt per case: the score
        self.last_marks: tuple[str, dict[str, bool] | None] | None = None  # (case_id, marks) of the latest check
        lang = lang or current_language()
        self.language = w.ToggleButtons(options=[(LANGUAGE_NAMES[code], code) for code in LANGUAGES], value=lang)
        self.stem = w.HTML()
        self.stem.add_class("bp-case")
        self.origin = w.ToggleButtons(options=[], style={"button_width": "auto"})
        self.cause = w.Dropdown(layout=w.Layout(width="36em"), style={"description_width": "initial"})
        self.urgency = w.ToggleButtons(options=[], style={"button_width": "auto"})
        self.submit = w.Button(button_style="primary")
        self.next_button, self.previous_button = w.Button(), w.Button()
        self.feedback = w.HTML()
        self.feedback.add_class("bp-feedback")
        self.score = w.HTML()
        self.score.add_class("bp-score")
        self.submit.on_click(lambda _: self.check())
        self.next_button.on_click(lambda _: self.go(+1))
        self.previous_button.on_click(lambda _: self.go(-1))
        self.language.observe(lambda _: self._show(keep=True), names="value")
        self._show()

    @property
    def lang(self) -> str:
        return self.language.value

    @property
    def case(self) -> Case:
        return self.cases[self.index]

    def _show(self, keep: bool = False) -> None:
        """Draw the current case; on a language switch (keep=True) the student's choices and feedback stay."""
        lang, case = self.lang, self.case
        chosen = (self.origin.value, self.cause.value, self.urgency.value) if keep else (None, None, None)
        self.stem.value = (
            f"<p><small>{_t('disclaimer', lang)}</small></p>"
            f"<h3>{_t('case', lang)} {self.index + 1}/{len(self.cases)}: {html.escape(case.text('title', lang))}</h3>"
            f"<p>{html.escape(case.text('stem', lang))}</p>"
        )
        self.origin.options = [(label, g) for g, label in SPLIT_GROUP.labels(lang).items()]
        names = self.kb.engine.causes[f"name_{lang}"].sort_values()
        self.cause.options = [(_t("choose", lang), None)] + [(n, c) for c, n in names.items()]
        self.urgency.options = [(label, u) for u, label in URGENCY.labels(lang).items()]
        self.origin.value, self.cause.value, self.urgency.value = chosen
        self.origin.description, self.cause.description, self.urgency.description = (
            _t("origin", lang),
            _t("cause", lang),
            _t("urgency", lang),
        )
        self.submit.description = _t("submit", lang)
        self.next_button.description, self.previous_button.description = _t("next", lang), _t("previous", lang)
        last = self.last_marks if keep and self.last_marks and self.last_marks[0] == case.case_id else None
        if last is None:
            self.last_marks = None
            self.feedback.value = ""
        elif last[1] is None:  # the latest check was incomplete: say so again, in the new language
            self.feedback.value = f'<p class="bp-incomplete">{_t("incomplete", lang)}</p>'
        else:
            self.feedback.value = feedback_html(self.kb, case, last[1], self.cause.value, lang)
        self._update_score()

    def _update_score(self) -> None:
        parts = [ok for marks in self.results.values() for ok in marks.values()]
        causes = sum(m["cause"] for m in self.results.values())
        lang = self.lang
        self.score.value = (
            f"<b>{_t('score', lang)}</b>: {causes}/{len(self.results)} {_t('causes', lang)} · "
            f"{sum(parts)}/{len(parts)} {_t('answers', lang)}"
        )

    def answer(self, group: str, cause_id: str, urgency: str) -> dict[str, bool]:
        """Set the three choices and check them, as a student would."""
        self.origin.value, self.cause.value, self.urgency.value = group, cause_id, urgency
        return self.check()

    def check(self) -> dict[str, bool] | None:
        if None in (self.origin.value, self.cause.value, self.urgency.value):
            self.feedback.value = f'<p class="bp-incomplete">{_t("incomplete", self.lang)}</p>'
            self.last_marks = (self.case.case_id, None)
            return None
        marks = grade(self.case, self.origin.value, self.cause.value, self.urgency.value)
        self.results.setdefault(self.case.case_id, marks)  # the first attempt counts
        self.last_marks = (self.case.case_id, marks)  # the latest attempt is the one shown
        self.feedback.value = feedback_html(self.kb, self.case, marks, self.cause.value, self.lang)
        self._update_score()
        return marks

    def go(self, step: int) -> None:
        self.index = (self.index + step) % len(self.cases)
        self._show()

    def next_case(self) -> None:
        self.go(+1)

    def view(self) -> w.Widget:
        return w.VBox(
            [
                self.language,
                self.stem,
                self.origin,
                self.cause,
                self.urgency,
                w.HBox([self.previous_button, self.submit, self.next_button]),
                self.score,
                self.feedback,
            ]
        )
