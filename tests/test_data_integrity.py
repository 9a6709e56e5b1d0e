"""The curated data, checked against the corpus it describes."""

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

from backpain.knowledge import curation
from backpain.knowledge.base import DEFAULT_DATA_DIR
from backpain.knowledge.integrity import sha256_of

ROOT = Path(__file__).resolve().parents[1]
SOURCES = DEFAULT_DATA_DIR / "sources"
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_the_data_folder_is_inside_the_repository():
    assert DEFAULT_DATA_DIR.is_relative_to(ROOT)  # every test reads the repository's own files, nothing else
    assert (ROOT / "data").resolve() == DEFAULT_DATA_DIR


def test_sources_are_the_recorded_pages_byte_for_byte(kb):
    """sources.csv records each page's sha256: the committed files match it, no page is missing or unlisted,
    and the text the library serves is exactly those bytes."""
    listed = pd.read_csv(SOURCES / "sources.csv", dtype=str, keep_default_na=False)
    assert set(listed.file) == {p.name for p in SOURCES.glob("*.txt")}
    assert listed.sha256.is_unique and listed.source_id.is_unique and len(listed) == len(kb.source_ids)
    for row in listed.itertuples():
        data = (SOURCES / row.file).read_bytes()
        assert sha256_of(data) == row.sha256 == hashlib.sha256(data).hexdigest(), row.file
        assert kb.text(row.source_id).encode("utf-8") == data, row.file
    assert list(listed.source_id) == kb.source_ids


def test_every_source_has_metadata_and_body_text(kb):
    src = kb.sources.set_index("source_id")
    assert set(src.language) == {"zh", "en"}
    assert (src.language == "zh").sum() == 3
    assert src.loc["en_midback", "translated_from"] == "ru"
    for source_id in kb.source_ids:
        kinds = set(kb.segments_of(source_id).kind)
        assert "body" in kinds and "title" in kinds, source_id


def test_segments_partition_every_source(kb):
    for source_id in kb.source_ids:
        seg = kb.segments_of(source_id)
        assert seg.start.iloc[0] == 0
        assert (seg.start.iloc[1:].to_numpy() == seg.end.iloc[:-1].to_numpy()).all()
        assert seg.end.iloc[-1] == len(kb.text(source_id))


def test_every_mention_quote_is_the_text_at_its_offsets(kb):
    men = kb.mentions
    assert len(men) > 100
    for row in men.itertuples():
        assert kb.text(row.source_id)[row.start : row.end] == row.quote


def test_committed_offsets_equal_a_fresh_build_from_curation():
    """segments, mentions, treatment mentions and every quoted span are exactly what the script computes."""
    built = curation.build(DEFAULT_DATA_DIR)
    gaps = built.pop("gaps")
    assert gaps.empty, f"lexicon terms named by a page but not curated:\n{gaps.to_string()}"
    for name, table in built.items():
        committed = pd.read_csv(DEFAULT_DATA_DIR / name, dtype=str, keep_default_na=False)
        fresh = table.fillna("").astype(str).reset_index(drop=True)
        assert list(fresh.columns) == list(committed.columns), name
        assert fresh.values.tolist() == committed.values.tolist(), f"{name} is stale: run make curate"


def test_every_cause_is_named_by_a_page_or_cited_from_the_literature(kb):
    named = set(kb.mentions.cause_id)
    unsupported = [c for c, row in kb.causes.iterrows() if c not in named and not isinstance(row.reference_id, str)]
    assert not unsupported
    assert {"cauda_equina_syndrome", "abdominal_aortic_aneurysm"} <= set(kb.causes.index) - named  # literature-only


def test_every_quote_is_in_the_lexicon(kb):
    lex = set(zip(kb.lexicon.language, kb.lexicon.term))
    lang = dict(zip(kb.sources.source_id, kb.sources.language))
    missing = {(lang[r.source_id], r.quote) for r in kb.mentions.itertuples()} - lex
    assert not missing


@pytest.mark.parametrize(
    "term, cause_id",
    [
        ("osteochondrosis", "degenerative_disc_disease"),
        ("radiculitis", "radiculopathy"),
        ("Bechterew's disease", "ankylosing_spondylitis"),
        ("renal colic", "renal_colic"),
        ("肩周炎", "frozen_shoulder"),
        ("腰肌劳损", "lumbar_muscle_strain"),
        ("小关节紊乱", "facet_joint_syndrome"),
        ("颈椎病", "cervical_spondylosis"),
        ("心绞痛", "angina"),
        ("sciatica", "sciatica"),
    ],
)
def test_source_terms_map_to_standard_concepts(kb, term, cause_id):
    hits = kb.mentions[kb.mentions.quote.str.lower() == term.lower()]
    assert not hits.empty, f"no mention quotes {term!r}"
    assert set(hits.cause_id) == {cause_id}


def test_taxonomy_is_bilingual_coded_and_spans_every_origin(kb):
    tax = kb.taxonomy
    assert tax.name_zh.map(lambda s: bool(CJK.search(s))).all()
    assert not tax.name_en.map(lambda s: bool(CJK.search(s))).any()
    assert tax.summary_zh.map(lambda s: bool(CJK.search(s))).all()
    required = {"spine", "neurological", "visceral", "serious_spinal", "psychosocial", "postural", "post_surgical"}
    assert required <= set(kb.causes.origin)
    organ = set(kb.causes[kb.causes.origin == "visceral"].organ_system)
    assert {"cardiac", "vascular", "pulmonary", "renal"} <= organ
    clinical = kb.causes[kb.causes.origin.isin(["spine", "neurological", "visceral", "serious_spinal"])]
    assert clinical.icd10.notna().all(), list(clinical.index[clinical.icd10.isna()])
    assert kb.causes.loc[["aortic_dissection", "cauda_equina_syndrome", "myocardial_infarction"], "can_t_miss"].all()
    assert not kb.causes.loc["lumbar_muscle_strain", "can_t_miss"]


STUDENT_COLUMNS = {  # table: columns a student sees (curator remarks live in curator_note / note columns for curators)
    "cause_findings": ["note", "population"],
    "base_rates": ["note"],
    "findings": ["label_en", "question_en", "background_note"],
    "red_flags": ["name_en", "concern_en", "explain_en"],
    "taxonomy": ["name_en", "summary_en"],
    "treatments": ["position_en", "position_zh"],
    "lab_presets": ["note"],
}


def test_curator_remarks_never_reach_students(kb):
    jargon = r"(?i)from memory|unverified|unconfirmed|not yet confirmed|\[[UCS]\]|\[verify\]|\bguess"
    for table, columns in STUDENT_COLUMNS.items():
        frame = getattr(kb, table)
        for column in columns:
            leaks = frame[frame[column].fillna("").str.contains(jargon)]
            assert leaks.empty, (table, column, leaks[column].head(3).tolist())


def test_every_note_a_student_reads_in_the_lab_exists_in_chinese(kb):
    links = kb.cause_findings
    assert links.note_zh.notna().all()
    assert (links.population.isna() == links.population_zh.isna()).all()
    assert links.note_zh.str.contains(r"[\u4e00-\u9fff]").all()
