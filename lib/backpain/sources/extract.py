"""Find cause mentions in any text with the lexicon: one Aho–Corasick automaton for every term of
both languages, leftmost-longest matches, offsets into the original text.

Matching happens on a folded copy of the text that has the same length as the original, so every
offset is valid in both: English letters lower-cased, traditional Chinese characters mapped one by
one to simplified (OpenCC), full-width ASCII to half-width. English matches must not sit inside a
longer word ("ulcer" in "ulcerative"); Chinese has no spaces, so no such check is possible there.
A short look-behind for negation cues ("no", "without", 没有, 排除 …) marks a mention as negated.

Everything found here is machine-extracted (auto = True) and never mixed up with curated mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick
import numpy as np
import pandas as pd

NEGATION_EN = re.compile(
    r"\b(?:no|not|without|denies|denied|absence of|rule[sd]? out|excluded?|excluding|free of)\b[^.;:!?\n]{0,40}$"
)
NEGATION_ZH = re.compile(r"(没有|不是|并非|无|排除|除外|否认)[^。！？；，、：:;,\n]{0,6}$")  # same clause only
COLUMNS = ["source_id", "start", "end", "quote", "cause_id", "stance", "auto"]


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """One-character replacements for str.translate: upper → lower, full-width ASCII → ASCII,
    traditional → simplified Chinese (OpenCC's character table, first choice)."""
    import opencc

    table: dict[int, str] = {}
    for code in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x370, 0x530)):
        low = chr(code).lower()
        if len(low) == 1 and low != chr(code):
            table[code] = low
    for code in range(0xFF01, 0xFF5F):
        table[code] = chr(code - 0xFEE0).lower()
    ts = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    for line in ts.read_text(encoding="utf-8").splitlines():
        trad, _, simple = line.partition("\t")
        simple = simple.split(" ")[0]
        if len(trad) == 1 and len(simple) == 1 and trad != simple:
            table[ord(trad)] = simple
    return table


@lru_cache(maxsize=1)
def _fold_array() -> np.ndarray:
    """The character table as a lookup array over the Basic Multilingual Plane (code point → code point)."""
    array = np.arange(0x10000, dtype=np.uint32)
    for code, repl in _fold_table().items():
        if code < 0x10000 and ord(repl) < 0x10000:
            array[code] = ord(repl)
    return array


def fold(text: str) -> str:
    """Same length as text (so offsets carry over), lower-case, simplified Chinese, half-width.

    str.lower() does the case at C speed; the traditional→simplified and full-width table is applied
    as one numpy lookup over the UTF-32 code points (a Python-level translate would halve throughput).
    """
    low = text.lower()
    if len(low) != len(text):  # a letter whose lower case is longer: fall back to the exact table
        return text.translate(_fold_table())
    if low.isascii():
        return low
    codes = np.frombuffer(low.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    mapped = np.where(codes < 0x10000, _fold_array()[np.minimum(codes, 0xFFFF)], codes)
    return mapped.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


@dataclass(frozen=True)
class Extractor:
    automaton: ahocorasick.Automaton
    terms: int

    @classmethod
    def from_kb(cls, kb, held_out: tuple[str, ...] = ()) -> Extractor:
        """The pages' own words (lexicon.csv) plus every cause's standard names in both languages.

        With held_out, only lexicon terms that some *other* page uses are kept: an honest estimate of
        how the extractor does on a page it has never seen.
        """
        lexicon = kb.lexicon
        if held_out:
            lang = dict(zip(kb.sources.source_id, kb.sources.language))
            seen = {(lang[m.source_id], m.quote) for m in kb.mentions.itertuples() if m.source_id not in held_out}
            lexicon = lexicon[[(lg, t) in seen for lg, t in zip(lexicon.language, lexicon.term)]]
        return cls.from_lexicon(pd.concat([lexicon, standard_names(kb.taxonomy)], ignore_index=True))

    @classmethod
    def from_lexicon(cls, lexicon: pd.DataFrame) -> Extractor:
        auto = ahocorasick.Automaton()
        for row in lexicon.itertuples():
            key = fold(row.term)
            # two causes may share a folded term (case variants); the first listed wins, deterministically
            if key not in auto:
                auto.add_word(key, (len(key), row.cause_id, row.language))
        auto.make_automaton()
        return cls(auto, len(auto))

    def find(self, text: str, source_id: str = "") -> pd.DataFrame:
        """Every leftmost-longest lexicon match in text, with its offsets, cause and stance."""
        folded = fold(text)
        rows = []
        for end, (length, cause, lang) in self.automaton.iter_long(folded):
            start, stop = end - length + 1, end + 1
            if lang == "en" and _inside_word(folded, start, stop):
                continue
            negated = (
                NEGATION_EN.search(folded, max(0, start - 50), start)
                if lang == "en"
                else NEGATION_ZH.search(folded, max(0, start - 8), start)
            )
            rows.append((source_id, start, stop, text[start:stop], cause, "negated" if negated else "cause", True))
        return pd.DataFrame(rows, columns=COLUMNS)


GENERIC = {
    "pain",
    "back pain",
    "disease",
    "unspecified",
    "advanced",
    "chronic overuse",
    "heavy physical work",
    "晚期",
    "spinal or systemic",
    "unnamed",
    "bending",
    "long sitting",
    "looking down",
}


def standard_names(taxonomy: pd.DataFrame) -> pd.DataFrame:
    """cause_id, language, term rows from the taxonomy's names: the name without its brackets
    ('Psychogenic pain', '椎间盘退变') and each alternative in brackets ('osteochondrosis', '骨软骨病')."""
    rows = []
    causes = taxonomy[(taxonomy.level == "cause") & (taxonomy.origin != "unrelated")]
    for c in causes.itertuples():
        for lang, name in (("en", c.name_en), ("zh", c.name_zh)):
            inside = re.findall(r"[(（]([^)）]*)[)）]", name)
            main = re.sub(r"\s*[(（][^)）]*[)）]", " ", name)
            main = re.sub(r"\s*,\s*(site )?unspecified$", "", re.sub(r"\s+", " ", main).strip().replace(" ,", ","))
            parts = [main.strip(" ,")] + [a for alt in inside for a in re.split(r"[,，/、;；]", alt)]
            for part in parts:
                term = part.strip().strip("'\"‘’“” ")
                if term.lower().startswith(("e.g", "incl")) or term.lower() in GENERIC:
                    continue
                if len(term) >= (4 if lang == "en" else 2):
                    rows.append((c.cause_id, lang, term))
    return pd.DataFrame(rows, columns=["cause_id", "language", "term"]).drop_duplicates(["language", "term"])


def _inside_word(folded: str, start: int, stop: int) -> bool:
    """Is an English match glued to a Latin letter on either side ('ulcer' in 'ulcerative')?"""
    before = folded[start - 1] if start > 0 else " "
    after = folded[stop] if stop < len(folded) else " "
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())
