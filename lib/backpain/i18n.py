"""One language setting for every label a student sees (English / 中文).

Source quotes are never translated: they are shown in the language the page was written in.
"""

from __future__ import annotations

LANGUAGES = ("en", "zh")
_current = {"lang": "en"}

ORIGIN_LABELS = {
    "spine": ("Spine / musculoskeletal", "脊柱 / 肌肉骨骼"),
    "neurological": ("Neurological / radicular", "神经 / 神经根"),
    "visceral": ("Visceral (referred)", "内脏（牵涉痛）"),
    "serious_spinal": ("Serious spinal pathology", "严重脊柱病变"),
    "psychosocial": ("Psychosocial", "心理社会"),
    "postural": ("Posture / lifestyle", "姿势 / 生活方式"),
    "post_surgical": ("Post-surgical", "术后"),
    "unrelated": ("Not a back-pain cause (off-topic text)", "非背痛原因（离题内容）"),
}

# Colour per origin: colour-blind-safe (Okabe–Ito), reused by every chart and the source viewer.
ORIGIN_COLOURS = {
    "spine": "#0072B2",
    "neurological": "#56B4E9",
    "visceral": "#D55E00",
    "serious_spinal": "#CC0000",
    "psychosocial": "#CC79A7",
    "postural": "#009E73",
    "post_surgical": "#E69F00",
    "unrelated": "#999999",
}

# Deyo & Weinstein 2001's groups, in schema.SPLIT_GROUPS order, with the colour every chart uses.
SPLIT_GROUP_LABELS = {
    "mechanical": ("Mechanical (spine)", "机械性（脊柱）"),
    "non_mechanical_spinal": ("Non-mechanical spinal", "非机械性脊柱疾病"),
    "visceral": ("Visceral (referred)", "内脏（牵涉痛）"),
}
SPLIT_GROUP_COLOURS = {"mechanical": "#0072B2", "non_mechanical_spinal": "#CC0000", "visceral": "#D55E00"}

# Urgency of a red flag, most urgent first, with its colour.
URGENCY_LABELS = {
    "emergency": ("EMERGENCY: act now", "急症：立即处理"),
    "same_day": ("Same day", "当天评估"),
    "soon": ("Soon (days)", "尽快（数日内）"),
    "routine": ("Routine", "常规"),
}
URGENCY_COLOURS = {"emergency": "#b30000", "same_day": "#e66100", "soon": "#8a6500", "routine": "#555555"}

# Where a number in the reasoning model comes from.
BASIS_LABELS = {
    "literature": ("published figure", "文献数据"),
    "source": ("the page's words", "网页原文"),
    "teaching_estimate": ("teaching estimate", "教学估计值"),
    "background": ("not listed: background rate", "未列出：按背景发生率"),
}

SEGMENT_LABELS = {
    "title": ("Title", "标题"),
    "byline": ("Byline", "署名"),
    "body": ("Body (on topic)", "正文"),
    "related_on_topic": ("Related, on topic", "相关（切题）"),
    "unrelated": ("Unrelated Q&A", "无关问答"),
    "advert": ("Advert", "广告"),
    "navigation": ("Navigation", "导航"),
    "duplicate": ("Duplicate", "重复内容"),
    "boilerplate": ("Boilerplate", "模板文字"),
    "references": ("Reference list", "参考文献"),
}

WORDS = {
    "characters": ("characters", "字符"),
    "share_of_page": ("Share of the page", "占页面比例"),
    "source": ("Source", "来源"),
    "segment_kind": ("Segment kind", "段落类型"),
    "named_by": ("named by {n} source(s)", "{n} 个来源提及"),
    "origin": ("Origin", "来源类别"),
    "cause": ("Cause", "病因"),
    "taxonomy_title": ("Causes of back pain named in the five pages", "五个网页提到的背痛病因"),
    "segments_title": ("How much of each page is about back pain?", "每个网页有多少内容在讲背痛？"),
}


def set_language(lang: str) -> None:
    """Switch every widget and chart built after this call (English 'en' or Chinese 'zh')."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    _current["lang"] = lang


def language() -> str:
    return _current["lang"]


def pick(pair: tuple[str, str], lang: str | None = None) -> str:
    return pair[LANGUAGES.index(lang or language())]


def lookup(table: dict, key: str, lang: str | None = None) -> str:
    """The current-language text of `key` in a module's {key: (english, chinese)} table."""
    return pick(table[key], lang)


def origin_label(origin: str, lang: str | None = None) -> str:
    return pick(ORIGIN_LABELS[origin], lang)


def word(key: str, lang: str | None = None, **fmt) -> str:
    return pick(WORDS[key], lang).format(**fmt)


def name_column(lang: str | None = None) -> str:
    """'name_en' or 'name_zh': the taxonomy/findings column for the current language."""
    return f"name_{lang or language()}"
