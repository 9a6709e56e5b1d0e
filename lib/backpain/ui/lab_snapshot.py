"""The differential lab on a preset patient as static HTML and charts, for the hand-out.

The exported hand-out has no kernel, so the live lab cannot run there; this draws what the lab shows
for one named preset patient (the findings set, red flags first, the ranking, what to ask next, the split
chart, the why panel for the top cause and its evidence ruler) from the same engine and renderers, so a reader sees
what the app does. Displayed in a notebook it is a few HTML blocks and plotly figures, which the export
keeps with plotly.js inline.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from functools import partial

from ..i18n import language as current_language
from ..i18n import lookup
from ..vocab import ANSWER
from .differential_html import render_ask_next, render_flags, render_ranking, render_why
from .finding_form import SYMBOLS
from .reasoning_charts import evidence_ruler, percent, split_bar
from .strings import LAB

_ui = partial(lookup, LAB)
_CHIP = {"present": "#0b6e3a", "absent": "#a3001b"}


@dataclass
class LabSnapshot:
    """What the lab shows for one patient: `header` and `why` are HTML, `figures` plotly figures."""

    preset_id: str
    lang: str
    result: object
    header: str
    why: str
    figures: dict = field(default_factory=dict)

    def _ipython_display_(self):
        from IPython.display import HTML, display

        display(HTML(self.header))
        display(self.figures["split"])
        display(HTML(self.why))
        display(self.figures["ruler"])

    def html(self) -> str:
        """The HTML parts alone (the charts are figures)."""
        return self.header + self.why


def _findings_html(engine, present, absent, lang: str) -> str:
    labels = engine.findings[f"label_{lang}"]
    chips = []
    for state, ids in (("present", present), ("absent", absent)):
        for f in ids:
            colour = _CHIP[state]
            chips.append(
                f'<span class="bp-snapshot-finding" data-finding="{html.escape(f)}" data-state="{state}" '
                f'title="{ANSWER.label(state, lang)}" style="display:inline-block;border:1px solid {colour};'
                f'color:{colour};border-radius:12px;padding:1px 8px;margin:2px">'
                f"<b>{SYMBOLS[state]}</b> {html.escape(labels[f])}</span>"
            )
    return f'<div class="bp-snapshot-findings"><b>{_ui("snapshot_findings", lang)}</b><br>{"".join(chips)}</div>'


def lab_snapshot(kb, preset_id: str, lang: str | None = None) -> LabSnapshot:
    """The lab's panels for preset patient `preset_id` (see lab_presets.csv), in `lang`."""
    lang = lang or current_language()
    presets = kb.lab_presets.set_index("preset_id")
    if preset_id not in presets.index:
        raise KeyError(f"no preset patient {preset_id!r}; choose one of {', '.join(presets.index)}")
    preset = presets.loc[preset_id]
    present = preset.present.split(";")
    absent = preset.absent.split(";") if isinstance(preset.absent, str) else []
    result = kb.engine.differential(present, absent)
    top = result.ranking.index[0]
    name = preset[f"name_{lang}"]
    header = (
        f'<div class="bp-snapshot" style="font-size:14px">'
        f"<h4>{html.escape(_ui('snapshot', lang).format(name=name))}</h4>"
        f'<div class="bp-disclaimer" style="background:#fff4d6;padding:4px 8px">{_ui("disclaimer", lang)}</div>'
        f"{_findings_html(kb.engine, result.present, result.absent, lang)}"
        f'<div class="bp-flag-panel" style="margin-top:8px">{render_flags(result, lang)}</div>'
        f'<div class="bp-ranking" style="margin-top:8px">{render_ranking(result, lang)}</div>'
        f"{render_ask_next(result, lang)}</div>"
    )
    cause = result.ranking.loc[top]
    why = (
        f'<div class="bp-snapshot-why"><b>{_ui("why", lang)}</b> '
        f"{html.escape(cause[f'name_{lang}'])} ({percent(cause.posterior)})"
        f"{render_why(result, top, kb.references, lang)}</div>"
    )
    figures = {
        "split": split_bar(result, lang),
        "ruler": evidence_ruler(result, top, kb.engine.findings, lang),
    }
    return LabSnapshot(preset_id, lang, result, header, why, figures)
