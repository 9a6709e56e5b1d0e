"""Tables a student reads, all through one entry point: `student_table`.

Why: pandas' own display cuts a long table (10 of 94 rows), shows NaN, raw ids and six decimals,
and its headers are the code's column names. A `StudentTable` is labelled in the current language
(column headers from ui/strings.py, vocabulary values as vocab.py labels, causes, findings, red flags,
treatments and references by name instead of id), numbers are rounded, a missing value is a blank and
no text is cut. A table longer than a screen becomes a searchable, sortable DataTable (itables,
offline: the DataTables bundle goes into the page with the first such table of a kernel, nothing is
fetched from a CDN), with DataTables' own words (Search, Showing 1 to 10 of 94, Previous / Next) in
the current language; a short table is plain HTML.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..i18n import language, pick
from ..vocab import (
    BASIS,
    EVAL_SPLIT,
    EXTRACTION_ERROR,
    EXTRACTION_OUTCOME,
    FINDING_GROUP,
    GUIDELINE,
    GUIDELINE_STANCE,
    INSTRUMENT,
    MENTION_STANCE,
    ORIGIN,
    PAGE_LANGUAGE,
    REFERENCE_STATUS,
    ROLE,
    SCRIPT,
    SEGMENT_KIND,
    TAXONOMY_LEVEL,
    TREATMENT_CATEGORY,
    URGENCY,
    WEIGHT_BASIS,
    Vocabulary,
)
from .strings import DATATABLES, TABLE_COLUMNS, TABLE_VALUES

SCREEN_ROWS = 15  # longer than this, a table becomes a searchable, sortable DataTable
MISSING = ""  # what a student sees for a missing value
SHORT_LABEL = 24  # a column whose every value is this short is kept on one line (no "反" / "对" stacked)

# Columns whose values are vocabulary ids, by column name (a caller may pass others in `vocab=`).
VOCAB_COLUMNS: dict[str, Vocabulary] = {
    "origin": ORIGIN,
    "kind": SEGMENT_KIND,
    "mention_stance": MENTION_STANCE,
    "stance": GUIDELINE_STANCE,
    "language": PAGE_LANGUAGE,
    "level": TAXONOMY_LEVEL,
    "role": ROLE,
    "basis": WEIGHT_BASIS,
    "background_basis": BASIS,
    "urgency": URGENCY,
    "group": FINDING_GROUP,
    "guideline": GUIDELINE,
    "category": TREATMENT_CATEGORY,
    "instrument": INSTRUMENT,
    "outcome": EXTRACTION_OUTCOME,
    "reason": EXTRACTION_ERROR,
    "split": EVAL_SPLIT,
    "script": SCRIPT,
    "status": REFERENCE_STATUS,
}
# Columns whose values are phrases of the code (ui/strings.TABLE_VALUES), not data.
PHRASE_COLUMNS = ("band", "method", "extractor")
# Columns whose values are ids of a table's rows (one id, or several joined by ';' '|' or ',').
ID_COLUMNS = {
    "cause_id": "cause",
    "cause_ids": "cause",
    "parent_id": "cause",
    "finding_id": "finding",
    "trigger_findings": "finding",
    "flag_id": "flag",
    "treatment_id": "treatment",
    "reference_id": "reference",
    "evidence": "reference",
}
_SEPARATORS = re.compile(r"\s*[;|]\s*")


def _interface_words(lang: str) -> dict:
    """DataTables' own words (search box, 'Showing x to y of z', paging) in `lang`."""
    words = {key: pick(pair, lang) for key, pair in DATATABLES.items()}
    paginate = {k: words.pop(k) for k in ("first", "last", "next", "previous")}
    sort = {"sortAscending": words.pop("sort_ascending"), "sortDescending": words.pop("sort_descending")}
    words.pop("all")  # a choice of the length menu, not a DataTables language key
    return {**words, "paginate": paginate, "aria": {"paginate": paginate, **sort}}


def id_names(kb, lang: str) -> dict[str, dict[str, str]]:
    """For each kind of id, {id: what a student reads instead}."""
    refs = kb.references  # the whole citation, never cut (a table gives a prose column room)
    full = {r.reference_id: str(r.citation) for r in refs.itertuples()}
    return {
        "cause": dict(zip(kb.taxonomy.cause_id, kb.taxonomy[f"name_{lang}"])),
        "finding": dict(zip(kb.findings.finding_id, kb.findings[f"label_{lang}"])),
        "flag": dict(zip(kb.red_flags.flag_id, kb.red_flags[f"name_{lang}"])),
        "treatment": dict(zip(kb.treatments.treatment_id, kb.treatments[f"name_{lang}"])),
        "reference": full,
    }


def _number(value, digits: int) -> str:
    if isinstance(value, bool):
        return "✔" if value else ""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:,.0f}"


def cell_text(
    value,
    digits: int = 2,
    names: Mapping[str, str] | None = None,
    vocab: Vocabulary | Mapping | None = None,
    lang: str | None = None,
) -> str:
    """What a student reads in one cell: a label, a rounded number, a blank for a missing value."""
    if value is None or value is pd.NA or value is pd.NaT:
        return MISSING
    if isinstance(value, float) and math.isnan(value):
        return MISSING
    if isinstance(value, (set, frozenset, list, tuple)):
        return ", ".join(cell_text(v, digits, names, vocab, lang) for v in sorted(value, key=str))
    if isinstance(value, Mapping):  # a Counter or a dict: "key: count" pairs, the largest first
        items = sorted(value.items(), key=lambda kv: (-kv[1], str(kv[0]))) if value else []
        return ", ".join(f"{cell_text(k, digits, names, vocab, lang)}: {cell_text(v, digits)}" for k, v in items)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and names is None and vocab is None:
        return _number(value, digits)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return cell_text(value.item(), digits, names, vocab, lang)
    if isinstance(value, bool):
        return "✔" if value else ""
    text = str(value)
    if isinstance(vocab, Mapping) and text in vocab:  # a column's phrases (ui/strings.TABLE_VALUES)
        return pick(vocab[text], lang)
    if isinstance(vocab, Vocabulary) and text in vocab:
        return vocab.label(text, lang)
    if names is not None:
        parts = _SEPARATORS.split(text) if _SEPARATORS.search(text) else [text]
        return ", ".join(names.get(p, p) for p in parts if p)
    return text


def header(column, lang: str) -> str:
    """A column's heading in `lang` (the column's own name where the catalogue has none)."""
    key = str(column)
    return pick(TABLE_COLUMNS[key], lang) if key in TABLE_COLUMNS else key


@dataclass
class StudentTable:
    """A labelled table: `frame` is what the student reads (strings), `_repr_html_` draws it."""

    frame: pd.DataFrame
    lang: str
    interactive: bool
    nowrap: tuple[str, ...] = field(default=())
    long_text: tuple[str, ...] = field(default=())  # columns of prose: given room to read, never cut

    def __len__(self) -> int:
        return len(self.frame)

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)

    def interface_words(self) -> list[str]:
        """Every word of the table's own interface: headers, and DataTables' words when interactive."""
        words = [str(c) for c in self.frame.columns]
        if self.interactive:
            words += [pick(pair, self.lang) for pair in DATATABLES.values()]
        return words

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self) -> str:
        return _datatable(self) if self.interactive else _static(self)


bundle_sent = {"done": False}  # the DataTables bundle goes into the page once per kernel


def _bundle() -> str:
    if bundle_sent["done"]:
        return ""
    from itables import options
    from itables.javascript import generate_init_offline_itables_html

    bundle_sent["done"] = True
    return generate_init_offline_itables_html(options.dt_bundle)


STYLE = (
    "<style>.bp-table td, .bp-table th {text-align:left !important; vertical-align:top; padding:3px 10px}"
    ".bp-table td {max-width:40em; white-space:normal} .bp-table td.bp-nowrap {white-space:nowrap}"
    ".bp-table td.bp-long {min-width:22em}"
    ".bp-table {border-collapse:collapse} .bp-table tr:nth-child(even) {background:#f6f6f6}"
    ".bp-table th {border-bottom:1px solid #999; word-break:keep-all; white-space:normal}</style>"  # between words
)


def _static(table: StudentTable) -> str:
    cols = list(table.frame.columns)
    cls = [
        ' class="bp-nowrap"' if c in table.nowrap else ' class="bp-long"' if c in table.long_text else "" for c in cols
    ]
    head = "".join(f"<th{k}>{html.escape(str(c))}</th>" for c, k in zip(cols, cls))
    rows = "".join(
        "<tr>" + "".join(f"<td{k}>{html.escape(v)}</td>" for v, k in zip(row, cls)) + "</tr>"
        for row in table.frame.itertuples(index=False)
    )
    return f'{STYLE}<table class="bp-table" lang="{table.lang}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


_LOADING = re.compile(r"Loading ITables v[\d.]+ from .*?help</a>\?\)", re.S)
_PREVIEW_NOTE = re.compile(r"<sup><noscript>.*?</sup>", re.S)


def _datatable(table: StudentTable) -> str:
    from itables.javascript import to_html_datatable

    frame = table.frame
    nowrap = [i for i, c in enumerate(frame.columns) if c in table.nowrap]
    long_text = [i for i, c in enumerate(frame.columns) if c in table.long_text]
    out = to_html_datatable(
        frame,
        connected=False,
        display_logo_when_loading=False,
        showIndex=False,
        maxBytes=0,  # every row, never a down-sampled table
        classes="display compact cell-border bp-table",
        pageLength=SCREEN_ROWS,
        lengthMenu=[SCREEN_ROWS, 50, 100, {"label": pick(DATATABLES["all"], table.lang), "value": -1}],
        language=_interface_words(table.lang),  # nested (paginate, aria): DataTables' own format
        warn_on_unexpected_option_type=False,  # itables types `language` as flat; DataTables nests it
        columnDefs=[
            {"className": "dt-left", "targets": "_all"},
            *([{"className": "bp-nowrap", "targets": nowrap}] if nowrap else []),
            *([{"className": "bp-long", "targets": long_text}] if long_text else []),
        ],
        autoWidth=True,  # DataTables sizes the columns to their text
        style={"width": "100%", "table-layout": "auto", "margin": "0"},
    )
    out = _LOADING.sub(html.escape(pick(DATATABLES["loadingRecords"], table.lang)), out)
    out = _PREVIEW_NOTE.sub("", out)
    return STYLE + _bundle() + out


def in_language(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Data written in both languages as a column X and its Chinese X_zh: one column X in `lang`
    (X_zh's text in 中文 mode, where it has any), so English data is never shown in 中文 mode."""
    pairs = [c for c in frame.columns if f"{c}_zh" in frame.columns]
    if not pairs:
        return frame
    out = frame.copy()
    if lang == "zh":
        for c in pairs:
            out[c] = out[f"{c}_zh"].where(out[f"{c}_zh"].notna() & (out[f"{c}_zh"] != ""), out[c])
    return out.drop(columns=[f"{c}_zh" for c in pairs])


def student_table(
    frame: pd.DataFrame | pd.Series,
    kb=None,
    lang: str | None = None,
    *,
    digits: int = 2,
    vocab: Mapping[str, Vocabulary] | None = None,
    ids: Mapping[str, str] | None = None,
    index: bool = False,
    interactive: bool | None = None,
    nowrap: tuple[str, ...] = (),
) -> StudentTable:
    """The one way a notebook shows a table: labels in `lang`, ids named (with `kb`), numbers rounded to
    `digits` decimals, no NaN, nothing cut; searchable and sortable when longer than a screen.

    `vocab` and `ids` add or override the columns read as vocabulary values or as ids
    (e.g. {"stance": MENTION_STANCE}, {"source": "cause"}); `index=True` keeps the index as a column.
    """
    lang = lang or language()
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
        index = True
    if index:  # an unnamed index (row labels) gets a blank heading, never 'index'
        frame = frame.reset_index(names=[n if n is not None else "" for n in frame.index.names])
    frame = in_language(frame, lang)
    vocabs = {**VOCAB_COLUMNS, **dict.fromkeys(PHRASE_COLUMNS, TABLE_VALUES), **(vocab or {})}
    id_kinds = {**ID_COLUMNS, **(ids or {})}
    names = id_names(kb, lang) if kb is not None else {}
    shown = {}
    for column in frame.columns:
        key = str(column)
        kind = id_kinds.get(key)
        lookup = names.get(kind) if kind else None
        voc = vocabs.get(key)
        shown[header(column, lang)] = [cell_text(v, digits, lookup, voc, lang) for v in frame[column]]
    headers = {str(c): header(c, lang) for c in frame.columns}
    out = pd.DataFrame(shown)
    long = len(out) > SCREEN_ROWS
    prose = tuple(c for c in out.columns if len(out) and out[c].str.len().mean() > 40)
    short = tuple(c for c in out.columns if len(out) and out[c].str.len().max() <= SHORT_LABEL)  # never wrapped
    return StudentTable(
        out,
        lang,
        long if interactive is None else interactive,
        tuple(dict.fromkeys([*(headers[c] for c in nowrap if c in headers), *short])),
        prose,
    )


def cause_table(tree: pd.DataFrame, n_sources: pd.Series, lang: str = "en") -> pd.DataFrame:
    """One row per cause: its category, both names, origin, ICD-10, can't-miss, how many pages name it."""
    names = dict(zip(tree.cause_id, tree[f"name_{lang}"]))
    causes = tree[tree.level == "cause"]
    return pd.DataFrame(
        {
            "category": causes.parent_id.map(names),
            "cause_id": causes.cause_id,
            "name_en": causes.name_en,
            "name_zh": causes.name_zh,
            "origin": causes.origin.map(lambda o: ORIGIN.label(o, lang)),
            "icd10": causes.icd10.fillna("—"),
            "cant_miss": causes.can_t_miss.map({True: "⚠", False: ""}),
            "sources": causes.cause_id.map(n_sources).fillna(0).astype(int),
        }
    ).reset_index(drop=True)
