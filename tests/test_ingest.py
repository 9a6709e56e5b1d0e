"""Bring your own sources: decoding, HTML to text, bad input, duplicates, and measured extraction."""

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from backpain.__main__ import main as cli
from backpain.knowledge.base import DEFAULT_DATA_DIR
from backpain.sources import ingest
from backpain.sources.extract import Extractor, fold
from backpain.sources.extraction_eval import by_language, evaluate, held_out_evaluation

EXAMPLES = DEFAULT_DATA_DIR / "examples" / "web_pages"


def _curated_checksums() -> dict:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(DEFAULT_DATA_DIR.rglob("*"))
        if p.is_file() and "examples" not in p.parts and "ingested" not in p.parts
    }


@pytest.fixture
def store(tmp_path):
    return ingest.Store(tmp_path / "store")


def test_example_folder_is_ingested_with_reasons_for_every_skip(kb, store):
    before = _curated_checksums()
    outcomes = ingest.ingest([EXAMPLES], store, kb)
    by_name = {Path(o.path).name: o for o in outcomes}
    assert by_name["empty.txt"].reason == "empty file"
    assert by_name["scan.txt"].reason.startswith("binary file")
    assert by_name["copy of a curated page.txt"].reason == "duplicate of 'zh_handan'"
    gb = by_name["后背疼痛 常见原因.txt"]  # spaces and Chinese in the name, GB18030 inside
    assert gb.status == "ingested" and gb.reason.startswith("gb18030")
    assert by_name["背痛衛教單張.html"].reason.startswith("big5, html")
    registry = pd.DataFrame(store.registry())
    assert set(registry.original_name) == {
        "后背疼痛 常见原因.txt",
        "背痛衛教單張.html",
        "why-does-my-back-hurt.html",
        "search notes.md",
    }
    mentions = pd.read_csv(store.mentions_path)
    assert mentions.auto.all()
    for row in mentions.itertuples():  # offsets index the stored UTF-8 text
        assert (store.pages / f"{row.source_id}.txt").read_text("utf-8")[row.start : row.end] == row.quote
    leaflet = mentions[mentions.source_id == registry.set_index("original_name").source_id["背痛衛教單張.html"]]
    assert {"lumbar_muscle_strain", "cauda_equina_syndrome"} <= set(leaflet.cause_id)  # traditional characters matched
    assert _curated_checksums() == before  # curated data untouched
    again = ingest.ingest([EXAMPLES], store, kb)  # a second run finds only duplicates
    assert all(o.status == "skipped" for o in again)


def test_html_is_reduced_to_visible_text(kb, store):
    ingest.ingest([EXAMPLES / "why-does-my-back-hurt.html"], store, kb)
    text = next(store.pages.glob("*.txt")).read_text("utf-8")
    assert "Why does my back hurt?" in text and "sciatica" in text
    for dropped in ("tracking", "window.__pwned = true;", "Menu: Yoga", "Home", ".ad{color"):
        assert dropped not in text
    assert '<img src=x onerror="window.__pwned=true">' in text  # page text that looks like HTML stays text


def test_too_large_undecodable_missing_and_unsupported_files(kb, store, tmp_path):
    big = tmp_path / "huge page.txt"
    with open(big, "wb") as f:
        f.truncate(200 * 1024 * 1024)  # a 200 MB file (sparse: costs no disk)
    odd = tmp_path / "odd.txt"
    odd.write_bytes(bytes(range(128, 256)) * 50)
    pdf = tmp_path / "leaflet.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    good = tmp_path / "fine.txt"
    good.write_text("Pain after meals boring through to the back can be pancreatitis.", encoding="utf-8")
    outcomes = ingest.ingest([big, odd, tmp_path / "missing.txt", pdf, good], store, kb)
    reasons = {Path(o.path).name: o.reason for o in outcomes}
    assert reasons["huge page.txt"] == "too large: 200 MB, the limit is 20 MB (--max-mb)"
    assert reasons["odd.txt"].startswith("cannot determine the text encoding")
    assert reasons["missing.txt"] == "not found"
    assert reasons["leaflet.pdf"].startswith("unsupported file type '.pdf'")
    assert outcomes[-1].status == "ingested" and outcomes[-1].mentions == 1  # the run went on
    summary = ingest.summary(outcomes)
    assert "ingested 1 of 5 file(s)" in summary and "huge page.txt: skipped, too large" in summary


def test_command_line(kb, tmp_path, capsys):
    assert cli(["ingest", str(EXAMPLES / "search notes.md"), "--store", str(tmp_path / "s")]) == 0
    assert "machine-extracted" in capsys.readouterr().out
    assert cli(["ingest", str(EXAMPLES / "empty.txt"), "--store", str(tmp_path / "s")]) == 2


def test_extractor_folds_case_width_and_script_without_moving_offsets(kb):
    ex = Extractor.from_kb(kb)
    text = "ＳＣＩＡＴＩＣＡ and Osteochondrosis; 腰肌勞損 no fever; ulcerative colitis"
    assert len(fold(text)) == len(text)
    found = ex.find(text, "t")
    assert {"sciatica", "degenerative_disc_disease", "lumbar_muscle_strain"} <= set(found.cause_id)
    assert "peptic_ulcer" not in set(found.cause_id)  # 'ulcer' inside 'ulcerative' is not a match
    neg = ex.find("There is no sign of infection today.", "t")
    assert neg.stance.tolist() == ["negated"]


def test_extraction_is_measured_against_the_curated_mentions(kb):
    texts = {s: kb.text(s) for s in kb.source_ids}
    full = Extractor.from_kb(kb)
    scores, _errors = evaluate(pd.concat([full.find(texts[s], s) for s in kb.source_ids]), kb.mentions)
    assert (scores.recall > 0.95).all() and (scores.precision > 0.9).all()
    held_scores, reasons = held_out_evaluation(kb)  # a page the lexicon has never seen: honest, much lower recall
    reasons = reasons.reason
    assert held_scores.recall.max() < 0.7 and held_scores.precision.min() > 0.7
    assert reasons.str.contains("lexicon lacks").any() and reasons.str.contains("do not name this cause").any()
    pooled = by_language(held_scores, kb.sources)
    assert set(pooled.index) == {"en", "zh"} and pooled.recall.between(0, 1).all()
    assert pooled.loc["zh", "curated"] == (kb.mentions.source_id.str.startswith("zh_")).sum()
