"""The rubric exercise: a student rates a page with a reliability instrument, then sees how their
ratings compare with the workbook's, item by item, with the workbook's one-line justification."""

from __future__ import annotations

import html
from functools import partial

import ipywidgets as w

from ..i18n import language, lookup
from ..sources.quality import agreement, agreement_summary
from ..vocab import INSTRUMENT
from .strings import COMMON, RUBRIC

_t = partial(lookup, RUBRIC)

STYLE = (  # columns apart, headings over their columns (Jupyter right-aligns th)
    "<style>.bp-rubric-table th, .bp-rubric-table td {padding: 2px 12px} .bp-rubric-table th {text-align:left !important}"
    "</style>"
)


class RubricExercise:
    def __init__(self, kb, source_id: str = "en_spasms", instrument: str = "jama", lang: str | None = None):
        self.kb, self.lang = kb, lang or language()
        self.not_applicable = _t("not_applicable", self.lang)  # 'n/a' / '不适用': the choice and its value
        self.items = kb.rubric_items
        self.source = w.Dropdown(options=kb.source_ids, value=source_id, description=lookup(COMMON, "page", self.lang))
        self.instrument = w.Dropdown(
            options=[(label, i) for i, label in INSTRUMENT.labels(self.lang).items()],
            value=instrument,
            description=_t("rubric", self.lang),
        )
        self.form = w.VBox()
        self.compare_button = w.Button(
            description=_t("compare", self.lang), button_style="info", layout=w.Layout(width="max-content")
        )
        self.result = w.HTML()
        self.result.add_class("bp-rubric-result")
        self.instrument.observe(self._build_form, names="value")
        self.source.observe(lambda _: setattr(self.result, "value", ""), names="value")
        self.compare_button.on_click(lambda _: self.compare())
        self._build_form()

    def _build_form(self, change=None) -> None:
        items = self.items[self.items.instrument == self.instrument.value]
        self.controls = {}
        self.numbers, self.texts = {}, {}  # item id → its number and its words, shown instead of the id
        rows = []
        for number, it in enumerate(items.itertuples(), start=1):
            options = [str(v) for v in range(it.scale_min, it.scale_max + 1)]
            if it.instrument == "discern" and str(it.section) == "2":
                options.append(self.not_applicable)  # DISCERN section 2 may not apply to a page
            control = w.ToggleButtons(options=options, value=None, style={"button_width": "auto"})
            self.controls[it.item_id] = control
            text = getattr(it, f"text_{self.lang}")
            self.numbers[it.item_id], self.texts[it.item_id] = number, text
            rows.append(
                w.HBox(
                    [
                        w.HTML(f"<b>{number}.</b> {html.escape(text)}", layout=w.Layout(width="55%")),
                        control,
                    ]
                )
            )
        self.form.children = rows
        self.result.value = ""

    def student_scores(self) -> dict:
        """The scores set so far; unanswered items are left out, 'n/a' becomes None."""
        return {
            item: (None if c.value == self.not_applicable else int(c.value))
            for item, c in self.controls.items()
            if c.value is not None
        }

    def compare(self):
        table = agreement(self.student_scores(), self.kb.ratings, self.source.value, self.instrument.value)
        summary = agreement_summary(table)
        if self.lang == "zh":  # the workbook's reason in Chinese, from the ratings' own zh column
            ratings = self.kb.ratings
            mine = ratings[(ratings.source_id == self.source.value) & (ratings.instrument == self.instrument.value)]
            table = table.assign(justification=table.index.map(dict(zip(mine.item_id, mine.justification_zh))))
        self.last_table, self.last_summary = table, summary
        rows = "".join(
            f'<tr><td title="{html.escape(self.texts.get(item, ""))}">{self.numbers.get(item, "")}</td>'
            f"<td>{'' if r.student is None or str(r.student) == '<NA>' else r.student}</td>"
            f"<td>{_t('not_applicable', self.lang) if str(r.workbook) == '<NA>' else r.workbook}</td><td style='text-align:left'>{html.escape(r.justification)}</td></tr>"
            for item, r in table.iterrows()
        )
        head = _t("agreement", self.lang).format(**summary) if summary["items"] else _t("rate_first", self.lang)
        columns = "".join(f"<th>{_t(c, self.lang)}</th>" for c in ("item", "you", "workbook", "why"))
        self.result.value = f'{STYLE}<p>{head}</p><table class="bp-rubric-table"><tr>{columns}</tr>{rows}</table>'
        return table

    def view(self) -> w.Widget:
        return w.VBox([w.HBox([self.source, self.instrument]), self.form, self.compare_button, self.result])
