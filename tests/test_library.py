"""The library functions the notebooks call, on the real data."""

import hashlib
import html
import re

import numpy as np
import pandas as pd
import pytest

from backpain import i18n
from backpain.knowledge.base import build
from backpain.knowledge.taxonomy import descendants
from backpain.sources import compare
from backpain.ui import source_charts
from backpain.ui.browsers import CauseQuotes, SourceBrowser
from backpain.ui.page_html import quotes_in_context, render_quotes, render_source
from backpain.ui.tables import cause_table
from backpain.vocab import ORIGIN


def test_segment_text_and_mentions_of_a_cause(kb):
    assert kb.segment_text("zh_handan", 0).startswith("后背疼痛是什么原因")
    frozen = kb.mentions_of("frozen_shoulder")
    assert set(frozen.quote) == {"肩周炎"} and "zh_handan" in set(frozen.source_id)
    with pytest.raises(KeyError, match="unknown cause_id"):
        kb.mentions_of("no_such_cause")


def test_tree_paths_run_from_root_to_node(kb):
    tree = kb.tree()
    row = tree.set_index("cause_id").loc["aortic_dissection"]
    assert row.path[-1] == "aortic_dissection" and row.depth == len(row.path) - 1 >= 1
    for path in tree.path:  # tree order: every node comes after its parent
        if len(path) > 1:
            assert tree.index[tree.cause_id == path[-2]][0] < tree.index[tree.cause_id == path[-1]][0]
    assert "aortic_dissection" in descendants(kb.taxonomy, tree.path[tree.cause_id == "aortic_dissection"].iloc[0][0])


def test_segment_shares_sum_to_one_per_source(kb):
    shares = compare.segment_shares(kb.segments)
    np.testing.assert_allclose(shares.groupby("source_id").share.sum(), 1.0)
    body = shares[shares.kind == "body"].set_index("source_id").share
    assert body.idxmin() == "zh_fujian"  # the page that is mostly unrelated Q&A


def test_source_overview_counts(kb):
    ov = compare.source_overview(kb.sources, kb.segments, kb.mentions)
    assert ov.loc["en_midback", "causes_named"] == ov.causes_named.max()
    assert ov.loc["zh_handan", "author"] == "袁俊丽"


def test_viewer_highlights_every_mention_with_both_names(kb):
    page = str(render_source(kb, "zh_handan"))
    marked = set(" ".join(re.findall(r'data-cause="([^"]+)"', page)).split())
    expected = set(kb.mentions[kb.mentions.source_id == "zh_handan"].cause_id)
    assert marked == expected
    assert "Frozen shoulder" in page and "肩周炎" in page
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
        f.write(f"evil,0,{len(text)},body,\n")
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
    assert len(q) >= 3 and set(q.source_id) >= {"en_midback"}
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
    assert colour["aortic_dissection"] == ORIGIN.colour("visceral")
    assert size["lumbar_muscle_strain"] >= 2
    assert "breast_hyperplasia" not in size  # off-topic conditions only on request
    full = source_charts.taxonomy_treemap(tree, compare.sources_per_cause(kb.mentions), include_unrelated=True)
    assert "breast_hyperplasia" in set(full.data[0].ids)


def test_cause_table_is_bilingual_and_counts_sources(kb):
    table = cause_table(kb.tree(), compare.sources_per_cause(kb.mentions), "zh")
    row = table.set_index("cause_id").loc["angina"]
    assert row.name_zh == "心绞痛" and row.origin == "内脏（牵涉痛）" and row.sources >= 1
    assert len(table) == len(kb.causes)


def test_widgets_respond_to_selection(kb):
    browser = SourceBrowser(kb, "zh_fujian")
    assert "后背抽筋的疼怎么回事" in browser.page.value
    browser.source.value = "en_midback"
    assert "The backbone hurts" in browser.last_html and browser.page.value == browser.last_html
    quotes = CauseQuotes(kb, "angina")
    quotes.cause.value = "renal_colic"
    assert "renal colic" in quotes.last_html.lower()


def test_language_setting_switches_labels():
    try:
        i18n.set_language("zh")
        assert ORIGIN.label("visceral") == "内脏（牵涉痛）"
        with pytest.raises(ValueError):
            i18n.set_language("fr")
    finally:
        i18n.set_language("en")
