"""Readability with a method fit for each language, never one scale across languages.

English: Flesch Reading Ease and Flesch–Kincaid grade, computed here from their published formulas
with syllables counted by the pyphen hyphenation dictionary (offline; textstat would download a
pronunciation dictionary at run time). A machine translation is scored as the English text it is,
which says something about the translation, not about the Russian original.
Chinese: the Flesch family counts syllables per word and has no meaning for Chinese. We report the
components of the Chinese readability formulas that need no graded vocabulary list: average
sentence length in characters and in words (jieba segmentation) and sentences per 100 words (ANS).
CLDC's difficult-word term (HSK levels) is not computed: no HSK list ships with the workbook.
"""

from __future__ import annotations

import re

import pandas as pd

_ZH_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")


_EN_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_EN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")


def syllables(word: str) -> int:
    import pyphen

    return len(pyphen.Pyphen(lang="en_US").positions(word.lower())) + 1


def english(text: str) -> dict[str, float]:
    """Flesch (1948) reading ease and Kincaid et al. (1975) grade from sentence and word counts."""
    sentences = [s for s in _EN_SENTENCE.findall(text) if _EN_WORD.search(s)]
    words = _EN_WORD.findall(text)
    syl = sum(syllables(w) for w in words)
    wps, spw = len(words) / len(sentences), syl / len(words)
    return {
        "flesch_reading_ease": 206.835 - 1.015 * wps - 84.6 * spw,
        "flesch_kincaid_grade": 0.39 * wps + 11.8 * spw - 15.59,
        "words": len(words),
        "sentences": len(sentences),
        "words_per_sentence": wps,
    }


def chinese(text: str) -> dict[str, float]:
    import jieba

    jieba.setLogLevel(60)  # silence the dictionary-loading chatter
    sentences = [
        s for s in (m.group().strip() for m in _ZH_SENTENCE.finditer(text)) if re.search(r"[\u4e00-\u9fff]", s)
    ]
    chars = sum(len(re.findall(r"[\u4e00-\u9fff]", s)) for s in sentences)
    words = sum(sum(1 for w in jieba.cut(s) if re.search(r"[\u4e00-\u9fff]", w)) for s in sentences)
    return {
        "chars_per_sentence": chars / len(sentences),
        "words_per_sentence": words / len(sentences),
        "sentences_per_100_words": 100 * len(sentences) / words,
        "words": words,
        "sentences": len(sentences),
    }


def body_text(kb, source_id: str) -> str:
    """The on-topic body of a page (navigation, adverts, unrelated Q&A and duplicates left out)."""
    text = kb.text(source_id)
    seg = kb.segments_of(source_id)
    return "\n".join(text[r.start : r.end] for r in seg.itertuples() if r.kind == "body")


def readability(kb) -> pd.DataFrame:
    """One row per source: its language's method and measures, computed on the body text."""
    rows = []
    for s in kb.sources.itertuples():
        body = body_text(kb, s.source_id)
        measures = chinese(body) if s.language == "zh" else english(body)
        rows.append(
            {
                "source_id": s.source_id,
                "language": s.language,
                "method": "sentence length (jieba)" if s.language == "zh" else "Flesch (pyphen syllables)",
                **measures,
            }
        )
    return pd.DataFrame(rows).set_index("source_id")
