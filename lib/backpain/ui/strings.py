"""Every phrase of the interface in English and Chinese, one section per screen.

Vocabularies (origins, urgencies, stances …) and their labels live in vocab.py; what is here is the
prose around them: titles, buttons, tooltips and panel text. Source quotes are never translated.
A test builds every widget and chart in 中文 and fails on any English phrase left over.
"""

from __future__ import annotations

from ..i18n import pick

COMMON = {
    "characters": ("characters", "字符"),
    "share_of_page": ("Share of the page", "占页面比例"),
    "source": ("Source", "来源"),
    "segment_kind": ("Segment kind", "段落类型"),
    "named_by": ("named by {n} source(s)", "{n} 个来源提及"),
    "origin": ("Origin", "来源类别"),
    "cause": ("Cause", "病因"),
    "taxonomy_title": ("Causes of back pain named in the five pages", "五个网页提到的背痛病因"),
    "segments_title": ("How much of each page is about back pain?", "每个网页有多少内容在讲背痛？"),
    "page": ("Page", "网页"),
    "mentions_in": ("{n} mention(s) in {s} source(s)", "{s} 个来源中共 {n} 处提及"),
    "organs_here": ("Organs referring here", "牵涉至此的器官"),
    "body_map_title": ("The back, seen from behind: where pain is felt", "从背后看：疼痛的部位"),
}

LAB = {
    "disclaimer": (
        "⚠ Teaching model, not a clinical tool: it shows how evidence shifts a differential; it never diagnoses.",
        "⚠ 教学模型，不是临床工具：演示证据如何改变鉴别诊断，不作任何诊断。",
    ),
    "no_flags": (
        "No red flag is raised by the findings set so far. Keep asking about them.",
        "目前设定的发现尚未触发任何危险信号，请继续询问。",
    ),
    "flags": ("Red flags", "危险信号"),
    "because": ("because", "依据"),
    "cant_miss": ("Can't-miss causes the findings raised", "这些发现提高了以下不可漏诊病因的可能性"),
    "preset": ("Patient", "病例"),
    "none": ("— choose a preset patient —", "— 选择预设病例 —"),
    "reset": ("Reset", "重置"),
    "why": ("Why this cause?", "为什么考虑这个病因？"),
    "ask": ("Ask next", "下一步该问"),
    "for": ("For", "支持"),
    "against": ("Against", "反对"),
    "if_yes": ("if yes", "若有"),
    "if_no": ("if no", "若无"),
    "visceral": ("visceral", "内脏"),
    "no_links": ("None of the findings set so far bears on this cause.", "目前设定的发现与此病因无关。"),
    "source_says": ("the page says", "网页原文"),
    "factors": ("Contributing factors present (not diagnoses)", "存在的诱发因素（不是诊断）"),
    "frequency": ("in this cause {f:.0%}, in ordinary back pain {b:.0%}", "此病因中 {f:.0%}，普通腰背痛中 {b:.0%}"),
    "population": ("measured in", "研究人群"),
    "red_flag_question": ("red-flag question", "危险信号问题"),
    "form": ("History: set each finding present ✔, absent ✘ or unknown —", "病史：将每项发现设为有 ✔、无 ✘ 或未知 —"),
    "summary": ("Answers so far", "已设定的发现"),
    "none_set": ("None yet: every finding is unknown (—).", "尚未设定：所有发现均为未知（—）。"),
    "n_set": ("{n} set", "已设 {n} 项"),
    "clear": ("click to clear", "点击清除"),
    "lr": ("LR", "似然比"),
    "snapshot": ("The lab on a preset patient: {name}", "预设病例在实验室中的结果：{name}"),
    "snapshot_findings": ("Findings set", "已设定的发现"),
}

QUIZ = {
    "origin": ("Where does the pain come from?", "疼痛来自哪里？"),
    "cause": ("Most likely cause", "最可能的病因"),
    "urgency": ("Urgency", "紧急程度"),
    "submit": ("Check my answer", "核对答案"),
    "next": ("Next case ▶", "下一题 ▶"),
    "previous": ("◀ Previous", "◀ 上一题"),
    "choose": ("— choose —", "— 请选择 —"),
    "right": ("✔ right", "✔ 正确"),
    "wrong": ("✘ the answer is", "✘ 正确答案是"),
    "score": ("Score this sitting", "本次得分"),
    "engine": ("What the teaching model makes of these findings", "教学模型对这些发现的分析"),
    "flags": ("Red flags raised", "触发的危险信号"),
    "no_flags": ("none", "无"),
    "key": ("Findings that weigh most for", "最支持该病因的发现"),
    "versus": ("What separates it from your choice", "与你的选择相区别的发现"),
    "points": ("Teaching points", "教学要点"),
    "incomplete": ("Choose an origin, a cause and an urgency first.", "请先选择来源类别、病因和紧急程度。"),
    "case": ("Case", "病例"),
    "causes": ("causes", "个病因"),
    "answers": ("answers", "项答案"),
    "disclaimer": ("Teaching cases and a teaching model: not clinical advice.", "教学病例与教学模型，不构成临床建议。"),
}

SOURCE_CHARTS = {
    "coverage": ("Which page names which cause? (grouped by origin)", "各网页提到了哪些病因？（按来源类别分组）"),
    "agreement": (
        "How much do the pages agree? (Jaccard index of the causes named)",
        "各网页的一致程度（所提病因的 Jaccard 指数）",
    ),
    "mix": ("What kinds of cause does each page name?", "各网页提到的病因类型"),
    "share": ("Share of the causes named (%)", "所提病因的占比（%）"),
    "flags": ("Does the page name the dangers each red flag warns about?", "网页是否提到各危险信号所警示的疾病？"),
    "rubrics": ("Reliability scores against published benchmarks", "可靠性评分与已发表基准的比较"),
    "advice": (
        "What the pages advise, by guideline stance (NICE NG59 / ACP 2017)",
        "网页建议与指南立场的对照（NICE NG59 / ACP 2017）",
    ),
    "treatments": ("Treatments mentioned", "提到的治疗方法数"),
    "yes": ("named", "提到"),
    "no": ("not named", "未提到"),
    "band": ("published mean(s)", "已发表研究的平均值"),
    "fre": ("English: Flesch Reading Ease<br>(higher = easier)", "英文网页：Flesch 易读度<br>（越高越易读）"),
    "readability": ("Readability, each language on its own scale", "易读性：每种语言使用各自的量表"),
    "zh_len": ("Chinese: characters per sentence<br>(lower = easier)", "中文网页：平均句长（字符）<br>（越低越易读）"),
}

REASONING_CHARTS = {
    "ranking": ("Which causes fit? (teaching model)", "哪些病因符合？（教学模型）"),
    "posterior": ("Probability in this model (%)", "本模型中的概率（%）"),
    "split": ("Where does the pain come from?", "疼痛来自哪里？"),
    "pretest": ("Before findings", "问诊前"),
    "now": ("With these findings", "结合这些发现"),
    "ruler": ("Evidence ruler for {name}: {pre:.2%} → {post:.1%}", "{name} 的证据标尺：{pre:.2%} → {post:.1%}"),
    "log10": ("log10 likelihood ratio (→ for, ← against)", "log10 似然比（→ 支持，← 反对）"),
    "prepost": ("Pre-test → post-test probability", "验前概率 → 验后概率"),
    "prob_log": ("Probability (log scale)", "概率（对数坐标）"),
    "heatmap": ("How findings shift each cause (log10 LR+)", "各项发现如何改变各病因（log10 LR+）"),
}

ADVICE = {
    "advice": ("Advice", "建议"),
    "page_says": ("The page says", "网页原文"),
    "guideline_says": ("The guideline says", "指南立场"),
}

RUBRIC = {
    "rubric": ("Rubric", "评分工具"),
    "compare": ("Compare with the workbook", "与本书的评分比较"),
    "agreement": (
        "Agreement on {items} item(s): exact {exact:.0%}, within one point {within_one:.0%}, mean difference "
        "{mean_abs_difference:.2f}. Rubric scores are soft: even trained raters agree only moderately "
        "(DISCERN kappa about 0.2–0.5).",
        "共 {items} 项评分：完全一致 {exact:.0%}，相差不超过一分 {within_one:.0%}，平均差 {mean_abs_difference:.2f}。"
        "评分量表本身较主观：即使经过培训的评分者之间一致性也只是中等（DISCERN 的 kappa 约 0.2–0.5）。",
    ),
    "rate_first": ("Rate at least one item first.", "请先至少评一项。"),
    "item": ("item", "条目"),
    "you": ("you", "你的评分"),
    "workbook": ("workbook", "本书评分"),
    "why": ("why the workbook scored it so", "本书评分的理由"),
}

BROWSERS = {
    "source": ("Source", "来源"),
    "cause": ("Cause", "病因"),
    "organs_sharing": ("Organs sharing these segments", "共享这些节段的器官"),
}


def word(key: str, lang: str | None = None, **fmt) -> str:
    """A COMMON phrase in the current language, with {placeholders} filled in."""
    return pick(COMMON[key], lang).format(**fmt)
