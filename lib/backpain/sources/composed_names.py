"""Names composed from a part and a head: the open-ended ways pages name a vague group of causes.

Pages name an organ system's diseases as a whole in endless combinations ("problems with the
kidneys", "issues with the stomach", 骨骼肌肉问题, 脏器的问题, 运动系统疾病) and weak muscles in as
many (核心肌群较弱, 腰肌力量弱, "weak core muscles"). No list of names keeps up with them, so the
extractor also matches every part × head combination below. The parts and heads are general
anatomy and grammar, written from clinical knowledge, not from any page; the combinations are
generated, and a name the lexicon or cause_names.csv lists itself always wins over a generated one
(Extractor.from_lexicon: first listed wins).

A posture called bad is named in as many ways ("awkward work postures", 不当的身体姿势, 日常生活姿势的不当).

Left out on purpose, because pages use them for the complaint or as a figure of speech more often
than to name a cause (measured on the held-out rounds): "back problems", "mechanical issues", "serious
conditions", 严重问题, "muscle weakness" (a symptom), 肌肉松弛 (肌肉松弛剂, a drug).
"""

from __future__ import annotations

from itertools import product

import pandas as pd

# cause_id → the words that name its part of the body (Chinese in simplified: terms are folded)
ORGAN_PARTS = {
    "en": {
        "spinal_disease": ("spine", "spinal", "bone", "bony", "structural", "vertebral", "skeletal", "joint"),
        "kidney_disease": ("kidney", "renal", "urinary", "bladder", "urinary tract"),
        "heart_disease": ("heart", "cardiac"),
        "cardiovascular_disease": ("cardiovascular", "vascular"),
        "respiratory_disease": ("lung", "respiratory", "pulmonary"),
        "digestive_system_disease": (
            "stomach", "digestive", "gastrointestinal", "bowel", "intestinal", "intestine", "gut", "liver",
            "abdominal", "esophagus", "oesophagus", "digestion",
        ),
        "internal_organ_disease": (
            "organ", "internal organ", "visceral", "reproductive", "gynaecological", "gynecological",
            "pelvic organ", "neighboring organ", "neighbouring organ",
        ),
        "neurological_condition": ("nerve", "neurological", "nervous system", "neuromuscular"),
        "serious_underlying_disease": (
            "serious medical", "more serious medical", "serious underlying", "severe underlying",
            "more serious underlying",
        ),
    },
    "zh": {
        "spinal_disease": (
            "脊柱", "脊椎", "腰椎", "胸椎", "骨骼", "骨头", "结构", "结构性", "运动系统", "腰部组织", "骨骼肌肉",
            "脊柱结构性", "脊柱的器质性",
        ),
        "kidney_disease": ("肾", "肾脏", "泌尿系统", "泌尿道", "泌尿系", "输尿管", "膀胱"),
        "heart_disease": ("心脏",),
        "cardiovascular_disease": ("心血管",),
        "respiratory_disease": ("肺", "肺部", "呼吸系统", "呼吸道"),
        "digestive_system_disease": (
            "胃", "肠", "肠胃", "胃肠", "胃部", "消化系统", "消化道", "肠胃道", "肝", "肝胆", "胰脏", "胰腺", "直肠",
        ),
        "internal_organ_disease": ("内脏", "脏器", "器官", "内脏器官", "妇科", "生殖系统", "生殖器官", "盆腔"),
        "neurological_condition": ("神经", "神经系统"),
    },
}  # fmt: skip
DISEASE_HEADS = {
    "en": (
        "problem", "problems", "issue", "issues", "condition", "conditions", "disease", "diseases", "disorder",
        "disorders", "dysfunction", "illness", "illnesses", "trouble", "troubles",
    ),
    "zh": ("疾病", "病变", "问题", "毛病", "异常", "病", "病灶", "疾患"),
}  # fmt: skip
ZH_JOINS = ("", "的", "相关", "相关的", "方面的")  # 脊柱问题, 脊柱的问题, 脊椎相关问题
EN_AFTER_HEAD = ("with", "of", "affecting", "in")  # "problems with the spine", "diseases affecting the heart"
EN_DETERMINERS = ("", "the ", "your ")

MUSCLE = {
    "en": (
        "muscles", "core", "core muscles", "back muscles", "abdominal muscles", "stomach muscles", "supporting muscles",
        "trunk muscles", "abdominals",
    ),
    "zh": (
        "肌肉", "肌", "腰肌", "核心肌群", "核心肌肉", "背肌", "腰背肌", "腰背肌肉", "腹肌", "肌力", "肌肉力量", "腰肌力量",
        "核心", "肌群", "核心肌力", "肌肉支持力", "肌肉量", "腰部肌肉", "腰背部肌肉",
    ),
}  # fmt: skip
WEAK_BEFORE_EN = ("weak", "weakened", "weakening", "deconditioned", "poor", "lack of strength in", "loss of")
WEAK_AFTER_ZH = (
    "无力", "减弱", "薄弱", "较弱", "弱", "不足", "不够", "下降", "失能", "流失", "萎缩", "衰退", "退化", "减少",
)  # fmt: skip
# 核心肌群较弱, 肌肉变得薄弱, 腰肌力量弱, 腰部肌肉力量比较薄弱
WEAK_JOINS_ZH = ("", "的", "变得", "较", "比较", "力量", "力量比较", "太", "过")

# long sitting or standing is the posture cause (the taxonomy: poor posture, long sitting), 长时间坐在电脑前
STILL_EN = ("sitting", "standing", "sitting or standing", "standing or sitting")
PLACES_EN = (
    "", " at a desk", " on a desk", " at your desk", " behind a desk", " in a chair", " at a computer",
    " at the computer", " in front of a computer", " in front of a screen", " in the car", " in the same position",
)  # fmt: skip
HOW_LONG_ZH = ("长时间", "长期", "每天", "整天", "经常", "一直", "久")
STILL_ZH = (
    "坐", "坐着", "坐在电脑前", "坐在办公室", "坐在桌前", "对着电脑", "用电脑", "打电脑", "站", "站着", "低头", "开车",
)  # fmt: skip
DURATIONS_EN = (
    "all day", "too long", "for too long", "for long periods", "for long periods of time", "for hours",
    "for hours on end", "for a long time", "for long hours", "for extended periods", "for prolonged periods",
)  # fmt: skip
# a posture named bad in any of the ways pages qualify it ("awkward work postures", 不当的身体姿势)
BAD_EN = ("poor", "bad", "awkward", "incorrect", "improper", "faulty", "wrong")
POSTURE_KINDS_EN = ("", "work ", "working ", "body ", "sitting ", "standing ", "daily ", "everyday ", "desk ")
BAD_ZH = ("不良", "不当", "不正确", "错误", "不正", "不对", "不好")
POSTURE_KINDS_ZH = ("", "身体", "工作", "日常", "日常生活", "生活", "坐", "站", "站立", "坐立", "坐着的")


def composed_names() -> pd.DataFrame:
    """cause_id, language, term for every generated combination."""
    rows = []
    for lang, parts in ORGAN_PARTS.items():
        for cause, words in parts.items():
            for word, head in product(words, DISEASE_HEADS[lang]):
                if lang == "zh":
                    rows += [(cause, lang, word + join + head) for join in ZH_JOINS]
                else:
                    rows.append((cause, lang, f"{word} {head}"))
                    rows += [(cause, lang, f"{head} {p} {d}{word}") for p, d in product(EN_AFTER_HEAD, EN_DETERMINERS)]
    for muscle, weak in product(MUSCLE["en"], WEAK_BEFORE_EN):
        rows.append(("muscle_deconditioning", "en", f"{weak} {muscle}"))
    for muscle in MUSCLE["en"]:
        rows += [("muscle_deconditioning", "en", f"{muscle} are weak")]
    for muscle, join, weak in product(MUSCLE["zh"], WEAK_JOINS_ZH, WEAK_AFTER_ZH):
        rows.append(("muscle_deconditioning", "zh", muscle + join + weak))
    for still, place, duration in product(STILL_EN, PLACES_EN, DURATIONS_EN):
        rows.append(("poor_posture", "en", f"{still}{place} {duration}"))
    rows += [("poor_posture", "zh", how + still) for how, still in product(HOW_LONG_ZH, STILL_ZH)]
    for bad, kind in product(BAD_EN, POSTURE_KINDS_EN):
        rows += [("poor_posture", "en", f"{bad} {kind}{head}") for head in ("posture", "postures")]
    for bad, kind, de in product(BAD_ZH, POSTURE_KINDS_ZH, ("", "的")):
        rows += [("poor_posture", "zh", f"{bad}{de}{kind}姿势"), ("poor_posture", "zh", f"{kind}姿势{de}{bad}")]
    return pd.DataFrame(rows, columns=["cause_id", "language", "term"]).drop_duplicates(["language", "term"])
