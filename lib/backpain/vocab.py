"""Every fixed vocabulary of the workbook, declared once: its values in order, English and Chinese labels
and, where a chart draws it, its colour.

The schemas take their allowed values from here, and charts, tables and HTML take their labels and
colours from here, so a value cannot be allowed in data/ yet unlabelled in 中文 mode. Colours are
colour-blind-safe (Okabe–Ito) where a chart compares categories.
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import pick


@dataclass(frozen=True)
class Term:
    value: str
    en: str
    zh: str
    colour: str | None = None


class Vocabulary:
    """An ordered set of values with a label in each language (and a colour where drawn)."""

    def __init__(self, name: str, terms: list[tuple]):
        self.name = name
        self.terms = tuple(t if isinstance(t, Term) else Term(*t) for t in terms)
        self._by_value = {t.value: t for t in self.terms}

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(t.value for t in self.terms)

    def __iter__(self):
        return iter(self.values)

    def __contains__(self, value) -> bool:
        return value in self._by_value

    def __len__(self) -> int:
        return len(self.terms)

    def index(self, value: str) -> int:
        return self.values.index(value)

    def label(self, value: str, lang: str | None = None) -> str:
        term = self._by_value[value]
        return pick((term.en, term.zh), lang)

    def labels(self, lang: str | None = None) -> dict[str, str]:
        return {t.value: pick((t.en, t.zh), lang) for t in self.terms}

    def colour(self, value: str) -> str:
        return self._by_value[value].colour

    @property
    def colours(self) -> dict[str, str]:
        return {t.value: t.colour for t in self.terms}

    def __repr__(self) -> str:
        return f"Vocabulary({self.name!r}, {list(self.values)})"


ORIGIN = Vocabulary(
    "origin",
    [
        ("spine", "Spine / musculoskeletal", "脊柱 / 肌肉骨骼", "#0072B2"),
        ("neurological", "Neurological / radicular", "神经 / 神经根", "#56B4E9"),
        ("visceral", "Visceral (referred)", "内脏（牵涉痛）", "#D55E00"),
        ("serious_spinal", "Serious spinal pathology", "严重脊柱病变", "#CC0000"),
        ("psychosocial", "Psychosocial", "心理社会", "#CC79A7"),
        ("postural", "Posture / lifestyle", "姿势 / 生活方式", "#009E73"),
        ("post_surgical", "Post-surgical", "术后", "#E69F00"),
        ("traditional", "Traditional Chinese medicine pattern", "中医证候", "#F0E442"),
        ("unrelated", "Not a back-pain cause (off-topic text)", "非背痛原因（离题内容）", "#999999"),
    ],
)

# In legend order: content first, then the page furniture, then the noise.
SEGMENT_KIND = Vocabulary(
    "segment kind",
    [
        ("body", "Body (on topic)", "正文", "#009E73"),
        ("related_on_topic", "Related, on topic", "相关（切题）", "#56B4E9"),
        ("title", "Title", "标题", "#4d4d4d"),
        ("byline", "Byline", "署名", "#7f7f7f"),
        ("references", "Reference list", "参考文献", "#0072B2"),
        ("navigation", "Navigation", "导航", "#E69F00"),
        ("advert", "Advert", "广告", "#CC79A7"),
        ("unrelated", "Unrelated Q&A", "无关问答", "#D55E00"),
        ("duplicate", "Duplicate", "重复内容", "#F0E442"),
        ("boilerplate", "Boilerplate", "模板文字", "#bdbdbd"),
    ],
)
# Segment kinds that are not about back pain at all (the "noise" of a page).
NOISE = frozenset({"unrelated", "advert", "navigation", "duplicate", "boilerplate"})

# How a page names a cause.
MENTION_STANCE = Vocabulary(
    "mention stance",
    [
        ("cause", "named as a cause", "作为病因提及"),
        ("negated", "said to be absent", "说明不存在"),
        ("ruled_out", "named to be ruled out", "作为需排除的疾病提及"),
        ("other_role", "named in another role", "以其他身份提及"),
        ("off_topic", "named in off-topic text", "在离题内容中提及"),
    ],
)

# What went wrong when the extractor is scored against marked causes (notebook 08).
EXTRACTION_OUTCOME = Vocabulary("extraction outcome", [("miss", "missed", "漏检"), ("false_hit", "false hit", "误检")])

# Why a miss or a false hit happened, in the terms of notebook 08's lesson.
EXTRACTION_ERROR = Vocabulary(
    "extraction error",
    [
        ("negated", "named on the page as absent", "网页说明不存在"),
        ("other_sense", "the words occur but do not name this cause here", "词语出现，但此处并非指这个病因"),
        (
            "overlap",
            "the term is known, but a longer or overlapping term won the match",
            "词条已收录，但被更长或重叠的词条抢先匹配",
        ),
        ("chinese_phrasing", "a Chinese phrasing the lexicon lacks", "词表缺少的中文说法"),
        ("synonym", "a synonym or paraphrase the lexicon lacks", "词表缺少的同义词或改写"),
    ],
)

# Which part of the evaluation set a page belongs to (data/eval).
EVAL_SPLIT = Vocabulary(
    "evaluation split",
    [
        ("dev", "development (read while tuning)", "开发集（调试时可看）"),
        ("test", "held out (never read while tuning)", "保留测试集（调试时不看）"),
        ("example", "the workbook's example pages", "本教材的示例网页"),
    ],
)

# The writing system of a page.
SCRIPT = Vocabulary(
    "script",
    [
        ("latin", "English", "英文"),
        ("hans", "simplified Chinese", "简体中文"),
        ("hant", "traditional Chinese", "繁体中文"),
    ],
)

PAGE_LANGUAGE = Vocabulary("page language", [("zh", "Chinese", "中文"), ("en", "English", "英文")])

# What sort of name a general cause name is (data/cause_names.csv).
NAME_KIND = Vocabulary(
    "name kind",
    [
        ("clinical", "clinical name", "临床名称"),
        ("lay", "everyday or lay name", "日常或通俗说法"),
        ("alternative_name", "alternative or older name", "别名或旧称"),
        ("abbreviation", "abbreviation", "缩写"),
        ("misspelling", "common misspelling", "常见错拼"),
    ],
)

TAXONOMY_LEVEL = Vocabulary("taxonomy level", [("category", "category", "类别"), ("cause", "cause", "病因")])

# What a taxonomy row is: a rankable condition, a contributing factor (shown, never ranked), or an
# unspecified umbrella term the pages use; categories only group rows.
ROLE = Vocabulary(
    "role",
    [
        ("category", "category", "类别"),
        ("condition", "condition", "疾病"),
        ("factor", "contributing factor", "诱发因素"),
        ("umbrella", "unspecified term", "笼统说法"),
    ],
)

# Where a number in the reasoning model comes from.
BASIS = Vocabulary(
    "basis",
    [
        ("literature", "published figure", "文献数据"),
        ("source", "the page's words", "网页原文"),
        ("teaching_estimate", "teaching estimate", "教学估计值"),
    ],
)
BACKGROUND_BASIS = ("literature", "teaching_estimate")  # a background rate is never one page's words
# What one finding's weight for a cause rests on: the link's basis, or the background rate where the
# cause lists no link for that finding.
WEIGHT_BASIS = Vocabulary(
    "weight basis", [*BASIS.terms, ("background", "not listed: background rate", "未列出：按背景发生率")]
)

# Urgency of a red flag, most urgent first.
URGENCY = Vocabulary(
    "urgency",
    [
        ("emergency", "EMERGENCY: act now", "急症：立即处理", "#b30000"),
        ("same_day", "Same day", "当天评估", "#e66100"),
        ("soon", "Soon (days)", "尽快（数日内）", "#8a6500"),
        ("routine", "Routine", "常规", "#555555"),
    ],
)

# Deyo & Weinstein 2001's three groups of back pain in primary care (97% / 1% / 2%).
SPLIT_GROUP = Vocabulary(
    "split group",
    [
        ("mechanical", "Mechanical (spine)", "机械性（脊柱）", "#0072B2"),
        ("non_mechanical_spinal", "Non-mechanical spinal", "非机械性脊柱疾病", "#CC0000"),
        ("visceral", "Visceral (referred)", "内脏（牵涉痛）", "#D55E00"),
    ],
)

SCALE = Vocabulary("scale", [("age", "age", "年龄"), ("sex", "sex", "性别")])  # findings that are bands of one variable

FINDING_GROUP = Vocabulary(
    "finding group",
    [
        ("location", "Where is the pain?", "疼痛部位"),
        ("character", "What is it like?", "疼痛性质"),
        ("onset", "How did it start?", "起病方式"),
        ("timing", "When, and how long?", "时间特点"),
        ("aggravating", "What makes it worse?", "加重因素"),
        ("relieving", "What eases it?", "缓解因素"),
        ("associated", "Other symptoms", "伴随症状"),
        ("history", "History", "病史"),
        ("exam", "Examination", "体格检查"),
    ],
)

# A student's answer about one finding in the lab.
ANSWER = Vocabulary(
    "answer", [("unknown", "not asked", "未询问"), ("present", "present", "有"), ("absent", "absent", "无")]
)

REFERENCE_STATUS = Vocabulary(
    "reference status",
    [
        ("confirmed", "confirmed", "已核实"),
        ("secondary", "secondary citation", "转引"),
        ("unconfirmed", "not verified", "未核实"),
    ],
)

# Where a guideline stands on a treatment a page advises (NICE NG59, ACP 2017).
GUIDELINE_STANCE = Vocabulary(
    "guideline stance",
    [
        ("recommended", "Recommended", "推荐", "#1a9850"),
        ("only_with_exercise", "Only with exercise", "仅作为运动方案的一部分", "#91cf60"),
        ("conditional", "With conditions", "有条件使用", "#fee08b"),
        ("not_recommended", "Not recommended", "不推荐", "#d73027"),
        ("not_covered", "Not covered by the guidelines", "指南未涉及", "#bdbdbd"),
        ("not_applicable", "Not back-pain treatment", "非背痛治疗", "#f0f0f0"),
    ],
)

GUIDELINE = Vocabulary(
    "guideline",
    [
        ("nice_ng59", "NICE NG59 (2016, updated 2020)", "NICE NG59（2016，2020 更新）"),
        ("qaseem2017", "ACP guideline (Qaseem 2017)", "美国医师协会指南（Qaseem 2017）"),
        ("none", "no guideline", "无指南"),
    ],
)

TREATMENT_CATEGORY = Vocabulary(
    "treatment category",
    [
        ("drug", "drug", "药物"),
        ("injection", "injection", "注射"),
        ("physical_therapy_modality", "physical therapy modality", "物理因子治疗"),
        ("manual_therapy", "manual therapy", "手法治疗"),
        ("exercise", "exercise", "运动"),
        ("device", "device", "器具"),
        ("surgery", "surgery", "手术"),
        ("self_care", "self-care", "自我护理"),
        ("rest", "rest", "休息"),
        ("complementary", "complementary therapy", "补充疗法"),
        ("folk_remedy", "folk remedy", "民间偏方"),
        ("referral", "referral", "转诊"),
        ("other", "other", "其他"),
    ],
)

INSTRUMENT = Vocabulary(
    "instrument",
    [
        ("jama", "JAMA benchmarks", "JAMA 基准"),
        ("discern", "DISCERN", "DISCERN"),
        ("hon", "HONcode", "HONcode"),
        ("accuracy", "Accuracy against guidelines", "与指南相符的准确性"),
    ],
)

REGISTRY = {
    v.name: v
    for v in (
        ORIGIN,
        SEGMENT_KIND,
        MENTION_STANCE,
        EXTRACTION_OUTCOME,
        EXTRACTION_ERROR,
        EVAL_SPLIT,
        SCRIPT,
        PAGE_LANGUAGE,
        NAME_KIND,
        TAXONOMY_LEVEL,
        ROLE,
        BASIS,
        WEIGHT_BASIS,
        URGENCY,
        SPLIT_GROUP,
        SCALE,
        FINDING_GROUP,
        ANSWER,
        REFERENCE_STATUS,
        GUIDELINE_STANCE,
        GUIDELINE,
        TREATMENT_CATEGORY,
        INSTRUMENT,
    )
}
