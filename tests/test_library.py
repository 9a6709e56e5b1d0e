"""The library functions the notebooks call: pure functions on small hand-made frames, the rest on the real data
through properties that hold whatever an instructor puts in data/ (facts about the five pages are in
test_lesson_claims.py)."""

import hashlib
import html
import re

import numpy as np
import pandas as pd
import pytest

from backpain import i18n
from backpain.knowledge.base import build
from backpain.knowledge.taxonomy import descendants, with_paths
from backpain.sources import compare
from backpain.ui import source_charts
from backpain.ui.browsers import CauseQuotes, SourceBrowser
from backpain.ui.page_html import quotes_in_context, render_quotes, render_source
from backpain.ui.tables import cause_table
from backpain.ui.theme import text_width, wrap
from backpain.vocab import ORIGIN


def test_segment_text_and_mentions_of_a_cause(kb):
    for source in kb.source_ids:
        first = kb.segments_of(source).iloc[0]
        assert kb.segment_text(source, 0) == kb.text(source)[first.start : first.end]
    title = kb.segments_of("zh_handan")
    title = title[title.kind == "title"].iloc[0]
    assert kb.text("zh_handan")[title.start : title.end].strip() == kb.sources.set_index("source_id").title["zh_handan"]
    for cause in set(kb.mentions.cause_id):
        expected = kb.mentions[kb.mentions.cause_id == cause]
        got = kb.mentions_of(cause)
        assert len(got) == len(expected) and set(got.quote) == set(expected.quote), cause
        assert set(got.source_id) == set(expected.source_id), cause
    assert kb.mentions_of(kb.causes.index[0]).cause_id.eq(kb.causes.index[0]).all()
    with pytest.raises(KeyError, match="unknown cause_id"):
        kb.mentions_of("no_such_cause")


SMALL_TREE = pd.DataFrame(  # listed children first, as an instructor might append rows
    {
        "cause_id": ["renal_colic", "viscera", "spine", "strain", "kidney", "spasm"],
        "parent_id": ["kidney", None, None, "spine", "viscera", "strain"],
    }
)


def test_with_paths_and_descendants_by_hand():
    tree = with_paths(SMALL_TREE)
    assert tree.cause_id.tolist() == ["viscera", "kidney", "renal_colic", "spine", "strain", "spasm"]
    assert tree.path.tolist() == [
        ["viscera"],
        ["viscera", "kidney"],
        ["viscera", "kidney", "renal_colic"],
        ["spine"],
        ["spine", "strain"],
        ["spine", "strain", "spasm"],
    ]
    assert tree.depth.tolist() == [0, 1, 2, 0, 1, 2]
    assert descendants(SMALL_TREE, "viscera") == ["kidney", "renal_colic"]
    assert descendants(SMALL_TREE, "spine") == ["strain", "spasm"]
    assert descendants(SMALL_TREE, "spasm") == [] and descendants(SMALL_TREE, "nothing") == []


def test_tree_paths_run_from_root_to_node(kb):
    tree = kb.tree()
    assert len(tree) == len(kb.taxonomy) and set(tree.cause_id) == set(kb.taxonomy.cause_id)
    parent = dict(zip(kb.taxonomy.cause_id, kb.taxonomy.parent_id))
    for row in tree.itertuples():
        assert row.path[-1] == row.cause_id and row.depth == len(row.path) - 1
        assert pd.isna(parent[row.path[0]])  # every path starts at a root
        assert all(parent[child] == up for up, child in zip(row.path, row.path[1:]))
    for path in tree.path:  # tree order: every node comes after its parent
        if len(path) > 1:
            assert tree.index[tree.cause_id == path[-2]][0] < tree.index[tree.cause_id == path[-1]][0]
    for root in tree.cause_id[tree.depth == 0]:
        below = descendants(kb.taxonomy, root)
        assert set(below) == set(tree.cause_id[tree.path.map(lambda p, r=root: p[0] == r and len(p) > 1)])


def test_segment_shares_sum_to_one_per_source(kb):
    shares = compare.segment_shares(kb.segments)
    np.testing.assert_allclose(shares.groupby("source_id").share.sum(), 1.0)
    chars = shares.groupby("source_id").chars.sum()
    assert chars.to_dict() == {s: len(kb.text(s)) for s in kb.source_ids}  # the segments cover every character


def test_source_overview_counts(kb):
    ov = compare.source_overview(kb.sources, kb.segments, kb.mentions)
    sets = compare.cause_sets(kb.mentions)
    assert ov.causes_named.to_dict() == {s: len(sets.get(s, ())) for s in kb.source_ids}
    assert ov.author.to_dict() == kb.sources.set_index("source_id").author.fillna("—").to_dict()
    assert ov.characters.to_dict() == {s: len(kb.text(s)) for s in kb.source_ids}


def test_viewer_highlights_every_mention_named_in_the_current_language(kb):
    zh_page = str(render_source(kb, "zh_handan", "zh"))
    first = kb.mentions[kb.mentions.source_id == "zh_handan"].iloc[0]
    names = kb.taxonomy.set_index("cause_id").loc[first.cause_id]
    tips = " ".join(re.findall(r'title="([^"]*)"', zh_page))
    assert names.name_zh in tips and html.escape(names.name_en) not in tips  # 中文 mode: no English in tooltips
    page = str(render_source(kb, "zh_handan", "en"))
    marked = set(" ".join(re.findall(r'data-cause="([^"]+)"', page)).split())
    expected = set(kb.mentions[kb.mentions.source_id == "zh_handan"].cause_id)
    assert marked == expected
    first = kb.mentions[kb.mentions.source_id == "zh_handan"].iloc[0]
    names = kb.taxonomy.set_index("cause_id").loc[first.cause_id]
    assert html.escape(names.name_en) in page and first.quote in page
    shown = "".join(
        html.unescape(re.sub(r"<[^>]+>", "", block))
        for block in re.findall(r'<div class="bp-text"[^>]*>(.*?)</div>', page, re.S)
    )
    assert shown == kb.text("zh_handan")  # the whole page, every character, in order


def _add_hostile_source(data_dir, text):
    sources = pd.read_csv(data_dir / "sources" / "sources.csv", dtype=str, keep_default_na=False)
    (data_dir / "sources" / "evil.txt").write_text(text, encoding="utf-8")
    row = sources.iloc[0].copy()
    row.update(
        {
            "source_id": "evil",
            "file": "evil.txt",
            "language": "en",
            "sha256": hashlib.sha256(text.encode()).hexdigest(),
            "title": "<b>bold</b> title",
        }
    )
    pd.concat([sources, row.to_frame().T]).to_csv(data_dir / "sources" / "sources.csv", index=False)
    with open(data_dir / "segments.csv", "a", encoding="utf-8") as f:
        f.write(f"evil,0,{len(text)},body,,\n")
    start = text.index("sciatica")
    with open(data_dir / "mentions.csv", "a", encoding="utf-8") as f:
        f.write(f"evil,{start},{start + 8},sciatica,sciatica,cause\n")


def test_source_text_is_escaped_in_html(data_copy):
    text = 'Pain <script>alert("x")</script> and <img src=x onerror=alert(1)> sciatica & more'
    _add_hostile_source(data_copy, text)
    kb = build(data_copy)
    page = str(render_source(kb, "evil"))
    assert "<script>" not in page and "<img" not in page and "<b>bold" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    quotes = str(render_quotes(kb, "sciatica"))
    assert "<img" not in quotes and "&lt;img src=x onerror=alert(1)&gt;" in quotes


def test_quotes_in_context_are_the_verbatim_words(kb):
    q = quotes_in_context(kb, "degenerative_disc_disease")
    mentioned = kb.mentions_of("degenerative_disc_disease")
    assert len(q) == len(mentioned) >= 1 and set(q.source_id) == set(mentioned.source_id)
    assert all(kb.text(r.source_id)[r.start : r.end] == r.quote for r in q.itertuples())


def test_segment_chart_has_a_trace_per_kind_and_full_bars(kb):
    shares = compare.segment_shares(kb.segments)
    fig = source_charts.segment_composition(shares, lang="zh")
    assert len(fig.data) == shares.kind.nunique()
    totals = {}
    for trace in fig.data:
        for y, x in zip(trace.y, trace.x):
            totals[y] = totals.get(y, 0) + x
    np.testing.assert_allclose(list(totals.values()), 100)
    assert {t.name for t in fig.data} >= {"正文", "无关问答"}


def test_treemap_sizes_add_up_and_colours_follow_origin(kb):
    tree = kb.tree()
    fig = source_charts.taxonomy_treemap(tree, compare.sources_per_cause(kb.mentions), lang="en")
    tm = fig.data[0]
    size = dict(zip(tm.ids, tm.values))
    parent = dict(zip(tm.ids, tm.parents))
    for node in tm.ids:
        children = [c for c in tm.ids if parent[c] == node]
        if children:
            assert size[node] == pytest.approx(sum(size[c] for c in children))
    colour = dict(zip(tm.ids, tm.marker.colors))
    origin = tree.set_index("cause_id").origin
    assert all(colour[c] == ORIGIN.colour(origin[c]) for c in tm.ids)
    n = compare.sources_per_cause(kb.mentions)
    leaves = tree[tree.level == "cause"].cause_id
    floor = {c: n.get(c, 0) + source_charts.CAUSE_FLOOR for c in leaves[leaves.isin(size)]}  # a box to name
    for cause in floor:  # its count plus three, grown only where its category would be below MIN_CATEGORY
        in_category = sum(f for c, f in floor.items() if parent[c] == parent[cause])
        grow = max(1.0, source_charts.MIN_CATEGORY / in_category)
        assert size[cause] == pytest.approx(floor[cause] * grow), cause
        assert size[parent[cause]] >= source_charts.MIN_CATEGORY - 1e-9, cause
    unrelated = set(origin.index[origin == "unrelated"])
    assert not unrelated & set(size)  # off-topic conditions only on request
    assert set(size) == set(origin.index) - unrelated
    full = source_charts.taxonomy_treemap(tree, compare.sources_per_cause(kb.mentions), include_unrelated=True)
    assert set(full.data[0].ids) == set(origin.index)


def test_cause_table_by_hand():
    tree = pd.DataFrame(
        {
            "cause_id": ["cat_viscera", "angina", "renal_colic"],
            "parent_id": [None, "cat_viscera", "cat_viscera"],
            "level": ["category", "cause", "cause"],
            "name_en": ["Viscera", "Angina", "Renal colic"],
            "name_zh": ["内脏", "心绞痛", "肾绞痛"],
            "origin": ["visceral", "visceral", "visceral"],
            "icd10": [None, "I20.9", None],
            "can_t_miss": [False, True, False],
        }
    )
    table = cause_table(tree, pd.Series({"angina": 2, "unlisted": 4}), "zh")
    assert table.values.tolist() == [
        ["内脏", "angina", "Angina", "心绞痛", "内脏（牵涉痛）", "I20.9", "⚠", 2],
        ["内脏", "renal_colic", "Renal colic", "肾绞痛", "内脏（牵涉痛）", "—", "", 0],
    ]
    assert cause_table(tree, pd.Series(dtype=int), "en").category.tolist() == ["Viscera", "Viscera"]


def test_cause_table_is_bilingual_and_counts_sources(kb):
    table = cause_table(kb.tree(), compare.sources_per_cause(kb.mentions), "zh")
    row = table.set_index("cause_id").loc["angina"]
    assert row.name_zh == kb.causes.loc["angina", "name_zh"] and row.origin == ORIGIN.label("visceral", "zh")
    assert row.sources == compare.sources_per_cause(kb.mentions).get("angina", 0)
    assert len(table) == len(kb.causes)


def test_widgets_respond_to_selection(kb):
    title = kb.sources.set_index("source_id").title
    browser = SourceBrowser(kb, "zh_fujian")
    assert html.escape(title["zh_fujian"]) in browser.page.value
    browser.source.value = "en_midback"
    assert html.escape(title["en_midback"]) in browser.last_html and browser.page.value == browser.last_html
    quotes = CauseQuotes(kb, "angina")
    quotes.cause.value = "renal_colic"
    assert html.escape(kb.mentions_of("renal_colic").quote.iloc[0]) in quotes.last_html


def test_language_setting_switches_labels():
    try:
        i18n.set_language("zh")
        assert ORIGIN.label("visceral") == "内脏（牵涉痛）"
        with pytest.raises(ValueError):
            i18n.set_language("fr")
    finally:
        i18n.set_language("en")


def test_student_table_labels_rounds_blanks_and_never_cuts(kb):
    from collections import Counter

    from backpain.ui.tables import cell_text, student_table

    long_note = "x" * 300
    frame = pd.DataFrame(
        {
            "cause_id": ["angina", "angina;renal_colic"],
            "basis": ["teaching_estimate", None],
            "frequency": [0.123456, float("nan")],
            "note": [long_note, "short"],
        }
    )
    table = student_table(frame, kb, "zh")
    assert list(table.frame.columns) == ["病因编号", "依据", "在该病因中的频率", "说明"]
    names = kb.taxonomy.set_index("cause_id").name_zh
    assert table.frame.iloc[1, 0] == f"{names['angina']}, {names['renal_colic']}"  # ids named, lists joined
    assert table.frame.iloc[:, 1].tolist() == ["教学估计值", ""]  # a vocabulary label; a blank, never NaN
    assert table.frame.iloc[:, 2].tolist() == ["0.12", ""]  # rounded
    assert table.frame.iloc[0, 3] == long_note and "…" not in table.to_html()  # nothing cut
    assert not table.interactive and "<table" in table.to_html()  # a short table is plain HTML
    assert cell_text(Counter({"a": 1, "b": 3})) == "b: 3, a: 1" and cell_text(True) == "✔"
    assert cell_text(12.0) == "12" and cell_text(1 / 3, digits=3) == "0.333"


def test_a_long_student_table_is_an_offline_datatable_holding_every_row(kb):
    from backpain.ui import tables

    rows = tables.SCREEN_ROWS * 7
    frame = pd.DataFrame({"note": [f"row {i}" for i in range(rows)]})
    tables.bundle_sent["done"] = False
    first, second = tables.student_table(frame, lang="en"), tables.student_table(frame, lang="en")
    html_first, html_second = first.to_html(), second.to_html()
    assert first.interactive and f"row {rows - 1}" in html_first  # every row is in the page
    assert "_itables_" in html_first and "injectModule(" in html_first  # the DataTables bundle, embedded once
    assert "injectModule(" not in html_second and len(html_second) < len(html_first) // 10
    assert not re.search(r'<script[^>]+src=|https?://[^\s"<>]*(unpkg|jsdelivr|cdn)', html_first)  # no CDN


def test_in_language_shows_the_chinese_twin_of_a_column_in_chinese_mode():
    from backpain.ui.tables import in_language

    frame = pd.DataFrame({"note": ["odd", "plain"], "note_zh": ["奇怪", None], "name_en": ["a", "b"]})
    assert in_language(frame, "zh").to_dict("list") == {"note": ["奇怪", "plain"], "name_en": ["a", "b"]}
    assert in_language(frame, "en").to_dict("list") == {"note": ["odd", "plain"], "name_en": ["a", "b"]}


def test_wrap_breaks_latin_at_spaces_and_hyphenation_points_and_cjk_into_even_lines():
    assert wrap("Frozen shoulder", 7) == "Frozen<br>shoulder"
    assert wrap("Spondylolisthesis", 6) == "Spondylolisthesis"  # a word keeps its line unless asked
    lines = wrap("Spondylolisthesis", 6, hyphenate=True).split("<br>")
    assert len(lines) > 1 and all(text_width(line) <= 6 for line in lines)
    assert "".join(line.removesuffix("-") for line in lines) == "Spondylolisthesis"
    assert wrap("脊柱骨折", 3) == "脊柱<br>骨折"  # even lines, not 脊柱骨/折
    assert wrap("压迫神经的严重脊柱疾病", 7) == "压迫神经的严<br>重脊柱疾病"


def test_treemap_box_names_drop_asides_but_keep_lists():
    assert source_charts.short_name("Herpes zoster (shingles), including the pain before the rash") == "Herpes zoster"
    assert source_charts.short_name("Aortic aneurysm, site unspecified") == "Aortic aneurysm"
    assert source_charts.short_name("脊柱感染（椎体骨髓炎、椎间盘炎、硬膜外脓肿）") == "脊柱感染"
    assert source_charts.short_name("Posture, load and lifestyle") == "Posture, load and lifestyle"
    assert source_charts.two_lines("Psychological and social factors") == "Psychological and<br>social factors"
