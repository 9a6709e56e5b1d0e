"""The lab's history-taking form as one browser widget: every finding's — ✔ ✘ control, grouped, with a summary.

Hundreds of ipywidgets (one toggle, label and box per finding) took seconds to create in a kernel and
in a browser; this form is a single anywidget model whose state is plain data: the findings and groups
with their labels in the current language, the phrases it shows, and the answers
{finding_id: "present" | "absent"} (unknown = absent from the dict). Python sets the state and observes
`answers`; the browser draws it (static/finding_form.js builds the DOM with textContent only, so data
text is never markup) and writes `answers` back when a student clicks.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

from ..i18n import lookup
from ..vocab import ANSWER, FINDING_GROUP
from .strings import LAB

STATIC = Path(__file__).parent / "static"
SYMBOLS = {"unknown": "—", "present": "✔", "absent": "✘"}  # one per ANSWER value


class FindingForm(anywidget.AnyWidget):
    """Tri-state findings by group, with a running summary of the answers (chips that clear on click)."""

    _esm = STATIC / "finding_form.js"
    _css = STATIC / "finding_form.css"

    findings = traitlets.List(help="[{id, group, label}] in form order").tag(sync=True)
    groups = traitlets.List(help="[{id, label}] in form order").tag(sync=True)
    answers = traitlets.Dict(help="{finding_id: 'present' | 'absent'}; unknown findings are left out").tag(sync=True)
    lang = traitlets.Unicode("en").tag(sync=True)
    phrases = traitlets.Dict(help="the form's own words in `lang`").tag(sync=True)

    def __init__(self, findings, lang: str, **kwargs):
        """`findings`: the engine's findings table (index finding_id; group, label_en, label_zh)."""
        self._table = findings
        super().__init__(**kwargs)
        self.relabel(lang)

    def relabel(self, lang: str) -> None:
        """Every label in `lang`, sent to the browser as one message; the answers are kept."""
        table = self._table
        labels = table[f"label_{lang}"]
        with self.hold_sync():
            self.lang = lang
            self.findings = [{"id": f, "group": g, "label": labels[f]} for f, g in zip(table.index, table.group)]
            self.groups = [{"id": g, "label": FINDING_GROUP.label(g, lang)} for g in dict.fromkeys(table.group)]
            self.phrases = {
                "answers": ANSWER.labels(lang),
                "symbols": SYMBOLS,
                "summary": lookup(LAB, "summary", lang),
                "none_set": lookup(LAB, "none_set", lang),
                "n_set": lookup(LAB, "n_set", lang),
                "clear": lookup(LAB, "clear", lang),
                "form": lookup(LAB, "form", lang),
            }

    def label(self, finding_id: str) -> str:
        """A finding's label as the form shows it now."""
        return next(f["label"] for f in self.findings if f["id"] == finding_id)

    def interface_labels(self) -> list[str]:
        """The form's own words as the browser shows them: group titles, each button's tooltip (one per
        state per finding), the summary's phrases. For the check that 中文 mode shows no English."""
        names = self.phrases["answers"]
        tooltips = [names[state] for _ in self.findings for state in SYMBOLS]
        phrases = [self.phrases[k] for k in ("form", "summary", "none_set", "n_set", "clear")]
        return [g["label"] for g in self.groups] + tooltips + phrases

    def data_labels(self) -> list[str]:
        """The findings' labels (data text in the current language)."""
        return [f["label"] for f in self.findings]
