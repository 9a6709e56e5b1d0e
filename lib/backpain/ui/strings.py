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
    "pretest": (
        "No findings set yet: these are the pre-test probabilities for the setting.",
        "尚未设定任何发现：以下是该就诊场景的验前概率。",
    ),
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
    "jama": ("JAMA benchmark (/4)", "JAMA 基准（满分 4）"),
    "discern": ("DISCERN (/80, N/A items scaled)", "DISCERN（满分 80，不适用条目按比例折算）"),
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
    "not_applicable": ("n/a", "不适用"),
}

PAGES = {
    "machine_extracted": ("machine-extracted mentions, not checked by a curator", "机器提取的提及，未经人工核对"),
    "showing_first": ("showing the first {n:,} of {total:,} characters", "仅显示前 {n:,} 个字符（共 {total:,} 个）"),
    "unconfirmed": ("(guideline position unconfirmed)", "（指南立场未核实）"),
}

BROWSERS = {
    "source": ("Source", "来源"),
    "cause": ("Cause", "病因"),
    "organs_sharing": ("Organs sharing these segments", "共享这些节段的器官"),
}

# Column headings of the tables the notebooks show (ui/tables.py), by the column's name in the code.
TABLE_COLUMNS = {
    "source_id": ("Page", "网页"),
    "language": ("Language", "语言"),
    "title": ("Title", "标题"),
    "author": ("Author", "作者"),
    "credentials": ("Credentials", "资质"),
    "institution": ("Institution", "机构"),
    "site_type": ("Kind of site", "网站类型"),
    "date": ("Date", "日期"),
    "translated_from": ("Translated from", "译自"),
    "characters": ("Characters", "字符数"),
    "body_share": ("Share on topic", "切题内容占比"),
    "causes_named": ("Causes named", "提到的病因数"),
    "category": ("Category", "类别"),
    "cause_id": ("Cause id", "病因编号"),
    "cause": ("Cause", "病因"),
    "name": ("Name", "名称"),
    "name_en": ("English name", "英文名称"),
    "name_zh": ("Chinese name", "中文名称"),
    "origin": ("Origin", "来源类别"),
    "icd10": ("ICD-10", "ICD-10 编码"),
    "cant_miss": ("Can't miss", "不可漏诊"),
    "sources": ("Pages", "网页"),
    "n_sources": ("Pages naming it", "提及的网页数"),
    "term": ("The page's word", "网页用词"),
    "note": ("Note", "说明"),
    "flag": ("Red flag", "危险信号"),
    "urgency": ("Urgency", "紧急程度"),
    "needs": ("Raised when", "触发条件"),
    "unless": ("Unless", "除非"),
    "reference_id": ("Reference", "参考文献"),
    "finding_id": ("Finding", "发现"),
    "finding": ("Finding", "发现"),
    "visceral_before": ("Visceral share before", "之前的内脏占比"),
    "visceral_if_present": ("Visceral share if present", "若有：内脏占比"),
    "visceral_if_absent": ("Visceral share if absent", "若无：内脏占比"),
    "odds_factor_present": ("Odds factor if present", "若有：比值倍数"),
    "odds_factor_absent": ("Odds factor if absent", "若无：比值倍数"),
    "frequency": ("Frequency in the cause", "在该病因中的频率"),
    "background": ("Frequency in ordinary back pain", "在普通腰背痛中的频率"),
    "lr_pos": ("LR+", "阳性似然比"),
    "lr_neg": ("LR−", "阴性似然比"),
    "basis": ("Basis", "依据"),
    "evidence": ("Evidence", "证据来源"),
    "population": ("Population", "研究人群"),
    "levels": ("Spinal segments", "脊髓节段"),
    "count": ("Count", "数量"),
    "cause_ids": ("Causes", "病因"),
    "instrument": ("Instrument", "评估工具"),
    "study": ("Study", "研究"),
    "statistic": ("Statistic", "统计量"),
    "value_low": ("From", "下限"),
    "value_high": ("To", "上限"),
    "status": ("Checked", "核实情况"),
    "first_quote": ("The page says", "网页原文"),
    "mentions": ("Times named", "提及次数"),
    "position": ("The guideline's position", "指南立场"),
    "position_en": ("The guideline's position", "指南立场"),
    "position_zh": ("The guideline's position", "指南立场"),
    "stance": ("Stance", "指南态度"),
    "guideline": ("Guideline", "指南"),
    "treatment": ("Treatment", "治疗"),
    "group": ("Group", "分组"),
    "band": ("DISCERN band", "DISCERN 等级"),
    "jama": ("JAMA (0–4)", "JAMA 评分（0–4）"),
    "discern": ("DISCERN (/80)", "DISCERN 总分（/80）"),
    "discern_80": ("DISCERN (/80)", "DISCERN 总分（/80）"),
    "hon": ("HONcode-style", "HONcode 类"),
    "accuracy": ("Accuracy", "准确性"),
    "precision": ("Precision", "精确率"),
    "recall": ("Recall", "召回率"),
    "f1": ("F1", "F1 值"),
    "outcome": ("Outcome", "结果"),
    "reason": ("Reason", "原因"),
    "quote": ("Quote", "原文"),
    "odds_factor": ("Odds factor towards the viscera", "向内脏方向的比值倍数"),
    "discern_raw": ("DISCERN items summed", "DISCERN 各项之和"),
    "discern_items": ("DISCERN items rated", "已评 DISCERN 项数"),
    "discern_section1": ("DISCERN section 1 (/40)", "DISCERN 第一部分（/40）"),
    "accuracy_max": ("Accuracy: highest possible", "准确性满分"),
    "method": ("Method", "方法"),
    "chars_per_sentence": ("Characters per sentence", "每句字符数"),
    "words_per_sentence": ("Words per sentence", "每句词数"),
    "sentences_per_100_words": ("Sentences per 100 words", "每百词句数"),
    "words": ("Words", "词数"),
    "sentences": ("Sentences", "句数"),
    "flesch_reading_ease": ("Flesch Reading Ease", "Flesch 易读度"),
    "flesch_kincaid_grade": ("Flesch–Kincaid grade", "Flesch–Kincaid 年级"),
    "pages": ("Pages", "网页"),
    "page_id": ("Page", "网页"),
    "original_name": ("File", "文件名"),
    "encoding": ("Encoding", "编码"),
    "labelled": ("Causes marked by hand", "人工标注的病因数"),
    "curated": ("Mentions marked by curators", "人工标注的提及数"),
    "found": ("Found", "找到"),
    "right": ("Found and right", "找到且正确"),
    "recalled": ("Marked and found", "标注且找到"),
    "split": ("Set", "数据集"),
    "round": ("Round", "轮次"),
    "extractor": ("Extractor (commit)", "提取器（提交）"),
    "recall_known": ("Recall on causes the taxonomy has", "分类中已有病因的召回率"),
    "first_labeller": ("Causes the first labeller marked", "第一位标注者标注的病因数"),
    "second_labeller": ("Causes the second labeller marked", "第二位标注者标注的病因数"),
    "both_labellers": ("Marked by both", "两人都标注的病因数"),
    "measured": ("Measured", "测量日期"),
    "script": ("Script", "文字"),
    "context": ("Words around it", "上下文"),
    "notes": ("What is odd about the page", "网页的特别之处"),
}

# Words a table shows as values that are phrases of the code, not data (DISCERN bands, readability methods).
TABLE_VALUES = {
    "excellent": ("excellent", "优秀"),
    "good": ("good", "良好"),
    "fair": ("fair", "一般"),
    "poor": ("poor", "差"),
    "very poor": ("very poor", "很差"),
    "sentence length (jieba)": ("sentence length (jieba word segmentation)", "句长（jieba 分词）"),
    "Flesch (pyphen syllables)": ("Flesch (syllables counted by pyphen)", "Flesch（pyphen 计音节）"),
    "before issue 12": ("before issue 12 (the curated pages' words alone)", "议题 12 之前（仅用精选网页的词语）"),
}

# DataTables' own interface words for a long table (ui/tables.py); _START_ … are DataTables' placeholders.
DATATABLES = {
    "search": ("Search:", "搜索："),
    "lengthMenu": ("Show _MENU_ rows", "每页显示 _MENU_ 行"),
    "info": ("Showing _START_ to _END_ of _TOTAL_ rows", "显示第 _START_ 至 _END_ 行，共 _TOTAL_ 行"),
    "infoEmpty": ("No rows", "没有行"),
    "infoFiltered": ("(filtered from _MAX_ rows)", "（从 _MAX_ 行中筛选）"),
    "zeroRecords": ("No matching rows", "没有匹配的行"),
    "emptyTable": ("The table is empty", "表中没有数据"),
    "loadingRecords": ("Loading the table…", "表格加载中…"),
    "first": ("First", "首页"),
    "last": ("Last", "末页"),
    "next": ("Next", "下一页"),
    "previous": ("Previous", "上一页"),
    "sort_ascending": (": sort ascending", "：升序排列"),
    "sort_descending": (": sort descending", "：降序排列"),
    "all": ("All", "全部"),
}


def word(key: str, lang: str | None = None, **fmt) -> str:
    """A COMMON phrase in the current language, with {placeholders} filled in."""
    return pick(COMMON[key], lang).format(**fmt)
