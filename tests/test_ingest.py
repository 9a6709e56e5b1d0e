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


def test_refresh_re_extracts_stored_pages_with_the_current_lexicon(kb, tmp_path, capsys):
    store = ingest.Store(tmp_path / "s")
    ingest.ingest([EXAMPLES / "why-does-my-back-hurt.html"], store, kb)
    mentions = pd.read_csv(store.mentions_path)
    stale = mentions[mentions.cause_id != "kidney_stone"]  # as if ingested with an older lexicon
    stale.to_csv(store.mentions_path, index=False)
    outcomes = ingest.refresh(ingest.Store(tmp_path / "s"), kb)
    assert [o.status for o in outcomes] == ["refreshed"] and outcomes[0].mentions == len(mentions)
    assert f"was {len(stale)}" in outcomes[0].reason
    again = pd.read_csv(store.mentions_path)
    assert "kidney_stone" in set(again.cause_id) and len(again) == len(mentions)
    assert cli(["ingest", "--refresh", "--store", str(tmp_path / "s")]) == 0
    assert "refreshed 1 stored page(s)" in capsys.readouterr().out
    assert len(pd.read_csv(store.mentions_path)) == len(mentions)  # a re-run never repeats mentions
    assert cli(["ingest", "--store", str(tmp_path / "s")]) == 2  # neither pages nor --refresh


def test_unreadable_file_types_are_listed_with_the_reason(kb, store, tmp_path):
    (tmp_path / "in").mkdir()
    for name in ("leaflet.pdf", "notes.docx", "page.txt"):
        (tmp_path / "in" / name).write_text("Kidney stones cause flank pain.", encoding="utf-8")
    text = ingest.summary(ingest.ingest([tmp_path / "in"], store, kb))
    assert "leaflet.pdf: skipped, unsupported file type '.pdf'" in text
    assert "notes.docx: skipped, unsupported file type '.docx'" in text
    assert "ingested 1 of 3 file(s)" in text


def test_extractor_folds_case_width_and_script_without_moving_offsets(kb):
    ex = Extractor.from_kb(kb)
    text = "ＳＣＩＡＴＩＣＡ and Osteochondrosis; 腰肌勞損 no fever; ulcerative colitis"
    assert len(fold(text)) == len(text)
    found = ex.find(text, "t")
    assert {"sciatica", "degenerative_disc_disease", "lumbar_muscle_strain"} <= set(found.cause_id)
    assert "peptic_ulcer" not in set(found.cause_id)  # 'ulcer' inside 'ulcerative' is not a match
    neg = ex.find("There is no sign of infection today.", "t")
    assert neg.stance.tolist() == ["negated"]


def _spans(*rows):
    return pd.DataFrame(
        [
            {"source_id": r[0], "start": r[1], "end": r[2], "quote": "q", "cause_id": r[3], "stance": "cause"}
            for r in rows
        ]
    )


def test_evaluate_and_by_language_by_hand():
    curated = _spans(("P", 0, 5, "x"), ("P", 10, 15, "y"), ("P", 20, 25, "x"), ("Q", 0, 3, "z"))
    found = _spans(
        ("P", 1, 4, "x"),  # inside a curated x: right
        ("P", 10, 15, "x"),  # right place, wrong cause: a false hit, and y is missed
        ("P", 30, 35, "x"),  # nothing curated there
        ("Q", 0, 3, "z"),
        ("R", 0, 2, "w"),  # a page nobody curated
    )
    scores, errors = evaluate(found, curated)
    assert scores[["found", "right", "curated", "recalled"]].to_dict("index") == {
        "P": {"found": 3, "right": 1, "curated": 3, "recalled": 1},
        "Q": {"found": 1, "right": 1, "curated": 1, "recalled": 1},
        "R": {"found": 1, "right": 0, "curated": 0, "recalled": 0},
    }
    assert scores.precision.tolist()[:2] == pytest.approx([1 / 3, 1.0]) and scores.precision["R"] == 0
    assert scores.recall.tolist()[:2] == pytest.approx([1 / 3, 1.0]) and pd.isna(scores.recall["R"])
    assert sorted(map(tuple, errors[["outcome", "source_id", "start", "cause_id"]].values.tolist())) == [
        ("false_hit", "P", 10, "x"),
        ("false_hit", "P", 30, "x"),
        ("false_hit", "R", 0, "w"),
        ("miss", "P", 10, "y"),
        ("miss", "P", 20, "x"),
    ]
    assert errors.source_id.tolist() == sorted(errors.source_id)
    sources = pd.DataFrame({"source_id": ["P", "Q", "R"], "language": ["en", "zh", "en"]})
    pooled = by_language(scores, sources)
    assert pooled[["right", "found", "recalled", "curated"]].to_dict("index") == {
        "en": {"right": 1, "found": 4, "recalled": 1, "curated": 3},
        "zh": {"right": 1, "found": 1, "recalled": 1, "curated": 1},
    }
    assert pooled.precision.to_dict() == pytest.approx({"en": 0.25, "zh": 1.0})
    assert pooled.recall.to_dict() == pytest.approx({"en": 1 / 3, "zh": 1.0})


def test_extraction_is_measured_against_the_curated_mentions(kb):
    """On the real pages: the counts add up and every error gets a reason (how good the extractor is on these
    pages is a lesson claim, in test_lesson_claims.py)."""
    texts = {s: kb.text(s) for s in kb.source_ids}
    full = Extractor.from_kb(kb)
    found = pd.concat([full.find(texts[s], s) for s in kb.source_ids])
    scores, errors = evaluate(found, kb.mentions)
    assert scores.curated.to_dict() == kb.mentions.groupby("source_id").size().reindex(scores.index).to_dict()
    assert scores.found.sum() == len(found)
    assert (scores.found - scores.right).sum() == (errors.outcome == "false_hit").sum()
    assert (scores.curated - scores.recalled).sum() == (errors.outcome == "miss").sum()
    held_scores, reasons = held_out_evaluation(kb)  # each page scored with a lexicon that never saw it
    assert set(held_scores.index) == set(kb.source_ids)
    assert held_scores.curated.sum() == len(kb.mentions)
    assert (
        reasons.reason.str.len().gt(0).all()
        and len(reasons) == (held_scores.found - held_scores.right + held_scores.curated - held_scores.recalled).sum()
    )
    pooled = by_language(held_scores, kb.sources)
    assert set(pooled.index) == set(kb.sources.language) and pooled.recall.between(0, 1).all()
    assert pooled.curated.sum() == len(kb.mentions)
