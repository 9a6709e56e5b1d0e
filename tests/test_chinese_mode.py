"""中文 mode is whole: every chart, widget and table a notebook shows is built in Chinese, its visible
text collected (titles, axis titles, legend items, tick labels, annotations, bar labels, hover text,
widget descriptions, options, tooltips, HTML text), and the test fails on any English interface label
asked for in 中文 mode (English labels are marked while the test runs) and on any raw vocabulary id
shown where a label belongs. Quotes and data written only in English (page text, English names shown
beside Chinese ones) are not interface text and are not checked here.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import ipywidgets as w
import plotly.graph_objects as go
import pytest

from backpain import i18n, vocab
from backpain.i18n import LANGUAGE_NAMES
from backpain.knowledge.cases import load_cases
from backpain.reasoning import flag_rules
from backpain.sources import advice, compare, quality, readability
from backpain.ui import bodymap, reasoning_charts, source_charts, strings, tables
from backpain.ui.browsers import CauseQuotes, RegionExplorer, SourceBrowser
from backpain.ui.exercise import RubricExercise
from backpain.ui.finding_form import FindingForm
from backpain.ui.lab import DifferentialLab
from backpain.ui.lab_snapshot import lab_snapshot
from backpain.ui.page_html import render_advice
from backpain.ui.quiz import CaseQuiz, overview
from backpain.ui.tables import StudentTable, cause_table, student_table
from backpain.vocab import REGISTRY

ID_COLUMNS = {
    "cause_id",
    "flag_id",
    "finding_id",
    "source_id",
    "cause_ids",
    "trigger_findings",
    "unless",
    "reference_id",
}


class _Text(HTMLParser):
    """Text a reader sees in an HTML fragment, plus its tooltips (title attributes)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.parts += [v for k, v in attrs if k == "title" and v]


def html_text(fragment: str) -> str:
    parser = _Text()
    parser.feed(str(fragment))
    return " ".join(parser.parts)


def figure_text(fig: go.Figure) -> list[str]:
    layout = fig.layout
    found = [layout.title.text or ""]
    for axis in [a for a in layout if a.startswith(("xaxis", "yaxis"))]:
        found += [layout[axis].title.text or "", *(layout[axis].ticktext or ())]
    found += [a.text or "" for a in layout.annotations]
    for trace in fig.data:
        for prop in ("name", "text", "hovertext", "hovertemplate", "x", "y", "labels"):
            value = getattr(trace, prop, None)
            if isinstance(value, str):
                found.append(value)
            elif value is not None and len(value) and isinstance(value[0], str):
                found += list(value)
            elif value is not None and len(value) and isinstance(value[0], (list, tuple)):
                found += [v for row in value for v in row if isinstance(v, str)]
    return [html_text(t) for t in found if t]


def widget_text(widget: w.Widget) -> list[str]:
    """Descriptions, option labels, tooltips, titles and HTML of a widget tree."""
    found, todo = [], [widget]
    while todo:
        node = todo.pop()
        found += [getattr(node, "description", "") or "", getattr(node, "tooltip", "") or ""]
        found += [label for label in getattr(node, "_options_labels", ()) if isinstance(label, str)]
        found += list(getattr(node, "tooltips", None) or ())
        found += list(getattr(node, "titles", None) or ())
        if isinstance(node, w.HTML):
            found.append(html_text(node.value))
        if isinstance(node, FindingForm):  # the lab's form draws its own labels in the browser
            found += node.interface_labels() + node.data_labels()
        todo += list(getattr(node, "children", ()) or ())
    return [t for t in found if t]


MARK = "⟦en⟧"


CJK = re.compile(r"[\u3400-\u9fff]")


def interface_items(thing) -> list[str]:
    """The labels that are the interface's own words, never data: chart titles and axis titles; widget
    descriptions, button labels, tooltips and accordion titles."""
    if isinstance(thing, go.Figure):
        layout = thing.layout
        axes = [a for a in layout if a.startswith(("xaxis", "yaxis"))]
        return [html_text(t) for t in [layout.title.text, *(layout[a].title.text for a in axes)] if t]
    found, todo = [], [thing]
    while todo:
        node = todo.pop()
        found += [getattr(node, "description", "") or "", getattr(node, "tooltip", "") or ""]
        found += list(getattr(node, "tooltips", None) or ()) + list(getattr(node, "titles", None) or ())
        if isinstance(node, FindingForm):
            found += node.interface_labels()
        todo += list(getattr(node, "children", ()) or ())
    return [t for t in found if t]


def untranslated(items: list[str]) -> list[str]:
    """Interface labels with letters but no Chinese (numbers, symbols and ICD codes pass)."""
    return [
        t
        for t in items
        if re.search(r"[A-Za-z]{2}", t) and not CJK.search(t) and t not in {*LANGUAGE_NAMES.values(), "ICD-10"}
    ]


def english_marked(pair, lang=None):
    """i18n.pick, except that an English label comes back marked, so one asked for in 中文 mode shows."""
    lang = lang or i18n.language()
    return MARK + pair[0] if lang == "en" else pair[1]


def leaks(texts: list[str]) -> list[str]:
    """English labels asked for in 中文 mode, and raw vocabulary ids shown instead of labels."""
    joined = "\n".join(texts)
    found = [joined[i : i + 50] for i in [m.start() for m in re.finditer(re.escape(MARK), joined)]]
    raw = {v for vocab in REGISTRY.values() for v in vocab.values if "_" in v}
    found += [f"raw id {v!r}" for v in sorted(raw) if re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", joined)]
    return found


@pytest.fixture
def zh(kb, monkeypatch):
    for module in (i18n, vocab, strings, tables):
        monkeypatch.setattr(module, "pick", english_marked)
    with i18n.set_language("zh"):
        yield kb


def built_in_chinese(kb) -> dict[str, list[str]]:
    """What the notebooks show, built in 中文 (the calls are the notebooks' own)."""
    shares = compare.segment_shares(kb.segments)
    n_sources = compare.sources_per_cause(kb.mentions)
    lab = DifferentialLab(kb)
    lab.set_findings(["char_tearing", "onset_sudden", "hx_hypertension"], ["agg_movement"])
    quiz = CaseQuiz(kb, load_cases(kb))
    quiz.origin.value, quiz.cause.value, quiz.urgency.value = "visceral", quiz.case.accept[0], quiz.case.urgency
    quiz.check()
    rubric = RubricExercise(kb, "en_spasms", "jama")
    next(iter(rubric.controls.values())).value = "1"
    rubric.compare()
    table = advice.advice_table(kb.treatment_mentions, kb.treatments)
    diff = kb.differential(["char_colicky", "loc_flank_left", "assoc_haematuria"], ["agg_movement"])
    scores = quality.scores(kb.ratings, kb.rubric_items)
    coverage = compare.red_flag_coverage(kb.mentions, kb.red_flags, kb.taxonomy, kb.source_ids)
    figures = {
        "segment_composition": source_charts.segment_composition(shares),
        "taxonomy_treemap": source_charts.taxonomy_treemap(kb.tree(), n_sources),
        "coverage_heatmap": source_charts.coverage_heatmap(kb.mentions, kb.taxonomy, kb.source_ids),
        "agreement_heatmap": source_charts.agreement_heatmap(compare.jaccard(kb.mentions)),
        "origin_mix_bars": source_charts.origin_mix_bars(compare.origin_mix(kb.mentions, kb.taxonomy)),
        "red_flag_matrix": source_charts.red_flag_matrix(coverage, kb.red_flags),
        "rubric_scores": source_charts.rubric_scores(scores, kb.benchmarks),
        "advice_bars": source_charts.advice_bars(advice.advice_summary(table)),
        "readability_panels": source_charts.readability_panels(readability.readability(kb), kb.benchmarks),
        "findings_heatmap": reasoning_charts.findings_heatmap(kb.engine, ["agg_movement", "agg_meals", "char_colicky"]),
        "ranking_bar": reasoning_charts.ranking_bar(diff),
        "split_bar": reasoning_charts.split_bar(diff),
        "evidence_ruler": reasoning_charts.evidence_ruler(diff, "renal_colic", kb.engine.findings),
        "pretest_posttest": reasoning_charts.pretest_posttest(diff),
        "body_map": bodymap.body_map(kb.body_regions, kb.organ_segments, kb.engine),
    }
    figures |= {f"lab {name}": fig for name, fig in lab.last_figures.items()}
    shown = {name: figure_text(fig) for name, fig in figures.items()}
    widgets = {
        "DifferentialLab": lab.view(),
        "CaseQuiz": quiz.view(),
        "RubricExercise": rubric.view(),
        "SourceBrowser": SourceBrowser(kb, "zh_handan").view(),
        "CauseQuotes": CauseQuotes(kb, "degenerative_disc_disease").view(),
        "RegionExplorer": RegionExplorer(kb, "interscapular").view(),
    }
    shown |= {name: widget_text(widget) for name, widget in widgets.items()}
    labels = {name: interface_items(thing) for name, thing in {**figures, **widgets}.items()}
    shown["render_advice"] = [html_text(render_advice(table, "zh_handan"))]
    snapshot = lab_snapshot(kb, "renal_colic")  # the hand-out's picture of the lab
    shown["lab_snapshot"] = [html_text(snapshot.html())]
    shown |= {f"lab_snapshot {name}": figure_text(fig) for name, fig in snapshot.figures.items()}
    frames = {"cause_table": cause_table(kb.tree(), n_sources, "zh"), "quiz overview": overview(load_cases(kb))}
    frames["flag_rules"] = flag_rules(kb.engine, "zh")
    for name, frame in frames.items():  # column names and entity ids are the code's; values are read
        shown[name] = [str(v) for c in frame.columns if c not in ID_COLUMNS for v in frame[c].astype(str)]
    return shown, labels


def test_the_check_sees_an_english_label_a_raw_id_and_an_untranslated_title(zh):
    assert untranslated(["疼痛部位", "English", "ICD-10", "42%", "Evidence ruler"]) == ["Evidence ruler"]
    assert leaks([REGISTRY["urgency"].label("emergency")]) == []
    assert leaks([REGISTRY["urgency"].label("emergency", "en")]) == [MARK + "EMERGENCY: act now"]
    assert leaks(["紧急程度 same_day", "cause_id data-urgency"]) == ["raw id 'same_day'"]


def test_every_chart_and_widget_in_chinese_mode_is_chinese(zh):
    shown, labels = built_in_chinese(zh)
    assert len(shown) >= 25 and sum(map(len, labels.values())) > 100
    found = {name: leaked for name, texts in shown.items() if (leaked := leaks(texts))}
    assert not found, found
    english = {name: bad for name, items in labels.items() if (bad := untranslated(items))}
    assert not english, english


def notebook_tables(kb) -> dict[str, StudentTable]:
    """Every table notebooks 01–07 show, built as the notebooks build them (in the current language)."""
    from backpain import reasoning

    lang = i18n.language()
    overview_ = compare.source_overview(kb.sources, kb.segments, kb.mentions)
    lex, links = kb.lexicon, kb.engine.links
    scores = quality.scores(kb.ratings, kb.rubric_items)
    advice_ = advice.advice_table(kb.treatment_mentions, kb.treatments)
    renamed = {f"name_{lang}": "treatment", f"position_{lang}": "position"}
    link_columns = ["cause_id", "finding_id", "frequency", "background", "lr_pos", "lr_neg", "basis", "evidence"]
    source_columns = ["language", "title", "author", "credentials", "institution", "site_type", "date"]
    return {
        "01 sources": student_table(
            overview_.join(kb.sources.set_index("source_id")[["site_type_zh"]])[[*source_columns, "site_type_zh"]],
            kb,
            index=True,
        ),
        "01 notes": student_table(kb.sources[["source_id", "notes", "notes_zh"]], kb),
        "02 causes": student_table(
            cause_table(kb.tree(), compare.sources_per_cause(kb.mentions), lang), kb, ids={"cause_id": None}
        ),
        "02 lexicon": student_table(lex[lex.note.notna()][["term", "language", "cause_id"]], kb),
        "03 red flags": student_table(reasoning.flag_rules(kb.engine, lang), kb),
        "03 split shift": student_table(reasoning.split_shift(kb.engine, ["agg_meals", "agg_movement"]), kb),
        "03 links": student_table(links[links.basis != "teaching_estimate"][link_columns], kb),
        "03 organs": student_table(kb.organ_segments[[f"name_{lang}", "levels", "reference_id"]], kb),
        "05 shared causes": student_table(compare.intersections(kb.mentions), kb),
        "05 can't miss": student_table(compare.cant_miss_named(kb.mentions, kb.taxonomy).rename("cause_ids"), kb),
        "05 scores": student_table(scores.assign(band=scores.discern_80.map(quality.discern_band)), kb, index=True),
        "05 benchmarks": student_table(kb.benchmarks[["instrument", "study", "value_low", "value_high", "status"]], kb),
        "05 readability": student_table(readability.readability(kb), kb, index=True),
        "06 against": student_table(
            advice_.loc[
                advice.against_guidelines(advice_).index, ["source_id", f"name_{lang}", f"position_{lang}"]
            ].rename(columns=renamed),
            kb,
        ),
        "06 treatments": student_table(
            kb.treatments[[f"name_{lang}", "category", "stance", "guideline", f"position_{lang}", "status"]].rename(
                columns=renamed
            ),
            kb,
            nowrap=("stance",),
        ),
        "07 overview": student_table(overview(load_cases(kb)).rename_axis("group"), index=True),
    }


def test_every_notebook_table_in_chinese_mode_is_chinese(zh):
    """Headers, DataTables' own words (search, 'showing x to y', paging) and the values the code labels:
    no English interface word, no raw vocabulary id, no NaN; a long table is interactive with every row."""
    built = notebook_tables(zh)
    assert len(built) == 16
    english = {name: bad for name, t in built.items() if (bad := untranslated(t.interface_words()))}
    assert not english, english
    found = {
        name: leaked for name, t in built.items() if (leaked := leaks(t.interface_words() + t.frame.stack().tolist()))
    }
    assert not found, found
    assert not [name for name, t in built.items() if t.frame.isin(["nan", "NaN", "None", "<NA>"]).any().any()]
    causes = built["02 causes"]
    assert causes.interactive and len(causes) == len(zh.taxonomy[zh.taxonomy.level == "cause"])  # every row
    page = causes.to_html()
    words = (
        "搜索：",
        "显示第 _START_ 至 _END_ 行，共 _TOTAL_ 行",
        "下一页",
        "上一页",
        "全部",
    )  # JSON-escaped in the page
    assert all(json.dumps(word)[1:-1] in page for word in words)
    assert "Loading ITables" not in page and "Showing" not in page and "Search" not in page
    assert "急症：立即处理" in built["03 red flags"].frame.iloc[:, 1].tolist()
    for name, column in (("01 notes", "网页的特别之处"), ("01 sources", "网站类型")):  # data in both languages
        assert all(CJK.search(text) for text in built[name].frame[column]), name  # shown in Chinese


def test_pages_and_the_rubric_exercise_show_chinese_headings_and_reasons(zh):
    page = html_text(SourceBrowser(zh, "en_midback").last_html)
    headings = re.findall(r"\[([^\]]+)\]", page)
    assert len(headings) == (zh.segments.source_id == "en_midback").sum()
    assert all(CJK.search(h) for h in headings)  # the segment's kind and its heading, in Chinese
    assert "A1: Causes of pain" not in page
    rubric = RubricExercise(zh, "en_midback", "discern")
    rubric.controls["q09"].value = rubric.not_applicable
    rubric.compare()
    reasons = re.findall(r"<td style='text-align:left'>([^<]*)</td>", rubric.result.value)
    assert len(reasons) == len(rubric.controls) and all(CJK.search(r) for r in reasons)
    assert rubric.student_scores() == {"q09": None} and "不适用" in widget_text(rubric.view())
